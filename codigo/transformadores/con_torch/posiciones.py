"""Codificaciones de posición absolutas y rotatorias (capítulo 5), gemelo PyTorch.

Las tablas (sinusoidal, P&H, matriz de desplazamiento) se crean en la CPU con ``dtype`` (el de
omisión de torch si es None): muévelas con ``.to(dispositivo)`` o regístralas como ``buffer``.
``aplicar_rope`` trabaja en el dispositivo y con el tipo de ``x``.
"""

from __future__ import annotations

import torch

from ..ecuaciones import implementa
from ..validacion.atencion import validar_longitud
from ..validacion.incrustaciones import (
    validar_base,
    validar_entero,
    validar_entero_no_negativo,
    validar_par,
    validar_rope,
)

__all__ = [
    "codificacion_posicional_sinusoidal",
    "sinusoidal_phuong_hutter",
    "matriz_desplazamiento",
    "aplicar_rope",
]


def _frecuencias(d, base, dtype=torch.float64, device=None):
    """``ω_i = base^(-2i/d)`` para ``i = 0 … d/2 - 1``."""
    return base ** (-torch.arange(0, d, 2, dtype=dtype, device=device) / d)  # (d/2,)


@implementa("codificacion-posicional-sinusoidal")
def codificacion_posicional_sinusoidal(T, d_modelo, inicio=0, base=10000.0, dtype=None):
    """Codificación posicional sinusoidal de Vaswani et al. (ec. `codificacion-posicional-sinusoidal`).

    ``PE[pos, 2i] = sin(pos / base^(2i/d))``, ``PE[pos, 2i+1] = cos(pos / base^(2i/d))``; se calcula
    en float64 y se convierte a ``dtype`` al final.

    Formas
    ------
    salida : (T, d_modelo), fila ``t`` = posición ``inicio + t``
    """
    validar_longitud("T", T)
    validar_par("d_modelo", d_modelo)
    validar_entero_no_negativo("inicio", inicio)
    validar_base(base)
    pos = torch.arange(inicio, inicio + T, dtype=torch.float64)[:, None]  # (T, 1)
    angulos = pos * _frecuencias(d_modelo, base)  # (T, d/2)
    PE = torch.empty(T, d_modelo, dtype=torch.float64)
    PE[:, 0::2] = torch.sin(angulos)  # columnas pares: seno
    PE[:, 1::2] = torch.cos(angulos)  # columnas impares: coseno
    return PE.to(dtype or torch.get_default_dtype())


@implementa("sinusoidal-base-lmax-phuong-hutter")
def sinusoidal_phuong_hutter(l_max, d_e, dtype=None):
    """Tabla sinusoidal de Phuong & Hutter, base ``l_max`` e índices desde 1 (ec. `sinusoidal-base-lmax-phuong-hutter`).

    No es la de Vaswani (errata E1).

    Formas
    ------
    salida : (l_max, d_e), la ``W_p`` de P&H traspuesta: fila ``t-1`` = posición ``t``
    """
    validar_longitud("l_max", l_max)
    validar_par("d_e", d_e)
    t = torch.arange(1, l_max + 1, dtype=torch.float64)[:, None]  # (l_max, 1)
    i = torch.arange(1, d_e // 2 + 1, dtype=torch.float64)  # (d_e/2,)
    angulos = t / float(l_max) ** (2 * i / d_e)  # (l_max, d_e/2)
    W_p = torch.empty(l_max, d_e, dtype=torch.float64)
    W_p[:, 0::2] = torch.sin(angulos)  # fila 2i-1 de P&H
    W_p[:, 1::2] = torch.cos(angulos)  # fila 2i de P&H
    return W_p.to(dtype or torch.get_default_dtype())


@implementa("codificacion-posicional-desplazamiento")
def matriz_desplazamiento(k, d_modelo, base=10000.0, dtype=None):
    """Matriz ``R_k`` que desplaza ``k`` posiciones (ec. `codificacion-posicional-desplazamiento`).

    ``PE[pos + k] = R_k · PE[pos]``; bloques ``[[cos ω_i k, sin ω_i k], [-sin ω_i k, cos ω_i k]]``.

    Formas
    ------
    k : entero    salida : (d_modelo, d_modelo), ortogonal
    """
    validar_entero("k", k)
    validar_par("d_modelo", d_modelo)
    validar_base(base)
    angulos = _frecuencias(d_modelo, base) * k  # (d/2,)
    c, s = torch.cos(angulos), torch.sin(angulos)
    R = torch.zeros(d_modelo, d_modelo, dtype=torch.float64)
    pares = torch.arange(0, d_modelo, 2)
    R[pares, pares], R[pares, pares + 1] = c, s  # fila del seno:  [ cos  sin]
    R[pares + 1, pares], R[pares + 1, pares + 1] = -s, c  # fila del coseno: [-sin  cos]
    return R.to(dtype or torch.get_default_dtype())


@implementa("rope-rotatoria")
def aplicar_rope(x, inicio=0, base=10000.0, mitades=False):
    """Incrustación posicional rotatoria, RoPE (ec. `rope-rotatoria`); gemelo de ``con_numpy``.

    Gira el par ``i`` del token en la posición ``m`` un ángulo ``m·θ_i``, ``θ_i = base^(-2(i-1)/d)``.
    ``mitades=True`` empareja ``(x_i, x_i+d/2)`` («rotate_half»).

    Formas
    ------
    x : (..., T, d), ``d`` par    salida : (..., T, d)
    """
    f = validar_rope(x, inicio, base)
    T, d = f["T"], f["d"]
    preciso = torch.float64 if x.dtype == torch.float64 else torch.float32
    pos = torch.arange(inicio, inicio + T, dtype=preciso, device=x.device)[:, None]  # (T, 1)
    angulos = pos * _frecuencias(d, base, preciso, x.device)  # (T, d/2)
    c, s = torch.cos(angulos).to(x.dtype), torch.sin(angulos).to(x.dtype)
    x1, x2 = (x[..., : d // 2], x[..., d // 2 :]) if mitades else (x[..., 0::2], x[..., 1::2])  # (..., T, d/2)
    y1, y2 = x1 * c - x2 * s, x1 * s + x2 * c  # giro de cada par
    if mitades:
        return torch.cat([y1, y2], dim=-1)  # (..., T, d)
    return torch.stack([y1, y2], dim=-1).reshape(x.shape)  # (..., T, d/2, 2) → (..., T, d)
