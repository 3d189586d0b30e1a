"""Ejercicios del capítulo 9: elegir el siguiente token (top-k, núcleo, temperatura)."""

from __future__ import annotations

import numpy as np

from .. import con_numpy as cn
from .tipos import Caso, Ejercicio, ErrorTipico, ejercicio_de_valor, normal

__all__ = ["EJERCICIOS"]
F32 = np.float32


# --- filtro-top-k --------------------------------------------------------------------------------------------------
def _casos_top_k(rng) -> list[Caso]:
    return [
        Caso("10 logits, k = 3", (normal(rng, 10), 3)),
        Caso("un lote (2, 3, 8), k = 1, en float32", (normal(rng, 2, 3, 8, dtype=F32), 1)),
        Caso("k = N_V: no se descarta nada", (normal(rng, 6), 6)),
        Caso("logits grandes (×100), lote (4, 12), k = 5", (normal(rng, 4, 12, escala=100), 5)),
    ]


def _top_k_mal(logits, k, fallo):
    orden = np.argsort(logits if fallo == "menores" else -logits, axis=-1, kind="stable")
    conservar = np.zeros(logits.shape, dtype=bool)
    np.put_along_axis(conservar, orden[..., : k - 1 if fallo == "k-1" else k], True, axis=-1)
    return np.where(conservar, logits, 0.0 if fallo == "cero" else -np.inf).astype(logits.dtype)


# --- filtro-nucleo -------------------------------------------------------------------------------------------------
def _casos_nucleo(rng) -> list[Caso]:
    dominante = normal(rng, 8)
    dominante[int(rng.integers(0, 8))] += 10  # un token se lleva casi toda la probabilidad
    return [
        Caso("10 logits, p = 0.9", (normal(rng, 10), 0.9)),
        Caso("un lote (2, 3, 8), p = 0.5, en float32", (normal(rng, 2, 3, 8, dtype=F32), 0.5)),
        Caso("un token dominante, p = 0.5", (dominante, 0.5)),
        Caso("logits grandes (×50), p = 0.95", (normal(rng, 3, 12, escala=50), 0.95)),
    ]


def _nucleo_mal(logits, p, fallo):
    probs = cn.softmax(logits)
    orden = np.argsort(-probs, axis=-1, kind="stable") if fallo != "sin ordenar" else np.indices(probs.shape)[-1]
    ordenadas = np.take_along_axis(probs, orden, axis=-1)
    acumulada = np.cumsum(ordenadas, axis=-1)
    dentro = acumulada < p if fallo == "sin el que cruza" else acumulada - ordenadas < p
    conservar = np.zeros(logits.shape, dtype=bool)
    np.put_along_axis(conservar, orden, dentro, axis=-1)
    return np.where(conservar, logits, 0.0 if fallo == "cero" else -np.inf).astype(logits.dtype)


# --- frecuencias ---------------------------------------------------------------------------------------------------
def _casos_frecuencias(rng) -> list[Caso]:
    def caso(tau, escala=1.0, N_V=5):
        return normal(rng, N_V, escala=escala), tau, 20_000, int(rng.integers(0, 2**31))

    return [
        Caso("5 tokens, τ = 1, 20000 muestras", caso(1.0)),
        Caso("τ = 0.5: más concentrada", caso(0.5)),
        Caso("τ = 3: más plana", caso(3.0)),
        Caso("τ = 0: decodificación voraz", caso(0.0)),
        Caso("logits grandes (×10), τ = 1", caso(1.0, escala=10)),
    ]


def _distribucion(logits, tau, n, semilla, fallo=None):
    if fallo == "por tau":
        q = cn.softmax(logits * tau)
    elif tau == 0 and fallo != "ignora tau":
        q = np.eye(logits.shape[-1])[np.argmax(logits)]  # τ = 0: siempre el más probable
    else:
        q = cn.softmax(logits if fallo == "ignora tau" else logits / tau)
    return q * n if fallo == "cuentas" else q


