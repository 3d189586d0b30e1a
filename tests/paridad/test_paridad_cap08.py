"""Paridad NumPy ↔ PyTorch del capítulo 8 (pérdidas y optimización), float64 y float32, en cada dispositivo."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from paridad.casos_cap04 import firmas_iguales
from paridad.casos_cap07 import N_V, comparar_arbol, config_bert, config_ed, parametros, tokens, un_hilo  # noqa: F401
from transformadores import con_numpy, con_torch
from transformadores.con_numpy import entrenamiento as ent_np
from transformadores.con_numpy import optimizacion as opt_np
from transformadores.con_torch import entrenamiento as ent_t
from transformadores.con_torch import optimizacion as opt_t
from utiles import a_torch

TOLERANCIAS = pytest.mark.parametrize(
    "dtype, tol",
    [
        (torch.float64, {"rtol": 1e-10, "atol": 1e-12}),
        (torch.float32, {"rtol": 1e-6, "atol": 1e-5}),
    ],  # sumas del orden de 100: rtol
    ids=["float64", "float32"],
)
pytestmark = pytest.mark.usefixtures("un_hilo")
PAD = 0


def _arbol(rng):
    return {"a": rng.standard_normal((3, 4)), "capas": [{"W": rng.standard_normal(5)}, {"W": rng.standard_normal(5)}]}


def casos(rng):
    """caso → (función, id, args, kwargs), entradas NumPy."""
    logits, y = rng.standard_normal((4, 6, 7)) * 3, rng.integers(0, 7, (4, 6))
    y[0, :2] = -100
    lm, x = rng.standard_normal((2, 5, N_V)) * 2, tokens(rng, 2, 5)
    x[1, 3:] = PAD
    ed, bert = config_ed(), config_bert()
    z = tokens(rng, 2, 6)
    grad = _arbol(rng) | {"a": None}
    return {
        "ce-media": ("entropia_cruzada", "suavizado-etiquetas", (logits, y), {"ignorar": -100}),
        "ce-suave-suma": ("entropia_cruzada", "suavizado-etiquetas", (logits, y, -100, 0.1, "suma"), {}),
        "ce-ninguna": ("entropia_cruzada", "suavizado-etiquetas", (logits, y, -100, 0.2, "ninguna"), {}),
        "gradiente": ("gradiente_entropia_cruzada", "suavizado-etiquetas", (logits, y, -100, 0.1), {}),
        "lm": ("entropia_cruzada_modelo_lenguaje", "entropia-cruzada-modelo-lenguaje", (lm, x), {"ignorar": PAD}),
        "ppl": ("perplejidad", "perplejidad", (lm, x), {"ignorar": PAD}),
        "forzado": ("perdida_forzado_profesor", "forzado-del-profesor-seq2seq", (z, x, parametros(ed), ed),
                    {"ignorar": PAD}),
        "mlm": ("modelado_lenguaje_enmascarado", "modelado-lenguaje-enmascarado", (x, parametros(bert), bert, N_V - 3),
                {"p_mask": 1.0, "relleno": x != PAD}),
        "sgd": ("descenso_gradiente", "descenso-gradiente-estocastico", (_arbol(rng), grad, 0.1), {}),
    }  # fmt: skip


CASOS = [pytest.param(n, marks=pytest.mark.ecuacion(c[1])) for n, c in casos(np.random.default_rng(0)).items()]


@pytest.mark.parametrize("caso", CASOS)
@TOLERANCIAS
def test_paridad(caso, dtype, tol, rng, dispositivo):
    funcion, _, args, kwargs = casos(rng)[caso]
    esperado = getattr(con_numpy, funcion)(*args, **kwargs)
    obtenido = getattr(con_torch, funcion)(*a_torch(args, dtype, dispositivo), **a_torch(kwargs, dtype, dispositivo))
    comparar_arbol(esperado, obtenido, **tol)


@pytest.mark.ecuacion("adam")
@TOLERANCIAS
@pytest.mark.parametrize("decaimiento", [0.0, 0.01])
def test_paridad_adam_varios_pasos(decaimiento, dtype, tol, rng, dispositivo):
    p_np, estado_np = _arbol(rng), None
    p_t, estado_t = a_torch(p_np, dtype, dispositivo), None
    for paso in range(4):
        g = _arbol(rng)
        eta = con_numpy.calendario_vaswani(paso, 16, calentamiento=2)
        p_np, estado_np = con_numpy.adam(p_np, g, estado_np, eta, decaimiento=decaimiento)
        p_t, estado_t = con_torch.adam(p_t, a_torch(g, dtype, dispositivo), estado_t, eta, decaimiento=decaimiento)
    comparar_arbol(p_np, p_t, **tol)
    comparar_arbol(estado_np["v"], estado_t["v"], **tol)
    assert estado_np["paso"] == estado_t["paso"] == 4


@pytest.mark.ecuacion("calendario-calentamiento-vaswani")
def test_paridad_calendario():
    for s in (0, 1, 10, 4000, 10**6):
        assert con_numpy.calendario_vaswani(s, 512) == con_torch.calendario_vaswani(s, 512)


@pytest.mark.ecuacion("entropia-cruzada-modelo-lenguaje")
@pytest.mark.parametrize("par", [(ent_np, ent_t), (opt_np, opt_t)], ids=["entrenamiento", "optimizacion"])
def test_firmas_de_los_gemelos(par):
    firmas_iguales(*par)
