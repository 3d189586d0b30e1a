"""Piezas del bloque del transformador (capítulo 6): GELU, red posicional, SwiGLU, dropout,
conexión residual y las dos formas de colocar la normalización (Post-LN y Pre-LN).

Las subcapas se pasan como funciones ``subcapa(x) -> y`` con la forma de ``x``: por ejemplo
``lambda u: atencion_multicabeza(u, W_q, W_k, W_v, W_o, H, mascara=m)`` o
``lambda u: red_posicional(u, W_1, b_1, W_2, b_2)``.
"""

from __future__ import annotations

import math

import numpy as np

from ..ecuaciones import implementa
from ..errores import comprobar_flotante
from ..validacion.bloques import (
    validar_probabilidad,
    validar_red_posicional,
    validar_salida_subcapa,
    validar_subcapa,
    validar_swiglu,
)
from .normalizacion import normalizacion_capa

__all__ = ["gelu", "red_posicional", "swiglu", "dropout", "conexion_residual", "post_ln", "pre_ln"]

_erf = np.vectorize(math.erf, otypes=[np.float64])  # NumPy no trae erf (scipy no es dependencia)


@implementa("gelu")
def gelu(x, aproximada=False):
    """GELU de Hendrycks y Gimpel (ec. `gelu`): ``x·Φ(x)``, con Φ la distribución normal acumulada.

    Exacta: ``x/2 · [1 + erf(x/√2)]`` (``F.gelu(x)``, BERT). Con ``aproximada=True``:
    ``x/2 · [1 + tanh(√(2/π)·(x + 0.044715·x³))]`` (``F.gelu(x, approximate='tanh')``, GPT-2).

    Formas
    ------
    x : cualquiera    salida : la de ``x``
    """
    comprobar_flotante("x", x)
    if aproximada:
        return 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))
    return (0.5 * x * (1 + _erf(x / math.sqrt(2)))).astype(x.dtype, copy=False)


def _activar(x, activacion):
    if activacion == "relu":
        return np.maximum(x, 0)
    return gelu(x, aproximada=activacion == "gelu_tanh")


def _lineal(x, W, b=None):
    y = x @ W.T
    return y if b is None else y + b


@implementa("red-posicional-ffn")
def red_posicional(x, W_1, b_1, W_2, b_2, activacion="relu"):
    """Red prealimentada por posición (ec. `red-posicional-ffn`).

    ``FFN(x) = act(x W_1ᵀ + b_1) W_2ᵀ + b_2``, la misma para cada posición. Vaswani usa ReLU
    (``max(0, ·)``); BERT, ViT y Whisper ``"gelu"``; GPT-2 ``"gelu_tanh"``. Los pesos tienen la
    orientación de ``nn.Linear`` (``linear1.weight``, ``linear2.weight`` de ``nn.TransformerEncoderLayer``).

    Parámetros
    ----------
    b_1, b_2 : sesgos; None = sin sesgo.
    activacion : "relu", "gelu" (exacta) o "gelu_tanh" (aproximada).

    Formas
    ------
    x : (..., d_modelo)    W_1 : (d_ff, d_modelo)    b_1 : (d_ff,)    W_2 : (d_modelo, d_ff)    b_2 : (d_modelo,)
    salida : (..., d_modelo)
    """
    validar_red_posicional(x, W_1, b_1, W_2, b_2, activacion)
    oculta = _activar(_lineal(x, W_1, b_1), activacion)  # (..., d_ff)
    return _lineal(oculta, W_2, b_2)  # (..., d_modelo)


@implementa("swiglu")
def swiglu(x, W, V, W_2):
    """Red posicional con SwiGLU de Shazeer (ec. `swiglu`), sin sesgos como en el artículo.

    ``FFN_SwiGLU(x) = (Swish₁(x Wᵀ) ⊙ x Vᵀ) W_2ᵀ`` con ``Swish₁(z) = z·σ(z)`` (``F.silu``). Para
    igualar los parámetros de la FFN con ReLU se toma ``d_ff ≈ (2/3)·4·d_modelo``.

    Formas
    ------
    x : (..., d_modelo)    W, V : (d_ff, d_modelo)    W_2 : (d_modelo, d_ff)    salida : (..., d_modelo)
    """
    validar_swiglu(x, W, V, W_2)
    a = x @ W.T  # (..., d_ff)
    sigma = 0.5 * (1 + np.tanh(a / 2))  # σ(a) sin desbordar exp
    return (a * sigma * (x @ V.T)) @ W_2.T  # (..., d_modelo)


def dropout(x, p=0.0, rng=None):
    """Dropout invertido (parte de la ec. `conexion-residual`): ``m ⊙ x / (1 - p)``, ``m_i ~ Bernoulli(1 - p)``.

    Con ``p = 0`` devuelve ``x`` tal cual (así se evalúa: ``eval()`` en PyTorch); con ``p = 1``, ceros.
    ``rng`` es un ``np.random.Generator``; None crea uno nuevo sin semilla (pasa uno para
    reproducir el resultado).

    Formas
    ------
    x : cualquiera    salida : la de ``x``
    """
    comprobar_flotante("x", x)
    validar_probabilidad(p)
    if p == 0:
        return x
    if p == 1:
        return np.zeros_like(x)
    rng = np.random.default_rng() if rng is None else rng
    conservar = rng.random(x.shape) >= p  # m_i ~ Bernoulli(1 - p)
    return np.where(conservar, x / (1 - p), 0).astype(x.dtype, copy=False)


@implementa("conexion-residual")
def conexion_residual(x, subcapa, p=0.0, rng=None):
    """Conexión residual con dropout (ec. `conexion-residual`): ``y = x + Dropout_p(Subcapa(x))``.

    Vaswani aplica dropout (``p = 0.1``) a la salida de cada subcapa antes de sumarla.

    Formas
    ------
    x : (..., d_modelo)    subcapa(x) : la forma de ``x``    salida : (..., d_modelo)
    """
    validar_subcapa(x, subcapa)
    y = subcapa(x)
    validar_salida_subcapa(x, y)
    return x + dropout(y, p, rng)


@implementa("post-ln")
def post_ln(x, subcapa, gamma=None, beta=None, eps=1e-5, p=0.0, rng=None):
    """Subcapa Post-LN, la del Transformer original y BERT (ec. `post-ln`): ``LN(x + Subcapa(x))``.

    Una capa de codificador Post-LN son dos llamadas: ``x = post_ln(x, atencion, γ1, β1)`` y
    ``x = post_ln(x, ffn, γ2, β2)``, igual que ``nn.TransformerEncoderLayer(norm_first=False)``.

    Formas
    ------
    x : (..., d_modelo)    gamma, beta : (d_modelo,)    salida : (..., d_modelo)
    """
    return normalizacion_capa(conexion_residual(x, subcapa, p, rng), gamma, beta, eps)


@implementa("pre-ln")
def pre_ln(x, subcapa, gamma=None, beta=None, eps=1e-5, p=0.0, rng=None):
    """Subcapa Pre-LN, la de GPT-2, ViT y Whisper (ec. `pre-ln`): ``x + Subcapa(LN(x))``.

    El camino residual no pasa por ninguna LN; por eso la pila Pre-LN termina con una LN final
    (``normalizacion_capa`` tras la última capa), como ``nn.TransformerEncoderLayer(norm_first=True)``.

    Formas
    ------
    x : (..., d_modelo)    gamma, beta : (d_modelo,)    salida : (..., d_modelo)
    """
    validar_subcapa(x, subcapa)
    return conexion_residual(x, lambda u: subcapa(normalizacion_capa(u, gamma, beta, eps)), p, rng)
