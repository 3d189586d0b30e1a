"""Paridad NumPy ↔ PyTorch del capítulo 10 (visión), en float64 (rtol 1e-10) y float32 (atol 1e-5)."""

from __future__ import annotations

import inspect

import numpy as np
import pytest
import torch
from paridad.casos_cap10 import casos
from transformadores import con_numpy, con_torch
from transformadores.con_numpy import vision as vision_np
from transformadores.con_torch import vision as vision_torch
from utiles import a_numpy, a_torch

IDS = {
    "dividir_en_parches": "vit-parches",
    "incrustar_parches": "vit-incrustacion-parches-cls",
    "bloque_vit": "vit-bloque-codificador",
    "clasificar_imagen": "vit-salida-clasificacion",
    "particionar_ventanas": "swin-atencion-ventana",
    "revertir_ventanas": "swin-atencion-ventana",
    "indice_posicion_relativa": "swin-atencion-ventana",
    "mascara_ventanas_desplazadas": "swin-atencion-ventana",
    "atencion_ventanas": "swin-atencion-ventana",
    "bloque_swin": "swin-bloques-consecutivos",
    "bloques_swin": "swin-bloques-consecutivos",
    "fusionar_parches": "swin-fusion-parches",
    "coste_atencion_swin": "swin-complejidad",
}
CLAVES = list(casos(np.random.default_rng(0)))


def _comparar(esperado, obtenido, **tol):
    if isinstance(esperado, tuple):
        for e, o in zip(esperado, obtenido, strict=True):
            _comparar(e, o, **tol)
        return
    if isinstance(esperado, int):
        assert type(obtenido) is int and obtenido == esperado
        return
    obtenido = a_numpy(obtenido)
    assert np.shape(obtenido) == np.shape(esperado)
    if esperado.dtype.kind in "bi":
        np.testing.assert_array_equal(obtenido, esperado)
    else:
        np.testing.assert_allclose(obtenido, esperado, **tol)


def test_cubre_todo_el_modulo():
    """Cada función pública del módulo tiene al menos un caso de paridad y un id."""
    assert {c.split(":")[0] for c in CLAVES} == set(vision_np.__all__) == set(IDS)


@pytest.mark.parametrize("nombre", vision_np.__all__)
def test_firmas_gemelas(nombre):
    assert vision_np.__all__ == vision_torch.__all__
    assert inspect.signature(getattr(con_numpy, nombre)) == inspect.signature(getattr(con_torch, nombre))


@pytest.mark.parametrize("clave", [pytest.param(c, marks=pytest.mark.ecuacion(IDS[c.split(":")[0]])) for c in CLAVES])
@pytest.mark.parametrize(
    "dtype, tol",
    [(torch.float64, {"rtol": 1e-10, "atol": 1e-12}), (torch.float32, {"rtol": 0, "atol": 1e-5})],
    ids=["float64", "float32"],
)
def test_paridad(clave, dtype, tol, rng, dispositivo):
    nombre = clave.split(":")[0]
    args, kwargs = casos(rng)[clave]
    esperado = getattr(con_numpy, nombre)(*args, **kwargs)
    obtenido = getattr(con_torch, nombre)(*a_torch(args, dtype, dispositivo), **a_torch(kwargs, dtype, dispositivo))
    if isinstance(obtenido, torch.Tensor) and obtenido.is_floating_point():
        assert obtenido.dtype == dtype and obtenido.device.type == dispositivo
    _comparar(esperado, obtenido, **tol)


@pytest.mark.ecuacion("swin-atencion-ventana")
def test_bfloat16(rng, dispositivo):
    """La atención en ventanas acepta bfloat16 (tolerancia ≈ 5e-2)."""
    args, kwargs = casos(rng)["atencion_ventanas:SW-MSA"]
    esperado = con_numpy.atencion_ventanas(*args, **kwargs)
    obtenido = con_torch.atencion_ventanas(*a_torch(args, torch.bfloat16, dispositivo), **kwargs)
    assert obtenido.dtype == torch.bfloat16 and obtenido.device.type == dispositivo
    np.testing.assert_allclose(a_numpy(obtenido), esperado, atol=8e-2)
