"""Comprobaciones de la atención en la convención de columnas de Phuong & Hutter (capítulo 3)."""

from __future__ import annotations

from ..errores import ErrorDeForma, Formas, comprobar_booleana
from .atencion import validar_pesos

__all__ = ["validar_atencion_columnas", "FORMAS_ATENCION"]

FORMAS_ATENCION = ("columnas", "filas")


def validar_atencion_columnas(X, Z, W_q, b_q, W_k, b_k, W_v, b_v, mascara=None, forma="columnas") -> Formas:
    """Argumentos del Algoritmo 4 de P&H (ec. `atencion-matricial-columnas`): un token por columna."""
    if forma not in FORMAS_ATENCION:
        raise ErrorDeForma(f"'forma' debe ser una de {FORMAS_ATENCION}, pero se recibió {forma!r}.")
    f = validar_pesos(
        Formas(),
        ("X", X, "... d_x l_x"), ("Z", Z, "... d_z l_z"),
        ("W_q", W_q, "d_attn d_x"), ("b_q", b_q, "d_attn"), ("W_k", W_k, "d_attn d_z"), ("b_k", b_k, "d_attn"),
        ("W_v", W_v, "d_out d_z"), ("b_v", b_v, "d_out"),
    )  # fmt: skip
    if mascara is not None:
        comprobar_booleana("mascara", mascara)
        recibida = tuple(mascara.shape)
        if len(recibida) < 2 or recibida[-2] not in (1, f["l_z"]) or recibida[-1] not in (1, f["l_x"]):
            raise ErrorDeForma(
                f"'mascara' debe poder difundirse a (..., l_z, l_x) con l_z={f['l_z']} (tomado de 'Z') y "
                f"l_x={f['l_x']} (tomado de 'X'), pero se recibió {recibida}."
            )
        f._comprobar_lote("mascara", recibida[:-2])
    return f
