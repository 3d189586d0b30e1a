"""Módulos de los bloques (capítulo 6): normalizaciones, redes posicionales y la subcapa residual.

Envoltorios finos: cada módulo guarda sus parámetros y llama a la función gemela de
``con_torch.normalizacion`` o ``con_torch.bloques``. El dropout solo actúa en modo ``train()``.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from ..validacion.atencion import validar_longitud
from ..validacion.bloques import validar_activacion, validar_eps, validar_probabilidad
from .bloques import post_ln, pre_ln, red_posicional, swiglu
from .normalizacion import normalizacion_capa, rmsnorm

__all__ = ["NormalizacionCapa", "RMSNorm", "RedPosicional", "RedSwiGLU", "ConexionResidual"]


def _lineal(filas, columnas, sesgo, fk):
    """Peso (filas, columnas) y sesgo iniciados como en ``nn.Linear`` (Kaiming uniforme)."""
    W = nn.Parameter(torch.empty(filas, columnas, **fk))
    nn.init.kaiming_uniform_(W, a=math.sqrt(5))
    if not sesgo:
        return W, None
    cota = 1 / math.sqrt(columnas)
    return W, nn.Parameter(torch.empty(filas, **fk).uniform_(-cota, cota))


class NormalizacionCapa(nn.Module):
    """LayerNorm con ``gamma`` (unos) y ``beta`` (ceros) aprendidos (ec. `normalizacion-capa`).

    Formas
    ------
    x : (..., d_modelo)    salida : (..., d_modelo)
    """

    def __init__(self, d_modelo, eps=1e-5, afin=True, device=None, dtype=None):
        super().__init__()
        validar_longitud("d_modelo", d_modelo)
        validar_eps(eps)
        self.d_modelo, self.eps = d_modelo, eps
        fk = {"device": device, "dtype": dtype}
        self.gamma = nn.Parameter(torch.ones(d_modelo, **fk)) if afin else None
        self.beta = nn.Parameter(torch.zeros(d_modelo, **fk)) if afin else None

    def forward(self, x):
        return normalizacion_capa(x, self.gamma, self.beta, self.eps)

    @torch.no_grad()
    def copiar_de(self, ln: nn.LayerNorm) -> NormalizacionCapa:
        """Copia ``weight`` y ``bias`` de un ``nn.LayerNorm`` (y su ``eps``); devuelve ``self``."""
        self.gamma.copy_(ln.weight)
        self.beta.copy_(ln.bias)
        self.eps = ln.eps
        return self

    def extra_repr(self) -> str:
        return f"d_modelo={self.d_modelo}, eps={self.eps}"


class RMSNorm(nn.Module):
    """RMSNorm con la escala ``g`` aprendida (ec. `rmsnorm`).

    Formas
    ------
    x : (..., d_modelo)    salida : (..., d_modelo)
    """

    def __init__(self, d_modelo, eps=1e-6, afin=True, device=None, dtype=None):
        super().__init__()
        validar_longitud("d_modelo", d_modelo)
        validar_eps(eps)
        self.d_modelo, self.eps = d_modelo, eps
        self.g = nn.Parameter(torch.ones(d_modelo, device=device, dtype=dtype)) if afin else None

    def forward(self, x):
        return rmsnorm(x, self.g, self.eps)

    def extra_repr(self) -> str:
        return f"d_modelo={self.d_modelo}, eps={self.eps}"


class RedPosicional(nn.Module):
    """Red prealimentada por posición (ec. `red-posicional-ffn`): ``W_1`` (d_ff, d_modelo), ``W_2`` (d_modelo, d_ff).

    ``activacion``: "relu" (Vaswani), "gelu" (BERT, ViT) o "gelu_tanh" (GPT-2). Pesos iniciados
    como ``nn.Linear``.

    Formas
    ------
    x : (..., d_modelo)    salida : (..., d_modelo)
    """

    def __init__(self, d_modelo, d_ff, activacion="relu", sesgo=True, device=None, dtype=None):
        super().__init__()
        validar_longitud("d_modelo", d_modelo)
        validar_longitud("d_ff", d_ff)
        validar_activacion(activacion)
        fk = {"device": device, "dtype": dtype}
        self.W_1, self.b_1 = _lineal(d_ff, d_modelo, sesgo, fk)
        self.W_2, self.b_2 = _lineal(d_modelo, d_ff, sesgo, fk)
        self.activacion = activacion

    def forward(self, x):
        return red_posicional(x, self.W_1, self.b_1, self.W_2, self.b_2, self.activacion)

    def extra_repr(self) -> str:
        return f"d_modelo={self.W_1.shape[1]}, d_ff={self.W_1.shape[0]}, activacion={self.activacion!r}"


class RedSwiGLU(nn.Module):
    """Red posicional SwiGLU sin sesgos (ec. `swiglu`): ``W`` y ``V`` (d_ff, d_modelo), ``W_2`` (d_modelo, d_ff).

    Formas
    ------
    x : (..., d_modelo)    salida : (..., d_modelo)
    """

    def __init__(self, d_modelo, d_ff, device=None, dtype=None):
        super().__init__()
        validar_longitud("d_modelo", d_modelo)
        validar_longitud("d_ff", d_ff)
        fk = {"device": device, "dtype": dtype}
        self.W, _ = _lineal(d_ff, d_modelo, False, fk)
        self.V, _ = _lineal(d_ff, d_modelo, False, fk)
        self.W_2, _ = _lineal(d_modelo, d_ff, False, fk)

    def forward(self, x):
        return swiglu(x, self.W, self.V, self.W_2)


class ConexionResidual(nn.Module):
    """Subcapa con residuo, dropout y LayerNorm propia: Post-LN (ec. `post-ln`) o Pre-LN (ec. `pre-ln`).

    ``forward(x, subcapa)`` da ``LN(x + Dropout(subcapa(x)))`` si ``pre_ln`` es False (Vaswani, BERT)
    y ``x + Dropout(subcapa(LN(x)))`` si es True (GPT-2, ViT). ``subcapa`` es cualquier invocable:
    un módulo (``RedPosicional``) o una función (``lambda u: atencion(u, mascara=m)``).

    Formas
    ------
    x : (..., d_modelo)    salida : (..., d_modelo)
    """

    def __init__(self, d_modelo, pre_ln=False, p=0.0, eps=1e-5, device=None, dtype=None):
        super().__init__()
        validar_probabilidad(p)
        self.pre_ln, self.p = bool(pre_ln), p
        self.norma = NormalizacionCapa(d_modelo, eps, device=device, dtype=dtype)

    def forward(self, x, subcapa):
        envolver = pre_ln if self.pre_ln else post_ln
        p = self.p if self.training else 0.0
        return envolver(x, subcapa, self.norma.gamma, self.norma.beta, self.norma.eps, p)

    def extra_repr(self) -> str:
        return f"pre_ln={self.pre_ln}, p={self.p}"
