"""Casos de prueba del capítulo 10 (visión): argumentos NumPy para cada función gemela.

Las claves son ``nombre`` o ``nombre:variante``; la parte antes de ``:`` es la función.
"""

from __future__ import annotations

import numpy as np


def _lineal(rng, salida, entrada):
    """Pesos (salida, entrada) y sesgo con escala 1/√entrada (valores de orden 1)."""
    return rng.standard_normal((salida, entrada)) / np.sqrt(entrada), rng.standard_normal(salida) * 0.1


def _swin(rng, C=6, n_cabezas=2, M=4):
    W_qkv, b_qkv = _lineal(rng, 3 * C, C)
    W_o, b_o = _lineal(rng, C, C)
    return W_qkv, b_qkv, W_o, b_o, rng.standard_normal(((2 * M - 1) ** 2, n_cabezas))


def _norma(rng, d):
    return 1 + 0.1 * rng.standard_normal(d), 0.1 * rng.standard_normal(d)


def pesos_bloque_vit(rng, D=8, d_mlp=16):
    """Los 12 pesos de ``bloque_vit`` en su orden: LN, W_qkv, b_qkv, W_o, b_o, LN, MLP."""
    W_qkv, b_qkv = _lineal(rng, 3 * D, D)
    W_o, b_o = _lineal(rng, D, D)
    W_1, b_1 = _lineal(rng, d_mlp, D)
    W_2, b_2 = _lineal(rng, D, d_mlp)
    return (*_norma(rng, D), W_qkv, b_qkv, W_o, b_o, *_norma(rng, D), W_1, b_1, W_2, b_2)


def pesos_bloque_swin(rng, C=6, n_cabezas=2, M=4, d_mlp=12):
    """Diccionario con los pesos de un ``bloque_swin``."""
    W_qkv, b_qkv, W_o, b_o, tabla_sesgo = _swin(rng, C, n_cabezas, M)
    (gamma_1, beta_1), (gamma_2, beta_2) = _norma(rng, C), _norma(rng, C)
    W_1, b_1 = _lineal(rng, d_mlp, C)
    W_2, b_2 = _lineal(rng, C, d_mlp)
    nombres = "gamma_1 beta_1 W_qkv b_qkv W_o b_o tabla_sesgo gamma_2 beta_2 W_1 b_1 W_2 b_2".split()
    valores = (gamma_1, beta_1, W_qkv, b_qkv, W_o, b_o, tabla_sesgo, gamma_2, beta_2, W_1, b_1, W_2, b_2)
    return dict(zip(nombres, valores))


def casos(rng):
    """Diccionario clave → (args, kwargs) con entradas NumPy float64."""
    imagen = rng.standard_normal((2, 3, 8, 12))  # (B, C, H, W), P = 4 → N = 6
    E, b_E = _lineal(rng, 5, 48)
    mapa = rng.standard_normal((2, 8, 12, 6))  # (B, H, W, C)
    z_L = rng.standard_normal((2, 7, 5))
    W_cabeza, b_cabeza = _lineal(rng, 4, 5)
    swin = _swin(rng)
    return {
        "dividir_en_parches": ((imagen, 4), {}),
        "dividir_en_parches:sin_lote": ((imagen[0, :, :, :8], 2), {}),
        "incrustar_parches": ((imagen, 4, E, b_E, rng.standard_normal(5), rng.standard_normal((7, 5))), {}),
        "clasificar_imagen": ((z_L, 1 + 0.1 * rng.standard_normal(5), rng.standard_normal(5), W_cabeza, b_cabeza), {}),
        "particionar_ventanas": ((mapa, 4), {}),
        "revertir_ventanas": ((rng.standard_normal((2, 6, 16, 6)), 8, 12), {}),
        "indice_posicion_relativa": ((3,), {}),
        "mascara_ventanas_desplazadas": ((8, 12, 4, 2), {}),
        "atencion_ventanas:W-MSA": ((mapa, *swin, 2, 4), {}),
        "atencion_ventanas:SW-MSA": ((mapa, *swin, 2, 4), {"desplazamiento": 2}),
        "atencion_ventanas:desplazamiento_1": ((mapa[0], *swin, 2, 4), {"desplazamiento": 1}),
        "bloque_vit": ((rng.standard_normal((2, 7, 8)), *pesos_bloque_vit(rng), 2), {}),
        "bloque_swin": ((mapa,), {**pesos_bloque_swin(rng), "n_cabezas": 2, "M": 4, "desplazamiento": 2}),
        "bloques_swin": ((mapa, pesos_bloque_swin(rng), pesos_bloque_swin(rng), 2, 4), {}),
        "fusionar_parches": (
            (mapa, 1 + 0.1 * rng.standard_normal(24), rng.standard_normal(24), _lineal(rng, 12, 24)[0]),
            {},
        ),
        "coste_atencion_swin": ((56, 56, 96, 7), {}),
    }
