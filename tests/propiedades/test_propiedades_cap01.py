"""Propiedades del capítulo 1 comprobadas con hypothesis (gemelo NumPy)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from paridad.casos_cap01 import contexto, seq2seq
from transformadores import con_numpy as cn

semillas = st.integers(0, 2**32 - 1)


def _elman(rng, T, d_x=3, d_h=4, escala=1.0):
    return (
        rng.standard_normal((2, T, d_x)),
        rng.standard_normal((d_h, d_x)),
        rng.standard_normal((d_h, d_h)) * escala / np.sqrt(d_h),
        rng.standard_normal(d_h),
    )


@pytest.mark.ecuacion("rnn-gradiente-desvaneciente")
@settings(max_examples=40, deadline=None)
@given(semilla=semillas, T=st.integers(1, 8), k=st.integers(0, 8), escala=st.floats(0.1, 4.0))
def test_cota_del_jacobiano(semilla, T, k, escala):
    """‖∂h_T/∂h_k‖₂ ≤ ‖W_hh‖₂^(T-k), porque |tanh'| ≤ 1."""
    k = k % (T + 1)
    X, W_xh, W_hh, b_h = _elman(np.random.default_rng(semilla), T, escala=escala)
    J = cn.jacobiano_rnn(X, W_xh, W_hh, b_h, k=k)
    cota = np.linalg.norm(W_hh, 2) ** (T - k)
    assert (np.linalg.norm(J, 2, axis=(-2, -1)) <= cota * (1 + 1e-10)).all()


@pytest.mark.ecuacion("rnn-elman-recurrencia")
@settings(max_examples=30, deadline=None)
@given(semilla=semillas, T=st.integers(2, 8), t=st.integers(0, 7))
def test_elman_es_causal(semilla, T, t):
    """h_1 … h_{t+1} no dependen de x_{t+2} … x_T."""
    t = t % T
    rng = np.random.default_rng(semilla)
    X, W_xh, W_hh, b_h = _elman(rng, T)
    otra = X.copy()
    otra[:, t + 1 :] = rng.standard_normal(otra[:, t + 1 :].shape)
    salida = (rng.standard_normal((2, 4)), rng.standard_normal(2))
    Y, H = cn.rnn_elman(X, W_xh, W_hh, b_h, *salida)
    Y2, H2 = cn.rnn_elman(otra, W_xh, W_hh, b_h, *salida)
    np.testing.assert_array_equal(H[:, : t + 1], H2[:, : t + 1])
    np.testing.assert_array_equal(Y[:, : t + 1], Y2[:, : t + 1])
    assert (np.abs(H) < 1).all()


@pytest.mark.ecuacion("lstm-celda")
@settings(max_examples=30, deadline=None)
@given(semilla=semillas, T=st.integers(1, 8), escala=st.floats(0.1, 10.0))
def test_lstm_acota_estados(semilla, T, escala):
    """|h_t| < 1 y |c_t| ≤ |c_{t-1}| + 1, porque las puertas están en (0, 1) y tanh en (-1, 1)."""
    rng = np.random.default_rng(semilla)
    X = rng.standard_normal((2, T, 3)) * escala
    H, C = cn.lstm(X, rng.standard_normal((16, 3)), rng.standard_normal((16, 4)), rng.standard_normal(16))
    assert (np.abs(H) <= 1).all() and np.isfinite(C).all()
    previo = np.concatenate([np.zeros((2, 1, 4)), C[:, :-1]], axis=1)
    assert (np.abs(C) <= np.abs(previo) + 1 + 1e-12).all()


@pytest.mark.ecuacion("seq2seq-factorizacion")
@settings(max_examples=10, deadline=None)
@given(semilla=semillas)
def test_seq2seq_define_una_distribucion(semilla):
    """Σ_y Π_t p(y_t | v, y_<t) = 1 sumando sobre las N_V^T' secuencias posibles (aquí 3³ = 27)."""
    args = list(seq2seq(np.random.default_rng(semilla), B=1, T_y=3, N_V=3))
    total = 0.0
    for y in itertools.product(range(3), repeat=3):
        args[2] = np.array([y])
        log_v = cn.seq2seq_log_verosimilitud(*args)
        assert log_v.shape == (1,) and log_v[0] <= 0
        total += np.exp(log_v[0])
    assert total == pytest.approx(1.0, rel=1e-12)


@pytest.mark.ecuacion("seq2seq-vector-contexto")
@settings(max_examples=20, deadline=None)
@given(semilla=semillas, T=st.integers(1, 6), T_y=st.integers(1, 5))
def test_contexto_probabilidades_y_unico_canal(semilla, T, T_y):
    """p suma 1 en cada paso; y si c no entra al decodificador (columnas de c a cero), x deja de influir."""
    rng = np.random.default_rng(semilla)
    args = list(contexto(rng, T=T, T_y=T_y))
    P = cn.seq2seq_contexto(*args)
    assert P.shape == (2, T_y, 6) and (P >= 0).all()
    np.testing.assert_allclose(P.sum(-1), 1.0, rtol=1e-12)
    otra_X = rng.standard_normal(args[0].shape)
    assert not np.allclose(cn.seq2seq_contexto(otra_X, *args[1:]), P)  # x influye, solo a través de c
    args[5] = args[5].copy()
    args[5][:, 2:] = 0.0  # W_ih_dec: columnas de c (d_y = 2)
    args[8] = args[8].copy()
    args[8][:, 5 + 2 :] = 0.0  # W_o: columnas de c (d_s = 5, d_y = 2)
    np.testing.assert_allclose(cn.seq2seq_contexto(otra_X, *args[1:]), cn.seq2seq_contexto(*args), rtol=1e-12)
