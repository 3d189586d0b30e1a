"""Explorador de la atención del token de clase de un ViT sobre los parches de una imagen (capítulo 10).

Recibe unas imágenes pequeñas y, para cada una, las filas del token de clase de las matrices de
atención de un ViT ya entrenado (:func:`transformadores.experimentos.vision.atencion_del_token_clase`).
Con dos controles (la imagen y la capa) dibuja la imagen con su rejilla de parches numerados, la
atención media de las cabezas sobre cada parche (en porcentaje) y la de cada cabeza.
"""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from ..errores import ErrorDeForma, Formas
from ..graficos import PALETA, aplicar_estilo
from .base import ExploradorPrecalculado, imagen

__all__ = ["ExploradorAtencionParches"]


class ExploradorAtencionParches(ExploradorPrecalculado):
    """La rejilla de parches de una imagen y la atención del token de clase sobre ella, capa a capa.

    Parámetros
    ----------
    imagenes : (n, lado, lado), en escala de grises con valores en [0, 1]
    atencion : (n, L, H, N+1), las filas del token de clase (columna 0: él mismo; ``1 + k``: el parche
        ``k``, por filas), con ``N = (lado / P)²``
    P : lado de cada parche, en píxeles
    titulos : n textos que nombran cada imagen (por ejemplo, «un 3»); None = «imagen i»

    Atributos
    ---------
    atencion_visible : (lado/P, lado/P), la atención media de las cabezas sobre cada parche, ahora
    por_cabeza : (H, lado/P, lado/P), la de cada cabeza
    propia : la atención media del token de clase sobre sí mismo
    imagen_actual_indice, capa_actual : índices (desde 0)
    """

    def __init__(self, imagenes, atencion, P, titulos=None):
        imagenes = np.asarray(imagenes, dtype=np.float64)
        atencion = np.asarray(atencion, dtype=np.float64)
        f = Formas()
        f.comprobar("imagenes", imagenes, "n lado lado")
        f.comprobar("atencion", atencion, "n L H N+1")
        n, lado, L = f["n"], f["lado"], f["L"]
        if isinstance(P, bool) or not isinstance(P, (int, np.integer)) or P < 1 or lado % P:
            raise ErrorDeForma(f"'P' debe ser un entero que divida a lado={lado}, pero se recibió {P!r}.")
        self.lado_parches = lado // P
        if f["N+1"] != self.lado_parches**2 + 1:
            raise ErrorDeForma(
                f"'atencion' debe tener N+1={self.lado_parches**2 + 1} columnas (N = (lado/P)² con lado={lado}, "
                f"P={P}), pero tiene {f['N+1']}."
            )
        titulos = [f"imagen {i + 1}" for i in range(n)] if titulos is None else [str(t) for t in titulos]
        if len(titulos) != n:
            raise ErrorDeForma(
                f"'titulos' debe tener n={n} elementos (tomado de 'imagenes'), pero tiene {len(titulos)}."
            )
        self.imagenes, self.atencion, self.P, self.titulos = imagenes, atencion, int(P), titulos
        aplicar_estilo()
        foto = widgets.Dropdown(options=[(t, i) for i, t in enumerate(titulos)], value=0, description="Imagen:")
        capa = widgets.Dropdown(options=[(f"capa {c + 1}", c) for c in range(L)], value=0, description="Capa:")
        figuras = [[self._imagen(i, c) for c in range(L)] for i in range(n)]
        self.foto, self.capa = foto, capa
        self._montar(
            foto, capa, figuras, "<code>ExploradorAtencionParches(imagenes, atencion, P)</code> con otras imágenes"
        )

    def _rejillas(self, i, c):
        """La fila del token de clase de cada cabeza, como rejillas (H, n, n), y su peso sobre sí mismo (H,)."""
        filas, n = self.atencion[i, c], self.lado_parches
        return filas[:, 1:].reshape(-1, n, n), filas[:, 0]

    def _al_cambiar(self, i, j):
        self.imagen_actual_indice, self.capa_actual = i, j
        self.por_cabeza, propias = self._rejillas(i, j)
        self.atencion_visible, self.propia = self.por_cabeza.mean(axis=0), float(propias.mean())

    def _dibujar(self, ax, i, rejilla=None, titulo="", numeros=False):
        lado, P, n = self.imagenes.shape[-1], self.P, self.lado_parches
        ax.imshow(self.imagenes[i], cmap="gray_r", vmin=0, vmax=1, extent=(0, lado, lado, 0))
        if rejilla is not None:
            ax.imshow(
                rejilla, cmap="viridis", vmin=0, vmax=max(rejilla.max(), 1e-9), alpha=0.7, extent=(0, lado, lado, 0)
            )
        for a in range(n):
            for b in range(n):
                if rejilla is None:
                    texto, x, y, estilo = (
                        str(a * n + b + 1),
                        b * P + 0.2,
                        a * P + 0.25,
                        {"color": PALETA[3], "va": "top"},
                    )
                else:
                    texto, x, y, estilo = f"{100 * rejilla[a, b]:.0f}", (b + 0.5) * P, (a + 0.5) * P, {"color": "white"}
                if rejilla is None or numeros:
                    ax.text(x, y, texto, fontsize=7, ha="left" if rejilla is None else "center", **estilo)
        ax.set_xticks(np.arange(0, lado + 1, P))
        ax.set_yticks(np.arange(0, lado + 1, P))
        ax.grid(True, color=PALETA[0], linewidth=1.0)
        ax.tick_params(labelbottom=False, labelleft=False, length=0)
        ax.set_title(titulo, fontsize=8)

    def _imagen(self, i, c) -> widgets.HTML:
        rejillas, propias = self._rejillas(i, c)
        media, H, n = rejillas.mean(axis=0), len(rejillas), self.lado_parches
        fig, ejes = plt.subplots(1, H + 2, figsize=(1.55 * (H + 2), 2.0), dpi=72)
        fig.subplots_adjust(left=0.01, right=0.99, bottom=0.02, top=0.78, wspace=0.08)
        self._dibujar(ejes[0], i, titulo=f"{self.titulos[i]}\n{n * n} parches de {self.P}×{self.P}")
        self._dibujar(ejes[1], i, media, f"capa {c + 1}: media (%)\nsobre sí mismo: {100 * propias.mean():.0f} %", True)
        for h in range(H):
            self._dibujar(ejes[2 + h], i, rejillas[h], f"cabeza {h + 1}\nsobre sí mismo: {100 * propias[h]:.0f} %")
        a, b = divmod(int(media.argmax()), n)
        maximos = ", ".join(str(int(r.argmax()) + 1) for r in rejillas)
        descripcion = (
            f"{self.titulos[i]}, capa {c + 1}. A la izquierda, la imagen de {self.imagenes.shape[-1]} píxeles de lado "
            f"dividida en {n * n} parches de {self.P}×{self.P}, numerados por filas. Después, la atención del token "
            f"de clase sobre cada parche: la media de las {H} cabezas, en porcentaje, y cada cabeza por separado. En "
            f"la media, el parche más atendido es el {a * n + b + 1} (fila {a + 1}, columna {b + 1}), con un "
            f"{100 * media[a, b]:.0f} %, y el token de clase se atiende a sí mismo un {100 * propias.mean():.0f} %. "
            f"El parche más atendido por cada cabeza: {maximos}."
        )
        return imagen(fig, descripcion)
