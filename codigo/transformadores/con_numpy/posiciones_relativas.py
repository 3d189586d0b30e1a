"""Posiciones relativas dentro de la atención (capítulo 5): Shaw et al. y ALiBi.

En vez de sumar una posición a cada token, estas variantes cambian las puntuaciones según la
distancia ``j - i`` entre la consulta ``i`` y la clave ``j``. El sesgo de ALiBi es una máscara
aditiva (flotante) que se pasa tal cual como ``mascara`` a ``atencion_escalada`` o
``atencion_multicabeza``.
"""

from __future__ import annotations

import math

import numpy as np

from ..ecuaciones import implementa
from ..validacion.atencion import validar_longitud
from ..validacion.incrustaciones import validar_shaw
from .atencion import atencion_escalada

__all__ = ["atencion_relativa_shaw", "pendientes_alibi", "sesgo_alibi"]


def _indices_relativos(T, k):
    """Fila de ``w`` para cada par (i, j): ``clip(j - i, -k, k) + k``."""
    i = np.arange(T)
    return np.clip(i[None, :] - i[:, None], -k, k) + k  # (T, T)


@implementa("posicion-relativa-shaw")
def atencion_relativa_shaw(X, W_q, W_k, W_v, w_K, w_V, mascara=None):
    """Autoatención con representaciones de posición relativa de Shaw et al. (ec. `posicion-relativa-shaw`).

    ``e_ij = (x_i W_qᵀ)·(x_j W_kᵀ + a^K_ij) / √d_z`` y ``z_i = Σ_j α_ij (x_j W_vᵀ + a^V_ij)``, con
    ``a_ij = w[clip(j - i, -k, k)]``: distancias más allá de ``k`` comparten vector. Una cabeza; el
    término ``q_i·a^K_ij/√d_z`` entra en ``atencion_escalada`` como máscara aditiva.

    Formas
    ------
    X : (..., T, d_x)    W_q, W_k : (d_z, d_x)    W_v : (d_v, d_x)
    w_K : (2k+1, d_z)    w_V : (2k+1, d_v), fila ``r`` = distancia ``r - k``
    mascara : difundible a (..., T, T), booleana (True = puede atender) o aditiva
    salida : (..., T, d_v)
    """
    f = validar_shaw(X, W_q, W_k, W_v, w_K, w_V, mascara)
    Q, K, V = X @ W_q.T, X @ W_k.T, X @ W_v.T  # (..., T, d_z), (..., T, d_z), (..., T, d_v)
    indices = _indices_relativos(f["T"], (f["2k+1"] - 1) // 2)  # (T, T)
    a_K, a_V = w_K[indices], w_V[indices]  # (T, T, d_z), (T, T, d_v)
    sesgo = np.einsum("...id,ijd->...ij", Q, a_K) / math.sqrt(f["d_z"])  # (..., T, T)
    if mascara is not None and mascara.dtype == bool:
        sesgo = np.where(mascara, sesgo, -np.inf)
    elif mascara is not None:
        sesgo = sesgo + mascara
    salida, alfa = atencion_escalada(Q, K, V, sesgo, devolver_pesos=True)  # Σ_j α_ij v_j
    return salida + np.einsum("...ij,ijd->...id", alfa, a_V)  # + Σ_j α_ij a^V_ij


def _exponentes_alibi(n):
    """Pendientes ``2^(-8h/n)`` (h = 1…n) si ``n`` es potencia de 2; si no, la receta del artículo."""
    if math.log2(n).is_integer():
        return [2 ** (-8 * h / n) for h in range(1, n + 1)]
    p = 2 ** math.floor(math.log2(n))
    return _exponentes_alibi(p) + _exponentes_alibi(2 * p)[0::2][: n - p]


def pendientes_alibi(n_cabezas, dtype=None):
    """Pendientes ``m_h`` de ALiBi, una por cabeza (ec. `alibi-sesgo-lineal`).

    ``m_h = 2^(-8h/H)``, ``h = 1…H``, si ``H`` es potencia de 2 (con ``H = 8``: 1/2, 1/4, …, 1/256).
    Si no, Press et al. toman las de la potencia de 2 inferior ``P`` y completan con las de ``2P``
    de índice impar.

    Formas
    ------
    salida : (H,)
    """
    validar_longitud("n_cabezas", n_cabezas)
    return np.array(_exponentes_alibi(n_cabezas), dtype=dtype or np.float64)


@implementa("alibi-sesgo-lineal")
def sesgo_alibi(n_cabezas, T, S=None, causal=True, dtype=None):
    """Sesgo lineal de ALiBi de Press et al. (ec. `alibi-sesgo-lineal`).

    ``softmax(q_i Kᵀ/√d_k + m_h·[-(i-1), …, -1, 0])``: la clave a distancia ``i - j`` resta
    ``m_h·(i - j)``. Con ``causal`` las claves futuras reciben ``-inf`` (el modelo del artículo);
    sin ``causal``, ``-m_h·|i - j|`` (extensión bidireccional habitual). Si ``S > T``, las consultas
    son las ``T`` últimas posiciones (como ``mascara_causal``). Se pasa como ``mascara`` aditiva:
    ``atencion_multicabeza(..., mascara=sesgo_alibi(H, T))``.

    Formas
    ------
    salida : (H, T, S), ``S = T`` por omisión
    """
    validar_longitud("T", T)
    S = validar_longitud("S", T if S is None else S)
    m = pendientes_alibi(n_cabezas)[:, None, None]  # (H, 1, 1)
    distancia = np.arange(S)[None, :] - (np.arange(T)[:, None] + S - T)  # (T, S): j - i
    if not causal:
        return (-m * np.abs(distancia)).astype(dtype or np.float64)
    sesgo = np.where(distancia <= 0, m * distancia, -np.inf)  # (H, T, S)
    return sesgo.astype(dtype or np.float64)
