"""Casos de prueba del capítulo 11 (audio): argumentos NumPy para cada función gemela.

Las claves son ``nombre`` o ``nombre:variante``; la parte antes de ``:`` es la función.
"""

from __future__ import annotations

import numpy as np


def tono(f, segundos=0.05, f_muestreo=16000, amplitud=1.0):
    """Un tono puro de ``f`` Hz (los datos de audio se generan, nunca se descargan)."""
    t = np.arange(int(segundos * f_muestreo)) / f_muestreo
    return amplitud * np.sin(2 * np.pi * f * t)


def casos(rng):
    """Diccionario clave → (args, kwargs) con entradas NumPy float64."""
    senal = rng.standard_normal((2, 3, 300)) * 0.5
    n_mels, d, T = 6, 5, 11
    return {
        "stft": ((senal, 32, 8), {}),
        "stft:whisper": ((tono(440) + 0.1 * rng.standard_normal(800),), {}),
        "stft:ventana": ((senal[0], 31, 10), {"ventana": rng.random(31)}),
        "espectrograma_potencia": ((senal, 32, 8), {}),
        "escala_mel:slaney": ((np.array([0.0, 200.0, 999.0, 1000.0, 4000.0, 8000.0]),), {}),
        "escala_mel:htk": ((np.array([[0.0, 700.0], [1000.0, 8000.0]]),), {"escala": "htk"}),
        "mel_a_hercios:slaney": ((np.array([0.0, 7.5, 15.0, 30.0, 45.0]),), {}),
        "mel_a_hercios:htk": ((np.array([0.0, 781.0, 2840.0]),), {"escala": "htk"}),
        "banco_filtros_mel": ((64, 10, 8000), {}),
        "banco_filtros_mel:htk": ((64, 10, 8000, 100.0, 3500.0), {"escala": "htk", "norma": None}),
        "log_mel_whisper": ((rng.random((2, n_mels, T)) ** 8,), {}),
        "submuestreo_convolucional": (
            (
                rng.standard_normal((2, n_mels, T)),
                rng.standard_normal((d, n_mels, 3)) / np.sqrt(3 * n_mels),
                rng.standard_normal(d) * 0.1,
                rng.standard_normal((d, d, 3)) / np.sqrt(3 * d),
                rng.standard_normal(d) * 0.1,
            ),
            {"PE": rng.standard_normal((6, d))},
        ),
        "longitud_salida_convolucion": ((3000, 3), {"paso": 2, "relleno": 1}),
        "sinusoides_whisper": ((50, 8), {}),
        "parches_espectrograma": ((rng.standard_normal((2, 40, 57)),), {}),
        "parches_espectrograma:pequeno": ((rng.standard_normal((5, 7)), 3, 2), {}),
    }
