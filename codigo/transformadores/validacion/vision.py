"""Comprobaciones de la visión: ViT y Swin (capítulo 10), compartidas por los dos gemelos."""

from __future__ import annotations

import math
from collections.abc import Mapping

from ..errores import ErrorDeForma, Formas, comprobar_finito, comprobar_flotante
from .atencion import validar_longitud, validar_pesos

__all__ = [
    "validar_divisible",
    "validar_imagen",
    "validar_incrustacion_parches",
    "validar_clasificacion",
    "validar_mapa",
    "validar_atencion_ventanas",
    "validar_fusion_parches",
    "validar_ventanas",
    "validar_desplazamiento",
    "validar_positivo",
    "validar_bloque_vit",
    "validar_bloque_swin",
    "validar_normas",
    "validar_pesos_bloque_swin",
    "CLAVES_BLOQUE_SWIN",
]

CLAVES_BLOQUE_SWIN = (
    "gamma_1", "beta_1", "W_qkv", "b_qkv", "W_o", "b_o", "tabla_sesgo", "gamma_2", "beta_2", "W_1", "b_1", "W_2", "b_2",
)  # fmt: skip


def validar_divisible(nombre: str, n: int, divisor: int, simbolo: str | None, origen: str, forma) -> None:
    """La dimensión ``nombre`` (valor ``n``) del argumento ``origen`` debe ser múltiplo de ``divisor``."""
    if n % divisor:
        cual = f"{simbolo}={divisor}" if simbolo else str(divisor)
        raise ErrorDeForma(
            f"'{origen}' debe tener {nombre} múltiplo de {cual}, "
            f"pero se recibió la forma {tuple(forma)} ({nombre}={n})."
        )


