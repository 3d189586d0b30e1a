"""Paridad NumPy ↔ PyTorch del capítulo 14, en float64 (rtol 1e-10) y float32 (atol 1e-5)."""

from __future__ import annotations

import inspect

import numpy as np
import pytest
import torch
from paridad.casos_cap14 import casos
from transformadores import con_numpy, con_torch
from utiles import a_numpy, a_torch

IDS = {
    "complejidad_por_capa": "complejidad-por-capa",
    "flops_capa_transformer": "flops-capa-transformer",
    "flops_entrenamiento": "flops-entrenamiento-6n",
    "memoria_atencion": "memoria-atencion-cuadratica",
    "softmax_en_linea": "softmax-en-linea",
    "softmax_en_linea:eje0": "softmax-en-linea",
    "atencion_por_teselas": "flashattention-teselas",
    "atencion_por_teselas:causal": "flashattention-teselas",
    "nucleo_elu": "atencion-lineal-nucleo",
    "atencion_lineal": "atencion-lineal-nucleo",
    "atencion_lineal_causal": "atencion-lineal-causal-recurrente",
    "mascara_ventana_deslizante": "atencion-ventana-deslizante",
    "mascara_ventana_deslizante:causal": "atencion-ventana-deslizante",
    "atencion_ventana_deslizante": "atencion-ventana-deslizante",
    "atencion_ventana_deslizante:causal": "atencion-ventana-deslizante",
    "mascaras_estriadas": "atencion-dispersa-estriada",
}
TOLERANCIAS = [(torch.float64, {"rtol": 1e-10, "atol": 1e-12}), (torch.float32, {"rtol": 0, "atol": 1e-5})]


def _comparar(esperado, obtenido, **tol):
    if isinstance(esperado, dict):
        assert esperado.keys() == obtenido.keys()
        for clave in esperado:
            _comparar(esperado[clave], obtenido[clave], **tol)
        return
    if isinstance(esperado, tuple):
        for e, o in zip(esperado, obtenido, strict=True):
            _comparar(e, o, **tol)
        return
    if isinstance(obtenido, torch.Tensor):
        assert obtenido.dtype in (tol["dtype"], torch.bool)
    obtenido = a_numpy(obtenido)
    assert np.shape(obtenido) == np.shape(esperado)
    np.testing.assert_allclose(obtenido, esperado, rtol=tol["rtol"], atol=tol["atol"])


@pytest.mark.parametrize("caso", [pytest.param(n, marks=pytest.mark.ecuacion(i)) for n, i in IDS.items()])
@pytest.mark.parametrize("dtype, tol", TOLERANCIAS, ids=["float64", "float32"])
def test_paridad(caso, dtype, tol, rng, dispositivo):
    nombre = caso.split(":")[0]
    args, kwargs = casos(rng)[caso]
    esperado = getattr(con_numpy, nombre)(*args, **kwargs)
    obtenido = getattr(con_torch, nombre)(*a_torch(args, dtype, dispositivo), **a_torch(kwargs, dtype, dispositivo))
    _comparar(esperado, obtenido, dtype=dtype, **tol)


@pytest.mark.parametrize("nombre", sorted({c.split(":")[0] for c in IDS}))
def test_firmas_gemelas(nombre):
    assert inspect.signature(getattr(con_numpy, nombre)) == inspect.signature(getattr(con_torch, nombre))


@pytest.mark.ecuacion("flashattention-teselas")
def test_bfloat16(rng, dispositivo):
    """La atención por teselas acepta bfloat16 (tolerancia ≈ 1e-2)."""
    args, kwargs = casos(rng)["atencion_por_teselas:causal"]
    esperado = con_numpy.atencion_por_teselas(*args, **kwargs)
    obtenido = con_torch.atencion_por_teselas(*a_torch(args, torch.bfloat16, dispositivo), **kwargs)
    assert obtenido.dtype == torch.bfloat16 and obtenido.device.type == dispositivo
    np.testing.assert_allclose(a_numpy(obtenido), esperado, atol=6e-2)
