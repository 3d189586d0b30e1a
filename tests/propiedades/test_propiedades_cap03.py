"""Propiedades del capítulo 3 comprobadas con hypothesis."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from transformadores import con_numpy as cn

finitos = st.floats(-50, 50, allow_nan=False, allow_infinity=False)
matrices = arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(1, 8)), elements=finitos)


@pytest.mark.ecuacion("softmax")
@given(z=matrices, c=st.floats(-1e3, 1e3))
def test_softmax_invariante_y_suma_uno(z, c):
    s = cn.softmax(z)
    np.testing.assert_allclose(s.sum(-1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(cn.softmax(z + c), s, atol=1e-12)


@pytest.mark.ecuacion("log-softmax-estable")
@given(z=matrices)
def test_log_softmax_es_log_de_softmax(z):
    np.testing.assert_allclose(np.exp(cn.log_softmax(z)), cn.softmax(z), atol=1e-12)


@pytest.mark.ecuacion("atencion-producto-escalado")
@settings(max_examples=30)
@given(semilla=st.integers(0, 2**32 - 1), T=st.integers(2, 8))
def test_autoatencion_equivariante_a_permutaciones(semilla, T):
    """Sin posiciones, permutar los tokens permuta la salida igual: A(PX) = P·A(X)."""
    rng = np.random.default_rng(semilla)
    X = rng.standard_normal((T, 6))
    W_q, W_k, W_v = (rng.standard_normal((6, 6)) for _ in range(3))
    P = rng.permutation(T)

    def autoatencion(X):
        return cn.atencion_escalada(X @ W_q.T, X @ W_k.T, X @ W_v.T)

    np.testing.assert_allclose(autoatencion(X[P]), autoatencion(X)[P], atol=1e-10)


@pytest.mark.ecuacion("mascara-causal")
@settings(max_examples=30)
@given(semilla=st.integers(0, 2**32 - 1), T=st.integers(2, 9), t=st.integers(0, 8))
def test_mascara_causal_no_filtra_el_futuro(semilla, T, t):
    """Cambiar los tokens posteriores a t no cambia las salidas 0..t."""
    t = t % T
    rng = np.random.default_rng(semilla)
    X = rng.standard_normal((T, 4))
    Y = X.copy()
    Y[t + 1 :] = rng.standard_normal(Y[t + 1 :].shape)
    m = cn.mascara_causal(T)
    a, b = cn.atencion_escalada(X, X, X, m), cn.atencion_escalada(Y, Y, Y, m)
    np.testing.assert_allclose(a[: t + 1], b[: t + 1], atol=1e-12)


@pytest.mark.ecuacion("mascara-relleno")
@settings(max_examples=30)
@given(semilla=st.integers(0, 2**32 - 1), n=st.integers(1, 6), extra=st.integers(1, 4))
def test_relleno_no_cambia_los_tokens_reales(semilla, n, extra):
    rng = np.random.default_rng(semilla)
    X = rng.standard_normal((n, 4))
    rellenado = np.concatenate([X, rng.standard_normal((extra, 4)) * 100])
    m = cn.mascara_relleno(np.array([n]), n + extra)[:, None, :]  # (1, 1, S)
    np.testing.assert_allclose(
        cn.atencion_escalada(rellenado, rellenado, rellenado, m)[0, :n], cn.atencion_escalada(X, X, X), atol=1e-10
    )


@pytest.mark.ecuacion("mascara-combinada")
def test_fila_vacia_da_ceros_sin_nan():
    Q = K = V = np.ones((3, 4))
    vacia = np.zeros((3, 3), bool)
    vacia[0, 1] = True
    salida, pesos = cn.atencion_escalada(Q, K, V, vacia, devolver_pesos=True)
    assert not np.isnan(salida).any()
    np.testing.assert_array_equal(salida[1:], 0.0)
    np.testing.assert_allclose(pesos.sum(-1), [1.0, 0.0, 0.0])


@pytest.mark.ecuacion("softmax")
def test_softmax_no_desborda_en_float32():
    z = np.array([1000.0, 1001.0, 1002.0], dtype=np.float32)
    s = cn.softmax(z)
    assert s.dtype == np.float32 and np.isfinite(s).all()
    np.testing.assert_allclose(s, cn.softmax(z.astype(np.float64) - 1000), rtol=1e-6)
