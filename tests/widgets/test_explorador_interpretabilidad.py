"""El explorador de saliencias, sin navegador: sus controles cambian el ejemplo y el método que se dibujan."""

from __future__ import annotations

import numpy as np
import pytest
from transformadores import ErrorDeForma
from transformadores.widgets.base import descripcion_de, png_de
from transformadores.widgets.interpretabilidad import ExploradorSaliencia

TOKENS = [list("abcd"), list("xyz")]
SALIENCIAS = {
    "atención": [np.array([4.0, 2.0, 0.0, 0.0]), np.array([0.0, 0.0, 1.0])],
    "gradiente": [np.array([0.0, -1.0, 0.5, 2.0]), np.array([3.0, 0.0, -3.0])],
}


@pytest.fixture(scope="module")
def explorador():
    return ExploradorSaliencia(TOKENS, SALIENCIAS, correctas=[[3], [0]], titulos=["primero", "segundo"])


def test_los_controles_eligen_ejemplo_y_metodo(explorador):
    w = explorador
    w.ejemplo.value, w.metodo.value = 0, 0
    imagen = w.imagen_actual
    assert (w.ejemplo_actual, w.metodo_actual, w.token_maximo) == (0, "atención", 0)
    np.testing.assert_allclose(w.saliencia, [1.0, 0.5, 0.0, 0.0])  # dividida por el mayor valor absoluto
    w.metodo.value = 1
    assert (w.metodo_actual, w.token_maximo) == ("gradiente", 3) and w.imagen_actual != imagen
    w.ejemplo.value = 1
    np.testing.assert_allclose(w.saliencia, [1.0, 0.0, -1.0])
    assert w.figuras.selected_index == 1 and w.figuras.children[1].selected_index == 1


def test_enlaces_en_el_navegador_y_textos_alternativos(explorador):
    w = explorador
    enlaces = {(e.source[0], e.source[1], e.target[0], e.target[1]) for e in w._enlaces}
    assert (w.ejemplo, "index", w.figuras, "selected_index") in enlaces
    assert all((w.metodo, "index", p, "selected_index") in enlaces for p in w.figuras.children)
    imagenes = [i for p in w.figuras.children for i in p.children]
    assert len(imagenes) == 4 and len({png_de(i) for i in imagenes}) == 4
    textos = [descripcion_de(i) for i in imagenes]
    assert len(set(textos)) == 4
    w.ejemplo.value, w.metodo.value = 0, 0
    assert "«a b c d»" in w.descripcion_actual and "el método no acierta" in w.descripcion_actual
    w.metodo.value = 1
    assert "mayor saliencia es «d»" in w.descripcion_actual and "el método acierta" in w.descripcion_actual


def test_sin_respuesta_conocida():
    w = ExploradorSaliencia([list("ab")], {"m": [np.array([1.0, 2.0])]})
    assert "respuesta conocida" not in w.descripcion_actual and w.titulos == ["ejemplo 1"]


def test_entradas_erroneas():
    with pytest.raises(ErrorDeForma, match=r"'tokens' debe ser una lista no vacía"):
        ExploradorSaliencia([], SALIENCIAS)
    with pytest.raises(ErrorDeForma, match=r"'saliencias' debe ser un diccionario no vacío"):
        ExploradorSaliencia(TOKENS, {})
    with pytest.raises(ErrorDeForma, match=r"'saliencias\['m'\]\[1\]' debe tener forma \(3,\)"):
        ExploradorSaliencia(TOKENS, {"m": [np.ones(4), np.ones(4)]})
    with pytest.raises(ErrorDeForma, match=r"deben tener N=2 elementos"):
        ExploradorSaliencia(TOKENS, SALIENCIAS, titulos=["uno"])
