"""Ejercicios del capítulo 12: aprendizaje multimodal con CLIP (incrustaciones, pérdida simétrica, temperatura)."""

from __future__ import annotations

import math

import numpy as np

from .. import con_numpy as cn
from .tipos import Caso, Ejercicio, ErrorTipico, ejercicio_de_valor, normal

__all__ = ["EJERCICIOS"]
F32 = np.float32


# --- clip-normalizar -----------------------------------------------------------------------------------------------
def _casos_normalizar(rng) -> list[Caso]:
    def caso(n, m, d_i, d_t, d_e, lote=(), dtype=np.float64, escala=1.0):
        return (normal(rng, *lote, n, d_i, dtype=dtype, escala=escala), normal(rng, *lote, m, d_t, dtype=dtype,
                escala=escala), normal(rng, d_e, d_i, dtype=dtype), normal(rng, d_e, d_t, dtype=dtype))  # fmt: skip

    return [
        Caso("4 imágenes y 4 textos, d_i = 6, d_t = 5, d_e = 3", caso(4, 4, 6, 5, 3)),
        Caso("3 imágenes y 7 textos, en float32", caso(3, 7, 8, 4, 5, dtype=F32)),
        Caso("un lote (2, 4, ·) de pares", caso(4, 4, 6, 6, 4, lote=(2,))),
        Caso("rasgos grandes (×100)", caso(5, 5, 7, 3, 6, escala=100.0)),
    ]


def _normalizar_mal(I_f, T_f, W_i, W_t, fallo):
    def una(x, W):
        if fallo == "antes":  # normaliza los rasgos y después proyecta
            return (x / np.linalg.norm(x, axis=-1, keepdims=True)) @ W.T
        y = x @ W.T
        if fallo == "columnas":
            return y / np.linalg.norm(y, axis=-2, keepdims=True)
        return y / np.abs(y).sum(axis=-1, keepdims=True)  # norma L1

    return una(I_f, W_i), una(T_f, W_t)


# --- clip-perdida --------------------------------------------------------------------------------------------------
def _casos_perdida(rng) -> list[Caso]:
    return [
        Caso("4 pares, logits ×3", (normal(rng, 4, 4, escala=3.0),)),
        Caso("8 pares en float32", (normal(rng, 8, 8, dtype=F32, escala=5.0),)),
        Caso("un solo par (n = 1)", (normal(rng, 1, 1),)),
        Caso("logits grandes (×100): hay que restar el máximo", (normal(rng, 6, 6, escala=100.0),)),
    ]


def _perdida_mal(logits, fallo):
    filas = -np.diagonal(cn.log_softmax(logits, eje=-1)).mean()
    columnas = -np.diagonal(cn.log_softmax(logits, eje=0)).mean()
    if fallo == "solo filas":
        return filas
    if fallo == "sin mitad":
        return filas + columnas
    global_ = cn.log_softmax(logits.reshape(-1), eje=-1).reshape(logits.shape)  # softmax sobre toda la matriz
    return -np.diagonal(global_).mean()


# --- clip-temperatura-perdida (experimento) ------------------------------------------------------------------------
def _casos_temperatura(rng) -> list[Caso]:
    escalas = np.array([1.0, 3.0, 10.0, 30.0, 100.0])
    semilla = lambda: int(rng.integers(0, 2**31))  # noqa: E731
    return [
        Caso("16 pares con ruido 0.5", (16, 8, 0.5, escalas, semilla())),
        Caso("pares perfectos (ruido 0)", (16, 8, 0.0, escalas, semilla())),
        Caso("mucho ruido (2.0), 32 pares", (32, 16, 2.0, escalas, semilla())),
        Caso("4 pares, d_e = 3", (4, 3, 0.3, escalas, semilla())),
    ]


def _perdidas_por_escala(n, d_e, ruido, escalas, semilla, fallo=None):
    rng = np.random.default_rng(semilla)
    T_e = rng.standard_normal((n, d_e))
    T_e /= np.linalg.norm(T_e, axis=-1, keepdims=True)
    I_e = T_e + ruido * rng.standard_normal((n, d_e))
    if fallo != "sin normalizar":
        I_e /= np.linalg.norm(I_e, axis=-1, keepdims=True)
    perdidas = []
    for s in escalas:
        logits = I_e @ T_e.T * (1 / s if fallo == "divide" else s)
        perdidas.append(-np.diagonal(cn.log_softmax(logits, eje=-1)).mean() if fallo == "solo filas"
                        else cn.clip_perdida(logits))  # fmt: skip
    return np.array(perdidas)


