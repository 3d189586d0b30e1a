"""Comprobaciones de la normalización, la red posicional, el dropout y las subcapas (capítulo 6)."""

from __future__ import annotations

from ..errores import ErrorDeForma, Formas, comprobar_flotante
from .atencion import validar_pesos

__all__ = [
    "validar_eps",
    "validar_normalizacion",
    "validar_probabilidad",
    "validar_red_posicional",
    "validar_activacion",
    "validar_swiglu",
    "validar_subcapa",
    "validar_salida_subcapa",
    "ACTIVACIONES",
]

ACTIVACIONES = ("relu", "gelu", "gelu_tanh")


def validar_eps(eps) -> None:
    """``eps`` (el ε del denominador) debe ser un número mayor o igual que 0."""
    if isinstance(eps, bool) or not isinstance(eps, (int, float)) or not eps >= 0:
        raise ErrorDeForma(f"'eps' debe ser un número mayor o igual que 0, pero se recibió {eps!r}.")


def validar_normalizacion(x, gamma=None, beta=None, eps=1e-5, nombres=("gamma", "beta")) -> Formas:
    """x (..., d) y los parámetros afines (d,) opcionales."""
    f = validar_pesos(Formas(), ("x", x, "... d"))
    for nombre, p in zip(nombres, (gamma, beta)):
        if p is not None:
            validar_pesos(f, (nombre, p, "d"))
    validar_eps(eps)
    return f


def validar_probabilidad(p) -> None:
    """La probabilidad de dropout debe estar en [0, 1]."""
    if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0 <= p <= 1:
        raise ErrorDeForma(f"'p' debe ser una probabilidad entre 0 y 1, pero se recibió {p!r}.")


def validar_red_posicional(x, W_1, b_1, W_2, b_2, activacion) -> Formas:
    """x (..., d_modelo), W_1 (d_ff, d_modelo), W_2 (d_modelo, d_ff) y sesgos opcionales."""
    f = validar_pesos(Formas(), ("x", x, "... d_modelo"), ("W_1", W_1, "d_ff d_modelo"), ("W_2", W_2, "d_modelo d_ff"))
    for nombre, b, forma in (("b_1", b_1, "d_ff"), ("b_2", b_2, "d_modelo")):
        if b is not None:
            validar_pesos(f, (nombre, b, forma))
    validar_activacion(activacion)
    return f


def validar_activacion(activacion) -> None:
    """La activación de la red posicional: "relu", "gelu" o "gelu_tanh"."""
    if activacion not in ACTIVACIONES:
        raise ErrorDeForma(f"'activacion' debe ser una de {ACTIVACIONES}, pero se recibió {activacion!r}.")


def validar_swiglu(x, W, V, W_2) -> Formas:
    """x (..., d_modelo), W y V (d_ff, d_modelo), W_2 (d_modelo, d_ff)."""
    return validar_pesos(
        Formas(),
        ("x", x, "... d_modelo"), ("W", W, "d_ff d_modelo"), ("V", V, "d_ff d_modelo"), ("W_2", W_2, "d_modelo d_ff"),
    )  # fmt: skip


def validar_subcapa(x, subcapa) -> None:
    """x de coma flotante y ``subcapa`` invocable (una función o un ``nn.Module``)."""
    comprobar_flotante("x", x)
    if not callable(subcapa):
        raise TypeError(
            f"'subcapa' debe ser invocable (una función o un nn.Module), pero se recibió {type(subcapa).__name__}."
        )


def validar_salida_subcapa(x, y) -> None:
    """La subcapa debe conservar la forma de su entrada para poder sumarla al residuo."""
    if tuple(getattr(y, "shape", ())) != tuple(x.shape) or not hasattr(y, "shape"):
        recibida = tuple(y.shape) if hasattr(y, "shape") else type(y).__name__
        raise ErrorDeForma(
            f"'subcapa' debe devolver la forma de su entrada {tuple(x.shape)} para sumarla al residuo, "
            f"pero devolvió {recibida}."
        )
