"""El explorador de la codificación posicional, sin navegador: sus controles cambian lo que calcula y dibuja."""

from __future__ import annotations

import numpy as np
import pytest
from transformadores import ErrorDeForma
from transformadores.con_numpy import codificacion_posicional_sinusoidal
from transformadores.widgets import ExploradorPosiciones
from transformadores.widgets.base import descripcion_de, png_de
from transformadores.widgets.posiciones import similitud_por_distancia

T = 16


@pytest.fixture(scope="module")
def explorador():
    return ExploradorPosiciones(T=T, d_modelos=(8, 32), bases=(100.0, 10000.0))


def test_d_modelo_cambia_la_tabla_y_la_figura(explorador):
    w = explorador
    w.d_modelo.value, w.base.value = 8, 10000.0
    imagen = w.imagen_actual
    np.testing.assert_allclose(w.PE, codificacion_posicional_sinusoidal(T, 8))
    w.d_modelo.value = 32
    assert w.PE.shape == (T, 32) and w.imagen_actual != imagen
    np.testing.assert_allclose(w.PE, codificacion_posicional_sinusoidal(T, 32))


def test_base_cambia_frecuencias_similitud_y_figura(explorador):
    w = explorador
    w.d_modelo.value, w.base.value = 32, 10000.0
    imagen, similitud = w.imagen_actual, w.similitud.copy()
    w.base.value = 100.0
    assert w.imagen_actual != imagen
    np.testing.assert_allclose(w.PE, codificacion_posicional_sinusoidal(T, 32, base=100.0))
    # cos(PE_0, PE_k) = (2/d)·Σ_i cos(ω_i k), con ω_i = base^(-2i/d)
    omega = 100.0 ** (-np.arange(0, 32, 2) / 32)
    np.testing.assert_allclose(w.similitud, np.cos(np.outer(np.arange(T), omega)).mean(axis=1), atol=1e-12)
    # Con frecuencias más altas (base menor), la similitud cae antes con la distancia.
    assert w.similitud[1:6].mean() < similitud[1:6].mean()


def test_la_similitud_solo_depende_de_la_distancia():
    PE = codificacion_posicional_sinusoidal(40, 16)
    np.testing.assert_allclose(similitud_por_distancia(PE, 15), similitud_por_distancia(PE)[:25], atol=1e-12)
    assert similitud_por_distancia(PE)[0] == pytest.approx(1.0)


def test_enlaces_en_el_navegador_y_textos_alternativos(explorador):
    w = explorador
    enlaces = {(e.source[0], e.source[1], e.target[0], e.target[1]) for e in w._enlaces}
    assert (w.d_modelo, "index", w.figuras, "selected_index") in enlaces
    assert all((w.base, "index", p, "selected_index") in enlaces for p in w.figuras.children)
    imagenes = [i for p in w.figuras.children for i in p.children]
    assert len(imagenes) == 4 and len({png_de(i) for i in imagenes}) == 4
    textos = [descripcion_de(i) for i in imagenes]
    assert all(t and "d_modelo" in t for t in textos) and len(set(textos)) == 4
    w.d_modelo.value, w.base.value = 32, 100.0
    assert "d_modelo = 32 y base 100" in w.descripcion_actual


def test_entradas_erroneas():
    with pytest.raises(ValueError, match=r"'T' debe ser un entero mayor o igual que 4"):
        ExploradorPosiciones(T=2)
    with pytest.raises(ErrorDeForma, match=r"'d_modelo' debe ser par"):
        ExploradorPosiciones(T=8, d_modelos=(7,), bases=(100.0,))
    with pytest.raises(ValueError, match=r"Cada base debe ser mayor que 1"):
        ExploradorPosiciones(T=8, d_modelos=(8,), bases=(1.0,))
    with pytest.raises(ValueError, match=r"'origen' debe estar entre 0 y T-1=3"):
        similitud_por_distancia(np.ones((4, 2)), 4)
