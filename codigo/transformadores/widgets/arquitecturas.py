"""Constructor de máscaras de los tres tipos de transformador (capítulo 7).

Un control elige la atención (la autoatención del codificador, la del decodificador, o las dos
atenciones del decodificador de un codificador-decodificador) y el otro, si la frase lleva relleno.
Cada combinación tiene su figura precalculada: en la web, los controles solo eligen cuál se ve.
"""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap

from ..con_numpy import combinar_mascaras, mascara_causal, mascara_relleno
from ..graficos import PALETA, aplicar_estilo
from .base import ExploradorPrecalculado, imagen

__all__ = ["ExploradorMascaras", "ATENCIONES", "RELLENOS", "mascara_de"]

ATENCIONES = (
    "codificador (BERT)",
    "decodificador (GPT)",
    "codificador-decodificador: autoatención del decodificador",
    "codificador-decodificador: atención cruzada",
)
RELLENOS = ("sin relleno", "con relleno")

# Frases de ejemplo: el origen (lo que lee el codificador) y el destino (lo que escribe el decodificador).
ORIGEN = {"sin relleno": ["el", "gato", "negro", "duerme", "en", "casa"],
          "con relleno": ["el", "gato", "duerme", "<pad>", "<pad>", "<pad>"]}  # fmt: skip
DESTINO = {"sin relleno": ["<bos>", "the", "black", "cat", "sleeps"],
           "con relleno": ["<bos>", "the", "cat", "sleeps", "<pad>"]}  # fmt: skip
TEXTO = {"sin relleno": ["<bos>", "el", "gato", "negro", "duerme"],
         "con relleno": ["<bos>", "el", "gato", "duerme", "<pad>"]}  # fmt: skip


def _longitud(tokens):
    return sum(t != "<pad>" for t in tokens)


def mascara_de(atencion: str, relleno: str):
    """``(mascara, consultas, claves)``: la máscara booleana (T, S), True = puede atender, y sus tokens.

    Solo se enmascaran **claves** de relleno (como en el paquete y en PyTorch); las filas de las
    consultas de relleno se calculan, pero la pérdida las ignora.
    """
    if atencion not in ATENCIONES or relleno not in RELLENOS:
        raise ValueError(f"atención {atencion!r} o relleno {relleno!r} desconocidos: usa {ATENCIONES} y {RELLENOS}.")
    if atencion.startswith("codificador ("):
        consultas = claves = ORIGEN[relleno]
        causal = False
    elif atencion.startswith("decodificador"):
        consultas = claves = TEXTO[relleno]
        causal = True
    elif atencion.endswith("decodificador"):
        consultas = claves = DESTINO[relleno]
        causal = True
    else:
        consultas, claves = DESTINO[relleno], ORIGEN[relleno]
        causal = False
    T, S = len(consultas), len(claves)
    m = np.broadcast_to(mascara_relleno(np.array([_longitud(claves)]), S), (T, S))  # (T, S)
    if causal:
        m = combinar_mascaras(mascara_causal(T), m)
    return np.array(m, dtype=bool), list(consultas), list(claves)


class ExploradorMascaras(ExploradorPrecalculado):
    """Máscara de atención (quién puede atender a quién) de cada tipo de transformador.

    Atributos
    ---------
    mascara : (T, S) booleana, la que se ve ahora    consultas, claves : sus tokens
    """

    def __init__(self):
        aplicar_estilo()
        self.atencion = widgets.Dropdown(
            options=ATENCIONES,
            value=ATENCIONES[0],
            description="Atención:",
            layout=widgets.Layout(width="460px"),
            style={"description_width": "initial"},
        )
        self.relleno = widgets.Dropdown(options=RELLENOS, value=RELLENOS[0], description="Relleno:")
        figuras = [[self._imagen(a, r) for r in RELLENOS] for a in ATENCIONES]
        self._montar(self.atencion, self.relleno, figuras, "<code>mascara_de(atencion, relleno)</code>")

    def _al_cambiar(self, i, j):
        self.mascara, self.consultas, self.claves = mascara_de(ATENCIONES[i], RELLENOS[j])

    def _imagen(self, atencion, relleno) -> widgets.HTML:
        m, consultas, claves = mascara_de(atencion, relleno)
        T, S = m.shape
        fig, ax = plt.subplots(figsize=(5.0, 4.0), dpi=72, layout="constrained")
        ax.imshow(m, cmap=ListedColormap(["#DDDDDD", PALETA[0]]), vmin=0, vmax=1, aspect="auto")
        for i in range(T):
            for j in range(S):
                ax.text(j, i, "✓" if m[i, j] else "·", ha="center", va="center", fontsize=10,
                        color="white" if m[i, j] else "0.4")  # fmt: skip
        ax.set_xticks(range(S), claves, rotation=45, ha="right")
        ax.set_yticks(range(T), consultas)
        ax.set_xlabel("clave (a quién se atiende)")
        ax.set_ylabel("consulta (quién atiende)")
        ax.set_title(f"{atencion}\n{relleno}", fontsize=10)
        permitidas = int(m.sum())
        descripcion = (
            f"Máscara de {T} por {S} de la atención «{atencion}», {relleno}: filas, las consultas "
            f"{', '.join(consultas)}; columnas, las claves {', '.join(claves)}. Hay {permitidas} de {T * S} "
            f"casillas permitidas (marcadas con ✓ en azul)"
            + ("; la parte permitida es triangular inferior (máscara causal)" if "decodificador" in atencion
               and "cruzada" not in atencion else "")
            + ("; las columnas de relleno están prohibidas para todas las consultas." if relleno == "con relleno"
               else ".")
        )  # fmt: skip
        return imagen(fig, descripcion)
