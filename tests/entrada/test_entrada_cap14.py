"""Entradas erróneas del capítulo 14: cada función pública lanza un error claro en español."""

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
def test_cuentas_rechazan_tamanos(g):
    with pytest.raises(ErrorDeForma, match=r"'k' \(anchura del núcleo\) debe ser al menos 2"):
        g.complejidad_por_capa(10, 4, k=1)
    with pytest.raises(ErrorDeForma, match=r"'d' debe ser un entero positivo, pero se recibió 4.5"):
        g.flops_capa_transformer(10, 4.5)
    with pytest.raises(ErrorDeForma, match=r"'n_ctx' debe ser un entero positivo, pero se recibió 0"):
        g.flops_entrenamiento(2, 64, 0)


@GEMELOS
def test_memoria_rechaza_tipo(g):
    with pytest.raises(ErrorDeForma, match=r"'dtype' debe ser un tipo de coma flotante .* se recibió 'int32'"):
        g.memoria_atencion(1, 2, 8, dtype="int32")
    with pytest.raises(ErrorDeForma, match=r"'h' debe ser un entero positivo, pero se recibió -2"):
        g.memoria_atencion(1, -2, 8)


@GEMELOS
def test_softmax_en_linea_rechaza_nan_y_eje(g):
    z = _arr(g, 2, 5)
    z[0, 1] = np.nan
    with pytest.raises(ErrorDeForma, match=r"'z' contiene NaN o \+inf"):
        g.softmax_en_linea(z)
    with pytest.raises(ErrorDeForma, match=r"'eje' debe ser un entero entre -2 y 1"):
        g.softmax_en_linea(_arr(g, 2, 5), eje=2)
    with pytest.raises(TypeError, match=r"'z' debe ser de coma flotante"):
        g.softmax_en_linea(_arr(g, 5, dtype=np.int64))


@GEMELOS
def test_teselas_rechaza_bloques_y_formas(g):
    Q, K, V = _arr(g, 2, 5, 8), _arr(g, 2, 7, 8), _arr(g, 2, 7, 3)
    with pytest.raises(ErrorDeForma, match=r"'B_r' debe ser un entero positivo, pero se recibió 0"):
        g.atencion_por_teselas(Q, K, V, B_r=0)
    with pytest.raises(TypeError, match=r"'causal' debe ser True o False, pero se recibió 1"):
        g.atencion_por_teselas(Q, K, V, causal=1)
    with pytest.raises(ErrorDeForma, match=r"'V' debe tener forma \(\.\.\., S, d_v\) con S=7 \(tomado de 'K'\)"):
        g.atencion_por_teselas(Q, K, _arr(g, 2, 6, 3))


@GEMELOS
def test_atencion_lineal_rechaza_formas(g):
    with pytest.raises(TypeError, match=r"'x' debe ser de coma flotante"):
        g.nucleo_elu(_arr(g, 3, dtype=np.int64))
    with pytest.raises(ErrorDeForma, match=r"'K' debe tener forma \(\.\.\., S, d_k\) con d_k=4 \(tomado de 'Q'\)"):
        g.atencion_lineal(_arr(g, 5, 4), _arr(g, 6, 3), _arr(g, 6, 2))
    with pytest.raises(
        ErrorDeForma,
        match=r"'K' debe tener forma \(\.\.\., T, d_k\) con T=5 \(tomado de 'Q'\): esta atención es de autoatención",
    ):  # noqa: E501
        g.atencion_lineal_causal(_arr(g, 5, 4), _arr(g, 6, 4), _arr(g, 6, 2))
    with pytest.raises(TypeError, match=r"'devolver_estado' debe ser True o False"):
        g.atencion_lineal_causal(_arr(g, 5, 4), _arr(g, 5, 4), _arr(g, 5, 2), devolver_estado="si")


@GEMELOS
def test_ventana_y_estriada_rechazan_tamanos(g):
    with pytest.raises(ErrorDeForma, match=r"'w' debe ser un entero positivo, pero se recibió 0"):
        g.mascara_ventana_deslizante(8, 0)
    with pytest.raises(ErrorDeForma, match=r"'K' debe tener forma \(\.\.\., T, d_k\) con T=5 \(tomado de 'Q'\)"):
        g.atencion_ventana_deslizante(_arr(g, 5, 4), _arr(g, 6, 4), _arr(g, 6, 2), 3)
    with pytest.raises(ErrorDeForma, match=r"'w' debe ser un entero positivo, pero se recibió 2.0"):
        g.atencion_ventana_deslizante(_arr(g, 5, 4), _arr(g, 5, 4), _arr(g, 5, 2), 2.0)
    with pytest.raises(ErrorDeForma, match=r"'l' debe ser un entero positivo, pero se recibió 0"):
        g.mascaras_estriadas(10, 0)
