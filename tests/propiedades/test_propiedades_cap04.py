"""Propiedades del capítulo 4 comprobadas con hypothesis (gemelo NumPy, salvo donde se dice)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from transformadores import con_numpy as cn
from transformadores import con_torch as ct

semillas = st.integers(0, 2**32 - 1)


def _pesos(rng, H, d_k, d_x, d_v=None, d_out=None):
    d_v, d_out = d_v or d_k, d_out or d_x
    n = rng.standard_normal
    return n((H * d_k, d_x)), n((H * d_k, d_x)), n((H * d_v, d_x)), n((d_out, H * d_v))


@pytest.mark.ecuacion("atencion-multicabeza")
@pytest.mark.ecuacion("multicabeza-algoritmo-5")
@settings(max_examples=20, deadline=None)
@given(semilla=semillas, H=st.integers(1, 4), d_k=st.integers(1, 4), T=st.integers(1, 6))
def test_cada_cabeza_es_atencion_de_consulta_unica(semilla, H, d_k, T):
    """Test de galtay: la salida multicabeza = W_o · [consulta única de cada cabeza, token a token] + b_o."""
    rng = np.random.default_rng(semilla)
    d_x, d_v = 5, 3
    X = rng.standard_normal((T, d_x))
    W_q, W_k, W_v, W_o = _pesos(rng, H, d_k, d_x, d_v)
    b_q, b_k, b_v, b_o = (rng.standard_normal(n) for n in (H * d_k, H * d_k, H * d_v, d_x))
    salida = cn.atencion_multicabeza(X, W_q, W_k, W_v, W_o, H, b_q, b_k, b_v, b_o)
    for t in range(T):
        cabezas = [
            cn.atencion_consulta_unica(
                X[t],
                X,
                W_q[h * d_k : (h + 1) * d_k],
                b_q[h * d_k : (h + 1) * d_k],
                W_k[h * d_k : (h + 1) * d_k],
                b_k[h * d_k : (h + 1) * d_k],
                W_v[h * d_v : (h + 1) * d_v],
                b_v[h * d_v : (h + 1) * d_v],
            )  # fmt: skip
            for h in range(H)
        ]
        np.testing.assert_allclose(salida[t], W_o @ np.concatenate(cabezas) + b_o, rtol=1e-9, atol=1e-10)
    alg5 = cn.multicabeza_algoritmo_5(
        X, W_q.reshape(H, d_k, d_x), b_q.reshape(H, d_k), W_k.reshape(H, d_k, d_x), b_k.reshape(H, d_k),
        W_v.reshape(H, d_v, d_x), b_v.reshape(H, d_v), W_o, b_o,
    )  # fmt: skip
    np.testing.assert_allclose(alg5, salida, rtol=1e-9, atol=1e-10)


@pytest.mark.ecuacion("atencion-multicabeza")
@settings(max_examples=25, deadline=None)
@given(semilla=semillas, T=st.integers(2, 8), H=st.sampled_from([1, 2, 4]))
def test_autoatencion_equivariante_a_permutaciones(semilla, T, H):
    """Sin posiciones, permutar los tokens permuta la salida igual: MHA(PX) = P·MHA(X)."""
    rng = np.random.default_rng(semilla)
    X = rng.standard_normal((2, T, 8))
    W = _pesos(rng, H, 8 // H, 8)
    P = rng.permutation(T)
    np.testing.assert_allclose(
        cn.atencion_multicabeza(X[:, P], *W, H), cn.atencion_multicabeza(X, *W, H)[:, P], rtol=1e-9, atol=1e-10
    )


@pytest.mark.ecuacion("atencion-consultas-agrupadas")
@settings(max_examples=20, deadline=None)
@given(semilla=semillas, H_kv=st.sampled_from([1, 2, 3, 6]))
def test_consultas_agrupadas_es_multicabeza_con_claves_repetidas(semilla, H_kv):
    """GQA = multicabeza con las filas de W_k y W_v de cada grupo repetidas h/h_kv veces."""
    rng = np.random.default_rng(semilla)
    H, d_k, d = 6, 2, 7
    X = rng.standard_normal((3, d))
    W_q, W_o = rng.standard_normal((H * d_k, d)), rng.standard_normal((d, H * d_k))
    W_k, W_v = rng.standard_normal((H_kv * d_k, d)), rng.standard_normal((H_kv * d_k, d))
    repetir = lambda W: np.repeat(W.reshape(H_kv, d_k, d), H // H_kv, axis=0).reshape(H * d_k, d)  # noqa: E731
    salida, pesos = cn.atencion_consultas_agrupadas(X, W_q, W_k, W_v, W_o, H, H_kv, devolver_pesos=True)
    esperado = cn.atencion_multicabeza(X, W_q, repetir(W_k), repetir(W_v), W_o, H, devolver_pesos=True)
    np.testing.assert_allclose(salida, esperado[0], rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(pesos, esperado[1], rtol=1e-9, atol=1e-10)


@pytest.mark.ecuacion("atencion-multicabeza")
def test_separar_y_unir_cabezas_son_inversas():
    X = np.arange(2 * 5 * 12, dtype=float).reshape(2, 5, 12)
    cabezas = cn.separar_cabezas(X, 3)
    assert cabezas.shape == (2, 3, 5, 4)
    np.testing.assert_array_equal(cabezas[1, 2, 4], X[1, 4, 8:12])  # cabeza 2 = columnas [8, 12)
    np.testing.assert_array_equal(cn.unir_cabezas(cabezas), X)


@pytest.mark.ecuacion("atencion-multicabeza")
@pytest.mark.parametrize("g", [cn, ct], ids=["numpy", "torch"])
def test_fila_sin_claves_da_b_o_sin_nan(g):
    """Una consulta que no puede atender a nada: cabezas a cero, la salida es solo b_o."""
    rng = np.random.default_rng(0)
    X, W, b_o = rng.standard_normal((4, 6)), _pesos(rng, 2, 3, 6), rng.standard_normal(6)
    mascara = np.tril(np.ones((4, 4), bool))
    mascara[2] = False
    if g is ct:
        X, W, b_o, mascara = (
            torch.from_numpy(X),
            [torch.from_numpy(w) for w in W],
            torch.from_numpy(b_o),
            torch.from_numpy(mascara),
        )
    salida = np.asarray(g.atencion_multicabeza(X, *W, 2, b_o=b_o, mascara=mascara))
    assert not np.isnan(salida).any()
    np.testing.assert_allclose(salida[2], np.asarray(b_o))


@pytest.mark.ecuacion("atencion-consultas-agrupadas")
def test_modulo_gqa_reduce_los_parametros_de_clave_y_valor():
    completo, agrupado = ct.AtencionMultiCabeza(16, 8), ct.AtencionMultiCabeza(16, 8, n_cabezas_kv=2)
    assert agrupado.W_k.shape == (4, 16) and agrupado.b_v.shape == (4,)
    contar = lambda m: sum(p.numel() for p in m.parameters())  # noqa: E731
    assert contar(completo) - contar(agrupado) == 2 * (16 - 4) * (16 + 1)
    X = torch.randn(2, 5, 16)
    salida, pesos = agrupado(X, mascara=ct.mascara_causal(5), devolver_pesos=True)
    assert salida.shape == (2, 5, 16) and pesos.shape == (2, 8, 5, 5)
