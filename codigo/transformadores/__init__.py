"""«transformadores»: cada ecuación del libro en NumPy (referencia) y en PyTorch (CPU o GPU).

- ``transformadores.con_numpy``: gemelo de referencia en NumPy puro.
- ``transformadores.con_torch``: gemelo en PyTorch, mismas firmas, cualquier dispositivo.
- ``transformadores.ecuaciones``: registro id → capítulo, implementaciones.
- ``transformadores.errores``: ``ErrorDeForma`` y la comprobación de formas.
"""

from .errores import ErrorDeForma, Formas, comprobar_forma

__version__ = "0.1.0"
__all__ = ["ErrorDeForma", "Formas", "comprobar_forma", "__version__"]
