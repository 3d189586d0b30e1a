"""Muestra en un cuaderno el código fuente de una función del paquete.

Los capítulos nunca copian código: lo enseñan desde el paquete con :func:`mostrar_fuente` y
después lo ejecutan. Si el paquete cambia, la salida guardada deja de coincidir y nbval lo avisa.
"""

from __future__ import annotations

import inspect
from pathlib import Path

__all__ = ["Fuente", "mostrar_fuente"]

_RAIZ = Path(__file__).resolve().parent.parent


class Fuente:
    """El código de una función, con su ruta; se ve resaltado en Jupyter y en el libro."""

    def __init__(self, objeto):
        self.codigo = inspect.getsource(objeto).rstrip()
        ruta = Path(inspect.getsourcefile(objeto)).resolve()
        self.ruta = ruta.relative_to(_RAIZ).as_posix() if ruta.is_relative_to(_RAIZ) else ruta.name

    def _repr_markdown_(self) -> str:
        return f"`{self.ruta}`\n\n```python\n{self.codigo}\n```"

    def __repr__(self) -> str:
        return f"# {self.ruta}\n{self.codigo}"


def mostrar_fuente(objeto) -> Fuente:
    """Devuelve el código fuente de ``objeto`` (función o clase) listo para mostrarse en un cuaderno."""
    return Fuente(objeto)
