"""Propiedades del capítulo 12 (multimodal) comprobadas con hypothesis."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from transformadores import con_numpy as cn

semillas = st.integers(0, 2**32 - 1)


@pytest.mark.ecuacion("fusion-atencion-cruzada-compuerta")
@settings(max_examples=40, deadline=None)
@given(semilla=semillas, T=st.integers(1, 6), S=st.integers(1, 6), d=st.integers(1, 8), alfa=st.floats(-3, 3))
def test_compuerta_cerrada_es_la_identidad(semilla, T, S, d, alfa):
    """α_xattn = α_ffw = 0 ⇒ y = x exactamente; abrir una sola compuerta ya cambia la salida."""
    rng = np.random.default_rng(semilla)
    x, v = rng.standard_normal((2, T, d)), rng.standard_normal((2, S, 5))
    W_q, W_k, W_v = rng.standard_normal((3, d)), rng.standard_normal((3, 5)), rng.standard_normal((4, 5))
    W_o = rng.standard_normal((d, 4))
    ffn = (rng.standard_normal((7, d)), rng.standard_normal(7), rng.standard_normal((d, 7)), rng.standard_normal(d))
    y = cn.fusion_cruzada_compuerta(x, v, W_q, W_k, W_v, W_o, 0.0, *ffn, 0.0)
    np.testing.assert_array_equal(y, x)
    if abs(alfa) > 1e-3:
        abierta = cn.fusion_cruzada_compuerta(x, v, W_q, W_k, W_v, W_o, alfa, *ffn, 0.0)
        assert not np.allclose(abierta, x)


@pytest.mark.ecuacion("clip-perdida-simetrica")
@pytest.mark.ecuacion("infonce")
@settings(max_examples=30, deadline=None)
@given(semilla=semillas, n=st.integers(2, 7), t=st.floats(-1, 4.6))
def test_clip_es_infonce_en_las_dos_direcciones(semilla, n, t):
    """Cada fila de la pérdida de CLIP es un InfoNCE con τ = 1/e^t y el par correcto como positivo."""
    rng = np.random.default_rng(semilla)
    I_e, T_e = cn.clip_incrustaciones(rng.standard_normal((n, 6)), rng.standard_normal((n, 5)),
                                      rng.standard_normal((4, 6)), rng.standard_normal((4, 5)))  # fmt: skip
    tau = 1 / np.exp(t)
    # Candidatos de la fila i: todos, rotados para que el par correcto quede en la posición 0.
    textos = np.stack([np.roll(T_e, -i, axis=0) for i in range(n)])  # (n, n, d_e)
    imagenes = np.stack([np.roll(I_e, -i, axis=0) for i in range(n)])
    esperado = (cn.infonce(I_e, textos, tau) + cn.infonce(T_e, imagenes, tau)) / 2
    np.testing.assert_allclose(cn.clip_perdida(cn.clip_logits(I_e, T_e, t)), esperado, rtol=1e-10)


@pytest.mark.ecuacion("clip-incrustaciones-normalizadas")
@settings(max_examples=30, deadline=None)
@given(semilla=semillas, n=st.integers(1, 6), c=st.floats(1e-3, 1e3))
def test_incrustaciones_unitarias_e_invariantes_a_escala(semilla, n, c):
    rng = np.random.default_rng(semilla)
    I_f, T_f = rng.standard_normal((n, 7)), rng.standard_normal((n, 3))
    W_i, W_t = rng.standard_normal((5, 7)), rng.standard_normal((5, 3))
    I_e, T_e = cn.clip_incrustaciones(I_f, T_f, W_i, W_t)
    np.testing.assert_allclose(np.linalg.norm(I_e, axis=-1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(np.linalg.norm(T_e, axis=-1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(cn.clip_incrustaciones(c * I_f, T_f, W_i, W_t)[0], I_e, atol=1e-12)


@pytest.mark.ecuacion("clip-logits-temperatura")
@settings(max_examples=30, deadline=None)
@given(semilla=semillas, t=st.floats(-5, 20))
def test_logits_acotados_por_la_escala(semilla, t):
    rng = np.random.default_rng(semilla)
    I_e, T_e = cn.clip_incrustaciones(*(rng.standard_normal(s) for s in [(4, 6), (5, 6), (3, 6), (3, 6)]))
    logits = cn.clip_logits(I_e, T_e, t)
    assert np.abs(logits).max() <= min(np.exp(t), 100.0) * (1 + 1e-12)


@pytest.mark.ecuacion("clip-clasificacion-cero-disparos")
@settings(max_examples=30, deadline=None)
@given(semilla=semillas, K=st.integers(2, 6), t=st.floats(-2, 4.6))
def test_cero_disparos_elige_la_clase_mas_parecida(semilla, K, t):
    """La temperatura cambia la confianza, no la decisión: gana la clase de mayor coseno."""
    rng = np.random.default_rng(semilla)
    I_e, T_clases = rng.standard_normal((3, 8)), rng.standard_normal((K, 8))
    P = cn.clip_cero_disparos(I_e, T_clases, t)
    np.testing.assert_allclose(P.sum(-1), 1.0, rtol=1e-12)
    coseno = (I_e / np.linalg.norm(I_e, axis=-1, keepdims=True)) @ (
        T_clases / np.linalg.norm(T_clases, axis=-1, keepdims=True)
    ).T
    np.testing.assert_array_equal(P.argmax(-1), coseno.argmax(-1))
