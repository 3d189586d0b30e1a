"""Ejercicios del capítulo 8: pérdidas, perplejidad y optimización."""

from __future__ import annotations

import numpy as np

from .. import con_numpy as cn
from .tipos import Caso, Ejercicio, ErrorTipico, ejercicio_de_valor, normal

__all__ = ["EJERCICIOS"]
F32 = np.float32


def _logp(logits, ingenuo=False):
    if not ingenuo:
        return cn.log_softmax(logits)
    e = np.exp(logits)
    return np.log(e / e.sum(axis=-1, keepdims=True))


# --- entropia-cruzada ----------------------------------------------------------------------------------------------
def _casos_entropia(rng) -> list[Caso]:
    def caso(lote, K, eps, dtype=np.float64, escala=1.0):
        return normal(rng, *lote, K, dtype=dtype, escala=escala), rng.integers(0, K, lote), eps

    return [
        Caso("5 ejemplos y K = 7 clases, sin suavizado", caso((5,), 7, 0.0)),
        Caso("un lote (2, 4) con K = 10 y ε = 0.1, en float32", caso((2, 4), 10, 0.1, F32)),
        Caso("un solo ejemplo, K = 3, ε = 0.1", caso((1,), 3, 0.1)),
        Caso("logits grandes (×1000), ε = 0.1", caso((4,), 6, 0.1, escala=1000)),
        Caso("ε = 1: el objetivo es la uniforme", caso((3,), 5, 1.0)),
    ]


def _entropia_mal(logits, y, eps, fallo):
    logp = _logp(logits, ingenuo=fallo == "ingenuo")
    nll = -np.take_along_axis(logp, y[..., None], axis=-1)[..., 0]
    K = logits.shape[-1]
    if fallo == "K-1":
        resto = -(logp.sum(axis=-1) + nll)  # -Σ_{k≠y} log p_k
        perdida = (1 - eps) * nll + eps / max(K - 1, 1) * resto
    elif fallo == "sin suavizado":
        perdida = nll
    else:
        perdida = (1 - eps) * nll + eps * (-logp.mean(axis=-1))
    return perdida.sum() if fallo == "suma" else perdida.mean()


# --- perplejidad ---------------------------------------------------------------------------------------------------
def _casos_perplejidad(rng) -> list[Caso]:
    def caso(lote, T, N_V, escala=1.0):
        return normal(rng, *lote, T, N_V, escala=escala), rng.integers(0, N_V, (*lote, T))

    return [
        Caso("logits (6, 5) y 6 tokens", caso((), 6, 5)),
        Caso("un lote de 2 secuencias de 5 tokens, N_V = 8", caso((2,), 5, 8)),
        Caso("la secuencia más corta, T = 2", caso((), 2, 4)),
        Caso("logits grandes (×50)", caso((), 5, 6, escala=50)),
    ]


def _nll_siguiente(logits, x, desplazar=True):
    logp = cn.log_softmax(logits)
    if desplazar:
        logp, x = logp[..., :-1, :], x[..., 1:]
    return -np.take_along_axis(logp, x[..., None], axis=-1)[..., 0]


# --- adam-primer-paso ----------------------------------------------------------------------------------------------
def _casos_adam(rng) -> list[Caso]:
    return [
        Caso("gradientes N(0, 1), η = 0.01", (normal(rng, 5), 0.01)),
        Caso("gradientes diminutos (≈ 1e-6), η = 0.1", (normal(rng, 4, escala=1e-6), 0.1)),
        Caso("gradientes enormes (≈ 1e3), η = 0.5", (normal(rng, 3, 4, escala=1e3), 0.5)),
        Caso("algún gradiente exactamente 0", (np.array([0.0, 1.0, -2.0, 0.0]), 0.01)),
    ]


def _desplazamiento(g, eta):
    nuevos, _ = cn.adam({"p": np.zeros_like(g)}, {"p": g}, eta=eta)  # primer paso desde θ = 0
    return np.abs(nuevos["p"])


def _desplazamiento_mal(g, eta, fallo, beta_1=0.9, beta_2=0.98, eps=1e-9):
    m, v = (1 - beta_1) * g, (1 - beta_2) * g**2
    if fallo == "sgd":
        return eta * np.abs(g)
    if fallo == "sin corregir":
        return eta * np.abs(m) / (np.sqrt(v) + eps)
    return eta * np.abs(m / (1 - beta_1)) / np.sqrt(v / (1 - beta_2) + eps)  # ε dentro de la raíz


def _pico_calendario():
    tasas = [cn.calendario_vaswani(s, 512) for s in range(1, 8001)]
    paso = int(np.argmax(tasas)) + 1
    return paso, cn.calendario_vaswani(paso, 512)


