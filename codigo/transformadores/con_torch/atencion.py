"""Atención de consulta única, de producto escalado y cruzada (capítulo 3), gemelo PyTorch.

Cuando no se piden los pesos, ``atencion_escalada`` usa el camino fusionado de PyTorch
(``F.scaled_dot_product_attention``): mismo resultado, menos memoria y más velocidad.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from ..ecuaciones import implementa
from ..validacion import (
    validar_atencion,
    validar_atencion_cruzada,
    validar_consulta_unica,
    validar_longitud,
)
from .mascaras import mascara_causal

__all__ = ["atencion_escalada", "atencion_consulta_unica", "varianza_producto_escalar", "atencion_cruzada"]


def _permitido(mascara):
    """Máscara booleana equivalente (True = puede atender) a una booleana o aditiva."""
    return mascara if mascara.dtype == torch.bool else mascara > float("-inf")


def _con_causal(mascara, T, S, dispositivo):
    """Añade la máscara causal (alineada abajo a la derecha si S > T) a una booleana o aditiva."""
    causal = mascara_causal(T, S).to(dispositivo)
    if mascara is None:
        return causal
    if mascara.dtype == torch.bool:
        return mascara & causal
    return mascara.masked_fill(~causal, float("-inf"))


def _pesos_enmascarados(puntuaciones, mascara):
    """Softmax por filas con máscara booleana o aditiva; filas sin claves permitidas → 0."""
    if mascara is not None and mascara.dtype == torch.bool:
        puntuaciones = puntuaciones.masked_fill(~mascara, float("-inf"))
    elif mascara is not None:
        puntuaciones = puntuaciones + mascara
    m = puntuaciones.amax(dim=-1, keepdim=True)  # (..., T, 1)
    m = torch.where(torch.isfinite(m), m, torch.zeros_like(m))
    e = torch.exp(puntuaciones - m)
    suma = e.sum(dim=-1, keepdim=True)
    return e / torch.where(suma == 0, torch.ones_like(suma), suma)  # fila vacía → 0 (errata E5)


@implementa("atencion-producto-escalado", "mascara-aditiva")
def atencion_escalada(Q, K, V, mascara=None, escala=None, devolver_pesos=False, causal=False):
    """Atención de producto escalado (ec. `atencion-producto-escalado`); gemelo de ``con_numpy``.

    ``Attention(Q, K, V) = softmax(QKᵀ/√d_k + M) V``; la máscara puede ser booleana
    (True = puede atender) o aditiva (ec. `mascara-aditiva`). Sin ``devolver_pesos`` se usa
    ``F.scaled_dot_product_attention`` (camino fusionado).

    Con ``causal=True`` y sin otra máscara se usa ``is_causal`` de SDPA (el camino más rápido).

    Formas
    ------
    Q : (..., T, d_k)    K : (..., S, d_k)    V : (..., S, d_v)
    mascara : difundible a (..., T, S)
    salida : (..., T, d_v)    pesos : (..., T, S), cada fila suma 1 (o 0 si está vacía)

    Una consulta sin ninguna clave permitida recibe una fila de ceros, nunca NaN.
    """
    f = validar_atencion(Q, K, V, mascara, escala)
    if mascara is not None:
        mascara = mascara.to(Q.device) if mascara.dtype == torch.bool else mascara.to(Q.device, Q.dtype)
    if causal and (mascara is not None or devolver_pesos or f["T"] != f["S"]):
        causal, mascara = False, _con_causal(mascara, f["T"], f["S"], Q.device)
    if not devolver_pesos:
        salida = F.scaled_dot_product_attention(Q, K, V, attn_mask=mascara, scale=escala, is_causal=causal)
        if mascara is not None:  # filas vacías: algunas versiones de SDPA dan NaN; garantizamos ceros
            vacia = ~_permitido(mascara).any(dim=-1, keepdim=True)  # (..., T, 1)
            salida = salida.masked_fill(vacia, 0.0)
        return salida
    escala = 1.0 / math.sqrt(f["d_k"]) if escala is None else escala
    puntuaciones = (Q @ K.transpose(-2, -1)) * escala  # (..., T, S)
    pesos = _pesos_enmascarados(puntuaciones, mascara)
    return pesos @ V, pesos  # (..., T, d_v), (..., T, S)


@implementa("atencion-consulta-unica")
def atencion_consulta_unica(e, contexto, W_q, b_q, W_k, b_k, W_v, b_v):
    """Atención de una sola consulta, Algoritmo 3 de Phuong & Hutter (ec. `atencion-consulta-unica`).

    Formas
    ------
    e : (d_in,)    contexto : (T, d_in)
    W_q, W_k : (d_attn, d_in)    b_q, b_k : (d_attn,)    W_v : (d_out, d_in)    b_v : (d_out,)
    salida : (d_out,)
    """
    f = validar_consulta_unica(e, contexto, W_q, b_q, W_k, b_k, W_v, b_v)
    q = F.linear(e, W_q, b_q)  # (d_attn,)
    k = F.linear(contexto, W_k, b_k)  # (T, d_attn)
    v = F.linear(contexto, W_v, b_v)  # (T, d_out)
    alfa = torch.softmax(k @ q / math.sqrt(f["d_attn"]), dim=-1)  # (T,)
    return alfa @ v  # (d_out,)


@implementa("varianza-producto-escalar")
def varianza_producto_escalar(d_k, n_muestras=100_000, rng=None):
    """Media y varianza empíricas de ``q·k`` con ``q, k ~ N(0, I)`` (ec. `varianza-producto-escalar`).

    ``rng`` es un ``torch.Generator`` (o None para uno con semilla 0).

    Formas
    ------
    devuelve (media, varianza) : dos números de Python
    """
    validar_longitud("d_k", d_k)
    validar_longitud("n_muestras", n_muestras)
    rng = torch.Generator().manual_seed(0) if rng is None else rng
    q = torch.randn(n_muestras, d_k, generator=rng, dtype=torch.float64)
    k = torch.randn(n_muestras, d_k, generator=rng, dtype=torch.float64)
    productos = (q * k).sum(dim=-1)  # (n_muestras,)
    return float(productos.mean()), float(productos.var(unbiased=False))


@implementa("atencion-cruzada")
def atencion_cruzada(X, Z, W_q, W_k, W_v, mascara_Z=None):
    """Atención cruzada del decodificador al codificador (ec. `atencion-cruzada`).

    Formas
    ------
    X : (..., T, d_x)    Z : (..., S, d_z)
    W_q : (d_k, d_x)    W_k : (d_k, d_z)    W_v : (d_v, d_z)
    mascara_Z : (..., S), booleana; True = token real de Z
    salida : (..., T, d_v)
    """
    validar_atencion_cruzada(X, Z, W_q, W_k, W_v, mascara_Z)
    mascara = None
    if mascara_Z is not None:
        mascara = mascara_Z[..., None, :]  # (..., 1, S)
    return atencion_escalada(F.linear(X, W_q), F.linear(Z, W_k), F.linear(Z, W_v), mascara)
