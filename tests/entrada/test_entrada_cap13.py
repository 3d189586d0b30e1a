"""Entradas erróneas del capítulo 13: cada función pública lanza un error claro en español."""

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
def test_retorno_rechaza_gamma_y_enteros(g):
    with pytest.raises(ErrorDeForma, match=r"'gamma' debe estar en \[0, 1\], pero se recibió 1.5"):
        g.retorno_por_obtener(_arr(g, 2, 5), gamma=1.5)
    with pytest.raises(TypeError, match=r"'r' debe ser de coma flotante"):
        g.retorno_por_obtener(_arr(g, 5, dtype=np.int64))


def _tokens(g, T_max=10, pasos=None):
    d, d_s, d_a = 6, 3, 2
    pasos = _arr(g, 2, 4, dtype=np.int64) if pasos is None else pasos
    return (_arr(g, 2, 4), _arr(g, 2, 4, d_s), _arr(g, 2, 4, d_a), pasos, _arr(g, d, 1), _arr(g, d),
            _arr(g, d, d_s), _arr(g, d), _arr(g, d, d_a), _arr(g, d), _arr(g, T_max, d))  # fmt: skip


@GEMELOS
def test_tokens_rechaza_formas_y_pasos(g):
    args = list(_tokens(g))
    args[2] = _arr(g, 2, 5, 2)
    with pytest.raises(ErrorDeForma, match=r"'a' debe tener forma \(\.\.\., T, d_a\) con T=4 \(tomado de 'R'\)"):
        g.decision_transformer_tokens(*args)
    with pytest.raises(ErrorDeForma, match=r"'pasos' debe contener enteros entre 0 y T_max-1=9 \(tomado de 'W_t'\)"):
        g.decision_transformer_tokens(*_tokens(g, pasos=_arr(g, 2, 4, dtype=np.int64) * 10))
    with pytest.raises(ErrorDeForma, match=r"'pasos' debe contener enteros .* dtype (torch\.)?float64"):
        g.decision_transformer_tokens(*_tokens(g, pasos=_arr(g, 2, 4)))


@GEMELOS
def test_perdida_rechaza_posiciones_y_acciones(g):
    with pytest.raises(ErrorDeForma, match=r"'prediccion' debe tener 3T posiciones .* tiene 10"):
        g.decision_transformer_perdida(_arr(g, 2, 10, 3), _arr(g, 2, 3))
    with pytest.raises(ErrorDeForma, match=r"'a' \(acciones discretas\) debe contener enteros entre 0 y d_a-1=2"):
        g.decision_transformer_perdida(_arr(g, 2, 12, 3), _arr(g, 2, 4, dtype=np.int64) * 3)
    with pytest.raises(
        ErrorDeForma, match=r"'a' debe tener forma \(\.\.\., T, d_a\) con T=4 \(tomado de 'prediccion'\), d_a=3"
    ):  # noqa: E501
        g.decision_transformer_perdida(_arr(g, 2, 12, 3), _arr(g, 2, 4, 2))
    with pytest.raises(ErrorDeForma, match=r"'mascara' no marca ningún paso real"):
        g.decision_transformer_perdida(_arr(g, 2, 12, 3), _arr(g, 2, 4, 3), _arr(g, 2, 4, dtype=bool) * False)


@GEMELOS
def test_evaluacion_rechaza_argumentos(g):
    def politica(R, s, a, pasos):
        return s[-1]  # forma (d_s,) = (3,), pero d_a = 2

    def entorno(s, a):
        return s, 0.0, False

    with pytest.raises(
        ErrorDeForma, match=r"'politica' debe devolver una acción de forma \(d_a,\) con d_a=2, pero devolvió \(3,\)"
    ):  # noqa: E501
        g.evaluar_decision_transformer(politica, entorno, _arr(g, 3), 2, 1.0, 3, 5)
    with pytest.raises(TypeError, match=r"'entorno' debe ser una función"):
        g.evaluar_decision_transformer(politica, None, _arr(g, 3), 2, 1.0, 3, 5)
    with pytest.raises(ErrorDeForma, match=r"'K' debe ser un entero positivo, pero se recibió 0"):
        g.evaluar_decision_transformer(politica, entorno, _arr(g, 3), 2, 1.0, 0, 5)
    with pytest.raises(ErrorDeForma, match=r"'s_0' debe tener forma \(d_s,\), pero se recibió \(1, 3\)"):
        g.evaluar_decision_transformer(politica, entorno, _arr(g, 1, 3), 2, 1.0, 3, 5)


@GEMELOS
def test_mu_law_rechaza_entradas(g):
    with pytest.raises(ErrorDeForma, match=r"'mu' debe ser un número positivo, pero se recibió -1"):
        g.codificar_mu_law(_arr(g, 3), mu=-1)
    with pytest.raises(TypeError, match=r"'y' debe ser de coma flotante"):
        g.decodificar_mu_law(_arr(g, 3, dtype=np.int64))
    with pytest.raises(ErrorDeForma, match=r"'n_intervalos' debe ser un entero positivo, pero se recibió 0"):
        g.discretizar_mu_law(_arr(g, 3), n_intervalos=0)
    with pytest.raises(ErrorDeForma, match=r"'indices' debe contener enteros entre 0 y n_intervalos-1=1023"):
        g.reconstruir_mu_law(_arr(g, 3, dtype=np.int64) * 1024)
    with pytest.raises(TypeError, match=r"'indices' debe ser un arreglo o tensor de enteros"):
        g.reconstruir_mu_law(_arr(g, 3))
