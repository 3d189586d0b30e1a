"""Ejercicios auto-calificados: ``comprobar(ejercicio, respuesta)`` responde en español.

Compara la función del lector con la implementación de referencia del registro sobre casos
generados al momento (lotes, float32 y float64, longitud 1, valores grandes) y, si falla,
dice qué caso falló, qué se esperaba y qué llegó, y reconoce los errores típicos.
"""

from .comprobador import Resultado, comprobar
from .ejercicios import EJERCICIOS, Ejercicio, ErrorTipico

__all__ = ["comprobar", "Resultado", "EJERCICIOS", "Ejercicio", "ErrorTipico"]
