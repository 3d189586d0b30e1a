"""Sonidos sintéticos para clasificar: tonos, chirridos y dígitos de dos tonos (capítulo 11).

Ocho clases, todas generadas aquí (nada se descarga), muestreadas a 16 kHz como la entrada de Whisper:

- «tono grave» y «tono agudo»: una sinusoide de frecuencia al azar en 200–500 Hz o en 1.5–3 kHz;
- «chirrido ascendente» y «chirrido descendente»: la frecuencia recorre en línea recta el tramo
  entre unos 300–600 Hz y unos 2–4 kHz, hacia arriba o hacia abajo;
- «dígito 1», «dígito 5», «dígito 9» y «dígito 0»: dos tonos a la vez, como las teclas de un teléfono
  (marcación por tonos, DTMF), con la tolerancia del ±1.5 % de la norma. El 5 y el 0 comparten el tono
  alto (1336 Hz): para distinguirlos hay que mirar también el bajo.

Cada ejemplo tiene fase, amplitud, duración, instante de comienzo y nivel de ruido al azar: el sonido
ocupa entre el 60 % y el 90 % del clip, con rampas de 10 ms en los extremos, y el resto es silencio;
todo el clip lleva ruido blanco con una relación señal/ruido de 10 a 30 dB.
"""

from __future__ import annotations

import numpy as np

from ..errores import ErrorDeForma

__all__ = ["F_MUESTREO", "CLASES", "DTMF", "sonido", "sonidos"]

F_MUESTREO = 16000
CLASES = (
    "tono grave",
    "tono agudo",
    "chirrido ascendente",
    "chirrido descendente",
    "dígito 1",
    "dígito 5",
    "dígito 9",
    "dígito 0",
)
DTMF = {"1": (697.0, 1209.0), "5": (770.0, 1336.0), "9": (852.0, 1477.0), "0": (941.0, 1336.0)}
_RAMPA_S = 0.010  # rampas de subida y bajada, para que el sonido no empiece con un chasquido


def _validar(segundos, f_muestreo):
    if isinstance(f_muestreo, bool) or not isinstance(f_muestreo, (int, np.integer)) or f_muestreo < 1000:
        raise ErrorDeForma(f"'f_muestreo' debe ser un entero ≥ 1000 (Hz), pero se recibió {f_muestreo!r}.")
    if not isinstance(segundos, (int, float)) or isinstance(segundos, bool) or not 0.05 <= segundos <= 60:
        raise ErrorDeForma(f"'segundos' debe estar entre 0.05 y 60, pero se recibió {segundos!r}.")
    return int(round(segundos * f_muestreo))


def _fase(clase, t, duracion, rng):
    """La fase instantánea 2π∫f(t)dt del sonido de ``clase`` en los instantes ``t`` (segundos); (k, len(t))."""
    if clase in ("tono grave", "tono agudo"):
        bajo, alto = (200.0, 500.0) if clase == "tono grave" else (1500.0, 3000.0)
        return 2 * np.pi * np.exp(rng.uniform(np.log(bajo), np.log(alto))) * t[None]
    if clase.startswith("chirrido"):
        f_baja, f_alta = rng.uniform(300.0, 600.0), rng.uniform(2000.0, 4000.0)
        f_0, f_1 = (f_baja, f_alta) if clase == "chirrido ascendente" else (f_alta, f_baja)
        return 2 * np.pi * (f_0 * t + (f_1 - f_0) * t**2 / (2 * duracion))[None]  # f(t) = f_0 + (f_1 - f_0)·t/d
    frecuencias = np.array(DTMF[clase.removeprefix("dígito ")]) * rng.uniform(0.985, 1.015, 2)  # ±1.5 %
    return 2 * np.pi * frecuencias[:, None] * t[None]


def sonido(clase, rng, segundos=0.5, f_muestreo=F_MUESTREO, dtype=np.float32):
    """Un clip de ``segundos`` con un sonido de ``clase`` (uno de :data:`CLASES`) y ruido blanco.

    Parámetros
    ----------
    clase : nombre de la clase, p. ej. ``"dígito 5"``.
    rng : ``np.random.Generator``; decide fase, amplitud, duración, comienzo, frecuencias y ruido.

    Formas
    ------
    salida : (L,), con L = round(segundos · f_muestreo) muestras, en ``dtype``
    """
    if clase not in CLASES:
        raise ErrorDeForma(f"'clase' debe ser una de {CLASES}, pero se recibió {clase!r}.")
    L = _validar(segundos, f_muestreo)
    n = int(round(rng.uniform(0.6, 0.9) * L))  # muestras que dura el sonido
    inicio = int(rng.integers(0, L - n + 1))
    t = np.arange(n) / f_muestreo  # (n,)
    fase = _fase(clase, t, n / f_muestreo, rng)  # (k, n): k = 1 tono o 2 tonos
    fase = fase + rng.uniform(0, 2 * np.pi, (len(fase), 1))  # una fase inicial al azar por tono
    ondas = np.sin(fase.astype(np.float32))  # (k, n); el seno en float32 es varias veces más rápido
    s = ondas.mean(axis=0)  # (n,): uno o dos tonos, con la misma amplitud
    rampa = min(int(_RAMPA_S * f_muestreo), n // 2)
    envolvente = np.ones(n)
    envolvente[:rampa] = 0.5 - 0.5 * np.cos(np.pi * np.arange(rampa) / rampa)
    envolvente[n - rampa :] = envolvente[:rampa][::-1]
    x = np.zeros(L)
    x[inicio : inicio + n] = rng.uniform(0.1, 0.8) * envolvente * s
    rms = np.sqrt(np.mean(x[inicio : inicio + n] ** 2))
    x += rng.standard_normal(L) * rms * 10 ** (-rng.uniform(10.0, 30.0) / 20)  # SNR de 10 a 30 dB
    return x.astype(dtype)


def sonidos(n, rng, segundos=0.5, f_muestreo=F_MUESTREO, clases=CLASES, dtype=np.float32):
    """Un lote de ``n`` clips equilibrado entre ``clases`` (en orden aleatorio) y sus etiquetas.

    ``y[i]`` es la posición de la clase de ``x[i]`` en ``clases``; cada clase aparece ``⌊n/K⌋`` o
    ``⌈n/K⌉`` veces. Con la misma ``rng`` (misma semilla) el lote es idéntico.

    Formas
    ------
    x : (n, L), en ``dtype``    y : (n,), enteros en [0, K), K = len(clases)
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ErrorDeForma(f"'n' debe ser un entero ≥ 1, pero se recibió {n!r}.")
    clases = tuple(clases)
    desconocidas = [c for c in clases if c not in CLASES]
    if not clases or desconocidas:
        raise ErrorDeForma(f"'clases' debe ser una lista no vacía de {CLASES}, pero se recibió {clases!r}.")
    L = _validar(segundos, f_muestreo)
    y = rng.permutation(np.arange(n) % len(clases))  # (n,)
    x = np.empty((n, L), dtype=dtype)
    for i, k in enumerate(y):
        x[i] = sonido(clases[k], rng, segundos, f_muestreo, dtype)
    return x, y
