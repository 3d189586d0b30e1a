"""Normalización de capa y RMSNorm (capítulo 6), gemelo PyTorch.

Fórmulas explícitas (no ``F.layer_norm`` ni ``F.rms_norm``, que son los oráculos de las pruebas).
"""

from __future__ import annotations

import torch

from ..ecuaciones import implementa
from ..validacion.bloques import validar_normalizacion

__all__ = ["normalizacion_capa", "rmsnorm"]


@implementa("normalizacion-capa")
def normalizacion_capa(x, gamma=None, beta=None, eps=1e-5):
    """Normalización de capa, LayerNorm (ec. `normalizacion-capa`; P&H Alg. 6); gemelo de ``con_numpy``.

    ``(x - μ) / √(σ² + ε) ⊙ γ + β`` con varianza sesgada (``correction=0``), como ``nn.LayerNorm``.

    Formas
    ------
    x : (..., d)    gamma, beta : (d,), None = unos / ceros    salida : (..., d)
    """
    validar_normalizacion(x, gamma, beta, eps)
    mu = x.mean(dim=-1, keepdim=True)  # (..., 1)
    var = x.var(dim=-1, correction=0, keepdim=True)  # (..., 1), sesgada: 1/d
    salida = (x - mu) / torch.sqrt(var + eps)
    if gamma is not None:
        salida = salida * gamma
    return salida if beta is None else salida + beta


@implementa("rmsnorm")
def rmsnorm(x, g=None, eps=1e-6):
    """RMSNorm (ec. `rmsnorm`): ``x / √(ε + media(x²)) ⊙ g``; gemelo de ``con_numpy``.

    Formas
    ------
    x : (..., d)    g : (d,), None = unos    salida : (..., d)
    """
    validar_normalizacion(x, g, None, eps, nombres=("g", "beta"))
    rms = torch.sqrt(eps + x.pow(2).mean(dim=-1, keepdim=True))  # (..., 1)
    salida = x / rms
    return salida if g is None else salida * g
