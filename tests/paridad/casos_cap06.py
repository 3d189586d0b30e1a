"""Casos de prueba del capítulo 6: argumentos NumPy para cada función gemela."""

from __future__ import annotations


def casos(rng):
    """Diccionario caso → (función, id, args, kwargs) con entradas NumPy float64."""
    n = rng.standard_normal
    x = n((2, 5, 8)) * 3 + 1
    y = n((2, 5, 8))  # valores moderados: en float32 la tolerancia es absoluta
    ffn = (y, n((16, 8)) / 3, n(16), n((8, 16)) / 3, n(8))
    return {
        "normalizacion_capa": ("normalizacion_capa", "normalizacion-capa", (x, n(8), n(8)), {}),
        "normalizacion_sin_afin": ("normalizacion_capa", "normalizacion-capa", (x,), {"eps": 0.0}),
        "rmsnorm": ("rmsnorm", "rmsnorm", (x, n(8)), {"eps": 1e-5}),
        "gelu": ("gelu", "gelu", (n((3, 50)) * 3,), {}),
        "gelu_tanh": ("gelu", "gelu", (n((3, 50)) * 3,), {"aproximada": True}),
        "ffn_relu": ("red_posicional", "red-posicional-ffn", ffn, {}),
        "ffn_gelu": ("red_posicional", "red-posicional-ffn", ffn, {"activacion": "gelu"}),
        "ffn_gelu_tanh": (
            "red_posicional", "red-posicional-ffn", (y, ffn[1], None, ffn[3], None), {"activacion": "gelu_tanh"}
        ),
        "swiglu": ("swiglu", "swiglu", (y, n((12, 8)) / 3, n((12, 8)) / 3, n((8, 12)) / 3), {}),
        "dropout_cero": ("dropout", "conexion-residual", (x,), {"p": 0.0}),
        "dropout_uno": ("dropout", "conexion-residual", (x,), {"p": 1.0}),
    }  # fmt: skip


def subcapa_ffn(rng):
    """Pesos de una red posicional (d_modelo=8, d_ff=16) para usarla como subcapa."""
    n = rng.standard_normal
    return n((16, 8)) / 3, n(16), n((8, 16)) / 3, n(8)
