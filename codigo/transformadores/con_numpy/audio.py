"""Audio: STFT, espectrograma log-mel y tallo convolucional de Whisper (capítulo 11).

Parámetros de Whisper por omisión: ``f_s = 16 kHz``, ``n_fft = 400`` (25 ms), ``salto = 160``
(10 ms), 80 bandas mel con la escala y la normalización de Slaney. Las señales van con el tiempo
en el último eje, ``(..., L)``; los espectrogramas, ``(..., frecuencias, tramas)``.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

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

    ``X[ω, m] = Σ_k w[k] x[mH + k] e^{-j2πωk/N_fft}``: la señal se rellena por reflexión con
    ``n_fft/2`` muestras a cada lado, se corta en tramas de ``n_fft`` con salto ``H`` y a cada
    trama, multiplicada por la ventana, se le aplica ``rfft``. Ventana de Hann periódica por omisión.

    Formas
    ------
    x : (..., L), con L > n_fft/2    ventana : (n_fft,)
    salida : (..., n_fft/2 + 1, T), compleja, con T = 1 + ⌊L / salto⌋ tramas
    """
    validar_senal(x, n_fft, salto)
    if ventana is None:
        ventana = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n_fft) / n_fft)  # Hann periódica
    comprobar_forma("ventana", ventana, (n_fft,))
    r = n_fft // 2
    relleno = np.pad(x, [(0, 0)] * (x.ndim - 1) + [(r, r)], mode="reflect")  # (..., L + 2r)
    tramas = sliding_window_view(relleno, n_fft, axis=-1)[..., ::salto, :]  # (..., T, n_fft)
    X = np.fft.rfft(tramas * ventana.astype(x.dtype), axis=-1)  # (..., T, n_fft/2 + 1)
    return np.swapaxes(X, -1, -2)  # (..., n_fft/2 + 1, T)


@implementa("espectrograma-potencia")
def espectrograma_potencia(x, n_fft=400, salto=160):
    """Espectro de potencia ``S = |X|²`` de la STFT con ventana de Hann (ec. `espectrograma-potencia`).

    Conserva todas las tramas, como ``torchaudio.transforms.Spectrogram(power=2)``; Whisper
    descarta la última (``S[..., :-1]``) para quedarse con 3000 tramas en 30 s.

    Formas
    ------
    x : (..., L)    salida : (..., n_fft/2 + 1, T), real y no negativa, T = 1 + ⌊L / salto⌋
    """
    X = stft(x, n_fft, salto)
    return X.real**2 + X.imag**2  # (..., n_fft/2 + 1, T)


def _como_arreglo(f):
    return np.asarray(f, dtype=np.float64) if isinstance(f, (int, float)) else f


@implementa("escala-mel")
def escala_mel(f, escala="slaney"):
    """Hercios → mel, con la fórmula HTK o la de Slaney (ec. `escala-mel`).

    HTK: ``2595 log10(1 + f/700)``. Slaney (librosa, Whisper): lineal ``3f/200`` por debajo de
    1 kHz y logarítmica por encima, ``15 + 27 ln(f/1000) / ln 6.4``.

    Formas
    ------
    f : (...) en Hz, no negativas (o un número)    salida : (...) en mel
    """
    f = _como_arreglo(f)
    validar_frecuencias("f", f, escala)
    if escala == "htk":
        return 2595.0 * np.log10(1.0 + f / 700.0)
    lineal = 3.0 * f / 200.0
    logaritmica = 15.0 + np.log(np.maximum(f, 1000.0) / 1000.0) / _PASO_LOG_SLANEY
    return np.where(f >= 1000.0, logaritmica, lineal)


def mel_a_hercios(m, escala="slaney"):
    """Mel → hercios, la inversa exacta de :func:`escala_mel` (ec. `escala-mel`).

    Formas
    ------
    m : (...) en mel, no negativos (o un número)    salida : (...) en Hz
    """
    m = _como_arreglo(m)
    validar_frecuencias("m", m, escala)
    if escala == "htk":
        return 700.0 * (10.0 ** (m / 2595.0) - 1.0)
    lineal = 200.0 * m / 3.0
    logaritmica = 1000.0 * np.exp(_PASO_LOG_SLANEY * (np.maximum(m, 15.0) - 15.0))
    return np.where(m >= 15.0, logaritmica, lineal)


