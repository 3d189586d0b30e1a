"""Explorador de los patrones de atención dispersa (capítulo 14): qué pares (consulta, clave) se calculan.

Cuatro patrones causales sobre ``T`` posiciones: la atención completa (``j ≤ i``), la ventana deslizante
de anchura ``w`` (``0 ≤ i - j < w``, ec. `atencion-ventana-deslizante`), la estriada del Sparse
Transformer con paso ``l = w`` (``(i - j) mod l = 0``) y su unión con la local (``i - j ≤ l``), ec.
`atencion-dispersa-estriada`. Cada figura muestra la máscara (los pares que se calculan) y el alcance
tras **dos** capas con el mismo patrón: la posición ``i`` llega a ``j`` si hay un ``k`` con ``i → k → j``.
"""

from __future__ import annotations

import base64
import html
import io

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from ..con_numpy import mascara_causal, mascara_ventana_deslizante, mascaras_estriadas
from ..errores import ErrorDeForma
from ..graficos import aplicar_estilo
from .base import ExploradorPrecalculado

__all__ = ["ExploradorDispersa", "PATRONES", "TAMANOS", "mascara_patron"]

PATRONES = ("completa (causal)", "ventana deslizante", "estriada", "local + estriada")
TAMANOS = ((16, 4), (32, 4), (64, 8))


def mascara_patron(patron, T, w):
    """Máscara booleana (T, T) del ``patron`` (uno de ``PATRONES``); True = la consulta i calcula la clave j."""
    if patron == "completa (causal)":
        return mascara_causal(T)
    if patron == "ventana deslizante":
        return mascara_ventana_deslizante(T, w, causal=True)
    local, estriada = mascaras_estriadas(T, w)
    if patron == "estriada":
        return estriada
    if patron == "local + estriada":
        return local | estriada
    raise ErrorDeForma(f"'patron' debe ser uno de {PATRONES}, pero se recibió {patron!r}.")


def _imagen(fig, descripcion: str) -> widgets.HTML:
    """Como :func:`base.imagen`, sin ``bbox_inches="tight"`` (la figura fija sus márgenes): tarda la mitad."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    datos = base64.b64encode(buffer.getvalue()).decode("ascii")
    return widgets.HTML(f'<img src="data:image/png;base64,{datos}" alt="{html.escape(descripcion, quote=True)}">')


def _alcance(mascara):
    """Pares (i, j) conectados en dos capas: existe k con ``mascara[i, k]`` y ``mascara[k, j]``."""
    m = mascara.astype(np.int64)
    return (m @ m) > 0


class ExploradorDispersa(ExploradorPrecalculado):
    """Máscara y alcance en dos capas de cada patrón disperso, para varios tamaños ``(T, w)``.

    Atributos
    ---------
    patron, T, w : lo elegido ahora
    mascara, alcance : (T, T), booleanas: los pares calculados en una capa y los conectados en dos
    n_pares : pares calculados (True de la máscara); ``fraccion``: su parte de los ``T(T+1)/2`` causales
    fraccion_alcance : parte de los pares causales conectados en dos capas
    """

    def __init__(self, patrones=PATRONES, tamanos=TAMANOS):
        self.patrones, self.tamanos = tuple(patrones), tuple(tuple(t) for t in tamanos)
        for p in self.patrones:
            if p not in PATRONES:
                raise ErrorDeForma(f"cada patrón debe ser uno de {PATRONES}, pero se recibió {p!r}.")
        for T, w in self.tamanos:
            if not 1 <= w <= T:
                raise ErrorDeForma(f"cada tamaño (T, w) debe cumplir 1 ≤ w ≤ T, pero se recibió {(T, w)}.")
        self._mascaras = [[mascara_patron(p, T, w) for T, w in self.tamanos] for p in self.patrones]
        aplicar_estilo()
        self.control_patron = widgets.Dropdown(options=self.patrones, value=self.patrones[0], description="Patrón:")
        self.control_tamano = widgets.SelectionSlider(
            options=[(f"T = {T}, w = {w}", (T, w)) for T, w in self.tamanos],
            value=self.tamanos[0],
            description="Tamaño:",
        )
        figuras = [[self._imagen(i, j) for j in range(len(self.tamanos))] for i in range(len(self.patrones))]
        self._montar(
            self.control_patron, self.control_tamano, figuras, "<code>ExploradorDispersa(patrones, tamanos)</code>"
        )

    @staticmethod
    def _cuentas(mascara):
        T = mascara.shape[0]
        causales = T * (T + 1) // 2
        alcance = _alcance(mascara)
        return alcance, int(mascara.sum()), mascara.sum() / causales, alcance.sum() / causales

    def _al_cambiar(self, i, j):
        self.patron, (self.T, self.w) = self.patrones[i], self.tamanos[j]
        self.mascara = self._mascaras[i][j]
        self.alcance, self.n_pares, self.fraccion, self.fraccion_alcance = self._cuentas(self.mascara)

    def _imagen(self, i, j) -> widgets.HTML:
        patron, (T, w), mascara = self.patrones[i], self.tamanos[j], self._mascaras[i][j]
        alcance, n_pares, fraccion, fraccion_alcance = self._cuentas(mascara)
        fig, ejes = plt.subplots(1, 2, figsize=(7.6, 3.8), dpi=72)
        for ax, datos, titulo in (
            (ejes[0], mascara, f"una capa: {n_pares} pares ({100 * fraccion:.0f} %)"),
            (ejes[1], alcance, f"alcance en dos capas ({100 * fraccion_alcance:.0f} %)"),
        ):
            ax.imshow(datos, cmap="Blues", vmin=0, vmax=1.25, interpolation="nearest")
            ax.set_title(titulo, fontsize=10)
            ax.set_xlabel("clave j")
            ax.set_ylabel("consulta i")
        fig.suptitle(f"{patron}, T = {T}, w = {w}", fontsize=11)
        fig.subplots_adjust(left=0.08, right=0.98, bottom=0.12, top=0.84, wspace=0.3)
        descripcion = (
            f"Dos matrices de {T} por {T} para el patrón «{patron}» con T = {T} y w = {w}: a la izquierda, los "
            f"{n_pares} pares (consulta, clave) que se calculan, el {100 * fraccion:.0f} % de los causales; a la "
            f"derecha, los pares conectados en dos capas, el {100 * fraccion_alcance:.0f} % de los causales."
        )
        return _imagen(fig, descripcion)
