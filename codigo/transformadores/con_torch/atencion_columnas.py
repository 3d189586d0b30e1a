"""Atención en la convención de columnas de Phuong & Hutter, Algoritmo 4 (capítulo 3), gemelo PyTorch."""

from __future__ import annotations

import math

from ..ecuaciones import implementa
from ..validacion.atencion_columnas import validar_atencion_columnas
from .atencion import atencion_escalada
from .softmax import softmax

__all__ = ["atencion_columnas"]


def _t(x):
    return x.transpose(-1, -2)


@implementa("atencion-matricial-columnas")
def atencion_columnas(X, Z, W_q, b_q, W_k, b_k, W_v, b_v, mascara=None, forma="columnas"):
    """Atención de P&H con un token por columna (ec. `atencion-matricial-columnas`); gemelo de ``con_numpy``.

    Con ``forma="filas"`` trasponemos y usamos ``atencion_escalada`` (el camino fusionado
    ``F.scaled_dot_product_attention``); con ``"columnas"``, ``V softmax_col(KᵀQ/√d_attn)``.

    Formas
    ------
    X : (..., d_x, l_x)    Z : (..., d_z, l_z)
    W_q : (d_attn, d_x)    W_k : (d_attn, d_z)    b_q, b_k : (d_attn,)    W_v : (d_out, d_z)    b_v : (d_out,)
    mascara : (..., l_z, l_x), booleana; True = el token ``t_x`` puede atender a ``t_z``
    salida : (..., d_out, l_x); una columna sin ningún ``t_z`` permitido da ceros, nunca NaN
    """
    f = validar_atencion_columnas(X, Z, W_q, b_q, W_k, b_k, W_v, b_v, mascara, forma)
    Q = W_q @ X + b_q[:, None]  # (..., d_attn, l_x)
    K = W_k @ Z + b_k[:, None]  # (..., d_attn, l_z)
    V = W_v @ Z + b_v[:, None]  # (..., d_out, l_z)
    if mascara is not None:
        mascara = mascara.to(Q.device)
    if forma == "filas":
        return _t(atencion_escalada(_t(Q), _t(K), _t(V), None if mascara is None else _t(mascara)))  # (..., d_out, l_x)
    S = _t(K) @ Q / math.sqrt(f["d_attn"])  # (..., l_z, l_x)
    if mascara is not None:
        S = S.masked_fill(~mascara, float("-inf"))
    return V @ softmax(S, eje=-2)  # (..., d_out, l_x)
