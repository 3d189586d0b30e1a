"""Paridad NumPy ↔ PyTorch del capítulo 3, en float64 (rtol 1e-10) y float32 (atol 1e-5)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from paridad.casos_cap03 import casos
from transformadores import con_numpy, con_torch
from utiles import a_numpy, a_torch

IDS = {
    "softmax": "softmax",
    "log_softmax": "log-softmax-estable",
    "atencion_escalada": "atencion-producto-escalado",
    "atencion_consulta_unica": "atencion-consulta-unica",
    "atencion_cruzada": "atencion-cruzada",
    "mascara_aditiva": "mascara-aditiva",
    "mascara_relleno": "mascara-relleno",
    "mascara_causal": "mascara-causal",
    "combinar_mascaras": "mascara-combinada",
}


def _comparar(esperado, obtenido, **tol):
    if isinstance(esperado, tuple):
        for e, o in zip(esperado, obtenido, strict=True):
            _comparar(e, o, **tol)
        return
    obtenido = a_numpy(obtenido)
    assert np.shape(obtenido) == np.shape(esperado)
    np.testing.assert_allclose(obtenido, esperado, **tol)


@pytest.mark.parametrize("nombre", [pytest.param(n, marks=pytest.mark.ecuacion(i)) for n, i in IDS.items()])
@pytest.mark.parametrize(
    "dtype, tol",
    [(torch.float64, {"rtol": 1e-10, "atol": 1e-12}), (torch.float32, {"rtol": 0, "atol": 1e-5})],
    ids=["float64", "float32"],
)
def test_paridad(nombre, dtype, tol, rng, dispositivo):
    args, kwargs = casos(rng)[nombre]
    esperado = getattr(con_numpy, nombre)(*args, **kwargs)
    obtenido = getattr(con_torch, nombre)(*a_torch(args, dtype, dispositivo), **a_torch(kwargs, dtype, dispositivo))
    _comparar(esperado, obtenido, **tol)


@pytest.mark.ecuacion("atencion-producto-escalado")
def test_paridad_con_pesos(rng):
    args, kwargs = casos(rng)["atencion_escalada"]
    salida, pesos = con_numpy.atencion_escalada(*args, **kwargs, devolver_pesos=True)
    salida_t, pesos_t = con_torch.atencion_escalada(*a_torch(args), **a_torch(kwargs), devolver_pesos=True)
    _comparar((salida, pesos), (salida_t, pesos_t), rtol=1e-10, atol=1e-12)


@pytest.mark.ecuacion("varianza-producto-escalar")
@pytest.mark.parametrize("gemelo", [con_numpy, con_torch], ids=["numpy", "torch"])
@pytest.mark.parametrize("d_k", [4, 64, 512])
def test_varianza_producto_escalar(gemelo, d_k):
    """Monte Carlo: media ≈ 0 y varianza ≈ d_k (error relativo de la varianza < 3 %)."""
    media, varianza = gemelo.varianza_producto_escalar(d_k, n_muestras=40_000)
    assert abs(media) < 5 * np.sqrt(d_k / 40_000)
    assert varianza / d_k == pytest.approx(1.0, abs=0.03)


def test_bfloat16(rng, dispositivo):
    """Los gemelos PyTorch aceptan bfloat16 (tolerancia ≈ 1e-2)."""
    args, kwargs = casos(rng)["atencion_escalada"]
    esperado = con_numpy.atencion_escalada(*args, **kwargs)
    obtenido = con_torch.atencion_escalada(
        *a_torch(args, torch.bfloat16, dispositivo), **a_torch(kwargs, torch.bfloat16, dispositivo)
    )
    assert obtenido.dtype == torch.bfloat16 and obtenido.device.type == dispositivo
    np.testing.assert_allclose(a_numpy(obtenido), esperado, atol=5e-2)


@pytest.mark.ecuacion("mascara-causal")
@pytest.mark.parametrize("T, S", [(5, 5), (3, 7)])
@pytest.mark.parametrize("devolver_pesos", [False, True])
def test_causal_igual_a_mascara_causal(T, S, devolver_pesos, rng, dispositivo):
    """``causal=True`` equivale a pasar ``mascara_causal(T, S)``, también con otra máscara y con S > T."""
    Q, K, V = rng.standard_normal((2, T, 4)), rng.standard_normal((2, S, 4)), rng.standard_normal((2, S, 3))
    relleno = (np.arange(S) < np.array([S, 2])[:, None])[:, None, :]
    for extra in (None, relleno):
        esperado = con_numpy.atencion_escalada(
            Q, K, V, con_numpy.combinar_mascaras(con_numpy.mascara_causal(T, S), *([] if extra is None else [extra]))
        )
        np.testing.assert_allclose(con_numpy.atencion_escalada(Q, K, V, extra, causal=True), esperado, atol=1e-12)
        t = a_torch((Q, K, V, extra), None, dispositivo)
        obtenido = con_torch.atencion_escalada(*t, causal=True, devolver_pesos=devolver_pesos)
        _comparar(esperado, obtenido[0] if devolver_pesos else obtenido, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("nombre", [n for n in IDS if not n.startswith(("mascara", "combinar"))])
def test_numpy_conserva_float32(nombre, rng):
    """Con entradas float32, el gemelo NumPy devuelve float32 (sin subir a float64 por un escalar)."""
    args, kwargs = casos(rng)[nombre]
    a32 = tuple(a.astype(np.float32) if isinstance(a, np.ndarray) and a.dtype == np.float64 else a for a in args)
    salida = getattr(con_numpy, nombre)(*a32, **kwargs)
    assert salida.dtype == np.float32, salida.dtype
