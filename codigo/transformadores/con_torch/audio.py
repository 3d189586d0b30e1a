"""Audio: STFT, espectrograma log-mel y tallo convolucional de Whisper (capítulo 11), gemelo PyTorch.

Mismas funciones y firmas que ``con_numpy.audio``. La STFT se calcula a mano (tramas + ``rfft``)
para que se vea la ecuación; ``torch.stft`` es el oráculo de las pruebas. Las funciones que no
reciben tensores (``banco_filtros_mel``, ``sinusoides_whisper``) devuelven tensores en CPU.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from ..ecuaciones import implementa
from ..errores import comprobar_forma
from ..validacion.audio import (
    validar_banco_mel,
    validar_convolucion,
    validar_frecuencias,
    validar_mel,
    validar_parches_espectrograma,
    validar_senal,
    validar_sinusoides,
    validar_submuestreo,
)
from .bloques import gelu

__all__ = [
    "stft",
    "espectrograma_potencia",
    "escala_mel",
    "mel_a_hercios",
    "banco_filtros_mel",
    "log_mel_whisper",
    "submuestreo_convolucional",
    "longitud_salida_convolucion",
    "sinusoides_whisper",
    "parches_espectrograma",
]

_PASO_LOG_SLANEY = math.log(6.4) / 27  # por encima de 1 kHz, 27 mel por cada factor 6.4


@implementa("stft")
def stft(x, n_fft=400, salto=160, ventana=None):
    """Transformada de Fourier de tiempo corto, como ``torch.stft(center=True)`` (ec. `stft`).

    Relleno reflejado de ``n_fft/2``, tramas de ``n_fft`` con salto ``H``, ventana (Hann
    periódica por omisión) y ``rfft`` de cada trama.

    Formas
    ------
    x : (..., L), con L > n_fft/2    ventana : (n_fft,)
    salida : (..., n_fft/2 + 1, T), compleja, con T = 1 + ⌊L / salto⌋ tramas
    """
    f = validar_senal(x, n_fft, salto)
    if ventana is None:
        ventana = torch.hann_window(n_fft, periodic=True, dtype=x.dtype, device=x.device)
    comprobar_forma("ventana", ventana, (n_fft,))
    r = n_fft // 2
    relleno = F.pad(x.reshape(-1, 1, f["L"]), (r, r), mode="reflect")  # (B', 1, L + 2r)
    relleno = relleno.reshape(*x.shape[:-1], f["L"] + 2 * r)  # (..., L + 2r)
    tramas = relleno.unfold(-1, n_fft, salto)  # (..., T, n_fft)
    X = torch.fft.rfft(tramas * ventana.to(x.device, x.dtype), dim=-1)  # (..., T, n_fft/2 + 1)
    return X.transpose(-1, -2)  # (..., n_fft/2 + 1, T)


@implementa("espectrograma-potencia")
def espectrograma_potencia(x, n_fft=400, salto=160):
    """Espectro de potencia ``S = |X|²`` de la STFT con ventana de Hann (ec. `espectrograma-potencia`).

    Conserva todas las tramas; Whisper descarta la última (``S[..., :-1]``).

    Formas
    ------
    x : (..., L)    salida : (..., n_fft/2 + 1, T), real y no negativa, T = 1 + ⌊L / salto⌋
    """
    X = stft(x, n_fft, salto)
    return X.real**2 + X.imag**2  # (..., n_fft/2 + 1, T)


def _como_tensor(f):
    return torch.tensor(float(f), dtype=torch.float64) if isinstance(f, (int, float)) else f


@implementa("escala-mel")
def escala_mel(f, escala="slaney"):
    """Hercios → mel, con la fórmula HTK o la de Slaney (ec. `escala-mel`).

    HTK: ``2595 log10(1 + f/700)``. Slaney: ``3f/200`` bajo 1 kHz; ``15 + 27 ln(f/1000)/ln 6.4`` encima.

    Formas
    ------
    f : (...) en Hz, no negativas (o un número)    salida : (...) en mel
    """
    f = _como_tensor(f)
    validar_frecuencias("f", f, escala)
    if escala == "htk":
        return 2595.0 * torch.log10(1.0 + f / 700.0)
    lineal = 3.0 * f / 200.0
    logaritmica = 15.0 + torch.log(f.clamp(min=1000.0) / 1000.0) / _PASO_LOG_SLANEY
    return torch.where(f >= 1000.0, logaritmica, lineal)


def mel_a_hercios(m, escala="slaney"):
    """Mel → hercios, la inversa exacta de :func:`escala_mel` (ec. `escala-mel`).

    Formas
    ------
    m : (...) en mel, no negativos (o un número)    salida : (...) en Hz
    """
    m = _como_tensor(m)
    validar_frecuencias("m", m, escala)
    if escala == "htk":
        return 700.0 * (10.0 ** (m / 2595.0) - 1.0)
    lineal = 200.0 * m / 3.0
    logaritmica = 1000.0 * torch.exp(_PASO_LOG_SLANEY * (m.clamp(min=15.0) - 15.0))
    return torch.where(m >= 15.0, logaritmica, lineal)


@implementa("banco-filtros-mel")
def banco_filtros_mel(n_fft=400, n_mels=80, f_muestreo=16000, f_min=0.0, f_max=None, escala="slaney",
                      norma="slaney", dtype=None):  # fmt: skip
    """Banco de filtros triangulares en la escala mel (ec. `banco-filtros-mel`).

    Es la traspuesta de ``torchaudio.functional.melscale_fbanks`` (que devuelve
    ``(n_fft/2 + 1, n_mels)``). Se calcula en float64 y se convierte a ``dtype``.

    Formas
    ------
    salida H : (n_mels, n_fft/2 + 1), ``dtype`` (el de omisión de torch), en CPU
    """
    f_max = validar_banco_mel(n_fft, n_mels, f_muestreo, f_min, f_max, escala, norma)
    frecuencias = torch.arange(n_fft // 2 + 1, dtype=torch.float64) * f_muestreo / n_fft  # (n_fft/2 + 1,)
    extremos = escala_mel(torch.tensor([f_min, f_max], dtype=torch.float64), escala)
    f_b = mel_a_hercios(torch.linspace(extremos[0], extremos[1], n_mels + 2, dtype=torch.float64), escala)
    subida = (frecuencias - f_b[:-2, None]) / (f_b[1:-1] - f_b[:-2])[:, None]  # (n_mels, n_fft/2 + 1)
    bajada = (f_b[2:, None] - frecuencias) / (f_b[2:] - f_b[1:-1])[:, None]
    H = torch.minimum(subida, bajada).clamp(min=0.0)
    if norma == "slaney":
        H = H * (2.0 / (f_b[2:] - f_b[:-2]))[:, None]
    return H.to(dtype or torch.get_default_dtype())


@implementa("log-mel-whisper")
def log_mel_whisper(mel):
    """Normalización log-mel de Whisper (ec. `log-mel-whisper`).

    ``L = log10(max(Mel, 1e-10))``; ``L ← max(L, max(L) - 8)``; ``L̃ = (L + 4)/4``; el máximo se
    toma sobre cada espectrograma ``(n_mels, T)``.

    Formas
    ------
    mel : (..., n_mels, T), no negativo    salida : (..., n_mels, T)
    """
    validar_mel(mel)
    L = torch.log10(mel.clamp(min=1e-10))
    L = torch.maximum(L, L.amax(dim=(-2, -1), keepdim=True) - 8.0)
    return (L + 4.0) / 4.0


@implementa("conv-submuestreo-whisper")
def submuestreo_convolucional(L, W_1, b_1, W_2, b_2, PE=None):
    """Tallo convolucional de Whisper: dos Conv1d (k=3, p=1) con GELU; la segunda con paso 2.

    ``H_1 = GELU(Conv1d_{s=1}(L̃))``, ``H_2 = GELU(Conv1d_{s=2}(H_1))``, ``Z_0 = H_2ᵀ + PE``
    (ec. `conv-submuestreo-whisper`).

    Formas
    ------
    L : (..., n_mels, T)    W_1 : (d, n_mels, 3)    b_1 : (d,)    W_2 : (d, d, 3)    b_2 : (d,)
    PE : (T', d) o None    salida Z_0 : (..., T', d), T' = ⌊(T - 1)/2⌋ + 1
    """
    f = validar_submuestreo(L, W_1, b_1, W_2, b_2, PE)
    x = L.reshape(-1, f["n_mels"], f["T"])  # (B', n_mels, T): conv1d pide un solo eje de lote
    H_1 = gelu(F.conv1d(x, W_1, b_1, stride=1, padding=1))  # (B', d, T)
    H_2 = gelu(F.conv1d(H_1, W_2, b_2, stride=2, padding=1))  # (B', d, T')
    Z_0 = H_2.transpose(-1, -2).reshape(*L.shape[:-2], f["T'"], f["d"])  # (..., T', d)
    return Z_0 if PE is None else Z_0 + PE


@implementa("longitud-salida-convolucion")
def longitud_salida_convolucion(L_in, k, paso=1, relleno=0, dilatacion=1):
    """Longitud de salida de una convolución 1D (ec. `longitud-salida-convolucion`).

    ``L_out = ⌊(L_in + 2p - δ(k - 1) - 1)/s⌋ + 1``, la fórmula de la documentación de ``nn.Conv1d``.

    Formas
    ------
    devuelve L_out : un entero de Python (al menos 1)
    """
    return validar_convolucion(L_in, k, paso, relleno, dilatacion)


@implementa("sinusoides-whisper")
def sinusoides_whisper(longitud, canales, escala_max=10000, dtype=None):
    """Codificación posicional sinusoidal del codificador de Whisper (ec. `sinusoides-whisper`).

    ``PE[p, i] = sin(p·ω_i)``, ``PE[p, C/2 + i] = cos(p·ω_i)``, ``ω_i = escala_max^{-i/(C/2 - 1)}``,
    como ``whisper.model.sinusoids``; se calcula en float64 y se convierte a ``dtype``.

    Formas
    ------
    salida : (longitud, canales), ``dtype`` (el de omisión de torch), en CPU
    """
    validar_sinusoides(longitud, canales, escala_max)
    incremento = math.log(escala_max) / (canales // 2 - 1)
    omega = torch.exp(-incremento * torch.arange(canales // 2, dtype=torch.float64))  # (C/2,)
    angulos = torch.arange(longitud, dtype=torch.float64)[:, None] * omega[None, :]  # (longitud, C/2)
    PE = torch.cat([torch.sin(angulos), torch.cos(angulos)], dim=1)  # (longitud, C)
    return PE.to(dtype or torch.get_default_dtype())


@implementa("ast-parches-espectrograma")
def parches_espectrograma(espectrograma, tamano=16, paso=10):
    """Parches solapados del espectrograma, como AST (ec. `ast-parches-espectrograma`).

    Equivale a ``F.unfold(espectrograma[:, None], tamano, stride=paso).transpose(1, 2)``.

    Formas
    ------
    espectrograma : (..., F, T)    salida : (..., N, tamano²)
    """
    validar_parches_espectrograma(espectrograma, tamano, paso)
    v = espectrograma.unfold(-2, tamano, paso).unfold(-2, tamano, paso)  # (..., n_F, n_T, k, k)
    return v.reshape(*v.shape[:-4], v.shape[-4] * v.shape[-3], tamano * tamano)  # (..., N, k²)