EJERCICIOS = (
    Ejercicio(
        "entropia-cruzada",
        "Entropía cruzada con suavizado de etiquetas",
        8,
        "funcion",
        "suavizado-etiquetas",
        "entropia_cruzada",
        lambda logits, y, eps: cn.entropia_cruzada(logits, y, suavizado=eps),
        _casos_entropia,
        (
            ErrorTipico(
                "ε/(K-1) en las demás clases",
                lambda z, y, e: _entropia_mal(z, y, e, "K-1"),
                "Repartes ε solo entre las otras K-1 clases; aquí el suavizado reparte ε/K entre TODAS "
                "(también la correcta), como label_smoothing de PyTorch.",
            ),
            ErrorTipico(
                "suma en lugar de media",
                lambda z, y, e: _entropia_mal(z, y, e, "suma"),
                "Sumas las pérdidas de los ejemplos; se pide su media.",
            ),
            ErrorTipico(
                "log del softmax ingenuo",
                lambda z, y, e: _entropia_mal(z, y, e, "ingenuo"),
                "Con logits grandes, log(softmax(z)) sin restar el máximo da inf o NaN: usa el log-softmax estable.",
            ),
            ErrorTipico(
                "sin suavizado",
                lambda z, y, e: _entropia_mal(z, y, e, "sin suavizado"),
                "Ignoras ε: con suavizado, el objetivo es (1-ε)·one_hot + ε/K.",
            ),
        ),
        prohibidas=(cn.entropia_cruzada, cn.entropia_cruzada_modelo_lenguaje),
    ),
    Ejercicio(
        "perplejidad",
        "Perplejidad",
        8,
        "funcion",
        "perplejidad",
        "perplejidad",
        cn.perplejidad,
        _casos_perplejidad,
        (
            ErrorTipico(
                "sin desplazar",
                lambda z, x: np.exp(_nll_siguiente(z, x, desplazar=False).mean()),
                "La fila t de los logits predice x[t+1], no x[t]: desplaza una posición.",
            ),
            ErrorTipico(
                "exponencial de la suma",
                lambda z, x: np.exp(_nll_siguiente(z, x).sum()),
                "La perplejidad es exp de la entropía cruzada MEDIA por token, no de la suma.",
            ),
            ErrorTipico(
                "sin la exponencial",
                lambda z, x: _nll_siguiente(z, x).mean(),
                "Eso es la entropía cruzada media; la perplejidad es su exponencial.",
            ),
        ),
        prohibidas=(cn.perplejidad, cn.entropia_cruzada, cn.entropia_cruzada_modelo_lenguaje),
    ),
    ejercicio_de_valor(
        "perplejidad-uniforme",
        "La perplejidad de un modelo uniforme",
        8,
        "perplejidad",
        "ppl_uniforme",
        lambda: cn.perplejidad(np.zeros((1, 5, 32000)), np.zeros((1, 5), dtype=np.int64)),
        (
            ("la entropía", np.log(32000), "Eso es la entropía cruzada, log N_V; la perplejidad es su exponencial."),
            ("la probabilidad", 1 / 32000, "Eso es la probabilidad de cada token; la perplejidad es su inversa."),
            ("un modelo perfecto", 1, "Perplejidad 1 es la de un modelo que acierta siempre con probabilidad 1."),
        ),
    ),
    ejercicio_de_valor(
        "calendario-pico",
        "El pico del calendario de Vaswani",
        8,
        "calendario-calentamiento-vaswani",
        "pico",
        _pico_calendario,
        (
            ("sin d_modelo", (4000, 4000**-0.5), "Te falta el factor d_modelo^(-1/2)."),
            (
                "el pico al principio",
                (1, 512**-0.5),
                "Al principio la tasa CRECE (calentamiento): es mínima, no máxima.",
            ),
            ("el pico al final", (8000, 512**-0.5 * 8000**-0.5), "Tras el calentamiento la tasa decae como s^(-1/2)."),
        ),
        tolerancia=(1e-2, 0.0),
    ),
    Ejercicio(
        "adam-primer-paso",
        "Experimento: el primer paso de Adam",
        8,
        "experimento",
        "adam",
        "desplazamiento_primer_paso",
        _desplazamiento,
        _casos_adam,
        (
            ErrorTipico(
                "sin corregir el sesgo",
                lambda g, eta: _desplazamiento_mal(g, eta, "sin corregir"),
                "Te falta corregir el sesgo: m̂ = m/(1-β₁ᵗ) y v̂ = v/(1-β₂ᵗ). Sin ello el primer paso mide ≈ 0.71·η.",
            ),
            ErrorTipico(
                "descenso de gradiente",
                lambda g, eta: _desplazamiento_mal(g, eta, "sgd"),
                "Eso es descenso de gradiente (η·|g|): Adam divide por √v̂ y el paso no depende de la escala de g.",
            ),
            ErrorTipico(
                "ε dentro de la raíz",
                lambda g, eta: _desplazamiento_mal(g, eta, "eps"),
                "ε se suma DESPUÉS de la raíz: m̂ / (√v̂ + ε). Dentro, los gradientes diminutos casi no se mueven.",
            ),
        ),
        comparar_dtype=False,
    ),
)
