"""``comprobar``: ejecuta la respuesta del lector en casos nuevos y la compara con la referencia.

La comparación (:func:`evaluar`) es la misma en el cuaderno y en el calificador por lotes: recibe
los casos y las salidas de la respuesta (o el ``Fallo`` de cada llamada) y calcula aquí, con la
referencia del registro, lo esperado. Nunca lanza por culpa de la respuesta.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

from . import progreso
from .arnes import Fallo, Opaco, ejecutar_casos, llamar
from .ejercicios import EJERCICIOS
from .tipos import Caso, Ejercicio, firmas_prohibidas

__all__ = ["Resultado", "comprobar", "evaluar", "resultado_fallido", "LIMITE_CASO_S", "LIMITE_TOTAL_S"]

LIMITE_CASO_S = 5.0  # segundos por caso
LIMITE_TOTAL_S = 20.0  # segundos por comprobación
_TOL = {np.dtype(np.float32): (1e-4, 1e-5), np.dtype(np.float16): (1e-2, 1e-3)}
_TOL_FLOAT64 = (1e-7, 1e-9)


@dataclass(frozen=True)
class Resultado:
    """Lo que responde el comprobador: estado, puntos, el mensaje completo y un resumen de una línea."""

    ejercicio: str
    estado: str  # "correcto", "incorrecto" o "sin completar"
    puntos: int
    maximo: int
    mensaje: str
    resumen: str
    diagnostico: str | None = None

    @property
    def correcto(self) -> bool:
        return self.estado == "correcto"

    def __bool__(self) -> bool:
        return self.correcto

    def __repr__(self) -> str:
        return self.mensaje


def _resultado(ej: Ejercicio, estado: str, cuerpo: str, resumen: str, diagnostico=None) -> Resultado:
    icono = {"correcto": "✅", "sin completar": "⏳"}.get(estado, "❌")
    puntos = ej.puntos if estado == "correcto" else 0
    mensaje = f"{icono} {ej.titulo}: {cuerpo}\n   Puntuación: {puntos}/{ej.puntos}."
    return Resultado(ej.id, estado, puntos, ej.puntos, mensaje, resumen, diagnostico)


def resultado_fallido(ej: Ejercicio, cuerpo: str, resumen: str, estado: str = "incorrecto") -> Resultado:
    """Un resultado sin puntos por un motivo ajeno a los casos (no se encontró la función, el núcleo murió…)."""
    return _resultado(ej, estado, cuerpo, resumen)


def _a_arreglo(x):
    """``(arreglo, None)`` o ``(None, descripción de por qué no es un arreglo numérico)``."""
    if isinstance(x, Fallo):
        if x.tipo == "tiempo":
            return None, f"tu función {x.mensaje} (¿un bucle infinito?)"
        return None, f"tu función lanzó {x.tipo}: {x.mensaje}"
    if isinstance(x, Opaco):
        return None, x.descripcion
    if x is None:
        return None, "None (¿te falta un return?)"
    if hasattr(x, "detach") and hasattr(x, "numpy"):
        x = x.detach().cpu().numpy()
    if not isinstance(x, (np.ndarray, np.generic, list, tuple, int, float, bool)):
        return None, f"un objeto de tipo {type(x).__name__}"
    try:
        a = np.asarray(x)
    except Exception:
        return None, f"un objeto de tipo {type(x).__name__} que no se puede convertir en arreglo"
    if a.dtype.kind not in "biuf":
        return None, f"un {type(x).__name__} con datos de tipo {a.dtype}, no numéricos"
    return a, None


def _forma(a: np.ndarray) -> str:
    return f"forma {a.shape}, dtype {a.dtype}"


@np.errstate(all="ignore")
def _diferencia_valores(e: np.ndarray, r: np.ndarray, tol) -> str | None:
    if e.dtype.kind in "biu":
        distintos = r != e
        if not distintos.any():
            return None
        i = tuple(int(k) for k in np.argwhere(distintos)[0])
        return (
            f"{int(distintos.sum())} de {e.size} posiciones son distintas "
            f"(la primera, {i}: esperado {e[i].item()}, recibido {r[i].item()})"
        )
    e64, r64 = e.astype(np.float64), r.astype(np.float64)
    malos = ~np.isfinite(r64) & np.isfinite(e64)
    if malos.any():
        return f"con NaN o infinitos en {int(malos.sum())} de {e.size} posiciones (lo esperado es finito)"
    if np.allclose(r64, e64, rtol=tol[0], atol=tol[1], equal_nan=True):
        return None
    iguales = (r64 == e64) | (np.isnan(e64) & np.isnan(r64))  # también -inf donde se esperaba -inf
    error = np.where(iguales, 0.0, np.abs(r64 - e64))
    error = np.where(np.isnan(error), np.inf, error)
    if e.ndim == 0:
        return f"los valores difieren (esperado {float(e64):.6g}, recibido {float(r64):.6g})"
    i = tuple(int(k) for k in np.unravel_index(int(np.argmax(error)), e.shape))
    return (
        f"los valores difieren: el mayor error absoluto es {error[i]:.3g}, en la posición {i} "
        f"(esperado {e64[i]:.6g}, recibido {r64[i]:.6g})"
    )


def _dtype_entrada(caso: Caso):
    """El dtype flotante común de los arreglos del caso (el que debería conservar la salida), o None."""
    flotantes = [a.dtype for a in caso.args if isinstance(a, np.ndarray) and a.dtype.kind == "f"]
    return np.result_type(*flotantes) if flotantes else None


def _dtype_aceptable(e: np.ndarray, r: np.ndarray, dtype_entrada) -> bool:
    """Flotantes: el dtype de la referencia o el de la entrada; enteros: cualquier entero; booleanos: bool."""
    if e.dtype.kind == "f":
        return r.dtype in (e.dtype, dtype_entrada)
    if e.dtype.kind == "b":
        return r.dtype.kind == "b"
    return r.dtype.kind in "iu"


def _diferencia(esperado, recibido, ej: Ejercicio, dtype_entrada=None):
    """None si coinciden; si no, ``(lo esperado, lo recibido)`` descritos en palabras."""
    if isinstance(esperado, tuple):
        k = len(esperado)
        if not isinstance(recibido, (tuple, list)) or len(recibido) != k:
            _, por_que = _a_arreglo(recibido)
            descripcion = por_que or f"un valor de tipo {type(recibido).__name__}"
            if isinstance(recibido, (tuple, list)):
                descripcion = f"una secuencia de {len(recibido)} elementos"
            return f"una tupla de {k} arreglos", descripcion
        for n, (e, r) in enumerate(zip(esperado, recibido), start=1):
            d = _diferencia(e, r, ej, dtype_entrada)
            if d:
                return f"salida {n} de {k}: {d[0]}", f"salida {n} de {k}: {d[1]}"
        return None
    e = np.asarray(esperado)
    r, por_que = _a_arreglo(recibido)
    if r is None:
        return _forma(e), por_que
    if r.shape != e.shape:
        return _forma(e), _forma(r)
    if ej.comparar_dtype and not _dtype_aceptable(e, r, dtype_entrada):
        debe = {"b": "bool", "i": "entero", "u": "entero"}.get(e.dtype.kind, f"{dtype_entrada or e.dtype}")
        como = ", como la entrada" if e.dtype.kind == "f" and dtype_entrada is not None else ""
        return _forma(e), f"{_forma(r)} (el dtype debe ser {debe}{como})"
    flotantes = [d for d in (e.dtype, r.dtype, dtype_entrada) if d is not None and d.kind == "f"]
    menos_preciso = min(flotantes, key=lambda d: d.itemsize, default=e.dtype)
    tol = ej.tolerancia or _TOL.get(menos_preciso, _TOL_FLOAT64)
    problema = _diferencia_valores(e, r, tol)
    if problema is None:
        return None
    if ej.tolerancia:
        return f"{_forma(e)} (tolerancia relativa del {tol[0] * 100:g} %)", f"{_forma(r)}, {problema}"
    return _forma(e), f"{_forma(r)}, {problema}"


@np.errstate(all="ignore")
def _coincide(variante, recibido, tol) -> bool:
    """¿La respuesta hace lo mismo que la variante equivocada? (comparación indulgente con el dtype)."""
    if isinstance(variante, Fallo) or isinstance(recibido, Fallo):
        return isinstance(variante, Fallo) and isinstance(recibido, Fallo) and variante.tipo == recibido.tipo
    if isinstance(variante, tuple):
        return (
            isinstance(recibido, (tuple, list))
            and len(recibido) == len(variante)
            and all(_coincide(v, r, tol) for v, r in zip(variante, recibido))
        )
    a, _ = _a_arreglo(variante)
    b, _ = _a_arreglo(recibido)
    if a is None or b is None or a.shape != b.shape:
        return False
    return bool(np.allclose(a.astype(np.float64), b.astype(np.float64), rtol=tol[0], atol=tol[1], equal_nan=True))


def _diagnostico(ej: Ejercicio, casos: list[Caso], salidas: list):
    """El primer error típico que reproduce la respuesta en TODOS los casos, o None."""
    tol = ej.tolerancia or (1e-4, 1e-6)
    for error in ej.errores:
        if all(_coincide(llamar(error.funcion, c.args, None), s, tol) for c, s in zip(casos, salidas)):
            return error
    return None


def _vacia(x) -> bool:
    return x is None or x is Ellipsis or (isinstance(x, Fallo) and x.tipo == "NotImplementedError")


def evaluar(ej: Ejercicio, casos: list[Caso], salidas: list, usadas=()) -> Resultado:
    """Compara las ``salidas`` de la respuesta con la referencia en cada caso y diagnostica el error."""
    if all(_vacia(s) for s in salidas):
        motivo = f"la variable `{ej.nombre}` vale None" if ej.tipo == "valor" else "tu función devuelve None"
        if any(isinstance(s, Fallo) for s in salidas):
            motivo = "tu función lanza NotImplementedError"
        return _resultado(ej, "sin completar", f"sin completar ({motivo}).", "sin completar")
    if usadas:
        nombres = ", ".join(usadas)
        cuerpo = f"usas la implementación de referencia del paquete ({nombres}); escribe la tuya."
        return _resultado(ej, "incorrecto", cuerpo, f"incorrecto: usa la implementación de referencia ({nombres})")
    for n, (caso, recibido) in enumerate(zip(casos, salidas), start=1):
        esperado = llamar(ej.referencia, caso.args, None)
        if isinstance(esperado, Fallo):
            raise RuntimeError(f"La referencia de '{ej.id}' falló en el caso {n}: {esperado}")
        d = _diferencia(esperado, recibido, ej, _dtype_entrada(caso))
        if d is None:
            continue
        error = _diagnostico(ej, casos, salidas)
        extra = f"\n   Diagnóstico ({error.nombre}): {error.diagnostico}" if error else ""
        resumen_diag = f"; diagnóstico: {error.nombre}" if error else ""
        if ej.tipo == "valor":
            cuerpo = f"tu predicción no es correcta (recibido: {_mostrar_valor(recibido, d[1])}).{extra}"
            motivo = "predicción equivocada" if _a_arreglo(recibido)[0] is not None else d[1]
            return _resultado(ej, "incorrecto", cuerpo, f"incorrecto: {motivo}{resumen_diag}", error and error.nombre)
        cuerpo = (
            f"falla el caso {n} de {len(casos)} ({caso.descripcion}).\n"
            f"   Esperado: {d[0]}.\n   Recibido: {d[1]}.{extra}"
        )
        detalle = resumen_diag or f": {d[1] if len(d[1]) <= 120 else d[1][:119] + '…'}"
        resumen = f"incorrecto: caso {n} de {len(casos)} ({caso.descripcion}){detalle}"
        return _resultado(ej, "incorrecto", cuerpo, resumen, error and error.nombre)
    cuerpo = "correcto." if ej.tipo == "valor" else f"correcto en los {len(casos)} casos."
    return _resultado(ej, "correcto", cuerpo, "correcto")


def _mostrar_valor(x, descripcion: str) -> str:
    """La predicción del lector, legible: ``(2, 8, 12, 10)``, ``0.5``…"""
    a, _ = _a_arreglo(x)
    if a is None or a.ndim > 1 or a.size > 20:
        return descripcion
    numeros = [f"{v:.6g}" if isinstance(v, float) else str(v) for v in np.atleast_1d(a).tolist()]
    return numeros[0] if a.ndim == 0 else "(" + ", ".join(numeros) + ")"


def comprobar(ejercicio: str, respuesta, semilla: int | None = None, limite_s: float = LIMITE_CASO_S) -> Resultado:
    """Comprueba la respuesta del lector (una función, o un valor si el ejercicio es de predicción).

    Nunca lanza por culpa de la respuesta: sus excepciones, tipos erróneos, NaN, salidas enormes o
    bucles infinitos (más de ``limite_s`` segundos por caso) se explican en el mensaje. ``semilla``
    fija los casos (por omisión cambian en cada llamada). Los aciertos se anotan en tu progreso.
    """
    if ejercicio not in EJERCICIOS:
        disponibles = ", ".join(sorted(EJERCICIOS))
        raise KeyError(f"No existe el ejercicio '{ejercicio}'. Disponibles: {disponibles}.")
    ej = EJERCICIOS[ejercicio]
    if os.environ.get("TRANSFORMADORES_CALIFICANDO"):
        return _resultado(ej, "sin completar", "la comprobación se hace al calificar.", "sin comprobar")
    casos = ej.casos(np.random.default_rng(semilla))
    if ej.tipo == "valor":
        resultado = evaluar(ej, casos, [respuesta])
    elif callable(respuesta):
        salidas, usadas = ejecutar_casos(
            respuesta, [c.args for c in casos], firmas_prohibidas(ej), limite_s, LIMITE_TOTAL_S
        )
        resultado = evaluar(ej, casos, salidas, usadas)
    elif _vacia(respuesta):
        resultado = evaluar(ej, casos, [None])
    else:
        cuerpo = f"se esperaba una función, pero se recibió {type(respuesta).__name__}."
        resultado = _resultado(ej, "incorrecto", cuerpo, "incorrecto: no es una función")
    progreso.registrar(resultado)
    return resultado
