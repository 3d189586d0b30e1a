"""Jacobiano del softmax y atención por columnas de P&H frente a diferencias finitas, autograd y SDPA."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from paridad.casos_cap03b import columnas, mascara_columnas
from transformadores import con_numpy as cn
from transformadores import con_torch as ct

CERCA = {"rtol": 1e-10, "atol": 1e-12}


def _diferencias_centradas(funcion, z, h=1e-6):
    """J[i, j] ≈ (f(z + h e_j)_i - f(z - h e_j)_i) / 2h, con error O(h²)."""
    J = np.empty((z.size, z.size))
    for j in range(z.size):
        e = np.zeros_like(z)
        e[j] = h
        J[:, j] = (funcion(z + e) - funcion(z - e)) / (2 * h)
    return J


@pytest.mark.ecuacion("softmax-jacobiano")
@pytest.mark.parametrize("escala", [0.1, 1.0, 10.0])
def test_jacobiano_numpy_frente_a_diferencias_finitas(rng, escala):
    z = rng.standard_normal(7) * escala
    J = cn.jacobiano_softmax(z)
    np.testing.assert_allclose(J, _diferencias_centradas(cn.softmax, z), rtol=0, atol=1e-8)
    lote = rng.standard_normal((2, 3, 5)) * escala
    J_lote = cn.jacobiano_softmax(lote)
    for idx in np.ndindex(2, 3):
        np.testing.assert_allclose(J_lote[idx], _diferencias_centradas(cn.softmax, lote[idx]), rtol=0, atol=1e-8)


@pytest.mark.ecuacion("softmax-jacobiano")
def test_jacobiano_torch_frente_a_autograd():
    z = torch.randn(3, 6, dtype=torch.float64, generator=torch.Generator().manual_seed(0)) * 3
    J = ct.jacobiano_softmax(z)
    for b in range(3):
        esperado = torch.autograd.functional.jacobian(lambda x: torch.softmax(x, -1), z[b])
        torch.testing.assert_close(J[b], esperado, **CERCA)


def _a_torch(args):
    return tuple(torch.from_numpy(a) for a in args)


@pytest.mark.ecuacion("atencion-matricial-columnas")
@pytest.mark.parametrize("forma", ["columnas", "filas"])
@pytest.mark.parametrize("con_mascara", [False, True], ids=["sin_mascara", "con_mascara"])
def test_columnas_frente_a_sdpa_sobre_traspuestas(rng, forma, con_mascara):
    """Ṽ = SDPA(Xᵀ W_qᵀ + b_q, Zᵀ W_kᵀ + b_k, Zᵀ W_vᵀ + b_v)ᵀ; la máscara de P&H (l_z, l_x) es la traspuesta."""
    X, Z, W_q, b_q, W_k, b_k, W_v, b_v = _a_torch(columnas(rng))
    q = F.linear(X.transpose(-1, -2), W_q, b_q)  # (B, l_x, d_attn)
    k, v = F.linear(Z.transpose(-1, -2), W_k, b_k), F.linear(Z.transpose(-1, -2), W_v, b_v)  # (B, l_z, ·)
    m = torch.from_numpy(mascara_columnas()) if con_mascara else None
    esperado = F.scaled_dot_product_attention(q, k, v, attn_mask=None if m is None else m.transpose(-1, -2))
    esperado = esperado.transpose(-1, -2)  # (B, d_out, l_x)
    if m is not None:
        esperado = torch.nan_to_num(esperado, nan=0.0)  # columna vacía: nosotros damos ceros
    args = (X, Z, W_q, b_q, W_k, b_k, W_v, b_v)
    torch.testing.assert_close(ct.atencion_columnas(*args, mascara=m, forma=forma), esperado, **CERCA)
    obtenido_np = cn.atencion_columnas(*(a.numpy() for a in args), None if m is None else m.numpy(), forma)
    np.testing.assert_allclose(obtenido_np, esperado.numpy(), **CERCA)


@pytest.mark.ecuacion("atencion-matricial-columnas")
def test_causal_de_ph_es_la_causal_de_filas(rng):
    """Mask[t_z, t_x] = [[t_z ≤ t_x]] (triangular superior) equivale a ``is_causal=True`` de SDPA."""
    X, _, W_q, b_q, W_k, b_k, W_v, b_v = _a_torch(columnas(rng, d_z=5, l_z=4))
    causal_ph = torch.ones(4, 4, dtype=torch.bool).triu()
    Xt = X.transpose(-1, -2)
    esperado = F.scaled_dot_product_attention(
        F.linear(Xt, W_q, b_q), F.linear(Xt, W_k, b_k), F.linear(Xt, W_v, b_v), is_causal=True
    ).transpose(-1, -2)
    torch.testing.assert_close(ct.atencion_columnas(X, X, W_q, b_q, W_k, b_k, W_v, b_v, causal_ph), esperado, **CERCA)
