"""Gemelo en PyTorch: mismas funciones, nombres y firmas que ``transformadores.con_numpy``.

Funciona en cualquier dispositivo (CPU, CUDA, MPS) y tipo (float32, float64, bfloat16): los
resultados se crean en el dispositivo y con el tipo de las entradas. Un módulo por concepto;
cada uno declara ``__all__`` y aquí se reexportan todos.
"""

from .._reexportar import reexportar

__all__ = reexportar(__name__, __path__, globals())
