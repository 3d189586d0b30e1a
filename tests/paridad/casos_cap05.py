"""Casos de prueba del capítulo 5: argumentos NumPy para cada función gemela."""

from __future__ import annotations

import numpy as np

# Funciones que no reciben tensores: el gemelo PyTorch recibe dtype= para fijar el tipo del resultado.
TABLAS = {
    "codificacion_posicional_sinusoidal",
    "sinusoidal_phuong_hutter",
    "matriz_desplazamiento",
    "pendientes_alibi",
    "sesgo_alibi",
}


def casos(rng):
    """Diccionario caso → (función, id, args, kwargs) con entradas NumPy float64."""
    n = rng.standard_normal
    x = rng.integers(0, 11, size=(2, 5))
    W_E, W_P = n((11, 8)), n((10, 8))
    causal = np.tril(np.ones((6, 6), bool))
    return {
        "token": ("incrustacion_token", "incrustacion-token", (x, W_E), {"escalar": True}),
        "posicional_aprendida": (
            "incrustacion_posicional_aprendida", "incrustacion-posicional-aprendida", (5, W_P), {"inicio": 3}
        ),
        "inicial": ("incrustacion_inicial", "incrustacion-inicial-suma", (x, W_E, W_P), {"inicio": 2, "escalar": True}),
        "sinusoidal": (
            "codificacion_posicional_sinusoidal", "codificacion-posicional-sinusoidal", (7, 8), {"inicio": 3}
        ),
        "sinusoidal_base": (
            "codificacion_posicional_sinusoidal", "codificacion-posicional-sinusoidal", (4, 6), {"base": 100.0}
        ),
        "phuong_hutter": ("sinusoidal_phuong_hutter", "sinusoidal-base-lmax-phuong-hutter", (6, 8), {}),
        "desplazamiento": ("matriz_desplazamiento", "codificacion-posicional-desplazamiento", (-3, 8), {}),
        "rope": ("aplicar_rope", "rope-rotatoria", (n((2, 3, 5, 8)),), {"inicio": 4}),
        "rope_mitades": ("aplicar_rope", "rope-rotatoria", (n((5, 8)),), {"mitades": True}),
        "shaw": (
            "atencion_relativa_shaw", "posicion-relativa-shaw",
            (n((2, 6, 5)), n((4, 5)), n((4, 5)), n((3, 5)), n((5, 4)), n((5, 3))), {"mascara": causal},
        ),
        "pendientes_alibi": ("pendientes_alibi", "alibi-sesgo-lineal", (6,), {}),
        "alibi": ("sesgo_alibi", "alibi-sesgo-lineal", (4, 5, 7), {}),
        "alibi_bidireccional": ("sesgo_alibi", "alibi-sesgo-lineal", (2, 4), {"causal": False}),
        "desincrustacion": ("desincrustacion", "desincrustacion-softmax", (n((2, 5, 8)), W_E, n(11)), {}),
        "desincrustacion_atada": ("desincrustacion_atada", "pesos-atados", (n((2, 5, 8)), W_E), {"solo_logits": True}),
    }  # fmt: skip
