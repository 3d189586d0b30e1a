"""Con entradas float32, cada función del gemelo NumPy devuelve float32 (ningún escalar float64 la sube)."""

from __future__ import annotations

import importlib
from pathlib import Path

import numpy as np
import pytest
from transformadores import con_numpy

MODULOS = sorted(p.stem for p in Path(__file__).parent.glob("casos_cap*.py"))


def _a32(x):
    if isinstance(x, np.ndarray) and x.dtype == np.float64:
        return x.astype(np.float32)
    if isinstance(x, (list, tuple)):
        return type(x)(_a32(y) for y in x)
    if isinstance(x, dict):
        return {k: _a32(v) for k, v in x.items()}
    return x


def _flotantes(x):
    if isinstance(x, np.ndarray) and x.dtype.kind == "f":
        yield x
    elif isinstance(x, (list, tuple)):
        for y in x:
            yield from _flotantes(y)


def _entradas():
    for nombre_modulo in MODULOS:
        modulo = importlib.import_module(f"paridad.{nombre_modulo}")
        if not hasattr(modulo, "casos"):
            continue
        for nombre, caso in modulo.casos(np.random.default_rng(0)).items():
            if isinstance(nombre, str) and hasattr(con_numpy, nombre) and isinstance(caso, tuple) and len(caso) == 2:
                yield pytest.param(nombre, caso, id=f"{nombre_modulo}:{nombre}")


@pytest.mark.parametrize("nombre, caso", list(_entradas()))
def test_float32_se_conserva(nombre, caso):
    args, kwargs = caso
    if not isinstance(args, tuple) or not isinstance(kwargs, dict):
        pytest.skip("caso con otra estructura")
    if not any(True for _ in _flotantes(list(args) + list(kwargs.values()))):
        pytest.skip("sin entradas de coma flotante")
    salida = getattr(con_numpy, nombre)(*_a32(args), **_a32(kwargs))
    tipos = {str(x.dtype) for x in _flotantes(salida if isinstance(salida, tuple) else (salida,))}
    assert tipos <= {"float32"}, f"{nombre} devuelve {tipos} con entradas float32"
