"""El explorador de cabezas, sin navegador: sus controles cambian la cabeza que calcula y dibuja."""

from __future__ import annotations

import numpy as np
import pytest
from transformadores import ErrorDeForma
from transformadores.widgets.base import descripcion_de, png_de
from transformadores.widgets.multicabeza import ExploradorCabezas

T = 8


def _desplazada(k):
    """Pesos (T, T) que miran exactamente ``k`` posiciones atrás (o a la 0, si no hay tantas)."""
    P = np.zeros((T, T))
    P[np.arange(T), np.maximum(np.arange(T) - k, 0)] = 1.0
    return P


@pytest.fixture(scope="module")
def explorador():
    pesos = [np.stack([_desplazada(0), _desplazada(1)]), np.stack([_desplazada(3), _desplazada(2)])]  # 2 capas, H = 2
    return ExploradorCabezas(pesos, list("abcdabcd"), longitud=4), pesos


def test_los_controles_eligen_capa_y_cabeza(explorador):
    w, pesos = explorador
    w.capa.value, w.cabeza.value = 0, 0
    imagen = w.imagen_actual
    np.testing.assert_array_equal(w.pesos, pesos[0][0])
    w.cabeza.value = 1
    assert (w.capa_actual, w.cabeza_actual) == (0, 1) and w.imagen_actual != imagen
    np.testing.assert_array_equal(w.pesos, pesos[0][1])
    w.capa.value = 1
    np.testing.assert_array_equal(w.pesos, pesos[1][1])
    assert w.figuras.selected_index == 1 and w.figuras.children[1].selected_index == 1


def test_enlaces_en_el_navegador_y_textos_alternativos(explorador):
    w, _ = explorador
    enlaces = {(e.source[0], e.source[1], e.target[0], e.target[1]) for e in w._enlaces}
    assert (w.capa, "index", w.figuras, "selected_index") in enlaces
    assert all((w.cabeza, "index", p, "selected_index") in enlaces for p in w.figuras.children)
    imagenes = [i for p in w.figuras.children for i in p.children]
    assert len(imagenes) == 4 and len({png_de(i) for i in imagenes}) == 4
    textos = [descripcion_de(i) for i in imagenes]
    assert len(set(textos)) == 4 and all("a b c d a b c d" in t and "L = 4" in t for t in textos)
    w.capa.value, w.cabeza.value = 1, 0
    assert "capa 2, cabeza 1" in w.descripcion_actual and "mira 2.6 posiciones atrás" in w.descripcion_actual


def test_sin_longitud_no_hay_marcas():
    w = ExploradorCabezas([np.stack([_desplazada(1)])], list("abcdefgh"))
    assert "marcas" not in w.descripcion_actual and len(w.figuras.children) == 1


def test_entradas_erroneas():
    with pytest.raises(ErrorDeForma, match=r"'pesos' debe ser una lista no vacía"):
        ExploradorCabezas([], list("ab"))
    with pytest.raises(ErrorDeForma, match=r"'pesos\[1\]' debe tener forma"):
        ExploradorCabezas([np.ones((2, 4, 4)), np.ones((2, 5, 5))], list("abcd"))
    with pytest.raises(ErrorDeForma, match=r"'tokens' debe tener T=4 elementos"):
        ExploradorCabezas([np.ones((2, 4, 4))], list("abc"))
    with pytest.raises(ErrorDeForma, match=r"'longitud' debe estar entre 1 y T/2=2"):
        ExploradorCabezas([np.ones((2, 4, 4))], list("abcd"), longitud=3)
