"""Comprobaciones de la atención clásica de Bahdanau y de Luong (capítulo 2)."""

from __future__ import annotations

import numpy as np

from ..errores import ErrorDeForma, Formas, comprobar_booleana
from .atencion import validar_pesos

__all__ = [
    "validar_energia_aditiva",
    "validar_mascara_difundible",
    "validar_pesos_alineamiento",
    "validar_contexto_bahdanau",
    "validar_paso_bahdanau",
    "validar_luong",
    "validar_atencion_global_luong",
    "PUNTUACIONES_LUONG",
]

PUNTUACIONES_LUONG = ("dot", "general", "concat")


def validar_energia_aditiva(s, H, W_a, U_a, v_a, f: Formas | None = None, nombre_s="s") -> Formas:
    """s (..., T_y, d_s), H (..., T_x, d_h), W_a (d_a, d_s), U_a (d_a, d_h), v_a (d_a,)."""
    return validar_pesos(
        Formas() if f is None else f,
        (nombre_s, s, "... T_y d_s"), ("H", H, "... T_x d_h"),
        ("W_a", W_a, "d_a d_s"), ("U_a", U_a, "d_a d_h"), ("v_a", v_a, "d_a"),
    )  # fmt: skip


def validar_mascara_difundible(nombre: str, mascara, forma: tuple[int, ...], destino: str) -> None:
    """Máscara booleana (True = puede atender) difundible a ``forma``, descrita en el mensaje por ``destino``."""
    comprobar_booleana(nombre, mascara)
    recibida = tuple(mascara.shape)
    a, b = recibida[::-1], tuple(forma)[::-1]
    if len(recibida) > len(forma) or any(x != y and x != 1 for x, y in zip(a, b)):
        raise ErrorDeForma(f"'{nombre}' debe poder difundirse a {destino}, pero se recibió {recibida}.")


def validar_pesos_alineamiento(e, mascara=None) -> Formas:
    """e (..., T_x) flotante, sin NaN ni +inf; máscara booleana difundible a la forma de ``e``."""
    f = validar_pesos(Formas(), ("e", e, "... T_x"))
    if bool((e != e).any()) or bool((e == float("inf")).any()):
        raise ErrorDeForma("'e' contiene NaN o +inf; enmascara con 'mascara' en lugar de usar infinitos.")
    if mascara is not None:
        validar_mascara_difundible("mascara", mascara, tuple(e.shape), f"la forma de 'e' {tuple(e.shape)}")
    return f


def validar_contexto_bahdanau(alfa, H) -> Formas:
    """alfa (..., T_y, T_x) y H (..., T_x, d_h)."""
    return validar_pesos(Formas(), ("alfa", alfa, "... T_y T_x"), ("H", H, "... T_x d_h"))


def validar_paso_bahdanau(s_previo, y_previo, H, W_a, U_a, v_a, W_ih, W_hh, b, W_o, b_o, mascara=None) -> Formas:
    """Argumentos de un paso del decodificador de Bahdanau (ec. `bahdanau-contexto`)."""
    f = validar_pesos(Formas(), ("s_previo", s_previo, "... d_s"), ("y_previo", y_previo, "... d_y"))
    validar_energia_aditiva(s_previo[..., None, :], H, W_a, U_a, v_a, f, nombre_s="s_previo")
    f.fijar("d_y+d_h", f["d_y"] + f["d_h"], "y_previo y H")
    f.fijar("d_s+d_y+d_h", f["d_s"] + f["d_y+d_h"], "s_previo, y_previo y H")
    validar_pesos(
        f, ("W_ih", W_ih, "d_s d_y+d_h"), ("W_hh", W_hh, "d_s d_s"), ("b", b, "d_s"),
        ("W_o", W_o, "N_V d_s+d_y+d_h"), ("b_o", b_o, "N_V"),
    )  # fmt: skip
    if mascara is not None:
        forma = tuple(H.shape[:-1])
        validar_mascara_difundible("mascara", mascara, forma, f"(..., T_x) = {forma}, tomado de 'H'")
    return f


def validar_luong(h_t, h_s, iguales: bool = False) -> Formas:
    """h_t (..., T, d_t) y h_s (..., S, d_s); con ``iguales``, d_t = d_s (puntuación «dot»)."""
    d = ("d", "d") if iguales else ("d_t", "d_s")
    return validar_pesos(Formas(), ("h_t", h_t, f"... T {d[0]}"), ("h_s", h_s, f"... S {d[1]}"))


def validar_atencion_global_luong(h_t, h_s, W_c, W_s, puntuacion, W_a, v_a, mascara) -> Formas:
    """Argumentos de ``atencion_global_luong`` (ec. `luong-atencion-global`)."""
    if puntuacion not in PUNTUACIONES_LUONG:
        raise ErrorDeForma(f"'puntuacion' debe ser una de {PUNTUACIONES_LUONG}, pero se recibió {puntuacion!r}.")
    f = validar_luong(h_t, h_s)
    if puntuacion == "dot" and f["d_t"] != f["d_s"]:
        raise ErrorDeForma(
            f"Con puntuacion='dot', 'h_t' y 'h_s' deben tener la misma última dimensión, pero se recibió "
            f"d_t={f['d_t']} y d_s={f['d_s']}; usa 'general' o 'concat'."
        )
    for nombre, x, falta in (("W_a", W_a, puntuacion != "dot"), ("v_a", v_a, puntuacion == "concat")):
        if falta and x is None:
            raise ErrorDeForma(f"Con puntuacion={puntuacion!r} hace falta '{nombre}', pero se recibió None.")
    f.fijar("d_s+d_t", f["d_s"] + f["d_t"], "h_s y h_t")
    validar_pesos(f, ("W_c", W_c, "d_c d_s+d_t"), ("W_s", W_s, "N_V d_c"))
    if mascara is not None:
        forma = np.broadcast_shapes(tuple(h_t.shape[:-2]), tuple(h_s.shape[:-2])) + (f["T"], f["S"])
        destino = f"(..., T, S) = {forma}, con T tomado de 'h_t' y S de 'h_s'"
        validar_mascara_difundible("mascara", mascara, forma, destino)
    return f
