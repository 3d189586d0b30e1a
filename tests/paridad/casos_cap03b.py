"""Casos de prueba de los dos ids añadidos al capítulo 3 (jacobiano del softmax, atención por columnas)."""

from __future__ import annotations

import numpy as np

# caso → (función, id de la ecuación)
CASOS = {
    "jacobiano_softmax": ("jacobiano_softmax", "softmax-jacobiano"),
    "jacobiano_softmax_enmascarado": ("jacobiano_softmax", "softmax-jacobiano"),
    "atencion_columnas": ("atencion_columnas", "atencion-matricial-columnas"),
    "atencion_columnas_filas": ("atencion_columnas", "atencion-matricial-columnas"),
    "atencion_columnas_mascara": ("atencion_columnas", "atencion-matricial-columnas"),
    "atencion_columnas_mascara_filas": ("atencion_columnas", "atencion-matricial-columnas"),
}


def columnas(rng, B=2, d_x=5, l_x=4, d_z=6, l_z=7, d_attn=3, d_out=2):
    """X, Z, W_q, b_q, W_k, b_k, W_v, b_v con un token por columna (P&H)."""
    return (
        rng.standard_normal((B, d_x, l_x)),
        rng.standard_normal((B, d_z, l_z)),
        rng.standard_normal((d_attn, d_x)),
        rng.standard_normal(d_attn),
        rng.standard_normal((d_attn, d_z)),
        rng.standard_normal(d_attn),
        rng.standard_normal((d_out, d_z)),
        rng.standard_normal(d_out),
    )


def mascara_columnas(l_z=7, l_x=4):
    """Causal de P&H, Mask[t_z, t_x] = [[t_z ≤ t_x]], y una columna sin nada permitido en el 2.º lote."""
    m = np.triu(np.ones((l_z, l_x), bool))  # (l_z, l_x)
    vacia = np.ones((2, l_z, l_x), bool)
    vacia[1, :, 2] = False
    return m & vacia  # (B, l_z, l_x)


def casos(rng):
    """Diccionario caso → (args, kwargs) con entradas NumPy."""
    z = rng.standard_normal((3, 4, 6)) * 4
    z_inf = z.copy()
    z_inf[0, 0, :2] = -np.inf
    args = columnas(rng)
    m = mascara_columnas()
    return {
        "jacobiano_softmax": ((z,), {}),
        "jacobiano_softmax_enmascarado": ((z_inf,), {}),
        "atencion_columnas": (args, {}),
        "atencion_columnas_filas": (args, {"forma": "filas"}),
        "atencion_columnas_mascara": (args, {"mascara": m}),
        "atencion_columnas_mascara_filas": (args, {"mascara": m, "forma": "filas"}),
    }
