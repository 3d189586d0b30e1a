"""Clasificar sonidos sintéticos con un transformador de audio en miniatura (capítulo 11).

La cadena es la del codificador de Whisper, en pequeño: señal a 16 kHz → espectrograma log-mel
(:func:`log_mel`: STFT con ventana de Hann de 400 muestras y salto de 160, potencia, 80 filtros mel de
Slaney y la normalización de Whisper) → tallo convolucional con paso 2 y sinusoides
(``ct.submuestreo_convolucional``, ``ct.sinusoides_whisper``) → capas de codificador Pre-LN del paquete
(:class:`~transformadores.con_torch.CapaCodificador`) → norma final → media sobre las posiciones →
una capa lineal que da un logit por clase. Los datos son los de :mod:`transformadores.datos.sonidos`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .. import con_torch as ct
from ..con_torch.modulos_bloques import NormalizacionCapa
from ..con_torch.modulos_transformador import CapaCodificador
from ..configuracion import Configuracion
from ..datos.sonidos import CLASES, sonidos

__all__ = [
    "ConfigAudio",
    "ClasificadorAudio",
    "log_mel",
    "datos_audio",
    "entrenar_audio",
    "predecir",
    "matriz_confusion",
    "tabla_confusion",
]


@dataclass(frozen=True)
class ConfigAudio:
    """Datos, modelo y entrenamiento del experimento (los valores por omisión son los del capítulo)."""

    n_entrenamiento: int = 1600  # clips de entrenamiento (200 por clase)
    n_prueba: int = 800  # clips de prueba, generados aparte (100 por clase)
    segundos: float = 0.5  # duración de cada clip: 8000 muestras, 50 tramas log-mel, 25 posiciones
    n_mels: int = 80  # filtros mel, como Whisper
    d_modelo: int = 32  # anchura del codificador (Whisper tiny: 384)
    n_cabezas: int = 2
    d_ffn: int = 64
    n_capas: int = 2  # capas de codificador (Whisper tiny: 4)
    pasos: int = 200  # pasos de Adam: 4 épocas de 1600 clips
    lote: int = 32
    lr: float = 3e-3
    semilla: int = 0


def log_mel(senales, n_mels=80, n_fft=400, salto=160, f_muestreo=16000):
    """Espectrograma log-mel de Whisper de un lote de señales, con los gemelos de PyTorch del paquete.

    ``S = |STFT|²`` (ec. `espectrograma-potencia`) sin la última trama, como Whisper; ``Mel = H S``
    (ec. `banco-filtros-mel`) y la normalización ``(max(log10 Mel, máx - 8) + 4)/4`` (ec. `log-mel-whisper`),
    con el máximo de cada clip. Se calcula en float32, por bloques de 256 señales.

    Formas
    ------
    senales : (B, L), arreglo de NumPy o tensor    salida : (B, n_mels, L // salto), tensor float32
    """
    x = torch.as_tensor(np.asarray(senales), dtype=torch.float32)
    H = ct.banco_filtros_mel(n_fft, n_mels, f_muestreo, dtype=torch.float32)  # (n_mels, n_fft/2 + 1)
    bloques = []
    for bloque in x.split(256):
        S = ct.espectrograma_potencia(bloque, n_fft, salto)[..., :-1]  # (b, n_fft/2 + 1, T)
        bloques.append(ct.log_mel_whisper(H @ S))  # (b, n_mels, T)
    return torch.cat(bloques)


class ClasificadorAudio(nn.Module):
    """Tallo de Whisper + codificador Pre-LN + media de las posiciones + capa lineal.

    ``Z_0 = GELU(Conv1d_{s=2}(GELU(Conv1d(L̃))))ᵀ + PE`` (ec. `conv-submuestreo-whisper`, con las
    sinusoides de la ec. `sinusoides-whisper`); después ``n_capas`` capas de codificador, la norma
    final (como ``ln_post`` de Whisper), la media sobre las ``T'`` posiciones y ``W_c z + b_c``.

    Formas
    ------
    L : (B, n_mels, T), el log-mel    salida : (B, n_clases), logits; T' = ⌊(T - 1)/2⌋ + 1 posiciones
    """

    def __init__(self, n_mels, T, n_clases, d_modelo=32, n_cabezas=2, d_ffn=64, n_capas=2):
        super().__init__()
        self.T_prima = ct.longitud_salida_convolucion(T, 3, paso=2, relleno=1)
        self.config = Configuracion(
            n_vocab=1, l_max=self.T_prima, d_modelo=d_modelo, n_cabezas=n_cabezas, d_ffn=d_ffn,
            n_capas_codificador=n_capas, n_capas_decodificador=0, activacion="gelu", norma="pre", p_dropout=0.0,
        )  # fmt: skip
        self.conv1 = nn.Conv1d(n_mels, d_modelo, kernel_size=3, padding=1)
        self.conv2 = nn.Conv1d(d_modelo, d_modelo, kernel_size=3, stride=2, padding=1)
        self.register_buffer("PE", ct.sinusoides_whisper(self.T_prima, d_modelo))  # (T', d_modelo), fija
        self.capas = nn.ModuleList(CapaCodificador(self.config) for _ in range(n_capas))
        self.norma_final = NormalizacionCapa(d_modelo)
        self.clasificador = nn.Linear(d_modelo, n_clases)

    def representacion(self, L):
        """El vector de cada clip antes de la capa lineal: (B, d_modelo)."""
        c1, c2 = self.conv1, self.conv2
        Z = ct.submuestreo_convolucional(L, c1.weight, c1.bias, c2.weight, c2.bias, self.PE)  # (B, T', d)
        for capa in self.capas:
            Z = capa(Z)  # (B, T', d)
        return self.norma_final(Z).mean(dim=-2)  # (B, d): media sobre las posiciones

    def forward(self, L):
        return self.clasificador(self.representacion(L))  # (B, n_clases)


def datos_audio(cfg=ConfigAudio()):
    """Log-mel y etiquetas de entrenamiento y de prueba: ``(L_ent, y_ent), (L_pru, y_pru)``.

    Los dos conjuntos salen de generadores distintos (semillas ``[semilla, 0]`` y ``[semilla, 1]``).

    Formas
    ------
    L_ent : (n_entrenamiento, n_mels, T), float32    y_ent : (n_entrenamiento,), int64; igual para la prueba
    """
    conjuntos = []
    for parte, n in enumerate((cfg.n_entrenamiento, cfg.n_prueba)):
        x, y = sonidos(n, np.random.default_rng([cfg.semilla, parte]), cfg.segundos)
        conjuntos.append((log_mel(x, cfg.n_mels), torch.from_numpy(y)))
    return conjuntos


@torch.no_grad()
def predecir(modelo, L, lote=256):
    """Clase más probable de cada clip: (B,) enteros."""
    modelo.eval()
    return torch.cat([modelo(b).argmax(-1) for b in L.split(lote)])


def entrenar_audio(cfg=ConfigAudio(), datos=None, evaluar_cada=None):
    """Genera los datos (o usa ``datos``, la salida de :func:`datos_audio`), entrena y evalúa.

    ``cfg.pasos`` pasos de Adam con lotes de ``cfg.lote`` clips de entrenamiento barajados (épocas
    completas), la entropía cruzada y una tasa que baja de ``cfg.lr`` a 0 como un coseno; después,
    la exactitud en los clips de prueba. Con ``evaluar_cada = k`` se evalúa también cada ``k`` pasos
    (la curva de aprendizaje).

    Devuelve
    --------
    modelo, historial (pérdida de cada paso, (pasos,)), resultado: dict con ``exactitud``,
    ``predicciones`` y ``etiquetas`` (de la prueba), ``parametros``, ``segundos`` (datos +
    entrenamiento) y ``curva``: lista de ``(paso, exactitud, predicciones)`` (vacía sin ``evaluar_cada``)
    """
    inicio = time.perf_counter()
    (L_ent, y_ent), (L_pru, y_pru) = datos if datos is not None else datos_audio(cfg)
    torch.manual_seed(cfg.semilla)
    modelo = ClasificadorAudio(cfg.n_mels, L_ent.shape[-1], len(CLASES), cfg.d_modelo, cfg.n_cabezas, cfg.d_ffn,
                               cfg.n_capas)  # fmt: skip
    optimizador = torch.optim.Adam(modelo.parameters(), lr=cfg.lr)
    coseno = torch.optim.lr_scheduler.CosineAnnealingLR(optimizador, cfg.pasos)  # de lr a 0 en cfg.pasos pasos
    generador = torch.Generator().manual_seed(cfg.semilla)
    orden, historial, curva = torch.empty(0, dtype=torch.long), [], []
    modelo.train()
    for paso in range(1, cfg.pasos + 1):
        if len(orden) < cfg.lote:  # una época nueva, en otro orden
            orden = torch.randperm(len(y_ent), generator=generador)
        indices, orden = orden[: cfg.lote], orden[cfg.lote :]
        perdida = F.cross_entropy(modelo(L_ent[indices]), y_ent[indices])
        optimizador.zero_grad()
        perdida.backward()
        optimizador.step()
        coseno.step()
        historial.append(perdida.item())
        if evaluar_cada and paso % evaluar_cada == 0 and paso < cfg.pasos:
            p = predecir(modelo, L_pru)
            curva.append((paso, (p == y_pru).double().mean().item(), p.numpy()))
            modelo.train()
    predicciones = predecir(modelo, L_pru)
    curva.append((cfg.pasos, (predicciones == y_pru).double().mean().item(), predicciones.numpy()))
    resultado = {
        "exactitud": (predicciones == y_pru).double().mean().item(),
        "predicciones": predicciones.numpy(),
        "etiquetas": y_pru.numpy(),
        "parametros": sum(p.numel() for p in modelo.parameters()),
        "segundos": time.perf_counter() - inicio,
        "curva": curva if evaluar_cada else [],
    }
    return modelo, np.array(historial), resultado


def matriz_confusion(etiquetas, predicciones, n_clases=8):
    """``M[i, j]`` = clips de la clase ``i`` que el modelo asigna a la clase ``j``; (K, K), K = ``n_clases``."""
    M = np.zeros((n_clases, n_clases), dtype=np.int64)
    np.add.at(M, (np.asarray(etiquetas), np.asarray(predicciones)), 1)
    return M


def tabla_confusion(M, clases=CLASES) -> str:
    """La matriz de confusión como texto: una fila por clase verdadera (columnas numeradas como las filas)
    y la fracción de aciertos de cada clase al final."""
    ancho = max(len(c) for c in clases) + 4
    filas = [f"{'verdadera / predicha':<{ancho}s}" + "".join(f"{j:>5d}" for j in range(len(clases))) + "   acierto"]
    for i, c in enumerate(clases):
        aciertos = M[i, i] / max(M[i].sum(), 1)
        filas.append(f"{i:>2d} {c:<{ancho - 3}s}" + "".join(f"{v:5d}" for v in M[i]) + f"   {aciertos:7.1%}")
    return "\n".join(filas)
