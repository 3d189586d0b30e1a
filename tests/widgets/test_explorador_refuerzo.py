"""El explorador del Decision Transformer, sin navegador: el objetivo y el episodio eligen camino y figura."""

from __future__ import annotations

import numpy as np
import pytest
from transformadores.datos.entornos import Rejilla, generar_trayectorias, jugar_episodio
from transformadores.widgets.base import descripcion_de, png_de
from transformadores.widgets.refuerzo import ExploradorRefuerzo, retornos_por_obtener_jugados

E = Rejilla()


def _optima(s, t):
    return E.acciones_que_acercan(s)[0]


@pytest.fixture(scope="module")
def explorador():
    # Trayectorias de juguete: con objetivo 0, episodios aleatorios; con objetivo 8, el camino óptimo.
    aleatorias = generar_trayectorias(E, 1.0, 2, np.random.default_rng(3))
    optimas = [jugar_episodio(E, _optima), jugar_episodio(E, lambda s, t: E.acciones_que_acercan(s)[-1])]
    return ExploradorRefuerzo(E, [0, 8], [aleatorias, optimas])


def test_retornos_por_obtener_jugados():
    tr = jugar_episodio(E, _optima)
    R = retornos_por_obtener_jugados(tr, 10)
    assert R.shape == (len(tr) + 1,) and R[0] == 10 and R[-1] == 10 - tr.retorno == 2
    np.testing.assert_allclose(-np.diff(R), tr.recompensas)  # R̂_{t+1} = R̂_t - r_t


def test_controles_cambian_camino_e_imagen(explorador):
    w = explorador
    w.control_objetivo.index, w.control_episodio.index = 0, 0
    imagen, camino = w.imagen_actual, w.trayectoria
    assert w.objetivo == 0.0 and w.retorno == camino.retorno
    w.control_objetivo.index = 1
    assert w.objetivo == 8.0 and w.retorno == 8 and w.trayectoria is not camino
    assert w.imagen_actual != imagen and "retorno objetivo 8" in w.descripcion_actual
    assert "llega a la meta" in w.descripcion_actual
    w.control_episodio.index = 1
    assert w.trayectoria is w.trayectorias[1][1]


def test_enlaces_en_el_navegador(explorador):
    w = explorador
    enlaces = {(e.source[0], e.source[1], e.target[0]) for e in w._enlaces}
    assert (w.control_objetivo, "index", w.figuras) in enlaces
    assert all((w.control_episodio, "index", p) in enlaces for p in w.figuras.children)
    imagenes = [i for p in w.figuras.children for i in p.children]
    assert len(imagenes) == 4 and len({png_de(i) for i in imagenes}) == 4
    assert all("rejilla" in descripcion_de(i) for i in imagenes)


def test_entradas_erroneas():
    tr = jugar_episodio(E, _optima)
    with pytest.raises(ValueError, match=r"una fila por objetivo \(2\)"):
        ExploradorRefuerzo(E, [0, 8], [[tr]])
    with pytest.raises(ValueError, match=r"mismo número de episodios"):
        ExploradorRefuerzo(E, [0, 8], [[tr], [tr, tr]])
