"""Experimento del capítulo 6: ¿cuántas cabezas hacen falta para atender a varias relaciones a la vez?

Vaswani et al. (§3.2.2) afirman que varias cabezas permiten atender a la vez a información de
distintos subespacios y posiciones, mientras que una sola la promedia. Lo ponemos a prueba con
:func:`~transformadores.datos.relaciones.secuencias_con_relaciones`: cada posición debe devolver
los tokens de ``R`` posiciones anteriores distintas. Entrenamos el mismo modelo pequeño (una capa
Pre-LN con los módulos del paquete) cambiando solo el número de cabezas ``H``; ``d_modelo`` fijo
implica el **mismo número de parámetros** para todo ``H`` (``d_k = d_modelo / H``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ..con_torch.modulos_bloques import ConexionResidual, NormalizacionCapa, RedPosicional
from ..con_torch.modulos_incrustaciones import Incrustacion
from ..con_torch.modulos_multicabeza import AtencionMultiCabeza
from ..datos.relaciones import IGNORAR, secuencias_con_relaciones

__all__ = [
    "ModeloRelaciones",
    "ConfigExperimento",
    "entrenar",
    "exactitud",
    "atencion_por_desplazamiento",
    "experimento_cabezas",
    "tabla_cabezas",
]


class ModeloRelaciones(nn.Module):
    """Incrustación + ``n_capas`` bloques Pre-LN (atención y red posicional) + LN final + lectura lineal.

    La lectura da, para cada posición, ``R`` distribuciones sobre el vocabulario: una por relación.

    Formas
    ------
    x : (B, T) enteros en [0, N_V)    salida : (B, T, R, N_V), logits
    """

    def __init__(self, n_vocab, longitud, d_modelo, n_cabezas, n_relaciones, n_capas=1, d_ff=None):
        super().__init__()
        d_ff = 4 * d_modelo if d_ff is None else d_ff
        self.n_vocab, self.n_relaciones = n_vocab, n_relaciones
        self.incrustacion = Incrustacion(n_vocab, d_modelo, longitud, posicional="aprendida")
        self.atenciones = nn.ModuleList(AtencionMultiCabeza(d_modelo, n_cabezas) for _ in range(n_capas))
        self.redes = nn.ModuleList(RedPosicional(d_modelo, d_ff) for _ in range(n_capas))
        self.residuos = nn.ModuleList(ConexionResidual(d_modelo, pre_ln=True) for _ in range(2 * n_capas))
        self.norma_final = NormalizacionCapa(d_modelo)
        self.lectura = nn.Linear(d_modelo, n_relaciones * n_vocab)

    def forward(self, x, devolver_pesos=False):
        h = self.incrustacion(x)  # (B, T, d_modelo)
        pesos = []
        for i, (atencion, red) in enumerate(zip(self.atenciones, self.redes)):
            if devolver_pesos:
                pesos.append(atencion(self.residuos[2 * i].norma(h), devolver_pesos=True)[1])  # (B, H, T, T)
            h = self.residuos[2 * i](h, atencion)
            h = self.residuos[2 * i + 1](h, red)
        logits = self.lectura(self.norma_final(h))  # (B, T, R·N_V)
        logits = logits.unflatten(-1, (self.n_relaciones, self.n_vocab))  # (B, T, R, N_V)
        return (logits, pesos) if devolver_pesos else logits


@dataclass(frozen=True)
class ConfigExperimento:
    """Hiperparámetros del experimento (los mismos para todo ``H``).

    Atributos
    ---------
    longitud, n_vocab, desplazamientos : los datos (T, N_V y las R relaciones ``y[t] = x[t - a_r]``).
    d_modelo, n_capas : el modelo; ``d_k = d_modelo / H``.
    pasos, lote, tasa : entrenamiento con Adam, datos nuevos en cada paso.
    n_prueba : secuencias del conjunto de prueba (fijo, con su propia semilla).
    """

    longitud: int = 12
    n_vocab: int = 8
    desplazamientos: tuple = (1, 2, 4)
    d_modelo: int = 32
    n_capas: int = 1
    pasos: int = 150
    lote: int = 32
    tasa: float = 3e-3
    n_prueba: int = 2000


def _tensores(x, y):
    return torch.from_numpy(x), torch.from_numpy(y)


def entrenar(modelo, config: ConfigExperimento, semilla: int) -> list[float]:
    """Entrena ``modelo`` con Adam y entropía cruzada; devuelve la pérdida de cada paso."""
    rng = np.random.default_rng(semilla)
    optimizador = torch.optim.Adam(modelo.parameters(), lr=config.tasa, foreach=True)
    modelo.train()
    perdidas = []
    for _ in range(config.pasos):
        lote = secuencias_con_relaciones(config.lote, config.longitud, config.n_vocab, config.desplazamientos, rng)
        x, y = _tensores(*lote)  # (B, T), (B, T, R)
        logits = modelo(x)  # (B, T, R, N_V)
        perdida = F.cross_entropy(logits.flatten(0, 2), y.flatten(), ignore_index=IGNORAR)
        optimizador.zero_grad()
        perdida.backward()
        optimizador.step()
        perdidas.append(perdida.item())
    return perdidas


@torch.no_grad()
def exactitud(modelo, x, y) -> tuple[float, np.ndarray]:
    """Exactitud conjunta (todas las relaciones de una posición bien) y la de cada relación.

    Solo cuentan las posiciones con todos sus objetivos definidos (``t ≥ max a_r``).

    Formas
    ------
    x : (n, T)    y : (n, T, R)    devuelve (conjunta, por_relacion (R,))
    """
    modelo.eval()
    x, y = _tensores(x, y) if isinstance(x, np.ndarray) else (x, y)
    aciertos = modelo(x).argmax(-1) == y  # (n, T, R)
    validas = (y != IGNORAR).all(-1)  # (n, T)
    aciertos = aciertos[validas]  # (N, R)
    return aciertos.all(-1).double().mean().item(), aciertos.double().mean(0).numpy()


@torch.no_grad()
def atencion_por_desplazamiento(modelo, x, max_desplazamiento=6, capa=0) -> np.ndarray:
    """Peso medio que cada cabeza de la ``capa`` da a la clave ``a`` posiciones atrás, ``a = 0 … max``.

    Se promedia sobre el lote y sobre las consultas ``t ≥ max_desplazamiento`` (las que tienen
    todas esas claves). Una cabeza especializada en la relación ``a`` tiene su fila concentrada en ``a``.

    Formas
    ------
    x : (n, T)    salida : (H, max_desplazamiento + 1)
    """
    modelo.eval()
    x = torch.from_numpy(x) if isinstance(x, np.ndarray) else x
    pesos = modelo(x, devolver_pesos=True)[1][capa]  # (n, H, T, T)
    T = pesos.shape[-1]
    t = torch.arange(max_desplazamiento, T)  # consultas con todas las claves t - a dentro de la secuencia
    columnas = [pesos[:, :, t, t - a].mean(dim=(0, 2)) for a in range(max_desplazamiento + 1)]  # H cada una
    return torch.stack(columnas, dim=-1).numpy()  # (H, max + 1)


def experimento_cabezas(cabezas=(1, 2, 4, 8), semillas=(0, 1, 2), config=None) -> list[dict]:
    """Entrena un modelo por cada ``H`` de ``cabezas`` y cada semilla; mide la exactitud en la prueba.

    Devuelve una lista de diccionarios con ``H``, ``d_k``, ``semilla``, ``parametros``, ``exactitud``
    (conjunta), ``por_relacion`` (R,), ``perdidas`` (una por paso), ``perdida_final`` (media de los 20
    últimos pasos), ``segundos`` y el ``modelo`` entrenado.
    """
    config = ConfigExperimento() if config is None else config
    c = config
    prueba = secuencias_con_relaciones(
        c.n_prueba, c.longitud, c.n_vocab, c.desplazamientos, np.random.default_rng(10_000)
    )
    resultados = []
    for H in cabezas:
        for semilla in semillas:
            torch.manual_seed(semilla)
            modelo = ModeloRelaciones(c.n_vocab, c.longitud, c.d_modelo, H, len(c.desplazamientos), c.n_capas)
            inicio = time.perf_counter()
            perdidas = entrenar(modelo, config, semilla)
            conjunta, por_relacion = exactitud(modelo, *prueba)
            resultados.append(
                {
                    "H": H,
                    "d_k": config.d_modelo // H,
                    "semilla": semilla,
                    "parametros": sum(p.numel() for p in modelo.parameters()),
                    "exactitud": conjunta,
                    "por_relacion": por_relacion,
                    "perdidas": np.array(perdidas),
                    "perdida_final": float(np.mean(perdidas[-20:])),
                    "segundos": time.perf_counter() - inicio,
                    "modelo": modelo,
                }
            )
    return resultados


def tabla_cabezas(resultados) -> str:
    """Tabla de texto: por cada ``H``, ``d_k``, parámetros y exactitud (media ± desviación típica, mín.–máx.)."""
    filas = [" H   d_k   parámetros   exactitud conjunta    mín.–máx.     por relación"]
    for H in sorted({r["H"] for r in resultados}):
        grupo = [r for r in resultados if r["H"] == H]
        e = 100 * np.array([r["exactitud"] for r in grupo])
        por_relacion = 100 * np.mean([r["por_relacion"] for r in grupo], axis=0)
        filas.append(
            f"{H:2d}  {grupo[0]['d_k']:4d}   {grupo[0]['parametros']:10d}   {e.mean():5.1f} % ± {e.std():4.1f}   "
            f"{e.min():5.1f}–{e.max():5.1f}   " + "  ".join(f"{p:5.1f}" for p in por_relacion)
        )
    return "\n".join(filas)
