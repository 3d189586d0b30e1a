"""Propiedades del jacobiano del softmax y de la atención por columnas (hypothesis, gemelo NumPy)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from paridad.casos_cap03b import columnas
from transformadores import con_numpy as cn

vectores = arrays(np.float64, st.integers(1, 9), elements=st.floats(-30, 30))


@pytest.mark.ecuacion("softmax-jacobiano")
@settings(max_examples=50)
@given(z=vectores)
def test_jacobiano_simetrico_semidefinido_y_filas_cero(z):
    """J = diag(s) - ssᵀ es simétrica, semidefinida positiva, J·1 = 0 y traza = 1 - ‖s‖²."""
    J, s = cn.jacobiano_softmax(z), cn.softmax(z)
    np.testing.assert_allclose(J, J.T, atol=1e-15)
    np.testing.assert_allclose(J.sum(-1), 0.0, atol=1e-14)
    assert np.linalg.eigvalsh(J).min() >= -1e-14
    assert np.trace(J) == pytest.approx(1 - s @ s, abs=1e-12)


@pytest.mark.ecuacion("softmax-jacobiano")
def test_jacobiano_se_satura_con_puntuaciones_grandes():
    """Al multiplicar las puntuaciones, s tiende a one-hot y J → 0: el gradiente se desvanece."""
    z = np.array([0.3, -1.2, 0.9, 0.1])
    normas = [np.linalg.norm(cn.jacobiano_softmax(z * a)) for a in (1, 4, 16, 64)]
    assert all(a > b for a, b in zip(normas, normas[1:]))
    assert normas[-1] < 1e-10 < normas[0]


@pytest.mark.ecuacion("atencion-matricial-columnas")
@settings(max_examples=40, deadline=None)
@given(
    semilla=st.integers(0, 2**32 - 1),
    l_x=st.integers(1, 6),
    l_z=st.integers(1, 6),
    d_attn=st.integers(1, 5),
    con_mascara=st.booleans(),
)
def test_columnas_igual_a_filas(semilla, l_x, l_z, d_attn, con_mascara):
    """Las dos formas coinciden; sin máscara, cada columna de Ṽ es una media ponderada de las columnas de V."""
    rng = np.random.default_rng(semilla)
    args = columnas(rng, l_x=l_x, l_z=l_z, d_attn=d_attn)
    mascara = rng.random((2, l_z, l_x)) < 0.7 if con_mascara else None
    Vt = cn.atencion_columnas(*args, mascara)
    assert Vt.shape == (2, 2, l_x) and not np.isnan(Vt).any()
    np.testing.assert_allclose(cn.atencion_columnas(*args, mascara, forma="filas"), Vt, rtol=1e-10, atol=1e-12)
    if mascara is not None:
        np.testing.assert_array_equal(Vt[np.broadcast_to(~mascara.any(1)[:, None, :], Vt.shape)], 0.0)
    else:
        V = args[6] @ args[1] + args[7][:, None]  # (B, d_out, l_z)
        assert (Vt >= V.min(-1, keepdims=True) - 1e-9).all() and (Vt <= V.max(-1, keepdims=True) + 1e-9).all()
