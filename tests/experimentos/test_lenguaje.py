"""El modelo de lenguaje del capítulo 9: el corpus del libro, la división, la perplejidad y el entrenamiento."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from transformadores.datos.texto_libro import Vocabulario, dividir_texto, leer_texto_libro, limpiar_markdown
from transformadores.experimentos.lenguaje import (
    RUTA_PESOS,
    ConfigLenguaje,
    cargar_modelo,
    crear_modelo,
    entrenar_lenguaje,
    generar_texto,
    perplejidad,
    perplejidad_unigramas,
    preparar_datos,
)


def test_limpiar_quita_codigo_formulas_y_roles():
    texto = "La **atención** $QK^\\top$ {eq}`softmax` y `codigo`.\n\n```python\nx = 1\n```\n$$a$$ (id)\nFin™"
    limpio = limpiar_markdown(texto)
    assert limpio == "la atención y.\nfin"
    assert set(limpio) <= set(Vocabulario().caracteres)


def test_el_corpus_es_prosa_del_libro_y_el_vocabulario_es_fijo():
    texto = leer_texto_libro()
    assert len(texto) > 50_000 and "atención" in texto and "$" not in texto and "```" not in texto
    v = Vocabulario()
    ids = v.codificar(texto[:500])
    assert v.decodificar(ids) == texto[:500]
    with pytest.raises(ValueError, match="fuera del vocabulario"):
        v.codificar("€")


def test_la_division_reserva_bloques_disjuntos():
    ids = np.arange(100_000)
    a, b = dividir_texto(ids, cada=10, bloque=2000)
    assert len(a) + len(b) == len(ids) and len(b) == 10_000
    assert not set(a.tolist()) & set(b.tolist())
    np.testing.assert_array_equal(b[:2000], np.arange(18_000, 20_000))
    with pytest.raises(ValueError, match="'cada'"):
        dividir_texto(ids, cada=1)


def test_perplejidades_de_referencia():
    ids = np.array([0, 1, 0, 1, 0, 1, 0, 1])
    assert perplejidad_unigramas(ids, ids, 2) == pytest.approx(2.0)  # frecuencias 1/2: duda entre 2
    config = ConfigLenguaje(d_modelo=16, n_cabezas=2, d_ffn=32, n_capas=1, longitud=8)
    modelo = crear_modelo(config, 5)
    with torch.no_grad():
        for parametro in modelo.parameters():
            parametro.zero_()  # logits nulos: la uniforme
    assert perplejidad(modelo, np.arange(40) % 5, 8) == pytest.approx(5.0, rel=1e-5)
    with pytest.raises(ValueError, match="al menos"):
        perplejidad(modelo, np.arange(5), 8)


def test_unos_pasos_de_entrenamiento_bajan_la_perdida():
    config = ConfigLenguaje(d_modelo=16, n_cabezas=2, d_ffn=32, n_capas=1, longitud=16, pasos=40, lote=8)
    vocabulario = Vocabulario()
    ids = vocabulario.codificar("la atención mira la clave y el valor. " * 60)
    datos = (vocabulario, ids[:2000], ids[2000:])
    modelo, historia = entrenar_lenguaje(config, datos, cada=10)
    assert historia["paso"] == [10, 20, 30, 40]
    assert historia["perdida"][-1] < historia["perdida"][0] - 0.5
    texto = generar_texto(modelo, datos[0], "la ", 8, tau=0.0)
    assert texto.startswith("la ") and len(texto) == 11


def test_los_pesos_guardados_cargan_y_baten_a_los_unigramas():
    assert RUTA_PESOS.stat().st_size < 2 * 2**20
    modelo, historia, config = cargar_modelo()
    vocabulario, entrenamiento, validacion = preparar_datos(config)
    assert historia["paso"][-1] == config.pasos
    muestra = validacion[:2048]
    assert perplejidad(modelo, muestra) < 0.6 * perplejidad_unigramas(entrenamiento, muestra, len(vocabulario))
