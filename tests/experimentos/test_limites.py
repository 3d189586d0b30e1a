"""La tarea del motivo local y las curvas de aprendizaje de los tres tipos de modelo (capítulo 16)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import torch
from transformadores import ErrorDeForma
from transformadores.datos.secuencias import MOTIVO, contiene_motivo, motivo_local
from transformadores.experimentos.limites import (
    TAREAS,
    TIPOS,
    ConfigLimites,
    crear_modelo,
    curvas_aprendizaje,
    datos_tarea,
    entrenar_y_evaluar,
    n_parametros,
    tabla_curvas,
)


def test_motivo_local_clases_y_contenido():
    x, y = motivo_local(400, 12, 4, np.random.default_rng(0))
    assert x.shape == (400, 12) and y.shape == (400,) and x.dtype == np.int64
    assert y.sum() == 200 and x.min() >= 0 and x.max() < 4
    np.testing.assert_array_equal(contiene_motivo(x), y == 1)  # el motivo solo está en las positivas
    for fila in x:  # las dos clases llevan los tres tokens del motivo
        assert set(MOTIVO) <= set(fila.tolist())
    a, _ = motivo_local(6, 5, 3, np.random.default_rng(1))
    b, _ = motivo_local(6, 5, 3, np.random.default_rng(1))
    np.testing.assert_array_equal(a, b)
    assert contiene_motivo(np.array([[3, 0, 1, 2], [2, 1, 0, 3]])).tolist() == [True, False]


def test_motivo_local_entradas_erroneas():
    rng = np.random.default_rng(0)
    with pytest.raises(ErrorDeForma, match="'n' debe ser par"):
        motivo_local(5, 8, 4, rng)
    with pytest.raises(ErrorDeForma, match="'longitud' debe ser un entero ≥ 3"):
        motivo_local(4, 2, 4, rng)
    with pytest.raises(ErrorDeForma, match="'n_simbolos' debe ser un entero ≥ 3"):
        motivo_local(4, 8, 2, rng)


@pytest.mark.parametrize("tarea", TAREAS)
@pytest.mark.parametrize("tipo", TIPOS)
def test_modelos_formas_y_parametros_parecidos(tarea, tipo):
    x_e, _, _, _ = datos_tarea(tarea, replace(ConfigLimites(), tamanos_motivo=(20,), n_prueba_motivo=10))
    modelo = crear_modelo(tarea, tipo).eval()
    assert modelo(x_e[:3]).shape == (3, 10 if tarea == "digitos" else 2)
    assert 4_000 < n_parametros(modelo) < 6_000  # presupuestos de parámetros comparables


def test_sin_posiciones_el_transformador_no_ve_el_orden():
    modelo = crear_modelo("motivo", "transformador", posiciones=False).eval()
    x, _ = motivo_local(8, 16, 4, np.random.default_rng(0))
    x = torch.from_numpy(x)
    permutado = x[:, torch.randperm(16, generator=torch.Generator().manual_seed(0))]
    with torch.no_grad():
        torch.testing.assert_close(modelo(permutado), modelo(x))
        con = crear_modelo("motivo", "transformador").eval()
        assert not torch.allclose(con(permutado), con(x))


def test_nombres_erroneos():
    with pytest.raises(ValueError, match="'tarea' debe ser una de"):
        crear_modelo("audio", "convolucional")
    with pytest.raises(ValueError, match="'tipo' debe ser uno de"):
        crear_modelo("digitos", "lstm")


def test_la_convolucion_aprende_pronto_y_la_tabla_se_imprime():
    x_e, y_e, x_p, y_p = datos_tarea("motivo", replace(ConfigLimites(), tamanos_motivo=(100,), n_prueba_motivo=200))
    r = entrenar_y_evaluar(crear_modelo("motivo", "convolucional"), x_e, y_e, x_p, y_p, pasos=60)
    assert r["exactitud"] > 0.9 and r["exactitud_entrenamiento"] > 0.9 and r["predicciones"].shape == (200,)
    x_e, y_e, x_p, y_p = datos_tarea("digitos")
    r = entrenar_y_evaluar(crear_modelo("digitos", "convolucional"), x_e[:200], y_e[:200], x_p, y_p, 60)
    assert r["exactitud"] > 0.75
    config = replace(ConfigLimites(), tamanos_motivo=(10, 20), pasos=2, n_prueba_motivo=16)
    r = curvas_aprendizaje("motivo", config)
    assert set(r["exactitud"]) == {(t, n) for t in TIPOS for n in (10, 20)}
    assert r["predicciones"][("recurrente", 20)].shape == (16,) and set(r["parametros"]) == set(TIPOS)
    assert all(0.0 <= v <= 1.0 for v in r["exactitud_entrenamiento"].values())
    texto = tabla_curvas(r)
    assert "transformador" in texto and "parám." in texto and len(texto.splitlines()) == 4
    fila = tabla_curvas(r, "exactitud_entrenamiento").splitlines()[1]
    assert f"{r['exactitud_entrenamiento'][('convolucional', 10)]:14.3f}" in fila
