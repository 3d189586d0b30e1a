"""Paridad NumPy ↔ PyTorch de los ids añadidos al capítulo 3, en float64 (rtol 1e-10) y float32 (atol 1e-5)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from paridad.casos_cap03b import CASOS, casos
from transformadores import con_numpy, con_torch
from utiles import a_numpy, a_torch

TOLERANCIAS = pytest.mark.parametrize(
    "dtype, tol",
    [(torch.float64, {"rtol": 1e-10, "atol": 1e-12}), (torch.float32, {"rtol": 0, "atol": 1e-5})],
    ids=["float64", "float32"],
)


def _comparar(esperado, obtenido, **tol):
    if isinstance(esperado, tuple):
        for e, o in zip(esperado, obtenido, strict=True):
            _comparar(e, o, **tol)
        return
    obtenido = a_numpy(obtenido)
    assert np.shape(obtenido) == np.shape(esperado)
    np.testing.assert_allclose(obtenido, esperado, **tol)


@pytest.mark.parametrize("caso", [pytest.param(c, marks=pytest.mark.ecuacion(i)) for c, (_, i) in CASOS.items()])
@TOLERANCIAS
def test_paridad(caso, dtype, tol, rng, dispositivo):
    nombre = CASOS[caso][0]
    args, kwargs = casos(rng)[caso]
    esperado = getattr(con_numpy, nombre)(*args, **kwargs)
    obtenido = getattr(con_torch, nombre)(*a_torch(args, dtype, dispositivo), **a_torch(kwargs, dtype, dispositivo))
    _comparar(esperado, obtenido, **tol)
    for o in obtenido if isinstance(obtenido, tuple) else (obtenido,):
        assert o.dtype == dtype and o.device.type == dispositivo


@pytest.mark.ecuacion("atencion-matricial-columnas")
@pytest.mark.parametrize("gemelo", [con_numpy, con_torch], ids=["numpy", "torch"])
def test_columnas_y_filas_coinciden(gemelo, rng):
    """Las dos formas de P&H (softmax por columnas de KᵀQ y la de filas traspuesta) dan lo mismo."""
    args, kwargs = casos(rng)["atencion_columnas_mascara"]
    if gemelo is con_torch:
        args, kwargs = a_torch(args), a_torch(kwargs)
    columnas = a_numpy(gemelo.atencion_columnas(*args, **kwargs))
    filas = a_numpy(gemelo.atencion_columnas(*args, **kwargs, forma="filas"))
    np.testing.assert_allclose(columnas, filas, rtol=1e-10, atol=1e-12)
    np.testing.assert_array_equal(columnas[1, :, 2], 0.0)  # la columna sin claves permitidas da ceros
