"""Ejercicios del capítulo 11: la escala mel, la longitud tras una convolución y la resolución de la STFT."""

from __future__ import annotations

import math

import numpy as np

from .. import con_numpy as cn
from ..datos.sonidos import sonido
from .tipos import Caso, Ejercicio, ErrorTipico, ejercicio_de_valor

__all__ = ["EJERCICIOS"]
F32 = np.float32


# --- audio-escala-mel ----------------------------------------------------------------------------------------------
def _casos_mel(rng) -> list[Caso]:
    return [
        Caso("17 frecuencias de 0 a 8000 Hz", (np.linspace(0.0, 8000.0, 17),)),
        Caso("un lote (3, 5) de frecuencias al azar, en float32", (rng.uniform(0, 8000, (3, 5)).astype(F32),)),
        Caso("justo alrededor de 1 kHz", (np.array([999.0, 1000.0, 1001.0]),)),
        Caso("solo graves (por debajo de 1 kHz)", (rng.uniform(0, 1000, 6),)),
        Caso("solo agudos, hasta 20 kHz", (rng.uniform(1000, 20000, 6),)),
    ]


@np.errstate(divide="ignore", invalid="ignore")
def _mel_mal(f, fallo):
    logaritmica = 27.0 * np.log(f / 1000.0) / math.log(6.4)  # -inf en 0 Hz, como lo escribiría el lector
    if fallo == "htk":
        return 2595.0 * np.log10(1.0 + f / 700.0)
    if fallo == "lineal":
        return 3.0 * f / 200.0
    if fallo == "logaritmica":
        return 15.0 + logaritmica
    return np.where(f >= 1000.0, logaritmica, 3.0 * f / 200.0)  # sin el 15


# --- audio-longitud-convolucion ------------------------------------------------------------------------------------
def _casos_longitud(rng) -> list[Caso]:
    return [
        Caso("la segunda convolución de Whisper: L = 3000, k = 3, paso 2, relleno 1", (3000, 3, 2, 1, 1)),
        Caso("la STFT de 30 s como convolución: k = 400, paso 160, relleno 200", (480_000, 400, 160, 200, 1)),
        Caso("con dilatación 2: L = 50, k = 5, paso 3, sin relleno", (50, 5, 3, 0, 2)),
        Caso("con dilatación 3 y relleno 2", (17, 4, 1, 2, 3)),
        Caso("al azar", (int(rng.integers(40, 200)), int(rng.integers(2, 6)), int(rng.integers(2, 5)), 1, 2)),
    ]


