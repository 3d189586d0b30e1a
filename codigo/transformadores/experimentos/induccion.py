"""Experimento del capítulo 4: ¿qué mira cada cabeza de un transformador pequeño?

Entrenamos un transformador **solo de atención** (incrustación, ``n_capas`` capas de atención
multicabeza causal con conexión residual y una lectura lineal) en la tarea de
:func:`~transformadores.datos.induccion.secuencias_repetidas`: continuar la copia de un bloque de
tokens. Para resolverla hacen falta dos relaciones distintas entre posiciones: «el token anterior»
y «el token que siguió a la aparición anterior del mío». Después medimos, cabeza a cabeza, cuánto
peso pone cada una en esas dos claves.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ..con_torch.mascaras import mascara_causal
from ..con_torch.modulos_incrustaciones import Incrustacion
from ..con_torch.modulos_multicabeza import AtencionMultiCabeza
from ..datos.induccion import IGNORAR, posiciones_pareja, secuencias_repetidas

__all__ = [
    "ConfigInduccion",
    "ModeloSoloAtencion",
    "entrenar_induccion",
    "datos_de_prueba",
    "exactitud_induccion",
    "puntuaciones_cabezas",
    "tabla_cabezas",
]


@dataclass(frozen=True)
class ConfigInduccion:
    """Hiperparámetros del experimento.

    Atributos
    ---------
    n_vocab, longitud_min, longitud_max : los datos (``T = 2·longitud_max``).
    d_modelo, n_cabezas, n_capas : el modelo; ``d_k = d_modelo / n_cabezas``.
    pasos, lote, tasa : entrenamiento con Adam, con secuencias nuevas en cada paso.
    n_prueba : secuencias del conjunto de prueba (fijo, con la semilla ``semilla + 1``).
    semilla : fija la iniciación del modelo y los datos.
    """

    n_vocab: int = 24
    longitud_min: int = 5
    longitud_max: int = 10
    d_modelo: int = 32
    n_cabezas: int = 2
    n_capas: int = 2
    pasos: int = 250
    lote: int = 48
    tasa: float = 3e-3
    n_prueba: int = 500
    semilla: int = 2


class ModeloSoloAtencion(nn.Module):
    """Incrustación aprendida + ``n_capas`` × (``X ← X + MultiCabeza(X)``, causal) + lectura lineal.

    Sin red prealimentada ni normalización: así todo lo que el modelo hace pasa por las cabezas.

    Formas
    ------
    x : (B, T) enteros en [0, N_V)    salida : (B, T, N_V), logits
    pesos (con ``devolver_pesos``) : lista de ``n_capas`` tensores (B, H, T, T)
    """

    def __init__(self, n_vocab, longitud, d_modelo, n_cabezas, n_capas):
        super().__init__()
        self.incrustacion = Incrustacion(n_vocab, d_modelo, longitud, posicional="aprendida")
        self.atenciones = nn.ModuleList(AtencionMultiCabeza(d_modelo, n_cabezas) for _ in range(n_capas))
        self.lectura = nn.Linear(d_modelo, n_vocab)

    def forward(self, x, devolver_pesos=False):
        X = self.incrustacion(x)  # (B, T, d_modelo)
        causal = mascara_causal(x.shape[-1]).to(x.device)  # (T, T)
        pesos = []
        for atencion in self.atenciones:
            salida, p = atencion(X, mascara=causal, devolver_pesos=True)  # (B, T, d_modelo), (B, H, T, T)
            X = X + salida  # conexión residual
            pesos.append(p)
        logits = self.lectura(X)  # (B, T, N_V)
        return (logits, pesos) if devolver_pesos else logits


@contextmanager
def _un_hilo():
    """Un solo hilo de PyTorch: con un modelo tan pequeño, más hilos solo compiten (y en CPU compartida, mucho)."""
    antes = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(antes)


def _lote(config: ConfigInduccion, n, rng):
    x, y, longitudes = secuencias_repetidas(n, config.n_vocab, config.longitud_min, config.longitud_max, rng)
    return torch.from_numpy(x), torch.from_numpy(y), longitudes


def entrenar_induccion(config: ConfigInduccion = ConfigInduccion()):
    """Crea y entrena un :class:`ModeloSoloAtencion`; devuelve ``(modelo, perdidas)``, una pérdida por paso."""
    torch.manual_seed(config.semilla)
    rng = np.random.default_rng(config.semilla)
    modelo = ModeloSoloAtencion(
        config.n_vocab, 2 * config.longitud_max, config.d_modelo, config.n_cabezas, config.n_capas
    )
    optimizador = torch.optim.Adam(modelo.parameters(), lr=config.tasa)
    perdidas = []
    with _un_hilo():
        modelo.train()
        for _ in range(config.pasos):
            x, y, _ = _lote(config, config.lote, rng)  # (B, T), (B, T)
            perdida = F.cross_entropy(modelo(x).flatten(0, 1), y.flatten(), ignore_index=IGNORAR)
            optimizador.zero_grad()
            perdida.backward()
            optimizador.step()
            perdidas.append(perdida.item())
    return modelo.eval(), perdidas


def datos_de_prueba(config: ConfigInduccion = ConfigInduccion()):
    """El conjunto de prueba fijo: ``(x, y, longitudes)`` con ``config.n_prueba`` secuencias (tensores)."""
    return _lote(config, config.n_prueba, np.random.default_rng(config.semilla + 1))


@torch.no_grad()
def exactitud_induccion(modelo, x, y) -> float:
    """Fracción de posiciones de la copia en las que el token más probable es el correcto.

    Formas
    ------
    x, y : (n, T)    devuelve : un número en [0, 1]
    """
    with _un_hilo():
        prediccion = modelo(x).argmax(-1)  # (n, T)
    validas = y != IGNORAR
    return (prediccion[validas] == y[validas]).double().mean().item()


@torch.no_grad()
def puntuaciones_cabezas(modelo, x, longitudes):
    """Peso medio que cada cabeza pone en «el token anterior» y en «el que siguió a mi pareja».

    ``anterior`` es el peso en la clave ``t-1`` de las consultas del primer bloque (``1 ≤ t < L``),
    que es donde la segunda capa necesitará saber cuál fue el token anterior. ``induccion`` es el
    peso en la clave ``t-L+1`` (la que sigue a la aparición anterior del token ``x[t]``) de las
    consultas de la copia que tienen siguiente (``L ≤ t ≤ 2L-2``).

    Formas
    ------
    x : (n, T)    longitudes : (n,)
    devuelve pesos : lista de ``n_capas`` arreglos (n, H, T, T)
             anterior, induccion : (n_capas, H)
    """
    with _un_hilo():
        _, pesos = modelo(x, devolver_pesos=True)
    pesos = [p.numpy() for p in pesos]  # n_capas × (n, H, T, T)
    L = np.asarray(longitudes)[:, None]  # (n, 1)
    t = np.arange(x.shape[1])[None, :]  # (1, T)
    b1, t1 = np.nonzero((t >= 1) & (t < L))  # consultas del primer bloque
    b2, t2 = np.nonzero((t >= L) & (t <= 2 * L - 2))  # consultas de la copia con siguiente
    pareja = posiciones_pareja(x.numpy(), longitudes)  # (n, T)
    anterior = np.stack([p[b1, :, t1, t1 - 1].mean(0) for p in pesos])  # (n_capas, H)
    induccion = np.stack([p[b2, :, t2, pareja[b2, t2] + 1].mean(0) for p in pesos])  # (n_capas, H)
    return pesos, anterior, induccion


def tabla_cabezas(anterior, induccion) -> str:
    """Tabla de texto con las dos puntuaciones de cada cabeza (dos decimales)."""
    filas = [" capa  cabeza   peso en el anterior   peso en el siguiente de la pareja"]
    for c in range(anterior.shape[0]):
        for h in range(anterior.shape[1]):
            filas.append(f"{c + 1:5d}  {h + 1:6d}   {anterior[c, h]:19.2f}   {induccion[c, h]:33.2f}")
    return "\n".join(filas)
