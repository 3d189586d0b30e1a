"""Interpretabilidad de all-MiniLM-L6-v2 (capítulo 17). Se salta si falta el extra del modelo real."""

from __future__ import annotations

import numpy as np
import pytest
from utiles import exigir_minilm

exigir_minilm(con_transformers=False)

import torch  # noqa: E402
from transformadores.datos.interpretabilidad import (  # noqa: E402
    FRASES_PALABRAS,
    PALABRAS_AMBIGUAS,
    PARAFRASIS,
    frases_sustantivo_verbo,
)
from transformadores.experimentos.interpretabilidad_minilm import (  # noqa: E402
    ablacion_minilm,
    atribuciones_palabras,
    estados_de_palabra,
    margen_parafrasis,
    minilm_desde_incrustacion,
    parametros_torch,
    pesos_todas_las_capas,
)
from transformadores.modelos_reales import (  # noqa: E402
    estados_minilm,
    incrustar_frases,
    pesos_atencion_minilm,
    tokenizar,
)


@pytest.fixture(scope="module")
def parametros():
    torch.set_num_threads(1)
    return parametros_torch()


def test_desde_la_incrustacion_se_llega_a_los_mismos_estados(parametros):
    ids, mascara = tokenizar(["the cat sleeps.", "a dog runs in the park."])
    X0, ejecutar = minilm_desde_incrustacion(ids, mascara, parametros)
    with torch.no_grad():
        np.testing.assert_allclose(ejecutar(X0).numpy(), estados_minilm(ids, mascara), atol=1e-4)
    pesos = pesos_todas_las_capas(ids, mascara, parametros)
    assert len(pesos) == 6 and pesos[0].shape == (2, 12, ids.shape[1], ids.shape[1])
    np.testing.assert_allclose(pesos[3], pesos_atencion_minilm(ids, mascara, 3), atol=1e-5)


def test_atribuciones_de_palabras(parametros):
    casos = [(FRASES_PALABRAS[0][0], "cat"), (FRASES_PALABRAS[0][0], "sofa"), (FRASES_PALABRAS[1][0], "guitar")]
    a = atribuciones_palabras(casos, parametros, pasos=4)
    assert a["piezas"][0][:3] == ["[CLS]", "the", "cat"] and a["correcta"].sum(1).tolist() == [1, 1, 1]
    assert not a["permitida"][:, 0].any() and (a["correcta"] <= a["permitida"]).all()
    # La atención no depende de la palabra por la que se pregunta; el gradiente, sí.
    np.testing.assert_allclose(a["rollout"][0], a["rollout"][1])
    assert not np.allclose(a["gradiente"][0], a["gradiente"][1])
    # La puntuación es el coseno de incrustar_frases: la diferencia con la base está entre -2 y 2.
    cos = (incrustar_frases([c[0] for c in casos]) * incrustar_frases([c[1] for c in casos])).sum(-1)
    assert (np.abs(a["completitud"][:, 1]) < 2).all() and (cos > 0.2).all()


def test_ablacion_con_mascara_es_anular_las_columnas_de_W_o(parametros):
    parafrasis = PARAFRASIS[:2]
    base, tabla = ablacion_minilm(parafrasis, parametros)
    assert tabla.shape == (6, 12)
    # Lo mismo, a mano, para la cabeza 4 de la capa 2: columnas de W_o a cero y el modelo entero otra vez.
    capas = [dict(c, autoatencion=dict(c["autoatencion"])) for c in parametros["codificador"]["capas"]]
    W_o = capas[2]["autoatencion"]["W_o"].clone()
    W_o[:, 4 * 32 : 5 * 32] = 0.0
    capas[2]["autoatencion"]["W_o"] = W_o
    anulado = {**parametros, "codificador": {"capas": capas}}
    a, b = (incrustar_frases(list(lado), "torch", parametros=anulado) for lado in zip(*parafrasis))
    assert tabla[2, 4] == pytest.approx(margen_parafrasis((a @ b.T).numpy()), abs=1e-5)
    a, b = (incrustar_frases(list(lado)) for lado in zip(*parafrasis))
    assert base == pytest.approx(margen_parafrasis(a @ b.T), abs=1e-5)


def test_las_palabras_ambiguas_son_un_solo_token_y_sus_estados_salen_de_su_posicion(parametros):
    ids, _ = tokenizar(PALABRAS_AMBIGUAS)
    assert ids.shape[1] == 3  # [CLS] palabra [SEP]: cada palabra es un solo token
    frases, palabras, _, _ = frases_sustantivo_verbo()
    estados = estados_de_palabra(frases[:4], palabras[:4], parametros)
    assert len(estados) == 7 and estados[6].shape == (4, 384)
    ids, mascara = tokenizar(frases[0])
    posicion = frases[0].split().index(palabras[0]) + 1  # + [CLS]
    np.testing.assert_allclose(estados[6][0], estados_minilm(ids, mascara)[0, posicion], atol=1e-4)
    anterior = estados_de_palabra(frases[:1], palabras[:1], parametros, desplazamiento=-1)
    np.testing.assert_allclose(anterior[0][0], estados_minilm(ids, mascara, todas_las_capas=True)[0][0, posicion - 1])
    with pytest.raises(ValueError, match=r"un solo token"):
        estados_de_palabra(["the cat sleeps."], ["dog"], parametros)
