"""Casos de prueba del capítulo 2: argumentos NumPy (float64) para cada función gemela."""

from __future__ import annotations

import numpy as np

# caso → (función, id de la ecuación; None si la función compone varias)
CASOS = {
    "energia_aditiva": ("energia_aditiva", "bahdanau-energia-aditiva"),
    "pesos_alineamiento": ("pesos_alineamiento", "bahdanau-pesos-alineamiento"),
    "pesos_alineamiento_mascara": ("pesos_alineamiento", "bahdanau-pesos-alineamiento"),
    "contexto_bahdanau": ("contexto_bahdanau", "bahdanau-contexto"),
    "paso_decodificador_bahdanau": ("paso_decodificador_bahdanau", "bahdanau-contexto"),
    "puntuacion_dot": ("puntuacion_dot", "luong-puntuacion-dot"),
    "puntuacion_general": ("puntuacion_general", "luong-puntuacion-general"),
    "puntuacion_concat": ("puntuacion_concat", "luong-puntuacion-concat"),
    "atencion_global_luong_dot": ("atencion_global_luong", "luong-atencion-global"),
    "atencion_global_luong_general": ("atencion_global_luong", "luong-atencion-global"),
    "atencion_global_luong_concat": ("atencion_global_luong", "luong-atencion-global"),
}


def bahdanau(rng, B=2, T_y=3, T_x=6, d_s=4, d_h=8, d_a=5):
    """s, H, W_a, U_a, v_a (H de un codificador bidireccional: d_h = 2n)."""
    return (
        rng.standard_normal((B, T_y, d_s)),
        rng.standard_normal((B, T_x, d_h)),
        rng.standard_normal((d_a, d_s)) * 0.5,
        rng.standard_normal((d_a, d_h)) * 0.5,
        rng.standard_normal(d_a),
    )


def paso(rng, B=2, T_x=6, d_s=4, d_y=3, d_h=8, d_a=5, N_V=7):
    """Argumentos de paso_decodificador_bahdanau."""
    s, H, W_a, U_a, v_a = bahdanau(rng, B, 1, T_x, d_s, d_h, d_a)
    y = rng.standard_normal((B, d_y))
    rnn = (rng.standard_normal((d_s, d_y + d_h)) * 0.5, rng.standard_normal((d_s, d_s)) * 0.5, rng.standard_normal(d_s))
    salida = (rng.standard_normal((N_V, d_s + d_y + d_h)), rng.standard_normal(N_V))
    return (s[:, 0], y, H, W_a, U_a, v_a, *rnn, *salida)


def luong(rng, B=2, T=3, S=6, d_t=4, d_s=4):
    """h_t (B, T, d_t) y h_s (B, S, d_s)."""
    return rng.standard_normal((B, T, d_t)), rng.standard_normal((B, S, d_s))


def global_luong(rng, puntuacion, d_t=4, d_s=5, d_c=6, d_a=3, N_V=7):
    """(args, kwargs) de atencion_global_luong con esa puntuación."""
    d_s = d_t if puntuacion == "dot" else d_s
    h_t, h_s = luong(rng, d_t=d_t, d_s=d_s)
    W_c, W_s = rng.standard_normal((d_c, d_s + d_t)) * 0.5, rng.standard_normal((N_V, d_c))
    kwargs = {"puntuacion": puntuacion, "mascara": (np.arange(6) < np.array([6, 4])[:, None])[:, None, :]}
    if puntuacion == "general":
        kwargs["W_a"] = rng.standard_normal((d_t, d_s)) * 0.5
    if puntuacion == "concat":
        kwargs["W_a"], kwargs["v_a"] = rng.standard_normal((d_a, d_t + d_s)) * 0.5, rng.standard_normal(d_a)
    return (h_t, h_s, W_c, W_s), kwargs


def casos(rng):
    """Diccionario caso → (args, kwargs) con entradas NumPy."""
    s, H, W_a, U_a, v_a = bahdanau(rng)
    e = rng.standard_normal((2, 3, 6)) * 3
    alfa = np.exp(e) / np.exp(e).sum(-1, keepdims=True)
    mascara = (np.arange(6) < np.array([6, 2])[:, None])[:, None, :]  # (B, 1, T_x)
    h_t, h_s = luong(rng, d_s=5)
    return {
        "energia_aditiva": ((s, H, W_a, U_a, v_a), {}),
        "pesos_alineamiento": ((e,), {}),
        "pesos_alineamiento_mascara": ((e, mascara), {}),
        "contexto_bahdanau": ((alfa, H), {}),
        "paso_decodificador_bahdanau": (paso(rng), {"mascara": mascara[:, 0]}),
        "puntuacion_dot": (luong(rng), {}),
        "puntuacion_general": ((h_t, h_s, rng.standard_normal((4, 5))), {}),
        "puntuacion_concat": ((h_t, h_s, rng.standard_normal((3, 9)), rng.standard_normal(3)), {}),
        "atencion_global_luong_dot": global_luong(rng, "dot"),
        "atencion_global_luong_general": global_luong(rng, "general"),
        "atencion_global_luong_concat": global_luong(rng, "concat"),
    }
