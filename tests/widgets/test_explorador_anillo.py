"""El explorador del all-reduce en anillo, sin navegador: los controles cambian el estado y la figura."""

from __future__ import annotations

import numpy as np
import pytest
from transformadores.widgets.anillo import ExploradorAnillo


@pytest.fixture(scope="module")
def explorador():
    return ExploradorAnillo(n_procesos=4)


def test_al_empezar_cada_proceso_solo_tiene_lo_suyo(explorador):
    w = explorador
    w.exterior.index, w.interior.value = 0, 0
    np.testing.assert_array_equal(w.contribuyentes, np.array([[1, 1, 1, 1], [2, 2, 2, 2], [4, 4, 4, 4], [8, 8, 8, 8]]))
    assert w.enviado == 0


def test_tras_la_reduccion_cada_proceso_tiene_un_trozo_completo(explorador):
    w = explorador
    w.exterior.index, w.interior.value = 0, 3
    completas = w.contribuyentes == 15
    assert completas.sum(axis=1).tolist() == [1, 1, 1, 1] and completas.sum(axis=0).tolist() == [1, 1, 1, 1]
    assert w.enviado == pytest.approx(3 / 4)


def test_al_final_todos_tienen_la_suma_y_cada_uno_envio_2_P_menos_1_entre_P(explorador):
    w = explorador
    imagen = w.imagen_actual
    w.exterior.index, w.interior.value = 1, 3
    assert (w.contribuyentes == 15).all()
    assert w.enviado == pytest.approx(2 * 3 / 4)
    assert w.imagen_actual != imagen and "16 de 16" in w.descripcion_actual


def test_enlaces_en_el_navegador(explorador):
    w = explorador
    fuentes = {(e.source[0], e.source[1], e.target[0]) for e in w._enlaces}
    assert (w.exterior, "index", w.figuras) in fuentes
    assert all((w.interior, "index", p) in fuentes for p in w.figuras.children)


def test_numero_de_procesos_invalido():
    with pytest.raises(ValueError, match="'n_procesos' debe ser un entero entre 2 y 8"):
        ExploradorAnillo(n_procesos=1)
