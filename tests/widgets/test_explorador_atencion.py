"""El explorador de atención, sin navegador: mover sus controles cambia lo que calcula y lo que dibuja."""

from __future__ import annotations

import numpy as np
import pytest
from transformadores import ErrorDeForma
from transformadores.con_numpy import atencion_escalada
from transformadores.widgets import ExploradorAtencion


@pytest.fixture(scope="module")
def explorador():
    rng = np.random.default_rng(0)
    Q, K = rng.standard_normal((2, 6, 16))
    return ExploradorAtencion(list("abcdef"), Q, K, n_relleno=2), Q, K


def test_temperatura_cambia_pesos_e_imagen(explorador):
    w, Q, K = explorador
    w.mascara.value, w.temperatura.value = "ninguna", 1.0
    pesos, imagen = w.pesos.copy(), w.imagen_actual
    np.testing.assert_allclose(pesos, atencion_escalada(Q, K, np.eye(6), devolver_pesos=True)[1])
    w.temperatura.value = 0.25  # τ = 1/√d_k: atención sin escalar, más concentrada
    assert w.imagen_actual != imagen
    assert w.pesos.max(axis=-1).mean() > pesos.max(axis=-1).mean()
    np.testing.assert_allclose(w.pesos, atencion_escalada(Q, K, np.eye(6), escala=1.0, devolver_pesos=True)[1])


def test_mascaras(explorador):
    w, _, _ = explorador
    w.temperatura.value = 1.0
    w.mascara.value = "causal"
    assert np.triu(w.pesos, k=1).max() == 0.0
    assert w.figuras.selected_index == 1
    w.mascara.value = "relleno"
    assert w.pesos[:, -2:].max() == 0.0 and np.allclose(w.pesos.sum(-1), 1.0)
    w.mascara.value = "causal + relleno"
    assert np.triu(w.pesos, k=1).max() == 0.0 and w.pesos[:, -2:].max() == 0.0


def test_enlaces_en_el_navegador(explorador):
    """Sin núcleo, los controles mueven las pilas de figuras mediante jslink."""
    w, _, _ = explorador
    fuentes = {(e.source[0], e.source[1], e.target[0]) for e in w._enlaces}
    assert (w.mascara, "index", w.figuras) in fuentes
    assert all((w.temperatura, "index", p) in fuentes for p in w.figuras.children)
    assert len(w.figuras.children) == 4 and all(len(p.children) == len(w.temperaturas) for p in w.figuras.children)


def test_entradas_erroneas():
    with pytest.raises(ErrorDeForma, match=r"'tokens' debe tener T=3 elementos"):
        ExploradorAtencion(["a"], np.ones((3, 4)), np.ones((3, 4)))
    with pytest.raises(ErrorDeForma, match=r"'K' debe tener forma \(T, d_k\) con T=3"):
        ExploradorAtencion(list("abc"), np.ones((3, 4)), np.ones((5, 4)))


def test_cada_figura_tiene_texto_alternativo(explorador):
    w, _, _ = explorador
    w.mascara.value, w.temperatura.value = "causal", 2.0
    assert "máscara causal y τ = 2" in w.descripcion_actual and "a, b, c, d, e, f" in w.descripcion_actual