EJERCICIOS = (
    Ejercicio(
        "clip-normalizar",
        "Proyectar y normalizar",
        12,
        "funcion",
        "clip-incrustaciones-normalizadas",
        "incrustaciones_clip",
        cn.clip_incrustaciones,
        _casos_normalizar,
        (
            ErrorTipico(
                "normalizar antes de proyectar",
                lambda *a: _normalizar_mal(*a, "antes"),
                "Normalizas los rasgos y DESPUÉS proyectas: tras la proyección la norma ya no es 1. Primero "
                "x @ W.T y luego divide cada fila entre su norma.",
            ),
            ErrorTipico(
                "norma por columnas",
                lambda *a: _normalizar_mal(*a, "columnas"),
                "Divides entre la norma de cada COLUMNA (axis=-2): cada incrustación es una fila y es su norma "
                "la que debe valer 1 (axis=-1, keepdims=True).",
            ),
            ErrorTipico(
                "norma L1",
                lambda *a: _normalizar_mal(*a, "L1"),
                "Divides entre la suma de valores absolutos (norma L1); CLIP usa la norma euclídea (L2): "
                "np.linalg.norm(y, axis=-1, keepdims=True).",
            ),
        ),
    ),
    Ejercicio(
        "clip-perdida",
        "La pérdida simétrica de CLIP",
        12,
        "funcion",
        "clip-perdida-simetrica",
        "perdida_clip",
        cn.clip_perdida,
        _casos_perdida,
        (
            ErrorTipico(
                "solo imagen → texto",
                lambda z: _perdida_mal(z, "solo filas"),
                "Solo calculas la entropía cruzada por filas (imagen → texto). La pérdida de CLIP es SIMÉTRICA: "
                "promedia también la de las columnas (texto → imagen).",
            ),
            ErrorTipico(
                "sin dividir entre 2",
                lambda z: _perdida_mal(z, "sin mitad"),
                "Sumas las dos direcciones: la pérdida es su MEDIA, (filas + columnas) / 2.",
            ),
            ErrorTipico(
                "softmax sobre toda la matriz",
                lambda z: _perdida_mal(z, "global"),
                "Normalizas el softmax sobre las n² casillas a la vez: cada imagen elige entre los n textos de su "
                "FILA (log_softmax por filas) y cada texto, entre las n imágenes de su COLUMNA.",
            ),
        ),
    ),
    ejercicio_de_valor(
        "clip-perdida-uniforme",
        "La pérdida de un modelo que no distingue nada",
        12,
        "clip-perdida-simetrica",
        "perdida_uniforme",
        lambda: cn.clip_perdida(np.zeros((8, 8))),
        (
            (
                "cero",
                0.0,
                "Una pérdida 0 exige que cada imagen elija su texto con probabilidad 1; aquí todas las "
                "casillas son iguales.",
            ),
            (
                "la probabilidad",
                1 / 8,
                "1/8 es la probabilidad que recibe el par correcto; la pérdida es menos su logaritmo.",
            ),
            ("sin dividir entre 2", 2 * math.log(8), "Has sumado las dos direcciones: la pérdida es su media."),
        ),
        tolerancia=(1e-3, 1e-3),
    ),
    ejercicio_de_valor(
        "clip-diagonal-inicial",
        "La diagonal de los logits al empezar",
        12,
        "clip-logits-temperatura",
        "diagonal_inicial",
        lambda: np.diagonal(cn.clip_logits(np.eye(4), np.eye(4))),
        (
            ("sin la escala", (1.0, 1.0, 1.0, 1.0), "Eso es el coseno; los logits lo multiplican por e^t."),
            ("por la temperatura", (0.07,) * 4, "Multiplicas por 0.07: e^t con t = log(1/0.07) es 1/0.07."),
            ("la escala máxima", (100.0,) * 4, "100 es el tope de e^t; al empezar, e^t = 1/0.07."),
        ),
        tolerancia=(1e-3, 1e-3),
    ),
    Ejercicio(
        "clip-temperatura-perdida",
        "Experimento: ¿por qué se aprende la temperatura?",
        12,
        "experimento",
        "clip-logits-temperatura",
        "perdidas_por_escala",
        _perdidas_por_escala,
        _casos_temperatura,
        (
            ErrorTipico(
                "dividir entre la escala",
                lambda *a: _perdidas_por_escala(*a, fallo="divide"),
                "Divides los cosenos entre la escala: los logits son cosenos POR e^t (dividir es usar τ = e^t).",
            ),
            ErrorTipico(
                "sin normalizar las imágenes",
                lambda *a: _perdidas_por_escala(*a, fallo="sin normalizar"),
                "No normalizas I_e tras sumar el ruido: sin norma 1, I_e T_eᵀ ya no son cosenos.",
            ),
            ErrorTipico(
                "solo imagen → texto",
                lambda *a: _perdidas_por_escala(*a, fallo="solo filas"),
                "Calculas solo la entropía cruzada por filas: usa la pérdida simétrica de CLIP (clip_perdida).",
            ),
        ),
        comparar_dtype=False,
        prohibidas=(),
    ),
)
