"""Explorador del Decision Transformer: ¿qué camino sigue en la rejilla según el retorno que le pidamos? (cap. 13).

Las trayectorias se juegan antes (con el modelo entrenado, en el cuaderno) y el explorador solo las
dibuja: el control exterior elige el retorno objetivo ``R̂₁`` y el interior, uno de los episodios
jugados con ese objetivo (las acciones se muestrean, así que cada episodio puede ser distinto). A la
izquierda, el camino en la rejilla; a la derecha, cómo baja el retorno por obtener,
``R̂_{t+1} = R̂_t - r_t`` (ec. `decision-transformer-evaluacion`), y cuánto se lleva conseguido.
"""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from ..datos.entornos import Rejilla, Trayectoria
from ..graficos import PALETA, aplicar_estilo
from .base import ExploradorPrecalculado, imagen

__all__ = ["ExploradorRefuerzo", "dibujar_rejilla", "retornos_por_obtener_jugados"]


def dibujar_rejilla(ax, entorno: Rejilla, trayectoria: Trayectoria | None = None, color=PALETA[0], titulo=None):
    """Dibuja la rejilla (muros en gris, inicio «I», meta «M») y, si se da, el camino de ``trayectoria``.

    El camino une los centros de las casillas visitadas; cada paso se desplaza un poco para que las
    idas y vueltas se vean, y los choques contra un muro o un borde se marcan con un punto.
    """
    F, C = entorno.filas, entorno.columnas
    fondo = np.ones((F, C, 3))
    for f, c in entorno.muros:
        fondo[f, c] = 0.35
    ax.imshow(fondo, extent=(-0.5, C - 0.5, F - 0.5, -0.5))
    ax.set_axis_off()  # sin ejes ni marcas: las líneas de la rejilla las dibujamos nosotros (y es más rápido)
    ax.vlines(np.arange(-0.5, C), -0.5, F - 0.5, color="0.7", lw=0.8)
    ax.hlines(np.arange(-0.5, F), -0.5, C - 0.5, color="0.7", lw=0.8)
    for nombre, (f, c), col in (("I", entorno.inicio, PALETA[1]), ("M", entorno.meta, PALETA[2])):
        ax.add_patch(plt.Rectangle((c - 0.5, f - 0.5), 1, 1, color=col, alpha=0.35))
        ax.text(c + 0.32, f - 0.3, nombre, ha="center", va="center", fontsize=9, weight="bold")
    if trayectoria is not None:
        casillas = [entorno.casilla(s) for s in trayectoria.estados]
        final, _, _ = entorno.paso(int(trayectoria.estados[-1]), int(trayectoria.acciones[-1]))
        casillas.append(entorno.casilla(final))
        desvio = np.linspace(-0.15, 0.15, len(casillas))  # separa las visitas repetidas
        x = np.array([c for _, c in casillas]) + desvio
        y = np.array([f for f, _ in casillas]) + desvio
        ax.plot(x, y, "-", color=color, lw=2, alpha=0.85)
        ax.scatter(x[:1], y[:1], s=40, color=color, marker="s", zorder=3)
        ax.scatter(x[1:], y[1:], s=14, color=color, zorder=3)
        quietos = [t for t in range(len(casillas) - 1) if casillas[t] == casillas[t + 1]]
        ax.scatter(x[quietos], y[quietos], s=70, facecolors="none", edgecolors=PALETA[3], lw=1.5, zorder=4)
    ax.set_xlim(-0.5, C - 0.5)
    ax.set_ylim(F - 0.5, -0.5)
    if titulo:
        ax.set_title(titulo, fontsize=10)


def retornos_por_obtener_jugados(trayectoria: Trayectoria, R_objetivo) -> np.ndarray:
    """``R̂_1 … R̂_{n+1}`` de un episodio jugado: ``R̂_1 = R_objetivo`` y ``R̂_{t+1} = R̂_t - r_t``.

    Formas
    ------
    devuelve : (n + 1,), el último es lo que quedó sin conseguir
    """
    return float(R_objetivo) - np.concatenate([[0.0], np.cumsum(trayectoria.recompensas)])


