"""Explorador del gradiente de una RNN de Elman: cómo cae ``‖∂h_T/∂h_k‖`` con la distancia (capítulo 1).

Por la ec. `rnn-gradiente-desvaneciente`, ``∂h_T/∂h_k = J_T J_{T-1} ⋯ J_{k+1}`` con
``J_t = diag(1 - h_t²) W_hh``. Si ``W_hh = ρ·Q`` con ``Q`` ortogonal, su radio espectral y su norma
espectral valen los dos ``ρ``, y la cota ``‖∂h_T/∂h_k‖₂ ≤ ρ^(T-k)`` se puede dibujar junto a la norma
medida. El explorador tiene dos controles:

- el radio espectral ``ρ`` de ``W_hh``: por debajo de 1 el gradiente se desvanece exponencialmente;
  por encima puede explotar;
- la amplitud de las entradas: con entradas grandes la tangente hiperbólica se satura
  (``1 - h_t² ≈ 0``) y el gradiente cae mucho más deprisa de lo que dice la cota.
"""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from ..con_numpy import rnn_elman
from ..errores import Formas
from ..graficos import PALETA, aplicar_estilo
from .base import ExploradorPrecalculado, imagen

__all__ = ["ExploradorGradienteRnn", "matriz_con_radio", "normas_jacobiano", "RADIOS", "AMPLITUDES"]

RADIOS = (0.5, 0.9, 1.0, 1.1, 1.5, 2.0)
AMPLITUDES = (0.1, 1.0, 3.0)
SUELO = 1e-30  # valores menores se dibujan en el borde inferior de la figura


def matriz_con_radio(d_h, radio, rng):
    """``W_hh = radio · Q``, con ``Q`` ortogonal aleatoria: su radio espectral y su norma espectral valen ``radio``.

    Formas
    ------
    salida : (d_h, d_h)
    """
    if radio <= 0:
        raise ValueError(f"'radio' debe ser positivo, pero se recibió {radio}.")
    Q, R = np.linalg.qr(rng.standard_normal((d_h, d_h)))
    return radio * Q * np.sign(np.diag(R))  # (d_h, d_h); el signo hace única la factorización


def normas_jacobiano(X, W_xh, W_hh, b_h):
    """``‖∂h_T/∂h_{T-n}‖₂`` para todas las distancias ``n = 0 … T`` en una sola pasada.

    ``con_numpy.jacobiano_rnn`` calcula el producto para un ``k`` cada vez, de derecha a izquierda.
    Para tener todos los ``k`` a la vez acumulamos de izquierda a derecha:
    ``P_0 = I`` y ``P_n = P_{n-1} J_{T-n+1} = ∂h_T/∂h_{T-n}``, con ``J_t = diag(1 - h_t²) W_hh``.

    Formas
    ------
    X : (..., T, d_x)    W_xh : (d_h, d_x)    W_hh : (d_h, d_h)    b_h : (d_h,)
    salida : (..., T + 1); la componente ``n`` es la norma espectral de ``∂h_T/∂h_{T-n}``
    """
    f = Formas()
    f.comprobar("X", X, "... T d_x")
    f.comprobar("W_xh", W_xh, "d_h d_x")
    f.comprobar("W_hh", W_hh, "d_h d_h")
    f.comprobar("b_h", b_h, "d_h")
    d_h, T = f["d_h"], f["T"]
    _, H = rnn_elman(X, W_xh, W_hh, b_h, np.zeros((1, d_h)), np.zeros(1))  # (..., T, d_h)
    P = np.broadcast_to(np.eye(d_h), H.shape[:-2] + (d_h, d_h))  # (..., d_h, d_h)
    normas = [np.ones(H.shape[:-2])]
    for n in range(1, T + 1):
        J = (1.0 - H[..., T - n, :] ** 2)[..., :, None] * W_hh  # (..., d_h, d_h): J_{T-n+1}
        P = P @ J
        normas.append(np.linalg.norm(P, ord=2, axis=(-2, -1)))
    return np.stack(normas, axis=-1)  # (..., T + 1)


def _potencia_de_diez(k: int) -> str:
    """``10`` con el exponente ``k`` en superíndices Unicode (sin mathtext, que es lento)."""
    return "10" + str(k).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))


