"""Propiedades del capítulo 13 (refuerzo) comprobadas con hypothesis."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from transformadores import con_numpy as cn

semillas = st.integers(0, 2**32 - 1)
valores = st.floats(-256, 256, allow_nan=False, allow_infinity=False)


@pytest.mark.ecuacion("gato-mu-law")
@given(x=arrays(np.float64, st.integers(1, 30), elements=valores))
def test_mu_law_ida_y_vuelta(x):
    y = cn.codificar_mu_law(x)
    assert (np.abs(y) <= 1 + 1e-12).all()
    np.testing.assert_allclose(cn.decodificar_mu_law(y), x, rtol=1e-10, atol=1e-10)


@pytest.mark.ecuacion("gato-mu-law")
@given(x=arrays(np.float64, st.integers(1, 30), elements=st.floats(-1e4, 1e4)), n=st.integers(2, 2048))
def test_discretizar_y_reconstruir(x, n):
    """El valor reconstruido cae en el mismo intervalo: |F(x̂) - F(x)| ≤ media anchura (1/n) en [-1, 1]."""
    indices = cn.discretizar_mu_law(x, n_intervalos=n)
    assert indices.dtype == np.int64 and (indices >= 0).all() and (indices < n).all()
    x_hat = cn.reconstruir_mu_law(indices, n_intervalos=n)
    y = np.clip(cn.codificar_mu_law(x), -1, 1)
    assert (np.abs(cn.codificar_mu_law(x_hat) - y) <= 1 / n + 1e-9).all()
    np.testing.assert_array_equal(cn.discretizar_mu_law(x_hat, n_intervalos=n), indices)


@pytest.mark.ecuacion("gato-mu-law")
@given(a=valores, b=valores)
def test_mu_law_monotona(a, b):
    """No decreciente (estrictamente creciente salvo redondeo entre valores casi iguales)."""
    fa, fb = cn.codificar_mu_law(np.array([a, b]))
    assert fa <= fb if a <= b else fa >= fb


@pytest.mark.ecuacion("retorno-por-obtener")
@given(r=arrays(np.float64, st.tuples(st.integers(1, 3), st.integers(1, 20)), elements=st.floats(-10, 10)),
       gamma=st.floats(0, 1))  # fmt: skip
def test_retorno_cumple_la_recurrencia(r, gamma):
    """``R̂_T = r_T`` y ``R̂_t = r_t + γ R̂_{t+1}``."""
    R = cn.retorno_por_obtener(r, gamma)
    np.testing.assert_allclose(R[:, -1], r[:, -1])
    np.testing.assert_allclose(R[:, :-1], r[:, :-1] + gamma * R[:, 1:], atol=1e-9)


@pytest.mark.ecuacion("decision-transformer-evaluacion")
@settings(max_examples=30, deadline=None)
@given(semilla=semillas, K=st.integers(1, 5), n_pasos=st.integers(1, 12), objetivo=st.floats(-50, 50))
def test_objetivo_es_lo_que_falta_por_conseguir(semilla, K, n_pasos, objetivo):
    """``R̂_t = R_objetivo - Σ_{t'<t} r_t'`` y la política nunca ve más de K pasos."""
    rng = np.random.default_rng(semilla)
    recompensas_entorno = rng.standard_normal(n_pasos)
    vistos = []

    def politica(R, s, a, pasos):
        vistos.append(len(R))
        assert len(s) == len(R) == len(pasos) == len(a) + 1
        return rng.standard_normal(2)

    def entorno(s, a):
        return s + a.sum(), recompensas_entorno[len(vistos) - 1], False

    _, _, r, R = cn.evaluar_decision_transformer(politica, entorno, np.zeros(3), 2, objetivo, K, n_pasos)
    np.testing.assert_allclose(r, recompensas_entorno)
    np.testing.assert_allclose(R, objetivo - np.concatenate([[0.0], np.cumsum(r)[:-1]]), atol=1e-9)
    assert max(vistos) == min(K, n_pasos)
