"""Atención en la convención de columnas de Phuong & Hutter, Algoritmo 4 (capítulo 3).

En P&H cada **columna** es un token: ``X`` es (d_x, l_x) y ``S = KᵀQ`` es (l_z, l_x), con el
softmax por columnas. La forma de PyTorch usa filas: ``softmax(QKᵀ/√d) V``. Son la misma
cuenta traspuesta (errata E6): ``Ṽ = (softmax_fila(QᵀK/√d) Vᵀ)ᵀ``.
"""

from __future__ import annotations

import math

import numpy as np

from ..ecuaciones import implementa
from ..validacion.atencion_columnas import validar_atencion_columnas
from .atencion import atencion_escalada
from .softmax import softmax

__all__ = ["atencion_columnas"]


def _t(x):
    return np.swapaxes(x, -1, -2)


@implementa("atencion-matricial-columnas")
def atencion_columnas(X, Z, W_q, b_q, W_k, b_k, W_v, b_v, mascara=None, forma="columnas"):
    """Atención de P&H con un token por columna (ec. `atencion-matricial-columnas`).

    1) ``Q = W_q X + b_q 1ᵀ``; 2) ``K = W_k Z + b_k 1ᵀ``; 3) ``V = W_v Z + b_v 1ᵀ``;
    4) ``S = KᵀQ``; 5) ``S[t_z, t_x] = -∞`` donde ``¬mascara``; 6) ``Ṽ = V softmax_col(S/√d_attn)``.

    Parámetros
    ----------
    forma : ``"columnas"`` calcula los pasos 4–6 tal cual (softmax sobre el eje de ``t_z``);
        ``"filas"`` traspone y usa ``atencion_escalada``. Las dos dan lo mismo.

    Formas
    ------
    X : (..., d_x, l_x)    Z : (..., d_z, l_z)
    W_q : (d_attn, d_x)    W_k : (d_attn, d_z)    b_q, b_k : (d_attn,)    W_v : (d_out, d_z)    b_v : (d_out,)
    mascara : (..., l_z, l_x), booleana; True = el token ``t_x`` puede atender a ``t_z``
        (la causal de P&H es ``t_z ≤ t_x``: triangular **superior**, la traspuesta de la de filas)
    salida : (..., d_out, l_x); una columna sin ningún ``t_z`` permitido da ceros, nunca NaN
    """
    f = validar_atencion_columnas(X, Z, W_q, b_q, W_k, b_k, W_v, b_v, mascara, forma)
    Q = W_q @ X + b_q[:, None]  # (..., d_attn, l_x)
    K = W_k @ Z + b_k[:, None]  # (..., d_attn, l_z)
    V = W_v @ Z + b_v[:, None]  # (..., d_out, l_z)
    if forma == "filas":
        return _t(atencion_escalada(_t(Q), _t(K), _t(V), None if mascara is None else _t(mascara)))  # (..., d_out, l_x)
    S = _t(K) @ Q / math.sqrt(f["d_attn"])  # (..., l_z, l_x)
    if mascara is not None:
        S = np.where(mascara, S, -np.inf)
    return V @ softmax(S, eje=-2)  # (..., d_out, l_x): cada columna del softmax suma 1
