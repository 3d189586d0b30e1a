"""Entradas erróneas del capítulo 8: pérdidas, enmascarado, optimizadores y pasos de entrenamiento (regex)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from paridad.casos_cap07 import N_V, config_bert, config_ed, config_gpt, parametros
from transformadores import ErrorDeForma, con_numpy, con_torch

GEMELOS = pytest.mark.parametrize("g", [con_numpy, con_torch], ids=["numpy", "torch"])


def _a(g, x):
    if g is con_numpy:
        return x
    if isinstance(x, dict):
        return {k: _a(g, v) for k, v in x.items()}
    if isinstance(x, list):
        return [_a(g, v) for v in x]
    return torch.from_numpy(x) if isinstance(x, np.ndarray) else x


@pytest.mark.ecuacion("suavizado-etiquetas")
@GEMELOS
def test_entropia_cruzada_rechaza_entradas(g):
    logits, y = _a(g, np.zeros((4, 5))), _a(g, np.array([0, 1, 2, 3]))
    with pytest.raises(
        ErrorDeForma,
        match=(
            r"'objetivos' debe tener la forma de 'logits' sin la última dimensión, \(4,\) \(K=5\), "
            r"pero se recibió \(3,\)"
        ),
    ):
        g.entropia_cruzada(logits, _a(g, np.array([0, 1, 2])))
    with pytest.raises(ErrorDeForma, match=r"'objetivos' debe contener índices entre 0 y K-1=4 .* entre 0 y 7"):
        g.entropia_cruzada(logits, _a(g, np.array([0, 1, 7, -100])), ignorar=-100)
    with pytest.raises(TypeError, match=r"'objetivos' debe contener índices de clase enteros"):
        g.entropia_cruzada(logits, _a(g, np.zeros(4)))
    with pytest.raises(ErrorDeForma, match=r"'suavizado' debe ser un número en \[0.0, 1.0\], pero se recibió 1.5"):
        g.entropia_cruzada(logits, y, suavizado=1.5)
    with pytest.raises(
        ErrorDeForma, match=r"'reduccion' debe ser una de \('media', 'suma', 'ninguna'\), pero se recibió 'mean'"
    ):
        g.entropia_cruzada(logits, y, reduccion="mean")
    with pytest.raises(ErrorDeForma, match=r"'ignorar' debe ser un entero .* o None, pero se recibió 0.5"):
        g.gradiente_entropia_cruzada(logits, y, ignorar=0.5)


@pytest.mark.ecuacion("entropia-cruzada-modelo-lenguaje")
@pytest.mark.ecuacion("perplejidad")
@GEMELOS
def test_modelo_de_lenguaje_rechaza_entradas(g):
    logits = _a(g, np.zeros((2, 5, N_V)))
    with pytest.raises(
        ErrorDeForma,
        match=r"'x' debe tener forma \(\.\.\., T\) con T=5 \(tomado de 'logits'\), pero se recibió \(2, 4\)",
    ):
        g.entropia_cruzada_modelo_lenguaje(logits, _a(g, np.zeros((2, 4), int)))
    with pytest.raises(ErrorDeForma, match=r"'x' debe tener al menos 2 tokens \(T ≥ 2\) para predecir el siguiente"):
        g.perplejidad(_a(g, np.zeros((2, 1, N_V))), _a(g, np.zeros((2, 1), int)))
    with pytest.raises(ErrorDeForma, match=r"'logits' debe tener forma \(\.\.\., T, N_V\)"):
        g.perplejidad(_a(g, np.zeros(5)), _a(g, np.zeros(5, int)))


@pytest.mark.ecuacion("forzado-del-profesor-seq2seq")
@GEMELOS
def test_forzado_del_profesor_rechaza_entradas(g):
    config = config_gpt()
    x = _a(g, np.ones((2, 4), int))
    with pytest.raises(
        ErrorDeForma,
        match=(
            r"'transformador_codificador_decodificador' necesita una configuración de tipo "
            r"'codificador-decodificador'"
        ),
    ):
        g.perdida_forzado_profesor(x, x, _a(g, parametros(config)), config)
    with pytest.raises(ErrorDeForma, match=r"'x' debe contener índices entre 0 y N_V-1=10"):
        g.perdida_forzado_profesor(x, x + 20, _a(g, parametros(config_ed())), config_ed(), ignorar=0)


@pytest.mark.ecuacion("modelado-lenguaje-enmascarado")
@GEMELOS
def test_enmascarado_rechaza_entradas(g):
    x = _a(g, np.ones((2, 4), int))
    with pytest.raises(
        ErrorDeForma, match=r"'id_mascara' debe ser un id de token entre 0 y N_V-1=10, pero se recibió 11"
    ):
        g.enmascarar_tokens(x, 11, N_V)
    with pytest.raises(ErrorDeForma, match=r"'p_mask' debe ser un número en \[0.0, 1.0\], pero se recibió -0.1"):
        g.enmascarar_tokens(x, 3, N_V, -0.1)
    with pytest.raises(TypeError, match=r"'x' debe ser un arreglo o tensor de enteros"):
        g.enmascarar_tokens(_a(g, np.ones((2, 4))), 3, N_V)
    with pytest.raises(ErrorDeForma, match=r"'relleno' debe ser booleana con la forma de 'x' \(2, 4\)"):
        g.modelado_lenguaje_enmascarado(
            x, _a(g, parametros(config_bert())), config_bert(), 3, relleno=_a(g, np.ones((2, 3), bool))
        )


@pytest.mark.ecuacion("descenso-gradiente-estocastico")
@pytest.mark.ecuacion("adam")
@GEMELOS
def test_optimizadores_rechazan_entradas(g):
    p = _a(g, {"W": np.ones((2, 3)), "capas": [{"b": np.ones(3)}]})
    with pytest.raises(
        ErrorDeForma,
        match=(
            r"""'gradientes\["capas"\]\[0\]\["b"\]' debe tener la forma del parámetro, \(3,\), pero """
            r"""se recibió \(4,\)"""
        ),
    ):
        g.descenso_gradiente(p, _a(g, {"W": np.ones((2, 3)), "capas": [{"b": np.ones(4)}]}), 0.1)
    with pytest.raises(
        ErrorDeForma, match=r"'gradientes' debe tener las claves \['W', 'capas'\], pero se recibió \['W'\]"
    ):
        g.descenso_gradiente(p, _a(g, {"W": np.ones((2, 3))}), 0.1)
    with pytest.raises(ErrorDeForma, match=r"'eta' debe ser un número en \[0.0, ∞\), pero se recibió -1"):
        g.descenso_gradiente(p, p, -1)
    with pytest.raises(ErrorDeForma, match=r"'beta_2' debe ser un número en \[0.0, 1.0\), pero se recibió 1.0"):
        g.adam(p, p, beta_2=1.0)
    with pytest.raises(ErrorDeForma, match=r"'estado' debe ser None \(primer paso\) o el diccionario"):
        g.adam(p, p, {"m": p})


@pytest.mark.ecuacion("calendario-calentamiento-vaswani")
@GEMELOS
def test_calendario_rechaza_entradas(g):
    with pytest.raises(ErrorDeForma, match=r"'paso' debe ser un entero mayor o igual que 0, pero se recibió -1"):
        g.calendario_vaswani(-1, 512)
    with pytest.raises(ErrorDeForma, match=r"'calentamiento' debe ser un entero positivo, pero se recibió 0"):
        g.calendario_vaswani(10, 512, calentamiento=0)
    with pytest.raises(ErrorDeForma, match=r"'factor' debe ser un número en \(0.0, ∞\), pero se recibió 0"):
        g.calendario_vaswani(10, 512, factor=0)


@pytest.mark.ecuacion("entropia-cruzada-modelo-lenguaje")
def test_pasos_de_entrenamiento_rechazan_entradas():
    gpt = con_torch.TransformadorSoloDecodificador(config_gpt())
    opt = torch.optim.SGD(gpt.parameters(), lr=0.1)
    x = torch.ones(2, 4, dtype=torch.long)
    with pytest.raises(
        TypeError,
        match=(
            r"'modelo' debe ser un TransformadorCodificadorDecodificador, pero se recibió "
            r"TransformadorSoloDecodificador"
        ),
    ):
        con_torch.paso_entrenamiento_seq2seq(gpt, opt, x, x)
    with pytest.raises(TypeError, match=r"'modelo' debe ser un TransformadorSoloCodificador"):
        con_torch.paso_entrenamiento_mlm(gpt, opt, x, 3)
    with pytest.raises(TypeError, match=r"'optimizador' debe ser un torch.optim.Optimizer, pero se recibió dict"):
        con_torch.paso_entrenamiento_decodificador(gpt, {"lr": 0.1}, x)
    with pytest.raises(ErrorDeForma, match=r"'logits' contiene NaN o \+inf"):
        with torch.no_grad():
            gpt.incrustacion.W_E.fill_(float("nan"))
        con_torch.paso_entrenamiento_decodificador(gpt, opt, x)
    with pytest.raises(TypeError, match=r"'modelo' debe ser uno de los transformadores del paquete"):
        con_torch.optimizador_vaswani(torch.nn.Linear(2, 2))
