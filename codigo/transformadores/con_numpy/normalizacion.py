"""Normalización de capa y RMSNorm (capítulo 6).

Las dos normalizan cada token por separado, a lo largo de la última dimensión ``d``.
"""

from __future__ import annotations

import numpy as np

from ..ecuaciones import implementa
from ..validacion.bloques import validar_normalizacion

__all__ = ["normalizacion_capa", "rmsnorm"]


@implementa("normalizacion-capa")
def normalizacion_capa(x, gamma=None, beta=None, eps=1e-5):
    """Normalización de capa, LayerNorm (ec. `normalizacion-capa`; P&H Alg. 6).

    ``μ = media(x)``, ``σ² = media((x - μ)²)`` (varianza **sesgada**, 1/d) y
    ``LN(x) = (x - μ) / √(σ² + ε) ⊙ γ + β``. P&H omite ε (errata E2); ``nn.LayerNorm`` usa
    ``eps=1e-5``, el valor por omisión aquí. Con ``eps=0`` una fila constante da NaN.

    Parámetros
    ----------
    gamma, beta : escala y desplazamiento aprendidos; None equivale a unos y ceros.

    Formas
    ------
    x : (..., d)    gamma, beta : (d,)    salida : (..., d)
    """
    validar_normalizacion(x, gamma, beta, eps)
    mu = x.mean(axis=-1, keepdims=True)  # (..., 1)
    var = ((x - mu) ** 2).mean(axis=-1, keepdims=True)  # (..., 1), ddof=0
    salida = (x - mu) / np.sqrt(var + eps)
    if gamma is not None:
        salida = salida * gamma
    return salida if beta is None else salida + beta


@implementa("rmsnorm")
def rmsnorm(x, g=None, eps=1e-6):
    """RMSNorm de Zhang y Sennrich (ec. `rmsnorm`): LayerNorm sin centrar y sin β.

    ``RMS(x) = √(ε + media(x²))`` y ``x̄ = x / RMS(x) ⊙ g``; es el Alg. 6 de P&H con ``m = β = 0``
    (Gopher). ``nn.RMSNorm(d, eps=None)`` usa ``finfo(dtype).eps``: fija ``eps`` al comparar.

    Formas
    ------
    x : (..., d)    g : (d,), None equivale a unos    salida : (..., d)
    """
    validar_normalizacion(x, g, None, eps, nombres=("g", "beta"))
    rms = np.sqrt(eps + (x**2).mean(axis=-1, keepdims=True))  # (..., 1)
    salida = x / rms
    return salida if g is None else salida * g
