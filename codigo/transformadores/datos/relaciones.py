"""Secuencias de juguete en las que cada salida depende de varias posiciones a la vez (capítulo 6).

Para cada posición ``t`` de una secuencia aleatoria ``x`` hay ``R`` objetivos: los tokens que
están ``a_1, …, a_R`` posiciones atrás, ``y[t, r] = x[t - a_r]``. Cada objetivo es una relación
distinta entre posiciones («el anterior», «el de tres atrás»…), y el modelo debe resolverlas todas
a la vez. Donde ``t - a_r < 0`` no hay objetivo y ``y`` vale :data:`IGNORAR`, el ``ignore_index``
por omisión de ``F.cross_entropy``.
"""

from __future__ import annotations

import numpy as np

from ..errores import ErrorDeForma

__all__ = ["IGNORAR", "secuencias_con_relaciones"]

IGNORAR = -100


def _validar(n, longitud, n_vocab, desplazamientos) -> tuple[int, ...]:
    for nombre, valor in (("n", n), ("longitud", longitud), ("n_vocab", n_vocab)):
        if isinstance(valor, bool) or not isinstance(valor, (int, np.integer)) or valor < 1:
            raise ErrorDeForma(f"'{nombre}' debe ser un entero positivo, pero se recibió {valor!r}.")
    desplazamientos = tuple(desplazamientos)
    if not desplazamientos or any(isinstance(a, bool) or not isinstance(a, (int, np.integer)) for a in desplazamientos):
        raise ErrorDeForma(
            f"'desplazamientos' debe ser una lista no vacía de enteros, pero se recibió {desplazamientos!r}."
        )
    if min(desplazamientos) < 1 or max(desplazamientos) >= longitud:
        raise ErrorDeForma(
            f"Cada desplazamiento debe estar entre 1 y longitud-1={longitud - 1}, pero se recibió {desplazamientos}."
        )
    if len(set(desplazamientos)) != len(desplazamientos):
        raise ErrorDeForma(f"Los desplazamientos deben ser distintos, pero se recibió {desplazamientos}.")
    return desplazamientos


def secuencias_con_relaciones(n, longitud=12, n_vocab=8, desplazamientos=(1, 3), rng=None):
    """``n`` secuencias aleatorias uniformes y, para cada posición, los tokens ``a_r`` posiciones atrás.

    Parámetros
    ----------
    n : número de secuencias.
    longitud : T, tokens por secuencia.
    n_vocab : N_V; los tokens son enteros en ``[0, N_V)``.
    desplazamientos : ``(a_1, …, a_R)``, enteros distintos entre 1 y T-1: una relación cada uno.
    rng : ``np.random.Generator``; None crea uno sin semilla.

    Devuelve
    --------
    x : (n, T) int64    y : (n, T, R) int64, ``y[:, t, r] = x[:, t - a_r]`` o :data:`IGNORAR` si ``t < a_r``

    Ejemplos
    --------
    >>> x, y = secuencias_con_relaciones(1, longitud=5, n_vocab=10, desplazamientos=(1, 3),
    ...                                  rng=np.random.default_rng(0))
    >>> x[0].tolist(), y[0, 4].tolist()
    ([8, 6, 5, 2, 3], [2, 6])
    """
    desplazamientos = _validar(n, longitud, n_vocab, desplazamientos)
    rng = np.random.default_rng() if rng is None else rng
    x = rng.integers(0, n_vocab, size=(n, longitud), dtype=np.int64)  # (n, T)
    y = np.full((n, longitud, len(desplazamientos)), IGNORAR, dtype=np.int64)  # (n, T, R)
    for r, a in enumerate(desplazamientos):
        y[:, a:, r] = x[:, :-a]
    return x, y
