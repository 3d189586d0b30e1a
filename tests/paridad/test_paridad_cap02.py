"""Paridad NumPy ↔ PyTorch del capítulo 2, en float64 (rtol 1e-10) y float32 (atol 1e-5)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from paridad.casos_cap02 import CASOS, casos
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


@pytest.mark.ecuacion("luong-atencion-global")
@pytest.mark.ecuacion("bahdanau-energia-aditiva")
def test_lotes_difundidos(rng):
    """Un mismo ``h_t`` (sin lote) frente a varias fuentes ``h_s`` (B, S, d): se difunde igual en los dos gemelos."""
    (h_t, h_s, W_c, W_s), kwargs = casos(rng)["atencion_global_luong_concat"]
    args = (h_t[0], h_s, W_c, W_s)
    _comparar(
        con_numpy.atencion_global_luong(*args, **kwargs),
        con_torch.atencion_global_luong(*a_torch(args), **a_torch(kwargs)),
        rtol=1e-10,
    )
    s, H, W_a, U_a, v_a = casos(rng)["energia_aditiva"][0]
    args = (s[0], H, W_a, U_a, v_a)
    _comparar(con_numpy.energia_aditiva(*args), con_torch.energia_aditiva(*a_torch(args)), rtol=1e-10)
