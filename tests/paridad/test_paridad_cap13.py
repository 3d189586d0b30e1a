"""Paridad NumPy ↔ PyTorch del capítulo 13, en float64 (rtol 1e-10) y float32 (atol 1e-5)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from paridad.casos_cap13 import casos
from transformadores import con_numpy, con_torch
from utiles import a_numpy, a_torch

IDS = {
    "retorno_por_obtener": "retorno-por-obtener",
    "retorno_por_obtener:descontado": "retorno-por-obtener",
    "decision_transformer_tokens": "decision-transformer-tokens",
    "decision_transformer_perdida": "decision-transformer-perdida",
    "decision_transformer_perdida:continua": "decision-transformer-perdida",
    "evaluar_decision_transformer": "decision-transformer-evaluacion",
    "codificar_mu_law": "gato-mu-law",
    "decodificar_mu_law": "gato-mu-law",
    "discretizar_mu_law": "gato-mu-law",
}
TOLERANCIAS = [(torch.float64, {"rtol": 1e-10, "atol": 1e-12}), (torch.float32, {"rtol": 1e-6, "atol": 1e-5})]


def _comparar(esperado, obtenido, **tol):
    if isinstance(esperado, tuple):
        for e, o in zip(esperado, obtenido, strict=True):
            _comparar(e, o, **tol)
        return
    obtenido = a_numpy(obtenido)
    assert np.shape(obtenido) == np.shape(esperado)
    np.testing.assert_allclose(obtenido, esperado, **tol)


@pytest.mark.parametrize("caso", [pytest.param(n, marks=pytest.mark.ecuacion(i)) for n, i in IDS.items()])
@pytest.mark.parametrize("dtype, tol", TOLERANCIAS, ids=["float64", "float32"])
def test_paridad(caso, dtype, tol, rng, dispositivo):
    nombre = caso.split(":")[0]
    args, kwargs = casos(rng)[caso]
    esperado = getattr(con_numpy, nombre)(*args, **kwargs)
    obtenido = getattr(con_torch, nombre)(*a_torch(args, dtype, dispositivo), **a_torch(kwargs, dtype, dispositivo))
    for t in obtenido if isinstance(obtenido, tuple) else (obtenido,):
        assert t.device.type == dispositivo and (t.dtype == dtype or not t.is_floating_point())
    _comparar(esperado, obtenido, **tol)


@pytest.mark.ecuacion("gato-mu-law")
@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
def test_paridad_reconstruir(dtype, rng, dispositivo):
    indices = rng.integers(0, 1024, (3, 40))
    esperado = con_numpy.reconstruir_mu_law(indices, dtype=np.float64)
    obtenido = con_torch.reconstruir_mu_law(torch.from_numpy(indices).to(dispositivo), dtype=dtype)
    assert obtenido.dtype == dtype
    np.testing.assert_allclose(a_numpy(obtenido), esperado, rtol=1e-10 if dtype == torch.float64 else 1e-6)
