"""Atención de consulta única, de producto escalado y cruzada (capítulo 3).

Los pesos siguen la orientación de ``nn.Linear.weight`` y de Phuong & Hutter: ``W`` tiene
forma (salida, entrada) y se aplica como ``x @ W.T + b``.
"""

from __future__ import annotations

import math

import numpy as np

from ..ecuaciones import implementa
from ..errores import comprobar_finito
from ..validacion import (
    validar_atencion,
    validar_atencion_cruzada,
    validar_consulta_unica,
    validar_longitud,
)
from .mascaras import mascara_causal

__all__ = ["atencion_escalada", "atencion_consulta_unica", "varianza_producto_escalar", "atencion_cruzada"]


def _pesos_enmascarados(puntuaciones, mascara):
    """Softmax por filas con máscara booleana o aditiva; filas sin claves permitidas → 0."""
    if mascara is not None and mascara.dtype == bool:
        puntuaciones = np.where(mascara, puntuaciones, -np.inf)
    elif mascara is not None:
        puntuaciones = puntuaciones + mascara  # máscara aditiva (0 / -inf / sesgo real)
    m = puntuaciones.max(axis=-1, keepdims=True)  # (..., T, 1)
    m = np.where(np.isfinite(m), m, 0.0)
    e = np.exp(puntuaciones - m)  # exp(-inf) = 0 en las claves prohibidas
    suma = e.sum(axis=-1, keepdims=True)
    return e / np.where(suma == 0, 1.0, suma)  # fila vacía: pesos 0, salida 0 (errata E5)


@implementa("atencion-producto-escalado", "mascara-aditiva")
def atencion_escalada(Q, K, V, mascara=None, escala=None, devolver_pesos=False, causal=False):
    """Atención de producto escalado (ec. `atencion-producto-escalado`).

    ``Attention(Q, K, V) = softmax(QKᵀ/√d_k + M) V``; la máscara puede ser booleana
    (True = la consulta puede atender a esa clave) o aditiva (ec. `mascara-aditiva`).

    Parámetros
    ----------
    escala : factor de las puntuaciones; ``1/√d_k`` por omisión.
    devolver_pesos : si es True, devuelve también la matriz de pesos.
    causal : si es True, añade la máscara causal (ec. `mascara-causal`) a ``mascara``.

    Formas
    ------
    Q : (..., T, d_k)    K : (..., S, d_k)    V : (..., S, d_v)
    mascara : difundible a (..., T, S)
    salida : (..., T, d_v)    pesos : (..., T, S), cada fila suma 1 (o 0 si está vacía)

    Una consulta sin ninguna clave permitida recibe una fila de ceros, nunca NaN.
    """
    f = validar_atencion(Q, K, V, mascara, escala)
    for nombre, x in (("Q", Q), ("K", K), ("V", V)):
        comprobar_finito(nombre, x)
    escala = 1.0 / float(np.sqrt(f["d_k"])) if escala is None else float(escala)  # float de Python: conserva float32
    puntuaciones = (Q @ np.swapaxes(K, -1, -2)) * escala  # (..., T, S)
    if causal:
        puntuaciones = np.where(mascara_causal(f["T"], f["S"]), puntuaciones, -np.inf)
    pesos = _pesos_enmascarados(puntuaciones, mascara)  # (..., T, S)
    salida = pesos @ V  # (..., T, d_v)
    return (salida, pesos) if devolver_pesos else salida


@implementa("atencion-consulta-unica")
def atencion_consulta_unica(e, contexto, W_q, b_q, W_k, b_k, W_v, b_v):
    """Atención de una sola consulta, como el Algoritmo 3 de Phuong & Hutter (ec. `atencion-consulta-unica`).

    1) ``q = W_q e + b_q``; 2) ``k_t = W_k e_t + b_k``; 3) ``v_t = W_v e_t + b_v``;
    4) ``α = softmax(q·k_t/√d_attn)``; 5) ``ṽ = Σ_t α_t v_t``.

    Formas
    ------
    e : (d_in,)    contexto : (T, d_in), un token por fila
    W_q, W_k : (d_attn, d_in)    b_q, b_k : (d_attn,)    W_v : (d_out, d_in)    b_v : (d_out,)
    salida : (d_out,)
    """
    f = validar_consulta_unica(e, contexto, W_q, b_q, W_k, b_k, W_v, b_v)
    q = W_q @ e + b_q  # (d_attn,)
    k = contexto @ W_k.T + b_k  # (T, d_attn)
    v = contexto @ W_v.T + b_v  # (T, d_out)
    alfa = _pesos_enmascarados(k @ q / math.sqrt(f["d_attn"]), None)  # (T,)
    return alfa @ v  # (d_out,)


@implementa("varianza-producto-escalar")
def varianza_producto_escalar(d_k, n_muestras=100_000, rng=None):
    """Media y varianza empíricas de ``q·k`` con ``q, k ~ N(0, I)`` (ec. `varianza-producto-escalar`).

    La teoría dice media 0 y varianza ``d_k``: por eso dividimos las puntuaciones por ``√d_k``.

    Formas
    ------
    devuelve (media, varianza) : dos números de Python

    ``rng`` es un ``np.random.Generator`` (o None para uno nuevo con semilla 0).
    """
    validar_longitud("d_k", d_k)
    validar_longitud("n_muestras", n_muestras)
    rng = np.random.default_rng(0) if rng is None else rng
    q = rng.standard_normal((n_muestras, d_k))
    k = rng.standard_normal((n_muestras, d_k))
    productos = (q * k).sum(axis=-1)  # (n_muestras,)
    return float(productos.mean()), float(productos.var())


@implementa("atencion-cruzada")
def atencion_cruzada(X, Z, W_q, W_k, W_v, mascara_Z=None):
    """Atención cruzada: consultas del decodificador, claves y valores del codificador (ec. `atencion-cruzada`).

    ``CrossAttn(X, Z) = softmax((X W_qᵀ)(Z W_kᵀ)ᵀ/√d_k + M_Z) Z W_vᵀ``; sin máscara causal,
    solo la de relleno de ``Z``.

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
        mascara = mascara_Z[..., None, :]  # (..., 1, S): la misma para todas las consultas
    return atencion_escalada(X @ W_q.T, Z @ W_k.T, Z @ W_v.T, mascara)
