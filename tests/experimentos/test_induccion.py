"""La tarea de copia del capítulo 4 y su experimento: datos bien formados y cabezas que se especializan."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from transformadores import ErrorDeForma
from transformadores.datos.induccion import IGNORAR, posiciones_pareja, secuencias_repetidas
from transformadores.experimentos.induccion import (
    ConfigInduccion,
    datos_de_prueba,
    entrenar_induccion,
    exactitud_induccion,
    puntuaciones_cabezas,
    tabla_cabezas,
)


def test_las_secuencias_repiten_su_bloque_y_los_objetivos_son_la_copia():
    x, y, longitudes = secuencias_repetidas(50, 12, 3, 6, np.random.default_rng(0))
    assert x.shape == y.shape == (50, 12) and longitudes.shape == (50,)
    assert set(np.unique(longitudes)) <= set(range(3, 7)) and len(np.unique(longitudes)) > 1
    for b, L in enumerate(longitudes):
        assert len(set(x[b, :L])) == L  # el bloque no repite tokens
        np.testing.assert_array_equal(x[b, L : 2 * L], x[b, :L])
        validos = np.nonzero(y[b] != IGNORAR)[0]
        np.testing.assert_array_equal(validos, np.arange(L, 2 * L - 1))
        np.testing.assert_array_equal(y[b, validos], x[b, validos + 1])
    pareja = posiciones_pareja(x, longitudes)
    b, t = np.nonzero(pareja >= 0)
    np.testing.assert_array_equal(x[b, t], x[b, pareja[b, t]])  # la pareja tiene el mismo token


def test_entradas_erroneas():
    rng = np.random.default_rng(0)
    with pytest.raises(ErrorDeForma, match=r"'n' debe ser un entero positivo"):
        secuencias_repetidas(0, 8, 2, 4, rng)
    with pytest.raises(ErrorDeForma, match=r"longitud_max ≤ n_vocab"):
        secuencias_repetidas(4, 5, 2, 6, rng)


def test_un_entrenamiento_corto_baja_la_perdida_y_mide_cada_cabeza():
    config = ConfigInduccion(n_vocab=10, longitud_min=3, longitud_max=5, d_modelo=16, pasos=40, lote=16, n_prueba=20)
    modelo, perdidas = entrenar_induccion(config)
    assert len(perdidas) == 40 and np.mean(perdidas[-5:]) < np.mean(perdidas[:5])
    assert torch.get_num_threads() >= 1
    x, y, longitudes = datos_de_prueba(config)
    assert 0.0 <= exactitud_induccion(modelo, x, y) <= 1.0
    pesos, anterior, induccion = puntuaciones_cabezas(modelo, x, longitudes)
    assert len(pesos) == 2 and pesos[0].shape == (20, 2, 10, 10)
    assert anterior.shape == induccion.shape == (2, 2) and ((anterior >= 0) & (anterior <= 1)).all()
    assert tabla_cabezas(anterior, induccion).count("\n") == 4


def test_puntuaciones_con_pesos_conocidos():
    """Un «modelo» cuyas cabezas miran exactamente al anterior y al siguiente de la pareja."""
    x, _, longitudes = secuencias_repetidas(30, 12, 3, 6, np.random.default_rng(1))
    T = x.shape[1]

    class Falso(torch.nn.Module):
        def forward(self, x, devolver_pesos=False):
            anterior = torch.zeros(len(x), T, T)
            anterior[:, torch.arange(1, T), torch.arange(T - 1)] = 1.0
            induccion = torch.zeros(len(x), T, T)
            for b, L in enumerate(longitudes):
                for t in range(L, 2 * L - 1):
                    induccion[b, t, t - L + 1] = 1.0
            return None, [torch.stack([anterior, induccion], dim=1)]

    _, anterior, induccion = puntuaciones_cabezas(Falso(), torch.from_numpy(x), longitudes)
    np.testing.assert_allclose(anterior, [[1.0, 0.0]])
    np.testing.assert_allclose(induccion, [[0.0, 1.0]])
