"""Ejercicios auto-calificados: ``comprobar(ejercicio, respuesta)`` responde en español.

Compara la respuesta del lector con la implementación de referencia del registro sobre casos
generados al momento (lotes, máscaras, float32 y float64, longitud 1, valores grandes) y, si falla,
dice qué caso falló, qué se esperaba y qué llegó, y reconoce los errores típicos.

- ``python -m transformadores.evaluacion.alumnos``: genera los cuadernos del alumno.
- ``python -m transformadores.evaluacion.calificar entregas/ --salida notas.csv``: califica un lote.
- ``progreso.mostrar()``: qué ejercicios has superado.
"""

from . import progreso
from .comprobador import Resultado, comprobar, evaluar
from .ejercicios import EJERCICIOS, Caso, Ejercicio, ErrorTipico, por_capitulo

__all__ = [
    "comprobar",
    "evaluar",
    "Resultado",
    "EJERCICIOS",
    "Ejercicio",
    "ErrorTipico",
    "Caso",
    "por_capitulo",
    "progreso",
]
