"""Gemelo de referencia en NumPy puro: una función por ecuación, pesos explícitos, azar por ``rng``.

Un módulo por concepto (``softmax``, ``mascaras``, ``atencion``…); cada uno declara ``__all__``
y aquí se reexportan todos. Los nombres, parámetros y valores devueltos coinciden con los de
``transformadores.con_torch``.
"""

from .._reexportar import reexportar

__all__ = reexportar(__name__, __path__, globals())
