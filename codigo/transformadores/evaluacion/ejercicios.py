"""Catálogo de ejercicios: referencia del registro, generador de casos y errores típicos."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .. import con_numpy as cn

__all__ = ["Caso", "ErrorTipico", "Ejercicio", "EJERCICIOS"]


@dataclass(frozen=True)
class Caso:
    """Un caso de prueba: descripción en español y argumentos posicionales."""

    descripcion: str
    args: tuple


@dataclass(frozen=True)
class ErrorTipico:
    """Una variante equivocada de la solución y el diagnóstico que se da si la respuesta coincide con ella."""

    nombre: str
    funcion: Callable
    diagnostico: str


@dataclass(frozen=True)
class Ejercicio:
    """Un ejercicio: qué se pide, la solución de referencia y cómo se generan los casos."""

    id: str
    titulo: str
    ecuacion: str
    referencia: Callable
    casos: Callable[[np.random.Generator], list[Caso]]
    errores: tuple[ErrorTipico, ...] = field(default_factory=tuple)


def _casos_softmax(rng) -> list[Caso]:
    return [
        Caso("un vector de 5 puntuaciones (float64)", (rng.standard_normal(5),)),
        Caso("un lote (2, 3, 4) de puntuaciones (float32)", (rng.standard_normal((2, 3, 4)).astype(np.float32),)),
        Caso("una sola puntuación (longitud 1)", (rng.standard_normal(1),)),
        Caso(
            "puntuaciones grandes, del orden de 1000 (float32)",
            ((rng.standard_normal((3, 6)) * 5 + 1000).astype(np.float32),),
        ),
    ]


def _softmax_sin_maximo(z):
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def _softmax_eje_0(z):
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def _qkv(rng, forma_lote, T, S, d_k, d_v, dtype=np.float64):
    return tuple(rng.standard_normal((*forma_lote, n, d)).astype(dtype) for n, d in ((T, d_k), (S, d_k), (S, d_v)))


def _casos_atencion(rng) -> list[Caso]:
    return [
        Caso("Q (4, 8), K (6, 8), V (6, 3)", _qkv(rng, (), 4, 6, 8, 3)),
        Caso("con lote y cabezas: Q (2, 3, 5, 16) (float32)", _qkv(rng, (2, 3), 5, 7, 16, 4, np.float32)),
        Caso("una sola consulta y una sola clave (T = S = 1)", _qkv(rng, (), 1, 1, 4, 2)),
        Caso("d_k = 64, donde la escala importa mucho", _qkv(rng, (), 3, 5, 64, 2)),
    ]


def _atencion_sin_escala(Q, K, V):
    return cn.atencion_escalada(Q, K, V, escala=1.0)


def _atencion_escala_d_k(Q, K, V):
    return cn.atencion_escalada(Q, K, V, escala=1.0 / Q.shape[-1])


def _atencion_softmax_eje_consultas(Q, K, V):
    s = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
    e = np.exp(s - s.max(axis=-2, keepdims=True))
    return (e / e.sum(axis=-2, keepdims=True)) @ V


def _casos_causal(rng) -> list[Caso]:
    return [Caso(f"T = {T}", (T,)) for T in (1, 2, 5, int(rng.integers(6, 12)))]


EJERCICIOS: dict[str, Ejercicio] = {
    e.id: e
    for e in (
        Ejercicio(
            "softmax-estable",
            "Softmax estable en la última dimensión",
            "softmax",
            cn.softmax,
            _casos_softmax,
            (
                ErrorTipico(
                    "sin restar el máximo",
                    _softmax_sin_maximo,
                    "Parece que no restas el máximo de cada fila antes de exp: con puntuaciones grandes, "
                    "exp desborda a inf y el cociente da NaN. Resta z.max(axis=-1, keepdims=True).",
                ),
                ErrorTipico(
                    "softmax en el eje equivocado",
                    _softmax_eje_0,
                    "Tus filas no suman 1, pero tus columnas sí: normalizas sobre el eje 0. "
                    "Usa axis=-1 (la última dimensión) en el máximo y en la suma.",
                ),
            ),
        ),
        Ejercicio(
            "atencion-escalada",
            "Atención de producto escalado",
            "atencion-producto-escalado",
            cn.atencion_escalada,
            _casos_atencion,
            (
                ErrorTipico(
                    "sin dividir por √d_k",
                    _atencion_sin_escala,
                    "Coincide con la atención SIN escalar: falta dividir QKᵀ entre √d_k.",
                ),
                ErrorTipico(
                    "dividir por d_k",
                    _atencion_escala_d_k,
                    "Divides entre d_k en lugar de entre √d_k (np.sqrt(d_k)).",
                ),
                ErrorTipico(
                    "softmax sobre las consultas",
                    _atencion_softmax_eje_consultas,
                    "El softmax se aplica sobre el eje de las consultas: debe normalizar cada fila "
                    "(sobre las claves, axis=-1).",
                ),
            ),
        ),
        Ejercicio(
            "mascara-causal",
            "Máscara causal",
            "mascara-causal",
            cn.mascara_causal,
            _casos_causal,
            (
                ErrorTipico(
                    "máscara invertida",
                    lambda T: ~np.tril(np.ones((T, T), bool)),
                    "Tu máscara está invertida: True debe significar «puede atender» (j ≤ i).",
                ),
                ErrorTipico(
                    "triangular superior",
                    lambda T: np.triu(np.ones((T, T), bool)),
                    "Devuelves la triangular superior: así cada token ve el futuro. Usa np.tril.",
                ),
                ErrorTipico(
                    "sin la diagonal",
                    lambda T: np.tril(np.ones((T, T), bool), k=-1),
                    "Error de uno: quitas la diagonal, pero cada token sí puede atenderse a sí mismo (j ≤ i).",
                ),
            ),
        ),
    )
}
