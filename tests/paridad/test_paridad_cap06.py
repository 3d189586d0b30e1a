"""Paridad NumPy ↔ PyTorch del capítulo 6, en float64 (rtol 1e-10) y float32 (atol 1e-5)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from paridad.casos_cap04 import comparar, firmas_iguales
from paridad.casos_cap06 import casos, subcapa_ffn
from transformadores import con_numpy, con_torch
from transformadores.con_numpy import bloques as bl_numpy
from transformadores.con_numpy import normalizacion as norm_numpy
from transformadores.con_torch import bloques as bl_torch
from transformadores.con_torch import normalizacion as norm_torch
from utiles import a_torch

CASOS = [pytest.param(n, marks=pytest.mark.ecuacion(c[1])) for n, c in casos(np.random.default_rng(0)).items()]
TOLERANCIAS = pytest.mark.parametrize(
    "dtype, tol",
    [(torch.float64, {"rtol": 1e-10, "atol": 1e-12}), (torch.float32, {"rtol": 0, "atol": 1e-5})],
    ids=["float64", "float32"],
)


@pytest.mark.parametrize("caso", CASOS)
@TOLERANCIAS
def test_paridad(caso, dtype, tol, rng, dispositivo):
    funcion, _, args, kwargs = casos(rng)[caso]
    esperado = getattr(con_numpy, funcion)(*args, **kwargs)
    obtenido = getattr(con_torch, funcion)(*a_torch(args, dtype, dispositivo), **a_torch(kwargs, dtype, dispositivo))
    assert obtenido.dtype == dtype and obtenido.device.type == dispositivo
    comparar(esperado, obtenido, **tol)


@pytest.mark.parametrize(
    "funcion",
    [pytest.param(f, marks=pytest.mark.ecuacion(f.replace("_", "-"))) for f in ("post_ln", "pre_ln")]
    + [pytest.param("conexion_residual", marks=pytest.mark.ecuacion("conexion-residual"))],
)
@TOLERANCIAS
def test_paridad_subcapas(funcion, dtype, tol, rng, dispositivo):
    """La subcapa es la red posicional de cada gemelo, con los mismos pesos."""
    x, gamma, beta = rng.standard_normal((2, 5, 8)), rng.standard_normal(8), rng.standard_normal(8)
    W = subcapa_ffn(rng)
    W_t = a_torch(W, dtype, dispositivo)
    normas = {} if funcion == "conexion_residual" else {"gamma": gamma, "beta": beta}
    esperado = getattr(con_numpy, funcion)(x, lambda u: con_numpy.red_posicional(u, *W), **normas)
    obtenido = getattr(con_torch, funcion)(
        a_torch(x, dtype, dispositivo),
        lambda u: con_torch.red_posicional(u, *W_t),
        **a_torch(normas, dtype, dispositivo),
    )
    comparar(esperado, obtenido, **tol)


@pytest.mark.ecuacion("normalizacion-capa")
@pytest.mark.parametrize("par", [(norm_numpy, norm_torch), (bl_numpy, bl_torch)])
def test_firmas_de_los_gemelos(par):
    firmas_iguales(*par)
