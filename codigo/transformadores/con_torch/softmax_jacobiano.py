"""Jacobiano del softmax (capítulo 3), gemelo PyTorch."""

from __future__ import annotations

import torch

from ..ecuaciones import implementa
from ..errores import comprobar_forma
from .softmax import softmax

__all__ = ["jacobiano_softmax"]


@implementa("softmax-jacobiano")
def jacobiano_softmax(z):
    """Jacobiano del softmax, ``J = diag(s) - s sᵀ`` (ec. `softmax-jacobiano`); gemelo de ``con_numpy``.

    Formas
    ------
    z : (..., N)    salida : (..., N, N)

    Lanza
    -----
    TypeError si ``z`` no es de coma flotante; ErrorDeForma si es un escalar o contiene NaN o +inf.
    """
    comprobar_forma("z", z, "... N")  # al menos un eje
    s = softmax(z, eje=-1)  # (..., N)
    return torch.diag_embed(s) - s[..., :, None] * s[..., None, :]  # (..., N, N)
