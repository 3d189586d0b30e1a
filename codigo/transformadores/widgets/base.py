"""Base de los exploradores que responden sin núcleo: dos controles y una pila de figuras precalculadas.

El patrón es el del explorador de atención: cada combinación de valores de los dos controles tiene
su figura, calculada al crear el explorador. Las figuras se guardan en una pila de pilas
(``widgets.Stack``): el control exterior elige la pila y el interior, la figura. Los índices de los
controles se enlazan con ``widgets.jslink`` a los ``selected_index`` de las pilas, así que en la web
estática (sin Python detrás) los controles siguen funcionando. Con núcleo, además, observamos los
controles en Python para mantener al día los valores calculados (y poder probarlos sin navegador).
"""

from __future__ import annotations

import base64
import html
import re

import ipywidgets as widgets

from ..graficos import figura_a_png

__all__ = ["ExploradorPrecalculado", "imagen", "png_de", "descripcion_de", "NOTA_EN_VIVO"]

NOTA_EN_VIVO = (
    "En esta web las figuras están precalculadas y cada control elige cuál se ve. Para ejecutarlo en vivo, "
    "con tus propios valores, abre el cuaderno en Jupyter (o en Colab o Binder, con el botón del cohete de la "
    "barra superior) y crea {llamada}."
)


_IMAGEN = re.compile(r'<img src="data:image/png;base64,([^"]*)" alt="([^"]*)"')


def imagen(fig, descripcion: str) -> widgets.HTML:
    """La figura ``fig`` como ``<img>`` PNG con ``descripcion`` de texto alternativo; cierra la figura.

    Usamos un widget ``HTML`` y no ``Image`` porque ``Image`` no admite texto alternativo (y su
    ``tooltip`` rompe la vista en el gestor de widgets 8: la imagen no se dibuja).
    """
    datos = base64.b64encode(figura_a_png(fig)).decode("ascii")
    return widgets.HTML(f'<img src="data:image/png;base64,{datos}" alt="{html.escape(descripcion, quote=True)}">')


def png_de(imagen_html: widgets.HTML) -> bytes:
    """Los bytes PNG de un widget creado con :func:`imagen`."""
    return base64.b64decode(_IMAGEN.match(imagen_html.value).group(1))


def descripcion_de(imagen_html: widgets.HTML) -> str:
    """El texto alternativo de un widget creado con :func:`imagen`."""
    return html.unescape(_IMAGEN.match(imagen_html.value).group(2))


class ExploradorPrecalculado(widgets.VBox):
    """Dos controles (``exterior`` e ``interior``) que eligen ``figuras[i][j]`` con o sin núcleo.

    Las subclases calculan sus resultados y figuras, llaman a :meth:`_montar` y definen
    :meth:`_al_cambiar`, que recibe los índices ``(i, j)`` elegidos.
    """

    def _montar(self, exterior, interior, figuras: list[list[widgets.HTML]], llamada: str) -> None:
        self.exterior, self.interior = exterior, interior
        pilas = [widgets.Stack(fila, selected_index=0) for fila in figuras]
        self.figuras = widgets.Stack(pilas, selected_index=0)
        # En el navegador (con o sin núcleo): los controles eligen la figura precalculada.
        self._enlaces = [widgets.jslink((exterior, "index"), (self.figuras, "selected_index"))]
        self._enlaces += [widgets.jslink((interior, "index"), (p, "selected_index")) for p in pilas]
        # En Python (con núcleo o en las pruebas): lo mismo, y además los valores calculados.
        exterior.observe(self._actualizar, names="index")
        interior.observe(self._actualizar, names="index")
        self._actualizar()
        nota = widgets.HTML(f"<small>{NOTA_EN_VIVO.format(llamada=llamada)}</small>")
        controles = widgets.HBox([exterior, interior], layout=widgets.Layout(flex_flow="row wrap"))
        super().__init__([controles, self.figuras, nota])

    def _actualizar(self, _cambio=None) -> None:
        i, j = self.exterior.index, self.interior.index
        self.figuras.selected_index = i
        self.figuras.children[i].selected_index = j
        self._al_cambiar(i, j)

    def _al_cambiar(self, i: int, j: int) -> None:  # pragma: no cover - lo definen las subclases
        raise NotImplementedError

    @property
    def imagen_visible(self) -> widgets.HTML:
        """El widget con la figura que se ve ahora."""
        pila = self.figuras.children[self.figuras.selected_index]
        return pila.children[pila.selected_index]

    @property
    def imagen_actual(self) -> bytes:
        """PNG de la figura que se ve ahora."""
        return png_de(self.imagen_visible)

    @property
    def descripcion_actual(self) -> str:
        """Texto alternativo de la figura que se ve ahora."""
        return descripcion_de(self.imagen_visible)
