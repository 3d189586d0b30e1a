"""Entradas erróneas del capítulo 7: configuración, capas, transformadores, módulos (mensajes en español, regex)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from paridad.casos_cap07 import N_V, config_bert, config_ed, config_gpt, parametros
from transformadores import ErrorDeForma, con_numpy, con_torch
from transformadores.configuracion import Configuracion

GEMELOS = pytest.mark.parametrize("g", [con_numpy, con_torch], ids=["numpy", "torch"])
ED, BERT, GPT = config_ed(), config_bert(), config_gpt()


def _a(g, x):
    """Convierte (recursivamente) a tensores si el gemelo es PyTorch."""
    if g is con_numpy:
        return x
    if isinstance(x, dict):
        return {k: _a(g, v) for k, v in x.items()}
    if isinstance(x, list):
        return [_a(g, v) for v in x]
    return torch.from_numpy(x) if isinstance(x, np.ndarray) else x


def _tok(*forma):
    return np.random.default_rng(0).integers(0, N_V, forma)


@pytest.mark.ecuacion("transformador-codificador-decodificador")
def test_configuracion_rechaza_valores_imposibles():
    with pytest.raises(ErrorDeForma, match=r"^d_modelo \(512\) debe ser divisible por n_cabezas \(6\)"):
        Configuracion(n_vocab=100, d_modelo=512, n_cabezas=6)
    with pytest.raises(ErrorDeForma, match=r"activacion debe ser una de \('relu', 'gelu', 'gelu_tanh'\), .*'swish'"):
        Configuracion(n_vocab=100, activacion="swish")
    with pytest.raises(ErrorDeForma, match=r"norma debe ser una de \('post', 'pre'\), pero se recibió 'medio'"):
        Configuracion(n_vocab=100, norma="medio")
    with pytest.raises(TypeError, match=r"n_vocab debe ser un entero, pero se recibió 10.0 \(float\)"):
        Configuracion(n_vocab=10.0)
    with pytest.raises(ErrorDeForma, match=r"no pueden ser 0 a la vez"):
        Configuracion(n_vocab=10, n_capas_codificador=0, n_capas_decodificador=0)
    with pytest.raises(ErrorDeForma, match=r"p_dropout debe ser una probabilidad en \[0, 1\), pero se recibió 1.5"):
        Configuracion(n_vocab=10, p_dropout=1.5)
    with pytest.raises(ErrorDeForma, match=r"n_clases necesita un codificador"):
        Configuracion.gpt2(10, n_clases=2)
    with pytest.raises(ErrorDeForma, match=r"d_modelo \(9\) debe ser par con posicional='sinusoidal'"):
        Configuracion(n_vocab=10, d_modelo=9, n_cabezas=3)
    with pytest.raises(TypeError, match=r"atar_pesos debe ser True o False, pero se recibió 1"):
        Configuracion(n_vocab=10, atar_pesos=1)
    with pytest.raises(ErrorDeForma, match=r"d_modelo \(512\) debe ser divisible por n_cabezas \(7\)"):
        Configuracion(n_vocab=10).reemplazar(n_cabezas=7)


@pytest.mark.ecuacion("capa-codificador")
@GEMELOS
def test_capa_codificador_rechaza_entradas(g):
    capa = parametros(ED)["codificador"]["capas"][0]
    X = np.ones((2, 5, 8))
    patron = (
        r"'X' debe tener forma \(\.\.\., T, d_modelo\) con d_modelo=8 \(tomado de 'config'\), pero se "
        r"recibió \(2, 5, 6\)"
    )
    with pytest.raises(ErrorDeForma, match=patron):
        g.capa_codificador(_a(g, np.ones((2, 5, 6))), _a(g, capa), ED)
    sin_ffn = {k: v for k, v in capa.items() if k != "ffn"}
    with pytest.raises(ErrorDeForma, match=r"'capa' debe tener las claves .* pero faltan \['ffn'\]"):
        g.capa_codificador(_a(g, X), _a(g, sin_ffn), ED)
    mala = {**capa, "ffn": {**capa["ffn"], "W_1": np.ones((16, 6))}}
    patron = (
        r"""'capa\["ffn"\]\["W_1"\]' debe tener forma \(d_ffn, d_modelo\) con d_ffn=16, d_modelo=8 \(de la """
        r"""configuración\), pero se recibió \(16, 6\)"""
    )
    with pytest.raises(ErrorDeForma, match=patron):
        g.capa_codificador(_a(g, X), _a(g, mala), ED)
    with pytest.raises(ErrorDeForma, match=r"'mascara' debe poder difundirse a \(\.\.\., H, T, S\)"):
        g.capa_codificador(_a(g, X), _a(g, capa), ED, _a(g, np.ones((2, 5, 4), bool)))
    with pytest.raises(TypeError, match=r"'config' debe ser una Configuracion"):
        g.capa_codificador(_a(g, X), _a(g, capa), {"d_modelo": 8})


@pytest.mark.ecuacion("capa-decodificador")
@GEMELOS
def test_capa_decodificador_rechaza_entradas(g):
    p = parametros(ED)
    X, Z = np.ones((2, 5, 8)), np.ones((2, 7, 8))
    with pytest.raises(ErrorDeForma, match=r"'mascara_Z' debe tener forma \(\.\.\., S\) con S=7 \(tomado de 'Z'\)"):
        g.capa_decodificador(
            _a(g, X), _a(g, Z), _a(g, p["decodificador"]["capas"][0]), ED, None, _a(g, np.ones((2, 5), bool))
        )
    patron = r"'capa' debe tener las claves .* faltan \['atencion_cruzada', 'norma_cruzada'\]"
    with pytest.raises(ErrorDeForma, match=patron):
        g.capa_decodificador(_a(g, X), _a(g, Z), _a(g, p["codificador"]["capas"][0]), ED)
    with pytest.raises(ErrorDeForma, match=r"'Z' debe tener forma \(\.\.\., S, d_modelo\) con d_modelo=8"):
        g.capa_decodificador(_a(g, X), _a(g, np.ones((2, 7, 4))), _a(g, p["decodificador"]["capas"][0]), ED)


@pytest.mark.ecuacion("transformador-codificador-decodificador")
@GEMELOS
def test_pilas_rechazan_entradas(g):
    p = _a(g, parametros(ED))
    with pytest.raises(ErrorDeForma, match=r"'config' no tiene codificador \(n_capas_codificador=0\)"):
        g.pila_codificador(_a(g, _tok(2, 4)), _a(g, parametros(GPT)), GPT)
    with pytest.raises(ErrorDeForma, match=r"'Z' debe ser None con un transformador solo decodificador"):
        g.pila_decodificador(_a(g, _tok(2, 4)), None, p, ED)
    with pytest.raises(ErrorDeForma, match=r"'relleno_z' debe tener la forma de 'z' \(2, 4\) \(True = token real\)"):
        g.pila_codificador(_a(g, _tok(2, 4)), p, ED, _a(g, np.ones((2, 3), bool)))


@pytest.mark.ecuacion("transformador-codificador-decodificador")
@pytest.mark.ecuacion("transformador-solo-codificador")
@pytest.mark.ecuacion("transformador-solo-decodificador")
@GEMELOS
def test_transformadores_rechazan_entradas(g):
    p_ed, p_gpt = _a(g, parametros(ED)), _a(g, parametros(GPT))
    x = _a(g, _tok(2, 5))
    patron = (
        r"'transformador_solo_decodificador' necesita una configuración de tipo 'solo-decodificador', "
        r"pero 'config' describe un transformador 'codificador-decodificador'"
    )
    with pytest.raises(ErrorDeForma, match=patron):
        g.transformador_solo_decodificador(x, p_ed, ED)
    with pytest.raises(ErrorDeForma, match=r"'transformador_solo_codificador' necesita .* 'solo-codificador'"):
        g.transformador_solo_codificador(x, p_gpt, GPT)
    with pytest.raises(ErrorDeForma, match=r"'x' debe contener índices entre 0 y N_V-1=10"):
        g.transformador_solo_decodificador(_a(g, np.array([[1, 11]])), p_gpt, GPT)
    patron = r"'W_P' no tiene fila para las posiciones pedidas: inicio \+ T = 17 supera l_max=16"
    with pytest.raises(ErrorDeForma, match=patron):
        g.transformador_solo_decodificador(_a(g, _tok(1, 17)), p_gpt, GPT)
    sin = {k: v for k, v in p_ed.items() if k != "decodificador"}
    with pytest.raises(ErrorDeForma, match=r"'parametros' debe tener las claves .* faltan \['decodificador'\]"):
        g.transformador_codificador_decodificador(x, x, sin, ED)


@pytest.mark.ecuacion("factorizacion-autoregresiva")
@pytest.mark.ecuacion("factorizacion-seq2seq-condicional")
@GEMELOS
def test_factorizaciones_rechazan_entradas(g):
    x = _a(g, _tok(2, 5))
    with pytest.raises(TypeError, match=r"'relleno' debe ser una máscara booleana"):
        g.factorizacion_autoregresiva(x, _a(g, parametros(GPT)), GPT, _a(g, np.ones((2, 5))))
    with pytest.raises(ErrorDeForma, match=r"'relleno_x' debe tener la forma de 'x' \(2, 5\)"):
        g.factorizacion_seq2seq_condicional(x, x, _a(g, parametros(ED)), ED, None, _a(g, np.ones((2, 4), bool)))


@pytest.mark.ecuacion("clasificacion-token-cls")
@GEMELOS
def test_clasificacion_necesita_n_clases(g):
    config = BERT.reemplazar(n_clases=None)
    patron = r"'config' no tiene cabeza de clasificación: crea la configuración con n_clases=N_C"
    with pytest.raises(ErrorDeForma, match=patron):
        g.clasificacion_token_cls(_a(g, _tok(2, 3)), _a(g, parametros(config)), config)


@pytest.mark.ecuacion("transformador-codificador-decodificador")
@GEMELOS
def test_inicializar_parametros_rechaza_lo_que_no_es_configuracion(g):
    with pytest.raises(TypeError, match=r"'config' debe ser una Configuracion .* pero se recibió dict"):
        g.inicializar_parametros({"n_vocab": 10})


@pytest.mark.ecuacion("transformador-solo-decodificador")
def test_modulos_rechazan_entradas():
    patron = r"'TransformadorSoloDecodificador' necesita una configuración de tipo 'solo-decodificador'"
    with pytest.raises(ErrorDeForma, match=patron):
        con_torch.TransformadorSoloDecodificador(ED)
    for Clase, config in (
        (con_torch.TransformadorCodificadorDecodificador, GPT),
        (con_torch.TransformadorSoloCodificador, ED),
    ):
        with pytest.raises(ErrorDeForma, match=rf"'{Clase.__name__}' necesita una configuración de tipo"):
            Clase(config)
    for Capa in (con_torch.CapaCodificador, con_torch.CapaDecodificador):
        with pytest.raises(TypeError, match=r"'config' debe ser una Configuracion .* pero se recibió dict"):
            Capa({"d_modelo": 8})
    modulo = con_torch.TransformadorSoloDecodificador(GPT)
    p = parametros(GPT)
    p["incrustacion"]["W_E"] = np.ones((N_V, 4))
    patron = (
        r"""'parametros\["incrustacion"\]\["W_E"\]' debe tener forma \(n_vocab, d_modelo\) con n_vocab=11, """
        r"""d_modelo=8"""
    )
    with pytest.raises(ErrorDeForma, match=patron):
        modulo.cargar_parametros(p)
    with pytest.raises(TypeError, match=r"'parametros' debe contener tensores de PyTorch, pero contiene un ndarray"):
        con_torch.parametros_a_numpy({"a": np.ones(2)})
    with pytest.raises(TypeError, match=r"'parametros' debe contener arreglos o tensores, pero contiene un float"):
        con_torch.convertir_parametros({"a": [3.0]})
    with pytest.raises(TypeError, match=r"'capa' debe ser un nn.TransformerEncoderLayer .* pero se recibió Linear"):
        con_torch.parametros_de_capa_pytorch(torch.nn.Linear(2, 2))
    with pytest.raises(TypeError, match=r"'transformer' debe ser un nn.Transformer, pero se recibió CapaCodificador"):
        con_torch.parametros_de_transformer_pytorch(con_torch.CapaCodificador(ED))
