"""Piezas del bloque del transformador (capítulo 6), gemelo PyTorch: GELU, red posicional,
SwiGLU, dropout, conexión residual, Post-LN y Pre-LN.

``subcapa`` puede ser cualquier invocable, también un ``nn.Module``. El azar del dropout viene de
``rng`` (un ``torch.Generator`` del dispositivo de ``x``) o, si es None, del generador global.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

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


@implementa("gelu")
def gelu(x, aproximada=False):
    """GELU (ec. `gelu`): ``x/2·[1 + erf(x/√2)]`` o, con ``aproximada=True``, la aproximación tanh.

    Formas
    ------
    x : cualquiera    salida : la de ``x``
    """
    comprobar_flotante("x", x)
    if aproximada:
        return 0.5 * x * (1 + torch.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))
    return 0.5 * x * (1 + torch.erf(x / math.sqrt(2)))


def _activar(x, activacion):
    if activacion == "relu":
        return torch.relu(x)
    return gelu(x, aproximada=activacion == "gelu_tanh")


@implementa("red-posicional-ffn")
def red_posicional(x, W_1, b_1, W_2, b_2, activacion="relu"):
    """Red prealimentada por posición (ec. `red-posicional-ffn`): ``act(x W_1ᵀ + b_1) W_2ᵀ + b_2``.

    Formas
    ------
    x : (..., d_modelo)    W_1 : (d_ff, d_modelo)    b_1 : (d_ff,)    W_2 : (d_modelo, d_ff)    b_2 : (d_modelo,)
    salida : (..., d_modelo)
    """
    validar_red_posicional(x, W_1, b_1, W_2, b_2, activacion)
    oculta = _activar(F.linear(x, W_1, b_1), activacion)  # (..., d_ff)
    return F.linear(oculta, W_2, b_2)  # (..., d_modelo)


@implementa("swiglu")
def swiglu(x, W, V, W_2):
    """Red posicional con SwiGLU (ec. `swiglu`): ``(Swish₁(x Wᵀ) ⊙ x Vᵀ) W_2ᵀ``.

    Formas
    ------
    x : (..., d_modelo)    W, V : (d_ff, d_modelo)    W_2 : (d_modelo, d_ff)    salida : (..., d_modelo)
    """
    validar_swiglu(x, W, V, W_2)
    a = F.linear(x, W)  # (..., d_ff)
    return F.linear(a * torch.sigmoid(a) * F.linear(x, V), W_2)  # (..., d_modelo)


def dropout(x, p=0.0, rng=None):
    """Dropout invertido (parte de la ec. `conexion-residual`): ``m ⊙ x / (1 - p)``, ``m_i ~ Bernoulli(1 - p)``.

    ``p = 0`` devuelve ``x``; ``p = 1``, ceros. ``rng``: ``torch.Generator`` en el dispositivo de ``x``.

    Formas
    ------
    x : cualquiera    salida : la de ``x``
    """
    comprobar_flotante("x", x)
    validar_probabilidad(p)
    if p == 0:
        return x
    if p == 1:
        return torch.zeros_like(x)
    conservar = torch.rand(x.shape, generator=rng, device=x.device) >= p  # m_i ~ Bernoulli(1 - p)
    return torch.where(conservar, x / (1 - p), torch.zeros_like(x))


@implementa("conexion-residual")
def conexion_residual(x, subcapa, p=0.0, rng=None):
    """Conexión residual con dropout (ec. `conexion-residual`): ``y = x + Dropout_p(Subcapa(x))``.

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
    """Subcapa Post-LN (ec. `post-ln`): ``LN(x + Dropout(Subcapa(x)))``.

    Formas
    ------
    x : (..., d_modelo)    gamma, beta : (d_modelo,)    salida : (..., d_modelo)
    """
    return normalizacion_capa(conexion_residual(x, subcapa, p, rng), gamma, beta, eps)


@implementa("pre-ln")
def pre_ln(x, subcapa, gamma=None, beta=None, eps=1e-5, p=0.0, rng=None):
    """Subcapa Pre-LN (ec. `pre-ln`): ``x + Dropout(Subcapa(LN(x)))``; la pila termina con una LN final.

    Formas
    ------
    x : (..., d_modelo)    gamma, beta : (d_modelo,)    salida : (..., d_modelo)
    """
    validar_subcapa(x, subcapa)
    return conexion_residual(x, lambda u: subcapa(normalizacion_capa(u, gamma, beta, eps)), p, rng)
