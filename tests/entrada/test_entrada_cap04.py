"""Entradas erróneas del capítulo 4: cada función pública lanza un error claro en español (regex)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from transformadores import ErrorDeForma, con_numpy, con_torch

GEMELOS = pytest.mark.parametrize("g", [con_numpy, con_torch], ids=["numpy", "torch"])


def _arr(g, *forma, dtype=None):
    x = np.ones(forma, dtype=dtype or np.float64)
    return torch.from_numpy(x) if g is con_torch else x


def _mha(g, H_kv=2, d_v=3):
    """X (2, 5, 8) y pesos de 2 cabezas con d_k = 3 (d_v = 3 por omisión)."""
    return _arr(g, 2, 5, 8), _arr(g, 6, 8), _arr(g, H_kv * 3, 8), _arr(g, H_kv * d_v, 8), _arr(g, 8, 2 * d_v)


@pytest.mark.ecuacion("proyecciones-qkv")
@GEMELOS
def test_proyecciones_rechazan_formas(g):
    X, W_q, W_k, W_v, _ = _mha(g)
    with pytest.raises(ErrorDeForma, match=r"'W_k' debe tener forma \(h·d_k, d_z\) con h·d_k=6 \(tomado de 'W_q'\)"):
        g.proyecciones_qkv(X, W_q, _arr(g, 4, 8), W_v)
    with pytest.raises(ErrorDeForma, match=r"'W_v' debe tener forma \(h·d_v, d_z\) con d_z=7 \(tomado de 'Z'\)"):
        g.proyecciones_qkv(X, W_q, _arr(g, 6, 7), W_v, Z=_arr(g, 2, 4, 7))
    with pytest.raises(ErrorDeForma, match=r"'b_q' debe tener forma \(h·d_k,\) con h·d_k=6"):
        g.proyecciones_qkv(X, W_q, W_k, W_v, b_q=_arr(g, 5))
    with pytest.raises(TypeError, match=r"'X' debe ser de coma flotante"):
        g.proyecciones_qkv(_arr(g, 2, 5, 8, dtype=np.int64), W_q, W_k, W_v)


@pytest.mark.ecuacion("atencion-multicabeza")
@GEMELOS
def test_separar_y_unir_cabezas_rechazan_formas(g):
    with pytest.raises(ErrorDeForma, match=r"'X' tiene H·d=10, que no es divisible por n_cabezas=3"):
        g.separar_cabezas(_arr(g, 2, 5, 10), 3)
    with pytest.raises(ErrorDeForma, match=r"'n_cabezas' debe ser un entero positivo, pero se recibió 0"):
        g.separar_cabezas(_arr(g, 2, 5, 10), 0)
    with pytest.raises(ErrorDeForma, match=r"'X' debe tener forma \(\.\.\., H, T, d\), pero se recibió \(5, 4\)"):
        g.unir_cabezas(_arr(g, 5, 4))


@pytest.mark.ecuacion("atencion-multicabeza")
@GEMELOS
def test_multicabeza_rechaza_entradas(g):
    X, W_q, W_k, W_v, W_o = _mha(g)
    with pytest.raises(ErrorDeForma, match=r"'W_q' tiene h·d_k=6, que no es divisible por n_cabezas=4"):
        g.atencion_multicabeza(X, W_q, W_k, W_v, W_o, 4)
    with pytest.raises(ErrorDeForma, match=r"'W_o' debe tener forma \(d_out, h·d_v\) con h·d_v=6 \(tomado de 'W_v'\)"):
        g.atencion_multicabeza(X, W_q, W_k, W_v, _arr(g, 8, 5), 2)
    with pytest.raises(
        ErrorDeForma,
        match=r"'mascara' debe poder difundirse a \(\.\.\., H, T, S\) con H=2 \(tomado de 'n_cabezas'\), T=5 "
        r"\(tomado de 'X'\), S=5 \(tomado de 'X'\), es decir a \(2, 2, 5, 5\), pero se recibió \(3, 5, 5\)",
    ):
        g.atencion_multicabeza(X, W_q, W_k, W_v, W_o, 2, mascara=_arr(g, 3, 5, 5, dtype=bool))
    with pytest.raises(TypeError, match=r"'mascara' debe ser una máscara booleana"):
        g.atencion_multicabeza(X, W_q, W_k, W_v, W_o, 2, mascara=_arr(g, 5, 5, dtype=np.int64))
    with pytest.raises(ErrorDeForma, match=r"S=4 \(tomado de 'Z'\)"):
        g.atencion_multicabeza(X, W_q, W_k, W_v, W_o, 2, Z=_arr(g, 2, 4, 8), mascara=_arr(g, 5, 5, dtype=bool))
    with pytest.raises(ErrorDeForma, match=r"lote de 'Z' \(3,\) no se pueden difundir con las de 'X' \(2,\)"):
        g.atencion_multicabeza(X, W_q, W_k, W_v, W_o, 2, Z=_arr(g, 3, 4, 8))


@pytest.mark.ecuacion("atencion-consultas-agrupadas")
@GEMELOS
def test_consultas_agrupadas_rechazan_entradas(g):
    X, W_q, W_k, W_v, W_o = _mha(g, H_kv=1)
    with pytest.raises(ErrorDeForma, match=r"'n_cabezas' \(2\) debe ser múltiplo de 'n_cabezas_kv' \(3\)"):
        g.atencion_consultas_agrupadas(X, W_q, W_k, W_v, W_o, 2, 3)
    with pytest.raises(
        ErrorDeForma, match=r"'W_k' debe tener forma \(h_kv·d_k, d_z\) con h_kv·d_k=3 \(tomado de 'W_q, n_cabezas"
    ):
        g.atencion_consultas_agrupadas(X, W_q, W_q, W_v, W_o, 2, 1)


@pytest.mark.ecuacion("multicabeza-algoritmo-5")
@GEMELOS
def test_algoritmo_5_rechaza_formas(g):
    X = _arr(g, 4, 8)
    W = (_arr(g, 2, 3, 8), None, _arr(g, 2, 3, 8), None, _arr(g, 2, 5, 8), None)
    with pytest.raises(
        ErrorDeForma, match=r"'W_o' debe tener forma \(d_out, H·d_mid\) con H·d_mid=10 \(tomado de 'W_v'\)"
    ):
        g.multicabeza_algoritmo_5(X, *W, _arr(g, 6, 9), None)
    with pytest.raises(ErrorDeForma, match=r"'W_k' debe tener forma \(H, d_attn, d_z\) con H=2 \(tomado de 'W_q'\)"):
        g.multicabeza_algoritmo_5(X, W[0], None, _arr(g, 3, 3, 8), None, W[4], None, _arr(g, 6, 10), None)
    with pytest.raises(ErrorDeForma, match=r"'mascara' debe poder difundirse a \(\.\.\., T, S\) con T=4"):
        g.multicabeza_algoritmo_5(X, *W, _arr(g, 6, 10), None, mascara=_arr(g, 4, 3, dtype=bool))


@pytest.mark.ecuacion("multicabeza-parametros")
@GEMELOS
def test_parametros_rechazan_dimensiones(g):
    with pytest.raises(ErrorDeForma, match=r"'d_modelo' \(10\) debe ser divisible por 'n_cabezas' \(4\)"):
        g.multicabeza_parametros(10, 4)
    assert g.multicabeza_parametros(10, 4, d_k=3, d_v=3) == 4 * 3 * 10 * 4 + 3 * 12 + 10
    with pytest.raises(ErrorDeForma, match=r"'d_z' debe ser un entero positivo, pero se recibió -1"):
        g.multicabeza_parametros(8, 2, d_z=-1)


@pytest.mark.ecuacion("atencion-multicabeza")
def test_modulo_rechaza_configuracion():
    with pytest.raises(ErrorDeForma, match=r"'d_modelo' \(10\) debe ser divisible por 'n_cabezas' \(4\)"):
        con_torch.AtencionMultiCabeza(10, 4)
    mha = torch.nn.MultiheadAttention(8, 4)
    with pytest.raises(ErrorDeForma, match=r"'mha' debe tener embed_dim=8 y num_heads=2"):
        con_torch.AtencionMultiCabeza(8, 2).copiar_de_multihead(mha)
    with pytest.raises(ErrorDeForma, match=r"coincidir en si tienen sesgos"):
        con_torch.AtencionMultiCabeza(8, 4, sesgo=False).copiar_de_multihead(mha)
