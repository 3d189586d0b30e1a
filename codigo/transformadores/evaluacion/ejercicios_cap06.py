"""Ejercicios del capítulo 6: normalización de capa, GELU, Pre-LN y la red posicional."""

from __future__ import annotations

import math

import numpy as np

from .. import con_numpy as cn
from .tipos import Caso, Ejercicio, ErrorTipico, ejercicio_de_valor, normal

__all__ = ["EJERCICIOS"]
F32 = np.float32
EPS = 1e-5


# --- normalizacion-capa --------------------------------------------------------------------------------------------
def _casos_ln(rng) -> list[Caso]:
    def caso(*forma, dtype=np.float64, escala=1.0, centro=0.0):
        d = forma[-1]
        x = (normal(rng, *forma, escala=escala) + centro).astype(dtype)
        return x, (1 + normal(rng, d, escala=0.2)).astype(dtype), normal(rng, d, dtype=dtype, escala=0.2), EPS

    return [
        Caso("x (4, 8), con γ y β", caso(4, 8)),
        Caso("un lote (2, 3, 16), en float32", caso(2, 3, 16, dtype=F32)),
        Caso("un solo rasgo (d = 1)", caso(3, 1)),
        Caso("valores grandes: media 100 y desviación 10", caso(5, 6, escala=10, centro=100)),
        Caso("dos dimensiones de lote (2, 2, 3, 6)", caso(2, 2, 3, 6)),
    ]


def _ln_mal(x, gamma, beta, eps, ddof=0, eps_fuera=False, cambiados=False, eje=-1):
    mu = x.mean(axis=eje, keepdims=True)
    var = x.var(axis=eje, keepdims=True, ddof=ddof)
    x_n = (x - mu) / (np.sqrt(var) + eps if eps_fuera else np.sqrt(var + eps))
    return x_n * beta + gamma if cambiados else x_n * gamma + beta


# --- gelu ----------------------------------------------------------------------------------------------------------
def _casos_gelu(rng) -> list[Caso]:
    return [
        Caso("un vector de 7 valores", (normal(rng, 7, escala=2),)),
        Caso("un lote (2, 3, 4), en float32", (normal(rng, 2, 3, 4, dtype=F32, escala=2),)),
        Caso("un solo valor", (normal(rng, 1),)),
        Caso("valores grandes, hasta ±30", (normal(rng, 8, escala=15),)),
    ]


def _gelu_sigmoide(x):
    return x * 0.5 * (1 + np.tanh(0.5 * 1.702 * x))  # x·σ(1.702 x)


# --- pre-ln --------------------------------------------------------------------------------------------------------
def _casos_pre_ln(rng) -> list[Caso]:
    def caso(*forma, dtype=np.float64, escala=1.0):
        d = forma[-1]
        return (
            normal(rng, *forma, dtype=dtype, escala=escala),
            normal(rng, d, d, dtype=dtype, escala=1 / math.sqrt(d)),
            (1 + normal(rng, d, escala=0.2)).astype(dtype),
            normal(rng, d, dtype=dtype, escala=0.2),
        )

    return [
        Caso("x (4, 8)", caso(4, 8)),
        Caso("un lote (2, 5, 16), en float32", caso(2, 5, 16, dtype=F32)),
        Caso("una sola posición: x (1, 8)", caso(1, 8)),
        Caso("valores grandes (×100)", caso(4, 8, escala=100)),
    ]


def _subcapa(W):
    return lambda u: np.tanh(u @ W.T)


# --- normas-residuo ------------------------------------------------------------------------------------------------
def _casos_normas(rng) -> list[Caso]:
    def caso(L, *forma, escala=1.0):
        d = forma[-1]
        return (
            normal(rng, *forma, escala=escala),
            normal(rng, L, d, d, escala=1 / math.sqrt(d)),
            1 + normal(rng, d, escala=0.2),
            normal(rng, d, escala=0.2),
        )

    return [
        Caso("x (6, 16), 4 capas", caso(4, 6, 16)),
        Caso("un lote (2, 5, 8), 6 capas", caso(6, 2, 5, 8)),
        Caso("una sola capa", caso(1, 3, 8)),
        Caso("entrada grande (×10), 3 capas", caso(3, 4, 8, escala=10)),
    ]


def _normas(x, Ws, gamma, beta, bloque=cn.pre_ln, medida="rms", incluir_entrada=False):
    def medir(y):
        return np.linalg.norm(y, axis=-1).mean() if medida == "l2" else np.sqrt((y**2).mean(axis=-1)).mean()

    normas = [medir(x)] if incluir_entrada else []
    for W in Ws:
        x = bloque(x, _subcapa(W), gamma, beta)  # una subcapa de la pila
        normas.append(medir(x))
    return np.array(normas)


def _parametros_ffn(d_modelo=512, d_ff=2048):
    W_1, b_1, W_2, b_2 = np.zeros((d_ff, d_modelo)), np.zeros(d_ff), np.zeros((d_modelo, d_ff)), np.zeros(d_modelo)
    cn.red_posicional(np.zeros((1, d_modelo)), W_1, b_1, W_2, b_2)  # comprueba que las formas encajan
    return sum(a.size for a in (W_1, b_1, W_2, b_2))


