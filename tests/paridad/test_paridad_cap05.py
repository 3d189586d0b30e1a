"""Paridad NumPy ↔ PyTorch del capítulo 5, en float64 (rtol 1e-10) y float32 (atol 1e-5)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from paridad.casos_cap04 import comparar, firmas_iguales
from paridad.casos_cap05 import TABLAS, casos
from transformadores import con_numpy, con_torch
from transformadores.con_numpy import incrustaciones as inc_numpy
from transformadores.con_numpy import posiciones as pos_numpy
from transformadores.con_numpy import posiciones_relativas as rel_numpy
from transformadores.con_torch import incrustaciones as inc_torch
from transformadores.con_torch import posiciones as pos_torch
from transformadores.con_torch import posiciones_relativas as rel_torch
from utiles import a_torch

CASOS = [pytest.param(n, marks=pytest.mark.ecuacion(c[1])) for n, c in casos(np.random.default_rng(0)).items()]


@pytest.mark.parametrize("caso", CASOS)
@pytest.mark.parametrize(
    "dtype, tol",
    [(torch.float64, {"rtol": 1e-10, "atol": 1e-12}), (torch.float32, {"rtol": 0, "atol": 1e-5})],
    ids=["float64", "float32"],
)
def test_paridad(caso, dtype, tol, rng, dispositivo):
    funcion, _, args, kwargs = casos(rng)[caso]
    esperado = getattr(con_numpy, funcion)(*args, **kwargs)
    if funcion in TABLAS:
        obtenido = getattr(con_torch, funcion)(*args, **kwargs, dtype=dtype)
    else:
        obtenido = getattr(con_torch, funcion)(
            *a_torch(args, dtype, dispositivo), **a_torch(kwargs, dtype, dispositivo)
        )
        assert obtenido.device.type == dispositivo
    assert obtenido.dtype == dtype
    comparar(esperado, obtenido, **tol)


@pytest.mark.ecuacion("incrustacion-token")
@pytest.mark.parametrize("par", [(inc_numpy, inc_torch), (pos_numpy, pos_torch), (rel_numpy, rel_torch)])
def test_firmas_de_los_gemelos(par):
    firmas_iguales(*par)


@pytest.mark.ecuacion("rope-rotatoria")
def test_rope_bfloat16(rng, dispositivo):
    x = rng.standard_normal((3, 6, 8))
    obtenido = con_torch.aplicar_rope(a_torch(x, torch.bfloat16, dispositivo), inicio=100)
    assert obtenido.dtype == torch.bfloat16
    comparar(con_numpy.aplicar_rope(x, inicio=100), obtenido, rtol=0, atol=5e-2)
