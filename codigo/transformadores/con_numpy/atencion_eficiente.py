"""Variantes eficientes de la atención (capítulo 14): softmax en línea, FlashAttention por teselas,
atención lineal y atención dispersa (ventana deslizante y patrón estriado).

La atención por teselas es **exacta**; la lineal es **otro modelo** (no aproxima la de softmax);
las dispersas son la atención exacta restringida a un patrón de máscara.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ..ecuaciones import implementa
from ..errores import comprobar_flotante
from ..validacion.atencion import validar_atencion, validar_longitud
from ..validacion.eficiencia import (
    validar_autoatencion,
    validar_interruptor,
    validar_puntuaciones_en_linea,
    validar_teselas,
)
from .mascaras import mascara_causal
from .softmax import softmax

__all__ = [
    "softmax_en_linea",
    "atencion_por_teselas",
    "nucleo_elu",
    "atencion_lineal",
    "atencion_lineal_causal",
    "mascara_ventana_deslizante",
    "atencion_ventana_deslizante",
    "mascaras_estriadas",
]


def _exp_dif(a, b):
    """``exp(a - b)`` con ``b ≥ a``; vale 0 cuando ``a = -inf`` (aunque ``b`` también lo sea), nunca NaN."""
    return np.exp(a - np.where(np.isfinite(b), b, 0.0))


@implementa("softmax-en-linea")
def softmax_en_linea(z, eje=-1, devolver_normalizador=False):
    """Softmax con máximo y normalizador en una sola pasada (ec. `softmax-en-linea`).

    Recorremos ``z`` una vez: ``m_j = max(m_{j-1}, z_j)`` y ``d_j = d_{j-1} e^{m_{j-1} - m_j} + e^{z_j - m_j}``,
    con ``m_0 = -inf`` y ``d_0 = 0``; al final, ``softmax(z)_i = e^{z_i - m_N} / d_N``. Es la idea
    que permite a FlashAttention procesar las claves por bloques.

    Formas
    ------
    z : (..., N)    salida : (..., N), igual a ``softmax(z)``
    m, d : (...), el máximo y el normalizador (``log Σ e^z = m + log d``), si ``devolver_normalizador``

    Una fila entera de ``-inf`` da ceros (``m = -inf``, ``d = 0``), nunca NaN.
    """
    validar_puntuaciones_en_linea(z, eje)
    x = np.moveaxis(z, eje, -1)  # (..., N)
    m = np.full(x.shape[:-1], -np.inf, dtype=x.dtype)  # (...)
    d = np.zeros(x.shape[:-1], dtype=x.dtype)
    for j in range(x.shape[-1]):
        m_nuevo = np.maximum(m, x[..., j])
        d = d * _exp_dif(m, m_nuevo) + _exp_dif(x[..., j], m_nuevo)
        m = m_nuevo
    salida = _exp_dif(x, m[..., None]) / np.where(d == 0, 1, d)[..., None]
    salida = np.moveaxis(salida, -1, eje)
    return (salida, m, d) if devolver_normalizador else salida


@implementa("flashattention-teselas")
def atencion_por_teselas(Q, K, V, B_r=64, B_c=64, causal=False, escala=None):
    """Atención exacta por teselas con softmax en línea, Algoritmo 1 de FlashAttention (ec. `flashattention-teselas`).

    Para cada bloque de ``B_r`` consultas recorremos los bloques de ``B_c`` claves y mantenemos
    el máximo ``m_i``, el normalizador ``ℓ_i`` y la salida ``O_i`` ya normalizada:
    ``m_new = max(m_i, m̃_ij)``, ``ℓ_new = e^{m_i - m_new} ℓ_i + e^{m̃_ij - m_new} ℓ̃_ij`` y
    ``O_i ← (ℓ_i e^{m_i - m_new} O_i + e^{m̃_ij - m_new} P̃_ij V_j) / ℓ_new``. Nunca existe la
    matriz ``T×S``: solo teselas ``B_r×B_c``. Con ``causal``, la consulta ``i`` ve las claves
    ``j ≤ i + S - T`` (como ``mascara_causal``) y las teselas del todo futuras se saltan.

    Formas
    ------
    Q : (..., T, d_k)    K : (..., S, d_k)    V : (..., S, d_v)    salida : (..., T, d_v)

    Una consulta sin ninguna clave permitida recibe una fila de ceros, nunca NaN.
    """
    f = validar_teselas(Q, K, V, B_r, B_c, causal, escala)
    T, S = f["T"], f["S"]
    escala = 1.0 / math.sqrt(f["d_k"]) if escala is None else escala
    lote = np.broadcast_shapes(Q.shape[:-2], K.shape[:-2], V.shape[:-2])
    O = np.zeros(lote + (T, f["d_v"]), dtype=np.result_type(Q, K, V))  # (..., T, d_v)
    for i0 in range(0, T, B_r):
        i1 = min(i0 + B_r, T)  # bloque de consultas i0..i1-1
        m_i = np.full(lote + (i1 - i0,), -np.inf, dtype=O.dtype)  # (..., B_r)
        l_i = np.zeros_like(m_i)  # (..., B_r)
        O_i = np.zeros(lote + (i1 - i0, f["d_v"]), dtype=O.dtype)  # (..., B_r, d_v)
        for j0 in range(0, S, B_c):
            if causal and j0 > i1 - 1 + S - T:
                break  # el resto de bloques de claves está en el futuro de todas las consultas
            j1 = min(j0 + B_c, S)  # bloque de claves j0..j1-1
            S_ij = (Q[..., i0:i1, :] @ np.swapaxes(K[..., j0:j1, :], -1, -2)) * escala  # (..., B_r, B_c)
            if causal:
                permitido = np.arange(j0, j1)[None, :] <= np.arange(i0, i1)[:, None] + S - T  # (B_r, B_c)
                S_ij = np.where(permitido, S_ij, -np.inf)
            m_t = S_ij.max(axis=-1)  # (..., B_r), m̃_ij
            P_t = _exp_dif(S_ij, m_t[..., None])  # (..., B_r, B_c), P̃_ij
            l_t = P_t.sum(axis=-1)  # ℓ̃_ij
            m_new = np.maximum(m_i, m_t)
            l_new = _exp_dif(m_i, m_new) * l_i + _exp_dif(m_t, m_new) * l_t
            numerador = (l_i * _exp_dif(m_i, m_new))[..., None] * O_i + _exp_dif(m_t, m_new)[..., None] * (
                P_t @ V[..., j0:j1, :]
            )  # (..., B_r, d_v)
            O_i = numerador / np.where(l_new == 0, 1, l_new)[..., None]
            m_i, l_i = m_new, l_new
        O[..., i0:i1, :] = O_i
    return O


@implementa("atencion-lineal-nucleo")
def nucleo_elu(x):
    """Mapa de características ``φ(x) = elu(x) + 1`` de Katharopoulos et al. (ec. `atencion-lineal-nucleo`).

    Vale ``x + 1`` si ``x > 0`` y ``e^x`` si no: siempre positivo, así que ``φ(q)ᵀφ(k) > 0``.

    Formas
    ------
    x : (...)    salida : (...)
    """
    comprobar_flotante("x", x)
    return np.where(x > 0, x + 1.0, np.exp(np.minimum(x, 0.0)))


@implementa("atencion-lineal-nucleo")
def atencion_lineal(Q, K, V):
    """Atención lineal por el truco del núcleo (ec. `atencion-lineal-nucleo`).

    ``V'_i = φ(Q_i)ᵀ (Σ_j φ(K_j) V_jᵀ) / (φ(Q_i)ᵀ Σ_j φ(K_j))``: por la asociatividad,
    ``(φ(Q)φ(K)ᵀ)V = φ(Q)(φ(K)ᵀV)`` cuesta ``O(n·d_k·d_v)`` en lugar de ``O(n²·d)``. No es la
    atención softmax: es otro modelo, con ``sim(q, k) = φ(q)ᵀφ(k)``.

    Formas
    ------
    Q : (..., T, d_k)    K : (..., S, d_k)    V : (..., S, d_v)    salida : (..., T, d_v)
    """
    validar_atencion(Q, K, V)
    phi_Q, phi_K = nucleo_elu(Q), nucleo_elu(K)
    KV = np.swapaxes(phi_K, -1, -2) @ V  # (..., d_k, d_v) = Σ_j φ(K_j) V_jᵀ
    z = phi_K.sum(axis=-2)  # (..., d_k) = Σ_j φ(K_j)
    return (phi_Q @ KV) / (phi_Q @ z[..., :, None])  # (..., T, d_v)


@implementa("atencion-lineal-causal-recurrente")
def atencion_lineal_causal(Q, K, V, devolver_estado=False):
    """Atención lineal causal como una RNN (ec. `atencion-lineal-causal-recurrente`).

    ``S_i = S_{i-1} + φ(K_i) V_iᵀ``, ``z_i = z_{i-1} + φ(K_i)``, ``V'_i = φ(Q_i)ᵀ S_i / φ(Q_i)ᵀ z_i``:
    un estado de tamaño fijo ``d_k × d_v`` resume todo el pasado, como en el capítulo 1.
    Coincide con la forma cuadrática enmascarada ``tril(φ(Q)φ(K)ᵀ) V`` normalizada por filas.

    Formas
    ------
    Q, K : (..., T, d_k)    V : (..., T, d_v)    salida : (..., T, d_v)
    S, z : (..., d_k, d_v) y (..., d_k), el estado final, si ``devolver_estado``
    """
    f = validar_autoatencion(Q, K, V)
    validar_interruptor("devolver_estado", devolver_estado)
    phi_Q, phi_K = nucleo_elu(Q), nucleo_elu(K)
    lote = np.broadcast_shapes(Q.shape[:-2], K.shape[:-2], V.shape[:-2])
    tipo = np.result_type(Q, K, V)
    S_i = np.zeros(lote + (f["d_k"], f["d_v"]), dtype=tipo)  # (..., d_k, d_v)
    z_i = np.zeros(lote + (f["d_k"],), dtype=tipo)  # (..., d_k)
    salida = np.zeros(lote + (f["T"], f["d_v"]), dtype=tipo)  # (..., T, d_v)
    for i in range(f["T"]):
        S_i = S_i + phi_K[..., i, :, None] * V[..., i, None, :]  # + φ(K_i) V_iᵀ
        z_i = z_i + phi_K[..., i, :]
        q = phi_Q[..., i, :]  # (..., d_k)
        salida[..., i, :] = np.einsum("...k,...kv->...v", q, S_i) / (q * z_i).sum(axis=-1, keepdims=True)
    return (salida, S_i, z_i) if devolver_estado else salida


@implementa("atencion-ventana-deslizante")
def mascara_ventana_deslizante(T, w, causal=False):
    """Máscara de banda de la atención de ventana deslizante (ec. `atencion-ventana-deslizante`).

    Sin ``causal``, la consulta ``i`` ve las claves con ``|i - j| ≤ w // 2``; con ``causal``,
    las ``w`` últimas: ``0 ≤ i - j < w``.

    Formas
    ------
    salida : (T, T), booleana; True = puede atender
    """
    validar_longitud("T", T)
    validar_longitud("w", w)
    validar_interruptor("causal", causal)
    dif = np.arange(T)[:, None] - np.arange(T)[None, :]  # (T, T), i - j
    return ((dif >= 0) & (dif < w)) if causal else (np.abs(dif) <= w // 2)


def _ventanas(X, izq, der):
    """Vista deslizante de ``X`` (..., T, d) rellenado con ``izq`` y ``der`` ceros: (..., T, d, izq+der+1)."""
    relleno = [(0, 0)] * (X.ndim - 2) + [(izq, der), (0, 0)]
    return sliding_window_view(np.pad(X, relleno), izq + der + 1, axis=-2)


@implementa("atencion-ventana-deslizante")
def atencion_ventana_deslizante(Q, K, V, w, causal=False, escala=None):
    """Atención de ventana deslizante calculada por bandas, en ``O(T·w·d)`` (ec. `atencion-ventana-deslizante`).

    Cada consulta solo puntúa las claves de su ventana (una vista deslizante de ``K`` y ``V``,
    sin copiar la matriz ``T×T``). El resultado es el de ``atencion_escalada`` con la máscara
    ``mascara_ventana_deslizante(T, w, causal)``. Con ``L`` capas, el campo receptivo es ``L·w``.

    Formas
    ------
    Q, K : (..., T, d_k)    V : (..., T, d_v)    salida : (..., T, d_v)

    Lanza
    -----
    ErrorDeForma si ``K`` o ``V`` no tienen las ``T`` posiciones de ``Q`` (es autoatención).
    """
    f = validar_autoatencion(Q, K, V, escala)
    validar_longitud("w", w)
    validar_interruptor("causal", causal)
    T = f["T"]
    escala = 1.0 / math.sqrt(f["d_k"]) if escala is None else escala
    izq, der = (w - 1, 0) if causal else (w // 2, w // 2)
    K_v, V_v = _ventanas(K, izq, der), _ventanas(V, izq, der)  # (..., T, d_k, L), (..., T, d_v, L)
    j = np.arange(T)[:, None] - izq + np.arange(izq + der + 1)[None, :]  # (T, L), índice de la clave
    puntuaciones = np.einsum("...td,...tdl->...tl", Q, K_v) * escala  # (..., T, L)
    pesos = softmax(np.where((j >= 0) & (j < T), puntuaciones, -np.inf))  # (..., T, L)
    return np.einsum("...tl,...tdl->...td", pesos, V_v)  # (..., T, d_v)


@implementa("atencion-dispersa-estriada")
def mascaras_estriadas(T, l=None):
    """Las dos máscaras del patrón estriado del Sparse Transformer (ec. `atencion-dispersa-estriada`).

    ``A⁽¹⁾_i = {max(0, i-l), …, i}`` (las ``l`` anteriores) y ``A⁽²⁾_i = {j ≤ i : (i - j) mod l = 0}``
    (una de cada ``l``). Con una cabeza (o capa) de cada tipo, cualquier posición llega a
    cualquier anterior en dos saltos; con ``l ≈ √T`` el coste es ``O(T√T)``.

    Formas
    ------
    devuelve (local, estriada) : dos máscaras (T, T), booleanas y causales; ``l = ⌈√T⌉`` por omisión
    """
    validar_longitud("T", T)
    l = validar_longitud("l", math.ceil(math.sqrt(T)) if l is None else l)
    dif = np.arange(T)[:, None] - np.arange(T)[None, :]  # (T, T), i - j
    causal = mascara_causal(T)
    return causal & (dif <= l), causal & (dif % l == 0)
