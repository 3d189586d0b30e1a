"""El explorador del muestreo, sin navegador: temperatura y filtros cambian la distribución y la figura."""

from __future__ import annotations

import numpy as np
import pytest
from transformadores import ErrorDeForma
from transformadores.con_numpy import filtrar_nucleo, filtrar_top_k, softmax
from transformadores.widgets import ExploradorMuestreo
from transformadores.widgets.base import descripcion_de, png_de
from transformadores.widgets.muestreo import distribucion_muestreo

Z = np.array([3.0, 2.6, 2.2, 1.5, 1.0, 0.6, -0.5, -1.2])


@pytest.fixture(scope="module")
def explorador():
    return ExploradorMuestreo(tokens=list("abcdefgh"), logits=Z, k=3, p=0.9, temperaturas=(0.25, 1.0, 4.0))


@pytest.mark.parametrize("tau", [0.1, 0.5, 1.0, 3.0])
def test_temperatura_es_potencia_de_p(tau):
    """q = softmax(z/τ) es proporcional a p^(1/τ) (ec. `muestreo-temperatura`)."""
    p = softmax(Z)
    q = distribucion_muestreo(Z, tau)
    np.testing.assert_allclose(q, p ** (1 / tau) / (p ** (1 / tau)).sum(), rtol=1e-12)


def test_limites_de_la_temperatura():
    assert distribucion_muestreo(Z, 0.01)[0] > 0.999  # τ → 0: decodificación voraz
    np.testing.assert_allclose(distribucion_muestreo(Z, 1e4), np.full(8, 1 / 8), atol=1e-3)  # τ → ∞: uniforme


def test_usa_los_filtros_del_paquete_antes_de_la_temperatura():
    for tau in (0.5, 2.0):
        np.testing.assert_allclose(distribucion_muestreo(Z, tau, "top-k", k=3), softmax(filtrar_top_k(Z, 3) / tau))
        np.testing.assert_allclose(distribucion_muestreo(Z, tau, "top-p", p=0.9), softmax(filtrar_nucleo(Z, 0.9) / tau))
    # El núcleo se elige con la distribución del modelo: no cambia con la temperatura.
    assert ((distribucion_muestreo(Z, 0.1, "top-p") > 0) == (distribucion_muestreo(Z, 4.0, "top-p") > 0)).all()


def test_top_k_y_top_p():
    q = distribucion_muestreo(Z, 1.0, "top-k", k=3)
    assert (q > 0).sum() == 3 and q[:3].sum() == pytest.approx(1.0)
    np.testing.assert_allclose(q[:3], softmax(Z[:3]))
    p = softmax(Z)
    for umbral in (0.3, 0.5, 0.9, 0.99, 1.0):
        q = distribucion_muestreo(Z, 1.0, "top-p", p=umbral)
        n = int((q > 0).sum())
        assert p[:n].sum() >= umbral - 1e-12 and (n == 1 or p[: n - 1].sum() < umbral), umbral
        np.testing.assert_allclose(q[:n], p[:n] / p[:n].sum())
    assert (distribucion_muestreo(Z, 1.0, "top-k", k=1) == np.eye(8)[0]).all()  # k = 1: voraz


def test_controles_cambian_distribucion_e_imagen(explorador):
    w = explorador
    w.temperatura.value, w.filtro.index = 1.0, 0
    q, imagen = w.probabilidades.copy(), w.imagen_actual
    np.testing.assert_allclose(q, softmax(Z))
    w.temperatura.value = 0.25
    assert w.imagen_actual != imagen and w.probabilidades[0] > q[0]
    w.temperatura.value = 4.0
    assert w.probabilidades.max() < q.max()  # más plana
    w.filtro.index = 1
    assert w.conservados.sum() == 3 and w.probabilidades.sum() == pytest.approx(1.0)
    w.filtro.index = 2
    assert "top-p" in w.descripcion_actual and w.probabilidades.sum() == pytest.approx(1.0)


def test_enlaces_en_el_navegador(explorador):
    w = explorador
    enlaces = {(e.source[0], e.source[1], e.target[0]) for e in w._enlaces}
    assert (w.temperatura, "index", w.figuras) in enlaces
    assert all((w.filtro, "index", p) in enlaces for p in w.figuras.children)
    imagenes = [i for p in w.figuras.children for i in p.children]
    assert len(imagenes) == 9 and len({png_de(i) for i in imagenes}) == 9
    assert all("temperatura" in descripcion_de(i) for i in imagenes)


def test_entradas_erroneas():
    with pytest.raises(ValueError, match=r"'tau' debe ser positiva"):
        distribucion_muestreo(Z, 0.0)
    with pytest.raises(ValueError, match=r"'filtro' debe ser uno de"):
        distribucion_muestreo(Z, 1.0, "top-q")
    with pytest.raises(ErrorDeForma, match=r"'k' debe ser un entero entre 1 y N_V=8"):
        distribucion_muestreo(Z, 1.0, "top-k", k=9)
    with pytest.raises(ErrorDeForma, match=r"'p' debe ser un número en \(0.0, 1.0\]"):
        distribucion_muestreo(Z, 1.0, "top-p", p=0.0)
    with pytest.raises(ValueError, match=r"'logits' debe tener forma \(N,\) con N=2"):
        ExploradorMuestreo(tokens=["a", "b"], logits=Z)
