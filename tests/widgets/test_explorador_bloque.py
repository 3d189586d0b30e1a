"""El explorador de normas por profundidad, sin navegador: sus controles cambian lo que calcula y dibuja."""

from __future__ import annotations

import numpy as np
import pytest
from transformadores.experimentos.profundidad import normas_por_capa
from transformadores.widgets.base import descripcion_de, png_de
from transformadores.widgets.bloque import ExploradorNormas, tabla_normas


@pytest.fixture(scope="module")
def explorador():
    return ExploradorNormas(profundidades=(2, 6), semillas=(0,), d_modelo=16, n_cabezas=2)


def test_la_variante_cambia_lo_medido_y_la_figura(explorador):
    w = explorador
    w.variante.value, w.profundidad.value = "Post-LN", 6
    imagen = w.imagen_actual
    np.testing.assert_allclose(w.activacion, 1.0, atol=1e-4)  # Post-LN: la LN deja RMS 1 tras cada capa
    w.variante.value = "Pre-LN"
    assert w.imagen_actual != imagen and w.figuras.selected_index == 1
    esperado = normas_por_capa(6, True, (0,), 16, 2)
    np.testing.assert_allclose(w.activacion, esperado["activacion"])
    np.testing.assert_allclose(w.gradiente, esperado["gradiente"])
    assert w.activacion[-1] > w.activacion[0]


def test_la_profundidad_cambia_el_numero_de_capas(explorador):
    w = explorador
    w.variante.value, w.profundidad.value = "Pre-LN", 2
    assert w.activacion.shape == w.gradiente.shape == (2,)
    imagen = w.imagen_actual
    w.profundidad.value = 6
    assert w.activacion.shape == (6,) and w.imagen_actual != imagen
    assert "Pre-LN de 6 capas" in w.descripcion_actual


def test_enlaces_en_el_navegador_y_textos_alternativos(explorador):
    w = explorador
    enlaces = {(e.source[0], e.source[1], e.target[0], e.target[1]) for e in w._enlaces}
    assert (w.variante, "index", w.figuras, "selected_index") in enlaces
    assert all((w.profundidad, "index", p, "selected_index") in enlaces for p in w.figuras.children)
    imagenes = [i for p in w.figuras.children for i in p.children]
    assert len(imagenes) == 4 and len({png_de(i) for i in imagenes}) == 4
    assert len({descripcion_de(i) for i in imagenes}) == 4


def test_tabla_y_entradas_erroneas(explorador):
    filas = explorador.tabla().splitlines()
    assert len(filas) == 5 and filas[1].split()[:2] == ["Post-LN", "2"]
    assert tabla_normas({}) == filas[0]
    with pytest.raises(ValueError, match=r"'profundidades' debe ser una lista de enteros ≥ 1"):
        ExploradorNormas(profundidades=(0,))
