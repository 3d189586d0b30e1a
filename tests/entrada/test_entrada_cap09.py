"""Entradas erróneas del capítulo 9: muestreo, bucles de inferencia, búsqueda en haz y caché K/V (regex)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from paridad.casos_cap07 import config_ed, config_gpt, parametros
from transformadores import ErrorDeForma, con_numpy, con_torch

GEMELOS = pytest.mark.parametrize("g", [con_numpy, con_torch], ids=["numpy", "torch"])
GPT, ED = config_gpt(), config_ed()


def _a(g, x):
    if g is con_numpy:
        return x
    if isinstance(x, dict):
        return {k: _a(g, v) for k, v in x.items()}
    if isinstance(x, list):
        return [_a(g, v) for v in x]
    return torch.from_numpy(x) if isinstance(x, np.ndarray) else x


@pytest.mark.ecuacion("decodificacion-voraz")
@pytest.mark.ecuacion("muestreo-temperatura")
@GEMELOS
def test_muestreo_rechaza_logits_y_temperaturas_malas(g):
    with pytest.raises(TypeError, match=r"'logits' debe ser de coma flotante"):
        g.decodificacion_voraz(_a(g, np.ones((2, 4), int)))
    with pytest.raises(ErrorDeForma, match=r"'logits' contiene NaN o \+inf; solo se admite -inf"):
        g.muestreo_temperatura(_a(g, np.array([[0.0, np.nan]])))
    with pytest.raises(ErrorDeForma, match=r"'logits' tiene alguna fila sin ningún valor finito"):
        g.muestrear(_a(g, np.array([[0.0, 1.0], [-np.inf, -np.inf]])))
    with pytest.raises(ErrorDeForma, match=r"'tau' debe ser un número en \[0.0, inf\), pero se recibió -1.0"):
        g.muestreo_temperatura(_a(g, np.zeros((2, 4))), -1.0)
    with pytest.raises(ErrorDeForma, match=r"'tau' debe ser un número .* pero se recibió inf"):
        g.muestreo_temperatura(_a(g, np.zeros((2, 4))), float("inf"))


@pytest.mark.ecuacion("muestreo-top-k")
@pytest.mark.ecuacion("muestreo-nucleo-top-p")
@GEMELOS
def test_top_k_y_nucleo_rechazan_k_y_p_malos(g):
    z = _a(g, np.zeros((2, 4)))
    with pytest.raises(
        ErrorDeForma,
        match=(r"'k' debe ser un entero entre 1 y N_V=4 \(tomado de 'logits'\), pero se recibió 5"),
    ):
        g.muestreo_top_k(z, 5)
    with pytest.raises(ErrorDeForma, match=r"'k' debe ser un entero entre 1 y N_V=4 .* pero se recibió 2.0"):
        g.filtrar_top_k(z, 2.0)
    with pytest.raises(ErrorDeForma, match=r"'p' debe ser un número en \(0.0, 1.0\], pero se recibió 0"):
        g.muestreo_nucleo(z, 0)
    with pytest.raises(ErrorDeForma, match=r"'p' debe ser un número en \(0.0, 1.0\], pero se recibió 1.5"):
        g.filtrar_nucleo(z, 1.5)


@pytest.mark.ecuacion("muestreo-temperatura")
@GEMELOS
def test_inferencia_decodificador_rechaza_entradas(g):
    p = _a(g, parametros(GPT))
    x = _a(g, np.ones((2, 4), int))
    with pytest.raises(ErrorDeForma, match=r"El prefijo \(T=4\) más 'n_generar'=13 tokens no cabe en l_max=16"):
        g.inferencia_decodificador(x, p, GPT, 13)
    with pytest.raises(ErrorDeForma, match=r"'n_generar' debe ser un entero positivo, pero se recibió 0"):
        g.inferencia_decodificador(x, p, GPT, 0)
    with pytest.raises(TypeError, match=r"'x' debe contener ids de token enteros, pero se recibió dtype"):
        g.inferencia_decodificador(_a(g, np.ones((2, 4))), p, GPT, 2)
    with pytest.raises(
        ErrorDeForma,
        match=(r"'inferencia_decodificador' necesita una configuración de tipo 'solo-decodificador'"),
    ):
        g.inferencia_decodificador(x, _a(g, parametros(ED)), ED, 2)


@pytest.mark.ecuacion("inferencia-seq2seq-bucle")
@GEMELOS
def test_inferencia_seq2seq_rechaza_entradas(g):
    p, z = _a(g, parametros(ED)), _a(g, np.ones((2, 4), int))
    with pytest.raises(ErrorDeForma, match=r"'eos' debe ser un id de token entre 0 y N_V-1=10, pero se recibió 11"):
        g.inferencia_seq2seq(z, p, ED, 8, 11)
    with pytest.raises(ErrorDeForma, match=r"'longitud_max'=20 supera l_max=16 de la configuración"):
        g.inferencia_seq2seq(z, p, ED, 8, 9, longitud_max=20)
    with pytest.raises(
        ErrorDeForma,
        match=(
            r"'z' debe contener ids entre 0 y N_V-1=10 \(de la configuración\), pero se recibieron "
            r"valores entre 1 y 12"
        ),
    ):
        g.inferencia_seq2seq(_a(g, np.array([[1, 12]])), p, ED, 8, 9)


@pytest.mark.ecuacion("busqueda-haz")
@GEMELOS
def test_busqueda_haz_rechaza_entradas(g):
    p = _a(g, parametros(GPT))
    with pytest.raises(ErrorDeForma, match=r"'x' debe tener forma \(T,\), pero se recibió \(2, 3\)"):
        g.busqueda_haz(_a(g, np.ones((2, 3), int)), p, GPT, 2)
    with pytest.raises(ErrorDeForma, match=r"'n_haz' debe ser un entero positivo, pero se recibió 0"):
        g.busqueda_haz(_a(g, np.ones(3, int)), p, GPT, 2, n_haz=0)
    with pytest.raises(ErrorDeForma, match=r"'alfa' debe ser un número en \[0.0, ∞\), pero se recibió -0.5"):
        g.busqueda_haz(_a(g, np.ones(3, int)), p, GPT, 2, alfa=-0.5)
    with pytest.raises(
        ErrorDeForma,
        match=(r"'busqueda_haz' necesita una configuración de tipo 'codificador-decodificador'"),
    ):
        g.busqueda_haz(_a(g, np.ones(3, int)), p, GPT, 2, z=_a(g, np.ones(3, int)))


@pytest.mark.ecuacion("cache-kv")
@GEMELOS
def test_cache_kv_rechaza_entradas(g):
    p = _a(g, parametros(GPT))
    x = _a(g, np.ones((2, 3), int))
    _, cache = g.decodificacion_con_cache(x, p, GPT)
    with pytest.raises(
        ErrorDeForma,
        match=(
            r"'cache' debe ser None o una lista de 2 capas \(n_capas_decodificador\), pero se "
            r"recibió 1"
        ),
    ):
        g.decodificacion_con_cache(x, p, GPT, cache[:1])
    with pytest.raises(
        ErrorDeForma,
        match=(
            r"'cache\[0\]\['K'\]' debe tener las dimensiones de lote de 'x' \(1,\), pero tiene "
            r"\(2,\)"
        ),
    ):
        g.decodificacion_con_cache(x[:1], p, GPT, cache)
    with pytest.raises(ErrorDeForma, match=r"'cache\[1\]' debe ser un diccionario con las claves 'K' y 'V'"):
        g.decodificacion_con_cache(x, p, GPT, [cache[0], {"K": cache[1]["K"]}])
    with pytest.raises(
        ErrorDeForma,
        match=(r"'W_P' no tiene fila para las posiciones pedidas: inicio \+ T = 17 supera l_max=16"),
    ):
        g.decodificacion_con_cache(_a(g, np.ones((2, 14), int)), p, GPT, cache)
    with pytest.raises(
        ErrorDeForma,
        match=(r"'decodificacion_con_cache' necesita una configuración de tipo 'solo-decodificador'"),
    ):
        g.decodificacion_con_cache(x, _a(g, parametros(ED)), ED)
