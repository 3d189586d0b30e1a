"""Detectar un motivo local: ¿aparecen tres tokens seguidos en un orden dado? (capítulo 16).

Cada secuencia tiene ``longitud`` tokens de un alfabeto de ``n_simbolos``. En las **positivas**
aparece el motivo ``(0, 1, 2)`` en posiciones consecutivas, en un lugar elegido al azar; en las
**negativas**, en ese lugar aparecen los mismos tres tokens en otro orden (un anagrama: ``(2, 1, 0)``,
``(1, 0, 2)``…) y el motivo no aparece en ninguna parte. Las dos clases tienen, por tanto, la misma
distribución de **cuántos** tokens de cada tipo contienen: solo el **orden** de tokens vecinos
distingue una de otra. Es la clase de patrón para el que una convolución está hecha (un filtro de
anchura 3 que se desliza) y que una red recurrente reconoce con un autómata de tres estados.
"""

from __future__ import annotations

import numpy as np

from ..errores import ErrorDeForma

__all__ = ["MOTIVO", "motivo_local", "contiene_motivo"]

MOTIVO = (0, 1, 2)


def _entero(nombre, valor, minimo):
    if isinstance(valor, bool) or not isinstance(valor, (int, np.integer)) or valor < minimo:
        raise ErrorDeForma(f"'{nombre}' debe ser un entero ≥ {minimo}, pero se recibió {valor!r}.")


def contiene_motivo(x, motivo=MOTIVO):
    """Para cada fila de ``x``, si contiene ``motivo`` en posiciones consecutivas.

    Formas
    ------
    x : (n, T), enteros    salida : (n,), booleana
    """
    x = np.asarray(x)
    k = len(motivo)
    ventanas = np.lib.stride_tricks.sliding_window_view(x, k, axis=-1)  # (n, T-k+1, k)
    return (ventanas == np.asarray(motivo)).all(axis=-1).any(axis=-1)


def motivo_local(n, longitud, n_simbolos, rng):
    """Lote equilibrado de ``n`` secuencias con el motivo ``(0, 1, 2)`` (clase 1) o un anagrama suyo (clase 0).

    Parámetros
    ----------
    n : número de secuencias (par: la mitad de cada clase, en orden aleatorio).
    longitud : ``T``, tokens por secuencia (≥ 3).
    n_simbolos : tamaño del alfabeto (≥ 3); el motivo usa los tokens 0, 1 y 2.
    rng : ``np.random.Generator``.

    Formas
    ------
    x : (n, longitud), enteros en ``[0, n_simbolos)``    y : (n,), enteros en {0, 1}
    """
    _entero("n", n, 2)
    _entero("longitud", longitud, 3)
    _entero("n_simbolos", n_simbolos, 3)
    if n % 2:
        raise ErrorDeForma(f"'n' debe ser par (mitad de cada clase), pero se recibió {n}.")
    y = rng.permutation(np.repeat([0, 1], n // 2))
    anagramas = np.array([p for p in ([0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0])])
    x = np.empty((n, longitud), dtype=np.int64)
    pendientes = np.arange(n)
    while pendientes.size:  # rechazo: las negativas no pueden contener el motivo por casualidad
        m = pendientes.size
        fondo = rng.integers(0, n_simbolos, (m, longitud))
        inicio = rng.integers(0, longitud - 2, m)
        insertado = np.where(y[pendientes, None] == 1, np.asarray(MOTIVO), anagramas[rng.integers(0, 5, m)])
        fondo[np.arange(m)[:, None], inicio[:, None] + np.arange(3)] = insertado  # (m, 3) tokens seguidos
        x[pendientes] = fondo
        malas = (y[pendientes] == 0) & contiene_motivo(fondo)
        pendientes = pendientes[malas]
    return x, y
