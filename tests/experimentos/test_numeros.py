"""Números en palabras (capítulo 8): el generador escribe bien el español y los datos están bien formados."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from transformadores.datos.numeros import datos_numeros, en_palabras, vocabulario_numeros
from transformadores.experimentos.numeros import ConfigNumeros, entrenar_numeros, particion_numeros, traducir


@pytest.mark.parametrize(
    "n, palabras",
    [
        (0, "cero"), (1, "uno"), (15, "quince"), (16, "dieciséis"), (20, "veinte"), (21, "veintiuno"),
        (22, "veintidós"), (23, "veintitrés"), (26, "veintiséis"), (29, "veintinueve"), (30, "treinta"),
        (31, "treinta y uno"), (99, "noventa y nueve"), (100, "cien"), (101, "ciento uno"),
        (110, "ciento diez"), (121, "ciento veintiuno"), (200, "doscientos"), (500, "quinientos"),
        (555, "quinientos cincuenta y cinco"), (700, "setecientos"), (900, "novecientos"),
        (1000, "mil"), (1001, "mil uno"), (1100, "mil cien"), (1234, "mil doscientos treinta y cuatro"),
        (2000, "dos mil"), (2021, "dos mil veintiuno"), (7777, "siete mil setecientos setenta y siete"),
        (9999, "nueve mil novecientos noventa y nueve"),
    ],
)  # fmt: skip
def test_en_palabras(n, palabras):
    assert en_palabras(n) == palabras


def test_entradas_erroneas():
    with pytest.raises(ValueError, match="entre 0 y 9999"):
        en_palabras(10_000)
    with pytest.raises(TypeError, match="entero"):
        en_palabras(3.0)


def test_todas_las_frases_son_distintas_y_cortas():
    frases = [en_palabras(n) for n in range(10_000)]
    assert len(set(frases)) == 10_000 and max(len(f.split()) for f in frases) == 6


def test_datos_y_particion():
    vocabulario = vocabulario_numeros()
    z, x = datos_numeros([7, 2021], vocabulario)
    assert z.shape == (2, 4) and x.shape == (2, 8)
    assert [vocabulario[t] for t in z[1]] == list("2021")
    assert [vocabulario[t] for t in x[1] if t] == ["<bos>", "dos", "mil", "veintiuno", "<eos>"]
    entrenamiento, prueba = particion_numeros(2000, 0)
    assert len(prueba) == 2000 and len(entrenamiento) == 8000 and not set(entrenamiento) & set(prueba)


def test_un_entrenamiento_corto_baja_la_perdida_y_genera_frases():
    torch.manual_seed(0)
    modelo, historial = entrenar_numeros(ConfigNumeros(pasos=30, lote=32, calentamiento=10))
    assert historial[-5:].mean() < historial[:5].mean()
    frases = traducir(modelo, np.array([5, 1234]))
    assert len(frases) == 2 and all(isinstance(f, str) for f in frases)
