"""Atención multicabeza (capítulo 4), gemelo PyTorch: mismas funciones y firmas que ``con_numpy``.

Pesos en la orientación de ``nn.Linear.weight`` (salida, entrada), aplicados con ``F.linear``;
cabezas en la dimensión -3 (..., H, T, d_k); máscaras con True = «puede atender» (al revés que
``attn_mask`` y ``key_padding_mask`` de ``nn.MultiheadAttention``, que usan True = prohibido).
Sin ``devolver_pesos``, la atención de cada cabeza usa el camino fusionado de
``F.scaled_dot_product_attention`` (a través de ``atencion_escalada``).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from ..ecuaciones import implementa
from ..errores import comprobar_forma
from ..validacion.multicabeza import (
    validar_algoritmo_5,
    validar_dimensiones_multicabeza,
    validar_multicabeza,
    validar_proyecciones,
    validar_separar_cabezas,
)
from .atencion import atencion_escalada

__all__ = [
    "proyecciones_qkv",
    "separar_cabezas",
    "unir_cabezas",
    "atencion_multicabeza",
    "multicabeza_algoritmo_5",
    "multicabeza_parametros",
    "atencion_consultas_agrupadas",
]


@implementa("proyecciones-qkv")
def proyecciones_qkv(X, W_q, W_k, W_v, b_q=None, b_k=None, b_v=None, Z=None):
    """Proyecciones de consultas, claves y valores de todas las cabezas (ec. `proyecciones-qkv`).

    Formas
    ------
    X : (..., T, d_x)    Z : (..., S, d_z), ``Z = X`` si es None
    W_q : (h·d_k, d_x)    W_k : (h·d_k, d_z)    W_v : (h·d_v, d_z)    b_q, b_k : (h·d_k,)    b_v : (h·d_v,)
    devuelve Q : (..., T, h·d_k), K : (..., S, h·d_k), V : (..., S, h·d_v)
    """
    validar_proyecciones(X, W_q, W_k, W_v, b_q, b_k, b_v, Z)
    Z = X if Z is None else Z
    return F.linear(X, W_q, b_q), F.linear(Z, W_k, b_k), F.linear(Z, W_v, b_v)


def separar_cabezas(X, n_cabezas):
    """Reparte la última dimensión entre ``n_cabezas`` cabezas y las pasa delante de T.

    Formas
    ------
    X : (..., T, H·d)    salida : (..., H, T, d)
    """
    validar_separar_cabezas(X, n_cabezas)
    *lote, T, d = X.shape
    X = X.reshape(*lote, T, n_cabezas, d // n_cabezas)  # (..., T, H, d)
    return X.transpose(-2, -3)  # (..., H, T, d)


def unir_cabezas(X):
    """Inversa de :func:`separar_cabezas`: concatena las cabezas en la última dimensión.

    Formas
    ------
    X : (..., H, T, d)    salida : (..., T, H·d)
    """
    comprobar_forma("X", X, "... H T d")
    X = X.transpose(-2, -3)  # (..., T, H, d)
    return X.reshape(*X.shape[:-2], X.shape[-2] * X.shape[-1])  # (..., T, H·d)


def _por_cabezas(X, Z, W_q, W_k, W_v, W_o, n_cabezas, n_cabezas_kv, b_q, b_k, b_v, b_o, mascara, devolver_pesos):
    """Cuerpo común de la multicabeza (``n_cabezas_kv = n_cabezas``) y de MQA/GQA."""
    Z = X if Z is None else Z
    # 1) proyectar consultas, claves y valores de todas las cabezas a la vez
    Q, K, V = F.linear(X, W_q, b_q), F.linear(Z, W_k, b_k), F.linear(Z, W_v, b_v)
    # 2) separar cabezas
    Q = separar_cabezas(Q, n_cabezas)  # (..., H, T, d_k)
    K = separar_cabezas(K, n_cabezas_kv)  # (..., H_kv, S, d_k)
    V = separar_cabezas(V, n_cabezas_kv)  # (..., H_kv, S, d_v)
    # 3) la cabeza i usa el grupo g(i) = ⌊i / (H/H_kv)⌋ de claves y valores
    K = K.repeat_interleave(n_cabezas // n_cabezas_kv, dim=-3)  # (..., H, S, d_k)
    V = V.repeat_interleave(n_cabezas // n_cabezas_kv, dim=-3)  # (..., H, S, d_v)
    # 4) atención de producto escalado en cada cabeza, en paralelo
    if devolver_pesos:
        cabezas, pesos = atencion_escalada(Q, K, V, mascara, devolver_pesos=True)  # (..., H, T, d_v)
    else:
        cabezas = atencion_escalada(Q, K, V, mascara)  # (..., H, T, d_v)
    # 5) concatenar las cabezas y proyectar con W_o
    salida = F.linear(unir_cabezas(cabezas), W_o, b_o)  # (..., T, d_out)
    return (salida, pesos) if devolver_pesos else salida


@implementa("atencion-multicabeza")
def atencion_multicabeza(
    X, W_q, W_k, W_v, W_o, n_cabezas, b_q=None, b_k=None, b_v=None, b_o=None, Z=None, mascara=None, devolver_pesos=False
):
    """Atención multicabeza de Vaswani et al. (ec. `atencion-multicabeza`); gemelo de ``con_numpy``.

    ``Concat(head_1, …, head_h) W_oᵀ + b_o`` con ``head_i = Attention(X W_q,iᵀ, Z W_k,iᵀ, Z W_v,iᵀ)``.
    ``Z`` = None es autoatención. La máscara usa True = puede atender: para comparar con
    ``nn.MultiheadAttention`` pásale ``attn_mask=~mascara`` (y ``key_padding_mask=~relleno``).

    Formas
    ------
    X : (..., T, d_x)    Z : (..., S, d_z)
    W_q : (h·d_k, d_x)    W_k : (h·d_k, d_z)    W_v : (h·d_v, d_z)    W_o : (d_out, h·d_v)
    b_q, b_k : (h·d_k,)    b_v : (h·d_v,)    b_o : (d_out,)
    mascara : difundible a (..., H, T, S)
    salida : (..., T, d_out)    pesos : (..., H, T, S), por cabeza (sin promediar)
    """
    validar_multicabeza(X, W_q, W_k, W_v, W_o, n_cabezas, n_cabezas, b_q, b_k, b_v, b_o, Z, mascara)
    return _por_cabezas(X, Z, W_q, W_k, W_v, W_o, n_cabezas, n_cabezas, b_q, b_k, b_v, b_o, mascara, devolver_pesos)


@implementa("atencion-consultas-agrupadas")
def atencion_consultas_agrupadas(
    X,
    W_q,
    W_k,
    W_v,
    W_o,
    n_cabezas,
    n_cabezas_kv,
    b_q=None,
    b_k=None,
    b_v=None,
    b_o=None,
    Z=None,
    mascara=None,
    devolver_pesos=False,
):
    """Atención de consultas agrupadas, MQA/GQA (ec. `atencion-consultas-agrupadas`).

    ``head_i = Attention(X W_q,iᵀ, Z W_k,g(i)ᵀ, Z W_v,g(i)ᵀ)``, ``g(i) = ⌊i / (h/h_kv)⌋``: lo mismo que
    ``F.scaled_dot_product_attention(..., enable_gqa=True)``.

    Formas
    ------
    X : (..., T, d_x)    Z : (..., S, d_z)
    W_q : (h·d_k, d_x)    W_k : (h_kv·d_k, d_z)    W_v : (h_kv·d_v, d_z)    W_o : (d_out, h·d_v)
    b_q : (h·d_k,)    b_k : (h_kv·d_k,)    b_v : (h_kv·d_v,)    b_o : (d_out,)
    mascara : difundible a (..., H, T, S)
    salida : (..., T, d_out)    pesos : (..., H, T, S)
    """
    validar_multicabeza(X, W_q, W_k, W_v, W_o, n_cabezas, n_cabezas_kv, b_q, b_k, b_v, b_o, Z, mascara)
    return _por_cabezas(X, Z, W_q, W_k, W_v, W_o, n_cabezas, n_cabezas_kv, b_q, b_k, b_v, b_o, mascara, devolver_pesos)


@implementa("multicabeza-algoritmo-5")
def multicabeza_algoritmo_5(X, W_q, b_q, W_k, b_k, W_v, b_v, W_o, b_o, Z=None, mascara=None):
    """Multicabeza general de Phuong & Hutter, Algoritmo 5 (ec. `multicabeza-algoritmo-5`).

    Bucle explícito sobre las cabezas, un token por fila (``X`` es la ``Xᵀ`` de P&H).

    Formas
    ------
    X : (..., T, d_x)    Z : (..., S, d_z), ``Z = X`` si es None
    W_q : (H, d_attn, d_x)    W_k : (H, d_attn, d_z)    W_v : (H, d_mid, d_z)    b_q, b_k : (H, d_attn)
    b_v : (H, d_mid)    W_o : (d_out, H·d_mid)    b_o : (d_out,)    (sesgos opcionales: None)
    mascara : difundible a (..., T, S)
    salida : (..., T, d_out)
    """
    f = validar_algoritmo_5(X, W_q, b_q, W_k, b_k, W_v, b_v, W_o, b_o, Z, mascara)
    Z = X if Z is None else Z
    Y = []
    for h in range(f["H"]):  # 1) para cada cabeza h
        Q = F.linear(X, W_q[h], None if b_q is None else b_q[h])  # (..., T, d_attn)
        K = F.linear(Z, W_k[h], None if b_k is None else b_k[h])  # (..., S, d_attn)
        V = F.linear(Z, W_v[h], None if b_v is None else b_v[h])  # (..., S, d_mid)
        Y.append(atencion_escalada(Q, K, V, mascara))  # 2) Y^h : (..., T, d_mid)
    Y = torch.cat(Y, dim=-1)  # 3) [Y^1; …; Y^H] : (..., T, H·d_mid)
    return F.linear(Y, W_o, b_o)  # 4) W_o Y + b_o : (..., T, d_out)


@implementa("multicabeza-parametros")
def multicabeza_parametros(d_modelo, n_cabezas, d_k=None, d_v=None, d_z=None, sesgo=True):
    """Número de parámetros de una capa de atención multicabeza (ec. `multicabeza-parametros`).

    ``4·d_modelo² + 4·d_modelo`` con los valores por omisión, igual que
    ``sum(p.numel() for p in nn.MultiheadAttention(d_modelo, h).parameters())``.

    Formas
    ------
    devuelve : un entero de Python
    """
    d_k, d_v, d_z = validar_dimensiones_multicabeza(d_modelo, n_cabezas, d_k, d_v, d_z)
    h = n_cabezas
    pesos = h * d_k * d_modelo + h * d_k * d_z + h * d_v * d_z + d_modelo * h * d_v  # W_q, W_k, W_v, W_o
    sesgos = 2 * h * d_k + h * d_v + d_modelo  # b_q, b_k, b_v, b_o
    return pesos + (sesgos if sesgo else 0)
