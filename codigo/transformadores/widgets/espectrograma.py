"""Explorador de espectrogramas: el mismo sonido en cada paso de la entrada de Whisper (capítulo 11).

Un control elige el sonido (una clase de :mod:`transformadores.datos.sonidos`) y otro la
representación: la forma de onda, el espectrograma de potencia ``|X|²`` (ecs. `stft` y
`espectrograma-potencia`) en escala lineal y en decibelios, los 80 filtros mel aplicados
(ec. `banco-filtros-mel`) y el log-mel normalizado de Whisper (ec. `log-mel-whisper`) con 80 o con
20 filtros. Todas las figuras se calculan al crear el explorador (patrón de :mod:`.base`), con las
funciones de NumPy del paquete.
"""

from __future__ import annotations

import base64
import html
import io

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from PIL import Image

from ..con_numpy import banco_filtros_mel, espectrograma_potencia, log_mel_whisper
from ..datos.sonidos import CLASES, F_MUESTREO, sonido
from ..errores import ErrorDeForma
from ..graficos import PALETA, aplicar_estilo, figura_a_png
from .base import ExploradorPrecalculado

__all__ = ["ExploradorEspectrograma", "representar", "REPRESENTACIONES", "SONIDOS"]

SONIDOS = ("tono grave", "chirrido ascendente", "chirrido descendente", "dígito 5", "dígito 0")

REPRESENTACIONES = (
    "forma de onda",
    "potencia (escala lineal)",
    "potencia (dB)",
    "mel, 80 filtros (dB)",
    "log-mel de Whisper, 80 filtros",
    "log-mel de Whisper, 20 filtros",
)
N_FFT, SALTO = 400, 160


def representar(senal, representacion):
    """La ``representacion`` (una de :data:`REPRESENTACIONES`) de ``senal``, muestreada a 16 kHz.

    Los espectrogramas descartan la última trama, como Whisper; los decibelios son
    ``10·log10(max(·, 10⁻¹⁰))``.

    Formas
    ------
    senal : (L,)    salida : (L,) para la forma de onda; (201, T) para la potencia; (n_mels, T) para
    las de mel; T = L // 160
    """
    if representacion not in REPRESENTACIONES:
        raise ErrorDeForma(f"'representacion' debe ser una de {REPRESENTACIONES}, pero se recibió {representacion!r}.")
    if representacion == "forma de onda":
        return np.asarray(senal, dtype=np.float64)
    S = espectrograma_potencia(np.asarray(senal, dtype=np.float64), N_FFT, SALTO)[..., :-1]  # (201, T)
    if representacion.startswith("potencia"):
        return S if "lineal" in representacion else 10 * np.log10(np.maximum(S, 1e-10))
    n_mels = 20 if "20 filtros" in representacion else 80
    mel = banco_filtros_mel(N_FFT, n_mels, F_MUESTREO) @ S  # (n_mels, T)
    return log_mel_whisper(mel) if "Whisper" in representacion else 10 * np.log10(np.maximum(mel, 1e-10))


def _imagen_compacta(fig, descripcion: str) -> widgets.HTML:
    """Como :func:`.base.imagen`, pero con la PNG reducida a 64 colores: los espectrogramas con ruido
    comprimen mal y hay 30 figuras guardadas en el cuaderno (así ocupan unas tres veces menos)."""
    original = Image.open(io.BytesIO(figura_a_png(fig))).convert("RGB")
    buffer = io.BytesIO()
    original.quantize(colors=64, method=Image.Quantize.MEDIANCUT).save(buffer, format="PNG", optimize=True)
    datos = base64.b64encode(buffer.getvalue()).decode("ascii")
    return widgets.HTML(f'<img src="data:image/png;base64,{datos}" alt="{html.escape(descripcion, quote=True)}">')


