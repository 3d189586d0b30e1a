"""Las piezas de un ejercicio: casos de prueba, errores típicos y el propio ejercicio.

Hay tres tipos de ejercicio:

- ``"funcion"``: el lector escribe una función; se compara con la referencia del registro en casos nuevos.
- ``"valor"``: el lector predice una forma o un valor (una variable); no se le enseña la respuesta al fallar.
- ``"experimento"``: el lector escribe la función que hace un pequeño experimento (mide algo) y el
  resultado se compara con el del mismo experimento hecho con el paquete, a veces con una tolerancia
  estadística.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

__all__ = ["Caso", "ErrorTipico", "Ejercicio", "TIPOS", "ejercicio_de_valor", "firmas_prohibidas", "normal"]

TIPOS = {"funcion": "escribe una función", "valor": "predice una forma o un valor", "experimento": "experimento"}


@dataclass(frozen=True)
class Caso:
    """Un caso de prueba: descripción en español y argumentos posicionales (arreglos, números, None o texto)."""

    descripcion: str
    args: tuple


@dataclass(frozen=True)
class ErrorTipico:
    """Una variante equivocada de la solución y el diagnóstico que se da si la respuesta coincide con ella."""

    nombre: str
    funcion: Callable
    diagnostico: str


@dataclass(frozen=True)
class Ejercicio:
    """Un ejercicio: qué se pide, la solución de referencia y cómo se generan los casos.

    ``referencia`` se construye con las funciones del registro (``ecuacion`` es su id). ``nombre`` es
    la función (o la variable, en los de tipo ``"valor"``) que define el lector en su cuaderno.
    ``tolerancia`` (rtol, atol) sustituye a la de por omisión; ``comparar_dtype=False`` acepta
    cualquier tipo numérico. ``prohibidas``: funciones del paquete que la respuesta no puede llamar
    (None = las implementaciones de ``ecuacion`` en el registro).
    """

    id: str
    titulo: str
    capitulo: int
    tipo: str
    ecuacion: str
    nombre: str
    referencia: Callable
    casos: Callable[[np.random.Generator], list[Caso]]
    errores: tuple[ErrorTipico, ...] = field(default_factory=tuple)
    puntos: int = 1
    tolerancia: tuple[float, float] | None = None
    comparar_dtype: bool = True
    prohibidas: tuple[Callable, ...] | None = None

    def __post_init__(self):
        if self.tipo not in TIPOS:
            raise ValueError(f"'tipo' debe ser uno de {sorted(TIPOS)}, pero se recibió {self.tipo!r}.")


def normal(rng: np.random.Generator, *forma: int, dtype=np.float64, escala: float = 1.0) -> np.ndarray:
    """Un arreglo N(0, escala²) con esa forma y ese dtype (los casos de prueba se hacen con esto)."""
    return (rng.standard_normal(forma) * escala).astype(dtype)


def ejercicio_de_valor(id, titulo, capitulo, ecuacion, nombre, calcular, errores, tolerancia=None) -> Ejercicio:
    """Un ejercicio de predicción: ``calcular()`` da la respuesta; ``errores`` son (nombre, valor, diagnóstico)."""

    def constante(v):
        return lambda: np.asarray(v)

    return Ejercicio(
        id,
        titulo,
        capitulo,
        "valor",
        ecuacion,
        nombre,
        lambda: np.asarray(calcular()),
        lambda rng: [Caso("tu predicción", ())],
        tuple(ErrorTipico(n, constante(v), d) for n, v, d in errores),
        tolerancia=tolerancia,
        comparar_dtype=False,
        prohibidas=(),
    )


def firmas_prohibidas(ej: Ejercicio) -> list[tuple[str, int, str]]:
    """(archivo, primera línea, nombre) del código que la respuesta no puede ejecutar: el arnés lo vigila.

    Por omisión, las implementaciones de ``ej.ecuacion`` en ``con_numpy`` y su gemelo de ``con_torch``
    (localizado leyendo su código, sin importar PyTorch, que tarda segundos en cargarse).
    """
    if ej.prohibidas is None:
        from .. import con_numpy

        funciones = [f for f in vars(con_numpy).values() if ej.ecuacion in getattr(f, "__ecuaciones__", ())]
    else:
        funciones = list(ej.prohibidas)
    firmas = []
    for f in funciones:
        codigo = getattr(f, "__code__", None)
        if codigo is not None:
            firmas.append((codigo.co_filename, codigo.co_firstlineno, f"{f.__module__}.{f.__qualname__}"))
            firmas += _gemelo_torch(codigo.co_filename, f.__name__, f.__module__)
    return firmas


@functools.cache
def _gemelo_torch(archivo: str, nombre: str, modulo: str) -> tuple[tuple[str, int, str], ...]:
    """La firma de la función homónima de ``con_torch`` (mismo módulo, mismo nombre), si existe."""
    ruta = Path(archivo)
    if ruta.parent.name != "con_numpy":
        return ()
    gemelo = ruta.parent.parent / "con_torch" / ruta.name
    try:
        arbol = ast.parse(gemelo.read_text(encoding="utf-8"))
    except (OSError, SyntaxError):
        return ()
    for nodo in arbol.body:
        if isinstance(nodo, ast.FunctionDef) and nodo.name == nombre:
            linea = min([d.lineno for d in nodo.decorator_list] + [nodo.lineno])
            return ((str(gemelo), linea, f"{modulo.replace('con_numpy', 'con_torch')}.{nombre}"),)
    return ()
