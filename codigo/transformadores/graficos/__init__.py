"""Gráficos del libro: un solo estilo y una paleta apta para daltonismo."""

from .estilo import PALETA, aplicar_estilo, figura_a_png, mapa_calor

__all__ = ["PALETA", "aplicar_estilo", "figura_a_png", "mapa_calor"]