def validar_imagen(x, P) -> Formas:
    """Imagen ``x`` (..., C, H, W) de coma flotante, con H y W múltiplos del tamaño de parche ``P``."""
    validar_longitud("P", P)
    comprobar_flotante("x", x)
    f = Formas()
    f.comprobar("x", x, "... C H W")
    comprobar_finito("x", x)
    validar_divisible("H", f["H"], P, "P", "x", x.shape)
    validar_divisible("W", f["W"], P, "P", "x", x.shape)
    f.fijar("N", (f["H"] // P) * (f["W"] // P), "x")
    f.fijar("C·P·P", f["C"] * P * P, "x")
    return f


def validar_incrustacion_parches(x, P, E, b_E, x_clase, E_pos) -> Formas:
    """Argumentos de la incrustación de parches de ViT (ec. `vit-incrustacion-parches-cls`)."""
    f = validar_imagen(x, P)
    f.fijar("N+1", f["N"] + 1, "x")
    return validar_pesos(
        f, ("E", E, "D C·P·P"), ("b_E", b_E, "D"), ("x_clase", x_clase, "D"), ("E_pos", E_pos, "N+1 D")
    )


def validar_clasificacion(z_L, gamma, beta, W_cabeza, b_cabeza) -> Formas:
    """Argumentos de la cabeza de clasificación de ViT (ec. `vit-salida-clasificacion`)."""
    return validar_pesos(
        Formas(),
        ("z_L", z_L, "... N+1 D"), ("gamma", gamma, "D"), ("beta", beta, "D"),
        ("W_cabeza", W_cabeza, "n_clases D"), ("b_cabeza", b_cabeza, "n_clases"),
    )  # fmt: skip


def validar_mapa(x, M, simbolo: str | None = "M", flotante: bool = True, nombre: str = "x") -> Formas:
    """Mapa de parches ``nombre`` (..., H, W, C) con H y W múltiplos de ``M`` (el tamaño de ventana)."""
    validar_longitud(simbolo or "M", M)
    if flotante:
        comprobar_flotante(nombre, x)
    f = Formas()
    f.comprobar(nombre, x, "... H W C")
    validar_divisible("H", f["H"], M, simbolo, nombre, x.shape)
    validar_divisible("W", f["W"], M, simbolo, nombre, x.shape)
    return f


def _validar_desplazamiento(desplazamiento, M) -> None:
    if isinstance(desplazamiento, bool) or not isinstance(desplazamiento, int) or not 0 <= desplazamiento < M:
        raise ErrorDeForma(
            f"'desplazamiento' debe ser un entero entre 0 y M-1={M - 1}, pero se recibió {desplazamiento!r}."
        )


def validar_desplazamiento(H, W, M, desplazamiento) -> None:
    """Mapa H×W con H y W múltiplos de ``M`` y ``0 ≤ desplazamiento < M`` (SW-MSA)."""
    for nombre, n in (("H", H), ("W", W), ("M", M)):
        validar_longitud(nombre, n)
    for nombre, n in (("H", H), ("W", W)):
        if n % M:
            raise ErrorDeForma(f"'{nombre}' debe ser múltiplo de M={M}, pero se recibió {nombre}={n}.")
    _validar_desplazamiento(desplazamiento, M)


def validar_ventanas(ventanas, H, W) -> int:
    """``ventanas`` (..., n_v, M², C), de cualquier tipo, debe recomponer un mapa H×W; devuelve ``M``."""
    validar_longitud("H", H)
    validar_longitud("W", W)
    f = Formas()
    f.comprobar("ventanas", ventanas, "... n_v M² C")
    M = math.isqrt(f["M²"])
    if M * M != f["M²"] or H % M or W % M or f["n_v"] != (H // M) * (W // M):
        raise ErrorDeForma(
            f"'ventanas' debe tener forma (..., n_v, M², C) con M² un cuadrado perfecto, H={H} y W={W} "
            f"múltiplos de M y n_v=(H/M)·(W/M), pero se recibió {tuple(ventanas.shape)}."
        )
    return M


def validar_positivo(nombre: str, valor) -> float:
    """Un número real positivo (p. ej. el ``eps`` de la normalización)."""
    if isinstance(valor, bool) or not isinstance(valor, (int, float)) or not valor > 0:
        raise ErrorDeForma(f"'{nombre}' debe ser un número positivo, pero se recibió {valor!r}.")
    return float(valor)


def validar_atencion_ventanas(x, W_qkv, b_qkv, W_o, b_o, tabla_sesgo, n_cabezas, M, desplazamiento) -> Formas:
    """Argumentos de la atención en ventanas de Swin (ec. `swin-atencion-ventana`)."""
    f = validar_mapa(x, M)
    validar_longitud("n_cabezas", n_cabezas)
    validar_divisible("C", f["C"], n_cabezas, "n_cabezas", "x", x.shape)
    _validar_desplazamiento(desplazamiento, M)
    f.fijar("3·C", 3 * f["C"], "x")
    f.fijar("n_cabezas", n_cabezas, "n_cabezas")
    f.fijar("(2M-1)²", (2 * M - 1) ** 2, "M")
    return validar_pesos(
        f,
        ("W_qkv", W_qkv, "3·C C"), ("b_qkv", b_qkv, "3·C"), ("W_o", W_o, "C C"), ("b_o", b_o, "C"),
        ("tabla_sesgo", tabla_sesgo, "(2M-1)² n_cabezas"),
    )  # fmt: skip


def validar_fusion_parches(x, gamma, beta, W_red) -> Formas:
    """Argumentos de la fusión de parches de Swin (ec. `swin-fusion-parches`): H y W pares."""
    f = validar_mapa(x, 2, simbolo=None)
    f.fijar("4·C", 4 * f["C"], "x")
    f.fijar("2·C", 2 * f["C"], "x")
    return validar_pesos(f, ("gamma", gamma, "4·C"), ("beta", beta, "4·C"), ("W_red", W_red, "2·C 4·C"))


def validar_normas(f: Formas, simbolo: str, gamma_1, beta_1, gamma_2, beta_2) -> Formas:
    """Los parámetros de las dos LN de un bloque, de forma (simbolo,)."""
    return validar_pesos(
        f, ("gamma_1", gamma_1, simbolo), ("beta_1", beta_1, simbolo), ("gamma_2", gamma_2, simbolo),
        ("beta_2", beta_2, simbolo),
    )  # fmt: skip


def validar_bloque_vit(z, gamma_1, beta_1, W_qkv, b_qkv, gamma_2, beta_2, n_cabezas) -> Formas:
    """Normas y proyección conjunta ``W_qkv`` (3·D, D) del bloque de ViT (ec. `vit-bloque-codificador`).

    El resto de pesos lo comprueban las funciones a las que se llama (multicabeza, red posicional).
    """
    validar_longitud("n_cabezas", n_cabezas)
    f = validar_pesos(Formas(), ("z", z, "... T D"))
    validar_divisible("D", f["D"], n_cabezas, "n_cabezas", "z", z.shape)
    f.fijar("3·D", 3 * f["D"], "z")
    validar_normas(f, "D", gamma_1, beta_1, gamma_2, beta_2)
    return validar_pesos(f, ("W_qkv", W_qkv, "3·D D"), ("b_qkv", b_qkv, "3·D"))


def validar_bloque_swin(z, gamma_1, beta_1, gamma_2, beta_2, M) -> Formas:
    """Mapa ``z`` (..., H, W, C) y normas (C,) de un bloque de Swin; la atención comprueba el resto."""
    f = validar_mapa(z, M, nombre="z")
    return validar_normas(f, "C", gamma_1, beta_1, gamma_2, beta_2)


def validar_pesos_bloque_swin(nombre: str, pesos) -> None:
    """``pesos`` debe ser un diccionario con exactamente las claves de ``bloque_swin``."""
    if not isinstance(pesos, Mapping):
        raise TypeError(f"'{nombre}' debe ser un diccionario nombre → pesos, pero se recibió {type(pesos).__name__}.")
    faltan = [c for c in CLAVES_BLOQUE_SWIN if c not in pesos]
    sobran = [c for c in pesos if c not in CLAVES_BLOQUE_SWIN]
    if faltan or sobran:
        raise ErrorDeForma(
            f"'{nombre}' debe tener exactamente las claves {', '.join(CLAVES_BLOQUE_SWIN)}, "
            f"pero faltan {faltan} y sobran {sobran}."
        )