class ExploradorGradienteRnn(ExploradorPrecalculado):
    """Norma del jacobiano ``∂h_T/∂h_k`` frente a la distancia ``T - k``, con controles para ``ρ(W_hh)`` y la amplitud.

    Parámetros
    ----------
    T : longitud de las secuencias (al menos 2)
    d_h, d_x : dimensiones del estado y de la entrada
    n_secuencias : cuántas secuencias aleatorias se miden (la figura dibuja todas y su mediana)
    radios : radios espectrales de ``W_hh`` que ofrece el primer control
    amplitudes : desviaciones típicas de las entradas que ofrece el segundo control
    semilla : semilla de ``W_xh``, de la matriz ortogonal y de las entradas

    Atributos
    ---------
    normas : (T + 1,), mediana sobre las secuencias de ``‖∂h_T/∂h_{T-n}‖₂`` para lo que se muestra ahora
    normas_por_secuencia : (n_secuencias, T + 1)
    radio, amplitud : los valores elegidos ahora
    """

    def __init__(self, T=60, d_h=32, d_x=4, n_secuencias=8, radios=RADIOS, amplitudes=AMPLITUDES, semilla=0):
        if int(T) != T or T < 2:
            raise ValueError(f"'T' debe ser un entero mayor o igual que 2, pero se recibió {T!r}.")
        if not radios or not amplitudes:
            raise ValueError("'radios' y 'amplitudes' deben tener al menos un valor cada uno.")
        if min(radios) <= 0 or min(amplitudes) < 0:
            raise ValueError("Los radios deben ser positivos y las amplitudes, no negativas.")
        self.T, self.radios, self.amplitudes = int(T), tuple(radios), tuple(amplitudes)
        rng = np.random.default_rng(semilla)
        Q = matriz_con_radio(d_h, 1.0, rng)
        W_xh, b_h = rng.standard_normal((d_h, d_x)) / np.sqrt(d_x), np.zeros(d_h)
        ruido = rng.standard_normal((n_secuencias, self.T, d_x))  # (n, T, d_x)
        # [radio][amplitud] -> (n_secuencias, T + 1)
        self._normas = [[normas_jacobiano(a * ruido, W_xh, r * Q, b_h) for a in self.amplitudes] for r in self.radios]
        aplicar_estilo()
        radio = widgets.SelectionSlider(
            options=[(f"{r:g}", r) for r in self.radios],
            value=1.0 if 1.0 in self.radios else self.radios[0],
            description="ρ(W_hh):",
        )
        amplitud = widgets.SelectionSlider(
            options=[(f"{a:g}", a) for a in self.amplitudes],
            value=0.1 if 0.1 in self.amplitudes else self.amplitudes[0],
            description="amplitud:",
        )
        figuras = [
            [self._imagen(normas, r, a) for normas, a in zip(fila, self.amplitudes)]
            for fila, r in zip(self._normas, self.radios)
        ]
        self.radio_control, self.amplitud_control = radio, amplitud
        self._montar(radio, amplitud, figuras, "<code>ExploradorGradienteRnn(T=100)</code>")

    def _al_cambiar(self, i, j):
        self.radio, self.amplitud = self.radios[i], self.amplitudes[j]
        self.normas_por_secuencia = self._normas[i][j]
        self.normas = np.median(self.normas_por_secuencia, axis=0)

    def _imagen(self, normas, radio, amplitud) -> widgets.HTML:
        # Dibujamos log10 de las normas en ejes lineales (mucho más rápido que una escala logarítmica).
        n = np.arange(self.T + 1)
        log10 = lambda x: np.log10(np.maximum(x, SUELO))  # noqa: E731
        fig, ax = plt.subplots(figsize=(6.4, 3.8), dpi=72)
        for fila in normas:
            ax.plot(n, log10(fila), color=PALETA[5], lw=0.8, alpha=0.5)
        mediana = np.median(normas, axis=0)
        ax.plot(n, log10(mediana), color=PALETA[0], lw=2.2, label="norma medida (mediana)")
        ax.plot(n, log10(float(radio) ** n), "--", color=PALETA[3], lw=1.5, label=f"cota {radio:g}^(T−k)")
        ax.axhline(0.0, color="0.6", lw=0.8)
        ax.set_ylim(np.log10(SUELO), 10)
        ax.set_yticks(range(-30, 11, 10), [_potencia_de_diez(k) for k in range(-30, 11, 10)])
        ax.set_xlim(0, self.T)
        ax.set_xlabel("distancia T − k (pasos hacia atrás)")
        ax.set_ylabel("‖∂h_T / ∂h_k‖₂")
        ax.set_title(f"ρ(W_hh) = {radio:g}, amplitud de la entrada = {amplitud:g}")
        ax.legend(loc="upper left", fontsize=8)
        final = mediana[-1]
        ax.text(self.T, log10(final) + 1.5, f"{final:.1e}", ha="right", fontsize=8, color=PALETA[0])
        descripcion = (
            f"Norma del jacobiano de h_T respecto de h_k frente a la distancia T − k, en escala logarítmica, para "
            f"una RNN de Elman con radio espectral {radio:g} y entradas de amplitud {amplitud:g}. Las líneas finas "
            f"son {normas.shape[0]} secuencias, la gruesa su mediana y la discontinua la cota {radio:g}^(T−k); a "
            f"distancia {self.T} la mediana vale {final:.1e}."
        )
        return imagen(fig, descripcion)
