"""Catálogo de ejercicios: un módulo por capítulo (``ejercicios_capNN``), reunidos aquí por id."""

from __future__ import annotations

import importlib
import pkgutil

from . import __path__ as _RUTA
from .tipos import Caso, Ejercicio, ErrorTipico

__all__ = ["Caso", "ErrorTipico", "Ejercicio", "EJERCICIOS", "por_capitulo"]

# Cada capítulo aporta un módulo ``ejercicios_capNN``; se descubren solos, en orden de capítulo.
_MODULOS = tuple(
    importlib.import_module(f"{__package__}.{m.name}")
    for m in sorted(pkgutil.iter_modules(_RUTA), key=lambda m: m.name)
    if m.name.startswith("ejercicios_cap")
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
