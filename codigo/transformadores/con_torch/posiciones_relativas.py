"""Posiciones relativas dentro de la atención (capítulo 5), gemelo PyTorch: Shaw et al. y ALiBi.

El sesgo de ALiBi se crea en la CPU con ``dtype``; ``atencion_escalada`` lo mueve al dispositivo
de las consultas.
"""

from __future__ import annotations

import math

import torch

from ..ecuaciones import implementa
from ..validacion.atencion import validar_longitud
from ..validacion.incrustaciones import validar_shaw
from .atencion import atencion_escalada

__all__ = ["atencion_relativa_shaw", "pendientes_alibi", "sesgo_alibi"]


def _indices_relativos(T, k, device=None):
    """Fila de ``w`` para cada par (i, j): ``clip(j - i, -k, k) + k``."""
    i = torch.arange(T, device=device)
    return (i[None, :] - i[:, None]).clamp(-k, k) + k  # (T, T)


@implementa("posicion-relativa-shaw")
def atencion_relativa_shaw(X, W_q, W_k, W_v, w_K, w_V, mascara=None):
    """Autoatención con posiciones relativas de Shaw et al. (ec. `posicion-relativa-shaw`).

    ``e_ij = q_i·(k_j + a^K_ij)/√d_z``, ``z_i = Σ_j α_ij (v_j + a^V_ij)``, ``a_ij = w[clip(j - i, -k, k)]``.

    Formas
    ------
    X : (..., T, d_x)    W_q, W_k : (d_z, d_x)    W_v : (d_v, d_x)
    w_K : (2k+1, d_z)    w_V : (2k+1, d_v)    mascara : difundible a (..., T, T)
    salida : (..., T, d_v)
    """
    f = validar_shaw(X, W_q, W_k, W_v, w_K, w_V, mascara)
    Q, K, V = X @ W_q.T, X @ W_k.T, X @ W_v.T  # (..., T, d_z), (..., T, d_z), (..., T, d_v)
    indices = _indices_relativos(f["T"], (f["2k+1"] - 1) // 2, w_K.device)  # (T, T)
    a_K, a_V = w_K[indices], w_V[indices]  # (T, T, d_z), (T, T, d_v)
    sesgo = torch.einsum("...id,ijd->...ij", Q, a_K) / math.sqrt(f["d_z"])  # (..., T, T)
    if mascara is not None and mascara.dtype == torch.bool:
        sesgo = sesgo.masked_fill(~mascara.to(sesgo.device), float("-inf"))
    elif mascara is not None:
        sesgo = sesgo + mascara.to(sesgo.device, sesgo.dtype)
    salida, alfa = atencion_escalada(Q, K, V, sesgo, devolver_pesos=True)  # Σ_j α_ij v_j
    return salida + torch.einsum("...ij,ijd->...id", alfa, a_V)  # + Σ_j α_ij a^V_ij


def _exponentes_alibi(n):
    """Pendientes ``2^(-8h/n)`` (h = 1…n) si ``n`` es potencia de 2; si no, la receta del artículo."""
    if math.log2(n).is_integer():
        return [2 ** (-8 * h / n) for h in range(1, n + 1)]
    p = 2 ** math.floor(math.log2(n))
    return _exponentes_alibi(p) + _exponentes_alibi(2 * p)[0::2][: n - p]


def pendientes_alibi(n_cabezas, dtype=None):
    """Pendientes ``m_h = 2^(-8h/H)`` de ALiBi, una por cabeza (ec. `alibi-sesgo-lineal`).

    Formas
    ------
    salida : (H,)
    """
    validar_longitud("n_cabezas", n_cabezas)
    return torch.tensor(_exponentes_alibi(n_cabezas), dtype=dtype or torch.get_default_dtype())


@implementa("alibi-sesgo-lineal")
def sesgo_alibi(n_cabezas, T, S=None, causal=True, dtype=None):
    """Sesgo lineal de ALiBi (ec. `alibi-sesgo-lineal`): ``m_h·(j - i)`` y ``-inf`` en el futuro si ``causal``.

    Sin ``causal``: ``-m_h·|i - j|``. Se pasa como ``mascara`` aditiva a la atención.

    Formas
    ------
    salida : (H, T, S), ``S = T`` por omisión
    """
    validar_longitud("T", T)
    S = validar_longitud("S", T if S is None else S)
    m = pendientes_alibi(n_cabezas, torch.float64)[:, None, None]  # (H, 1, 1)
    distancia = torch.arange(S)[None, :] - (torch.arange(T)[:, None] + S - T)  # (T, S): j - i
    if not causal:
        return (-m * distancia.abs()).to(dtype or torch.get_default_dtype())
    sesgo = torch.where(distancia <= 0, m * distancia, torch.full((), float("-inf"), dtype=torch.float64))
    return sesgo.to(dtype or torch.get_default_dtype())