EJERCICIOS = (
    Ejercicio(
        "normalizacion-capa",
        "Normalización de capa",
        6,
        "funcion",
        "normalizacion-capa",
        "normalizacion_capa",
        cn.normalizacion_capa,
        _casos_ln,
        (
            ErrorTipico(
                "varianza insesgada",
                lambda *a: _ln_mal(*a, ddof=1),
                "Usas la varianza insesgada (ddof=1, dividir entre d-1): LayerNorm usa la sesgada, 1/d "
                "(np.var por omisión). Con d = 1 además divides entre 0.",
            ),
            ErrorTipico(
                "ε fuera de la raíz",
                lambda *a: _ln_mal(*a, eps_fuera=True),
                "Sumas ε a la desviación típica; va DENTRO de la raíz: (x - μ) / √(σ² + ε).",
            ),
            ErrorTipico(
                "γ y β intercambiados",
                lambda *a: _ln_mal(*a, cambiados=True),
                "Intercambias γ y β: γ multiplica (escala) y β se suma (desplazamiento).",
            ),
            ErrorTipico(
                "eje equivocado",
                lambda *a: _ln_mal(*a, eje=0),
                "Normalizas sobre el eje 0 (como BatchNorm); LayerNorm normaliza cada token por separado, "
                "sobre la última dimensión (axis=-1).",
            ),
        ),
    ),
    Ejercicio(
        "gelu",
        "GELU exacta",
        6,
        "funcion",
        "gelu",
        "gelu",
        cn.gelu,
        _casos_gelu,
        (
            ErrorTipico(
                "aproximación con tanh",
                lambda x: cn.gelu(x, aproximada=True),
                "Usas la aproximación con tanh de GPT-2; se pide la GELU exacta, x·Φ(x) con erf.",
            ),
            ErrorTipico(
                "aproximación sigmoide",
                _gelu_sigmoide,
                "x·σ(1.702x) es otra aproximación; se pide la exacta, x/2 · (1 + erf(x/√2)).",
            ),
            ErrorTipico("ReLU", lambda x: np.maximum(x, 0), "Eso es ReLU: la GELU es suave y negativa cerca de 0."),
        ),
    ),
    Ejercicio(
        "pre-ln",
        "Una subcapa Pre-LN",
        6,
        "funcion",
        "pre-ln",
        "subcapa_pre_ln",
        lambda x, W, gamma, beta: cn.pre_ln(x, _subcapa(W), gamma, beta),
        _casos_pre_ln,
        (
            ErrorTipico(
                "Post-LN",
                lambda x, W, g, b: cn.post_ln(x, _subcapa(W), g, b),
                "Eso es Post-LN, LN(x + f(x)); en Pre-LN la normalización va antes: x + f(LN(x)).",
            ),
            ErrorTipico(
                "sin conexión residual",
                lambda x, W, g, b: _subcapa(W)(cn.normalizacion_capa(x, g, b)),
                "Te falta sumar x: la conexión residual es lo que deja pasar el gradiente.",
            ),
            ErrorTipico(
                "normalizas la salida",
                lambda x, W, g, b: x + cn.normalizacion_capa(_subcapa(W)(x), g, b),
                "Normalizas la salida de la subcapa; en Pre-LN se normaliza su ENTRADA: x + f(LN(x)).",
            ),
        ),
    ),
    ejercicio_de_valor(
        "parametros-ffn",
        "Parámetros de la red posicional",
        6,
        "red-posicional-ffn",
        "n_parametros_ffn",
        _parametros_ffn,
        (
            ("sin sesgos", 2 * 512 * 2048, "Te faltan los sesgos b_1 (d_ff) y b_2 (d_modelo)."),
            ("una sola capa", 512 * 2048 + 2048, "La red posicional tiene DOS capas lineales: W_1 y W_2."),
            ("d_ff = d_modelo", _parametros_ffn(512, 512), "La capa oculta es 4 veces más ancha: d_ff = 2048."),
        ),
    ),
    Ejercicio(
        "normas-residuo",
        "Experimento: la norma del camino residual en Pre-LN",
        6,
        "experimento",
        "pre-ln",
        "normas_por_capa",
        _normas,
        _casos_normas,
        (
            ErrorTipico(
                "Post-LN",
                lambda *a: _normas(*a, bloque=cn.post_ln),
                "Tus normas se quedan en torno a 1: aplicas Post-LN, que normaliza el camino residual tras cada "
                "subcapa. El experimento es con Pre-LN.",
            ),
            ErrorTipico(
                "norma L2 en vez de RMS",
                lambda *a: _normas(*a, medida="l2"),
                "Mides la norma euclídea ‖x‖; se pide la RMS, √(media(x²)) = ‖x‖/√d.",
            ),
            ErrorTipico(
                "incluyes la entrada",
                lambda *a: _normas(*a, incluir_entrada=True),
                "Devuelves L + 1 números: se pide la RMS DESPUÉS de cada una de las L capas.",
            ),
        ),
        comparar_dtype=False,
        prohibidas=(),
    ),
)
