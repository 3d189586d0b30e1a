"""El traductor de juguete y el explorador de alineamientos, sin navegador."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from transformadores import ErrorDeForma
from transformadores.con_torch import seq2seq_contexto
from transformadores.widgets.alineamiento import (
    ExploradorAlineamiento,
    TraductorJuguete,
    entrenar_traductor,
    exactitud_por_longitud,
    lote_inversion,
)
from transformadores.widgets.base import descripcion_de, png_de

FRASES = ("uno dos tres cuatro", "cinco cinco seis")


@pytest.fixture(scope="module")
def explorador():
    torch.manual_seed(0)
    return ExploradorAlineamiento(frases=FRASES, instantes=(0, 10, 25), longitudes=(3, 4), lote=16)


def test_lote_inversion():
    x, y = lote_inversion(5, 6, torch.Generator().manual_seed(0))
    assert x.shape == y.shape == (5, 6) and torch.equal(y, x.flip(-1)) and int(x.max()) < 8


@pytest.mark.parametrize("atencion", [False, True], ids=["fijo", "atencion"])
def test_formas_y_probabilidades(atencion):
    modelo = TraductorJuguete(atencion=atencion, semilla=3)
    x, y = lote_inversion(4, 5, torch.Generator().manual_seed(1))
    previos = torch.cat([torch.full_like(y[:, :1], 8), y[:, :-1]], dim=1)
    p, alfa = modelo(x, previos)
    assert p.shape == (4, 5, 8)
    torch.testing.assert_close(p.sum(-1), torch.ones(4, 5))
    if atencion:
        assert alfa.shape == (4, 5, 5)
        torch.testing.assert_close(alfa.sum(-1), torch.ones(4, 5))
    else:
        assert alfa is None
        esperado = seq2seq_contexto(modelo.E_x[x], modelo.E_y[previos], *modelo.codificador, *modelo.decodificador)
        torch.testing.assert_close(p, esperado)
    # La decodificación voraz es coherente con forward: cada cifra es el argmax dado el prefijo propio.
    traduccion, _ = modelo.traducir(x)
    propios = torch.cat([torch.full_like(traduccion[:, :1], 8), traduccion[:, :-1]], dim=1)
    assert torch.equal(modelo(x, propios)[0].argmax(-1), traduccion)


def test_el_entrenamiento_baja_la_perdida_y_sube_la_exactitud():
    modelo = TraductorJuguete(atencion=False, semilla=0)
    antes = exactitud_por_longitud(modelo, [3], n=200)[0][0]
    perdidas = entrenar_traductor(modelo, 60, longitudes=(3, 3), lote=32)
    assert np.mean(perdidas[-10:]) < 0.6 * perdidas[0]
    assert exactitud_por_longitud(modelo, [3], n=200)[0][0] > antes + 0.2


def test_los_controles_cambian_alineamiento_y_figura(explorador):
    w = explorador
    w.frase_control.value, w.paso_control.value = 0, 0
    alfa, imagen = w.alfa.copy(), w.imagen_actual
    assert alfa.shape == (4, 4) and np.allclose(alfa.sum(-1), 1.0) and len(w.traduccion) == 4
    w.paso_control.value = 25
    assert w.paso == 25 and w.imagen_actual != imagen and not np.allclose(w.alfa, alfa)
    w.frase_control.value = 1
    assert w.alfa.shape == (3, 3) and w.figuras.selected_index == 1
    assert "cinco cinco seis" in w.descripcion_actual and "25 pasos" in w.descripcion_actual
    assert w.perdidas[-1] < w.perdidas[0] and len(w.perdidas) == 25


def test_enlaces_en_el_navegador(explorador):
    w = explorador
    enlaces = {(e.source[0], e.source[1], e.target[0], e.target[1]) for e in w._enlaces}
    assert (w.frase_control, "index", w.figuras, "selected_index") in enlaces
    assert all((w.paso_control, "index", p, "selected_index") in enlaces for p in w.figuras.children)
    imagenes = [i for p in w.figuras.children for i in p.children]
    assert len(imagenes) == 6 and len({png_de(i) for i in imagenes}) == 6
    assert all("antidiagonal" in descripcion_de(i) for i in imagenes)


def test_entradas_erroneas():
    with pytest.raises(ErrorDeForma, match=r"«uno nueve» contiene \['nueve'\]"):
        ExploradorAlineamiento(frases=("uno nueve",), instantes=(0,))
    with pytest.raises(ValueError, match=r"'instantes' debe ser estrictamente creciente"):
        ExploradorAlineamiento(frases=FRASES, instantes=(0, 5, 5))
