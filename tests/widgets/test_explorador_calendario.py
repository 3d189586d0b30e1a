"""El explorador del calendario de Vaswani, sin navegador: mover sus controles cambia la curva y la figura."""

from __future__ import annotations

import numpy as np
import pytest
from transformadores.con_numpy import calendario_vaswani
from transformadores.widgets.calendario import ExploradorCalendario, curva_calendario


@pytest.fixture(scope="module")
def explorador():
    return ExploradorCalendario(d_modelos=(64, 512), calentamientos=(1000, 4000), pasos=8000)


def test_la_curva_es_la_del_paquete():
    s, eta = curva_calendario(512, 4000, 9000)
    for paso in (1, 10, 3999, 4000, 4001, 9000):
        assert eta[paso - 1] == pytest.approx(calendario_vaswani(paso, 512, 4000), rel=1e-12)
    assert s[np.argmax(eta)] == 4000


def test_los_controles_cambian_la_curva_y_la_imagen(explorador):
    w = explorador
    w.control_d.value, w.control_w.value = 512, 4000
    assert w.pico == (4000, pytest.approx((512 * 4000) ** -0.5))
    tasas, imagen = w.tasas.copy(), w.imagen_actual
    w.control_w.value = 1000  # calentamiento más corto: pico antes y más alto
    assert w.imagen_actual != imagen and int(np.argmax(w.tasas)) + 1 == 1000
    assert w.tasas.max() > tasas.max()
    w.control_d.value = 64  # d_modelo menor: toda la curva sube en √(512/64)
    np.testing.assert_allclose(w.tasas, curva_calendario(512, 1000, 8000)[1] * np.sqrt(8))
    assert w.figuras.selected_index == 0 and w.figuras.children[0].selected_index == 0


def test_enlaces_en_el_navegador(explorador):
    w = explorador
    enlaces = {(e.source[0], e.source[1], e.target[0], e.target[1]) for e in w._enlaces}
    assert (w.control_d, "index", w.figuras, "selected_index") in enlaces
    assert all((w.control_w, "index", p, "selected_index") in enlaces for p in w.figuras.children)
    assert len(w.figuras.children) == 2 and all(len(p.children) == 2 for p in w.figuras.children)


def test_texto_alternativo(explorador):
    w = explorador
    w.control_d.value, w.control_w.value = 512, 4000
    assert "d_modelo = 512 y 4000 pasos de calentamiento" in w.descripcion_actual


def test_entradas_erroneas():
    with pytest.raises(ValueError, match="calentamiento debe estar entre 1 y pasos"):
        ExploradorCalendario(calentamientos=(50_000,), pasos=1000)
