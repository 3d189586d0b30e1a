"""Comprobaciones de argumentos compartidas por los dos gemelos (NumPy y PyTorch).

Trabajan con cualquier objeto que tenga ``.shape`` y ``.dtype``: la misma comprobación, con
el mismo mensaje en español, sirve para arreglos y tensores. Un módulo por tema.
"""

from .atencion import *  # noqa: F403
from .atencion import __all__ as _atencion

__all__ = [*_atencion]
