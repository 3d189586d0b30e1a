"""Comprobaciones de la atención multicabeza (capítulo 4), compartidas por los dos gemelos.

Los pesos apilados de todas las cabezas usan símbolos compuestos: ``h·d_k`` es el número de
filas de ``W_q`` (``n_cabezas * d_k``), ``h_kv·d_k`` el de ``W_k`` cuando las claves tienen
menos cabezas (MQA/GQA).
"""

from __future__ import annotations

import numpy as np

from ..errores import ErrorDeForma, Formas, comprobar_booleana
from .atencion import validar_longitud, validar_pesos

__all__ = [
    "validar_n_cabezas",
    "validar_proyecciones",
    "validar_separar_cabezas",
    "validar_multicabeza",
    "validar_algoritmo_5",
    "validar_mascara_difundible",
    "validar_dimensiones_multicabeza",
]


def validar_n_cabezas(n_cabezas, n_cabezas_kv=None) -> None:
    """``n_cabezas`` entero positivo; ``n_cabezas_kv`` (si se da) divide a ``n_cabezas``."""
    validar_longitud("n_cabezas", n_cabezas)
    if n_cabezas_kv is not None:
        validar_longitud("n_cabezas_kv", n_cabezas_kv)
        if n_cabezas % n_cabezas_kv:
            raise ErrorDeForma(
                f"'n_cabezas' ({n_cabezas}) debe ser múltiplo de 'n_cabezas_kv' ({n_cabezas_kv}): "
                f"cada grupo de clave/valor sirve al mismo número de cabezas de consulta."
            )


def _divisible(nombre: str, simbolo: str, n: int, n_cabezas: int, nombre_cabezas: str = "n_cabezas") -> int:
    if n % n_cabezas:
        raise ErrorDeForma(
            f"'{nombre}' tiene {simbolo}={n}, que no es divisible por {nombre_cabezas}={n_cabezas}: "
            f"cada cabeza necesita el mismo número de componentes."
        )
    return n // n_cabezas


def _opcionales(f: Formas, *argumentos) -> None:
    validar_pesos(f, *((n, x, forma) for n, x, forma in argumentos if x is not None))


def validar_proyecciones(X, W_q, W_k, W_v, b_q=None, b_k=None, b_v=None, Z=None, n_cabezas=None, n_cabezas_kv=None):
    """X (..., T, d_x), Z (..., S, d_z) y los pesos apilados de todas las cabezas.

    Con ``n_cabezas_kv`` distinto de ``n_cabezas`` (MQA/GQA), ``W_k`` y ``W_v`` tienen
    ``h_kv·d_k`` y ``h_kv·d_v`` filas.
    """
    f = validar_pesos(Formas(), ("X", X, "... T d_x"))
    if Z is None:
        f.fijar("S", f["T"], "X")
        f.fijar("d_z", f["d_x"], "X")
    else:
        validar_pesos(f, ("Z", Z, "... S d_z"))
    validar_pesos(f, ("W_q", W_q, "h·d_k d_x"))
    kv = "h"
    if n_cabezas is not None and n_cabezas_kv != n_cabezas:
        kv = "h_kv"
        d_k = _divisible("W_q", "h·d_k", f["h·d_k"], n_cabezas)
        f.fijar("h_kv·d_k", d_k * n_cabezas_kv, "W_q, n_cabezas y n_cabezas_kv")
    validar_pesos(f, ("W_k", W_k, f"{kv}·d_k d_z"), ("W_v", W_v, f"{kv}·d_v d_z"))
    _opcionales(f, ("b_q", b_q, "h·d_k"), ("b_k", b_k, f"{kv}·d_k"), ("b_v", b_v, f"{kv}·d_v"))
    return f


def validar_separar_cabezas(X, n_cabezas) -> None:
    """X (..., T, H·d) con la última dimensión divisible por ``n_cabezas``."""
    validar_n_cabezas(n_cabezas)
    f = Formas()
    f.comprobar("X", X, "... T H·d")
    _divisible("X", "H·d", f["H·d"], n_cabezas)


def _texto(forma: tuple) -> str:
    return "(" + ", ".join(str(n) for n in forma) + ("," if len(forma) == 1 else "") + ")"


