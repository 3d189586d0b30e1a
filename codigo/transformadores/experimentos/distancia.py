"""¿Recurrencia o atención? Recordar un token a ``D`` pasos de distancia (capítulo 7).

Comparamos dos modelos que leen de izquierda a derecha, con el mismo presupuesto de entrenamiento
(pasos, lote, tasa de aprendizaje, datos): una LSTM (``nn.LSTM``) y un transformador solo
decodificador del paquete (:class:`~transformadores.con_torch.TransformadorSoloDecodificador`,
Pre-LN y causal). Los dos predicen, en la última posición, el primer token de la secuencia
(:func:`~transformadores.datos.distancia.recordar_primero`). En la LSTM la información tiene que
sobrevivir ``D + 1`` actualizaciones del estado; en el transformador, la consulta puede mirar la
posición 0 directamente con una sola atención.
"""

from __future__ import annotations

import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ..con_torch.modulos_transformador import TransformadorSoloDecodificador
from ..configuracion import Configuracion
from ..datos.distancia import recordar_primero

__all__ = ["LectorLSTM", "crear_modelo", "entrenar_y_evaluar", "comparar_distancias", "tabla_distancias", "MODELOS"]

MODELOS = ("LSTM", "transformador")


class LectorLSTM(nn.Module):
    """Incrustación, ``nn.LSTM`` de una capa y una lectura lineal del último estado oculto.

    Formas
    ------
    x : (B, T), enteros    salida : (B, n_vocab), logits del token que sigue a ``x[:, -1]``
    """

    def __init__(self, n_vocab, d_modelo=32):
        super().__init__()
        self.incrustacion = nn.Embedding(n_vocab, d_modelo)
        self.lstm = nn.LSTM(d_modelo, d_modelo, batch_first=True)
        self.lectura = nn.Linear(d_modelo, n_vocab)

    def forward(self, x):
        h, _ = self.lstm(self.incrustacion(x))  # (B, T, d_modelo)
        return self.lectura(h[:, -1])


class _LectorTransformador(nn.Module):
    """Transformador solo decodificador; devuelve los logits de la última posición, (B, n_vocab)."""

    def __init__(self, config, rng):
        super().__init__()
        self.modelo = TransformadorSoloDecodificador(config, rng=rng)

    def forward(self, x):
        return self.modelo(x, solo_logits=True)[:, -1]


def crear_modelo(tipo, n_vocab, l_max, d_modelo=32, d_lstm=48, semilla=0):
    """Un modelo nuevo de tipo ``"LSTM"`` o ``"transformador"`` (2 capas, 2 cabezas, Pre-LN).

    Con los valores por omisión los dos tienen unos 20 000 parámetros: la LSTM, con ``d_lstm = 48``,
    y el transformador, con ``d_modelo = 32`` (su tabla de posiciones crece con ``l_max``).
    """
    torch.manual_seed(semilla)
    if tipo == "LSTM":
        return LectorLSTM(n_vocab, d_lstm)
    if tipo == "transformador":
        config = Configuracion.gpt2(
            n_vocab, n_capas_decodificador=2, l_max=l_max, d_modelo=d_modelo, n_cabezas=2, d_ffn=2 * d_modelo,
            p_dropout=0.0,
        )  # fmt: skip
        return _LectorTransformador(config, torch.Generator().manual_seed(semilla))
    raise ValueError(f"'tipo' debe ser uno de {MODELOS}, pero se recibió {tipo!r}.")


def entrenar_y_evaluar(tipo, distancia, pasos=100, lote=32, n_simbolos=8, lr=3e-3, n_prueba=512, semilla=0):
    """Entrena un modelo ``tipo`` en ``recordar_primero`` con ``distancia`` distractores y lo evalúa.

    Mismo presupuesto para los dos tipos: ``pasos`` de Adam con lotes nuevos de ``lote`` secuencias
    (los datos dependen solo de ``semilla`` y ``distancia``) y ``n_prueba`` secuencias de prueba.

    Devuelve
    --------
    dict con ``exactitud`` (fracción de aciertos en la prueba), ``perdida_final`` (media de los
    últimos 10 pasos), ``parametros`` (número) y ``segundos``.
    """
    rng = np.random.default_rng([semilla, distancia])
    modelo = crear_modelo(tipo, n_simbolos + 1, distancia + 2, semilla=semilla)
    optimizador = torch.optim.Adam(modelo.parameters(), lr=lr)
    inicio, perdidas = time.perf_counter(), []
    modelo.train()
    for _ in range(pasos):
        x, y = (torch.from_numpy(a) for a in recordar_primero(lote, distancia, n_simbolos, rng))
        perdida = F.cross_entropy(modelo(x), y)
        optimizador.zero_grad()
        perdida.backward()
        optimizador.step()
        perdidas.append(perdida.item())
    modelo.eval()
    x, y = (torch.from_numpy(a) for a in recordar_primero(n_prueba, distancia, n_simbolos, rng))
    with torch.no_grad():
        exactitud = (modelo(x).argmax(-1) == y).double().mean().item()
    return {
        "exactitud": exactitud,
        "perdida_final": float(np.mean(perdidas[-10:])),
        "parametros": sum(p.numel() for p in modelo.parameters()),
        "segundos": time.perf_counter() - inicio,
    }


def comparar_distancias(distancias=(5, 20, 50, 100), **opciones):
    """``resultados[(tipo, D)] = entrenar_y_evaluar(tipo, D, **opciones)`` para los dos tipos."""
    return {(tipo, D): entrenar_y_evaluar(tipo, D, **opciones) for tipo in MODELOS for D in distancias}


def tabla_distancias(resultados, n_simbolos=8) -> str:
    """Tabla de texto: exactitud de cada modelo para cada distancia (el azar es ``1/n_simbolos``)."""
    distancias = sorted({D for _, D in resultados})
    filas = ["distancia D   " + "   ".join(f"{t:>13s}" for t in MODELOS)]
    for D in distancias:
        filas.append(f"{D:11d}   " + "   ".join(f"{resultados[(t, D)]['exactitud']:13.2f}" for t in MODELOS))
    filas.append(f"(azar: {1 / n_simbolos:.3f})")
    return "\n".join(filas)
