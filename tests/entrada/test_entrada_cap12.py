"""Entradas erróneas del capítulo 12: cada función pública lanza un error claro en español."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from transformadores import ErrorDeForma, con_numpy, con_torch

GEMELOS = pytest.mark.parametrize("g", [con_numpy, con_torch], ids=["numpy", "torch"])


def _arr(g, *forma, dtype=None):
    x = np.ones(forma, dtype=dtype or np.float64)
    return torch.from_numpy(x) if g is con_torch else x


@GEMELOS
def test_clip_incrustaciones_rechaza_proyeccion(g):
    with pytest.raises(ErrorDeForma, match=r"'W_i' debe tener forma \(d_e, d_i\) con d_i=10 \(tomado de 'I_f'\)"):
        g.clip_incrustaciones(_arr(g, 6, 10), _arr(g, 6, 7), _arr(g, 4, 9), _arr(g, 4, 7))
    with pytest.raises(ErrorDeForma, match=r"'W_t' debe tener forma \(d_e, d_t\) con d_e=4 \(tomado de 'W_i'\)"):
        g.clip_incrustaciones(_arr(g, 6, 10), _arr(g, 6, 7), _arr(g, 4, 10), _arr(g, 5, 7))
    with pytest.raises(TypeError, match=r"'I_f' debe ser de coma flotante"):
        g.clip_incrustaciones(_arr(g, 6, 10, dtype=np.int64), _arr(g, 6, 7), _arr(g, 4, 10), _arr(g, 4, 7))


@GEMELOS
def test_clip_logits_rechaza_t_y_formas(g):
    with pytest.raises(ErrorDeForma, match=r"'T_e' debe tener forma \(\.\.\., m, d_e\) con d_e=5 \(tomado de 'I_e'\)"):
        g.clip_logits(_arr(g, 6, 5), _arr(g, 6, 4))
    with pytest.raises(ErrorDeForma, match=r"'t' debe ser un número real y finito, pero se recibió inf"):
        g.clip_logits(_arr(g, 6, 5), _arr(g, 6, 5), t=float("inf"))
    with pytest.raises(ErrorDeForma, match=r"'escala_maxima' debe ser un número positivo"):
        g.clip_logits(_arr(g, 6, 5), _arr(g, 6, 5), escala_maxima=0)


@GEMELOS
def test_clip_perdida_rechaza_no_cuadrada(g):
    with pytest.raises(ErrorDeForma, match=r"'logits' debe ser una matriz cuadrada \(n, n\).*se recibió \(4, 5\)"):
        g.clip_perdida(_arr(g, 4, 5))
    with pytest.raises(ErrorDeForma, match=r"'logits' debe ser una matriz cuadrada .* se recibió \(2, 3, 3\)"):
        g.clip_perdida(_arr(g, 2, 3, 3))


@GEMELOS
def test_infonce_rechaza_entradas(g):
    with pytest.raises(ErrorDeForma, match=r"'X' debe tener al menos N=2 candidatos"):
        g.infonce(_arr(g, 3, 8), _arr(g, 3, 1, 8))
    with pytest.raises(ErrorDeForma, match=r"lote de 'X' \(2,\) no se pueden difundir con las de 'c' \(3,\)"):
        g.infonce(_arr(g, 3, 8), _arr(g, 2, 4, 8))
    with pytest.raises(ErrorDeForma, match=r"'tau' debe ser un número positivo, pero se recibió -0.1"):
        g.infonce(_arr(g, 3, 8), _arr(g, 3, 4, 8), tau=-0.1)


@GEMELOS
def test_cero_disparos_rechaza_clases(g):
    with pytest.raises(ErrorDeForma, match=r"'T_clases' debe tener forma \(K, d_e\) con d_e=8 \(tomado de 'I_e'\)"):
        g.clip_cero_disparos(_arr(g, 3, 8), _arr(g, 2, 4, 8))


@GEMELOS
def test_fusion_rechaza_pesos_y_mascara(g):
    d, d_v = 8, 6
    x, v = _arr(g, 2, 5, d), _arr(g, 2, 7, d_v)
    W = [_arr(g, 4, d), _arr(g, 4, d_v), _arr(g, 3, d_v), _arr(g, d, 3)]
    ffn = [_arr(g, 16, d), _arr(g, 16), _arr(g, d, 16), _arr(g, d)]
    with pytest.raises(ErrorDeForma, match=r"'W_o' debe tener forma \(d, d_h\) con d=8 \(tomado de 'x'\), d_h=3"):
        g.fusion_cruzada_compuerta(x, v, *W[:3], _arr(g, 7, 3), 0.0, *ffn, 0.0)
    with pytest.raises(ErrorDeForma, match=r"'alfa_ffw' debe ser un número real y finito"):
        g.fusion_cruzada_compuerta(x, v, *W, 0.0, *ffn, "cero")
    with pytest.raises(ErrorDeForma, match=r"'mascara_v' debe tener forma \(\.\.\., S\) con S=7 \(tomado de 'v'\)"):
        g.fusion_cruzada_compuerta(x, v, *W, 0.0, *ffn, 0.0, _arr(g, 2, 5, dtype=bool))
