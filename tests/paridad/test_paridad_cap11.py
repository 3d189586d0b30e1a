"""Paridad NumPy ↔ PyTorch del capítulo 11 (audio), en float64 (rtol 1e-10) y float32 (atol 1e-5)."""

from __future__ import annotations

import inspect

import numpy as np
import pytest
import torch
from paridad.casos_cap11 import casos
from transformadores import con_numpy, con_torch
from transformadores.con_numpy import audio as audio_np
from transformadores.con_torch import audio as audio_torch
from utiles import a_numpy, a_torch

IDS = {
    "stft": "stft",
    "espectrograma_potencia": "espectrograma-potencia",
    "escala_mel": "escala-mel",
    "mel_a_hercios": "escala-mel",
    "banco_filtros_mel": "banco-filtros-mel",
    "log_mel_whisper": "log-mel-whisper",
    "submuestreo_convolucional": "conv-submuestreo-whisper",
    "longitud_salida_convolucion": "longitud-salida-convolucion",
    "sinusoides_whisper": "sinusoides-whisper",
    "parches_espectrograma": "ast-parches-espectrograma",
}
SIN_TENSORES = {"banco_filtros_mel", "sinusoides_whisper"}  # reciben el dtype como argumento
CLAVES = list(casos(np.random.default_rng(0)))


@pytest.fixture(autouse=True)
def sin_tf32():
    """En CUDA, las convoluciones float32 usan TF32 por omisión (10 bits de mantisa): lo apagamos."""
    previo = torch.backends.cudnn.allow_tf32
    torch.backends.cudnn.allow_tf32 = False
    yield
    torch.backends.cudnn.allow_tf32 = previo


def _comparar(esperado, obtenido, **tol):
    if isinstance(esperado, int):
        assert type(obtenido) is int and obtenido == esperado
        return
    obtenido = a_numpy(obtenido)
    assert np.shape(obtenido) == np.shape(esperado)
    np.testing.assert_allclose(obtenido, esperado, **tol)


def test_cubre_todo_el_modulo():
    assert {c.split(":")[0] for c in CLAVES} == set(audio_np.__all__) == set(IDS)


@pytest.mark.parametrize("nombre", audio_np.__all__)
def test_firmas_gemelas(nombre):
    assert audio_np.__all__ == audio_torch.__all__
    assert inspect.signature(getattr(con_numpy, nombre)) == inspect.signature(getattr(con_torch, nombre))


@pytest.mark.parametrize("clave", [pytest.param(c, marks=pytest.mark.ecuacion(IDS[c.split(":")[0]])) for c in CLAVES])
@pytest.mark.parametrize(
    "dtype, tol",
    # en float32 añadimos rtol 1e-6 (≈ 8 ulp): hercios, mel y coeficientes de la STFT llegan a miles
    [(torch.float64, {"rtol": 1e-10, "atol": 1e-12}), (torch.float32, {"rtol": 1e-6, "atol": 1e-5})],
    ids=["float64", "float32"],
)
def test_paridad(clave, dtype, tol, rng, dispositivo):
    nombre = clave.split(":")[0]
    args, kwargs = casos(rng)[clave]
    esperado = getattr(con_numpy, nombre)(*args, **kwargs)
    args_t, kwargs_t = a_torch(args, dtype, dispositivo), a_torch(kwargs, dtype, dispositivo)
    if nombre in SIN_TENSORES:
        kwargs_t["dtype"] = dtype
    obtenido = getattr(con_torch, nombre)(*args_t, **kwargs_t)
    if isinstance(obtenido, torch.Tensor):
        complejo = {torch.float64: torch.complex128, torch.float32: torch.complex64}[dtype]
        assert obtenido.dtype in (dtype, complejo)
        assert obtenido.device.type == ("cpu" if nombre in SIN_TENSORES else dispositivo)
    _comparar(esperado, obtenido, **tol)


@pytest.mark.ecuacion("stft")
def test_numpy_conserva_float32(rng):
    """El gemelo NumPy también respeta float32 (complex64 en la STFT)."""
    x = rng.standard_normal(500).astype(np.float32)
    assert con_numpy.stft(x, 64, 16).dtype == np.complex64
    assert con_numpy.log_mel_whisper(np.abs(x[None, :]) + 0).dtype == np.float32
    assert con_numpy.banco_filtros_mel(dtype=np.float32).dtype == np.float32
