"""Comprobaciones del aprendizaje multimodal (capítulo 12), comunes a los dos gemelos."""

from __future__ import annotations

import math

from ..errores import ErrorDeForma, Formas, comprobar_booleana, comprobar_flotante
from .atencion import validar_pesos

__all__ = [
    "validar_escalar",
    "validar_clip_incrustaciones",
    "validar_clip_logits",
    "validar_logits_cuadrados",
    "validar_infonce",
    "validar_fusion_compuerta",
]


def validar_escalar(nombre: str, x, positivo: bool = False) -> float:
    """Un número real finito (de Python, o un arreglo/tensor de un solo elemento); devuelve su valor."""
    forma = tuple(getattr(x, "shape", ()))
    x = x.detach() if hasattr(x, "detach") else x  # un nn.Parameter: solo leemos su valor
    try:
        valor = float(x) if math.prod(forma) == 1 and not isinstance(x, bool) else None
    except (TypeError, ValueError):
        valor = None
    if valor is None or not math.isfinite(valor) or (positivo and valor <= 0):
        que = "positivo" if positivo else "real y finito"
        raise ErrorDeForma(f"'{nombre}' debe ser un número {que}, pero se recibió {x!r}.")
    return valor


def validar_clip_incrustaciones(I_f, T_f, W_i, W_t) -> Formas:
    """Rasgos de imagen (..., n, d_i) y de texto (..., m, d_t); proyecciones (d_e, d_i) y (d_e, d_t)."""
    return validar_pesos(
        Formas(),
        ("I_f", I_f, "... n d_i"), ("T_f", T_f, "... m d_t"), ("W_i", W_i, "d_e d_i"), ("W_t", W_t, "d_e d_t"),
    )  # fmt: skip


def validar_clip_logits(I_e, T_e, t, escala_maxima, nombre_T="T_e", forma_T="... m d_e") -> Formas:
    """Incrustaciones de imagen (..., n, d_e) y de texto (..., m, d_e), ``t`` real y ``escala_maxima`` > 0."""
    f = validar_pesos(Formas(), ("I_e", I_e, "... n d_e"), (nombre_T, T_e, forma_T))
    validar_escalar("t", t)
    validar_escalar("escala_maxima", escala_maxima, positivo=True)
    return f


def validar_logits_cuadrados(logits) -> Formas:
    """Matriz de logits (n, n): la diagonal son los pares positivos."""
    comprobar_flotante("logits", logits)
    forma = tuple(logits.shape)
    if len(forma) != 2 or forma[0] != forma[1]:
        raise ErrorDeForma(
            f"'logits' debe ser una matriz cuadrada (n, n), con el par correcto en la diagonal, "
            f"pero se recibió {forma}."
        )
    f = Formas()
    f.comprobar("logits", logits, "n n")
    return f


def validar_infonce(c, X, tau) -> Formas:
    """Contexto (..., d) y candidatos (..., N, d) con el positivo en la posición 0; ``tau`` > 0."""
    f = validar_pesos(Formas(), ("c", c, "... d"), ("X", X, "... N d"))
    if f["N"] < 2:
        raise ErrorDeForma(
            f"'X' debe tener al menos N=2 candidatos (un positivo y un negativo), pero tiene N={f['N']}."
        )
    validar_escalar("tau", tau, positivo=True)
    return f


def validar_fusion_compuerta(x, v, W_q, W_k, W_v, W_o, alfa_xattn, W_1, b_1, W_2, b_2, alfa_ffw, mascara_v) -> Formas:
    """Argumentos de la capa de fusión con compuertas de Flamingo (ec. `fusion-atencion-cruzada-compuerta`)."""
    f = validar_pesos(
        Formas(),
        ("x", x, "... T d"), ("v", v, "... S d_v"),
        ("W_q", W_q, "d_k d"), ("W_k", W_k, "d_k d_v"), ("W_v", W_v, "d_h d_v"), ("W_o", W_o, "d d_h"),
        ("W_1", W_1, "d_ff d"), ("b_1", b_1, "d_ff"), ("W_2", W_2, "d d_ff"), ("b_2", b_2, "d"),
    )  # fmt: skip
    validar_escalar("alfa_xattn", alfa_xattn)
    validar_escalar("alfa_ffw", alfa_ffw)
    if mascara_v is not None:
        comprobar_booleana("mascara_v", mascara_v)
        if tuple(mascara_v.shape[-1:]) != (f["S"],):
            raise ErrorDeForma(
                f"'mascara_v' debe tener forma (..., S) con S={f['S']} (tomado de 'v'), "
                f"pero se recibió {tuple(mascara_v.shape)}."
            )
    return f
