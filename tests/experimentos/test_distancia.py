"""La tarea «recordar el primer token» y la comparación LSTM frente a transformador (capítulo 7)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from transformadores import ErrorDeForma
from transformadores.datos.distancia import recordar_primero
from transformadores.experimentos.distancia import (
    MODELOS,
    comparar_distancias,
    crear_modelo,
    entrenar_y_evaluar,
    tabla_distancias,
)


def test_recordar_primero_formas_y_contenido():
    x, y = recordar_primero(50, 7, 4, np.random.default_rng(0))
    assert x.shape == (50, 9) and y.shape == (50,)
    np.testing.assert_array_equal(y, x[:, 0])
    assert (x[:, -1] == 4).all() and x[:, :-1].max() < 4 and x.min() >= 0
    a, _ = recordar_primero(5, 3, 4, np.random.default_rng(1))
    b, _ = recordar_primero(5, 3, 4, np.random.default_rng(1))
    np.testing.assert_array_equal(a, b)
    assert recordar_primero(2, 0, 2, np.random.default_rng(0))[0].shape == (2, 2)
    with pytest.raises(ErrorDeForma, match="'distancia' debe ser un entero ≥ 0"):
        recordar_primero(3, -1, 4, np.random.default_rng(0))
    with pytest.raises(ErrorDeForma, match="'n_simbolos' debe ser un entero ≥ 2"):
        recordar_primero(3, 2, 1, np.random.default_rng(0))


@pytest.mark.parametrize("tipo", MODELOS)
def test_modelos_formas_y_parametros(tipo):
    modelo = crear_modelo(tipo, 5, 12).eval()
    x = torch.randint(0, 5, (3, 12))
    assert modelo(x).shape == (3, 5)
    n = sum(p.numel() for p in modelo.parameters())
    assert 15_000 < n < 25_000  # presupuestos de parámetros parecidos
    with pytest.raises(ValueError, match="'tipo' debe ser uno de"):
        crear_modelo("gru", 5, 12)


def test_la_distancia_corta_se_aprende_y_la_tabla_se_imprime():
    r = entrenar_y_evaluar("transformador", 2, pasos=60, lote=32, n_simbolos=4, lr=1e-2, n_prueba=128)
    assert r["exactitud"] > 0.9 and np.isfinite(r["perdida_final"])
    res = comparar_distancias((1,), pasos=2, lote=4, n_simbolos=4, n_prueba=8)
    assert set(res) == {(t, 1) for t in MODELOS}
    assert all(0.0 <= v["exactitud"] <= 1.0 for v in res.values())
    texto = tabla_distancias(res, n_simbolos=4)
    assert "LSTM" in texto and "transformador" in texto and "(azar: 0.250)" in texto
