"""Casos de prueba del capítulo 3: argumentos NumPy para cada función gemela."""

from __future__ import annotations

import numpy as np


def _qkv(rng, B=2, H=3, T=5, S=7, d_k=8, d_v=4):
    return rng.standard_normal((B, H, T, d_k)), rng.standard_normal((B, H, S, d_k)), rng.standard_normal((B, H, S, d_v))


def casos(rng):
    """Diccionario nombre → (args, kwargs) con entradas NumPy float64."""
    Q, K, V = _qkv(rng)
    causal = np.tril(np.ones((5, 7), bool), k=2)
    relleno = (np.arange(7) < np.array([7, 4])[:, None])[:, None, None, :]
    d_in, d_attn, d_out, T = 6, 4, 3, 9
    return {
        "softmax": ((rng.standard_normal((3, 4, 10)) * 5,), {}),
        "log_softmax": ((rng.standard_normal((3, 10)) * 5,), {"eje": 0}),
        "atencion_escalada": ((Q, K, V), {"mascara": causal & relleno}),
        "atencion_consulta_unica": (
            (
                rng.standard_normal(d_in),
                rng.standard_normal((T, d_in)),
                rng.standard_normal((d_attn, d_in)),
                rng.standard_normal(d_attn),
                rng.standard_normal((d_attn, d_in)),
                rng.standard_normal(d_attn),
                rng.standard_normal((d_out, d_in)),
                rng.standard_normal(d_out),
            ),
            {},
        ),
        "atencion_cruzada": (
            (
                rng.standard_normal((2, 5, 6)),
                rng.standard_normal((2, 8, 10)),
                rng.standard_normal((4, 6)),
                rng.standard_normal((4, 10)),
                rng.standard_normal((3, 10)),
            ),
            {"mascara_Z": np.arange(8) < np.array([8, 3])[:, None]},
        ),
        "mascara_aditiva": ((causal,), {}),
        "mascara_relleno": ((np.array([3, 0, 5]), 5), {}),
        "mascara_causal": ((4, 6), {}),
        "combinar_mascaras": ((causal, relleno), {}),
    }
