"""El explorador de atención dispersa, sin navegador: mover sus controles cambia la máscara, el alcance y la figura."""

from __future__ import annotations

import numpy as np
import pytest
from transformadores import ErrorDeForma
from transformadores.widgets.dispersa import PATRONES, ExploradorDispersa, mascara_patron


@pytest.fixture(scope="module")
def explorador():
    return ExploradorDispersa(tamanos=((16, 4), (32, 8)))


def test_mascaras_de_cada_patron():
    T, w = 12, 4
    i, j = np.arange(T)[:, None], np.arange(T)[None, :]
    assert np.array_equal(mascara_patron("completa (causal)", T, w), j <= i)
    assert np.array_equal(mascara_patron("ventana deslizante", T, w), (i - j >= 0) & (i - j < w))
    assert np.array_equal(mascara_patron("estriada", T, w), (j <= i) & ((i - j) % w == 0))
    assert np.array_equal(mascara_patron("local + estriada", T, w), (j <= i) & ((i - j <= w) | ((i - j) % w == 0)))
    with pytest.raises(ErrorDeForma, match=r"'patron' debe ser uno de"):
        mascara_patron("aleatoria", T, w)


def test_los_controles_cambian_lo_calculado_y_la_imagen(explorador):
    w = explorador
    w.control_patron.value, w.control_tamano.value = "completa (causal)", (16, 4)
    assert w.n_pares == 16 * 17 // 2 and w.fraccion == 1.0 and w.fraccion_alcance == 1.0
    imagen = w.imagen_actual
    w.control_patron.value = "ventana deslizante"
    assert w.imagen_actual != imagen
    assert w.n_pares == sum(min(i + 1, 4) for i in range(16)) and w.fraccion < 0.5
    assert not w.alcance[-1, 0] and w.alcance[-1, 16 - 7]  # dos capas de ventana 4 llegan 6 posiciones atrás
    w.control_patron.value = "estriada"  # la estriada sola no mejora en dos capas: sigue viendo los múltiplos de l
    assert np.array_equal(w.alcance, w.mascara)
    w.control_patron.value = "local + estriada"  # la unión conecta todos los pares causales en dos capas
    assert w.fraccion < 1.0 and w.fraccion_alcance == 1.0
    w.control_tamano.value = (32, 8)
    assert (w.T, w.w) == (32, 8) and w.mascara.shape == (32, 32)
    assert w.figuras.selected_index == PATRONES.index("local + estriada") and w.figuras.children[3].selected_index == 1


def test_enlaces_en_el_navegador(explorador):
    w = explorador
    enlaces = {(e.source[0], e.source[1], e.target[0], e.target[1]) for e in w._enlaces}
    assert (w.control_patron, "index", w.figuras, "selected_index") in enlaces
    assert all((w.control_tamano, "index", p, "selected_index") in enlaces for p in w.figuras.children)
    assert len(w.figuras.children) == 4 and all(len(p.children) == 2 for p in w.figuras.children)


def test_texto_alternativo(explorador):
    w = explorador
    w.control_patron.value, w.control_tamano.value = "ventana deslizante", (32, 8)
    assert "«ventana deslizante» con T = 32 y w = 8" in w.descripcion_actual
    assert f"los {w.n_pares} pares" in w.descripcion_actual


def test_entradas_erroneas():
    with pytest.raises(ErrorDeForma, match=r"cada patrón debe ser uno de"):
        ExploradorDispersa(patrones=("completa (causal)", "global"))
    with pytest.raises(ErrorDeForma, match=r"1 ≤ w ≤ T, pero se recibió \(4, 8\)"):
        ExploradorDispersa(tamanos=((4, 8),))
