"""Ejercicios del capítulo 17: interpretabilidad (rollout de la atención y ablación de cabezas)."""

from __future__ import annotations

import numpy as np

from .. import con_numpy as cn
from ..experimentos.interpretabilidad import rollout_atencion
from .tipos import Caso, Ejercicio, ErrorTipico, ejercicio_de_valor, normal

__all__ = ["EJERCICIOS"]
F32 = np.float32


# --- interp-rollout ------------------------------------------------------------------------------------------------
def _pesos(rng, L, H, T, lote=(), causal=False, dtype=np.float64):
    """Pesos de atención (L, *lote, H, T, T) aleatorios cuyas filas suman 1."""
    z = normal(rng, L, *lote, H, T, T, escala=2.0)
    if causal:
        z = np.where(np.tril(np.ones((T, T), dtype=bool)), z, -np.inf)
    return cn.softmax(z).astype(dtype)


def _casos_rollout(rng) -> list[Caso]:
    return [
        Caso("2 capas, 2 cabezas, T = 4", (_pesos(rng, 2, 2, 4),)),
        Caso("3 capas, 4 cabezas, T = 6, causal", (_pesos(rng, 3, 4, 6, causal=True),)),
        Caso("una sola capa y una sola cabeza", (_pesos(rng, 1, 1, 5),)),
        Caso("un lote de 3 secuencias: (4, 3, 2, 5, 5), en float32", (_pesos(rng, 4, 2, 5, lote=(3,), dtype=F32),)),
    ]


def _rollout_mal(pesos, fallo):
    R = None
    for A in np.asarray(pesos, dtype=np.float64):
        T = A.shape[-1]
        if fallo == "sumar cabezas":
            A = 0.5 * np.eye(T) + 0.5 * A.sum(-3)  # sin promediar ni renormalizar
        elif fallo == "sin residual":
            A = A.mean(-3)
        else:
            A = 0.5 * np.eye(T) + 0.5 * A.mean(-3)
        R = A if R is None else (R @ A if fallo == "orden" else A @ R)
    return R


# --- interp-ablacion -----------------------------------------------------------------------------------------------
def _casos_ablacion(rng) -> list[Caso]:
    def caso(B, T, d, H):
        return (normal(rng, B, T, d), *(normal(rng, d, d, escala=d**-0.5) for _ in range(4)), H)

    return [
        Caso("B = 2, T = 5, d_modelo = 8, H = 2", caso(2, 5, 8, 2)),
        Caso("B = 1, T = 7, d_modelo = 12, H = 4", caso(1, 7, 12, 4)),
        Caso("B = 3, T = 1 (un solo token), d_modelo = 6, H = 3", caso(3, 1, 6, 3)),
    ]


def _efecto_ablacion(X, W_q, W_k, W_v, W_o, n_cabezas, fallo=None):
    Y = cn.atencion_multicabeza(X, W_q, W_k, W_v, W_o, n_cabezas)  # (B, T, d)
    d_v = W_o.shape[1] // n_cabezas
    efecto = np.zeros(n_cabezas)
    for h in range(n_cabezas):
        Wq, Wo = W_q.copy(), W_o.copy()
        cabeza = slice(h * d_v, (h + 1) * d_v)
        if fallo == "filas":
            Wo[cabeza, :] = 0.0
        elif fallo == "consulta":
            Wq[cabeza, :] = 0.0  # la cabeza atiende por igual a todo, pero sigue aportando
        else:
            Wo[:, cabeza] = 0.0
        Y_h = cn.atencion_multicabeza(X, Wq, W_k, W_v, Wo, n_cabezas)
        efecto[h] = np.linalg.norm(Y_h if fallo == "norma" else Y - Y_h, axis=-1).mean()
    return efecto


EJERCICIOS = (
    Ejercicio(
        "interp-rollout",
        "El rollout de la atención",
        17,
        "funcion",
        "atencion-multicabeza",
        "rollout",
        rollout_atencion,
        _casos_rollout,
        (
            ErrorTipico(
                "sin la conexión residual",
                lambda p: _rollout_mal(p, "sin residual"),
                "Multiplicas las atenciones tal cual: falta la conexión residual, Ã = (I + A)/2 en cada capa.",
            ),
            ErrorTipico(
                "orden de las capas invertido",
                lambda p: _rollout_mal(p, "orden"),
                "Multiplicas en el orden equivocado (R @ Ã): la capa nueva va a la IZQUIERDA, R ← Ã_l @ R, "
                "porque primero actúa la capa 1.",
            ),
            ErrorTipico(
                "cabezas sumadas",
                lambda p: _rollout_mal(p, "sumar cabezas"),
                "Sumas las cabezas en lugar de promediarlas: las filas ya no suman 1. Usa A.mean(axis=-3).",
            ),
        ),
        comparar_dtype=False,
        prohibidas=(rollout_atencion,),
    ),
    ejercicio_de_valor(
        "interp-rollout-dos-capas",
        "El rollout de dos capas a mano",
        17,
        "atencion-multicabeza",
        "fraccion_token_1",
        lambda: rollout_atencion([np.array([[[1.0, 0.0], [1.0, 0.0]]])] * 2)[1, 0],
        (
            ("sin residual", 1.0, "Eso es el producto de las atenciones sin la conexión residual (I + A)/2."),
            ("una sola capa", 0.5, "Eso es (I + A)/2 de una sola capa: hay que multiplicar las dos."),
            ("la otra columna", 0.25, "Esa es la fracción que procede del propio token 2, no del token 1."),
        ),
        tolerancia=(1e-3, 1e-3),
    ),
    Ejercicio(
        "interp-ablacion",
        "Experimento: anular cada cabeza",
        17,
        "experimento",
        "atencion-multicabeza",
        "efecto_ablacion",
        _efecto_ablacion,
        _casos_ablacion,
        (
            ErrorTipico(
                "filas de W_o",
                lambda *a: _efecto_ablacion(*a, fallo="filas"),
                "Pones a cero FILAS de W_o (salidas del modelo); la cabeza h entra por las COLUMNAS "
                "h·d_v … (h+1)·d_v - 1, porque la salida es concat(cabezas) @ W_o.T.",
            ),
            ErrorTipico(
                "anular la consulta",
                lambda *a: _efecto_ablacion(*a, fallo="consulta"),
                "Anulas la consulta de la cabeza (W_q): la cabeza atiende por igual a todos los tokens, pero "
                "sigue aportando su media de valores. Para quitarla, anula sus columnas de W_o.",
            ),
            ErrorTipico(
                "norma de la salida",
                lambda *a: _efecto_ablacion(*a, fallo="norma"),
                "Devuelves el tamaño de la salida con la cabeza anulada; se pide cuánto CAMBIA la salida: "
                "la norma de Y - Y_h.",
            ),
        ),
        comparar_dtype=False,
        prohibidas=(),
    ),
)
