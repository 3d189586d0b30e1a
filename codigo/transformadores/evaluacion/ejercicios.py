"""Catálogo de ejercicios: un módulo por capítulo (``ejercicios_capNN``), reunidos aquí por id."""

from __future__ import annotations

from . import (
    ejercicios_cap01,
    ejercicios_cap02,
    ejercicios_cap03,
    ejercicios_cap04,
    ejercicios_cap05,
    ejercicios_cap06,
    ejercicios_cap07,
    ejercicios_cap08,
    ejercicios_cap09,
)
from .tipos import Caso, Ejercicio, ErrorTipico

__all__ = ["Caso", "ErrorTipico", "Ejercicio", "EJERCICIOS", "por_capitulo"]

_MODULOS = (
    ejercicios_cap01,
    ejercicios_cap02,
    ejercicios_cap03,
    ejercicios_cap04,
    ejercicios_cap05,
    ejercicios_cap06,
    ejercicios_cap07,
    ejercicios_cap08,
    ejercicios_cap09,
)


def _reunir() -> dict[str, Ejercicio]:
    catalogo: dict[str, Ejercicio] = {}
    for modulo in _MODULOS:
        for e in modulo.EJERCICIOS:
            if e.id in catalogo:
                raise RuntimeError(f"Id de ejercicio repetido: '{e.id}'.")
            catalogo[e.id] = e
    return dict(sorted(catalogo.items(), key=lambda par: par[1].capitulo))


EJERCICIOS: dict[str, Ejercicio] = _reunir()


def por_capitulo(capitulo: int) -> list[Ejercicio]:
    """Los ejercicios de un capítulo, en el orden del cuaderno."""
    return [e for e in EJERCICIOS.values() if e.capitulo == capitulo]
