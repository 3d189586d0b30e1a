"""``comprobar``: ejecuta la respuesta del lector en casos nuevos y la compara con la referencia."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .ejercicios import EJERCICIOS, Caso, Ejercicio

__all__ = ["Resultado", "comprobar"]


@dataclass(frozen=True)
class Resultado:
    """Lo que responde el comprobador: si es correcto, los puntos y el mensaje en español."""

    ejercicio: str
    correcto: bool
    puntos: int
    maximo: int
    mensaje: str

    def __bool__(self) -> bool:
        return self.correcto

    def __repr__(self) -> str:
        return self.mensaje


def _como_arreglo(x):
    """Convierte la salida del lector (arreglo, tensor, lista) en un arreglo de NumPy, o None si no se puede."""
    if hasattr(x, "detach"):  # tensor de PyTorch
        x = x.detach().cpu().numpy()
    try:
        return np.asarray(x)
    except Exception:
        return None


def _diferencia(esperado: np.ndarray, recibido) -> str | None:
    """None si coinciden; si no, una frase que dice en qué difieren (forma, tipo, NaN o valores)."""
    r = _como_arreglo(recibido)
    if r is None or r.dtype.kind not in "biuf":
        return f"se esperaba un arreglo numérico, pero tu función devolvió un objeto de tipo {type(recibido).__name__}"
    if r.shape != esperado.shape:
        return f"se esperaba forma {esperado.shape}, pero se recibió {r.shape}"
    if r.dtype != esperado.dtype:
        return f"se esperaba dtype {esperado.dtype}, pero se recibió {r.dtype}"
    if esperado.dtype == bool:
        distintos = int((r != esperado).sum())
        return None if distintos == 0 else f"{distintos} de {r.size} posiciones son distintas"
    if not np.isfinite(r).all() and np.isfinite(esperado).all():
        return "tu resultado contiene NaN o infinitos, y el esperado no"
    tol = {"rtol": 1e-5, "atol": 1e-6} if esperado.dtype == np.float32 else {"rtol": 1e-9, "atol": 1e-12}
    if np.allclose(r, esperado, equal_nan=True, **tol):
        return None
    error = float(np.max(np.abs(r.astype(np.float64) - esperado.astype(np.float64))))
    return f"los valores difieren: el mayor error absoluto es {error:.3g}"


def _copias(caso: Caso) -> tuple:
    return tuple(a.copy() if isinstance(a, np.ndarray) else a for a in caso.args)


def _ejecutar(funcion, caso: Caso):
    """Salida de ``funcion`` en el caso, o la excepción que lanzó (nunca se propaga)."""
    try:
        with np.errstate(all="ignore"):
            return funcion(*_copias(caso))
    except Exception as e:  # la respuesta del lector puede fallar de cualquier modo
        return e


def _diagnostico(ej: Ejercicio, casos: list[Caso], salidas: list) -> str:
    """El primer error típico que reproduce la respuesta en TODOS los casos, o cadena vacía."""
    for error in ej.errores:
        if all(
            not isinstance(s, Exception) and _diferencia(np.asarray(_ejecutar(error.funcion, c)), s) is None
            for c, s in zip(casos, salidas, strict=True)
        ):
            return f"\nDiagnóstico ({error.nombre}): {error.diagnostico}"
    return ""


def comprobar(ejercicio: str, respuesta, semilla: int | None = None) -> Resultado:
    """Comprueba la función ``respuesta`` del lector en el ``ejercicio`` con casos nuevos.

    Nunca lanza por culpa de la respuesta: sus excepciones, tipos erróneos o NaN se explican
    en el mensaje. ``semilla`` fija los casos (por omisión, cambian en cada llamada).
    """
    if ejercicio not in EJERCICIOS:
        disponibles = ", ".join(sorted(EJERCICIOS))
        raise KeyError(f"No existe el ejercicio '{ejercicio}'. Disponibles: {disponibles}.")
    ej = EJERCICIOS[ejercicio]
    if not callable(respuesta):
        return Resultado(
            ejercicio,
            False,
            0,
            1,
            f"❌ {ej.titulo}: se esperaba una función, pero se recibió {type(respuesta).__name__}.",
        )
    casos = ej.casos(np.random.default_rng(semilla))
    salidas = [_ejecutar(respuesta, c) for c in casos]
    for n, (caso, recibido) in enumerate(zip(casos, salidas, strict=True), start=1):
        inicio = f"❌ {ej.titulo}: falla el caso {n} de {len(casos)} ({caso.descripcion}): "
        if isinstance(recibido, Exception):
            return Resultado(
                ejercicio, False, 0, 1, inicio + f"tu función lanzó {type(recibido).__name__}: {recibido}."
            )
        problema = _diferencia(np.asarray(ej.referencia(*_copias(caso))), recibido)
        if problema:
            return Resultado(ejercicio, False, 0, 1, inicio + problema + "." + _diagnostico(ej, casos, salidas))
    return Resultado(
        ejercicio, True, 1, 1, f"✅ {ej.titulo}: correcto ({len(casos)} de {len(casos)} casos). 1/1 punto."
    )
