"""Explorador de las cabezas de atención reales de all-MiniLM-L6-v2, capa a capa (capítulo 15).

Recibe los pesos de atención de MiniLM sobre unas pocas frases, ``(L, H, T, T)`` por frase, y dibuja
con dos controles (frase y capa) una rejilla con las 12 cabezas de la capa elegida: con dos frases,
2 × 6 = 12 figuras precalculadas, para que la web responda sin núcleo y el cuaderno no pese. El
título de cada cabeza dice adónde mira: al token anterior, al siguiente, a sí mismo, a los tokens
especiales ``[CLS]`` y ``[SEP]``, o a todas partes («repartida»).
"""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from ..errores import ErrorDeForma, Formas
from ..graficos import aplicar_estilo
from .base import ExploradorPrecalculado, imagen

__all__ = ["ExploradorMiniLM", "resumir_cabeza"]

ESPECIALES = ("[CLS]", "[SEP]")
UMBRAL = 0.5  # una cabeza «mira al anterior» si pone de media más de la mitad de su peso ahí


def resumir_cabeza(pesos, tokens) -> dict:
    """Adónde mira, de media, una cabeza: al token anterior, al siguiente, a sí mismo o a [CLS]/[SEP].

    Promedia sobre las consultas que no son tokens especiales. ``patron`` es la relación con más
    peso si supera 0.5, y «repartida» si ninguna lo hace.

    Formas
    ------
    pesos : (T, T), filas = consultas    tokens : T cadenas
    devuelve : {"anterior", "siguiente", "propio", "especiales": float, "patron": str}
    """
    pesos = np.asarray(pesos, dtype=np.float64)
    T = pesos.shape[-1]
    especial = np.array([t in ESPECIALES for t in tokens])
    consultas = np.flatnonzero(~especial) if (~especial).any() else np.arange(T)
    anterior = np.array([pesos[t, t - 1] if t > 0 else 0.0 for t in consultas]).mean()
    siguiente = np.array([pesos[t, t + 1] if t + 1 < T else 0.0 for t in consultas]).mean()
    resumen = {
        "anterior": float(anterior),
        "siguiente": float(siguiente),
        "propio": float(pesos[consultas, consultas].mean()),
        "especiales": float(pesos[np.ix_(consultas, np.flatnonzero(especial))].sum(-1).mean()),
    }
    nombres = {"anterior": "el token anterior", "siguiente": "el token siguiente", "propio": "sí mismo",
               "especiales": "[CLS] y [SEP]"}  # fmt: skip
    mayor = max(resumen, key=resumen.get)
    resumen["patron"] = nombres[mayor] if resumen[mayor] > UMBRAL else "repartida"
    return resumen


