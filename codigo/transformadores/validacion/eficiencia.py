"""Comprobaciones del coste de la atención y de sus variantes eficientes (capítulo 14)."""

from __future__ import annotations

from ..errores import ErrorDeForma, Formas, comprobar_flotante
from .atencion import validar_atencion, validar_eje, validar_longitud

__all__ = [
    "validar_enteros_positivos",
    "validar_bytes",
    "validar_interruptor",
    "validar_puntuaciones_en_linea",
    "validar_teselas",
    "validar_autoatencion",
]


def validar_enteros_positivos(**valores) -> None:
    """Cada argumento (por nombre) debe ser un entero positivo; ``None`` se admite (valor por omisión)."""
    for nombre, n in valores.items():
        if n is not None:
            validar_longitud(nombre, n)


def validar_bytes(dtype, tamano) -> int:
    """``tamano`` es el número de bytes por elemento deducido de ``dtype`` (o None si no se pudo)."""
    if tamano is None or isinstance(tamano, bool) or not isinstance(tamano, int) or tamano < 1:
        raise ErrorDeForma(
            f"'dtype' debe ser un tipo de coma flotante (p. ej. 'float16', 'float32') o un número positivo "
            f"de bytes por elemento, pero se recibió {dtype!r}."
        )
    return tamano


def validar_interruptor(nombre: str, x) -> None:
    """Un interruptor debe ser ``True`` o ``False``."""
    if not isinstance(x, bool):
        raise TypeError(f"'{nombre}' debe ser True o False, pero se recibió {x!r}.")


def validar_puntuaciones_en_linea(z, eje) -> None:
    """Puntuaciones flotantes sin NaN ni +inf (se admite -inf: posiciones enmascaradas)."""
    comprobar_flotante("z", z)
    validar_eje("z", z, eje)
    if bool((z != z).any()) or bool((z == float("inf")).any()):
        raise ErrorDeForma("'z' contiene NaN o +inf; solo se admite -inf (posiciones enmascaradas).")


def validar_autoatencion(Q, K, V, escala=None) -> Formas:
    """Como :func:`validar_atencion`, y además ``S = T`` (autoatención: cada posición es consulta y clave)."""
    f = validar_atencion(Q, K, V, None, escala)
    if f["S"] != f["T"]:
        raise ErrorDeForma(
            f"'K' debe tener forma (..., T, d_k) con T={f['T']} (tomado de 'Q'): esta atención es de "
            f"autoatención, pero se recibió {tuple(K.shape)}."
        )
    return f


def validar_teselas(Q, K, V, B_r, B_c, causal, escala) -> Formas:
    """Argumentos de ``atencion_por_teselas`` (ec. `flashattention-teselas`)."""
    f = validar_atencion(Q, K, V, None, escala)
    validar_enteros_positivos(B_r=B_r, B_c=B_c)
    validar_interruptor("causal", causal)
    return f