def validar_mascara_difundible(mascara, f: Formas, lote: tuple, simbolos: tuple) -> None:
    """La máscara (booleana o aditiva) debe difundirse a ``(*lote, *simbolos)`` sin agrandarla."""
    es_flotante = str(mascara.dtype).replace("torch.", "").startswith(("float", "bfloat"))
    if not es_flotante:
        comprobar_booleana("mascara", mascara)
    destino = (*lote, *(f[s] for s in simbolos))
    forma = tuple(int(n) for n in mascara.shape)
    try:
        valida = len(forma) >= 2 and tuple(np.broadcast_shapes(forma, destino)) == destino
    except ValueError:
        valida = False
    if not valida:
        ligaduras = ", ".join(f"{s}={f[s]} (tomado de '{f.origen[s]}')" for s in simbolos)
        raise ErrorDeForma(
            f"'mascara' debe poder difundirse a (..., {', '.join(simbolos)}) con {ligaduras}, es decir a "
            f"{_texto(destino)}, pero se recibió {_texto(forma)}. Una máscara por ejemplo (B, T, S) "
            f"se difunde sobre las cabezas con mascara[:, None]."
        )


def _lote(f: Formas) -> tuple:
    return tuple(np.broadcast_shapes(*(f.lotes[n] for n in ("X", "Z") if n in f.lotes)))


def validar_multicabeza(X, W_q, W_k, W_v, W_o, n_cabezas, n_cabezas_kv, b_q, b_k, b_v, b_o, Z, mascara) -> Formas:
    """Argumentos de la multicabeza de Vaswani (``n_cabezas_kv == n_cabezas``) y de MQA/GQA."""
    validar_n_cabezas(n_cabezas, n_cabezas_kv)
    f = validar_proyecciones(X, W_q, W_k, W_v, b_q, b_k, b_v, Z, n_cabezas, n_cabezas_kv)
    kv = "h" if n_cabezas_kv == n_cabezas else "h_kv"
    _divisible("W_q", "h·d_k", f["h·d_k"], n_cabezas)
    d_v = _divisible("W_v", f"{kv}·d_v", f[f"{kv}·d_v"], n_cabezas_kv, "n_cabezas_kv" if kv == "h_kv" else "n_cabezas")
    if kv == "h_kv":
        f.fijar("h·d_v", d_v * n_cabezas, "W_v, n_cabezas y n_cabezas_kv")
    validar_pesos(f, ("W_o", W_o, "d_out h·d_v"))
    _opcionales(f, ("b_o", b_o, "d_out"))
    if mascara is not None:
        f.fijar("H", n_cabezas, "n_cabezas")
        validar_mascara_difundible(mascara, f, _lote(f), ("H", "T", "S"))
    return f


def validar_algoritmo_5(X, W_q, b_q, W_k, b_k, W_v, b_v, W_o, b_o, Z, mascara) -> Formas:
    """Argumentos del Algoritmo 5 de P&H: pesos por cabeza, apilados en la dimensión 0."""
    f = validar_pesos(Formas(), ("X", X, "... T d_x"))
    if Z is None:
        f.fijar("S", f["T"], "X")
        f.fijar("d_z", f["d_x"], "X")
    else:
        validar_pesos(f, ("Z", Z, "... S d_z"))
    validar_pesos(f, ("W_q", W_q, "H d_attn d_x"), ("W_k", W_k, "H d_attn d_z"), ("W_v", W_v, "H d_mid d_z"))
    _opcionales(f, ("b_q", b_q, "H d_attn"), ("b_k", b_k, "H d_attn"), ("b_v", b_v, "H d_mid"))
    f.fijar("H·d_mid", f["H"] * f["d_mid"], "W_v")
    validar_pesos(f, ("W_o", W_o, "d_out H·d_mid"))
    _opcionales(f, ("b_o", b_o, "d_out"))
    if mascara is not None:
        validar_mascara_difundible(mascara, f, _lote(f), ("T", "S"))
    return f


def validar_dimensiones_multicabeza(d_modelo, n_cabezas, d_k, d_v, d_z) -> tuple[int, int, int]:
    """Dimensiones de ``multicabeza_parametros``; devuelve ``(d_k, d_v, d_z)`` con sus valores por omisión."""
    validar_longitud("d_modelo", d_modelo)
    validar_n_cabezas(n_cabezas)
    if d_k is None or d_v is None:
        if d_modelo % n_cabezas:
            raise ErrorDeForma(
                f"'d_modelo' ({d_modelo}) debe ser divisible por 'n_cabezas' ({n_cabezas}) para tomar "
                f"d_k = d_v = d_modelo / n_cabezas; si no, da 'd_k' y 'd_v' explícitamente."
            )
    d_k = validar_longitud("d_k", d_modelo // n_cabezas if d_k is None else d_k)
    d_v = validar_longitud("d_v", d_modelo // n_cabezas if d_v is None else d_v)
    d_z = validar_longitud("d_z", d_modelo if d_z is None else d_z)
    return d_k, d_v, d_z