class ExploradorMiniLM(ExploradorPrecalculado):
    """Las 12 cabezas de atención de MiniLM, capa a capa, sobre unas pocas frases: un control para la frase y otro
    para la capa.

    Cada figura es una rejilla con los mapas de calor de todas las cabezas de una capa (filas:
    consultas; columnas: claves), titulados con su patrón (:func:`resumir_cabeza`).

    Parámetros
    ----------
    pesos : una lista con, por frase, un arreglo (L, H, T, T) (o una lista de L arreglos (H, T, T));
        T puede cambiar de una frase a otra, L y H no
    tokens : por frase, sus T piezas (``[CLS]`` … ``[SEP]``)
    frases : los textos originales, para el control y los textos alternativos

    Atributos
    ---------
    pesos : (H, T, T), la capa que se muestra ahora;  resumenes : :func:`resumir_cabeza` de sus H cabezas
    frase_actual, capa_actual : sus índices (desde 0)
    """

    def __init__(self, pesos, tokens, frases):
        if not isinstance(pesos, (list, tuple)) or not pesos or len(pesos) != len(tokens) or len(pesos) != len(frases):
            raise ErrorDeForma(
                "'pesos', 'tokens' y 'frases' deben ser listas no vacías de la misma longitud (una entrada por frase)."
            )
        f = Formas()
        self._pesos, self.tokens, self.frases = [], [], [str(x) for x in frases]
        for n, (p, t) in enumerate(zip(pesos, tokens)):
            p = np.asarray(p, dtype=np.float64)
            f.comprobar(f"pesos[{n}]", p, f"L H T{n} T{n}")
            T = f[f"T{n}"]
            if len(t) != T:
                raise ErrorDeForma(
                    f"'tokens[{n}]' debe tener T={T} elementos (tomado de 'pesos[{n}]'), pero tiene {len(t)}."
                )
            self._pesos.append(p)
            self.tokens.append([str(x) for x in t])
        L, H = f["L"], f["H"]
        self._resumenes = [
            [[resumir_cabeza(p[c, h], t) for h in range(H)] for c in range(L)] for p, t in zip(self._pesos, self.tokens)
        ]
        aplicar_estilo()
        self.frase = widgets.Dropdown(
            options=[(x, n) for n, x in enumerate(self.frases)], value=0, description="Frase:",
            layout=widgets.Layout(width="32em"),
        )  # fmt: skip
        self.capa = widgets.SelectionSlider(
            options=[(str(c + 1), c) for c in range(L)], value=0, description="Capa:", continuous_update=True
        )
        figuras = [[self._imagen(n, c) for c in range(L)] for n in range(len(self._pesos))]
        self._montar(self.frase, self.capa, figuras, "<code>ExploradorMiniLM.de_frases([...])</code> con tus frases")

    @classmethod
    def de_frases(cls, frases, gemelo: str = "numpy"):
        """El explorador de unas frases, con los pesos calculados por nuestro MiniLM (necesita el modelo)."""
        from ..modelos_reales import piezas, tokenizar
        from ..modelos_reales.paso_a_paso import pasos_minilm

        pesos, tokens = [], []
        for frase in frases:
            ids, mascara = tokenizar(frase)  # (1, T), sin relleno
            capas = pasos_minilm(ids, mascara, gemelo=gemelo)["capas"]
            a_numpy = (lambda x: x.detach().cpu().numpy()) if gemelo == "torch" else np.asarray
            pesos.append(np.stack([a_numpy(c["pesos"])[0] for c in capas]))  # (L, H, T, T)
            tokens.append(piezas(ids[0]))
        return cls(pesos, tokens, frases)

    def _al_cambiar(self, i, j):
        self.frase_actual, self.capa_actual = i, j
        self.pesos = self._pesos[i][j]
        self.resumenes = self._resumenes[i][j]

    def _imagen(self, n, c) -> widgets.HTML:
        pesos, tokens, resumenes = self._pesos[n][c], self.tokens[n], self._resumenes[n][c]
        H, T = len(pesos), len(tokens)
        columnas = min(4, H)
        filas = -(-H // columnas)
        # Un solo mosaico con las H cabezas (separadas por una columna y tres filas en blanco) y las piezas
        # escritas como textos: 12 ejes con sus marcas costarían el triple de tiempo.
        paso_x, paso_y = T + 1, T + 3
        mosaico = np.full((filas * paso_y - 3, columnas * paso_x - 1), np.nan)
        for h in range(H):
            f, k = divmod(h, columnas)
            mosaico[f * paso_y : f * paso_y + T, k * paso_x : k * paso_x + T] = pesos[h]
        lado = max(1.5, 0.09 * T)  # pulgadas por cabeza: las piezas no deben pisarse
        fig = plt.figure(figsize=(columnas * lado + 0.8, filas * lado + 1.3), dpi=72)
        ax = fig.add_axes((0.08, 0.1, 0.91, 0.83))
        ax.set_axis_off()
        mapa = plt.get_cmap("viridis").with_extremes(bad="white")
        ax.imshow(mosaico, cmap=mapa, vmin=0.0, vmax=1.0, aspect="auto", interpolation="nearest")
        for f in range(filas):
            for t, pieza in enumerate(tokens):
                ax.text(-0.8, f * paso_y + t, pieza, ha="right", va="center", fontsize=6)
        for k in range(columnas):
            for t, pieza in enumerate(tokens):
                ax.text(k * paso_x + t, mosaico.shape[0] - 0.3, pieza, ha="center", va="top", fontsize=6, rotation=90)
        for h in range(H):
            f, k = divmod(h, columnas)
            titulo = f"cabeza {h + 1}: {_CORTO[resumenes[h]['patron']]}"
            ax.text(k * paso_x + (T - 1) / 2, f * paso_y - 0.8, titulo, ha="center", va="bottom", fontsize=8)
        fig.text(0.5, 0.99, f"Capa {c + 1} (filas: consultas; columnas: claves; amarillo = 1)", ha="center",
                 va="top", fontsize=10)  # fmt: skip
        patrones = "; ".join(f"cabeza {h + 1}, {r['patron']}" for h, r in enumerate(resumenes))
        descripcion = (
            f"Mosaico con los mapas de calor de los pesos de atención de las {H} cabezas de la capa {c + 1} de MiniLM "
            f"sobre los tokens {' '.join(tokens)} (filas: consultas; columnas: claves; cada fila suma 1). "
            f"Adónde mira cada cabeza: {patrones}."
        )
        return imagen(fig, descripcion)


_CORTO = {"el token anterior": "anterior", "el token siguiente": "siguiente", "sí mismo": "sí mismo",
          "[CLS] y [SEP]": "[CLS]/[SEP]", "repartida": "repartida"}  # fmt: skip
