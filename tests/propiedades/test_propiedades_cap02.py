"""Propiedades del capítulo 2 comprobadas con hypothesis (gemelo NumPy)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from transformadores import con_numpy as cn

semillas = st.integers(0, 2**32 - 1)
energias = arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(1, 9)), elements=st.floats(-60, 60))


@pytest.mark.ecuacion("bahdanau-pesos-alineamiento")
@given(e=energias, c=st.floats(-1e3, 1e3), semilla=semillas)
def test_pesos_son_una_distribucion(e, c, semilla):
    """α ≥ 0, cada fila suma 1, no cambia al sumar una constante y las posiciones enmascaradas pesan 0."""
    alfa = cn.pesos_alineamiento(e)
    assert (alfa >= 0).all()
    np.testing.assert_allclose(alfa.sum(-1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(cn.pesos_alineamiento(e + c), alfa, atol=1e-12)
    mascara = np.random.default_rng(semilla).random(e.shape) < 0.6
    alfa_m = cn.pesos_alineamiento(e, mascara)
    assert (alfa_m[~mascara] == 0).all() and not np.isnan(alfa_m).any()
    np.testing.assert_allclose(alfa_m.sum(-1), mascara.any(-1).astype(float), rtol=1e-12)  # fila vacía → 0


@pytest.mark.ecuacion("bahdanau-contexto")
@settings(max_examples=40)
@given(semilla=semillas, T_y=st.integers(1, 4), T_x=st.integers(1, 8), d_h=st.integers(1, 6))
def test_contexto_en_la_envolvente_convexa(semilla, T_y, T_x, d_h):
    """c_i = Σ_j α_ij h_j: media ponderada, dentro de la caja [min_j h_j, max_j h_j] en cada coordenada."""
    rng = np.random.default_rng(semilla)
    H = rng.standard_normal((2, T_x, d_h)) * 10
    alfa = cn.pesos_alineamiento(rng.standard_normal((2, T_y, T_x)) * 5)
    c = cn.contexto_bahdanau(alfa, H)
    assert c.shape == (2, T_y, d_h)
    media = sum(alfa[..., j, None] * H[:, None, j] for j in range(T_x))
    np.testing.assert_allclose(c, media, rtol=1e-10, atol=1e-12)
    assert (c >= H.min(1, keepdims=True) - 1e-9).all() and (c <= H.max(1, keepdims=True) + 1e-9).all()
    uniforme = np.full((2, 1, T_x), 1 / T_x)
    np.testing.assert_allclose(cn.contexto_bahdanau(uniforme, H)[:, 0], H.mean(1), rtol=1e-10, atol=1e-12)


@pytest.mark.ecuacion("bahdanau-energia-aditiva")
@settings(max_examples=30)
@given(semilla=semillas, T_x=st.integers(2, 8))
def test_energia_equivariante_a_permutar_la_fuente(semilla, T_x):
    """Permutar los h_j permuta igual las columnas de e (la atención no sabe de posiciones)."""
    rng = np.random.default_rng(semilla)
    s, H = rng.standard_normal((3, 4)), rng.standard_normal((T_x, 6))
    W_a, U_a, v_a = rng.standard_normal((5, 4)), rng.standard_normal((5, 6)), rng.standard_normal(5)
    P = rng.permutation(T_x)
    np.testing.assert_allclose(
        cn.energia_aditiva(s, H[P], W_a, U_a, v_a), cn.energia_aditiva(s, H, W_a, U_a, v_a)[:, P], rtol=1e-12
    )


@pytest.mark.ecuacion("luong-puntuacion-general")
@pytest.mark.ecuacion("luong-puntuacion-dot")
@settings(max_examples=30)
@given(semilla=semillas, d=st.integers(1, 6))
def test_general_con_identidad_es_dot_y_es_bilineal(semilla, d):
    rng = np.random.default_rng(semilla)
    h_t, h_s = rng.standard_normal((2, 3, d)), rng.standard_normal((2, 5, d))
    np.testing.assert_allclose(cn.puntuacion_general(h_t, h_s, np.eye(d)), cn.puntuacion_dot(h_t, h_s), rtol=1e-12)
    W_a, a = rng.standard_normal((d, d)), rng.standard_normal()
    np.testing.assert_allclose(
        cn.puntuacion_general(a * h_t, h_s, W_a), a * cn.puntuacion_general(h_t, h_s, W_a), rtol=1e-10, atol=1e-12
    )


@pytest.mark.ecuacion("luong-atencion-global")
@settings(max_examples=30)
@given(semilla=semillas, S=st.integers(1, 7), puntuacion=st.sampled_from(["dot", "general", "concat"]))
def test_atencion_global_salidas_validas(semilla, S, puntuacion):
    """p suma 1, a suma 1 sobre las posiciones permitidas, |h̃| < 1 y el relleno no influye."""
    rng = np.random.default_rng(semilla)
    h_t, h_s = rng.standard_normal((2, 3, 4)), rng.standard_normal((2, S + 2, 4))
    W = {"W_a": rng.standard_normal((4, 4)) if puntuacion == "general" else rng.standard_normal((3, 8))}
    W["v_a"] = rng.standard_normal(3)
    W_c, W_s = rng.standard_normal((5, 8)), rng.standard_normal((6, 5))
    mascara = np.arange(S + 2) < S  # las dos últimas posiciones son relleno
    p, h_tilde, c, a = cn.atencion_global_luong(h_t, h_s, W_c, W_s, puntuacion, **W, mascara=mascara)
    np.testing.assert_allclose(p.sum(-1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(a.sum(-1), 1.0, rtol=1e-12)
    assert (a[..., S:] == 0).all() and (np.abs(h_tilde) < 1).all()
    sin_relleno = cn.atencion_global_luong(h_t, h_s[:, :S], W_c, W_s, puntuacion, **W)
    np.testing.assert_allclose(sin_relleno[0], p, rtol=1e-10, atol=1e-12)
