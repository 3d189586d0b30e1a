"""Jacobiano del softmax (capítulo 3): por qué las puntuaciones grandes saturan el gradiente."""

from __future__ import annotations

import numpy as np

from ..ecuaciones import implementa
from ..errores import comprobar_forma
from .softmax import softmax

__all__ = ["jacobiano_softmax"]


@implementa("softmax-jacobiano")
def jacobiano_softmax(z):
    """Jacobiano del softmax respecto de sus entradas (ec. `softmax-jacobiano`).

    ``∂s_i/∂z_j = s_i (δ_ij - s_j)``, es decir, ``J = diag(s) - s sᵀ`` con ``s = softmax(z)``.
    ``J`` es simétrica, sus filas suman 0 (sumar una constante a ``z`` no cambia ``s``) y,
    cuando ``s`` se acerca a un vector one-hot (puntuaciones muy grandes), ``J → 0``: el
    gradiente se desvanece. Por eso dividimos las puntuaciones por ``√d_k``.

    Formas
    ------
    z : (..., N)    salida : (..., N, N), un jacobiano por fila de ``z``

    Lanza
    -----
    TypeError si ``z`` no es de coma flotante; ErrorDeForma si es un escalar o contiene NaN o +inf.
    """
    comprobar_forma("z", z, "... N")  # al menos un eje
    s = softmax(z, eje=-1)  # (..., N); también comprueba z
    diagonal = s[..., :, None] * np.eye(s.shape[-1], dtype=s.dtype)  # (..., N, N)
    return diagonal - s[..., :, None] * s[..., None, :]  # (..., N, N)
