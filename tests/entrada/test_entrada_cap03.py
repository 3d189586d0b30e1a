"""Entradas erróneas: cada función pública lanza un error claro en español (mensaje por regex)."""

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
def test_softmax_rechaza_enteros_y_nan(g):
    with pytest.raises(TypeError, match=r"'z' debe ser de coma flotante .* se recibió dtype"):
        g.softmax(_arr(g, 3, dtype=np.int64))
    z = _arr(g, 3)
    z[1] = np.nan
    with pytest.raises(ErrorDeForma, match=r"'z' contiene NaN"):
        g.softmax(z)
    with pytest.raises(ErrorDeForma, match=r"'eje' debe ser un entero entre -1 y 0 .* se recibió 3"):
        g.softmax(_arr(g, 3), eje=3)


@GEMELOS
def test_log_softmax_rechaza_eje(g):
    with pytest.raises(ErrorDeForma, match=r"'eje' debe ser un entero entre -2 y 1 para 'z' de forma \(2, 3\)"):
        g.log_softmax(_arr(g, 2, 3), eje=-5)


@GEMELOS
def test_atencion_escalada_rechaza_formas(g):
    with pytest.raises(
        ErrorDeForma,
        match=r"'K' debe tener forma \(\.\.\., S, d_k\) con d_k=8 \(tomado de 'Q'\), pero se recibió \(2, 7, 4\)",
    ):
        g.atencion_escalada(_arr(g, 2, 5, 8), _arr(g, 2, 7, 4), _arr(g, 2, 7, 3))
    with pytest.raises(ErrorDeForma, match=r"'V' debe tener forma \(\.\.\., S, d_v\) con S=7 \(tomado de 'K'\)"):
        g.atencion_escalada(_arr(g, 2, 5, 8), _arr(g, 2, 7, 8), _arr(g, 2, 6, 3))
    with pytest.raises(ErrorDeForma, match=r"lote de 'K' \(3,\) no se pueden difundir con las de 'Q' \(2,\)"):
        g.atencion_escalada(_arr(g, 2, 5, 8), _arr(g, 3, 7, 8), _arr(g, 3, 7, 3))
    with pytest.raises(ErrorDeForma, match=r"'mascara' debe poder difundirse a \(\.\.\., T, S\) con T=5"):
        g.atencion_escalada(_arr(g, 5, 8), _arr(g, 7, 8), _arr(g, 7, 3), _arr(g, 5, 6, dtype=bool))
    with pytest.raises(TypeError, match=r"'mascara' debe ser una máscara booleana"):
        g.atencion_escalada(_arr(g, 5, 8), _arr(g, 7, 8), _arr(g, 7, 3), _arr(g, 5, 7, dtype=np.int64))
    with pytest.raises(ErrorDeForma, match=r"'escala' debe ser un número positivo"):
        g.atencion_escalada(_arr(g, 5, 8), _arr(g, 7, 8), _arr(g, 7, 3), escala=-1.0)
    with pytest.raises(TypeError, match=r"'Q' debe ser un arreglo de NumPy o un tensor de PyTorch"):
        g.atencion_escalada([[1.0]], _arr(g, 7, 8), _arr(g, 7, 3))


@GEMELOS
def test_atencion_consulta_unica_rechaza_formas(g):
    with pytest.raises(ErrorDeForma, match=r"'W_k' debe tener forma \(d_attn, d_in\) con d_attn=4 \(tomado de 'W_q'\)"):
        g.atencion_consulta_unica(
            _arr(g, 6), _arr(g, 9, 6), _arr(g, 4, 6), _arr(g, 4), _arr(g, 5, 6), _arr(g, 4), _arr(g, 3, 6), _arr(g, 3)
        )


@GEMELOS
def test_atencion_cruzada_rechaza_mascara(g):
    X, Z = _arr(g, 2, 5, 6), _arr(g, 2, 8, 10)
    W = (_arr(g, 4, 6), _arr(g, 4, 10), _arr(g, 3, 10))
    with pytest.raises(ErrorDeForma, match=r"'mascara_Z' debe tener forma \(\.\.\., S\) con S=8 \(tomado de 'Z'\)"):
        g.atencion_cruzada(X, Z, *W, _arr(g, 2, 7, dtype=bool))
    with pytest.raises(ErrorDeForma, match=r"'W_q' debe tener forma \(d_k, d_x\) con d_x=6 \(tomado de 'X'\)"):
        g.atencion_cruzada(X, Z, _arr(g, 4, 5), *W[1:])


@GEMELOS
def test_varianza_rechaza_d_k(g):
    with pytest.raises(ErrorDeForma, match=r"'d_k' debe ser un entero positivo, pero se recibió 0"):
        g.varianza_producto_escalar(0)


@GEMELOS
def test_mascaras_rechazan_entradas(g):
    with pytest.raises(TypeError, match=r"'permitido' debe ser una máscara booleana"):
        g.mascara_aditiva(_arr(g, 3, 3))
    with pytest.raises(ErrorDeForma, match=r"'longitudes' debe contener enteros entre 0 y S=4"):
        g.mascara_relleno(np.array([2, 5]), 4)
    with pytest.raises(ErrorDeForma, match=r"'longitudes' debe tener forma \(B,\), pero se recibió \(2, 1\)"):
        g.mascara_relleno(np.array([[2], [3]]), 4)
    with pytest.raises(ErrorDeForma, match=r"'T' debe ser un entero positivo, pero se recibió -2"):
        g.mascara_causal(-2)
    with pytest.raises(ErrorDeForma, match=r"'mascaras' deben poder difundirse a una forma común"):
        g.combinar_mascaras(_arr(g, 3, 4, dtype=bool), _arr(g, 5, 4, dtype=bool))
    with pytest.raises(ErrorDeForma, match=r"al menos una máscara"):
        g.combinar_mascaras()
