"""El explorador de los límites, sin navegador: elegir modelo y tamaño cambia las predicciones y la figura."""

from __future__ import annotations

import numpy as np
import pytest
from transformadores import ErrorDeForma
from transformadores.widgets.limites import ExploradorLimites, mas_dificiles, matriz_confusion


@pytest.fixture(scope="module")
def datos():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 10, 40)
    imagenes = rng.random((40, 1, 8, 8))
    predicciones = {}
    for t, acierto in (("convolucional", 0.9), ("transformador", 0.5)):
        for n in (50, 500):
            bien = rng.random(40) < (acierto if n == 500 else acierto - 0.3)
            predicciones[(t, n)] = np.where(bien, y, (y + 1) % 10)
    return imagenes, y, predicciones


@pytest.fixture(scope="module")
def explorador(datos):
    return ExploradorLimites(*datos, n_mostrados=12)


def test_matriz_confusion_y_mas_dificiles():
    y, p = np.array([0, 1, 1, 2]), np.array([0, 2, 1, 2])
    C = matriz_confusion(y, p, 3)
    np.testing.assert_array_equal(C, [[1, 0, 0], [0, 1, 1], [0, 0, 1]])
    assert C.sum() == 4 and np.trace(C) == 3
    predicciones = {"a": np.array([0, 2, 0, 2]), "b": np.array([0, 2, 1, 0])}
    np.testing.assert_array_equal(mas_dificiles(y, predicciones, 2), [1, 2])  # 2 fallos; después 1 (por orden)


def test_los_controles_cambian_prediccion_e_imagen(explorador, datos):
    _, y, predicciones = datos
    w = explorador
    w.control_tipo.value, w.control_n.value = "convolucional", 50
    np.testing.assert_array_equal(w.prediccion, predicciones[("convolucional", 50)])
    assert w.exactitud == pytest.approx(np.mean(predicciones[("convolucional", 50)] == y))
    imagen, exactitud = w.imagen_actual, w.exactitud
    w.control_n.value = 500
    assert w.imagen_actual != imagen and w.exactitud != exactitud
    assert w.confusion.sum() == len(y) and np.trace(w.confusion) == round(w.exactitud * len(y))
    w.control_tipo.value = "transformador"
    assert w.tipo == "transformador" and w.n == 500
    assert w.figuras.selected_index == 1 and w.figuras.children[1].selected_index == 1


def test_enlaces_en_el_navegador(explorador):
    w = explorador
    enlaces = {(e.source[0], e.source[1], e.target[0], e.target[1]) for e in w._enlaces}
    assert (w.control_tipo, "index", w.figuras, "selected_index") in enlaces
    assert all((w.control_n, "index", p, "selected_index") in enlaces for p in w.figuras.children)
    assert len(w.figuras.children) == 2 and all(len(p.children) == 2 for p in w.figuras.children)


def test_texto_alternativo(explorador, datos):
    w, y = explorador, datos[1]
    w.control_tipo.value, w.control_n.value = "convolucional", 500
    d = w.descripcion_actual
    errores = int(np.sum(w.prediccion[w.mostrados] != y[w.mostrados]))
    assert "modelo convolucional entrenado con 500 ejemplos" in d and f"{errores} errores en rojo" in d


def test_entradas_erroneas(datos):
    imagenes, y, predicciones = datos
    with pytest.raises(ErrorDeForma, match=r"'imagenes' debe tener forma \(m, 8, 8\) con m=40"):
        ExploradorLimites(imagenes[:5], y, predicciones)
    with pytest.raises(ErrorDeForma, match=r"predicciones\[\('a', 1\)\] debe tener forma \(40,\)"):
        ExploradorLimites(imagenes, y, {("a", 1): y[:3]})
    with pytest.raises(ValueError, match="al menos un modelo"):
        ExploradorLimites(imagenes, y, {})
