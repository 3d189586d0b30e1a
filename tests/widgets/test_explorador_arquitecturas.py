"""El constructor de máscaras del capítulo 7, sin navegador: sus controles cambian la máscara y la figura."""

from __future__ import annotations

import numpy as np
import pytest
from transformadores import con_numpy as cn
from transformadores.widgets.arquitecturas import ATENCIONES, RELLENOS, ExploradorMascaras, mascara_de
from transformadores.widgets.base import descripcion_de


@pytest.fixture(scope="module")
def explorador():
    return ExploradorMascaras()


def test_codificador_sin_mascara_y_con_relleno(explorador):
    w = explorador
    w.atencion.value, w.relleno.value = ATENCIONES[0], "sin relleno"
    assert w.mascara.shape == (6, 6) and w.mascara.all()
    imagen = w.imagen_actual
    w.relleno.value = "con relleno"
    assert w.imagen_actual != imagen and w.figuras.children[0].selected_index == 1
    np.testing.assert_array_equal(w.mascara, np.broadcast_to(cn.mascara_relleno(np.array([3]), 6), (6, 6)))


def test_decodificador_causal_y_cruzada_rectangular(explorador):
    w = explorador
    w.atencion.value, w.relleno.value = ATENCIONES[1], "sin relleno"
    np.testing.assert_array_equal(w.mascara, cn.mascara_causal(5))
    w.atencion.value = ATENCIONES[3]
    assert w.figuras.selected_index == 3
    assert w.mascara.shape == (5, 6) and w.mascara.all() and w.claves[0] == "el" and w.consultas[0] == "<bos>"
    w.relleno.value = "con relleno"
    assert w.mascara[:, 3:].sum() == 0 and w.mascara[:, :3].all()
    w.atencion.value = ATENCIONES[2]
    esperado = cn.combinar_mascaras(cn.mascara_causal(5), cn.mascara_relleno(np.array([4]), 5))
    np.testing.assert_array_equal(w.mascara, esperado)
    assert "triangular inferior" in w.descripcion_actual and "relleno" in w.descripcion_actual


def test_enlaces_figuras_y_errores(explorador):
    w = explorador
    enlaces = {(e.source[1], e.target[1]) for e in w._enlaces}
    assert enlaces == {("index", "selected_index")}
    assert len(w._enlaces) == 1 + len(ATENCIONES)
    assert len(w.figuras.children) == len(ATENCIONES)
    assert all(len(p.children) == len(RELLENOS) for p in w.figuras.children)
    textos = {descripcion_de(f) for p in w.figuras.children for f in p.children}
    assert len(textos) == len(ATENCIONES) * len(RELLENOS)
    with pytest.raises(ValueError, match="desconocidos"):
        mascara_de("otra", "sin relleno")
