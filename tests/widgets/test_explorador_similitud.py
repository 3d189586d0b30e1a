"""El explorador de similitudes de CLIP, sin navegador: los controles cambian la matriz, la pérdida y la figura."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from transformadores import ErrorDeForma
from transformadores.widgets.base import descripcion_de, png_de
from transformadores.widgets.similitud import VISTAS, ExploradorSimilitud, matriz_vista

PALABRAS = ["cero", "uno", "dos", "tres"]
RNG = np.random.default_rng(0)
AL_AZAR = np.tanh(RNG.standard_normal((4, 4)))  # cosenos de un modelo sin entrenar
ALINEADOS = 0.9 * np.eye(4) - 0.1  # cada imagen, cerca de su frase
INSTANTANEAS = {0: (AL_AZAR, 14.3), 50: (ALINEADOS, 20.0)}


@pytest.fixture(scope="module")
def explorador():
    return ExploradorSimilitud(INSTANTANEAS, PALABRAS, imagenes=RNG.random((4, 1, 8, 8)))


def test_las_vistas_son_las_dos_mitades_de_la_perdida():
    """Filas: F.cross_entropy(logits); columnas: F.cross_entropy(logits.T) (ec. `clip-perdida-simetrica`)."""
    logits = torch.from_numpy(14.3 * AL_AZAR)
    n = torch.arange(4)
    filas, columnas = (matriz_vista(AL_AZAR, 14.3, v) for v in VISTAS[1:])
    np.testing.assert_allclose(filas.sum(-1), 1.0)
    np.testing.assert_allclose(columnas.sum(0), 1.0)
    por_filas = -np.log(np.diag(filas)).mean()
    por_columnas = -np.log(np.diag(columnas)).mean()
    assert por_filas == pytest.approx(F.cross_entropy(logits, n).item(), rel=1e-10)
    assert por_columnas == pytest.approx(F.cross_entropy(logits.T, n).item(), rel=1e-10)
    assert (matriz_vista(AL_AZAR, 14.3, "cosenos") == AL_AZAR).all()


def test_los_controles_cambian_matriz_perdida_e_imagen(explorador):
    w = explorador
    w.control_paso.value, w.control_vista.index = 0, 0
    imagen, perdida = w.imagen_actual, w.perdida
    np.testing.assert_allclose(w.matriz, AL_AZAR)
    w.control_paso.value = 50
    assert w.paso == 50 and w.escala == 20.0 and w.aciertos == 4
    assert w.perdida < perdida and w.imagen_actual != imagen
    w.control_vista.index = 1
    np.testing.assert_allclose(np.diag(w.matriz), np.full(4, 1 / (1 + 3 * math.exp(-20.0))))
    assert "softmax por filas" in w.descripcion_actual
    w.control_vista.index = 2
    np.testing.assert_allclose(w.matriz.sum(0), 1.0)


def test_enlaces_en_el_navegador(explorador):
    w = explorador
    enlaces = {(e.source[0], e.source[1], e.target[0]) for e in w._enlaces}
    assert (w.control_paso, "index", w.figuras) in enlaces
    assert all((w.control_vista, "index", p) in enlaces for p in w.figuras.children)
    imagenes = [i for p in w.figuras.children for i in p.children]
    assert len(imagenes) == 6 and len({png_de(i) for i in imagenes}) == 6
    assert all("diagonal" in descripcion_de(i) for i in imagenes)


def test_sin_miniaturas():
    w = ExploradorSimilitud({3: (ALINEADOS, 10.0)}, PALABRAS)
    assert w.paso == 3 and "paso 3" in w.descripcion_actual


def test_entradas_erroneas():
    with pytest.raises(ErrorDeForma, match=r"deben tener forma \(n, n\) con n=3"):
        ExploradorSimilitud(INSTANTANEAS, PALABRAS[:3])
    with pytest.raises(ValueError, match="al menos un paso"):
        ExploradorSimilitud({}, PALABRAS)
    with pytest.raises(ValueError, match="'vista' debe ser una de"):
        matriz_vista(AL_AZAR, 1.0, "diagonal")
