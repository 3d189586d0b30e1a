"""Comprobaciones del audio: STFT, escala mel y tallo convolucional de Whisper (capítulo 11)."""

from __future__ import annotations

from ..errores import ErrorDeForma, Formas, comprobar_finito, comprobar_flotante
from .atencion import validar_longitud, validar_pesos

__all__ = [
    "validar_senal",
    "validar_escala_mel",
    "validar_frecuencias",
    "validar_banco_mel",
    "validar_mel",
    "validar_submuestreo",
    "validar_convolucion",
    "validar_sinusoides",
    "validar_parches_espectrograma",
]

ESCALAS_MEL = ("htk", "slaney")


def validar_senal(x, n_fft, salto) -> Formas:
    """Señal ``x`` (..., L) de coma flotante con ``L > n_fft/2`` (el relleno reflejado lo exige)."""
    validar_longitud("n_fft", n_fft)
    validar_longitud("salto", salto)
    comprobar_flotante("x", x)
    f = Formas()
    f.comprobar("x", x, "... L")
    comprobar_finito("x", x)
    if f["L"] <= n_fft // 2:
        raise ErrorDeForma(
            f"'x' debe tener forma (..., L) con L > n_fft/2={n_fft // 2} (relleno reflejado), "
            f"pero se recibió {tuple(x.shape)}."
        )
    return f


def validar_escala_mel(escala) -> str:
    """La escala mel debe ser 'htk' o 'slaney'."""
    if escala not in ESCALAS_MEL:
        raise ErrorDeForma(f"'escala' debe ser 'htk' o 'slaney', pero se recibió {escala!r}.")
    return escala


def validar_frecuencias(nombre: str, f, escala) -> None:
    """Frecuencias (en Hz o en mel) de coma flotante, finitas y no negativas."""
    validar_escala_mel(escala)
    comprobar_flotante(nombre, f)
    comprobar_finito(nombre, f)
    if bool((f < 0).any()):
        raise ErrorDeForma(f"'{nombre}' debe contener valores no negativos, pero su mínimo es {float(f.min())!r}.")


def validar_banco_mel(n_fft, n_mels, f_muestreo, f_min, f_max, escala, norma) -> float:
    """Hiperparámetros del banco de filtros; devuelve ``f_max`` (``f_muestreo/2`` si es None)."""
    validar_longitud("n_fft", n_fft)
    validar_longitud("n_mels", n_mels)
    validar_escala_mel(escala)
    if norma not in (None, "slaney"):
        raise ErrorDeForma(f"'norma' debe ser None o 'slaney', pero se recibió {norma!r}.")
    if isinstance(f_muestreo, bool) or not isinstance(f_muestreo, (int, float)) or not f_muestreo > 0:
        raise ErrorDeForma(f"'f_muestreo' debe ser un número positivo, pero se recibió {f_muestreo!r}.")
    f_max = f_muestreo / 2 if f_max is None else f_max
    if not 0 <= f_min < f_max <= f_muestreo / 2:
        raise ErrorDeForma(
            f"Las frecuencias deben cumplir 0 ≤ f_min < f_max ≤ f_muestreo/2={f_muestreo / 2}, "
            f"pero se recibió f_min={f_min!r}, f_max={f_max!r}."
        )
    return float(f_max)


def validar_mel(mel) -> Formas:
    """Espectrograma mel (..., n_mels, T) de coma flotante, finito y no negativo."""
    comprobar_flotante("mel", mel)
    f = Formas()
    f.comprobar("mel", mel, "... n_mels T")
    comprobar_finito("mel", mel)
    if bool((mel < 0).any()):
        raise ErrorDeForma("'mel' es un espectro de potencia: no puede tener valores negativos.")
    return f


def validar_submuestreo(L, W_1, b_1, W_2, b_2, PE) -> Formas:
    """Argumentos del tallo convolucional de Whisper (ec. `conv-submuestreo-whisper`)."""
    f = validar_pesos(
        Formas(),
        ("L", L, "... n_mels T"), ("W_1", W_1, "d n_mels 3"), ("b_1", b_1, "d"),
        ("W_2", W_2, "d d 3"), ("b_2", b_2, "d"),
    )  # fmt: skip
    f.fijar("T'", (f["T"] - 1) // 2 + 1, "L")
    if PE is not None:
        validar_pesos(f, ("PE", PE, "T' d"))
    return f


def validar_convolucion(L_in, k, paso, relleno, dilatacion) -> int:
    """Hiperparámetros de una convolución 1D; devuelve ``L_out`` si es al menos 1."""
    for nombre, n in (("L_in", L_in), ("k", k), ("paso", paso), ("dilatacion", dilatacion)):
        validar_longitud(nombre, n)
    if isinstance(relleno, bool) or not isinstance(relleno, int) or relleno < 0:
        raise ErrorDeForma(f"'relleno' debe ser un entero no negativo, pero se recibió {relleno!r}.")
    efectivo = dilatacion * (k - 1) + 1
    if L_in + 2 * relleno < efectivo:
        raise ErrorDeForma(
            f"La entrada rellenada (L_in + 2·relleno = {L_in + 2 * relleno}) es más corta que el núcleo "
            f"dilatado (dilatacion·(k-1)+1 = {efectivo}): no cabe ninguna posición."
        )
    return (L_in + 2 * relleno - efectivo) // paso + 1


def validar_sinusoides(longitud, canales, escala_max) -> None:
    """``canales`` par y al menos 4 (el incremento divide por ``canales/2 - 1``)."""
    validar_longitud("longitud", longitud)
    validar_longitud("canales", canales)
    if canales % 2 or canales < 4:
        raise ErrorDeForma(f"'canales' debe ser un entero par mayor o igual que 4, pero se recibió {canales!r}.")
    if isinstance(escala_max, bool) or not isinstance(escala_max, (int, float)) or not escala_max > 1:
        raise ErrorDeForma(f"'escala_max' debe ser un número mayor que 1, pero se recibió {escala_max!r}.")


def validar_parches_espectrograma(espectrograma, tamano, paso) -> Formas:
    """Espectrograma (..., F, T) con F y T al menos ``tamano``."""
    validar_longitud("tamano", tamano)
    validar_longitud("paso", paso)
    comprobar_flotante("espectrograma", espectrograma)
    f = Formas()
    f.comprobar("espectrograma", espectrograma, "... F T")
    if f["F"] < tamano or f["T"] < tamano:
        raise ErrorDeForma(
            f"'espectrograma' debe tener forma (..., F, T) con F y T al menos tamano={tamano}, "
            f"pero se recibió {tuple(espectrograma.shape)}."
        )
    return f
