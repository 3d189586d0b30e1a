"""Explorador de las normas por profundidad en pilas Post-LN y Pre-LN (capítulo 6).

Para cada variante (``Post-LN``, ``Pre-LN``) y cada profundidad ``L`` medimos en la inicialización,
con :func:`~transformadores.experimentos.profundidad.normas_por_capa`, el RMS del flujo residual
tras cada capa y la norma del gradiente de los parámetros de cada capa. Todo se calcula al crear el
explorador: en la web, los controles solo eligen la figura precalculada.
"""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from ..experimentos.profundidad import normas_por_capa
from ..graficos import PALETA, aplicar_estilo
from .base import ExploradorPrecalculado, imagen

__all__ = ["ExploradorNormas", "VARIANTES", "tabla_normas"]

VARIANTES = ("Post-LN", "Pre-LN")
PROFUNDIDADES = (2, 4, 8, 16, 24)


def tabla_normas(resultados) -> str:
    """Tabla de texto con lo medido: ``resultados[(variante, L)]`` es la salida de ``normas_por_capa``."""
    filas = ["variante    L   RMS tras la capa 1   RMS tras la capa L   ‖∇‖ capa 1   ‖∇‖ capa L   cociente"]
    for (variante, L), r in sorted(resultados.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        a, g = r["activacion"], r["gradiente"]
        filas.append(
            f"{variante:8s}  {L:3d}   {a[0]:18.2f}   {a[-1]:18.2f}   {g[0]:10.3f}   {g[-1]:10.3f}   {g[-1] / g[0]:8.2f}"
        )
    return "\n".join(filas)


class ExploradorNormas(ExploradorPrecalculado):
    """Activaciones y gradientes capa a capa de una pila de bloques, Post-LN o Pre-LN, en la inicialización.

    Parámetros
    ----------
    profundidades : números de capas ``L`` que ofrece el control deslizante (enteros ≥ 1).
    semillas : se promedia sobre una pila nueva por semilla.
    d_modelo, n_cabezas : dimensiones de cada bloque (``d_ff = 4·d_modelo``).

    Atributos
    ---------
    resultados : dict ``(variante, L) -> normas_por_capa(...)``
    activacion, gradiente : (L,), lo que muestra ahora la figura
    """

    def __init__(self, profundidades=PROFUNDIDADES, semillas=(0, 1, 2), d_modelo=64, n_cabezas=4):
        profundidades = tuple(profundidades)
        if not profundidades or any(isinstance(L, bool) or not isinstance(L, int) or L < 1 for L in profundidades):
            raise ValueError(f"'profundidades' debe ser una lista de enteros ≥ 1, pero se recibió {profundidades!r}.")
        self.profundidades = profundidades
        self.resultados = {
            (v, L): normas_por_capa(L, v == "Pre-LN", tuple(semillas), d_modelo, n_cabezas)
            for v in VARIANTES
            for L in profundidades
        }
        todos = list(self.resultados.values())
        self._tope_activacion = 1.1 * max(r["activacion"].max() for r in todos)
        self._tope_gradiente = 1.1 * max(r["gradiente"].max() for r in todos)
        aplicar_estilo()
        self.variante = widgets.Dropdown(options=VARIANTES, value="Post-LN", description="Variante:")
        opciones = [(str(L), L) for L in profundidades]
        medio = profundidades[len(profundidades) // 2]
        self.profundidad = widgets.SelectionSlider(options=opciones, value=medio, description="Capas L:")
        figuras = [[self._imagen(v, L) for L in profundidades] for v in VARIANTES]
        self._montar(
            self.variante, self.profundidad, figuras, "<code>ExploradorNormas(profundidades=(2, 12, 48))</code>"
        )

    def _al_cambiar(self, i, j):
        r = self.resultados[(VARIANTES[i], self.profundidades[j])]
        self.activacion, self.gradiente = r["activacion"], r["gradiente"]

    def _imagen(self, variante, L) -> widgets.HTML:
        otra = VARIANTES[1 - VARIANTES.index(variante)]
        r, r_otra = self.resultados[(variante, L)], self.resultados[(otra, L)]
        color = PALETA[0] if variante == "Post-LN" else PALETA[3]
        capas = np.arange(1, L + 1)
        fig, (izq, der) = plt.subplots(1, 2, figsize=(9.0, 3.4), dpi=72, layout="constrained")
        for ax, clave, tope, titulo in (
            (izq, "activacion", self._tope_activacion, "RMS del flujo residual tras la capa l"),
            (der, "gradiente", self._tope_gradiente, "‖∇‖ de los parámetros de la capa l"),
        ):
            ax.plot(capas, r_otra[clave], "--", color="0.65", label=otra)
            ax.plot(capas, r[clave], "o-", ms=4, color=color, label=variante)
            ax.set_xlim(0.5, max(self.profundidades) + 0.5)
            ax.set_ylim(0, tope)
            ax.set_xlabel("capa l")
            ax.set_title(titulo, fontsize=10)
            ax.legend(loc="upper left", fontsize=8)
        fig.suptitle(f"{variante}, L = {L} capas, en la inicialización", fontsize=11)
        a, g = r["activacion"], r["gradiente"]
        descripcion = (
            f"Dos gráficas de líneas para una pila {variante} de {L} capas en la inicialización, con la variante "
            f"{otra} en gris discontinuo como referencia. A la izquierda, el RMS del flujo residual tras cada "
            f"capa: {a[0]:.2f} tras la primera y {a[-1]:.2f} tras la última ({otra}: {r_otra['activacion'][-1]:.2f}). "
            f"A la derecha, la norma del gradiente de los parámetros de cada capa: {g[0]:.2f} en la primera y "
            f"{g[-1]:.2f} en la última ({otra}: {r_otra['gradiente'][0]:.2f} y {r_otra['gradiente'][-1]:.2f})."
        )
        return imagen(fig, descripcion)

    def tabla(self) -> str:
        """Los números medidos, como texto (ver :func:`tabla_normas`)."""
        return tabla_normas(self.resultados)
