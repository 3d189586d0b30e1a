"""Softmax y log-softmax estables (capítulo 3), gemelo PyTorch."""

from __future__ import annotations

import torch

from ..ecuaciones import implementa
from ..errores import ErrorDeForma, comprobar_flotante
from ..validacion import validar_eje

__all__ = ["softmax", "log_softmax"]


def _validar_puntuaciones(z, eje) -> None:
    comprobar_flotante("z", z)
    validar_eje("z", z, eje)
    if torch.isnan(z).any() or torch.isposinf(z).any():
        raise ErrorDeForma("'z' contiene NaN o +inf; solo se admite -inf (posiciones enmascaradas).")


@implementa("softmax")
def softmax(z, eje=-1):
    """Softmax estable a lo largo de ``eje`` (ec. `softmax`); gemelo de ``con_numpy.softmax``.

    Formas
    ------
    z : (..., N)    salida : (..., N), cada fila suma 1

    Una fila entera de ``-inf`` da una fila de ceros, nunca NaN.
    """
    _validar_puntuaciones(z, eje)
    m = z.amax(dim=eje, keepdim=True)  # (..., 1)
    m = torch.where(torch.isfinite(m), m, torch.zeros_like(m))
    e = torch.exp(z - m)
    suma = e.sum(dim=eje, keepdim=True)
    return e / torch.where(suma == 0, torch.ones_like(suma), suma)


@implementa("log-softmax-estable")
def log_softmax(z, eje=-1):
    """Log-softmax con log-sum-exp (ec. `log-softmax-estable`); gemelo de ``con_numpy.log_softmax``.

    Formas
    ------
    z : (..., N)    salida : (..., N)
    """
    _validar_puntuaciones(z, eje)
    return z - torch.logsumexp(z, dim=eje, keepdim=True)
