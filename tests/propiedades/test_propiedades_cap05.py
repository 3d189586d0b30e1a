"""Propiedades del capítulo 5 comprobadas con hypothesis (gemelo NumPy)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from transformadores import con_numpy as cn

semillas = st.integers(0, 2**32 - 1)
pares = st.integers(1, 16).map(lambda n: 2 * n)


@pytest.mark.ecuacion("codificacion-posicional-desplazamiento")
@settings(max_examples=40, deadline=None)
@given(pos=st.integers(60, 500), k=st.integers(-60, 60), d=pares)
def test_desplazar_la_posicion_es_lineal(pos, k, d):
    """PE[pos + k] = R_k · PE[pos], con R_k independiente de pos."""
    PE = cn.codificacion_posicional_sinusoidal(1, d, inicio=pos)[0]
    desplazada = cn.codificacion_posicional_sinusoidal(1, d, inicio=pos + k)[0]
    R = cn.matriz_desplazamiento(k, d)
    np.testing.assert_allclose(R @ PE, desplazada, atol=1e-9)
    np.testing.assert_allclose(R @ R.T, np.eye(d), atol=1e-12)  # ortogonal: conserva la norma


@pytest.mark.ecuacion("codificacion-posicional-desplazamiento")
@given(a=st.integers(-40, 40), b=st.integers(-40, 40))
def test_desplazamientos_se_componen(a, b):
    np.testing.assert_allclose(
        cn.matriz_desplazamiento(a, 8) @ cn.matriz_desplazamiento(b, 8), cn.matriz_desplazamiento(a + b, 8), atol=1e-12
    )


@pytest.mark.ecuacion("codificacion-posicional-sinusoidal")
@settings(max_examples=30, deadline=None)
@given(T=st.integers(1, 40), d=pares, inicio=st.integers(0, 100))
def test_sinusoidal_norma_y_desplazamiento_de_inicio(T, d, inicio):
    PE = cn.codificacion_posicional_sinusoidal(T + inicio, d)
    np.testing.assert_allclose((PE**2).sum(-1), d / 2)  # sin² + cos² = 1 en cada par
    np.testing.assert_allclose(cn.codificacion_posicional_sinusoidal(T, d, inicio=inicio), PE[inicio:], atol=1e-10)
    np.testing.assert_array_equal(PE[0], np.tile([0.0, 1.0], d // 2))  # posición 0: sin 0, cos 0


@pytest.mark.ecuacion("rope-rotatoria")
@settings(max_examples=40, deadline=None)
@given(semilla=semillas, m=st.integers(0, 50), n=st.integers(0, 50), c=st.integers(0, 50), mitades=st.booleans())
def test_rope_solo_depende_de_la_posicion_relativa(semilla, m, n, c, mitades):
    """⟨R_m q, R_n k⟩ = ⟨R_{m+c} q, R_{n+c} k⟩: el producto solo ve n - m."""
    rng = np.random.default_rng(semilla)
    q, k = rng.standard_normal((1, 8)), rng.standard_normal((1, 8))
    rot = lambda x, p: cn.aplicar_rope(x, inicio=p, mitades=mitades)[0]  # noqa: E731
    np.testing.assert_allclose(rot(q, m) @ rot(k, n), rot(q, m + c) @ rot(k, n + c), rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(np.linalg.norm(rot(q, m)), np.linalg.norm(q), rtol=1e-12)  # es un giro


@pytest.mark.ecuacion("rope-rotatoria")
@settings(max_examples=20, deadline=None)
@given(semilla=semillas, d=pares, T=st.integers(1, 6))
def test_rope_mitades_es_pares_con_las_componentes_permutadas(semilla, d, T):
    """Las dos variantes son la misma rotación con otro orden de componentes (sus pesos no se intercambian)."""
    x = np.random.default_rng(semilla).standard_normal((T, d))
    intercalado = np.stack([np.arange(d // 2), np.arange(d // 2, d)], axis=-1).ravel()  # 0, d/2, 1, d/2+1, …
    inversa = np.argsort(intercalado)
    np.testing.assert_allclose(cn.aplicar_rope(x, mitades=True), cn.aplicar_rope(x[:, intercalado])[:, inversa])


@pytest.mark.ecuacion("alibi-sesgo-lineal")
@settings(max_examples=30, deadline=None)
@given(H=st.integers(1, 12), T=st.integers(1, 8), extra=st.integers(0, 4))
def test_alibi_solo_depende_de_la_distancia(H, T, extra):
    sesgo = cn.sesgo_alibi(H, T + extra)  # (H, S, S)
    m = cn.pendientes_alibi(H)
    assert np.all(np.diff(m) != 0) and np.all((m > 0) & (m < 1))  # una pendiente distinta por cabeza
    i, j = np.tril_indices(T + extra)
    np.testing.assert_allclose(sesgo[:, i, j], -m[:, None] * (i - j))
    assert np.isneginf(sesgo[:, np.triu_indices(T + extra, 1)[0], np.triu_indices(T + extra, 1)[1]]).all()
    np.testing.assert_array_equal(cn.sesgo_alibi(H, T, T + extra), sesgo[:, extra:])  # consultas = T últimas


@pytest.mark.ecuacion("posicion-relativa-shaw")
@settings(max_examples=20, deadline=None)
@given(semilla=semillas, T=st.integers(1, 7))
def test_shaw_sin_distancias_es_atencion_mas_un_desplazamiento(semilla, T):
    """Con k = 0 todas las distancias comparten a^K (no cambia el softmax) y a^V (se suma a la salida)."""
    rng = np.random.default_rng(semilla)
    X, W_q, W_k, W_v = (rng.standard_normal(s) for s in [(2, T, 5), (4, 5), (4, 5), (3, 5)])
    w_K, w_V = rng.standard_normal((1, 4)), rng.standard_normal((1, 3))
    esperado = cn.atencion_escalada(X @ W_q.T, X @ W_k.T, X @ W_v.T) + w_V[0]
    np.testing.assert_allclose(cn.atencion_relativa_shaw(X, W_q, W_k, W_v, w_K, w_V), esperado, rtol=1e-9, atol=1e-10)


@pytest.mark.ecuacion("incrustacion-token")
@settings(max_examples=20, deadline=None)
@given(semilla=semillas, N_V=st.integers(1, 20), T=st.integers(1, 6))
def test_incrustacion_es_una_caliente_por_tabla(semilla, N_V, T):
    rng = np.random.default_rng(semilla)
    x, W_E = rng.integers(0, N_V, size=(2, T)), rng.standard_normal((N_V, 4))
    np.testing.assert_allclose(cn.incrustacion_token(x, W_E), np.eye(N_V)[x] @ W_E)


@pytest.mark.ecuacion("desincrustacion-softmax")
@pytest.mark.ecuacion("pesos-atados")
@settings(max_examples=20, deadline=None)
@given(semilla=semillas)
def test_desincrustacion_es_una_distribucion(semilla):
    rng = np.random.default_rng(semilla)
    h, W_E = rng.standard_normal((3, 5, 8)), rng.standard_normal((11, 8))
    p = cn.desincrustacion_atada(h, W_E)
    np.testing.assert_allclose(p.sum(-1), 1.0)
    np.testing.assert_allclose(np.log(p) - np.log(p[..., :1]), (h @ W_E.T) - (h @ W_E.T)[..., :1], atol=1e-9)


@pytest.mark.ecuacion("incrustacion-inicial-suma")
def test_incrustacion_inicial_con_dropout_es_reproducible():
    rng = np.random.default_rng(0)
    x, W_E, W_P = rng.integers(0, 5, (2, 4)), rng.standard_normal((5, 6)), rng.standard_normal((8, 6))
    a = cn.incrustacion_inicial(x, W_E, W_P, p=0.5, rng=np.random.default_rng(3))
    b = cn.incrustacion_inicial(x, W_E, W_P, p=0.5, rng=np.random.default_rng(3))
    np.testing.assert_array_equal(a, b)
    sin_dropout = cn.incrustacion_inicial(x, W_E, W_P)
    assert ((a == 0) | np.isclose(a, 2 * sin_dropout)).all() and (a == 0).any()
