"""Números en palabras (capítulo 8): el generador de datos del experimento de secuencia a secuencia.

:func:`en_palabras` escribe un entero de 0 a 9999 como se dice en español («2021» → «dos mil
veintiuno»). :func:`vocabulario_numeros` y :func:`datos_numeros` convierten los pares
(cifras, palabras) en tensores de enteros para un codificador-decodificador: la entrada son las
cuatro cifras (con ceros a la izquierda) y la salida, ``[bos, palabras…, eos, relleno…]``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["en_palabras", "vocabulario_numeros", "datos_numeros", "NUMERO_MAXIMO", "CIFRAS"]

NUMERO_MAXIMO = 9999
CIFRAS = 4

_UNIDADES = ("cero uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince "
             "dieciséis diecisiete dieciocho diecinueve veinte veintiuno veintidós veintitrés veinticuatro "
             "veinticinco veintiséis veintisiete veintiocho veintinueve").split()  # fmt: skip
_DECENAS = {3: "treinta", 4: "cuarenta", 5: "cincuenta", 6: "sesenta", 7: "setenta", 8: "ochenta", 9: "noventa"}
_CENTENAS = {1: "ciento", 2: "doscientos", 3: "trescientos", 4: "cuatrocientos", 5: "quinientos",
             6: "seiscientos", 7: "setecientos", 8: "ochocientos", 9: "novecientos"}  # fmt: skip


def _hasta_99(n: int) -> list[str]:
    if n < 30:
        return [_UNIDADES[n]]
    decena, unidad = divmod(n, 10)
    return [_DECENAS[decena]] + (["y", _UNIDADES[unidad]] if unidad else [])


def _hasta_999(n: int) -> list[str]:
    if n == 100:
        return ["cien"]
    centena, resto = divmod(n, 100)
    return ([_CENTENAS[centena]] if centena else []) + (_hasta_99(resto) if resto or not centena else [])


def en_palabras(n: int) -> str:
    """El entero ``n`` (0 ≤ n ≤ 9999) escrito en palabras: 21 → «veintiuno», 101 → «ciento uno».

    >>> en_palabras(1234)
    'mil doscientos treinta y cuatro'
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"'n' debe ser un entero, pero se recibió {n!r}.")
    if not 0 <= n <= NUMERO_MAXIMO:
        raise ValueError(f"'n' debe estar entre 0 y {NUMERO_MAXIMO}, pero se recibió {n}.")
    n = int(n)
    millar, resto = divmod(n, 1000)
    palabras = [] if millar == 0 else ["mil"] if millar == 1 else [_UNIDADES[millar], "mil"]
    if resto or not millar:
        palabras += _hasta_999(resto)
    return " ".join(palabras)


def vocabulario_numeros() -> list[str]:
    """Los tokens del problema: relleno, bos, eos, las diez cifras y todas las palabras posibles."""
    palabras = sorted({p for n in range(NUMERO_MAXIMO + 1) for p in en_palabras(n).split()})
    return ["<pad>", "<bos>", "<eos>"] + [str(c) for c in range(10)] + palabras


def datos_numeros(numeros, vocabulario=None):
    """Tensores de entrada y salida para los enteros ``numeros``.

    Devuelve ``(z, x)``: ``z`` (N, 4) con las cifras (ceros a la izquierda) y ``x`` (N, T) con
    ``[bos, palabras…, eos]`` y relleno (id 0) hasta la frase más larga posible (T = 8).
    """
    vocabulario = vocabulario_numeros() if vocabulario is None else vocabulario
    indice = {t: i for i, t in enumerate(vocabulario)}
    numeros = np.asarray(numeros, dtype=np.int64)
    z = np.array([[indice[c] for c in f"{n:0{CIFRAS}d}"] for n in numeros], dtype=np.int64).reshape(-1, CIFRAS)
    T = 8  # bos + 6 palabras como mucho + eos
    x = np.zeros((len(numeros), T), dtype=np.int64)
    for fila, n in enumerate(numeros):
        ids = [1] + [indice[p] for p in en_palabras(int(n)).split()] + [2]
        x[fila, : len(ids)] = ids
    return z, x