class ExploradorEspectrograma(ExploradorPrecalculado):
    """Un sonido de cada clase visto como onda, espectrograma de potencia, mel y log-mel de Whisper.

    Parámetros
    ----------
    clases : las clases que se pueden elegir (de :data:`~transformadores.datos.sonidos.CLASES`); por
        omisión, cinco: un tono, los dos chirridos y los dos dígitos que comparten el tono alto
    semilla : la de los sonidos (uno por clase)    segundos : duración de cada clip

    Atributos
    ---------
    clase, representacion : lo elegido ahora
    senal : (L,), el sonido elegido    datos : lo que se dibuja ahora (ver :func:`representar`)
    """

    def __init__(self, clases=SONIDOS, semilla=0, segundos=0.5):
        self.clases = tuple(clases)
        if not self.clases or any(c not in CLASES for c in self.clases):
            raise ErrorDeForma(f"'clases' debe ser una lista no vacía de {CLASES}, pero se recibió {clases!r}.")
        rng = np.random.default_rng(semilla)
        self._senales = [sonido(c, rng, segundos, dtype=np.float64) for c in self.clases]
        self._datos = [[representar(x, r) for r in REPRESENTACIONES] for x in self._senales]
        aplicar_estilo()
        self.control_clase = widgets.Dropdown(options=self.clases, value=self.clases[0], description="Sonido:")
        self.control_representacion = widgets.Dropdown(
            options=REPRESENTACIONES, value=REPRESENTACIONES[4], description="Representación:",
            style={"description_width": "initial"}, layout=widgets.Layout(width="360px"),
        )  # fmt: skip
        figuras = [[self._imagen(i, j) for j in range(len(REPRESENTACIONES))] for i in range(len(self.clases))]
        self._montar(
            self.control_clase,
            self.control_representacion,
            figuras,
            "<code>ExploradorEspectrograma(clases, semilla)</code>",
        )

    def _al_cambiar(self, i, j):
        self.clase, self.representacion = self.clases[i], REPRESENTACIONES[j]
        self.senal, self.datos = self._senales[i], self._datos[i][j]

    def _imagen(self, i, j) -> widgets.HTML:
        clase, representacion, datos = self.clases[i], REPRESENTACIONES[j], self._datos[i][j]
        fig, ax = plt.subplots(figsize=(6.4, 3.2), dpi=72)
        if representacion == "forma de onda":
            t = np.arange(len(datos)) / F_MUESTREO
            ax.plot(t, datos, color=PALETA[0], lw=0.6)
            ax.set_xlim(0, t[-1])
            ax.set_ylabel("amplitud")
            descripcion = (
                f"Forma de onda del sonido «{clase}»: amplitud frente al tiempo durante {t[-1]:.2f} s; el sonido "
                "ocupa un tramo del clip y el resto es ruido débil."
            )
        else:
            T = datos.shape[-1]
            extension = (0, T * SALTO / F_MUESTREO, 0, F_MUESTREO / 2 if representacion.startswith("potencia") else
                         datos.shape[0])  # fmt: skip
            limites = {"vmin": -1.0, "vmax": 1.5} if "Whisper" in representacion else {}
            im = ax.imshow(
                datos, origin="lower", aspect="auto", extent=extension, cmap="magma", interpolation="nearest", **limites
            )
            fig.colorbar(im, ax=ax, pad=0.02)
            ax.set_ylabel("frecuencia (Hz)" if representacion.startswith("potencia") else "banda mel")
            descripcion = (
                f"Espectrograma del sonido «{clase}» como {representacion}: {datos.shape[0]} filas de frecuencia "
                f"(de grave, abajo, a aguda, arriba) y {T} tramas de 10 ms; " + self._que_se_ve(clase, representacion)
            )
        ax.set_xlabel("tiempo (s)")
        ax.set_title(f"{clase}: {representacion}")
        return _imagen_compacta(fig, descripcion)

    @staticmethod
    def _que_se_ve(clase, representacion):
        if representacion == "potencia (escala lineal)":
            return "en escala lineal casi todo se ve oscuro y solo destacan las franjas más intensas."
        forma = {
            "tono": "una franja horizontal",
            "chirrido ascendente": "una línea que sube",
            "chirrido descendente": "una línea que baja",
            "dígito": "dos franjas horizontales, una por tono",
        }
        clave = next(k for k in forma if clase.startswith(k))
        return f"el sonido aparece como {forma[clave]} sobre un fondo de ruido."
