"""Explorador de los aciertos y errores de tres modelos según el tamaño del entrenamiento (capítulo 16).

Recibe las predicciones ya calculadas (por :func:`~transformadores.experimentos.limites.curvas_aprendizaje`)
de cada tipo de modelo (convolucional, recurrente, transformador) entrenado con ``n`` ejemplos, y
dibuja los mismos dígitos de prueba, los que más modelos fallan, con la clase que predice el modelo
elegido: en verde si acierta y en rojo si no. Al lado, la matriz de confusión en toda la prueba.
Con dos controles (modelo y ``n``) se ve qué dígitos «aprende» cada modelo al recibir más datos.
"""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from ..errores import ErrorDeForma
from ..graficos import PALETA, aplicar_estilo
from .base import ExploradorPrecalculado, imagen

__all__ = ["ExploradorLimites", "mas_dificiles", "matriz_confusion"]


def matriz_confusion(y, prediccion, n_clases=10):
    """``C[i, j]`` = cuántos ejemplos de la clase ``i`` se predicen como ``j``.

    Formas
    ------
    y, prediccion : (m,), enteros en ``[0, n_clases)``    salida : (n_clases, n_clases), enteros
    """
    C = np.zeros((n_clases, n_clases), dtype=np.int64)
    np.add.at(C, (np.asarray(y), np.asarray(prediccion)), 1)
    return C


def mas_dificiles(y, predicciones, k):
    """Índices de los ``k`` ejemplos que fallan más modelos de ``predicciones`` (los empates, por orden).

    Formas
    ------
    y : (m,)    predicciones : dict de arreglos (m,)    salida : (k,), enteros
    """
    fallos = sum((np.asarray(p) != y).astype(int) for p in predicciones.values())  # (m,)
    return np.argsort(-fallos, kind="stable")[:k]


class ExploradorLimites(ExploradorPrecalculado):
    """Predicciones de cada modelo entrenado con ``n`` ejemplos sobre los dígitos de prueba más difíciles.

    Parámetros
    ----------
    imagenes : (m, 8, 8) o (m, 1, 8, 8), las imágenes de prueba
    y : (m,), sus clases
    predicciones : dict ``(tipo, n) -> (m,)`` con las clases predichas
    n_mostrados : cuántos dígitos se dibujan (los que más modelos fallan)

    Atributos
    ---------
    tipo, n : el modelo y el tamaño elegidos ahora
    prediccion : (m,), las predicciones que se muestran ahora
    exactitud : su fracción de aciertos en toda la prueba
    confusion : (10, 10), su matriz de confusión
    """

    def __init__(self, imagenes, y, predicciones, n_mostrados=24):
        imagenes, y = np.asarray(imagenes), np.asarray(y)
        imagenes = imagenes.reshape(len(imagenes), 8, 8) if imagenes.ndim == 4 else imagenes
        if imagenes.ndim != 3 or imagenes.shape[1:] != (8, 8) or len(y) != len(imagenes):
            raise ErrorDeForma(
                f"'imagenes' debe tener forma (m, 8, 8) con m={len(y)} (tomado de 'y'), pero se recibió "
                f"{imagenes.shape}."
            )
        if not predicciones:
            raise ValueError("'predicciones' debe tener al menos un modelo.")
        for clave, p in predicciones.items():
            if np.shape(p) != y.shape:
                raise ErrorDeForma(f"predicciones[{clave!r}] debe tener forma {y.shape}, pero tiene {np.shape(p)}.")
        self.tipos = tuple(dict.fromkeys(t for t, _ in predicciones))
        self.tamanos = tuple(sorted({n for _, n in predicciones}))
        self._imagenes, self._y, self._pred = imagenes, y, {k: np.asarray(v) for k, v in predicciones.items()}
        self.mostrados = mas_dificiles(y, self._pred, min(n_mostrados, len(y)))
        aplicar_estilo()
        self.control_tipo = widgets.Dropdown(options=self.tipos, value=self.tipos[0], description="Modelo:")
        self.control_n = widgets.SelectionSlider(
            options=[(str(n), n) for n in self.tamanos],
            value=self.tamanos[0],
            description="ejemplos n:",
            style={"description_width": "initial"},
        )
        figuras = [[self._imagen(t, n) for n in self.tamanos] for t in self.tipos]
        self._montar(
            self.control_tipo, self.control_n, figuras, "<code>ExploradorLimites(imagenes, y, predicciones)</code>"
        )

    def _al_cambiar(self, i, j):
        self.tipo, self.n = self.tipos[i], self.tamanos[j]
        self.prediccion = self._pred[(self.tipo, self.n)]
        self.exactitud = float(np.mean(self.prediccion == self._y))
        self.confusion = matriz_confusion(self._y, self.prediccion)

    def _mosaico(self, columnas=8, hueco=1):
        """Las imágenes mostradas en una sola matriz, ``filas × columnas`` casillas de 8×8 separadas por ``hueco``."""
        k = len(self.mostrados)
        filas = int(np.ceil(k / columnas))
        lado = 8 + hueco
        mosaico = np.full((filas * lado + hueco, columnas * lado + hueco), np.nan)
        for a, indice in enumerate(self.mostrados):
            f, c = divmod(a, columnas)
            mosaico[hueco + f * lado : (f + 1) * lado, hueco + c * lado : (c + 1) * lado] = self._imagenes[indice]
        return mosaico, lado

    def _imagen(self, tipo, n) -> widgets.HTML:
        pred = self._pred[(tipo, n)]
        exactitud = np.mean(pred == self._y)
        k, columnas = len(self.mostrados), 8
        mosaico, lado = self._mosaico(columnas)
        fig, (ax, ax_c) = plt.subplots(1, 2, figsize=(10, 0.5 + 1.1 * mosaico.shape[0] / lado), dpi=72,
                                       gridspec_kw={"width_ratios": [2.4, 1]})  # fmt: skip
        ax.imshow(mosaico, cmap="gray_r", vmin=0, vmax=1)
        for a, indice in enumerate(self.mostrados):
            f, c = divmod(a, columnas)
            acierto = pred[indice] == self._y[indice]
            color = PALETA[2] if acierto else PALETA[3]
            ax.add_patch(plt.Rectangle((c * lado + 0.5, f * lado + 0.5), 8, 8, fill=False, ec=color, lw=2))
            ax.text(c * lado + 8.3, f * lado + 1.2, str(pred[indice]), color=color, fontsize=11, ha="right",
                    va="top", fontweight="bold")  # fmt: skip
        ax.set_axis_off()
        ax_c.imshow(matriz_confusion(self._y, pred), cmap="viridis")
        ax_c.set_xticks(range(10)), ax_c.set_yticks(range(10))
        ax_c.set_xlabel("predicha"), ax_c.set_ylabel("verdadera")
        ax_c.set_title("matriz de confusión", fontsize=9)
        fig.suptitle(f"{tipo}, entrenado con n = {n}: exactitud en la prueba {exactitud:.3f}", fontsize=11)
        errores = int(np.sum(pred[self.mostrados] != self._y[self.mostrados]))
        descripcion = (
            f"Los {k} dígitos de prueba que más modelos fallan, con la clase que predice el modelo {tipo} entrenado "
            f"con {n} ejemplos: {k - errores} aciertos en verde y {errores} errores en rojo. A la derecha, su matriz "
            f"de confusión en toda la prueba; exactitud {exactitud:.3f}."
        )
        return imagen(fig, descripcion)
