"""Explorador del muestreo del siguiente token: temperatura, top-k y top-p (núcleo).

Partimos de unos logits fijos ``z`` para el token que sigue a un contexto. Opcionalmente se conservan
solo los ``k`` tokens más probables (ec. `muestreo-top-k`) o el menor conjunto cuya probabilidad
acumulada llega a ``p`` (ec. `muestreo-nucleo-top-p`); la distribución de la que se muestrea es
``q = softmax(z / τ)`` sobre los que quedan (ec. `muestreo-temperatura`). Usamos los filtros del
paquete (``filtrar_top_k``, ``filtrar_nucleo``) en el mismo orden que ``muestrear``: el núcleo se elige
con la distribución del modelo, sin temperatura.
"""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from ..con_numpy import filtrar_nucleo, filtrar_top_k, softmax
from ..graficos import PALETA, aplicar_estilo
from .base import ExploradorPrecalculado, imagen

__all__ = ["ExploradorMuestreo", "distribucion_muestreo", "FILTROS"]

FILTROS = ("ninguno", "top-k", "top-p")
TEMPERATURAS = (0.1, 0.25, 0.5, 1.0, 1.5, 2.0, 4.0)
CONTEXTO = "El gato duerme en la"
TOKENS = ("alfombra", "cama", "silla", "mesa", "terraza", "ventana", "nube", "luna")
LOGITS = (3.0, 2.6, 2.2, 1.5, 1.0, 0.6, -0.5, -1.2)


def distribucion_muestreo(logits, tau=1.0, filtro="ninguno", k=3, p=0.9):
    """Distribución de la que se muestrea el siguiente token: filtro top-k o top-p (si se pide) y ``softmax(z/τ)``.

    Parámetros
    ----------
    tau : temperatura, > 0 (``τ → 0``: decodificación voraz; ``τ → ∞``: uniforme sobre los que quedan)
    filtro : ``"ninguno"``, ``"top-k"`` (los ``k`` más probables) o ``"top-p"`` (el menor conjunto de
        tokens, de más a menos probable, cuya probabilidad acumulada según el modelo llega a ``p``)

    Formas
    ------
    logits : (N,)    salida : (N,), suma 1, ceros en los tokens descartados
    """
    z = np.asarray(logits, dtype=np.float64)
    if z.ndim != 1 or z.size == 0:
        raise ValueError(f"'logits' debe tener forma (N,), pero se recibió {z.shape}.")
    if not tau > 0:
        raise ValueError(f"'tau' debe ser positiva, pero se recibió {tau}.")
    if filtro not in FILTROS:
        raise ValueError(f"'filtro' debe ser uno de {FILTROS}, pero se recibió {filtro!r}.")
    if filtro == "top-k":
        z = filtrar_top_k(z, k)  # -inf fuera de los k mayores
    elif filtro == "top-p":
        z = filtrar_nucleo(z, p)  # -inf fuera del núcleo
    return softmax(z / tau)  # (N,)


class ExploradorMuestreo(ExploradorPrecalculado):
    """Barras de la distribución del siguiente token según la temperatura y el filtro (top-k, top-p).

    Parámetros
    ----------
    tokens : las N candidatas    logits : (N,), sus logits
    contexto : el texto que precede al token (solo para el título)
    k, p : los parámetros de los filtros top-k y top-p

    Atributos
    ---------
    probabilidades : (N,), la distribución que se muestra ahora
    conservados : (N,), booleana; False = token descartado por el filtro
    """

    def __init__(self, tokens=TOKENS, logits=LOGITS, contexto=CONTEXTO, k=3, p=0.9, temperaturas=TEMPERATURAS):
        self.tokens, self.logits = list(tokens), np.asarray(logits, dtype=np.float64)
        if self.logits.shape != (len(self.tokens),):
            raise ValueError(
                f"'logits' debe tener forma (N,) con N={len(self.tokens)} (tomado de 'tokens'), "
                f"pero se recibió {self.logits.shape}."
            )
        self.contexto, self.k, self.p, self.temperaturas = contexto, k, p, tuple(temperaturas)
        self._q = [[distribucion_muestreo(self.logits, t, f, k, p) for f in FILTROS] for t in self.temperaturas]
        self._base = distribucion_muestreo(self.logits)  # τ = 1, sin filtro: la del modelo
        aplicar_estilo()
        self.temperatura = widgets.SelectionSlider(
            options=[(f"{t:g}", t) for t in self.temperaturas],
            value=1.0 if 1.0 in self.temperaturas else self.temperaturas[0],
            description="τ:",
        )
        self.filtro = widgets.ToggleButtons(
            options=["ninguno", f"top-k (k = {k})", f"top-p (p = {p:g})"], description="Filtro:"
        )
        self.filtro.style.button_width = "auto"
        figuras = [
            [self._imagen(q, t, f) for q, f in zip(fila, FILTROS)] for fila, t in zip(self._q, self.temperaturas)
        ]
        self._montar(self.temperatura, self.filtro, figuras, "<code>ExploradorMuestreo(tokens, logits)</code>")

    def _al_cambiar(self, i, j):
        self.probabilidades = self._q[i][j]
        self.conservados = self.probabilidades > 0

    def _imagen(self, q, tau, filtro) -> widgets.HTML:
        fig, ax = plt.subplots(figsize=(7.5, 3.6), dpi=72)
        x = np.arange(len(self.tokens))
        colores = [PALETA[0] if v > 0 else "0.8" for v in q]
        ax.bar(x, q, color=colores, width=0.7, label="q, de la que se muestrea")
        ax.bar(x, self._base, fill=False, edgecolor=PALETA[3], width=0.7, lw=1.2, ls="--", label="p del modelo (τ = 1)")
        for xi, v in zip(x, q):
            if v > 0:
                ax.text(xi, v + 0.02, f"{v:.2f}", ha="center", fontsize=8)
            else:
                ax.text(xi, 0.12, "descartado", ha="center", va="bottom", rotation=90, fontsize=8, color="0.4")
        ax.set_xticks(x, self.tokens, rotation=30, ha="right")
        ax.set_ylim(0, 1.1)
        ax.set_ylabel("probabilidad")
        nombre = {"ninguno": "sin filtro", "top-k": f"top-k, k = {self.k}", "top-p": f"top-p, p = {self.p:g}"}[filtro]
        entropia = -np.sum(q[q > 0] * np.log2(q[q > 0]))
        ax.set_title(f"«{self.contexto} …»: τ = {tau:g}, {nombre}; entropía {entropia:.2f} bits")
        ax.legend(loc="upper right", fontsize=8)
        mas_probable = self.tokens[int(np.argmax(q))]
        descripcion = (
            f"Diagrama de barras de la probabilidad de cada token candidato tras «{self.contexto}» con temperatura "
            f"{tau:g} y {nombre}: {int((q > 0).sum())} de {len(q)} tokens conservan probabilidad; el más probable "
            f"es «{mas_probable}», con {q.max():.2f}. Una línea discontinua marca la distribución del modelo con "
            "temperatura 1."
        )
        return imagen(fig, descripcion)
