"""Paridad NumPy ↔ PyTorch del capítulo 12, en float64 (rtol 1e-10) y float32 (atol 1e-5)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from paridad.casos_cap12 import casos
from transformadores import con_numpy, con_torch
from utiles import a_numpy, a_torch

IDS = {
    "clip_incrustaciones": "clip-incrustaciones-normalizadas",
    "clip_logits": "clip-logits-temperatura",
    "clip_perdida": "clip-perdida-simetrica",
    "infonce": "infonce",
    "clip_cero_disparos": "clip-clasificacion-cero-disparos",
    "fusion_cruzada_compuerta": "fusion-atencion-cruzada-compuerta",
}
TOLERANCIAS = [(torch.float64, {"rtol": 1e-10, "atol": 1e-12}), (torch.float32, {"rtol": 0, "atol": 1e-5})]


def _comparar(esperado, obtenido, **tol):
    if isinstance(esperado, tuple):
        for e, o in zip(esperado, obtenido, strict=True):
            _comparar(e, o, **tol)
        return
    obtenido = a_numpy(obtenido)
    assert np.shape(obtenido) == np.shape(esperado)
    np.testing.assert_allclose(obtenido, esperado, **tol)


@pytest.mark.parametrize("nombre", [pytest.param(n, marks=pytest.mark.ecuacion(i)) for n, i in IDS.items()])
@pytest.mark.parametrize("dtype, tol", TOLERANCIAS, ids=["float64", "float32"])
def test_paridad(nombre, dtype, tol, rng, dispositivo):
    args, kwargs = casos(rng)[nombre]
    esperado = getattr(con_numpy, nombre)(*args, **kwargs)
    obtenido = getattr(con_torch, nombre)(*a_torch(args, dtype, dispositivo), **a_torch(kwargs, dtype, dispositivo))
    if isinstance(obtenido, torch.Tensor):
        assert obtenido.device.type == dispositivo and obtenido.dtype == dtype
    _comparar(esperado, obtenido, **tol)


@pytest.mark.ecuacion("clip-logits-temperatura")
@pytest.mark.parametrize("t", [-1.0, np.log(1 / 0.07), 4.0, 7.5])
def test_paridad_recorte_de_la_escala(t, rng):
    """La escala e^t se recorta en 100 en los dos gemelos (t = 7.5 da e^t ≈ 1808)."""
    (I_e, T_e), _ = casos(rng)["clip_logits"]
    esperado = con_numpy.clip_logits(I_e, T_e, t)
    _comparar(esperado, con_torch.clip_logits(*a_torch((I_e, T_e)), torch.tensor(t)), rtol=1e-10, atol=1e-12)
    assert np.abs(esperado).max() <= 100 * (1 + 1e-12)
