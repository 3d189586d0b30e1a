"""Ejercicios del capítulo «Más allá de una máquina»: paralelismo de datos y all-reduce."""

from __future__ import annotations

import numpy as np

from .. import con_numpy as cn
from .tipos import Caso, Ejercicio, ErrorTipico, ejercicio_de_valor, normal

__all__ = ["EJERCICIOS"]
F32 = np.float32


# --- ddp-paso-sgd --------------------------------------------------------------------------------------------------
def _casos_paso(rng) -> list[Caso]:
    return [
        Caso("P = 2 procesos, θ de 5 componentes, η = 0.1", (normal(rng, 5), normal(rng, 2, 5), 0.1)),
        Caso(
            "P = 4, θ (3, 4) en float32, η = 0.01",
            (normal(rng, 3, 4, dtype=F32), normal(rng, 4, 3, 4, dtype=F32), 0.01),
        ),
        Caso("P = 3, gradientes grandes (×100), η = 1e-3", (normal(rng, 6), normal(rng, 3, 6, escala=100), 1e-3)),
        Caso("P = 8, θ de 2 componentes, η = 0.5", (normal(rng, 2), normal(rng, 8, 2), 0.5)),
    ]


def _paso(theta, gradientes, eta):
    return cn.descenso_gradiente(theta, gradientes.mean(axis=0), eta)


# --- ddp-regresion -------------------------------------------------------------------------------------------------
def _casos_regresion(rng) -> list[Caso]:
    def caso(N, d, P, eta, pasos, dtype=np.float64):
        X = normal(rng, N, d, dtype=dtype)
        return X, (X @ normal(rng, d, dtype=dtype) + normal(rng, N, dtype=dtype, escala=0.1)), P, eta, pasos

    return [
        Caso("N = 8 ejemplos, d = 3, P = 2 procesos, 5 pasos", caso(8, 3, 2, 0.1, 5)),
        Caso("N = 12, d = 4, P = 4, 10 pasos, en float32", caso(12, 4, 4, 0.05, 10, F32)),
        Caso("N = 9, d = 2, P = 3, 1 paso", caso(9, 2, 3, 0.2, 1)),
        Caso("N = 16, d = 5, P = 8 (dos ejemplos por proceso), 20 pasos", caso(16, 5, 8, 0.05, 20)),
    ]


def _regresion(X, y, n_procesos, eta, pasos, fallo=None):
    """w tras ``pasos`` de descenso de gradiente distribuido en la regresión ``mean((Xw - y)²) / 2``, desde w = 0."""
    w = np.zeros(X.shape[1], dtype=X.dtype)
    trozos_X, trozos_y = np.split(X, n_procesos), np.split(y, n_procesos)
    for _ in range(pasos):
        locales = []
        for X_r, y_r in zip(trozos_X, trozos_y):
            divisor = len(X) if fallo == "divide por N" else len(X_r)
            locales.append(X_r.T @ (X_r @ w - y_r) / divisor)  # (d,), el gradiente local
        if fallo == "solo el proceso 0":
            locales = locales[:1]
        g = np.sum(locales, axis=0) if fallo == "suma" else np.mean(locales, axis=0)
        w = cn.descenso_gradiente(w, g.astype(X.dtype), eta)
    return w


# --- ddp-bytes-anillo ----------------------------------------------------------------------------------------------
def _parametros_capa():
    return cn.multicabeza_parametros(256, 8)  # 4·(256² + 256) = 263 168


EJERCICIOS = (
    Ejercicio(
        "ddp-paso-sgd",
        "Un paso de descenso de gradiente con paralelismo de datos",
        18,
        "funcion",
        "descenso-gradiente-estocastico",
        "paso_distribuido",
        _paso,
        _casos_paso,
        (
            ErrorTipico(
                "suma en lugar de media",
                lambda t, g, eta: cn.descenso_gradiente(t, g.sum(axis=0), eta),
                "Sumas los gradientes de los P procesos: el paso sale P veces más largo. El all-reduce suma, pero "
                "después hay que dividir por P para tener el gradiente del lote global.",
            ),
            ErrorTipico(
                "solo el proceso 0",
                lambda t, g, eta: cn.descenso_gradiente(t, g[0], eta),
                "Usas solo el gradiente del primer proceso: cada proceso vio un trozo distinto del lote y hay que "
                "promediarlos todos.",
            ),
            ErrorTipico(
                "ascenso",
                lambda t, g, eta: t + eta * g.mean(axis=0),
                "Sumas η·g: eso sube la pérdida. El descenso de gradiente resta: θ ← θ - η·ḡ.",
            ),
        ),
        prohibidas=(),
    ),
    ejercicio_de_valor(
        "ddp-bytes-anillo",
        "Bytes que envía cada proceso en un all-reduce en anillo",
        18,
        "multicabeza-parametros",
        "bytes_por_proceso",
        lambda: 2 * (4 - 1) / 4 * _parametros_capa() * 4,
        (
            (
                "todo el vector una vez",
                _parametros_capa() * 4,
                "Eso es enviar el vector entero una vez. El anillo "
                "tiene dos fases (reducción y reunión) de P-1 pasos, y en cada paso se envía 1/P del vector.",
            ),
            (
                "dos vectores enteros",
                2 * _parametros_capa() * 4,
                "Casi: en cada una de las dos fases se envían "
                "P-1 trozos de 1/P del vector, no el vector entero: 2·(P-1)/P·N·4 bytes.",
            ),
            (
                "a todos los demás",
                (4 - 1) * _parametros_capa() * 4,
                "Eso sería enviar el vector completo a cada "
                "uno de los P-1 procesos restantes; el anillo envía solo a su vecino y por trozos.",
            ),
        ),
    ),  # fmt: skip
    Ejercicio(
        "ddp-regresion",
        "Experimento: descenso de gradiente distribuido en una regresión lineal",
        18,
        "experimento",
        "descenso-gradiente-estocastico",
        "entrenar_distribuido",
        _regresion,
        _casos_regresion,
        (
            ErrorTipico(
                "suma en lugar de media",
                lambda X, y, P, eta, pasos: _regresion(X, y, P, eta, pasos, "suma"),
                "Sumas los gradientes locales: equivale a multiplicar η por P (y puede divergir). Promédialos.",
            ),
            ErrorTipico(
                "divide por N",
                lambda X, y, P, eta, pasos: _regresion(X, y, P, eta, pasos, "divide por N"),
                "Cada proceso divide su gradiente por N (el lote global) y luego además promedias: el paso queda "
                "P veces más corto. El gradiente local es la media sobre SU trozo (N/P ejemplos).",
            ),
            ErrorTipico(
                "solo el proceso 0",
                lambda X, y, P, eta, pasos: _regresion(X, y, P, eta, pasos, "solo el proceso 0"),
                "Solo usas el trozo del proceso 0: el modelo aprende de N/P ejemplos en lugar de N.",
            ),
        ),
        tolerancia=(1e-5, 1e-6),
        prohibidas=(),
    ),
)
