"""Explorador de los pesos de atención: temperatura de las puntuaciones y máscaras (capítulo 3)."""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from ..con_numpy import atencion_escalada, combinar_mascaras, mascara_causal, mascara_relleno
from ..errores import ErrorDeForma, Formas
from ..graficos import aplicar_estilo, mapa_calor
from .base import descripcion_de, imagen, png_de

__all__ = ["ExploradorAtencion"]

MASCARAS = ("ninguna", "causal", "relleno", "causal + relleno")
TEMPERATURAS = (0.25, 0.5, 1.0, 2.0, 4.0)


class ExploradorAtencion(widgets.VBox):
    """Mapa de calor de ``softmax(QKᵀ / (τ·√d_k) + M)`` con un control para τ y otro para la máscara.

    Con ``τ = 1`` es la atención de producto escalado del libro; con ``τ = 1/√d_k`` es la
    atención sin escalar. Todas las combinaciones se calculan al crear el explorador, de modo
    que la versión web responde sin núcleo.

    Parámetros
    ----------
    tokens : lista de T cadenas (etiquetas de filas y columnas)
    Q, K : (T, d_k)
    n_relleno : cuántos tokens finales son relleno en las máscaras «relleno»

    Atributos
    ---------
    pesos : (T, T), la matriz que se muestra ahora
    """

    def __init__(self, tokens, Q, K, n_relleno=2, temperaturas=TEMPERATURAS):
        f = Formas()
        f.comprobar("Q", Q, "T d_k")
        f.comprobar("K", K, "T d_k")
        if len(tokens) != f["T"]:
            raise ErrorDeForma(f"'tokens' debe tener T={f['T']} elementos (tomado de 'Q'), pero tiene {len(tokens)}.")
        if not 0 <= n_relleno < f["T"]:
            raise ErrorDeForma(f"'n_relleno' debe estar entre 0 y T-1={f['T'] - 1}, pero se recibió {n_relleno}.")
        self.tokens, self.temperaturas = list(tokens), tuple(temperaturas)
        T, d_k = f["T"], f["d_k"]
        relleno = mascara_relleno(np.array([T - n_relleno]), T)  # (1, T)
        mascaras = {
            "ninguna": None,
            "causal": mascara_causal(T),
            "relleno": relleno,
            "causal + relleno": combinar_mascaras(mascara_causal(T), relleno),
        }
        eye = np.eye(T)
        self._pesos = [
            [
                atencion_escalada(Q, K, eye, m, escala=1.0 / (tau * np.sqrt(d_k)), devolver_pesos=True)[1]
                for tau in self.temperaturas
            ]
            for m in mascaras.values()
        ]  # [máscara][temperatura] -> (T, T)
        aplicar_estilo()
        self.mascara = widgets.Dropdown(options=MASCARAS, value="ninguna", description="Máscara:")
        self.temperatura = widgets.SelectionSlider(
            options=[(f"{t:g}", t) for t in self.temperaturas], value=1.0, description="τ:", continuous_update=True
        )
        pilas = [
            widgets.Stack([self._imagen(p, MASCARAS[i], t) for p, t in zip(fila, self.temperaturas)])
            for i, fila in enumerate(self._pesos)
        ]
        self.figuras = widgets.Stack(pilas, selected_index=0)
        # En el navegador (con o sin núcleo): los controles eligen la figura precalculada.
        self._enlaces = [widgets.jslink((self.mascara, "index"), (self.figuras, "selected_index"))]
        self._enlaces += [widgets.jslink((self.temperatura, "index"), (p, "selected_index")) for p in pilas]
        # En Python (con núcleo, o en las pruebas): lo mismo, y además actualizamos `pesos`.
        self.mascara.observe(self._actualizar, names="index")
        self.temperatura.observe(self._actualizar, names="index")
        self._actualizar()
        nota = widgets.HTML(
            "<small>Mueve τ y cambia la máscara. En la web las figuras están precalculadas; en Jupyter puedes "
            "crear otro explorador con tus propias Q y K.</small>"
        )
        super().__init__([widgets.HBox([self.mascara, self.temperatura]), self.figuras, nota])

    def _imagen(self, pesos, nombre_mascara, tau) -> widgets.HTML:
        fig, ax = plt.subplots(figsize=(4.6, 3.8), dpi=72)
        mapa_calor(ax, pesos, self.tokens, self.tokens, titulo=f"máscara: {nombre_mascara}, τ = {tau:g}")
        descripcion = (
            f"Mapa de calor de los pesos de atención entre los tokens {', '.join(self.tokens)} (filas: consultas; "
            f"columnas: claves) con máscara {nombre_mascara} y τ = {tau:g}; cada fila suma 1."
        )
        return imagen(fig, descripcion)

    def _actualizar(self, _cambio=None) -> None:
        i, j = self.mascara.index, self.temperatura.index
        self.figuras.selected_index = i
        self.figuras.children[i].selected_index = j
        self.pesos = self._pesos[i][j]

    @property
    def imagen_actual(self) -> bytes:
        """PNG de la figura visible ahora."""
        pila = self.figuras.children[self.figuras.selected_index]
        return png_de(pila.children[pila.selected_index])

    @property
    def descripcion_actual(self) -> str:
        """Texto alternativo de la figura visible ahora."""
        pila = self.figuras.children[self.figuras.selected_index]
        return descripcion_de(pila.children[pila.selected_index])
