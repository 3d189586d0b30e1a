"""Explorador del all-reduce en anillo, paso a paso (capítulo «Más allá de una máquina»)."""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from ..experimentos.distribuido import simular_all_reduce_anillo
from ..graficos import aplicar_estilo
from .base import ExploradorPrecalculado, imagen

__all__ = ["ExploradorAnillo", "FASES"]

FASES = ("reducción dispersa", "reunión")
LETRAS = "ABCDEFGH"


def _letras(mascara: int, P: int) -> str:
    return "".join(LETRAS[p] for p in range(P) if mascara >> p & 1)


class ExploradorAnillo(ExploradorPrecalculado):
    """Qué trozo del gradiente tiene cada proceso en cada paso de un all-reduce en anillo.

    El gradiente de cada proceso (A, B, C…) se parte en ``P`` trozos; una celda (proceso, trozo) dice de
    qué procesos ya contiene la suma. Tras la reducción dispersa cada proceso tiene la suma completa de un
    trozo; tras la reunión, de todos. Se calcula con :func:`simular_all_reduce_anillo`.

    Atributos
    ---------
    contribuyentes : (P, P) enteros: bit ``q`` de la celda (p, k) = el trozo k del proceso p incluye el de q
    enviado : fracción del vector que cada proceso ha enviado hasta este paso
    """

    def __init__(self, n_procesos: int = 4):
        if not isinstance(n_procesos, int) or not 2 <= n_procesos <= len(LETRAS):
            raise ValueError(
                f"'n_procesos' debe ser un entero entre 2 y {len(LETRAS)}, pero se recibió {n_procesos!r}."
            )
        P = self.P = n_procesos
        # El vector del proceso p vale 2^p en todas sus componentes: la suma de una celda dice quién contribuyó.
        _, estados = simular_all_reduce_anillo([np.full(P, 2.0**p) for p in range(P)])
        self._estados = [np.rint(np.stack(e)).astype(int) for e in estados]  # 2(P-1)+1 de (P, P)
        aplicar_estilo()
        fase = widgets.Dropdown(options=FASES, value=FASES[0], description="Fase:")
        paso = widgets.SelectionSlider(options=list(range(P)), value=0, description="Paso:")
        figuras = [[self._imagen(f, s) for s in range(P)] for f in range(2)]
        self._montar(fase, paso, figuras, "ExploradorAnillo(n_procesos=...)")

    def _indice(self, fase: int, paso: int) -> int:
        return paso if fase == 0 else self.P - 1 + paso

    def _imagen(self, fase: int, paso: int) -> widgets.HTML:
        P, estado = self.P, self._estados[self._indice(fase, paso)]
        completas = np.vectorize(lambda m: bin(m).count("1"))(estado) / P  # (P, P)
        fig, ax = plt.subplots(figsize=(4.8, 3.6), dpi=72)
        ax.imshow(completas, cmap="Blues", vmin=0, vmax=1.6)
        for p in range(P):
            for k in range(P):
                ax.text(k, p, _letras(estado[p, k], P), ha="center", va="center", fontsize=10)
        ax.set_xticks(range(P), [f"trozo {k + 1}" for k in range(P)])
        ax.set_yticks(range(P), [f"proceso {LETRAS[p]}" for p in range(P)])
        ax.set_title(f"{FASES[fase]}, tras {paso} de {P - 1} pasos")
        n_llenas = int((completas == 1).sum())
        descripcion = (
            f"Cuadrícula de {P} procesos por {P} trozos del gradiente en la fase de {FASES[fase]}, tras {paso} "
            f"pasos: cada celda dice de qué procesos contiene ya la suma; {n_llenas} de {P * P} celdas tienen la "
            "suma completa."
        )
        return imagen(fig, descripcion)

    def _al_cambiar(self, i: int, j: int) -> None:
        self.contribuyentes = self._estados[self._indice(i, j)]
        self.enviado = self._indice(i, j) / self.P  # un trozo (1/P del vector) por paso
