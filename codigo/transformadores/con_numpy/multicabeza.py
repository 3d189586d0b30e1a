"""Atención multicabeza (capítulo 4): proyecciones, cabezas, forma de Vaswani, forma de P&H y MQA/GQA.

Convenciones del paquete:

- Un token por fila: ``X`` (..., T, d_x) da las consultas y ``Z`` (..., S, d_z) las claves y
  valores (``Z = X`` en la autoatención; otra secuencia en la atención cruzada).
- Pesos con la orientación de ``nn.Linear.weight`` (salida, entrada), aplicados como ``x @ W.T + b``.
  Los de todas las cabezas van apilados por filas: las filas ``[i·d_k, (i+1)·d_k)`` de ``W_q``
  son la cabeza ``i``, igual que en ``nn.MultiheadAttention.in_proj_weight``.
- Las cabezas van en la dimensión -3: (..., H, T, d_k).
- Máscaras booleanas con True = «puede atender» (o aditivas, flotantes), difundibles a
  (..., H, T, S). Ojo: ``nn.MultiheadAttention`` usa la convención contraria (True = prohibido).
"""

from __future__ import annotations

import numpy as np

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


def _lineal(x, W, b=None):
    """``x @ W.T + b`` (orientación de ``nn.Linear``); sin sesgo si ``b`` es None."""
    y = x @ W.T
    return y if b is None else y + b


@implementa("proyecciones-qkv")
def proyecciones_qkv(X, W_q, W_k, W_v, b_q=None, b_k=None, b_v=None, Z=None):
    """Proyecciones lineales de consultas, claves y valores de todas las cabezas (ec. `proyecciones-qkv`).

    ``Q = X W_qᵀ + b_q``, ``K = Z W_kᵀ + b_k``, ``V = Z W_vᵀ + b_v``, con ``Z = X`` si no se da
    (autoatención). Para copiar ``nn.MultiheadAttention``: ``W_q, W_k, W_v = in_proj_weight.chunk(3)``.

    Formas
    ------
    X : (..., T, d_x)    Z : (..., S, d_z)
    W_q : (h·d_k, d_x)    W_k : (h·d_k, d_z)    W_v : (h·d_v, d_z)    b_q, b_k : (h·d_k,)    b_v : (h·d_v,)
    devuelve Q : (..., T, h·d_k), K : (..., S, h·d_k), V : (..., S, h·d_v)
    """
    validar_proyecciones(X, W_q, W_k, W_v, b_q, b_k, b_v, Z)
    Z = X if Z is None else Z
    return _lineal(X, W_q, b_q), _lineal(Z, W_k, b_k), _lineal(Z, W_v, b_v)


