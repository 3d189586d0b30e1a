"""Exploradores interactivos (ipywidgets) de los capítulos.

Cada explorador funciona de dos maneras: en Jupyter, con núcleo, sus controles recalculan en
Python; en la web estática, sin núcleo, los controles están enlazados en el navegador
(``widgets.jslink``) a una pila de figuras precalculadas, así que siguen respondiendo.
"""

from .atencion import ExploradorAtencion
from .muestreo import ExploradorMuestreo
from .posiciones import ExploradorPosiciones

__all__ = ["ExploradorAtencion", "ExploradorMuestreo", "ExploradorPosiciones"]