@implementa("banco-filtros-mel")
def banco_filtros_mel(n_fft=400, n_mels=80, f_muestreo=16000, f_min=0.0, f_max=None, escala="slaney",
                      norma="slaney", dtype=None):  # fmt: skip
    """Banco de filtros triangulares en la escala mel (ec. `banco-filtros-mel`).

    ``n_mels + 2`` frecuencias ``f_b`` equiespaciadas en mel entre ``f_min`` y ``f_max``
    (``f_s/2`` por omisión); el filtro ``b`` sube de ``f_{b-1}`` a ``f_b`` y baja hasta
    ``f_{b+1}``. Con ``norma='slaney'`` se multiplica por ``2/(f_{b+1} - f_{b-1})`` (área 1 en
    hercios), como ``librosa.filters.mel`` y Whisper. ``Mel = H S``.

    Formas
    ------
    salida H : (n_mels, n_fft/2 + 1), ``dtype`` (float64 por omisión)
    """
    f_max = validar_banco_mel(n_fft, n_mels, f_muestreo, f_min, f_max, escala, norma)
    frecuencias = np.arange(n_fft // 2 + 1) * f_muestreo / n_fft  # (n_fft/2 + 1,), las de rfft
    extremos = escala_mel(np.array([f_min, f_max], dtype=np.float64), escala)
    f_b = mel_a_hercios(np.linspace(extremos[0], extremos[1], n_mels + 2), escala)  # (n_mels + 2,)
    subida = (frecuencias - f_b[:-2, None]) / (f_b[1:-1] - f_b[:-2])[:, None]  # (n_mels, n_fft/2 + 1)
    bajada = (f_b[2:, None] - frecuencias) / (f_b[2:] - f_b[1:-1])[:, None]
    H = np.maximum(0.0, np.minimum(subida, bajada))
    if norma == "slaney":
        H = H * (2.0 / (f_b[2:] - f_b[:-2]))[:, None]
    return H.astype(dtype or np.float64)


@implementa("log-mel-whisper")
def log_mel_whisper(mel):
    """Normalización log-mel de Whisper (ec. `log-mel-whisper`).

    ``L = log10(max(Mel, 1e-10))``; ``L ← max(L, max(L) - 8)`` (80 dB de rango dinámico);
    ``L̃ = (L + 4)/4``. El máximo se toma sobre cada espectrograma ``(n_mels, T)``; Whisper, que
    procesa un audio cada vez, lo toma sobre el tensor entero.

    Formas
    ------
    mel : (..., n_mels, T), no negativo    salida : (..., n_mels, T)
    """
    validar_mel(mel)
    L = np.log10(np.maximum(mel, 1e-10))
    L = np.maximum(L, L.max(axis=(-2, -1), keepdims=True) - 8.0)
    return (L + 4.0) / 4.0


def _conv1d(x, W, b, paso):
    relleno = np.pad(x, [(0, 0)] * (x.ndim - 1) + [(1, 1)])  # (..., C_in, T + 2), ceros
    tramos = sliding_window_view(relleno, W.shape[-1], axis=-1)[..., ::paso, :]  # (..., C_in, T', k)
    return np.einsum("...itk,oik->...ot", tramos, W) + b[:, None]  # (..., C_out, T')


@implementa("conv-submuestreo-whisper")
def submuestreo_convolucional(L, W_1, b_1, W_2, b_2, PE=None):
    """Tallo convolucional de Whisper: dos Conv1d (k=3, p=1) con GELU; la segunda con paso 2.

    ``H_1 = GELU(Conv1d_{s=1}(L̃))``, ``H_2 = GELU(Conv1d_{s=2}(H_1))``, ``Z_0 = H_2ᵀ + PE``
    (ec. `conv-submuestreo-whisper`). 3000 tramas de 10 ms pasan a 1500 tokens de 20 ms.

    Formas
    ------
    L : (..., n_mels, T)    W_1 : (d, n_mels, 3)    b_1 : (d,)    W_2 : (d, d, 3)    b_2 : (d,)
    PE : (T', d) o None    salida Z_0 : (..., T', d), T' = ⌊(T - 1)/2⌋ + 1
    """
    validar_submuestreo(L, W_1, b_1, W_2, b_2, PE)
    H_1 = gelu(_conv1d(L, W_1, b_1, paso=1))  # (..., d, T)
    H_2 = gelu(_conv1d(H_1, W_2, b_2, paso=2))  # (..., d, T')
    Z_0 = np.swapaxes(H_2, -1, -2)  # (..., T', d)
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

    ``PE[p, i] = sin(p·ω_i)`` y ``PE[p, C/2 + i] = cos(p·ω_i)``, con
    ``ω_i = escala_max^{-i/(C/2 - 1)}``: senos y cosenos concatenados (no intercalados, como en
    Vaswani) y un exponente que llega exactamente a ``1/escala_max``.

    Formas
    ------
    salida : (longitud, canales), ``dtype`` (float64 por omisión)
    """
    validar_sinusoides(longitud, canales, escala_max)
    incremento = math.log(escala_max) / (canales // 2 - 1)
    omega = np.exp(-incremento * np.arange(canales // 2))  # (C/2,)
    angulos = np.arange(longitud)[:, None] * omega[None, :]  # (longitud, C/2)
    return np.concatenate([np.sin(angulos), np.cos(angulos)], axis=1).astype(dtype or np.float64)


@implementa("ast-parches-espectrograma")
def parches_espectrograma(espectrograma, tamano=16, paso=10):
    """Parches solapados del espectrograma, como AST (ec. `ast-parches-espectrograma`).

    Parches de ``tamano×tamano`` con ``paso < tamano`` (se solapan), recorridos por filas de
    frecuencia y aplanados por filas; ``N = ⌊(F - 16)/10 + 1⌋·⌊(T - 16)/10 + 1⌋`` con los valores
    de AST. Equivale a ``F.unfold(espectrograma[:, None], tamano, stride=paso).transpose(1, 2)``.

    Formas
    ------
    espectrograma : (..., F, T)    salida : (..., N, tamano²)
    """
    validar_parches_espectrograma(espectrograma, tamano, paso)
    v = sliding_window_view(espectrograma, (tamano, tamano), axis=(-2, -1))  # (..., F', T', k, k)
    v = v[..., ::paso, ::paso, :, :]  # (..., n_F, n_T, k, k)
    return v.reshape(*v.shape[:-4], v.shape[-4] * v.shape[-3], tamano * tamano)  # (..., N, k²)
