"""Un entorno diminuto para el aprendizaje por refuerzo (capítulo 13): una rejilla con un muro y una meta.

El agente vive en una rejilla de ``filas × columnas`` casillas, empieza en ``inicio`` y quiere llegar a
``meta``. En cada paso elige una de cuatro acciones (arriba, abajo, izquierda, derecha); si la
casilla de destino es un muro o cae fuera de la rejilla, se queda donde está. La **recompensa** es
lo que el paso le acerca a la meta, medido con la distancia más corta que esquiva los muros:

    r_t = d(s_t) - d(s_{t+1})        (+1 si se acerca, -1 si se aleja, 0 si choca o se queda)

así que el **retorno** de un episodio es ``d(inicio) - d(s_final)``: las casillas netas que ha
avanzado. El episodio termina al llegar a la meta o, como mucho, tras ``horizonte`` pasos.

El entorno es determinista: el azar solo está en las **políticas** de comportamiento, que reciben
un ``np.random.Generator``; con la misma semilla, los mismos datos. Estados y acciones son enteros:
el estado es el índice ``fila·columnas + columna`` de la casilla.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

import numpy as np

from ..errores import ErrorDeForma

__all__ = [
    "ACCIONES",
    "POLITICAS",
    "Rejilla",
    "Trayectoria",
    "accion_politica",
    "accion_umbral",
    "jugar_episodio",
    "generar_trayectorias",
    "conjunto_fuera_de_linea",
]

ACCIONES = ("arriba", "abajo", "izquierda", "derecha")
_MOVIMIENTOS = ((-1, 0), (1, 0), (0, -1), (0, 1))  # (Δfila, Δcolumna) de cada acción
POLITICAS = {"aleatoria": 1.0, "a medias": 0.5, "buena": 0.1}  # nombre → ε: probabilidad de una acción al azar


@dataclass(frozen=True)
class Rejilla:
    """Rejilla con muros, una casilla de inicio y una meta; recompensa = avance hacia la meta.

    Atributos
    ---------
    filas, columnas : tamaño de la rejilla.
    inicio, meta : casillas ``(fila, columna)``.
    muros : casillas por las que no se puede pasar.
    horizonte : número máximo de pasos de un episodio.
    """

    filas: int = 5
    columnas: int = 5
    inicio: tuple[int, int] = (0, 0)
    meta: tuple[int, int] = (4, 4)
    muros: tuple[tuple[int, int], ...] = ((2, 0), (2, 1), (2, 2))
    horizonte: int = 12
    distancias: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        for nombre in ("filas", "columnas", "horizonte"):
            valor = getattr(self, nombre)
            if isinstance(valor, bool) or not isinstance(valor, (int, np.integer)) or valor < 1:
                raise ErrorDeForma(f"'{nombre}' debe ser un entero positivo, pero se recibió {valor!r}.")
        casillas = [("inicio", self.inicio), ("meta", self.meta)] + [
            (f"muros[{i}]", m) for i, m in enumerate(self.muros)
        ]
        for nombre, casilla in casillas:
            if not self._dentro(casilla):
                raise ErrorDeForma(
                    f"'{nombre}' debe ser una casilla (fila, columna) de la rejilla de {self.filas}×{self.columnas}, "
                    f"pero se recibió {casilla!r}."
                )
        if self.inicio in self.muros or self.meta in self.muros or self.inicio == self.meta:
            raise ErrorDeForma("'inicio' y 'meta' deben ser casillas distintas y libres (que no sean muros).")
        object.__setattr__(self, "distancias", self._calcular_distancias())
        if self.distancias[self.indice(self.inicio)] < 0:
            raise ErrorDeForma("Los muros no dejan ningún camino de 'inicio' a 'meta'.")

    def _dentro(self, casilla) -> bool:
        return (
            isinstance(casilla, tuple)
            and len(casilla) == 2
            and 0 <= casilla[0] < self.filas
            and 0 <= casilla[1] < self.columnas
        )

    @property
    def n_estados(self) -> int:
        """Número de casillas (``filas · columnas``; los muros también tienen índice, aunque nunca se visitan)."""
        return self.filas * self.columnas

    @property
    def n_acciones(self) -> int:
        return len(ACCIONES)

    def indice(self, casilla) -> int:
        """``(fila, columna)`` → estado entero."""
        return int(casilla[0]) * self.columnas + int(casilla[1])

    def casilla(self, estado) -> tuple[int, int]:
        """Estado entero → ``(fila, columna)``."""
        return divmod(int(estado), self.columnas)

    def vecina(self, estado, accion) -> int:
        """La casilla a la que lleva ``accion`` desde ``estado`` (la misma si hay un muro o un borde)."""
        f, c = self.casilla(estado)
        df, dc = _MOVIMIENTOS[accion]
        destino = (f + df, c + dc)
        return estado if not self._dentro(destino) or destino in self.muros else self.indice(destino)

    def _calcular_distancias(self) -> np.ndarray:
        """Distancia más corta (en pasos, esquivando muros) de cada casilla a la meta; -1 si no hay camino."""
        d = np.full(self.n_estados, -1, dtype=np.int64)
        d[self.indice(self.meta)] = 0
        pendientes = deque([self.indice(self.meta)])
        while pendientes:  # búsqueda en anchura desde la meta (los movimientos son reversibles)
            e = pendientes.popleft()
            for a in range(self.n_acciones):
                v = self.vecina(e, a)
                if d[v] < 0:
                    d[v] = d[e] + 1
                    pendientes.append(v)
        return d

    @property
    def retorno_maximo(self) -> int:
        """El mayor retorno posible: la distancia del inicio a la meta (si cabe en el horizonte)."""
        return int(min(self.distancias[self.indice(self.inicio)], self.horizonte))

    def reiniciar(self) -> int:
        """Estado inicial de un episodio."""
        return self.indice(self.inicio)

    def paso(self, estado, accion) -> tuple[int, float, bool]:
        """Un paso: ``(s_{t+1}, r_t, terminado)`` con ``r_t = d(s_t) - d(s_{t+1})``; termina en la meta.

        No cuenta los pasos: cortar el episodio en el ``horizonte`` es cosa de quien lo juega.
        """
        if isinstance(accion, bool) or not isinstance(accion, (int, np.integer)) or not 0 <= accion < self.n_acciones:
            raise ErrorDeForma(
                f"'accion' debe ser un entero entre 0 y {self.n_acciones - 1}, pero se recibió {accion!r}."
            )
        nuevo = self.vecina(int(estado), int(accion))
        recompensa = float(self.distancias[estado] - self.distancias[nuevo])
        return nuevo, recompensa, nuevo == self.indice(self.meta)

    def codificar(self, estados) -> np.ndarray:
        """Estados enteros (...) → vectores one-hot (..., n_estados) en float32: la entrada ``s_t`` del modelo."""
        return np.eye(self.n_estados, dtype=np.float32)[np.asarray(estados)]

    def acciones_que_acercan(self, estado) -> list[int]:
        """Las acciones que reducen la distancia a la meta (las de una política óptima)."""
        return [a for a in range(self.n_acciones) if self.distancias[self.vecina(estado, a)] < self.distancias[estado]]


@dataclass(frozen=True)
class Trayectoria:
    """Un episodio: ``estados[t]``, ``acciones[t]`` y ``recompensas[t]`` para ``t = 0 … n-1``.

    Formas
    ------
    estados, acciones : (n,), enteros    recompensas : (n,), float32
    """

    estados: np.ndarray
    acciones: np.ndarray
    recompensas: np.ndarray
    politica: str = ""

    @property
    def retorno(self) -> float:
        return float(self.recompensas.sum())

    def __len__(self) -> int:
        return len(self.acciones)


def accion_politica(entorno: Rejilla, estado, epsilon, rng) -> int:
    """Con probabilidad ``1-ε``, una acción que acerca a la meta (al azar entre ellas); si no, una cualquiera."""
    buenas = entorno.acciones_que_acercan(estado)
    if rng.random() < epsilon or not buenas:
        return int(rng.integers(entorno.n_acciones))
    return int(buenas[rng.integers(len(buenas))])


def accion_umbral(entorno: Rejilla, estado, R_por_obtener) -> int:
    """Una política escrita a mano que hace lo que querríamos de un Decision Transformer perfecto.

    Si aún queda al menos 1 de retorno por obtener (``R̂ ≥ 1``), se acerca a la meta; si no, gasta el
    paso sin acercarse: choca contra un borde o un muro si puede y, si no, se aleja (y al paso
    siguiente, con ``R̂ = 1``, volverá). Entre varias acciones válidas, la primera de :data:`ACCIONES`.
    """
    cercanas = entorno.acciones_que_acercan(estado)
    if R_por_obtener >= 1 and cercanas:
        return cercanas[0]
    d = entorno.distancias
    neutras = [a for a in range(entorno.n_acciones) if d[entorno.vecina(estado, a)] == d[estado]]
    return neutras[0] if neutras else next(a for a in range(entorno.n_acciones) if a not in cercanas)


def jugar_episodio(entorno: Rejilla, elegir, nombre="") -> Trayectoria:
    """Juega un episodio con ``elegir(estado, t) -> acción`` hasta la meta o el horizonte."""
    estados, acciones, recompensas = [], [], []
    estado = entorno.reiniciar()
    for t in range(entorno.horizonte):
        accion = elegir(estado, t)
        nuevo, r, terminado = entorno.paso(estado, accion)
        estados.append(estado)
        acciones.append(accion)
        recompensas.append(r)
        if terminado:
            break
        estado = nuevo
    return Trayectoria(np.array(estados), np.array(acciones), np.array(recompensas, dtype=np.float32), nombre)


def generar_trayectorias(entorno: Rejilla, epsilon, n, rng, nombre="") -> list[Trayectoria]:
    """``n`` episodios de la política ε-voraz (``ε = 1``: aleatoria; ``ε = 0``: óptima)."""
    if not 0.0 <= epsilon <= 1.0:
        raise ErrorDeForma(f"'epsilon' debe estar en [0, 1], pero se recibió {epsilon!r}.")
    return [jugar_episodio(entorno, lambda s, t: accion_politica(entorno, s, epsilon, rng), nombre) for _ in range(n)]


def conjunto_fuera_de_linea(entorno: Rejilla, n_por_politica, rng, politicas=None) -> list[Trayectoria]:
    """El conjunto de datos fijo: ``n_por_politica`` episodios de cada política de :data:`POLITICAS`."""
    politicas = POLITICAS if politicas is None else politicas
    datos = []
    for nombre, epsilon in politicas.items():
        datos += generar_trayectorias(entorno, epsilon, n_por_politica, rng, nombre)
    return datos
