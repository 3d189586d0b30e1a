"""Explorador de la matriz de similitudes imagen–texto de CLIP a lo largo del entrenamiento (capítulo 12).

Cada fila es una imagen y cada columna una frase; con una imagen de cada clase en el orden de las frases,
los pares correctos están en la diagonal. El control exterior elige el momento del entrenamiento (una
«instantánea»: los cosenos y la escala ``e^t`` de ese paso) y el interior, qué se dibuja:

- los **cosenos** ``I_e T_eᵀ`` (ec. `clip-logits-temperatura` sin la escala), entre -1 y 1;
- el **softmax por filas** de los logits ``e^t · cosenos``: la mitad imagen→texto de la pérdida simétrica
  (ec. `clip-perdida-simetrica`), que también es la clasificación sin ejemplos (ec. `clip-clasificacion-cero-disparos`);
- el **softmax por columnas**: la mitad texto→imagen.
"""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from ..con_numpy import clip_perdida, softmax
from ..errores import ErrorDeForma
from ..graficos import aplicar_estilo
from .base import ExploradorPrecalculado, imagen

__all__ = ["ExploradorSimilitud", "VISTAS", "matriz_vista"]

VISTAS = ("cosenos", "imagen → texto", "texto → imagen")
_TITULOS = dict(zip(VISTAS, ("cosenos", "softmax por filas", "softmax por columnas")))


def matriz_vista(cosenos, escala, vista):
    """La matriz que se dibuja: los cosenos, o el softmax de ``escala · cosenos`` por filas o por columnas.

    Formas: cosenos (n, m) → salida (n, m).
    """
    if vista not in VISTAS:
        raise ValueError(f"'vista' debe ser una de {VISTAS}, pero se recibió {vista!r}.")
    cosenos = np.asarray(cosenos, dtype=np.float64)
    if vista == "cosenos":
        return cosenos
    return softmax(escala * cosenos, eje=-1 if vista == "imagen → texto" else 0)


class ExploradorSimilitud(ExploradorPrecalculado):
    """Mapa de calor imágenes × frases en varios pasos del entrenamiento, en tres vistas.

    Parámetros
    ----------
    instantaneas : diccionario ``paso -> (cosenos, escala)``, con cosenos (n, n) y la escala ``e^t`` de ese paso;
        la fila ``i`` y la columna ``i`` forman el par correcto.
    palabras : las n frases (etiquetas de las columnas)
    imagenes : (n, H, W) opcional; se dibujan a la izquierda de cada fila

    Atributos
    ---------
    paso, escala : los del momento elegido
    matriz : (n, n), la que se muestra ahora
    perdida : la pérdida simétrica de CLIP de ``escala · cosenos`` (no depende de la vista)
    aciertos : cuántas imágenes tienen su frase correcta como la más parecida
    """

    def __init__(self, instantaneas, palabras, imagenes=None):
        self.pasos = tuple(sorted(instantaneas))
        if not self.pasos:
            raise ValueError("'instantaneas' debe tener al menos un paso.")
        self.palabras = list(palabras)
        n = len(self.palabras)
        self._cosenos, self._escalas = [], []
        for paso in self.pasos:
            cosenos, escala = instantaneas[paso]
            cosenos = np.asarray(cosenos, dtype=np.float64)
            if cosenos.shape != (n, n):
                raise ErrorDeForma(
                    f"los cosenos del paso {paso} deben tener forma (n, n) con n={n} (tomado de 'palabras'), "
                    f"pero se recibió {cosenos.shape}."
                )
            self._cosenos.append(cosenos)
            self._escalas.append(float(escala))
        if imagenes is not None:
            imagenes = np.asarray(imagenes, dtype=np.float64)
            imagenes = imagenes.reshape(n, *imagenes.shape[-2:])  # (n, H, W): sin el canal
        self.imagenes = imagenes
        aplicar_estilo()
        self.control_paso = widgets.SelectionSlider(
            options=[(str(p), p) for p in self.pasos], value=self.pasos[-1], description="paso:"
        )
        self.control_vista = widgets.ToggleButtons(options=VISTAS, description="Vista:")
        self.control_vista.style.button_width = "auto"
        figuras = [[self._imagen(i, v) for v in VISTAS] for i in range(len(self.pasos))]
        llamada = "<code>ExploradorSimilitud(instantaneas, palabras)</code>"
        self._montar(self.control_paso, self.control_vista, figuras, llamada)

    def _al_cambiar(self, i, j):
        self.paso, self.escala = self.pasos[i], self._escalas[i]
        self.matriz = matriz_vista(self._cosenos[i], self.escala, VISTAS[j])
        self.perdida = float(clip_perdida(self.escala * self._cosenos[i]))
        self.aciertos = int((self._cosenos[i].argmax(-1) == np.arange(len(self.palabras))).sum())

    def _imagen(self, i, vista) -> widgets.HTML:
        cosenos, escala, paso = self._cosenos[i], self._escalas[i], self.pasos[i]
        matriz = matriz_vista(cosenos, escala, vista)
        n = len(self.palabras)
        perdida = float(clip_perdida(escala * cosenos))
        aciertos = int((cosenos.argmax(-1) == np.arange(n)).sum())
        fig = plt.figure(figsize=(6.4, 5.4), dpi=72)
        ancho = 0.07 if self.imagenes is not None else 0.0  # miniaturas casi cuadradas: 0.7·5.4/n ≈ 0.07·6.4
        ax = fig.add_axes([0.14 + ancho, 0.18, 0.62, 0.7])
        vmin = -1.0 if vista == "cosenos" else 0.0
        dibujo = ax.imshow(matriz, cmap="viridis", vmin=vmin, vmax=1.0, aspect="auto")
        for k in range(n):  # solo la diagonal lleva número (dibujar n² textos haría lentas las figuras)
            color = "black" if matriz[k, k] > vmin + 0.6 * (1.0 - vmin) else "white"
            ax.text(k, k, f"{matriz[k, k]:.2f}", ha="center", va="center", fontsize=7, color=color)
        ax.set_xticks(range(n), self.palabras, rotation=45, ha="right")
        ax.set_xlabel("frase")
        if self.imagenes is not None:
            ax.set_yticks([])
            miniaturas = fig.add_axes([0.14, 0.18, ancho, 0.7])
            separadas = np.pad(self.imagenes, ((0, 0), (1, 1), (1, 1)))  # un borde blanco alrededor de cada una
            miniaturas.imshow(np.concatenate(list(separadas), axis=0), cmap="gray_r", aspect="auto")
            miniaturas.set_xticks([])
            miniaturas.set_yticks([])
            miniaturas.set_ylabel("imagen")
        else:
            ax.set_yticks(range(n), [f"imagen {k}" for k in range(n)])
        fig.colorbar(dibujo, ax=ax, fraction=0.05, pad=0.03)
        titulo = _TITULOS[vista]
        ax.set_title(
            f"paso {paso}: {titulo}; escala e^t = {escala:.1f}\npérdida {perdida:.3f}, aciertos {aciertos}/{n}"
        )
        que = "los cosenos entre -1 y 1" if vista == "cosenos" else f"el {titulo} de los cosenos por {escala:.1f}"
        descripcion = (
            f"Mapa de calor de {n} imágenes (filas) por {n} frases (columnas: {', '.join(self.palabras)}) en el paso "
            f"{paso} del entrenamiento, vista «{vista}»: {que}. La diagonal son los pares correctos; {aciertos} de {n} "
            f"imágenes tienen su frase como la más parecida y la pérdida simétrica vale {perdida:.3f}."
        )
        return imagen(fig, descripcion)
