"""Sesgo inductivo y datos escasos: convolución, recurrencia y transformador frente a frente (capítulo 16).

Entrenamos tres modelos diminutos, con un número de parámetros parecido (unos 9 000–10 000), en
dos tareas y con conjuntos de entrenamiento cada vez mayores, y medimos la exactitud en una prueba
fija (una **curva de aprendizaje** en función del número de ejemplos):

- ``"digitos"``: los dígitos de 8×8 de scikit-learn (:func:`~transformadores.datos.digitos.cargar_digitos`).
  La red convolucional usa dos capas ``Conv2d`` de 3×3; la recurrente lee la imagen fila a fila
  (8 pasos de 8 píxeles) con una GRU; el transformador es un ViT de una capa con parches de 2×2
  (:func:`~transformadores.con_torch.dividir_en_parches`), token de clase y posiciones aprendidas.
- ``"motivo"``: ¿aparecen los tokens 0, 1, 2 seguidos? (:func:`~transformadores.datos.secuencias.motivo_local`).
  Los mismos tres tipos, en 1D: ``Conv1d`` de anchura 3 con máximo global, GRU que lee de izquierda
  a derecha y un codificador de una capa con token de clase.

Todos se entrenan con el mismo presupuesto: ``pasos`` de Adam con lotes de ``lote`` ejemplos
sacados (con reemplazo) del subconjunto de entrenamiento, sea cual sea su tamaño. Los subconjuntos
están anidados (el de 100 contiene al de 50) y dependen solo de la semilla.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ..con_torch.vision import dividir_en_parches
from ..datos.digitos import cargar_digitos
from ..datos.secuencias import motivo_local
from .profundidad import PilaBloques

__all__ = [
    "ConfigLimites",
    "TIPOS",
    "TAREAS",
    "ClasificadorTransformador",
    "crear_modelo",
    "n_parametros",
    "datos_tarea",
    "entrenar_y_evaluar",
    "curvas_aprendizaje",
    "tabla_curvas",
]

TIPOS = ("convolucional", "recurrente", "transformador")
TAREAS = ("digitos", "motivo")


@dataclass(frozen=True)
class ConfigLimites:
    """Los tamaños y el presupuesto de entrenamiento del experimento."""

    tamanos_digitos: tuple[int, ...] = (50, 200, 500, 1347)  # 1347 = todo el entrenamiento
    tamanos_motivo: tuple[int, ...] = (50, 200, 500, 2000)
    semillas: tuple[int, ...] = (0,)  # la exactitud es la media sobre estas semillas
    pasos: int = 150  # pasos de Adam, los mismos para todos los tamaños y modelos
    lote: int = 128
    lr: float = 1e-2
    longitud: int = 16  # tokens por secuencia en la tarea «motivo»
    n_simbolos: int = 4
    n_prueba_motivo: int = 1000

    def tamanos(self, tarea: str) -> tuple[int, ...]:
        return self.tamanos_digitos if tarea == "digitos" else self.tamanos_motivo


class _Parches(nn.Module):
    """Imagen (B, 1, 8, 8) → 16 parches de 2×2 proyectados: (B, 16, d_modelo)."""

    def __init__(self, d_modelo, P=2):
        super().__init__()
        self.P, self.proyeccion = P, nn.Linear(P * P, d_modelo)

    def forward(self, x):
        return self.proyeccion(dividir_en_parches(x, self.P))  # (B, N, d_modelo)


class ClasificadorTransformador(nn.Module):
    """Entrada → tokens, token de clase, posiciones aprendidas (opcionales), ``n_capas`` bloques Pre-LN, lectura.

    ``entrada`` convierte ``x`` en ``(B, N, d_modelo)``. Con ``posiciones=False`` el modelo es
    invariante a permutaciones de los N tokens: la salida del token de clase no cambia al reordenarlos.

    Formas
    ------
    x : lo que acepte ``entrada``    salida : (B, n_clases), logits
    """

    def __init__(self, entrada, n_tokens, n_clases, d_modelo=24, n_capas=1, n_cabezas=2, posiciones=True):
        super().__init__()
        self.entrada = entrada
        self.posiciones = nn.Parameter(torch.randn(1, n_tokens, d_modelo)) if posiciones else None
        self.bloques = PilaBloques(n_capas, d_modelo, n_cabezas, 2 * d_modelo, pre_ln=True, activacion="gelu")
        self.lectura = nn.Linear(d_modelo, n_clases)

    def forward(self, x):
        z = self.entrada(x)  # (B, N, d_modelo)
        if self.posiciones is not None:
            z = z + self.posiciones  # incrustación posicional aprendida
        return self.lectura(self.bloques(z).mean(dim=1))  # media de los N tokens: (B, n_clases)


class _ConvImagen(nn.Sequential):
    def __init__(self):
        super().__init__(
            nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(),  # (B, 8, 8, 8)
            nn.Conv2d(8, 20, 3, padding=1), nn.ReLU(),  # (B, 20, 8, 8)
            nn.MaxPool2d(2), nn.Flatten(),  # (B, 20·4·4)
            nn.Linear(320, 10),
        )  # fmt: skip


class _ConvSecuencia(nn.Module):
    def __init__(self, n_simbolos, d=32):
        super().__init__()
        self.incrustacion = nn.Embedding(n_simbolos, 16)
        self.conv1, self.conv2 = nn.Conv1d(16, d, 3, padding=1), nn.Conv1d(d, d, 3, padding=1)
        self.lectura = nn.Linear(d, 2)

    def forward(self, x):
        h = self.incrustacion(x).transpose(1, 2)  # (B, 16, T)
        h = F.relu(self.conv2(F.relu(self.conv1(h))))  # (B, d, T)
        return self.lectura(h.amax(dim=-1))  # máximo global sobre las posiciones: (B, 2)


class _Recurrente(nn.Module):
    """GRU de una capa; lee ``x`` paso a paso (filas de la imagen o tokens) y clasifica con el último estado."""

    def __init__(self, d_entrada, n_clases, d_oculta=32, n_simbolos=None):
        super().__init__()
        self.incrustacion = None if n_simbolos is None else nn.Embedding(n_simbolos, d_entrada)
        self.gru = nn.GRU(d_entrada, d_oculta, batch_first=True)
        self.lectura = nn.Linear(d_oculta, n_clases)

    def forward(self, x):
        x = x[:, 0] if self.incrustacion is None else self.incrustacion(x)  # (B, T, d_entrada): filas o tokens
        h, _ = self.gru(x)  # (B, T, d_oculta)
        return self.lectura(h[:, -1])


def crear_modelo(tarea, tipo, semilla=0, config=ConfigLimites(), posiciones=True):
    """Un modelo nuevo (pesos iniciales fijados por ``semilla``) para ``tarea`` de tipo ``tipo``."""
    if tarea not in TAREAS:
        raise ValueError(f"'tarea' debe ser una de {TAREAS}, pero se recibió {tarea!r}.")
    if tipo not in TIPOS:
        raise ValueError(f"'tipo' debe ser uno de {TIPOS}, pero se recibió {tipo!r}.")
    torch.manual_seed(semilla)
    V = config.n_simbolos
    if tarea == "digitos":
        if tipo == "convolucional":
            return _ConvImagen()
        if tipo == "recurrente":
            return _Recurrente(8, 10)
        return ClasificadorTransformador(_Parches(24), 16, 10, posiciones=posiciones)
    if tipo == "convolucional":
        return _ConvSecuencia(V)
    if tipo == "recurrente":
        return _Recurrente(16, 2, n_simbolos=V)
    return ClasificadorTransformador(nn.Embedding(V, 24), config.longitud, 2, posiciones=posiciones)


def n_parametros(modelo) -> int:
    """Número de parámetros entrenables."""
    return sum(p.numel() for p in modelo.parameters() if p.requires_grad)


def datos_tarea(tarea, config=ConfigLimites()):
    """``(x_entrenamiento, y_entrenamiento, x_prueba, y_prueba)`` como tensores; la prueba es fija."""
    if tarea == "digitos":
        d = cargar_digitos()
        partes = (d.x_entrenamiento, d.y_entrenamiento, d.x_prueba, d.y_prueba)
    elif tarea == "motivo":
        rng = np.random.default_rng(1234)
        x_p, y_p = motivo_local(config.n_prueba_motivo, config.longitud, config.n_simbolos, rng)
        x_e, y_e = motivo_local(max(config.tamanos_motivo), config.longitud, config.n_simbolos, rng)
        partes = (x_e, y_e, x_p, y_p)
    else:
        raise ValueError(f"'tarea' debe ser una de {TAREAS}, pero se recibió {tarea!r}.")
    return tuple(torch.from_numpy(np.ascontiguousarray(a)) for a in partes)


def entrenar_y_evaluar(modelo, x_e, y_e, x_p, y_p, pasos=150, lote=128, lr=1e-2, semilla=0):
    """Entrena ``modelo`` con ``pasos`` de Adam sobre ``(x_e, y_e)`` y lo evalúa en los dos conjuntos.

    La tasa de aprendizaje decae en línea recta de ``lr`` a 0. Cada paso toma ``min(lote, n)``
    ejemplos al azar, con reemplazo, de los ``n`` de entrenamiento.

    Formas
    ------
    x_e : (n, ...)    y_e : (n,)    x_p : (m, ...)    y_p : (m,)

    Devuelve
    --------
    dict con ``exactitud`` (en la prueba), ``exactitud_entrenamiento`` y ``predicciones`` (m,) en la prueba.
    """
    generador = torch.Generator().manual_seed(semilla)
    optimizador = torch.optim.Adam(modelo.parameters(), lr=lr, fused=True)
    calendario = torch.optim.lr_scheduler.LambdaLR(optimizador, lambda s: 1 - s / pasos)  # decae hasta 0
    modelo.train()
    for _ in range(pasos):
        i = torch.randint(len(y_e), (min(lote, len(y_e)),), generator=generador)  # con reemplazo
        perdida = F.cross_entropy(modelo(x_e[i]), y_e[i])
        optimizador.zero_grad()
        perdida.backward()
        optimizador.step()
        calendario.step()
    modelo.eval()
    with torch.no_grad():
        predicciones, en_entrenamiento = modelo(x_p).argmax(-1), modelo(x_e).argmax(-1)
    return {
        "exactitud": (predicciones == y_p).double().mean().item(),
        "exactitud_entrenamiento": (en_entrenamiento == y_e).double().mean().item(),
        "predicciones": predicciones.numpy(),
    }


def curvas_aprendizaje(tarea, config=ConfigLimites(), tipos=TIPOS, posiciones=True):
    """Exactitud de cada tipo de modelo para cada tamaño de entrenamiento, media sobre las semillas.

    Devuelve
    --------
    dict con ``exactitud[(tipo, n)]`` (en la prueba) y ``exactitud_entrenamiento[(tipo, n)]``,
    medias sobre las semillas; ``predicciones[(tipo, n)]`` (las de la primera semilla, (m,)),
    ``parametros[tipo]``, ``y_prueba`` (m,) y ``tamanos``.
    """
    x_e, y_e, x_p, y_p = datos_tarea(tarea, config)
    tamanos = config.tamanos(tarea)
    medidas, predicciones, parametros = {}, {}, {}
    for semilla in config.semillas:
        orden = torch.from_numpy(np.random.default_rng([semilla, 16]).permutation(len(y_e)))  # subconjuntos anidados
        for tipo in tipos:
            for n in tamanos:
                modelo = crear_modelo(tarea, tipo, semilla, config, posiciones)
                parametros[tipo] = n_parametros(modelo)
                i = orden[:n]
                r = entrenar_y_evaluar(modelo, x_e[i], y_e[i], x_p, y_p, config.pasos, config.lote, config.lr, semilla)
                medidas.setdefault((tipo, n), []).append((r["exactitud"], r["exactitud_entrenamiento"]))
                predicciones.setdefault((tipo, n), r["predicciones"])
    return {
        "exactitud": {k: float(np.mean([m[0] for m in v])) for k, v in medidas.items()},
        "exactitud_entrenamiento": {k: float(np.mean([m[1] for m in v])) for k, v in medidas.items()},
        "predicciones": predicciones,
        "parametros": parametros,
        "y_prueba": y_p.numpy(),
        "tamanos": tamanos,
    }


def tabla_curvas(resultados, clave="exactitud") -> str:
    """Tabla de texto: filas = tamaño ``n`` del entrenamiento; columnas = tipos de modelo; celdas = ``clave``.

    ``clave`` es ``"exactitud"`` (en la prueba) o ``"exactitud_entrenamiento"``.
    """
    tipos = list(resultados["parametros"])
    filas = ["     n   " + "  ".join(f"{t:>14s}" for t in tipos)]
    for n in resultados["tamanos"]:
        filas.append(f"{n:6d}   " + "  ".join(f"{resultados[clave][(t, n)]:14.3f}" for t in tipos))
    filas.append("parám.   " + "  ".join(f"{resultados['parametros'][t]:14d}" for t in tipos))
    return "\n".join(filas)