def separar_cabezas(X, n_cabezas):
    """Reparte la última dimensión entre ``n_cabezas`` cabezas y las pasa delante de T.

    Formas
    ------
    X : (..., T, H·d)    salida : (..., H, T, d)
    """
    validar_separar_cabezas(X, n_cabezas)
    *lote, T, d = X.shape
    X = X.reshape(*lote, T, n_cabezas, d // n_cabezas)  # (..., T, H, d)
    return np.swapaxes(X, -2, -3)  # (..., H, T, d)


def unir_cabezas(X):
    """Inversa de :func:`separar_cabezas`: concatena las cabezas en la última dimensión.

    Formas
    ------
    X : (..., H, T, d)    salida : (..., T, H·d)
    """
    comprobar_forma("X", X, "... H T d")
    X = np.swapaxes(X, -2, -3)  # (..., T, H, d)
    return X.reshape(*X.shape[:-2], X.shape[-2] * X.shape[-1])  # (..., T, H·d)


def _por_cabezas(X, Z, W_q, W_k, W_v, W_o, n_cabezas, n_cabezas_kv, b_q, b_k, b_v, b_o, mascara, devolver_pesos):
    """Cuerpo común de la multicabeza (``n_cabezas_kv = n_cabezas``) y de MQA/GQA."""
    Z = X if Z is None else Z
    # 1) proyectar consultas, claves y valores de todas las cabezas a la vez
    Q, K, V = _lineal(X, W_q, b_q), _lineal(Z, W_k, b_k), _lineal(Z, W_v, b_v)
    # 2) separar cabezas
    Q = separar_cabezas(Q, n_cabezas)  # (..., H, T, d_k)
    K = separar_cabezas(K, n_cabezas_kv)  # (..., H_kv, S, d_k)
    V = separar_cabezas(V, n_cabezas_kv)  # (..., H_kv, S, d_v)
    # 3) la cabeza i usa el grupo g(i) = ⌊i / (H/H_kv)⌋ de claves y valores
    K = np.repeat(K, n_cabezas // n_cabezas_kv, axis=-3)  # (..., H, S, d_k)
    V = np.repeat(V, n_cabezas // n_cabezas_kv, axis=-3)  # (..., H, S, d_v)
    # 4) atención de producto escalado en cada cabeza, en paralelo
    cabezas, pesos = atencion_escalada(Q, K, V, mascara, devolver_pesos=True)  # (..., H, T, d_v)
    # 5) concatenar las cabezas y proyectar con W_o
    salida = _lineal(unir_cabezas(cabezas), W_o, b_o)  # (..., T, d_out)
    return (salida, pesos) if devolver_pesos else salida


@implementa("atencion-multicabeza")
def atencion_multicabeza(
    X, W_q, W_k, W_v, W_o, n_cabezas, b_q=None, b_k=None, b_v=None, b_o=None, Z=None, mascara=None, devolver_pesos=False
):
    """Atención multicabeza de Vaswani et al. (ec. `atencion-multicabeza`).

    ``MultiHead = Concat(head_1, …, head_h) W_oᵀ + b_o`` con
    ``head_i = Attention(X W_q,iᵀ, Z W_k,iᵀ, Z W_v,iᵀ)``: 1) proyectar, 2) separar cabezas
    (B, T, h·d_k) → (B, h, T, d_k), 3) ``atencion_escalada`` en cada cabeza, 4) concatenar, 5) ``W_o``.

    Parámetros
    ----------
    Z : memoria para la atención cruzada; None = autoatención (``Z = X``).
    mascara : booleana (True = puede atender) o aditiva; p. ej. ``mascara_causal(T)`` o, para el
        relleno, ``mascara_relleno(longitudes, S)[:, None, None, :]``. Con ``nn.MultiheadAttention``
        niégala: su ``attn_mask`` y su ``key_padding_mask`` usan True = prohibido.
    devolver_pesos : si es True devuelve también los pesos de cada cabeza (sin promediar, como
        ``average_attn_weights=False``).

    Formas
    ------
    X : (..., T, d_x)    Z : (..., S, d_z)
    W_q : (h·d_k, d_x)    W_k : (h·d_k, d_z)    W_v : (h·d_v, d_z)    W_o : (d_out, h·d_v)
    b_q, b_k : (h·d_k,)    b_v : (h·d_v,)    b_o : (d_out,)
    mascara : difundible a (..., H, T, S)
    salida : (..., T, d_out)    pesos : (..., H, T, S)

    Una consulta sin ninguna clave permitida da ceros en todas las cabezas (más ``b_o``), nunca NaN.
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

    ``head_i = Attention(X W_q,iᵀ, Z W_k,g(i)ᵀ, Z W_v,g(i)ᵀ)`` con ``g(i) = ⌊i / (h/h_kv)⌋``:
    ``h_kv = 1`` es MQA y ``h_kv = h`` es la multicabeza de siempre. La caché de claves y
    valores se reduce en un factor ``h/h_kv``. Mismos argumentos que :func:`atencion_multicabeza`
    más ``n_cabezas_kv``.

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

    Un bucle explícito sobre las cabezas: 1) para cada ``h``, 2) ``Y^h = Attention(X, Z | W^h_qkv, Mask)``,
    3) ``Y = [Y^1; …; Y^H]``, 4) ``Ṽ = W_o Y + b_o``. Las dimensiones ``d_attn`` (consulta y clave),
    ``d_mid`` (valor) y ``d_out`` son independientes. P&H escribe un token por columna; aquí va
    uno por fila (``X`` es la ``Xᵀ`` de P&H) y la máscara es la de P&H traspuesta.
    Equivale a :func:`atencion_multicabeza` con ``W_q = W_q_ph.reshape(H·d_attn, d_x)`` (igual con
    ``W_k``, ``W_v`` y los sesgos).

    Formas
    ------
    X : (..., T, d_x)    Z : (..., S, d_z), ``Z = X`` si es None
    W_q : (H, d_attn, d_x)    W_k : (H, d_attn, d_z)    W_v : (H, d_mid, d_z)    b_q, b_k : (H, d_attn)
    b_v : (H, d_mid)    W_o : (d_out, H·d_mid)    b_o : (d_out,)    (sesgos opcionales: None)
    mascara : difundible a (..., T, S), la misma para todas las cabezas
    salida : (..., T, d_out)
    """
    f = validar_algoritmo_5(X, W_q, b_q, W_k, b_k, W_v, b_v, W_o, b_o, Z, mascara)
    Z = X if Z is None else Z
    Y = []
    for h in range(f["H"]):  # 1) para cada cabeza h
        Q = _lineal(X, W_q[h], None if b_q is None else b_q[h])  # (..., T, d_attn)
        K = _lineal(Z, W_k[h], None if b_k is None else b_k[h])  # (..., S, d_attn)
        V = _lineal(Z, W_v[h], None if b_v is None else b_v[h])  # (..., S, d_mid)
        Y.append(atencion_escalada(Q, K, V, mascara))  # 2) Y^h : (..., T, d_mid)
    Y = np.concatenate(Y, axis=-1)  # 3) [Y^1; …; Y^H] : (..., T, H·d_mid)
    return _lineal(Y, W_o, b_o)  # 4) W_o Y + b_o : (..., T, d_out)


@implementa("multicabeza-parametros")
def multicabeza_parametros(d_modelo, n_cabezas, d_k=None, d_v=None, d_z=None, sesgo=True):
    """Número de parámetros de una capa de atención multicabeza (ec. `multicabeza-parametros`).

    ``h·d_k·d_modelo`` (W_q) + ``h·d_k·d_z`` (W_k) + ``h·d_v·d_z`` (W_v) + ``d_modelo·h·d_v`` (W_o)
    y, con ``sesgo``, ``2·h·d_k + h·d_v + d_modelo``. Con ``d_k = d_v = d_modelo/h`` y ``d_z = d_modelo``
    (los valores por omisión) da ``4·d_modelo² + 4·d_modelo``, lo mismo que
    ``nn.MultiheadAttention(d_modelo, h, kdim=d_z, vdim=d_z, bias=sesgo)``.

    Formas
    ------
    devuelve : un entero de Python
    """
    d_k, d_v, d_z = validar_dimensiones_multicabeza(d_modelo, n_cabezas, d_k, d_v, d_z)
    h = n_cabezas
    pesos = h * d_k * d_modelo + h * d_k * d_z + h * d_v * d_z + d_modelo * h * d_v  # W_q, W_k, W_v, W_o
    sesgos = 2 * h * d_k + h * d_v + d_modelo  # b_q, b_k, b_v, b_o
    return pesos + (sesgos if sesgo else 0)
