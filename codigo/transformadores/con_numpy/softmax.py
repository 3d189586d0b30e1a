"""Softmax y log-softmax estables (capítulo 3)."""

from __future__ import annotations

import numpy as np

from ..ecuaciones import implementa
from ..errores import ErrorDeForma, comprobar_flotante
from ..validacion import validar_eje

__all__ = ["softmax", "log_softmax"]


def _validar_puntuaciones(z, eje) -> None:
    comprobar_flotante("z", z)
    validar_eje("z", z, eje)
    if np.isnan(z).any() or np.isposinf(z).any():
        raise ErrorDeForma("'z' contiene NaN o +inf; solo se admite -inf (posiciones enmascaradas).")


@implementa("softmax")
def softmax(z, eje=-1):
    """Softmax estable a lo largo de ``eje`` (ec. `softmax`).

    Restamos el máximo de cada fila antes de exponenciar: el resultado es el mismo
    (softmax es invariante a sumar una constante) y ``exp`` nunca desborda.

    Formas
    ------
    z : (..., N)    salida : (..., N), cada fila suma 1

    Una fila entera de ``-inf`` (todo enmascarado) da una fila de ceros, nunca NaN.

    Lanza
    -----
    TypeError si ``z`` no es de coma flotante; ErrorDeForma si contiene NaN o +inf.
    """
    _validar_puntuaciones(z, eje)
    m = z.max(axis=eje, keepdims=True)  # (..., 1)
    m = np.where(np.isfinite(m), m, 0.0)  # fila toda -inf: evitamos -inf - -inf
    e = np.exp(z - m)  # (..., N), valores en [0, 1]
    suma = e.sum(axis=eje, keepdims=True)
    return e / np.where(suma == 0, 1.0, suma)


@implementa("log-softmax-estable")
def log_softmax(z, eje=-1):
    """Log-softmax con el truco log-sum-exp (ec. `log-softmax-estable`).

    ``log softmax(z)_i = z_i - (m + log Σ_j exp(z_j - m))`` con ``m = max_j z_j``.

    Formas
    ------
    z : (..., N)    salida : (..., N), ``exp(salida)`` suma 1 en cada fila
    """
    _validar_puntuaciones(z, eje)
    m = z.max(axis=eje, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    with np.errstate(divide="ignore"):  # log(0) = -inf solo en filas todo -inf
        lse = m + np.log(np.exp(z - m).sum(axis=eje, keepdims=True))  # (..., 1)
    return z - lse
