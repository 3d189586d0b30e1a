"""Explorador de las cabezas de atención: qué mira cada cabeza de cada capa (capítulo 4).

Recibe los pesos de atención de un modelo ya entrenado sobre **una** secuencia, una matriz
``(T, T)`` por cabeza y por capa, y dibuja el mapa de calor de la cabeza elegida con dos
controles (capa y cabeza). Si se da la longitud ``L`` del bloque que se repite (la tarea de
:mod:`transformadores.datos.induccion`), marca además las dos relaciones que buscamos: la clave
``t-1`` («el anterior») y la clave ``t-L+1`` («el siguiente de la pareja»).
"""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from ..errores import ErrorDeForma, Formas
from ..graficos import PALETA, aplicar_estilo, mapa_calor
from .base import ExploradorPrecalculado, imagen

__all__ = ["ExploradorCabezas"]


class ExploradorCabezas(ExploradorPrecalculado):
    """Mapa de calor de los pesos de atención de cada cabeza, con un control para la capa y otro para la cabeza.

    Parámetros
    ----------
    pesos : lista de ``n_capas`` arreglos (H, T, T), los pesos de una secuencia (filas: consultas)
    tokens : las T etiquetas de la secuencia
    longitud : la ``L`` del bloque repetido, para marcar las claves ``t-1`` y ``t-L+1``; None = sin marcas

    Atributos
    ---------
    pesos : (T, T), la matriz de la cabeza que se muestra ahora
    capa_actual, cabeza_actual : sus índices (desde 0)
    """

    def __init__(self, pesos, tokens, longitud=None):
        if not isinstance(pesos, (list, tuple)) or not pesos:
            raise ErrorDeForma("'pesos' debe ser una lista no vacía de arreglos (H, T, T), uno por capa.")
        f = Formas()
        self._pesos = []
        for c, p in enumerate(pesos):
            p = np.asarray(p, dtype=np.float64)
            f.comprobar(f"pesos[{c}]", p, "H T T")
            self._pesos.append(p)
        H, T = f["H"], f["T"]
        if len(tokens) != T:
            raise ErrorDeForma(f"'tokens' debe tener T={T} elementos (tomado de 'pesos'), pero tiene {len(tokens)}.")
        if longitud is not None and not 1 <= longitud <= T // 2:
            raise ErrorDeForma(f"'longitud' debe estar entre 1 y T/2={T // 2}, pero se recibió {longitud}.")
        self.tokens, self.longitud = [str(t) for t in tokens], longitud
        aplicar_estilo()
        capa = widgets.Dropdown(
            options=[(f"capa {c + 1}", c) for c in range(len(self._pesos))], value=0, description="Capa:"
        )
        cabeza = widgets.Dropdown(options=[(f"cabeza {h + 1}", h) for h in range(H)], value=0, description="Cabeza:")
        figuras = [[self._imagen(p[h], c, h) for h in range(H)] for c, p in enumerate(self._pesos)]
        self.capa, self.cabeza = capa, cabeza
        self._montar(capa, cabeza, figuras, "<code>ExploradorCabezas(pesos, tokens)</code> con otra secuencia")

    def _al_cambiar(self, i, j):
        self.capa_actual, self.cabeza_actual = i, j
        self.pesos = self._pesos[i][j]

    def _marcas(self, ax) -> str:
        """Dibuja las dos relaciones de la tarea de copia; devuelve cómo describirlas."""
        T, L = len(self.tokens), self.longitud
        t = np.arange(1, T)
        estilo = {"ls": "none", "ms": 9, "mew": 2}
        ax.plot(t - 1, t, marker="_", color=PALETA[1], label="clave t-1 (el anterior)", **estilo)
        t = np.arange(L, 2 * L - 1)
        ax.plot(t - L + 1, t, marker="|", color=PALETA[3], label="clave t-L+1 (el siguiente de la pareja)", **estilo)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=2, fontsize=8, frameon=False)
        return (
            f" Unas marcas naranjas señalan la clave anterior a cada consulta y unas rojas, en las consultas de la "
            f"copia, la clave que siguió a la aparición anterior del mismo token (L = {L})."
        )

    def _imagen(self, pesos, c, h) -> widgets.HTML:
        fig, ax = plt.subplots(figsize=(6.0, 5.6), dpi=72, layout="constrained")
        mapa_calor(ax, pesos, self.tokens, self.tokens, titulo=f"Capa {c + 1}, cabeza {h + 1}")
        marcas = self._marcas(ax) if self.longitud is not None else ""
        # A qué distancia mira, en promedio, cada consulta: 0 = a sí misma, 1 = al anterior…
        T = len(self.tokens)
        distancia = (pesos * (np.arange(T)[:, None] - np.arange(T)[None, :])).sum(-1)[1:].mean()
        descripcion = (
            f"Mapa de calor de los pesos de atención de la capa {c + 1}, cabeza {h + 1}, sobre la secuencia "
            f"{' '.join(self.tokens)} (filas: consultas; columnas: claves; la máscara causal deja vacío el "
            f"triángulo superior). En promedio, cada consulta mira {distancia:.1f} posiciones atrás.{marcas}"
        )
        return imagen(fig, descripcion)
