"""Paridad NumPy ↔ PyTorch del capítulo 1, en float64 (rtol 1e-10) y float32 (atol 1e-5)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from paridad.casos_cap01 import CASOS, casos
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


@pytest.mark.ecuacion("rnn-elman-recurrencia")
@pytest.mark.ecuacion("lstm-celda")
def test_dimensiones_iniciales_extra(rng):
    """Con dos dimensiones de lote (…, T, d_x) los gemelos siguen coincidiendo."""
    X = rng.standard_normal((2, 3, 4, 3))
    W = rng.standard_normal((4, 3)), rng.standard_normal((4, 4)) * 0.5, rng.standard_normal(4)
    W_lstm = rng.standard_normal((16, 3)), rng.standard_normal((16, 4)) * 0.5, rng.standard_normal(16)
    salida = rng.standard_normal((2, 4)), rng.standard_normal(2)
    _comparar(con_numpy.rnn_elman(X, *W, *salida), con_torch.rnn_elman(*a_torch((X, *W, *salida))), rtol=1e-10)
    _comparar(con_numpy.lstm(X, *W_lstm), con_torch.lstm(*a_torch((X, *W_lstm))), rtol=1e-10)
    assert con_numpy.jacobiano_rnn(X, *W, k=1).shape == (2, 3, 4, 4)
    _comparar(con_numpy.jacobiano_rnn(X, *W, k=1), con_torch.jacobiano_rnn(*a_torch((X, *W)), k=1), rtol=1e-10)
