"""Aprendizaje multimodal: CLIP, InfoNCE y la fusión de Flamingo (capítulo 12), gemelo PyTorch.

Las temperaturas y compuertas (``t``, ``alfa_xattn``, ``alfa_ffw``) pueden ser números o tensores
de un elemento (p. ej. un ``nn.Parameter``): en ese caso el gradiente llega hasta ellas.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from ..ecuaciones import implementa
from ..validacion.multimodal import (
    validar_clip_incrustaciones,
    validar_clip_logits,
    validar_fusion_compuerta,
    validar_infonce,
    validar_logits_cuadrados,
)
from .atencion import atencion_cruzada
from .softmax import log_softmax, softmax

__all__ = [
    "clip_incrustaciones",
    "clip_logits",
    "clip_perdida",
    "infonce",
    "clip_cero_disparos",
    "fusion_cruzada_compuerta",
]

T_INICIAL = math.log(1 / 0.07)  # t₀ de CLIP: escala inicial e^t ≈ 14.3


def _escalar(x, referencia):
    """Un número o tensor de un elemento, en el dispositivo y tipo de ``referencia`` (conserva el gradiente)."""
    return torch.as_tensor(x, dtype=referencia.dtype, device=referencia.device).reshape(())


def _normalizar(x, eps=1e-12):
    """``x / max(‖x‖₂, eps)`` por filas, como ``F.normalize``."""
    return x / torch.linalg.vector_norm(x, dim=-1, keepdim=True).clamp_min(eps)


@implementa("clip-incrustaciones-normalizadas")
def clip_incrustaciones(I_f, T_f, W_i, W_t):
    """Proyección lineal y normalización L2 de CLIP (ec. `clip-incrustaciones-normalizadas`).

    Formas
    ------
    I_f : (..., n, d_i)    T_f : (..., m, d_t)    W_i : (d_e, d_i)    W_t : (d_e, d_t)
    devuelve (I_e, T_e) : (..., n, d_e) y (..., m, d_e), filas de norma 1
    """
    validar_clip_incrustaciones(I_f, T_f, W_i, W_t)
    I_e = _normalizar(F.linear(I_f, W_i))  # (..., n, d_e)
    T_e = _normalizar(F.linear(T_f, W_t))  # (..., m, d_e)
    return I_e, T_e


@implementa("clip-logits-temperatura")
def clip_logits(I_e, T_e, t=T_INICIAL, escala_maxima=100.0):
    """Similitudes coseno escaladas, ``I_e T_eᵀ · min(e^t, 100)`` (ec. `clip-logits-temperatura`).

    Formas
    ------
    I_e : (..., n, d_e)    T_e : (..., m, d_e)    t : escalar (o tensor de un elemento)
    salida : (..., n, m); la diagonal son los pares positivos
    """
    validar_clip_logits(I_e, T_e, t, escala_maxima)
    escala = _escalar(t, I_e).exp().clamp(max=escala_maxima)
    return (I_e @ T_e.transpose(-2, -1)) * escala  # (..., n, m)


@implementa("clip-perdida-simetrica")
def clip_perdida(logits):
    """Pérdida contrastiva simétrica de CLIP (ec. `clip-perdida-simetrica`).

    Equivale a ``(F.cross_entropy(logits, arange(n)) + F.cross_entropy(logits.T, arange(n))) / 2``.

    Formas
    ------
    logits : (n, n)    salida : escalar (tensor de dimensión 0)

    Lanza
    -----
    ErrorDeForma si ``logits`` no es una matriz cuadrada.
    """
    validar_logits_cuadrados(logits)
    imagen_a_texto = torch.diagonal(log_softmax(logits, eje=-1))  # (n,)
    texto_a_imagen = torch.diagonal(log_softmax(logits, eje=0))  # (n,)
    return -(imagen_a_texto.mean() + texto_a_imagen.mean()) / 2


@implementa("infonce")
def infonce(c, X, tau=0.07):
    """InfoNCE con similitud coseno, el positivo en el candidato 0 (ec. `infonce`).

    Equivale a ``F.cross_entropy(cos(X, c)/τ, 0)``.

    Formas
    ------
    c : (..., d)    X : (..., N, d), ``X[..., 0, :]`` es el positivo    salida : escalar
    """
    validar_infonce(c, X, tau)
    similitudes = torch.einsum("...nd,...d->...n", _normalizar(X), _normalizar(c)) / tau  # (..., N)
    return -log_softmax(similitudes, eje=-1)[..., 0].mean()


@implementa("clip-clasificacion-cero-disparos")
def clip_cero_disparos(I_e, T_clases, t=T_INICIAL, escala_maxima=100.0):
    """Clasificación sin ejemplos con CLIP, ``softmax(e^t I_e T_clasesᵀ)`` (ec. `clip-clasificacion-cero-disparos`).

    Formas
    ------
    I_e : (..., n, d_e)    T_clases : (K, d_e)    t : escalar
    salida : (..., n, K), cada fila suma 1
    """
    validar_clip_logits(I_e, T_clases, t, escala_maxima, "T_clases", "K d_e")
    logits = clip_logits(_normalizar(I_e), _normalizar(T_clases), t, escala_maxima)  # (..., n, K)
    return softmax(logits, eje=-1)


def _ffn(y, W_1, b_1, W_2, b_2):
    """Red prealimentada por posición con ReLU."""
    return F.linear(F.relu(F.linear(y, W_1, b_1)), W_2, b_2)  # (..., T, d)


@implementa("fusion-atencion-cruzada-compuerta")
def fusion_cruzada_compuerta(x, v, W_q, W_k, W_v, W_o, alfa_xattn, W_1, b_1, W_2, b_2, alfa_ffw, mascara_v=None):
    """Fusión por atención cruzada con compuertas tanh, como Flamingo (ec. `fusion-atencion-cruzada-compuerta`).

    ``y = x + tanh(α_xattn)·CrossAttn(x, v) W_oᵀ``; ``y ← y + tanh(α_ffw)·FFN(y)``. Con ``α = 0``
    la salida es exactamente ``x``.

    Formas
    ------
    x : (..., T, d)    v : (..., S, d_v)
    W_q : (d_k, d)    W_k : (d_k, d_v)    W_v : (d_h, d_v)    W_o : (d, d_h)
    W_1 : (d_ff, d)    b_1 : (d_ff,)    W_2 : (d, d_ff)    b_2 : (d,)
    alfa_xattn, alfa_ffw : escalares    mascara_v : (..., S), booleana; True = rasgo real
    salida : (..., T, d)
    """
    validar_fusion_compuerta(x, v, W_q, W_k, W_v, W_o, alfa_xattn, W_1, b_1, W_2, b_2, alfa_ffw, mascara_v)
    a = F.linear(atencion_cruzada(x, v, W_q, W_k, W_v, mascara_v), W_o)  # (..., T, d)
    y = x + torch.tanh(_escalar(alfa_xattn, x)) * a
    return y + torch.tanh(_escalar(alfa_ffw, x)) * _ffn(y, W_1, b_1, W_2, b_2)
