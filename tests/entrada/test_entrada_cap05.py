"""Entradas erróneas del capítulo 5: cada función pública lanza un error claro en español (regex)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from transformadores import ErrorDeForma, con_numpy, con_torch

GEMELOS = pytest.mark.parametrize("g", [con_numpy, con_torch], ids=["numpy", "torch"])


def _arr(g, *forma, dtype=None):
    x = np.ones(forma, dtype=dtype or np.float64)
    return torch.from_numpy(x) if g is con_torch else x


def _tokens(g, *valores):
    x = np.array([valores])
    return torch.from_numpy(x) if g is con_torch else x


@pytest.mark.ecuacion("incrustacion-token")
@GEMELOS
def test_incrustacion_token_rechaza_indices(g):
    W_E = _arr(g, 10, 4)
    with pytest.raises(ErrorDeForma, match=r"'x' debe contener índices entre 0 y N_V-1=9 .* entre 2 y 10"):
        g.incrustacion_token(_tokens(g, 2, 10), W_E)
    with pytest.raises(ErrorDeForma, match=r"entre -1 y 3"):
        g.incrustacion_token(_tokens(g, -1, 3), W_E)
    with pytest.raises(TypeError, match=r"'x' debe contener índices de token enteros, pero se recibió dtype"):
        g.incrustacion_token(_arr(g, 2, 3), W_E)
    with pytest.raises(ErrorDeForma, match=r"'W_E' debe tener forma \(N_V, d_modelo\), pero se recibió \(10,\)"):
        g.incrustacion_token(_tokens(g, 1), _arr(g, 10))


@pytest.mark.ecuacion("incrustacion-posicional-aprendida")
@GEMELOS
def test_posicional_aprendida_no_extrapola(g):
    with pytest.raises(
        ErrorDeForma, match=r"inicio \+ T = 12 supera l_max=10 \(filas de 'W_P'\)\. Una tabla aprendida no extrapola"
    ):
        g.incrustacion_posicional_aprendida(5, _arr(g, 10, 4), inicio=7)
    with pytest.raises(ErrorDeForma, match=r"'inicio' debe ser un entero mayor o igual que 0, pero se recibió -1"):
        g.incrustacion_posicional_aprendida(5, _arr(g, 10, 4), inicio=-1)


@pytest.mark.ecuacion("incrustacion-inicial-suma")
@GEMELOS
def test_incrustacion_inicial_rechaza_tablas(g):
    with pytest.raises(
        ErrorDeForma, match=r"'W_P' debe tener forma \(l_max, d_modelo\) con d_modelo=4 \(tomado de 'W_E'\)"
    ):
        g.incrustacion_inicial(_tokens(g, 1, 2), _arr(g, 10, 4), _arr(g, 8, 6))
    with pytest.raises(ErrorDeForma, match=r"'p' debe ser una probabilidad entre 0 y 1, pero se recibió 1.5"):
        g.incrustacion_inicial(_tokens(g, 1, 2), _arr(g, 10, 4), _arr(g, 8, 4), p=1.5)


@pytest.mark.ecuacion("codificacion-posicional-sinusoidal")
@GEMELOS
def test_sinusoidal_rechaza_dimensiones(g):
    with pytest.raises(ErrorDeForma, match=r"'d_modelo' debe ser par .* se recibió 7"):
        g.codificacion_posicional_sinusoidal(5, 7)
    with pytest.raises(ErrorDeForma, match=r"'T' debe ser un entero positivo, pero se recibió 0"):
        g.codificacion_posicional_sinusoidal(0, 8)
    with pytest.raises(ErrorDeForma, match=r"'base' debe ser un número positivo"):
        g.codificacion_posicional_sinusoidal(5, 8, base=-1.0)


@pytest.mark.ecuacion("sinusoidal-base-lmax-phuong-hutter")
@GEMELOS
def test_phuong_hutter_rechaza_dimensiones(g):
    with pytest.raises(ErrorDeForma, match=r"'d_e' debe ser par"):
        g.sinusoidal_phuong_hutter(5, 3)
    with pytest.raises(ErrorDeForma, match=r"'l_max' debe ser un entero positivo, pero se recibió 2.5"):
        g.sinusoidal_phuong_hutter(2.5, 4)


@pytest.mark.ecuacion("codificacion-posicional-desplazamiento")
@GEMELOS
def test_desplazamiento_rechaza_k(g):
    with pytest.raises(ErrorDeForma, match=r"'k' debe ser un número entero, pero se recibió 1.5"):
        g.matriz_desplazamiento(1.5, 8)
    with pytest.raises(ErrorDeForma, match=r"'d_modelo' debe ser par"):
        g.matriz_desplazamiento(1, 5)


@pytest.mark.ecuacion("rope-rotatoria")
@GEMELOS
def test_rope_rechaza_entradas(g):
    with pytest.raises(ErrorDeForma, match=r"'d \(última dimensión de 'x'\)' debe ser par .* se recibió 5"):
        g.aplicar_rope(_arr(g, 3, 5))
    with pytest.raises(TypeError, match=r"'x' debe ser de coma flotante"):
        g.aplicar_rope(_arr(g, 3, 4, dtype=np.int64))
    with pytest.raises(ErrorDeForma, match=r"'x' debe tener forma \(\.\.\., T, d\), pero se recibió \(4,\)"):
        g.aplicar_rope(_arr(g, 4))


@pytest.mark.ecuacion("posicion-relativa-shaw")
@GEMELOS
def test_shaw_rechaza_entradas(g):
    X, W = _arr(g, 2, 6, 5), (_arr(g, 4, 5), _arr(g, 4, 5), _arr(g, 3, 5))
    with pytest.raises(ErrorDeForma, match=r"'w_K' debe tener 2k\+1 filas .* impar, pero se recibió 4"):
        g.atencion_relativa_shaw(X, *W, _arr(g, 4, 4), _arr(g, 4, 3))
    with pytest.raises(ErrorDeForma, match=r"'w_V' debe tener forma \(2k\+1, d_v\) con 2k\+1=5 \(tomado de 'w_K'\)"):
        g.atencion_relativa_shaw(X, *W, _arr(g, 5, 4), _arr(g, 3, 3))
    with pytest.raises(ErrorDeForma, match=r"'mascara' debe poder difundirse a \(\.\.\., T, S\) con T=6"):
        g.atencion_relativa_shaw(X, *W, _arr(g, 5, 4), _arr(g, 5, 3), _arr(g, 6, 5, dtype=bool))


@pytest.mark.ecuacion("alibi-sesgo-lineal")
@GEMELOS
def test_alibi_rechaza_entradas(g):
    with pytest.raises(ErrorDeForma, match=r"'n_cabezas' debe ser un entero positivo, pero se recibió 0"):
        g.sesgo_alibi(0, 4)
    with pytest.raises(ErrorDeForma, match=r"'S' debe ser un entero positivo"):
        g.sesgo_alibi(2, 4, S=-3)
    with pytest.raises(ErrorDeForma, match=r"'n_cabezas' debe ser un entero positivo"):
        g.pendientes_alibi(-2)


@pytest.mark.ecuacion("desincrustacion-softmax")
@pytest.mark.ecuacion("pesos-atados")
@GEMELOS
def test_desincrustacion_rechaza_formas(g):
    with pytest.raises(
        ErrorDeForma, match=r"'W_u' debe tener forma \(N_V, d_modelo\) con d_modelo=8 \(tomado de 'h'\)"
    ):
        g.desincrustacion(_arr(g, 2, 8), _arr(g, 11, 6))
    with pytest.raises(ErrorDeForma, match=r"'b_u' debe tener forma \(N_V,\) con N_V=11"):
        g.desincrustacion(_arr(g, 2, 8), _arr(g, 11, 8), _arr(g, 10))
    with pytest.raises(ErrorDeForma, match=r"'W_u' debe tener forma"):
        g.desincrustacion_atada(_arr(g, 2, 8), _arr(g, 11, 6))


def test_modulos_rechazan_configuracion():
    with pytest.raises(ErrorDeForma, match=r"'posicional' debe ser uno de \('aprendida', 'sinusoidal', None\)"):
        con_torch.Incrustacion(10, 8, 16, posicional="rotatoria")
    with pytest.raises(ErrorDeForma, match=r"'pesos' debe tener forma \(11, 8\), pero se recibió \(10, 8\)"):
        con_torch.Desincrustacion(8, 11, pesos=con_torch.Incrustacion(10, 8, 16).W_E)
    with pytest.raises(TypeError, match=r"'pesos' debe ser un nn.Parameter"):
        con_torch.Desincrustacion(8, 11, pesos=torch.ones(11, 8))
    with pytest.raises(
        ErrorDeForma, match=r"'PE' no tiene fila para las posiciones pedidas: inicio \+ T = 9 supera l_max=8"
    ):
        con_torch.CodificacionSinusoidal(4, l_max=8)(torch.ones(2, 5, 4), inicio=4)
