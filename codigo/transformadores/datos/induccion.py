"""Secuencias que se repiten: la tarea de juguete de las cabezas de inducción (capítulo 4).

Cada secuencia empieza con un bloque de ``L`` tokens distintos, elegidos al azar, y sigue con
**el mismo bloque otra vez**; el resto, hasta ``T = 2·longitud_max``, es relleno aleatorio. ``L``
cambia de una secuencia a otra, así que la posición absoluta no basta para adivinar el siguiente
token de la copia: hay que **buscar** dónde apareció antes el token actual y **copiar** el que le
siguió. Un transformador de dos capas lo resuelve con dos relaciones distintas, una por cabeza:
«el token anterior» y «el token que sigue a mi pareja» (las cabezas de inducción de Olsson et al.).

Los objetivos ``y[t] = x[t+1]`` solo existen donde la copia hace predecible el siguiente token
(``L ≤ t ≤ 2L-2``); en el resto ``y`` vale :data:`IGNORAR`, el ``ignore_index`` por omisión de
``F.cross_entropy``.
"""

from __future__ import annotations

import numpy as np

from ..errores import ErrorDeForma

__all__ = ["IGNORAR", "secuencias_repetidas", "posiciones_pareja"]

IGNORAR = -100


def _entero_positivo(nombre, valor):
    if isinstance(valor, bool) or not isinstance(valor, (int, np.integer)) or valor < 1:
        raise ErrorDeForma(f"'{nombre}' debe ser un entero positivo, pero se recibió {valor!r}.")


def secuencias_repetidas(n, n_vocab, longitud_min, longitud_max, rng):
    """Lote de ``n`` secuencias «bloque + el mismo bloque + relleno», con sus objetivos de copia.

    Parámetros
    ----------
    n_vocab : tokens distintos (al menos ``longitud_max``: el bloque no repite tokens).
    longitud_min, longitud_max : la longitud ``L`` de cada bloque se elige uniforme en este rango.
    rng : ``np.random.Generator``.

    Formas
    ------
    devuelve x : (n, T), enteros en [0, n_vocab), con ``T = 2·longitud_max``
             y : (n, T), ``y[b, t] = x[b, t+1]`` donde es predecible copiando, :data:`IGNORAR` en el resto
             longitudes : (n,), la ``L`` de cada secuencia
    """
    argumentos = {"n": n, "n_vocab": n_vocab, "longitud_min": longitud_min, "longitud_max": longitud_max}
    for nombre, valor in argumentos.items():
        _entero_positivo(nombre, valor)
    if not 2 <= longitud_min <= longitud_max <= n_vocab:
        raise ErrorDeForma(
            "Debe cumplirse 2 ≤ longitud_min ≤ longitud_max ≤ n_vocab, pero se recibió "
            f"longitud_min={longitud_min}, longitud_max={longitud_max}, n_vocab={n_vocab}."
        )
    T = 2 * longitud_max
    x = rng.integers(0, n_vocab, size=(n, T))  # relleno aleatorio; lo sobrescribimos con los bloques
    y = np.full((n, T), IGNORAR, dtype=np.int64)
    longitudes = rng.integers(longitud_min, longitud_max + 1, size=n)  # (n,)
    for b, L in enumerate(longitudes):
        bloque = rng.permutation(n_vocab)[:L]  # L tokens distintos
        x[b, :L] = x[b, L : 2 * L] = bloque
        y[b, L : 2 * L - 1] = bloque[1:]  # en la copia, el siguiente token es el que siguió a la pareja
    return x.astype(np.int64), y, longitudes


def posiciones_pareja(x, longitudes):
    """Para cada posición ``t`` de la copia, la posición ``t - L`` donde apareció antes su token.

    Formas
    ------
    x : (n, T)    longitudes : (n,)
    devuelve : (n, T), enteros; -1 fuera de la copia (``t < L`` o ``t ≥ 2L``)
    """
    n, T = np.shape(x)
    t = np.arange(T)[None, :]  # (1, T)
    L = np.asarray(longitudes)[:, None]  # (n, 1)
    return np.where((t >= L) & (t < 2 * L), t - L, -1)  # (n, T)