EJERCICIOS = (
    Ejercicio(
        "filtro-top-k",
        "El filtro top-k",
        9,
        "funcion",
        "muestreo-top-k",
        "filtrar_top_k",
        cn.filtrar_top_k,
        _casos_top_k,
        (
            ErrorTipico(
                "los k menores",
                lambda z, k: _top_k_mal(z, k, "menores"),
                "Conservas los k logits MENORES: ordena de mayor a menor (np.argsort(-z)).",
            ),
            ErrorTipico(
                "error de uno (k - 1)",
                lambda z, k: _top_k_mal(z, k, "k-1"),
                "Conservas k - 1 tokens: con k = 1 no queda ninguno. Se conservan exactamente k.",
            ),
            ErrorTipico(
                "0 en lugar de -inf",
                lambda z, k: _top_k_mal(z, k, "cero"),
                "Pones 0 en los descartados: un logit 0 aún tiene probabilidad. Usa -inf, que da probabilidad 0.",
            ),
        ),
        prohibidas=(cn.filtrar_top_k, cn.muestreo_top_k),
    ),
    Ejercicio(
        "filtro-nucleo",
        "El filtro de núcleo (top-p)",
        9,
        "funcion",
        "muestreo-nucleo-top-p",
        "filtrar_nucleo",
        cn.filtrar_nucleo,
        _casos_nucleo,
        (
            ErrorTipico(
                "sin el token que cruza el umbral",
                lambda z, p: _nucleo_mal(z, p, "sin el que cruza"),
                "El núcleo INCLUYE el token con el que la masa acumulada llega a p: conserva los tokens cuya "
                "masa anterior es menor que p.",
            ),
            ErrorTipico(
                "sin ordenar",
                lambda z, p: _nucleo_mal(z, p, "sin ordenar"),
                "Acumulas en el orden del vocabulario: hay que ordenar de más a menos probable.",
            ),
            ErrorTipico(
                "0 en lugar de -inf",
                lambda z, p: _nucleo_mal(z, p, "cero"),
                "Pones 0 en los descartados: un logit 0 aún tiene probabilidad. Usa -inf.",
            ),
        ),
        prohibidas=(cn.filtrar_nucleo, cn.muestreo_nucleo),
    ),
    ejercicio_de_valor(
        "temperatura-infinita",
        "La temperatura muy alta",
        9,
        "muestreo-temperatura",
        "q_infinita",
        lambda: cn.softmax(np.array([2.0, 1.0, 0.0]) / 1e12),
        (
            ("eso es τ → 0", (1, 0, 0), "Con τ → 0 se elige siempre el mayor; con τ → ∞, todos por igual."),
            ("τ = 1", cn.softmax(np.array([2.0, 1.0, 0.0])), "Eso es softmax(z), con τ = 1."),
            ("sin normalizar", (1, 1, 1), "q es una distribución: sus tres valores suman 1."),
        ),
        tolerancia=(1e-3, 1e-3),
    ),
    Ejercicio(
        "frecuencias-temperatura",
        "Experimento: el muestreo con temperatura",
        9,
        "experimento",
        "muestreo-temperatura",
        "frecuencias",
        _distribucion,
        _casos_frecuencias,
        (
            ErrorTipico(
                "multiplicar por τ",
                lambda *a: _distribucion(*a, fallo="por tau"),
                "Multiplicas los logits por τ; la temperatura los DIVIDE: q = softmax(z/τ).",
            ),
            ErrorTipico(
                "cuentas sin dividir",
                lambda *a: _distribucion(*a, fallo="cuentas"),
                "Devuelves cuántas veces sale cada token; se pide la frecuencia (divide entre n).",
            ),
            ErrorTipico(
                "sin temperatura",
                lambda *a: _distribucion(*a, fallo="ignora tau"),
                "Tus frecuencias no cambian con τ: pasa la temperatura al muestreo.",
            ),
        ),
        tolerancia=(0.0, 0.02),
        comparar_dtype=False,
        prohibidas=(),
    ),
)
