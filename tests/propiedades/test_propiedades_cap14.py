"""Propiedades del capítulo 14 (atención eficiente) comprobadas con hypothesis."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from transformadores import con_numpy as cn

semillas = st.integers(0, 2**32 - 1)
finitos_o_menos_inf = st.one_of(st.floats(-50, 50), st.just(-np.inf))


@pytest.mark.ecuacion("softmax-en-linea")
@given(z=arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(1, 30)), elements=finitos_o_menos_inf),
       eje=st.sampled_from([0, -1]))  # fmt: skip
def test_softmax_en_linea_es_softmax(z, eje):
    salida, m, d = cn.softmax_en_linea(z, eje=eje, devolver_normalizador=True)
    np.testing.assert_allclose(salida, cn.softmax(z, eje=eje), rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(m, z.max(axis=eje))
    assert not np.isnan(salida).any() and (d >= 0).all()


def _qkv(rng, T, S, lote=(2,)):
    return rng.standard_normal((*lote, T, 6)), rng.standard_normal((*lote, S, 6)), rng.standard_normal((*lote, S, 3))


@pytest.mark.ecuacion("flashattention-teselas")
@settings(max_examples=60, deadline=None)
@given(semilla=semillas, T=st.integers(1, 24), S=st.integers(1, 24), B_r=st.integers(1, 30), B_c=st.integers(1, 30),
       causal=st.booleans())  # fmt: skip
def test_teselas_igual_a_atencion_exacta(semilla, T, S, B_r, B_c, causal):
    """Para cualquier tamaño de tesela, el resultado es el de la atención exacta (no una aproximación)."""
    rng = np.random.default_rng(semilla)
    Q, K, V = _qkv(rng, T, S)
    Q *= 4  # puntuaciones grandes: pone a prueba el reescalado del softmax en línea
    mascara = cn.mascara_causal(T, S) if causal else None
    esperado = cn.atencion_escalada(Q, K, V, mascara)
    np.testing.assert_allclose(cn.atencion_por_teselas(Q, K, V, B_r, B_c, causal), esperado, rtol=1e-10, atol=1e-12)


@pytest.mark.ecuacion("flashattention-teselas")
def test_teselas_no_materializa_la_matriz_T_por_S():
    """Memoria extra medida con tracemalloc: teselas B_r×B_c, no la matriz T×S (que la atención exacta sí crea)."""
    rng = np.random.default_rng(0)
    T = S = 1024
    Q, K, V = _qkv(rng, T, S, lote=())
    matriz = T * S * 8  # bytes de A en float64

    def pico(funcion):
        tracemalloc.start()
        funcion()
        _, maximo = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return maximo

    teselas = pico(lambda: cn.atencion_por_teselas(Q, K, V, B_r=64, B_c=64, causal=True))
    exacta = pico(lambda: cn.atencion_escalada(Q, K, V))
    assert exacta >= matriz
    assert teselas < matriz / 16


@pytest.mark.ecuacion("atencion-lineal-causal-recurrente")
@settings(max_examples=40, deadline=None)
@given(semilla=semillas, T=st.integers(1, 16), d_k=st.integers(1, 6), escala=st.floats(0.1, 5))
def test_recurrente_igual_a_cuadratica_enmascarada(semilla, T, d_k, escala):
    rng = np.random.default_rng(semilla)
    Q, K = rng.standard_normal((2, T, d_k)) * escala, rng.standard_normal((2, T, d_k)) * escala
    V = rng.standard_normal((2, T, 3))
    A = np.tril(cn.nucleo_elu(Q) @ np.swapaxes(cn.nucleo_elu(K), -1, -2))  # (2, T, T)
    esperado = (A @ V) / A.sum(-1, keepdims=True)
    salida, S, z = cn.atencion_lineal_causal(Q, K, V, devolver_estado=True)
    np.testing.assert_allclose(salida, esperado, rtol=1e-9, atol=1e-12)
    # La última fila de la causal es la atención lineal no causal (todas las claves vistas).
    np.testing.assert_allclose(salida[:, -1], cn.atencion_lineal(Q, K, V)[:, -1], rtol=1e-9, atol=1e-12)
    assert S.shape == (2, d_k, 3) and z.shape == (2, d_k)


@pytest.mark.ecuacion("atencion-lineal-nucleo")
@given(x=arrays(np.float64, st.integers(1, 20), elements=st.floats(-700, 700)))
def test_nucleo_elu_positivo_y_creciente(x):
    """φ > 0 (así el denominador nunca se anula), φ(x) ≥ x + 1 (igualdad si x > 0) y φ es creciente."""
    phi = cn.nucleo_elu(x)
    assert (phi > 0).all()
    assert (phi >= x + 1 - 1e-12).all()
    orden = np.argsort(x)
    assert (np.diff(phi[orden]) >= 0).all()


@pytest.mark.ecuacion("atencion-ventana-deslizante")
@settings(max_examples=50, deadline=None)
@given(semilla=semillas, T=st.integers(1, 20), w=st.integers(1, 25), causal=st.booleans())
def test_ventana_igual_a_atencion_con_banda(semilla, T, w, causal):
    rng = np.random.default_rng(semilla)
    Q, K, V = _qkv(rng, T, T)
    banda = cn.mascara_ventana_deslizante(T, w, causal)
    esperado = cn.atencion_escalada(Q, K, V, banda)
    np.testing.assert_allclose(cn.atencion_ventana_deslizante(Q, K, V, w, causal), esperado, rtol=1e-10, atol=1e-12)
    assert banda.diagonal().all() and banda.sum(-1).max() <= (w if causal else 2 * (w // 2) + 1)


@pytest.mark.ecuacion("atencion-dispersa-estriada")
@settings(max_examples=40, deadline=None)
@given(T=st.integers(1, 40), l=st.integers(1, 12))
def test_estriada_coste_y_conectividad(T, l):
    local, estriada = cn.mascaras_estriadas(T, l)
    causal = cn.mascara_causal(T)
    assert ((local.astype(int) @ estriada.astype(int)) > 0).tolist() == causal.tolist()
    assert local.sum() + estriada.sum() <= T * (l + 1) + T * ((T - 1) // l + 1)
