"""Registro de ecuaciones: id → capítulo, implementación NumPy e implementación PyTorch.

Cada función que implementa una ecuación del inventario lleva el decorador
:func:`implementa`. Al importar ``con_numpy`` y ``con_torch`` las funciones se registran
solas; :func:`registro` devuelve la tabla completa y ``python -m transformadores.cobertura``
imprime la cobertura.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from .inventario import INVENTARIO

__all__ = ["Ecuacion", "implementa", "registro", "ecuacion", "IDS"]

IDS: dict[str, tuple[int, bool, str]] = {i: (c, n, t) for i, c, n, t in INVENTARIO}
_GEMELOS = {"con_numpy": "numpy", "con_torch": "torch"}
_IMPLEMENTACIONES: dict[tuple[str, str], Callable] = {}


@dataclass(frozen=True)
class Ecuacion:
    """Una entrada del registro."""

    id: str
    capitulo: int
    nucleo: bool
    titulo: str
    numpy: Callable | None
    torch: Callable | None


def implementa(*ids: str) -> Callable[[Callable], Callable]:
    """Decorador: registra la función como implementación de las ecuaciones ``ids``.

    El gemelo (NumPy o PyTorch) se deduce del módulo: ``transformadores.con_numpy.*`` o
    ``transformadores.con_torch.*``.
    """
    desconocidos = [i for i in ids if i not in IDS]
    if desconocidos:
        raise KeyError(f"Ids que no están en el inventario: {desconocidos}")

    def decorar(funcion: Callable) -> Callable:
        partes = funcion.__module__.split(".")
        gemelo = next((_GEMELOS[p] for p in partes if p in _GEMELOS), None)
        if gemelo is None:
            raise RuntimeError(f"{funcion.__qualname__}: solo con_numpy y con_torch registran ecuaciones.")
        for i in ids:
            _IMPLEMENTACIONES[(i, gemelo)] = funcion
        funcion.__ecuaciones__ = ids
        return funcion

    return decorar


def registro() -> dict[str, Ecuacion]:
    """Importa ambos gemelos y devuelve el registro completo, en el orden del inventario."""
    importlib.import_module("transformadores.con_numpy")
    importlib.import_module("transformadores.con_torch")
    return {
        i: Ecuacion(i, c, n, t, _IMPLEMENTACIONES.get((i, "numpy")), _IMPLEMENTACIONES.get((i, "torch")))
        for i, c, n, t in INVENTARIO
    }


def ecuacion(id_: str) -> Ecuacion:
    """La entrada del registro con ese id (``KeyError`` en español si no existe)."""
    tabla = registro()
    if id_ not in tabla:
        raise KeyError(f"No hay ninguna ecuación con id '{id_}' en el inventario.")
    return tabla[id_]
