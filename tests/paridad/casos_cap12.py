"""Casos de prueba del capítulo 12 (multimodal): argumentos NumPy para cada función gemela."""

from __future__ import annotations

import numpy as np


def _normalizadas(rng, *forma):
    x = rng.standard_normal(forma)
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


def casos(rng):
    """Diccionario nombre → (args, kwargs) con entradas NumPy float64."""
    d, d_v, d_k, d_h, d_ff = 8, 6, 4, 3, 16
    pesos_fusion = (
        rng.standard_normal((d_k, d)),
        rng.standard_normal((d_k, d_v)),
        rng.standard_normal((d_h, d_v)),
        rng.standard_normal((d, d_h)),
        0.3,
        rng.standard_normal((d_ff, d)),
        rng.standard_normal(d_ff),
        rng.standard_normal((d, d_ff)),
        rng.standard_normal(d),
        -0.7,
    )
    return {
        "clip_incrustaciones": (
            (
                rng.standard_normal((2, 6, 10)),
                rng.standard_normal((2, 5, 7)),
                rng.standard_normal((4, 10)),
                rng.standard_normal((4, 7)),
            ),
            {},
        ),
        "clip_logits": ((_normalizadas(rng, 6, 5), _normalizadas(rng, 6, 5)), {"t": 2.0}),
        "clip_perdida": ((rng.standard_normal((6, 6)) * 3,), {}),
        "infonce": ((rng.standard_normal((4, 8)), rng.standard_normal((4, 5, 8))), {"tau": 0.5}),
        "clip_cero_disparos": ((rng.standard_normal((3, 6, 8)), rng.standard_normal((4, 8))), {"t": 1.5}),
        "fusion_cruzada_compuerta": (
            (rng.standard_normal((2, 5, d)), rng.standard_normal((2, 7, d_v)), *pesos_fusion),
            {"mascara_v": np.arange(7) < np.array([7, 3])[:, None]},
        ),
    }
