"""El explorador del gradiente de la RNN, sin navegador: sus controles cambian lo que calcula y lo que dibuja."""

from __future__ import annotations

import numpy as np
import pytest
from transformadores import ErrorDeForma
from transformadores.con_numpy import jacobiano_rnn
from transformadores.widgets.base import descripcion_de, png_de
from transformadores.widgets.recurrencia import ExploradorGradienteRnn, matriz_con_radio, normas_jacobiano

T = 24


@pytest.fixture(scope="module")
def explorador():
    return ExploradorGradienteRnn(T=T, d_h=8, n_secuencias=3, radios=(0.5, 1.0, 2.0), amplitudes=(0.1, 3.0))


def test_normas_coinciden_con_el_producto_de_jacobianos(rng):
    X, W_xh, b_h = rng.standard_normal((2, 7, 3)), rng.standard_normal((5, 3)), rng.standard_normal(5)
    W_hh = matriz_con_radio(5, 1.3, rng)
    normas = normas_jacobiano(X, W_xh, W_hh, b_h)
    assert normas.shape == (2, 8)
    for k in range(8):
        esperado = np.linalg.norm(jacobiano_rnn(X, W_xh, W_hh, b_h, k=k), ord=2, axis=(-2, -1))
        np.testing.assert_allclose(normas[:, 7 - k], esperado, rtol=1e-10)


def test_matriz_con_radio(rng):
    W = matriz_con_radio(6, 0.7, rng)
    assert np.abs(np.linalg.eigvals(W)).max() == pytest.approx(0.7)
    assert np.linalg.norm(W, ord=2) == pytest.approx(0.7)


def test_el_radio_cambia_normas_y_figura(explorador):
    w = explorador
    w.radio_control.value, w.amplitud_control.value = 0.5, 0.1
    imagen, normas = w.imagen_actual, w.normas.copy()
    assert normas[-1] < 1e-6  # se desvanece
    assert (normas <= 0.5 ** np.arange(T + 1) * (1 + 1e-9)).all()  # la cota ρ^(T-k)
    w.radio_control.value = 2.0
    assert w.imagen_actual != imagen and w.radio == 2.0
    assert w.normas[-1] > 1.0  # con entradas pequeñas, explota
    assert "radio espectral 2 " in w.descripcion_actual


def test_la_amplitud_satura_la_tangente(explorador):
    w = explorador
    w.radio_control.value, w.amplitud_control.value = 1.0, 0.1
    pequena, imagen = w.normas.copy(), w.imagen_actual
    w.amplitud_control.value = 3.0
    assert w.imagen_actual != imagen and w.amplitud == 3.0
    assert w.normas[-1] < 1e-3 * pequena[-1]  # 1 - h² ≈ 0: el gradiente cae mucho más deprisa
    assert w.normas_por_secuencia.shape == (3, T + 1)


def test_enlaces_en_el_navegador(explorador):
    w = explorador
    enlaces = {(e.source[0], e.source[1], e.target[0], e.target[1]) for e in w._enlaces}
    assert (w.radio_control, "index", w.figuras, "selected_index") in enlaces
    assert all((w.amplitud_control, "index", p, "selected_index") in enlaces for p in w.figuras.children)
    imagenes = [i for p in w.figuras.children for i in p.children]
    assert len(imagenes) == 6 and len({png_de(i) for i in imagenes}) == 6
    assert len({descripcion_de(i) for i in imagenes}) == 6


def test_entradas_erroneas(rng):
    with pytest.raises(ValueError, match=r"'T' debe ser un entero mayor o igual que 2"):
        ExploradorGradienteRnn(T=1)
    with pytest.raises(ValueError, match=r"Los radios deben ser positivos"):
        ExploradorGradienteRnn(T=4, radios=(0.0,))
    with pytest.raises(ValueError, match=r"'radio' debe ser positivo"):
        matriz_con_radio(3, -1.0, rng)
    with pytest.raises(ErrorDeForma, match=r"'W_hh' debe tener forma \(d_h, d_h\) con d_h=5"):
        normas_jacobiano(np.ones((4, 3)), np.ones((5, 3)), np.ones((4, 4)), np.ones(5))
