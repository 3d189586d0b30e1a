"""Explorador de la codificación posicional sinusoidal: la tabla PE y la similitud según la distancia.

La codificación de Vaswani et al. (ec. `codificacion-posicional-sinusoidal`) da a cada posición un
vector de ``d_modelo`` componentes: pares (seno, coseno) que giran cada uno a su frecuencia
``ω_i = base^(-2i/d_modelo)``. El explorador dibuja, para cada ``d_modelo`` y cada ``base``:

- a la izquierda, el mapa de calor de ``PE`` (filas: posiciones; columnas: componentes);
- a la derecha, la similitud coseno entre dos posiciones en función de su distancia ``k``, que no
  depende de la posición de partida: ``cos(PE_p, PE_{p+k}) = (2/d_modelo)·Σ_i cos(ω_i k)``.
"""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from ..con_numpy import codificacion_posicional_sinusoidal
from ..graficos import PALETA, aplicar_estilo
from .base import ExploradorPrecalculado, imagen

__all__ = ["ExploradorPosiciones", "similitud_por_distancia"]

D_MODELOS = (16, 32, 64, 128)
BASES = (10.0, 100.0, 1000.0, 10000.0)


def similitud_por_distancia(PE, origen=0):
    """Similitud coseno entre la fila ``origen`` de ``PE`` y las siguientes.

    Formas
    ------
    PE : (T, d_modelo)    salida : (T - origen,), la componente ``k`` compara ``origen`` con ``origen + k``
    """
    PE = np.asarray(PE, dtype=np.float64)
    if not 0 <= origen < PE.shape[0]:
        raise ValueError(f"'origen' debe estar entre 0 y T-1={PE.shape[0] - 1}, pero se recibió {origen}.")
    normas = np.linalg.norm(PE, axis=-1)  # (T,)
    return PE[origen:] @ PE[origen] / (normas[origen:] * normas[origen])  # (T - origen,)


class ExploradorPosiciones(ExploradorPrecalculado):
    """Mapa de calor de la codificación posicional sinusoidal y similitud coseno frente a la distancia.

    Parámetros
    ----------
    T : número de posiciones que se dibujan (al menos 4)
    d_modelos : valores pares de ``d_modelo`` que ofrece el primer control
    bases : bases de las frecuencias que ofrece el segundo control (Vaswani usa 10000)

    Atributos
    ---------
    PE : (T, d_modelo), la codificación que se muestra ahora
    similitud : (T,), ``similitud[k]`` = coseno entre las posiciones 0 y ``k``
    """

    def __init__(self, T=48, d_modelos=D_MODELOS, bases=BASES):
        if int(T) != T or T < 4:
            raise ValueError(f"'T' debe ser un entero mayor o igual que 4, pero se recibió {T!r}.")
        if not d_modelos or not bases:
            raise ValueError("'d_modelos' y 'bases' deben tener al menos un valor cada uno.")
        if min(bases) <= 1:
            raise ValueError(f"Cada base debe ser mayor que 1, pero se recibió {min(bases)}.")
        self.T, self.d_modelos, self.bases = int(T), tuple(d_modelos), tuple(float(b) for b in bases)
        # [d_modelo][base] -> (T, d_modelo); la función del paquete rechaza d_modelo impar.
        self._PE = [[codificacion_posicional_sinusoidal(self.T, d, base=b) for b in self.bases] for d in self.d_modelos]
        aplicar_estilo()
        d_modelo = widgets.SelectionSlider(
            options=[(str(d), d) for d in self.d_modelos],
            value=64 if 64 in self.d_modelos else self.d_modelos[0],
            description="d_modelo:",
        )
        base = widgets.SelectionSlider(
            options=[(f"{b:g}", b) for b in self.bases],
            value=10000.0 if 10000.0 in self.bases else self.bases[-1],
            description="base:",
        )
        figuras = [
            [self._imagen(PE, d, b) for PE, b in zip(fila, self.bases)] for fila, d in zip(self._PE, self.d_modelos)
        ]
        self.d_modelo, self.base = d_modelo, base
        self._montar(d_modelo, base, figuras, "<code>ExploradorPosiciones(T=100)</code>")

    def _al_cambiar(self, i, j):
        self.PE = self._PE[i][j]
        self.similitud = similitud_por_distancia(self.PE)

    def _imagen(self, PE, d_modelo, base) -> widgets.HTML:
        fig, (izq, der) = plt.subplots(1, 2, figsize=(9.0, 3.6), dpi=72, layout="constrained",
                                       gridspec_kw={"width_ratios": [1.25, 1]})
        mapa = izq.imshow(PE, cmap="RdBu_r", vmin=-1, vmax=1, aspect="auto", interpolation="nearest")
        izq.set_xlabel("componente i de PE")
        izq.set_ylabel("posición")
        izq.set_title(f"PE con d_modelo = {d_modelo}, base = {base:g}")
        fig.colorbar(mapa, ax=izq, fraction=0.06, pad=0.02)
        k = np.arange(self.T)
        der.plot(k, similitud_por_distancia(PE), color=PALETA[0], label="desde la posición 0")
        mitad = self.T // 2
        der.plot(
            k[: self.T - mitad],
            similitud_por_distancia(PE, mitad),
            "o",
            ms=3,
            color=PALETA[1],
            label=f"desde la posición {mitad}",
        )
        der.set_ylim(-1.05, 1.05)
        der.axhline(0, color="0.7", lw=0.8)
        der.set_xlabel("distancia k entre posiciones")
        der.set_ylabel("similitud coseno")
        der.set_title("Similitud frente a distancia")
        der.legend(loc="upper right", fontsize=8)
        descripcion = (
            f"A la izquierda, mapa de calor de la codificación posicional sinusoidal con d_modelo = {d_modelo} "
            f"y base {base:g}: {self.T} posiciones en filas y sus {d_modelo} componentes en columnas; las primeras "
            "componentes oscilan deprisa y las últimas despacio. A la derecha, la similitud coseno entre dos "
            "posiciones en función de su distancia: vale 1 a distancia 0 y la curva es la misma desde la "
            f"posición 0 que desde la {mitad}, porque solo depende de la distancia."
        )
        return imagen(fig, descripcion)
