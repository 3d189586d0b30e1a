"""Entradas erróneas del jacobiano del softmax y de la atención por columnas (mensaje por regex)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from transformadores import ErrorDeForma, con_numpy, con_torch

GEMELOS = pytest.mark.parametrize("g", [con_numpy, con_torch], ids=["numpy", "torch"])


def _arr(g, *forma, dtype=None):
    x = np.ones(forma, dtype=dtype or np.float64)
    return torch.from_numpy(x) if g is con_torch else x


@pytest.mark.ecuacion("softmax-jacobiano")
@GEMELOS
def test_jacobiano_softmax_rechaza_entradas(g):
    with pytest.raises(TypeError, match=r"'z' debe ser de coma flotante .* se recibió dtype"):
        g.jacobiano_softmax(_arr(g, 3, dtype=np.int64))
    with pytest.raises(ErrorDeForma, match=r"'z' debe tener forma \(\.\.\., N\), pero se recibió \(\)"):
        g.jacobiano_softmax(_arr(g))
    z = _arr(g, 3)
    z[0] = np.nan
    with pytest.raises(ErrorDeForma, match=r"'z' contiene NaN"):
        g.jacobiano_softmax(z)


@pytest.mark.ecuacion("atencion-matricial-columnas")
@GEMELOS
def test_atencion_columnas_rechaza_argumentos(g):
    X, Z = _arr(g, 2, 5, 4), _arr(g, 2, 6, 7)
    W = (_arr(g, 3, 5), _arr(g, 3), _arr(g, 3, 6), _arr(g, 3), _arr(g, 2, 6), _arr(g, 2))
    with pytest.raises(ErrorDeForma, match=r"'forma' debe ser una de \('columnas', 'filas'\), pero se recibió 'otra'"):
        g.atencion_columnas(X, Z, *W, forma="otra")
    with pytest.raises(
        ErrorDeForma, match=r"'W_k' debe tener forma \(d_attn, d_z\) con d_attn=3 .*, d_z=6 \(tomado de 'Z'\)"
    ):
        g.atencion_columnas(X, Z, *W[:2], _arr(g, 3, 5), *W[3:])
    with pytest.raises(
        ErrorDeForma, match=r"'mascara' debe poder difundirse a \(\.\.\., l_z, l_x\) con l_z=7 .* \(4, 7\)"
    ):
        g.atencion_columnas(X, Z, *W, mascara=_arr(g, 4, 7, dtype=bool))
    with pytest.raises(TypeError, match=r"'mascara' debe ser una máscara booleana"):
        g.atencion_columnas(X, Z, *W, mascara=_arr(g, 7, 4))
