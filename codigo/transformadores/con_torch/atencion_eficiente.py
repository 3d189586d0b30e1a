"""Variantes eficientes de la atención (capítulo 14), gemelo PyTorch.

Mismos algoritmos que ``con_numpy.atencion_eficiente``, escritos con operaciones de tensores:
sirven para entender y comprobar, no para competir con los núcleos fusionados de PyTorch
(``F.scaled_dot_product_attention`` con el backend FLASH hace lo mismo en la GPU, en SRAM).
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

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
    """``exp(a - b)`` con ``b ≥ a``; 0 cuando ``a = -inf``, nunca NaN."""
    return torch.exp(a - torch.where(torch.isfinite(b), b, torch.zeros_like(b)))


def _sin_ceros(x):
    return torch.where(x == 0, torch.ones_like(x), x)


@implementa("softmax-en-linea")
def softmax_en_linea(z, eje=-1, devolver_normalizador=False):
    """Softmax con máximo y normalizador en una sola pasada (ec. `softmax-en-linea`).

    ``m_j = max(m_{j-1}, z_j)``, ``d_j = d_{j-1} e^{m_{j-1} - m_j} + e^{z_j - m_j}``;
    ``softmax(z)_i = e^{z_i - m_N} / d_N``.

    Formas
    ------
    z : (..., N)    salida : (..., N)    m, d : (...), si ``devolver_normalizador``
    """
    validar_puntuaciones_en_linea(z, eje)
    x = z.movedim(eje, -1)  # (..., N)
    m = torch.full(x.shape[:-1], float("-inf"), dtype=x.dtype, device=x.device)  # (...)
    d = torch.zeros_like(m)
    for j in range(x.shape[-1]):
        m_nuevo = torch.maximum(m, x[..., j])
        d = d * _exp_dif(m, m_nuevo) + _exp_dif(x[..., j], m_nuevo)
        m = m_nuevo
    salida = (_exp_dif(x, m[..., None]) / _sin_ceros(d)[..., None]).movedim(-1, eje)
    return (salida, m, d) if devolver_normalizador else salida


@implementa("flashattention-teselas")
def atencion_por_teselas(Q, K, V, B_r=64, B_c=64, causal=False, escala=None):
    """Atención exacta por teselas con softmax en línea, Algoritmo 1 de FlashAttention (ec. `flashattention-teselas`).

    Igual que ``F.scaled_dot_product_attention`` (con ``attn_mask=mascara_causal(T, S)`` si
    ``causal``) sin formar nunca la matriz ``T×S``: solo teselas ``B_r×B_c``.

    Formas
    ------
    Q : (..., T, d_k)    K : (..., S, d_k)    V : (..., S, d_v)    salida : (..., T, d_v)
    """
    f = validar_teselas(Q, K, V, B_r, B_c, causal, escala)
    T, S = f["T"], f["S"]
    escala = 1.0 / math.sqrt(f["d_k"]) if escala is None else escala
    lote = torch.broadcast_shapes(Q.shape[:-2], K.shape[:-2], V.shape[:-2])
    como = {"dtype": torch.result_type(Q, K), "device": Q.device}
    bloques = []
    for i0 in range(0, T, B_r):
        i1 = min(i0 + B_r, T)  # bloque de consultas i0..i1-1
        m_i = torch.full((*lote, i1 - i0), float("-inf"), **como)  # (..., B_r)
        l_i = torch.zeros_like(m_i)  # (..., B_r)
        O_i = torch.zeros((*lote, i1 - i0, f["d_v"]), **como)  # (..., B_r, d_v)
        for j0 in range(0, S, B_c):
            if causal and j0 > i1 - 1 + S - T:
                break  # bloques de claves del todo futuros
            j1 = min(j0 + B_c, S)  # bloque de claves j0..j1-1
            S_ij = (Q[..., i0:i1, :] @ K[..., j0:j1, :].transpose(-2, -1)) * escala  # (..., B_r, B_c)
            if causal:
                filas = torch.arange(i0, i1, device=Q.device)[:, None]
                permitido = torch.arange(j0, j1, device=Q.device)[None, :] <= filas + S - T  # (B_r, B_c)
                S_ij = S_ij.masked_fill(~permitido, float("-inf"))
            m_t = S_ij.amax(dim=-1)  # (..., B_r), m̃_ij
            P_t = _exp_dif(S_ij, m_t[..., None])  # (..., B_r, B_c), P̃_ij
            m_new = torch.maximum(m_i, m_t)
            l_new = _exp_dif(m_i, m_new) * l_i + _exp_dif(m_t, m_new) * P_t.sum(dim=-1)
            numerador = (l_i * _exp_dif(m_i, m_new))[..., None] * O_i + _exp_dif(m_t, m_new)[..., None] * (
                P_t @ V[..., j0:j1, :]
            )  # (..., B_r, d_v)
            O_i = numerador / _sin_ceros(l_new)[..., None]
            m_i, l_i = m_new, l_new
        bloques.append(O_i)
    return torch.cat(bloques, dim=-2) if bloques else torch.zeros((*lote, 0, f["d_v"]), **como)  # (..., T, d_v)


@implementa("atencion-lineal-nucleo")
def nucleo_elu(x):
    """Mapa de características ``φ(x) = elu(x) + 1`` (ec. `atencion-lineal-nucleo`).

    Formas
    ------
    x : (...)    salida : (...), positiva
    """
    comprobar_flotante("x", x)
    return F.elu(x) + 1


@implementa("atencion-lineal-nucleo")
def atencion_lineal(Q, K, V):
    """Atención lineal ``φ(Q)(φ(K)ᵀV) / φ(Q)Σ_jφ(K_j)`` en ``O(n·d_k·d_v)`` (ec. `atencion-lineal-nucleo`).

    Formas
    ------
    Q : (..., T, d_k)    K : (..., S, d_k)    V : (..., S, d_v)    salida : (..., T, d_v)
    """
    validar_atencion(Q, K, V)
    phi_Q, phi_K = nucleo_elu(Q), nucleo_elu(K)
    KV = phi_K.transpose(-2, -1) @ V  # (..., d_k, d_v)
    z = phi_K.sum(dim=-2)  # (..., d_k)
    return (phi_Q @ KV) / (phi_Q @ z[..., :, None])  # (..., T, d_v)


@implementa("atencion-lineal-causal-recurrente")
def atencion_lineal_causal(Q, K, V, devolver_estado=False):
    """Atención lineal causal como una RNN: ``S_i = S_{i-1} + φ(K_i)V_iᵀ`` (ec. `atencion-lineal-causal-recurrente`).

    Formas
    ------
    Q, K : (..., T, d_k)    V : (..., T, d_v)    salida : (..., T, d_v)
    S, z : (..., d_k, d_v) y (..., d_k), el estado final, si ``devolver_estado``
    """
    f = validar_autoatencion(Q, K, V)
    validar_interruptor("devolver_estado", devolver_estado)
    phi_Q, phi_K = nucleo_elu(Q), nucleo_elu(K)
    lote = torch.broadcast_shapes(Q.shape[:-2], K.shape[:-2], V.shape[:-2])
    como = {"dtype": torch.result_type(Q, V), "device": Q.device}
    S_i = torch.zeros((*lote, f["d_k"], f["d_v"]), **como)  # (..., d_k, d_v)
    z_i = torch.zeros((*lote, f["d_k"]), **como)  # (..., d_k)
    salidas = []
    for i in range(f["T"]):
        S_i = S_i + phi_K[..., i, :, None] * V[..., i, None, :]  # + φ(K_i) V_iᵀ
        z_i = z_i + phi_K[..., i, :]
        q = phi_Q[..., i, :]  # (..., d_k)
        salidas.append(torch.einsum("...k,...kv->...v", q, S_i) / (q * z_i).sum(dim=-1, keepdim=True))
    salida = torch.stack(salidas, dim=-2)  # (..., T, d_v)
    return (salida, S_i, z_i) if devolver_estado else salida


@implementa("atencion-ventana-deslizante")
def mascara_ventana_deslizante(T, w, causal=False):
    """Máscara de banda: ``|i - j| ≤ w // 2``, o ``0 ≤ i - j < w`` si ``causal`` (ec. `atencion-ventana-deslizante`).

    Formas
    ------
    salida : (T, T), booleana (en CPU); True = puede atender
    """
    validar_longitud("T", T)
    validar_longitud("w", w)
    validar_interruptor("causal", causal)
    dif = torch.arange(T)[:, None] - torch.arange(T)[None, :]  # (T, T), i - j
    return ((dif >= 0) & (dif < w)) if causal else (dif.abs() <= w // 2)


def _ventanas(X, izq, der):
    """Ventanas deslizantes de ``X`` (..., T, d) rellenado con ceros: (..., T, d, izq+der+1)."""
    return F.pad(X, (0, 0, izq, der)).unfold(-2, izq + der + 1, 1)


@implementa("atencion-ventana-deslizante")
def atencion_ventana_deslizante(Q, K, V, w, causal=False, escala=None):
    """Atención de ventana deslizante por bandas, en ``O(T·w·d)`` (ec. `atencion-ventana-deslizante`).

    Igual a ``F.scaled_dot_product_attention`` con ``attn_mask=mascara_ventana_deslizante(T, w, causal)``.

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
    j = torch.arange(T, device=Q.device)[:, None] - izq + torch.arange(izq + der + 1, device=Q.device)[None, :]
    puntuaciones = torch.einsum("...td,...tdl->...tl", Q, K_v) * escala  # (..., T, L)
    pesos = softmax(puntuaciones.masked_fill((j < 0) | (j >= T), float("-inf")))  # (..., T, L)
    return torch.einsum("...tl,...tdl->...td", pesos, V_v)  # (..., T, d_v)


@implementa("atencion-dispersa-estriada")
def mascaras_estriadas(T, l=None):
    """Máscaras local y estriada del Sparse Transformer (ec. `atencion-dispersa-estriada`).

    Formas
    ------
    devuelve (local, estriada) : dos máscaras (T, T), booleanas, causales y en CPU; ``l = ⌈√T⌉`` por omisión
    """
    validar_longitud("T", T)
    l = validar_longitud("l", math.ceil(math.sqrt(T)) if l is None else l)
    dif = torch.arange(T)[:, None] - torch.arange(T)[None, :]  # (T, T), i - j
    causal = mascara_causal(T)
    return causal & (dif <= l), causal & (dif % l == 0)
