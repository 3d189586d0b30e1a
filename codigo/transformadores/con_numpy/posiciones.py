"""Codificaciones de posición absolutas y rotatorias (capítulo 5).

La atención sin posiciones es equivariante a permutaciones: hay que decirle al modelo dónde está
cada token. Aquí: la sinusoidal de Vaswani (y la variante de P&H, errata E1), la matriz que
desplaza una posición ``k`` pasos y la rotación RoPE, que se aplica a ``q`` y ``k`` de cada cabeza.
Las tablas se devuelven con un token por fila: (T, d_modelo).
"""

from __future__ import annotations

import numpy as np

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


def _frecuencias(d, base):
    """``ω_i = base^(-2i/d)`` para ``i = 0 … d/2 - 1``."""
    return base ** (-np.arange(0, d, 2, dtype=np.float64) / d)  # (d/2,)


@implementa("codificacion-posicional-sinusoidal")
def codificacion_posicional_sinusoidal(T, d_modelo, inicio=0, base=10000.0, dtype=None):
    """Codificación posicional sinusoidal de Vaswani et al. (ec. `codificacion-posicional-sinusoidal`).

    ``PE[pos, 2i] = sin(pos / base^(2i/d))`` y ``PE[pos, 2i+1] = cos(pos / base^(2i/d))``, con
    posiciones desde 0 y ``base = 10000``. Cada par (seno, coseno) gira a su propia frecuencia:
    longitudes de onda de ``2π`` a ``10000·2π``. Cada fila tiene norma² ``d/2``.

    Parámetros
    ----------
    inicio : posición de la primera fila (útil al generar con caché: ``inicio = tokens ya vistos``).
    dtype : tipo del resultado (float64 por omisión).

    Formas
    ------
    salida : (T, d_modelo), fila ``t`` = posición ``inicio + t``; ``d_modelo`` par
    """
    validar_longitud("T", T)
    validar_par("d_modelo", d_modelo)
    validar_entero_no_negativo("inicio", inicio)
    validar_base(base)
    pos = np.arange(inicio, inicio + T, dtype=np.float64)[:, None]  # (T, 1)
    angulos = pos * _frecuencias(d_modelo, base)  # (T, d/2)
    PE = np.empty((T, d_modelo))
    PE[:, 0::2] = np.sin(angulos)  # columnas pares: seno
    PE[:, 1::2] = np.cos(angulos)  # columnas impares: coseno
    return PE.astype(dtype or np.float64)


@implementa("sinusoidal-base-lmax-phuong-hutter")
def sinusoidal_phuong_hutter(l_max, d_e, dtype=None):
    """La tabla sinusoidal tal como la escribe Phuong & Hutter (ec. `sinusoidal-base-lmax-phuong-hutter`).

    ``W_p[2i-1, t] = sin(t / l_max^(2i/d_e))`` y ``W_p[2i, t] = cos(t / l_max^(2i/d_e))``, con
    ``0 < i ≤ d_e/2`` y ``t = 1 … l_max`` (índices desde 1). **No** es la de Vaswani (errata E1):
    la base es ``l_max`` y no 10000, y los índices están desplazados. Solo para explicarla y leer
    código que la sigue; el libro usa :func:`codificacion_posicional_sinusoidal`.

    Formas
    ------
    salida : (l_max, d_e), la ``W_p`` de P&H traspuesta: fila ``t-1`` = posición ``t``
    """
    validar_longitud("l_max", l_max)
    validar_par("d_e", d_e)
    t = np.arange(1, l_max + 1, dtype=np.float64)[:, None]  # (l_max, 1): t = 1 … l_max
    i = np.arange(1, d_e // 2 + 1, dtype=np.float64)  # (d_e/2,): i = 1 … d_e/2
    angulos = t / float(l_max) ** (2 * i / d_e)  # (l_max, d_e/2)
    W_p = np.empty((l_max, d_e))
    W_p[:, 0::2] = np.sin(angulos)  # fila 2i-1 de P&H (desde 1) = columna 2i-2 (desde 0)
    W_p[:, 1::2] = np.cos(angulos)  # fila 2i de P&H = columna 2i-1
    return W_p.astype(dtype or np.float64)


@implementa("codificacion-posicional-desplazamiento")
def matriz_desplazamiento(k, d_modelo, base=10000.0, dtype=None):
    """Matriz ``R_k`` que desplaza ``k`` posiciones (ec. `codificacion-posicional-desplazamiento`).

    ``PE[pos + k] = R_k · PE[pos]`` para toda ``pos``.

    Es diagonal por bloques de 2×2, ``[[cos ω_i k, sin ω_i k], [-sin ω_i k, cos ω_i k]]`` sobre cada
    par (seno, coseno): desplazar la posición es una transformación lineal que **no** depende de
    ``pos``. Por eso el modelo puede atender por posiciones relativas. Por filas:
    ``PE[pos + k] = PE[pos] @ R_k.T``.

    Formas
    ------
    k : entero (puede ser negativo)    salida : (d_modelo, d_modelo), ortogonal
    """
    validar_entero("k", k)
    validar_par("d_modelo", d_modelo)
    validar_base(base)
    c, s = np.cos(_frecuencias(d_modelo, base) * k), np.sin(_frecuencias(d_modelo, base) * k)  # (d/2,)
    R = np.zeros((d_modelo, d_modelo))
    pares = np.arange(0, d_modelo, 2)
    R[pares, pares], R[pares, pares + 1] = c, s  # fila del seno:  [ cos  sin]
    R[pares + 1, pares], R[pares + 1, pares + 1] = -s, c  # fila del coseno: [-sin  cos]
    return R.astype(dtype or np.float64)


@implementa("rope-rotatoria")
def aplicar_rope(x, inicio=0, base=10000.0, mitades=False):
    """Incrustación posicional rotatoria, RoPE de Su et al. (ec. `rope-rotatoria`).

    Gira cada par de componentes del token en la posición ``m`` un ángulo ``m·θ_i``, con
    ``θ_i = base^(-2(i-1)/d)``. Se aplica a las consultas y claves de cada cabeza (no a los valores):
    entonces ``⟨R_m q, R_n k⟩`` solo depende de ``n - m``.

    Parámetros
    ----------
    inicio : posición de la primera fila (al generar con caché).
    mitades : False empareja ``(x_2i, x_2i+1)`` (artículo original); True empareja ``(x_i, x_i+d/2)``
        («rotate_half», GPT-NeoX/LLaMA en Hugging Face). Sus pesos no son intercambiables.

    Formas
    ------
    x : (..., T, d), ``d`` par    salida : (..., T, d)
    """
    f = validar_rope(x, inicio, base)
    T, d = f["T"], f["d"]
    angulos = np.arange(inicio, inicio + T, dtype=np.float64)[:, None] * _frecuencias(d, base)  # (T, d/2)
    c, s = np.cos(angulos).astype(x.dtype), np.sin(angulos).astype(x.dtype)
    x1, x2 = (x[..., : d // 2], x[..., d // 2 :]) if mitades else (x[..., 0::2], x[..., 1::2])  # (..., T, d/2)
    y1, y2 = x1 * c - x2 * s, x1 * s + x2 * c  # giro de cada par
    if mitades:
        return np.concatenate([y1, y2], axis=-1)  # (..., T, d)
    return np.stack([y1, y2], axis=-1).reshape(x.shape)  # (..., T, d/2, 2) → (..., T, d)
