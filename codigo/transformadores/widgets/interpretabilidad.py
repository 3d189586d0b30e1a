"""Explorador de atribuciones: qué tokens explican una predicción según cada método (capítulo 17).

Recibe, para varios ejemplos, la saliencia de cada token según varios métodos (la atención de una
capa, el *rollout*, el gradiente por la entrada…) y dibuja un diagrama de barras con un control para
el ejemplo y otro para el método. Si se conoce la respuesta (el token que de verdad explica la
predicción), su barra sale de otro color y el texto alternativo dice si el método la acierta.
"""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from ..errores import ErrorDeForma
from ..graficos import PALETA, aplicar_estilo
from .base import ExploradorPrecalculado, imagen

__all__ = ["ExploradorSaliencia"]


class ExploradorSaliencia(ExploradorPrecalculado):
    """Saliencia de cada token de un ejemplo según el método elegido, sin núcleo en la web.

    Parámetros
    ----------
    tokens : lista de N listas de tokens (una por ejemplo; pueden tener longitudes distintas)
    saliencias : diccionario ``{método: lista de N arreglos}``, cada arreglo con un valor por token
    correctas : lista de N listas con las posiciones de la respuesta conocida (None = sin respuesta)
    titulos : N nombres de los ejemplos para el control (None = «ejemplo 1», «ejemplo 2»…)

    Atributos
    ---------
    ejemplo_actual, metodo_actual : lo elegido ahora (índice del ejemplo, nombre del método)
    saliencia : (T,), la saliencia que se muestra, dividida por su mayor valor absoluto
    token_maximo : la posición del token de mayor saliencia
    """

    def __init__(self, tokens, saliencias, correctas=None, titulos=None):
        if not isinstance(tokens, (list, tuple)) or not tokens:
            raise ErrorDeForma("'tokens' debe ser una lista no vacía de listas de tokens, una por ejemplo.")
        if not isinstance(saliencias, dict) or not saliencias:
            raise ErrorDeForma("'saliencias' debe ser un diccionario no vacío {método: lista de arreglos}.")
        N = len(tokens)
        self.tokens = [[str(t) for t in fila] for fila in tokens]
        self.correctas = [list(c) for c in correctas] if correctas is not None else [[] for _ in range(N)]
        self.titulos = list(titulos) if titulos is not None else [f"ejemplo {i + 1}" for i in range(N)]
        if len(self.correctas) != N or len(self.titulos) != N:
            raise ErrorDeForma(f"'correctas' y 'titulos' deben tener N={N} elementos (tomado de 'tokens').")
        self.metodos = list(saliencias)
        self._saliencias = {m: [self._normalizar(m, i, s) for i, s in enumerate(v)] for m, v in saliencias.items()}
        aplicar_estilo()
        ejemplo = widgets.Dropdown(
            options=[(t, i) for i, t in enumerate(self.titulos)], value=0, description="Ejemplo:"
        )
        metodo = widgets.Dropdown(options=[(m, j) for j, m in enumerate(self.metodos)], value=0, description="Método:")
        figuras = [[self._imagen(i, m) for m in self.metodos] for i in range(N)]
        self.ejemplo, self.metodo = ejemplo, metodo
        self._montar(ejemplo, metodo, figuras, "<code>ExploradorSaliencia(tokens, saliencias)</code> con tus ejemplos")

    def _normalizar(self, metodo, i, s):
        if not isinstance(s, (list, tuple)) and not hasattr(s, "shape"):
            raise ErrorDeForma(f"'saliencias[{metodo!r}]' debe ser una lista de arreglos, uno por ejemplo.")
        s = np.asarray(s, dtype=np.float64)
        if s.shape != (len(self.tokens[i]),):
            raise ErrorDeForma(
                f"'saliencias[{metodo!r}][{i}]' debe tener forma ({len(self.tokens[i])},) (los tokens del "
                f"ejemplo {i}), pero se recibió {s.shape}."
            )
        return s / max(np.abs(s).max(), 1e-12)

    def _al_cambiar(self, i, j):
        self.ejemplo_actual, self.metodo_actual = i, self.metodos[j]
        self.saliencia = self._saliencias[self.metodo_actual][i]
        self.token_maximo = int(self.saliencia.argmax())

    def _imagen(self, i, metodo) -> widgets.HTML:
        s, tokens, correctas = self._saliencias[metodo][i], self.tokens[i], self.correctas[i]
        colores = [PALETA[3] if t in correctas else PALETA[0] for t in range(len(tokens))]
        fig, ax = plt.subplots(figsize=(7.0, 2.8), dpi=72, layout="constrained")
        ax.bar(range(len(tokens)), s, color=colores)
        ax.axhline(0.0, color="black", lw=0.8)
        ax.set_xticks(range(len(tokens)), tokens, rotation=45, ha="right")
        ax.set_ylim(min(-0.1, s.min() * 1.1), 1.1)
        ax.set_ylabel("saliencia (máx. = 1)")
        ax.set_title(f"{self.titulos[i]} · {metodo}", fontsize=10)
        mejor = int(s.argmax())
        texto = f"el token de mayor saliencia es «{tokens[mejor]}» (posición {mejor + 1})"
        if correctas:
            acierto = "acierta" if mejor in correctas else "no acierta"
            texto += f"; la respuesta conocida, en naranja, es «{tokens[correctas[0]]}»: el método {acierto}"
        descripcion = (
            f"Diagrama de barras con la saliencia de cada token de «{' '.join(tokens)}» según {metodo}, "
            f"dividida por su mayor valor absoluto; {texto}."
        )
        return imagen(fig, descripcion)
