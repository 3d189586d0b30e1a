"""El explorador de la atención sobre los parches, sin navegador: sus controles cambian lo que calcula y dibuja."""

from __future__ import annotations

import numpy as np
import pytest
from transformadores import ErrorDeForma
from transformadores.widgets.base import descripcion_de, png_de
from transformadores.widgets.vision import ExploradorAtencionParches

L, H, N = 2, 2, 4  # imágenes de 4×4 con parches de 2×2


def _atencion():
    """(2 imágenes, L, H, N+1): cada cabeza mira sobre todo a un parche distinto."""
    a = np.full((2, L, H, N + 1), 0.05)
    for i in range(2):
        for c in range(L):
            for h in range(H):
                a[i, c, h, 1 + (i + 2 * c + h) % N] = 0.8
    return a


@pytest.fixture(scope="module")
def explorador():
    imagenes = np.random.default_rng(0).random((2, 4, 4))
    return ExploradorAtencionParches(imagenes, _atencion(), 2, titulos=["un 3", "un 7"])


def test_los_controles_eligen_imagen_y_capa(explorador):
    w, a = explorador, _atencion()
    w.foto.value, w.capa.value = 0, 0
    assert (w.imagen_actual_indice, w.capa_actual) == (0, 0)
    np.testing.assert_allclose(w.atencion_visible, a[0, 0, :, 1:].mean(0).reshape(2, 2))
    np.testing.assert_allclose(w.por_cabeza, a[0, 0, :, 1:].reshape(H, 2, 2))
    assert w.propia == pytest.approx(0.05)
    imagen = w.imagen_actual
    w.capa.value = 1
    assert w.capa_actual == 1 and w.imagen_actual != imagen
    np.testing.assert_allclose(w.por_cabeza[0], a[0, 1, 0, 1:].reshape(2, 2))
    w.foto.value = 1
    np.testing.assert_allclose(w.atencion_visible, a[1, 1, :, 1:].mean(0).reshape(2, 2))
    assert w.figuras.selected_index == 1 and w.figuras.children[1].selected_index == 1


def test_enlaces_en_el_navegador_y_textos_alternativos(explorador):
    w = explorador
    enlaces = {(e.source[0], e.source[1], e.target[0], e.target[1]) for e in w._enlaces}
    assert (w.foto, "index", w.figuras, "selected_index") in enlaces
    assert all((w.capa, "index", p, "selected_index") in enlaces for p in w.figuras.children)
    imagenes = [i for p in w.figuras.children for i in p.children]
    assert len(imagenes) == 2 * L and len({png_de(i) for i in imagenes}) == len(imagenes)
    w.foto.value, w.capa.value = 1, 1  # un 7, capa 2: las cabezas miran a los parches (1+2+0) % 4 = 3 y 0
    texto = w.descripcion_actual
    assert texto.startswith("un 7, capa 2.") and "4 parches de 2×2" in texto and "media de las 2 cabezas" in texto
    assert "a sí mismo un 5 %" in texto and "El parche más atendido por cada cabeza: 4, 1." in texto
    assert len({descripcion_de(i) for i in imagenes}) == len(imagenes)


def test_entradas_erroneas():
    imagenes, a = np.zeros((2, 4, 4)), _atencion()
    with pytest.raises(ErrorDeForma, match=r"'imagenes' debe tener forma \(n, lado, lado\)"):
        ExploradorAtencionParches(np.zeros((2, 4, 5)), a, 2)
    with pytest.raises(ErrorDeForma, match=r"'atencion' debe tener forma"):
        ExploradorAtencionParches(imagenes, a[:1], 2)
    with pytest.raises(ErrorDeForma, match=r"'P' debe ser un entero que divida a lado=4"):
        ExploradorAtencionParches(imagenes, a, 3)
    with pytest.raises(ErrorDeForma, match=r"'atencion' debe tener N\+1=17 columnas"):
        ExploradorAtencionParches(imagenes, a, 1)
    with pytest.raises(ErrorDeForma, match=r"'titulos' debe tener n=2 elementos"):
        ExploradorAtencionParches(imagenes, a, 2, titulos=["uno"])
