"""Estilo común de las figuras (matplotlib) y el mapa de calor de los pesos de atención."""

from __future__ import annotations

import io

import matplotlib
import matplotlib.pyplot as plt
import numpy as np

__all__ = ["PALETA", "aplicar_estilo", "figura_a_png", "mapa_calor"]

# Paleta de Okabe e Ito: distinguible con los tipos habituales de daltonismo.
PALETA = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")


def aplicar_estilo() -> None:
    """Fija el estilo del libro: tipografía legible, sin bordes superfluos, paleta de Okabe e Ito."""
    plt.rcParams.update(
        {
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "font.size": 10,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.prop_cycle": matplotlib.cycler(color=PALETA),
            "image.cmap": "viridis",
            "svg.hashsalt": "transformadores",
        }
    )


def mapa_calor(ax, pesos, etiquetas_x=None, etiquetas_y=None, titulo=None, vmax=1.0, anotar=True):
    """Dibuja una matriz de pesos de atención (filas = consultas, columnas = claves).

    Formas
    ------
    pesos : (T, S), valores en [0, vmax]
    """
    pesos = np.asarray(pesos, dtype=float)
    imagen = ax.imshow(pesos, cmap="viridis", vmin=0.0, vmax=vmax, aspect="auto")
    T, S = pesos.shape
    ax.set_xticks(range(S), etiquetas_x if etiquetas_x is not None else range(S), rotation=45, ha="right")
    ax.set_yticks(range(T), etiquetas_y if etiquetas_y is not None else range(T))
    ax.set_xlabel("clave (a quién se atiende)")
    ax.set_ylabel("consulta (quién atiende)")
    if titulo:
        ax.set_title(titulo)
    if anotar and T * S <= 100:
        for i in range(T):
            for j in range(S):
                color = "black" if pesos[i, j] > 0.6 * vmax else "white"
                ax.text(j, i, f"{pesos[i, j]:.2f}", ha="center", va="center", fontsize=7, color=color)
    return imagen


def figura_a_png(fig) -> bytes:
    """PNG de la figura (para los widgets ``Image``); cierra la figura."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()
