"""Entradas erróneas del capítulo 6: cada función pública lanza un error claro en español (regex)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from transformadores import ErrorDeForma, con_numpy, con_torch

GEMELOS = pytest.mark.parametrize("g", [con_numpy, con_torch], ids=["numpy", "torch"])


def _arr(g, *forma, dtype=None):
    x = np.ones(forma, dtype=dtype or np.float64)
    return torch.from_numpy(x) if g is con_torch else x


@pytest.mark.ecuacion("normalizacion-capa")
@GEMELOS
def test_normalizacion_capa_rechaza_entradas(g):
    with pytest.raises(
        ErrorDeForma, match=r"'gamma' debe tener forma \(d,\) con d=8 \(tomado de 'x'\), pero se recibió \(6,\)"
    ):
        g.normalizacion_capa(_arr(g, 2, 8), _arr(g, 6))
    with pytest.raises(ErrorDeForma, match=r"'eps' debe ser un número mayor o igual que 0, pero se recibió -1e-05"):
        g.normalizacion_capa(_arr(g, 2, 8), eps=-1e-5)
    with pytest.raises(TypeError, match=r"'x' debe ser de coma flotante"):
        g.normalizacion_capa(_arr(g, 2, 8, dtype=np.int32))


@pytest.mark.ecuacion("rmsnorm")
@GEMELOS
def test_rmsnorm_rechaza_entradas(g):
    with pytest.raises(ErrorDeForma, match=r"'g' debe tener forma \(d,\) con d=8 \(tomado de 'x'\)"):
        g.rmsnorm(_arr(g, 2, 8), _arr(g, 2, 8))
    with pytest.raises(TypeError, match=r"'x' debe ser un arreglo de NumPy o un tensor de PyTorch"):
        g.rmsnorm([1.0, 2.0])


@pytest.mark.ecuacion("gelu")
@GEMELOS
def test_gelu_rechaza_enteros(g):
    with pytest.raises(TypeError, match=r"'x' debe ser de coma flotante .* dtype"):
        g.gelu(_arr(g, 3, dtype=np.int64))


@pytest.mark.ecuacion("red-posicional-ffn")
@GEMELOS
def test_red_posicional_rechaza_entradas(g):
    x, W_1, b_1, W_2, b_2 = _arr(g, 2, 8), _arr(g, 16, 8), _arr(g, 16), _arr(g, 8, 16), _arr(g, 8)
    with pytest.raises(
        ErrorDeForma, match=r"'W_2' debe tener forma \(d_modelo, d_ff\) con d_modelo=8 \(tomado de 'x'\), d_ff=16"
    ):
        g.red_posicional(x, W_1, b_1, _arr(g, 8, 12), b_2)
    with pytest.raises(ErrorDeForma, match=r"'b_1' debe tener forma \(d_ff,\) con d_ff=16 \(tomado de 'W_1'\)"):
        g.red_posicional(x, W_1, _arr(g, 8), W_2, b_2)
    with pytest.raises(
        ErrorDeForma, match=r"'activacion' debe ser una de \('relu', 'gelu', 'gelu_tanh'\), pero se recibió 'swish'"
    ):
        g.red_posicional(x, W_1, b_1, W_2, b_2, activacion="swish")


@pytest.mark.ecuacion("swiglu")
@GEMELOS
def test_swiglu_rechaza_formas(g):
    with pytest.raises(
        ErrorDeForma,
        match=r"'V' debe tener forma \(d_ff, d_modelo\) con d_ff=12 \(tomado de 'W'\), d_modelo=8 \(tomado de 'x'\)",
    ):
        g.swiglu(_arr(g, 2, 8), _arr(g, 12, 8), _arr(g, 10, 8), _arr(g, 8, 12))


@pytest.mark.ecuacion("conexion-residual")
@GEMELOS
def test_dropout_y_residuo_rechazan_entradas(g):
    x = _arr(g, 2, 8)
    with pytest.raises(ErrorDeForma, match=r"'p' debe ser una probabilidad entre 0 y 1, pero se recibió -0.1"):
        g.dropout(x, -0.1)
    with pytest.raises(TypeError, match=r"'subcapa' debe ser invocable .* se recibió int"):
        g.conexion_residual(x, 3)
    with pytest.raises(
        ErrorDeForma, match=r"'subcapa' debe devolver la forma de su entrada \(2, 8\) .* devolvió \(2, 4\)"
    ):
        g.conexion_residual(x, lambda u: u[:, :4])


@pytest.mark.ecuacion("post-ln")
@pytest.mark.ecuacion("pre-ln")
@GEMELOS
def test_post_y_pre_ln_rechazan_entradas(g):
    x = _arr(g, 2, 8)
    with pytest.raises(ErrorDeForma, match=r"'beta' debe tener forma \(d,\) con d=8"):
        g.post_ln(x, lambda u: u, beta=_arr(g, 7))
    with pytest.raises(ErrorDeForma, match=r"'gamma' debe tener forma \(d,\) con d=8"):
        g.pre_ln(x, lambda u: u, gamma=_arr(g, 7))
    with pytest.raises(TypeError, match=r"'subcapa' debe ser invocable"):
        g.pre_ln(x, None)


def test_modulos_rechazan_configuracion():
    with pytest.raises(ErrorDeForma, match=r"'activacion' debe ser una de"):
        con_torch.RedPosicional(8, 16, activacion="tanh")
    with pytest.raises(ErrorDeForma, match=r"'p' debe ser una probabilidad entre 0 y 1, pero se recibió 2"):
        con_torch.ConexionResidual(8, p=2)
    with pytest.raises(ErrorDeForma, match=r"'eps' debe ser un número mayor o igual que 0"):
        con_torch.NormalizacionCapa(8, eps=-1.0)
    with pytest.raises(ErrorDeForma, match=r"'d_modelo' debe ser un entero positivo, pero se recibió 0"):
        con_torch.RMSNorm(0)
