"""Casos de prueba del capítulo 13 (refuerzo): argumentos NumPy para cada función gemela."""

from __future__ import annotations

import numpy as np


def politica_lineal(R, s, a, pasos):
    """Política de juguete que usa todo su contexto (vale para arreglos y para tensores)."""
    return s[-1][:2] * 0.5 + R[-1] * 0.01 + a.sum() * 0.1 + float(pasos[-1]) * 0.001 + s.shape[0] * 0.01


def entorno_lineal(s, a):
    """Entorno determinista de juguete: ``s' = 0.9 s + 0.1 Σa``, ``r = Σ s²``; nunca termina."""
    return s * 0.9 + a.sum() * 0.1, float((s * s).sum()), False


def casos(rng):
    """Diccionario nombre → (args, kwargs) con entradas NumPy float64."""
    B, T, d_s, d_a, d, T_max = 2, 4, 3, 2, 6, 10
    tokens = (
        rng.standard_normal((B, T)),
        rng.standard_normal((B, T, d_s)),
        rng.standard_normal((B, T, d_a)),
        rng.integers(0, T_max, (B, T)),
        rng.standard_normal((d, 1)),
        rng.standard_normal(d),
        rng.standard_normal((d, d_s)),
        rng.standard_normal(d),
        rng.standard_normal((d, d_a)),
        rng.standard_normal(d),
        rng.standard_normal((T_max, d)),
    )
    return {
        "retorno_por_obtener": ((rng.standard_normal((3, 10)),), {}),
        "retorno_por_obtener:descontado": ((rng.standard_normal((3, 10)),), {"gamma": 0.9}),
        "decision_transformer_tokens": (tokens, {}),
        "decision_transformer_perdida": (
            (rng.standard_normal((B, 3 * T, 3)), rng.integers(0, 3, (B, T))),
            {"mascara": np.array([[True] * T, [True, True, False, False]])},
        ),
        "decision_transformer_perdida:continua": (
            (rng.standard_normal((B, 3 * T, 3)), rng.standard_normal((B, T, 3))),
            {},
        ),
        "evaluar_decision_transformer": ((politica_lineal, entorno_lineal, rng.standard_normal(3), 2, 5.0, 3, 8), {}),
        "codificar_mu_law": ((rng.standard_normal((4, 25)) * 30,), {}),
        "decodificar_mu_law": ((rng.uniform(-1, 1, (4, 25)),), {"mu": 50.0}),
        "discretizar_mu_law": ((rng.standard_normal((4, 25)) * 30,), {"n_intervalos": 256}),
    }
