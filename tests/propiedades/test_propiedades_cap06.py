"""Propiedades del capítulo 6 comprobadas con hypothesis (gemelo NumPy, salvo donde se dice)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from transformadores import con_numpy as cn
from transformadores import con_torch as ct

semillas = st.integers(0, 2**32 - 1)
filas = arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(2, 12)), elements=st.floats(-100, 100))


@pytest.mark.ecuacion("normalizacion-capa")
@settings(max_examples=40, deadline=None)
@given(semilla=semillas, a=st.floats(0.1, 100), b=st.floats(-100, 100))
def test_normalizacion_capa_centra_escala_e_ignora_escala_y_desplazamiento(semilla, a, b):
    x = np.random.default_rng(semilla).standard_normal((3, 16)) * 5
    y = cn.normalizacion_capa(x, eps=0.0)
    np.testing.assert_allclose(y.mean(-1), 0.0, atol=1e-12)
    np.testing.assert_allclose(y.var(-1), 1.0, rtol=1e-10)  # varianza sesgada (1/d)
    np.testing.assert_allclose(cn.normalizacion_capa(a * x + b, eps=0.0), y, rtol=1e-7, atol=1e-8)


@pytest.mark.ecuacion("normalizacion-capa")
def test_fila_constante_con_y_sin_eps():
    """Errata E2: sin ε (P&H) una fila constante da 0/0 = NaN; con ε = 1e-5 da β."""
    x = np.full((1, 4), 3.0)
    with np.errstate(invalid="ignore"):
        assert np.isnan(cn.normalizacion_capa(x, eps=0.0)).all()
    np.testing.assert_array_equal(cn.normalizacion_capa(x, beta=np.arange(4.0)), [np.arange(4.0)])


@pytest.mark.ecuacion("rmsnorm")
@settings(max_examples=40, deadline=None)
@given(x=filas, a=st.floats(0.5, 50))
def test_rmsnorm_invariante_a_la_escala(x, a):
    con_datos = np.abs(x).max(-1) > 1e-3  # sin ε, una fila de ceros daría 0/0
    x = x[con_datos]
    y = cn.rmsnorm(x, eps=0.0)
    np.testing.assert_allclose(np.sqrt((y**2).mean(-1)), 1.0, rtol=1e-10)
    np.testing.assert_allclose(cn.rmsnorm(a * x, eps=0.0), y, rtol=1e-9)


@pytest.mark.ecuacion("gelu")
@settings(max_examples=40, deadline=None)
@given(x=filas)
def test_gelu_simetria_y_aproximacion(x):
    """Φ(x) + Φ(-x) = 1 ⇒ GELU(x) - GELU(-x) = x; la aproximación tanh difiere menos de 1e-3."""
    np.testing.assert_allclose(cn.gelu(x) - cn.gelu(-x), x, atol=1e-9)
    np.testing.assert_allclose(cn.gelu(x, aproximada=True), cn.gelu(x), atol=1e-3)
    assert (cn.gelu(x) >= -0.17).all()  # mínimo de GELU ≈ -0.17


@pytest.mark.ecuacion("red-posicional-ffn")
@settings(max_examples=20, deadline=None)
@given(semilla=semillas, T=st.integers(1, 6))
def test_red_posicional_actua_por_posicion(semilla, T):
    """Igual para cada posición: aplicarla a la secuencia = aplicarla token a token."""
    rng = np.random.default_rng(semilla)
    x, W = (
        rng.standard_normal((T, 4)),
        (rng.standard_normal((9, 4)), rng.standard_normal(9), rng.standard_normal((4, 9)), None),
    )
    completa = cn.red_posicional(x, *W)
    for t in range(T):
        np.testing.assert_allclose(completa[t], cn.red_posicional(x[t : t + 1], *W)[0])
    np.testing.assert_allclose(completa, np.maximum(x @ W[0].T + W[1], 0) @ W[2].T)


@pytest.mark.ecuacion("swiglu")
def test_swiglu_con_compuerta_abierta():
    """Si V da 1 en todas partes (x constante 1 y V = 1/d), SwiGLU es Swish(x Wᵀ) W_2ᵀ."""
    rng = np.random.default_rng(0)
    x, W, W_2 = np.ones((3, 4)), rng.standard_normal((6, 4)), rng.standard_normal((4, 6))
    a = x @ W.T
    np.testing.assert_allclose(cn.swiglu(x, W, np.full((6, 4), 0.25), W_2), (a / (1 + np.exp(-a))) @ W_2.T)


@pytest.mark.ecuacion("conexion-residual")
@pytest.mark.parametrize(
    "g, generador", [(cn, np.random.default_rng), (ct, lambda s: torch.Generator().manual_seed(s))]
)
@settings(max_examples=15, deadline=None)
@given(p=st.floats(0.05, 0.95), semilla=st.integers(0, 1000))
def test_dropout_escala_y_reproduce(g, generador, p, semilla):
    datos = np.random.default_rng(semilla + 10**6).random(20_000) + 1  # otra semilla que la del dropout
    x = torch.from_numpy(datos) if g is ct else datos
    y = np.asarray(g.dropout(x, p, generador(semilla)))
    ceros = y == 0
    np.testing.assert_allclose(y[~ceros], datos[~ceros] / (1 - p), rtol=1e-12)  # m ⊙ x / (1 - p)
    assert abs(ceros.mean() - p) < 0.03 and abs(y.mean() / datos.mean() - 1) < 0.08  # E[y] = x
    np.testing.assert_array_equal(np.asarray(g.dropout(x, p, generador(semilla))), y)  # misma semilla, mismo y
    assert g.dropout(x, 0.0) is x  # p = 0: identidad (evaluación)


@pytest.mark.ecuacion("conexion-residual")
@pytest.mark.ecuacion("post-ln")
@pytest.mark.ecuacion("pre-ln")
@settings(max_examples=20, deadline=None)
@given(semilla=semillas)
def test_subcapa_nula(semilla):
    """Con una subcapa que da ceros: residuo y Pre-LN son la identidad; Post-LN es LN(x)."""
    rng = np.random.default_rng(semilla)
    x, gamma, beta = rng.standard_normal((2, 3, 8)), rng.standard_normal(8), rng.standard_normal(8)
    cero = np.zeros_like
    np.testing.assert_array_equal(cn.conexion_residual(x, cero, p=0.5, rng=rng), x)
    np.testing.assert_array_equal(cn.pre_ln(x, cero, gamma, beta), x)
    np.testing.assert_allclose(cn.post_ln(x, cero, gamma, beta), cn.normalizacion_capa(x, gamma, beta))


@pytest.mark.ecuacion("pre-ln")
def test_pre_ln_no_normaliza_el_camino_residual():
    """En Pre-LN la subcapa ve LN(x) pero x llega sin tocar a la suma; en Post-LN se normaliza todo."""
    x = np.random.default_rng(1).standard_normal((4, 8)) * 10 + 5
    vista = []
    salida = cn.pre_ln(x, lambda u: vista.append(u) or np.ones_like(u))
    np.testing.assert_allclose(vista[0], cn.normalizacion_capa(x))
    np.testing.assert_allclose(salida, x + 1)
    np.testing.assert_allclose(cn.post_ln(x, lambda u: np.ones_like(u)).std(-1), 1.0, rtol=1e-4)
