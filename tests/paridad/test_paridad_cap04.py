"""Paridad NumPy ↔ PyTorch del capítulo 4, en float64 (rtol 1e-10) y float32 (atol 1e-5)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from paridad.casos_cap04 import casos, comparar, firmas_iguales
from transformadores import con_numpy, con_torch
from transformadores.con_numpy import multicabeza as mc_numpy
from transformadores.con_torch import multicabeza as mc_torch
from utiles import a_torch

TOLERANCIAS = pytest.mark.parametrize(
    "dtype, tol",
    [(torch.float64, {"rtol": 1e-10, "atol": 1e-12}), (torch.float32, {"rtol": 0, "atol": 1e-5})],
    ids=["float64", "float32"],
)
CASOS = [pytest.param(n, marks=pytest.mark.ecuacion(c[1])) for n, c in casos(np.random.default_rng(0)).items()]


@pytest.mark.parametrize("caso", CASOS)
@TOLERANCIAS
def test_paridad(caso, dtype, tol, rng, dispositivo):
    funcion, _, args, kwargs = casos(rng)[caso]
    esperado = getattr(con_numpy, funcion)(*args, **kwargs)
    obtenido = getattr(con_torch, funcion)(*a_torch(args, dtype, dispositivo), **a_torch(kwargs, dtype, dispositivo))
    comparar(esperado, obtenido, **tol)
    if isinstance(obtenido, torch.Tensor):
        assert obtenido.dtype == dtype and obtenido.device.type == dispositivo


@pytest.mark.ecuacion("atencion-multicabeza")
def test_firmas_de_los_gemelos():
    firmas_iguales(mc_numpy, mc_torch)


@pytest.mark.ecuacion("atencion-multicabeza")
def test_bfloat16(rng, dispositivo):
    _, _, args, kwargs = casos(rng)["multicabeza"]
    esperado = con_numpy.atencion_multicabeza(*args, **kwargs)
    obtenido = con_torch.atencion_multicabeza(
        *a_torch(args, torch.bfloat16, dispositivo), **a_torch(kwargs, torch.bfloat16, dispositivo)
    )
    assert obtenido.dtype == torch.bfloat16
    comparar(esperado, obtenido, rtol=0, atol=0.3)
