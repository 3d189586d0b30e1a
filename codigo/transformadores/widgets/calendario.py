"""Explorador del calendario de la tasa de aprendizaje con calentamiento de Vaswani (capítulo 8).

``η(s) = d_modelo^(-1/2) · min(s^(-1/2), s·w^(-3/2))`` (ec. `calendario-calentamiento-vaswani`):
crece en línea recta durante los ``w`` pasos de calentamiento y después decae como ``s^(-1/2)``.
El explorador dibuja la curva elegida con dos controles (``d_modelo`` y ``w``) sobre la curva de
Vaswani (``d_modelo = 512``, ``w = 4000``), con la misma escala en todas las figuras, para que se
vea qué mueve cada control: ``d_modelo`` escala la curva entera y ``w`` desplaza el pico.
"""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from ..con_numpy import calendario_vaswani
from ..graficos import PALETA, aplicar_estilo
from .base import ExploradorPrecalculado, imagen

__all__ = ["ExploradorCalendario", "curva_calendario", "D_MODELOS", "CALENTAMIENTOS"]

D_MODELOS = (64, 128, 256, 512, 1024)
CALENTAMIENTOS = (500, 1000, 2000, 4000, 8000, 16000)
PASOS = 40_000


def curva_calendario(d_modelo, calentamiento, pasos=PASOS):
    """``(s, η(s))`` para ``s = 1 … pasos``: los pasos y la tasa de cada uno (arreglos de forma (pasos,))."""
    s = np.arange(1, pasos + 1)
    eta = d_modelo**-0.5 * np.minimum(s**-0.5, s * float(calentamiento) ** -1.5)
    return s, eta


class ExploradorCalendario(ExploradorPrecalculado):
    """Curva ``η(s)`` del calendario de Vaswani para cada ``d_modelo`` y cada calentamiento ``w``.

    Atributos
    ---------
    d_modelo, calentamiento : los valores elegidos ahora
    tasas : (pasos,), la curva que se muestra ahora
    pico : ``(w, η(w))``, el paso y la tasa máxima de la curva elegida
    """

    def __init__(self, d_modelos=D_MODELOS, calentamientos=CALENTAMIENTOS, pasos=PASOS):
        self.d_modelos, self.calentamientos, self.pasos = tuple(d_modelos), tuple(calentamientos), pasos
        if not self.d_modelos or not self.calentamientos:
            raise ValueError("'d_modelos' y 'calentamientos' deben tener al menos un valor.")
        for w in self.calentamientos:
            if not 1 <= w <= pasos:
                raise ValueError(f"cada calentamiento debe estar entre 1 y pasos={pasos}, pero se recibió {w}.")
        self._s = np.arange(1, pasos + 1)
        self._tasas = [[curva_calendario(d, w, pasos)[1] for w in self.calentamientos] for d in self.d_modelos]
        self._referencia = curva_calendario(512, 4000, pasos)[1]
        self._techo = 1.1 * max(max(t.max() for t in fila) for fila in self._tasas)
        aplicar_estilo()
        self.control_d = widgets.SelectionSlider(
            options=[(str(d), d) for d in self.d_modelos],
            value=512 if 512 in self.d_modelos else self.d_modelos[0],
            description="d_modelo:",
        )
        self.control_w = widgets.SelectionSlider(
            options=[(str(w), w) for w in self.calentamientos],
            value=4000 if 4000 in self.calentamientos else self.calentamientos[0],
            description="calentamiento w:",
            style={"description_width": "initial"},
        )
        figuras = [[self._imagen(i, j) for j in range(len(self.calentamientos))] for i in range(len(self.d_modelos))]
        self._montar(
            self.control_d, self.control_w, figuras, "<code>ExploradorCalendario(d_modelos, calentamientos)</code>"
        )

    def _al_cambiar(self, i, j):
        self.d_modelo, self.calentamiento = self.d_modelos[i], self.calentamientos[j]
        self.tasas = self._tasas[i][j]
        self.pico = (self.calentamiento, calendario_vaswani(self.calentamiento, self.d_modelo, self.calentamiento))

    def _imagen(self, i, j) -> widgets.HTML:
        d, w, tasas = self.d_modelos[i], self.calentamientos[j], self._tasas[i][j]
        pico = calendario_vaswani(w, d, w)
        fig, ax = plt.subplots(figsize=(7.2, 3.6), dpi=72)
        ax.plot(self._s, self._referencia, color="0.6", ls="--", lw=1.2, label="Vaswani: d_modelo = 512, w = 4000")
        ax.plot(self._s, tasas, color=PALETA[0], lw=2, label=f"d_modelo = {d}, w = {w}")
        ax.plot([w], [pico], "o", color=PALETA[3])
        ax.annotate(f"pico: {pico:.2e} en s = {w}", (w, pico), xytext=(8, 6), textcoords="offset points", fontsize=9)
        ax.set_xlim(0, self.pasos)
        ax.set_ylim(0, self._techo)
        ax.set_xlabel("paso s")
        ax.set_ylabel("tasa de aprendizaje η(s)")
        ax.set_title("Calendario con calentamiento de Vaswani")
        ax.legend(loc="upper right", fontsize=8)
        final = tasas[-1]
        descripcion = (
            f"Curva de la tasa de aprendizaje frente al paso con d_modelo = {d} y {w} pasos de calentamiento: sube en "
            f"línea recta hasta el pico, {pico:.2e} en el paso {w}, y después baja como la inversa de la raíz del paso "
            f"hasta {final:.2e} en el paso {self.pasos}. Una línea discontinua gris muestra la curva de Vaswani "
            "(d_modelo = 512, w = 4000)."
        )
        return imagen(fig, descripcion)
