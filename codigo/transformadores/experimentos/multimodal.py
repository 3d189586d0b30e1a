"""Experimento del capítulo 12: un CLIP diminuto alinea dígitos escritos a mano con sus nombres en español.

Las imágenes son los dígitos de 8×8 píxeles de scikit-learn (:func:`~transformadores.datos.digitos.cargar_digitos`);
los textos, frases cortas con el nombre del número («tres», «un tres», «el número tres»…) escritas carácter a
carácter (:func:`~transformadores.datos.numeros.en_palabras`). Dos codificadores, uno de imagen (un ViT de una capa
con las funciones del capítulo 10) y otro de texto (un transformador de una capa sobre los caracteres), se entrenan
juntos con la pérdida contrastiva simétrica de CLIP (:func:`~transformadores.con_torch.clip_perdida`) y una
temperatura aprendida. Nunca ven una etiqueta numérica: solo pares (imagen, frase). Después clasificamos imágenes
**reservadas** sin ejemplos (:func:`~transformadores.con_torch.clip_cero_disparos`): la clase de cada imagen es la
de la frase candidata más parecida.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ..con_torch import clip_cero_disparos, clip_incrustaciones, clip_logits, clip_perdida, incrustar_parches
from ..con_torch.modulos_transformador import CapaCodificador
from ..configuracion import Configuracion
from ..datos.digitos import LADO, cargar_digitos
from ..datos.numeros import en_palabras

__all__ = [
    "PALABRAS",
    "PLANTILLAS",
    "PLANTILLAS_NUEVAS",
    "ConfigCLIP",
    "VocabularioCaracteres",
    "CodificadorImagen",
    "CodificadorTexto",
    "ModeloCLIP",
    "frases",
    "lote_por_clase",
    "entrenar_clip",
    "incrustar_clases",
    "probabilidades_cero_disparos",
    "exactitud_cero_disparos",
]

PALABRAS = tuple(en_palabras(k) for k in range(10))  # «cero», «uno», …, «nueve»
PLANTILLAS = ("{}", "un {}", "el {}", "el número {}", "es un {}", "la cifra {}")
PLANTILLAS_NUEVAS = ("parece un {}", "el dígito {}")  # nunca vistas al entrenar


@dataclass(frozen=True)
class ConfigCLIP:
    """Hiperparámetros del experimento.

    Atributos
    ---------
    proporcion_prueba : fracción de las imágenes reservadas (nunca vistas al entrenar).
    parche : lado P de los parches cuadrados de la imagen (8×8 con P = 4: cuatro parches).
    d_modelo, n_cabezas, d_ffn : los dos codificadores (una capa Pre-LN cada uno).
    d_e : dimensión del espacio común de las incrustaciones.
    pasos, lote, tasa : Adam con ``lote`` pares (imagen, frase) al azar en cada paso.
    plantillas_por_paso : cuántas plantillas distintas se usan en cada lote (las frases se eligen entre ellas).
    t_inicial : temperatura inicial de CLIP, ``log(1/0.07)`` (escala ``e^t ≈ 14.3``); se aprende.
    instantaneas : pasos en los que se guardan los cosenos del lote de prueba (para el explorador).
    semilla : fija la partición, la iniciación y los lotes.
    """

    proporcion_prueba: float = 0.25
    parche: int = 4
    d_modelo: int = 32
    n_cabezas: int = 4
    d_ffn: int = 64
    d_e: int = 32
    pasos: int = 300
    lote: int = 64
    tasa: float = 3e-3
    plantillas_por_paso: int = 2
    t_inicial: float = math.log(1 / 0.07)
    instantaneas: tuple[int, ...] = (0, 10, 20, 50, 100, 200, 300)
    semilla: int = 0


class VocabularioCaracteres:
    """Un token por carácter: 0 = relleno, 1 = desconocido (un carácter que no salió al entrenar)."""

    def __init__(self, textos):
        self.caracteres = ["<pad>", "<?>"] + sorted({c for t in textos for c in t})
        self.indice = {c: i for i, c in enumerate(self.caracteres)}

    def __len__(self):
        return len(self.caracteres)

    def codificar(self, textos):
        """``(ids, relleno)``: enteros (n, L) y booleana (n, L), True = carácter real; L = la frase más larga."""
        ids = torch.zeros(len(textos), max(len(t) for t in textos), dtype=torch.long)
        for i, t in enumerate(textos):
            ids[i, : len(t)] = torch.tensor([self.indice.get(c, 1) for c in t])
        return ids, ids != 0


def _capa(c: ConfigCLIP, l_max: int) -> CapaCodificador:
    """Una capa de codificador Pre-LN del capítulo 7 (ec. `capa-codificador`), sin dropout."""
    config = Configuracion(n_vocab=2, l_max=l_max, d_modelo=c.d_modelo, n_cabezas=c.n_cabezas, d_ffn=c.d_ffn,
                           n_capas_codificador=1, n_capas_decodificador=0, norma="pre", activacion="gelu",
                           p_dropout=0.0)  # fmt: skip
    return CapaCodificador(config)


class CodificadorImagen(nn.Module):
    """Un ViT diminuto: parches con token de clase (ec. `vit-incrustacion-parches-cls`) y una capa Pre-LN.

    Formas
    ------
    x : (B, 1, 8, 8)    salida I_f : (B, d_modelo), el token de clase tras la capa
    """

    def __init__(self, c: ConfigCLIP):
        super().__init__()
        P, d = c.parche, c.d_modelo
        self.P, N = P, (LADO // P) ** 2
        self.E = nn.Parameter(torch.randn(d, P * P) / P)
        self.b_E = nn.Parameter(torch.zeros(d))
        self.x_clase = nn.Parameter(torch.randn(d) * 0.02)
        self.E_pos = nn.Parameter(torch.randn(N + 1, d) * 0.02)
        self.capa = _capa(c, N + 1)
        self.norma = nn.LayerNorm(d)

    def forward(self, x):
        z = incrustar_parches(x, self.P, self.E, self.b_E, self.x_clase, self.E_pos)  # (B, N+1, d)
        return self.norma(self.capa(z)[:, 0])  # (B, d)


class CodificadorTexto(nn.Module):
    """Un transformador diminuto sobre caracteres: incrustación y posición, una capa Pre-LN y la media de los tokens.

    Formas
    ------
    ids : (B, L), enteros    relleno : (B, L), True = carácter real    salida T_f : (B, d_modelo)
    """

    def __init__(self, c: ConfigCLIP, n_vocab: int, l_max: int = 32):
        super().__init__()
        self.incrustacion = nn.Embedding(n_vocab, c.d_modelo)
        self.posicion = nn.Parameter(torch.randn(l_max, c.d_modelo) * 0.02)
        self.capa = _capa(c, l_max)
        self.norma = nn.LayerNorm(c.d_modelo)

    def forward(self, ids, relleno):
        h = self.incrustacion(ids) + self.posicion[: ids.shape[1]]  # (B, L, d)
        h = self.capa(h, relleno[:, None, None, :])  # solo se atiende a caracteres reales
        peso = relleno[..., None].to(h.dtype)  # (B, L, 1)
        return self.norma((h * peso).sum(1) / peso.sum(1))  # (B, d): la media de los caracteres reales


class ModeloCLIP(nn.Module):
    """Los dos codificadores, las proyecciones lineales ``W_i``, ``W_t`` y la temperatura aprendida ``t``."""

    def __init__(self, c: ConfigCLIP, vocabulario: VocabularioCaracteres):
        super().__init__()
        self.vocabulario = vocabulario
        self.imagen, self.texto = CodificadorImagen(c), CodificadorTexto(c, len(vocabulario))
        self.W_i = nn.Parameter(torch.randn(c.d_e, c.d_modelo) / math.sqrt(c.d_modelo))  # (d_e, d_i)
        self.W_t = nn.Parameter(torch.randn(c.d_e, c.d_modelo) / math.sqrt(c.d_modelo))  # (d_e, d_t)
        self.t = nn.Parameter(torch.tensor(float(c.t_inicial)))

    def incrustar(self, imagenes, textos):
        """``(I_e, T_e)``, (n, d_e) y (m, d_e), filas de norma 1 (ec. `clip-incrustaciones-normalizadas`)."""
        unicos, inversa = np.unique(np.asarray(textos), return_inverse=True)  # cada frase distinta, una sola vez
        T_f = self.texto(*self.vocabulario.codificar(list(unicos)))[torch.from_numpy(inversa.ravel())]  # (m, d)
        return clip_incrustaciones(self.imagen(imagenes), T_f, self.W_i, self.W_t)

    def forward(self, imagenes, textos):
        """Los logits (n, m) del lote (ec. `clip-logits-temperatura`); con m = n, la diagonal son los pares."""
        return clip_logits(*self.incrustar(imagenes, textos), self.t)


def frases(etiquetas, plantillas, rng):
    """Una frase por etiqueta, con una de ``plantillas`` elegida al azar: 3 → «el número tres»."""
    return [plantillas[rng.integers(len(plantillas))].format(PALABRAS[k]) for k in etiquetas]


def lote_por_clase(x, y, semilla=0):
    """Una imagen de cada dígito, en orden (0, 1, …, 9): las filas del explorador. Formas: (10, 1, 8, 8)."""
    rng = np.random.default_rng(semilla)
    return x[[rng.choice(np.flatnonzero(y == k)) for k in range(10)]]


@torch.no_grad()
def incrustar_clases(modelo, imagenes, palabras=PALABRAS, plantillas=("{}",)):
    """``(I_e, T_clases)``: las imágenes y una incrustación por palabra candidata.

    Con varias plantillas, ``T_clases[k]`` es la media normalizada de las frases de la palabra ``k``
    (el «conjunto de plantillas» de CLIP, §3.1.4).

    Formas
    ------
    imagenes : (n, 1, 8, 8)    devuelve I_e : (n, d_e) y T_clases : (K, d_e), K = len(palabras)
    """
    modelo.eval()
    textos = [p.format(w) for p in plantillas for w in palabras]
    I_e, T_e = modelo.incrustar(torch.as_tensor(imagenes), textos)  # (n, d_e), (P·K, d_e)
    T_clases = F.normalize(T_e.reshape(len(plantillas), len(palabras), -1).mean(0), dim=-1)  # (K, d_e)
    return I_e, T_clases


def probabilidades_cero_disparos(modelo, imagenes, palabras=PALABRAS, plantillas=("{}",)):
    """``P(y = k | x)`` de cada imagen para cada palabra candidata (ec. `clip-clasificacion-cero-disparos`).

    Formas: imagenes (n, 1, 8, 8) → salida (n, K), NumPy; cada fila suma 1.
    """
    I_e, T_clases = incrustar_clases(modelo, imagenes, palabras, plantillas)
    return clip_cero_disparos(I_e, T_clases, modelo.t.detach()).numpy()


def exactitud_cero_disparos(modelo, imagenes, etiquetas, plantillas=("{}",)):
    """Fracción de las imágenes cuya palabra más probable, entre las diez, es la de su etiqueta."""
    P_y = probabilidades_cero_disparos(modelo, imagenes, PALABRAS, plantillas)
    return float((P_y.argmax(-1) == np.asarray(etiquetas)).mean())


def _escala(modelo) -> float:
    return float(modelo.t.detach().exp().clamp(max=100))


def entrenar_clip(c: ConfigCLIP = ConfigCLIP()):
    """Entrena el modelo con la pérdida simétrica de CLIP (ec. `clip-perdida-simetrica`).

    Devuelve ``(modelo, historial, instantaneas)``. ``historial`` tiene la pérdida y la escala ``e^t``
    de cada paso. ``instantaneas`` asocia cada paso de ``c.instantaneas`` con ``(cosenos, escala)``: los
    cosenos (10, 10) entre una imagen reservada de cada dígito (:func:`lote_por_clase`) y las diez palabras,
    y la escala ``e^t`` de ese momento.
    """
    torch.manual_seed(c.semilla)
    datos = cargar_digitos(c.proporcion_prueba, c.semilla)
    x, y = datos.x_entrenamiento, datos.y_entrenamiento
    vocabulario = VocabularioCaracteres([p.format(w) for p in PLANTILLAS for w in PALABRAS])
    modelo = ModeloCLIP(c, vocabulario)
    optimizador = torch.optim.Adam(modelo.parameters(), lr=c.tasa)
    rng = np.random.default_rng(c.semilla + 1)
    filas = lote_por_clase(datos.x_prueba, datos.y_prueba, c.semilla)
    historial, instantaneas = {"perdida": [], "escala": []}, {}
    for paso in range(c.pasos + 1):
        if paso in c.instantaneas:
            I_e, T_clases = incrustar_clases(modelo, filas)
            instantaneas[paso] = ((I_e @ T_clases.T).numpy(), _escala(modelo))  # (10, 10)
        if paso == c.pasos:
            break
        modelo.train()
        i = rng.choice(len(y), c.lote, replace=False)
        plantillas = [PLANTILLAS[j] for j in rng.choice(len(PLANTILLAS), c.plantillas_por_paso, replace=False)]
        perdida = clip_perdida(modelo(torch.from_numpy(x[i]), frases(y[i], plantillas, rng)))  # logits (lote, lote)
        optimizador.zero_grad()
        perdida.backward()
        optimizador.step()
        historial["perdida"].append(perdida.item())
        historial["escala"].append(_escala(modelo))
    return modelo.eval(), {k: np.array(v) for k, v in historial.items()}, instantaneas