def _longitud_mal(L_in, k, paso, relleno, dilatacion, fallo):
    p = relleno if fallo == "un lado" else 2 * relleno
    d = 1 if fallo == "sin dilatacion" else dilatacion
    numerador = L_in + p - d * (k - 1) - 1
    if fallo == "hacia arriba":
        return -(-numerador // paso) + 1
    return numerador // paso + (0 if fallo == "sin +1" else 1)


# --- audio-frecuencia-dominante ------------------------------------------------------------------------------------
def _casos_frecuencia(rng) -> list[Caso]:
    def tono(clase):
        return sonido(clase, rng, 0.5, dtype=np.float64)

    return [
        Caso("un tono grave, N_fft = 400 (la de Whisper)", (tono("tono grave"), 400)),
        Caso("un tono agudo, N_fft = 400", (tono("tono agudo"), 400)),
        Caso("un tono grave, N_fft = 1024", (tono("tono grave"), 1024)),
        Caso("un tono agudo, N_fft = 256", (tono("tono agudo"), 256)),
        Caso("un tono agudo, N_fft = 2048", (tono("tono agudo"), 2048)),
    ]


def _frecuencia(senal, n_fft, fallo=None):
    S = cn.espectrograma_potencia(senal, n_fft, 160)  # (n_fft/2 + 1, T)
    k = int(S.mean(axis=-1).argmax())  # el coeficiente con más potencia media
    ancho = {None: 16000 / n_fft, "indice": 1.0, "mitad": 8000 / n_fft, "salto": 16000 / 160}.get(fallo)
    if fallo == "coeficientes":
        ancho = 16000 / (n_fft // 2 + 1)
    return float(k * ancho)


EJERCICIOS = (
    Ejercicio(
        "audio-escala-mel",
        "La escala mel de Slaney",
        11,
        "funcion",
        "escala-mel",
        "escala_mel",
        cn.escala_mel,
        _casos_mel,
        (
            ErrorTipico(
                "fórmula de HTK",
                lambda f: _mel_mal(f, "htk"),
                "Usas la fórmula de HTK, 2595·log10(1 + f/700). Whisper (y librosa) usan la de Slaney: lineal, "
                "3f/200, por debajo de 1 kHz y 15 + 27·ln(f/1000)/ln 6.4 por encima.",
            ),
            ErrorTipico(
                "solo la parte lineal",
                lambda f: _mel_mal(f, "lineal"),
                "Aplicas 3f/200 a todas las frecuencias: por encima de 1 kHz la escala de Slaney es logarítmica.",
            ),
            ErrorTipico(
                "solo la parte logarítmica",
                lambda f: _mel_mal(f, "logaritmica"),
                "Aplicas la fórmula logarítmica también por debajo de 1 kHz (en 0 Hz da -inf): allí la escala es "
                "lineal, 3f/200. Elige el tramo con np.where(f >= 1000, …, …).",
            ),
            ErrorTipico(
                "sin el 15",
                lambda f: _mel_mal(f, "sin 15"),
                "Por encima de 1 kHz te falta sumar 15: la escala salta en 1 kHz. El tramo logarítmico es "
                "15 + 27·ln(f/1000)/ln 6.4, que vale 15 en 1000 Hz, igual que 3·1000/200.",
            ),
        ),
        comparar_dtype=False,
    ),
    Ejercicio(
        "audio-longitud-convolucion",
        "La longitud tras una convolución",
        11,
        "funcion",
        "longitud-salida-convolucion",
        "longitud_salida",
        cn.longitud_salida_convolucion,
        _casos_longitud,
        (
            ErrorTipico(
                "sin la dilatación",
                lambda *a: _longitud_mal(*a, "sin dilatacion"),
                "Ignoras la dilatación δ: un núcleo de k elementos con dilatación δ abarca δ(k - 1) + 1 muestras.",
            ),
            ErrorTipico(
                "redondeo hacia arriba",
                lambda *a: _longitud_mal(*a, "hacia arriba"),
                "Redondeas hacia arriba la división entre el paso: es la parte entera por abajo (⌊·⌋, // en Python).",
            ),
            ErrorTipico(
                "relleno de un solo lado",
                lambda *a: _longitud_mal(*a, "un lado"),
                "Sumas el relleno p una sola vez: nn.Conv1d rellena con p ceros a CADA lado, 2p en total.",
            ),
            ErrorTipico(
                "sin el +1",
                lambda *a: _longitud_mal(*a, "sin +1"),
                "Te falta el +1: la primera posición del núcleo ya da una salida; la división cuenta los pasos que "
                "caben después.",
            ),
        ),
    ),
    ejercicio_de_valor(
        "audio-tokens-whisper",
        "¿Cuántos tokens da un clip corto?",
        11,
        "longitud-salida-convolucion",
        "n_tokens",
        lambda: cn.longitud_salida_convolucion(
            cn.longitud_salida_convolucion(40_000, 400, paso=160, relleno=200) - 1, 3, paso=2, relleno=1
        ),
        (
            (
                "sin descartar la última trama",
                126,
                "Olvidas que Whisper descarta la última trama de la STFT antes del tallo (S[..., :-1]).",
            ),
            (
                "sin el paso 2",
                250,
                "Esas son las tramas: el tallo las reduce a la mitad con la segunda convolución, de paso 2.",
            ),
            ("solo la STFT", 251, "Ese es el número de tramas de la STFT; faltan el recorte y el tallo convolucional."),
            (
                "dos convoluciones de paso 2",
                63,
                "Solo la segunda convolución tiene paso 2; la primera conserva la longitud.",
            ),
            ("salto = N_fft", 50, "Las tramas avanzan R = 160 muestras (10 ms), no N_fft = 400: se solapan."),
        ),
    ),
    Ejercicio(
        "audio-frecuencia-dominante",
        "Experimento: la resolución de la STFT",
        11,
        "experimento",
        "espectrograma-potencia",
        "frecuencia_dominante",
        _frecuencia,
        _casos_frecuencia,
        (
            ErrorTipico(
                "el índice, no los hercios",
                lambda s, n: _frecuencia(s, n, "indice"),
                "Devuelves el índice ω del coeficiente; conviértelo en hercios: ω·f_s/N_fft.",
            ),
            ErrorTipico(
                "f_s/2 en lugar de f_s",
                lambda s, n: _frecuencia(s, n, "mitad"),
                "Cada coeficiente cubre f_s/N_fft hercios (40 Hz con N_fft = 400), no (f_s/2)/N_fft: los N_fft/2 + "
                "1 coeficientes van de 0 a f_s/2.",
            ),
            ErrorTipico(
                "dividir entre el salto",
                lambda s, n: _frecuencia(s, n, "salto"),
                "Divides entre el salto R = 160: la resolución en frecuencia depende del tamaño de la trama, "
                "f_s/N_fft, no de cada cuánto empieza una.",
            ),
            ErrorTipico(
                "dividir entre el número de coeficientes",
                lambda s, n: _frecuencia(s, n, "coeficientes"),
                "Divides f_s entre los N_fft/2 + 1 coeficientes; el coeficiente ω corresponde a ω·f_s/N_fft.",
            ),
        ),
        comparar_dtype=False,
        prohibidas=(),
    ),
)
