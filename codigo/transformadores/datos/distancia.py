"""Dependencias a larga distancia: recordar el primer token tras ``D`` distractores (capítulo 7).

Cada secuencia es ``[a, d_1, …, d_D, ?]``: el primer token ``a`` es la respuesta, los ``D``
distractores ``d_i`` salen del **mismo** alfabeto que ``a`` (así que solo la posición distingue la
respuesta de los distractores) y el último token es una consulta fija ``?`` (el símbolo
``n_simbolos``). Un modelo que lee de izquierda a derecha debe predecir ``a`` en la posición de
``?``: la información útil está ``D + 1`` pasos atrás.
"""

from __future__ import annotations

import numpy as np

from ..errores import ErrorDeForma

__all__ = ["recordar_primero"]


def _entero(nombre, valor, minimo):
    if isinstance(valor, bool) or not isinstance(valor, (int, np.integer)) or valor < minimo:
        raise ErrorDeForma(f"'{nombre}' debe ser un entero ≥ {minimo}, pero se recibió {valor!r}.")


def recordar_primero(n, distancia, n_simbolos, rng):
    """Lote de ``n`` secuencias «respuesta, ``distancia`` distractores, consulta» y sus respuestas.

    Parámetros
    ----------
    n : número de secuencias.
    distancia : ``D``, número de distractores entre la respuesta y la consulta (≥ 0).
    n_simbolos : tamaño del alfabeto de respuestas y distractores (≥ 2); el vocabulario tiene
        ``n_simbolos + 1`` tokens porque la consulta ``?`` es el token ``n_simbolos``.
    rng : ``np.random.Generator``.

    Formas
    ------
    x : (n, distancia + 2), enteros    y : (n,), enteros en ``[0, n_simbolos)``, ``y = x[:, 0]``
    """
    _entero("n", n, 1)
    _entero("distancia", distancia, 0)
    _entero("n_simbolos", n_simbolos, 2)
    x = rng.integers(0, n_simbolos, (n, distancia + 2))
    x[:, -1] = n_simbolos  # la consulta «?»
    return x, x[:, 0].copy()