class ExploradorRefuerzo(ExploradorPrecalculado):
    """El camino que sigue el modelo para cada retorno objetivo (control exterior) y episodio (interior).

    Parámetros
    ----------
    entorno : la :class:`~transformadores.datos.entornos.Rejilla`
    objetivos : los retornos objetivo ``R̂₁`` (n_objetivos,)
    trayectorias : ``trayectorias[i][j]``, el episodio ``j`` jugado con el objetivo ``i`` (igual número por objetivo)

    Atributos
    ---------
    objetivo : el retorno pedido ahora    trayectoria : el episodio que se muestra    retorno : su retorno
    """

    def __init__(self, entorno: Rejilla, objetivos, trayectorias):
        self.entorno, self.objetivos = entorno, tuple(float(R) for R in objetivos)
        self.trayectorias = [list(fila) for fila in trayectorias]
        if not self.objetivos or len(self.trayectorias) != len(self.objetivos):
            raise ValueError(
                f"'trayectorias' debe tener una fila por objetivo ({len(self.objetivos)}), "
                f"pero tiene {len(self.trayectorias)}."
            )
        n = {len(fila) for fila in self.trayectorias}
        if len(n) != 1 or 0 in n:
            raise ValueError("cada objetivo debe tener el mismo número de episodios (al menos uno).")
        self.n_episodios = n.pop()
        self._techo = max(max(self.objetivos), entorno.retorno_maximo) + 1
        self._suelo = min(0.0, min(min(retornos_por_obtener_jugados(t, R)) for R, f in zip(self.objetivos,
                          self.trayectorias) for t in f)) - 1  # fmt: skip
        aplicar_estilo()
        self.control_objetivo = widgets.SelectionSlider(
            options=[(f"{R:g}", R) for R in self.objetivos], description="retorno objetivo:",
            style={"description_width": "initial"},
        )  # fmt: skip
        self.control_episodio = widgets.ToggleButtons(
            options=[f"episodio {j + 1}" for j in range(self.n_episodios)], description="Episodio:"
        )
        self.control_episodio.style.button_width = "auto"
        figuras = [[self._imagen(i, j) for j in range(self.n_episodios)] for i in range(len(self.objetivos))]
        llamada = "<code>ExploradorRefuerzo(entorno, objetivos, trayectorias)</code>"
        self._montar(self.control_objetivo, self.control_episodio, figuras, llamada)

    def _al_cambiar(self, i, j):
        self.objetivo, self.trayectoria = self.objetivos[i], self.trayectorias[i][j]
        self.retorno = self.trayectoria.retorno

    def _imagen(self, i, j) -> widgets.HTML:
        R, tr = self.objetivos[i], self.trayectorias[i][j]
        por_obtener = retornos_por_obtener_jugados(tr, R)  # (n + 1,)
        conseguido = np.concatenate([[0.0], np.cumsum(tr.recompensas)])
        fig, (ax_r, ax_t) = plt.subplots(1, 2, figsize=(8.4, 3.5), dpi=72, gridspec_kw={"width_ratios": [1, 1.35]})
        dibujar_rejilla(
            ax_r, self.entorno, tr, titulo=rf"objetivo $\hat R_1 = {R:g}$: retorno conseguido {tr.retorno:g}"
        )
        t = np.arange(1, len(por_obtener) + 2)  # un punto más para que se vea el último escalón
        por_obtener, conseguido = np.append(por_obtener, por_obtener[-1]), np.append(conseguido, conseguido[-1])
        ax_t.step(t, por_obtener, where="post", color=PALETA[0], lw=2, label=r"$\hat R_t$, retorno por obtener")
        ax_t.step(t, conseguido, where="post", color=PALETA[2], lw=2, ls="--", label="retorno conseguido")
        ax_t.axhline(0, color="0.6", lw=0.8)
        ax_t.axhline(self.entorno.retorno_maximo, color=PALETA[3], lw=0.8, ls=":", label="máximo posible")
        ax_t.set_xlim(0.5, self.entorno.horizonte + 2.5)
        ax_t.set_ylim(self._suelo, self._techo)
        ax_t.set_xlabel("paso t")
        ax_t.legend(loc="upper right", fontsize=7)
        final, _, _ = self.entorno.paso(int(tr.estados[-1]), int(tr.acciones[-1]))
        llega = "llega a la meta" if final == self.entorno.indice(self.entorno.meta) else "no llega a la meta"
        descripcion = (
            f"A la izquierda, la rejilla de {self.entorno.filas} por {self.entorno.columnas} con el camino del "
            f"episodio {j + 1} pedido con retorno objetivo {R:g}: {len(tr)} pasos, {llega}, retorno conseguido "
            f"{tr.retorno:g}. A la derecha, paso a paso, el retorno por obtener pasa de {R:g} a {por_obtener[-1]:g} "
            f"y el retorno conseguido, de 0 a {tr.retorno:g}."
        )
        return imagen(fig, descripcion)
