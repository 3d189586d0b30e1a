"""Comprobaciones de las incrustaciones y de las codificaciones de posición (capítulo 5)."""

from __future__ import annotations

from ..errores import ErrorDeForma, Formas, comprobar_flotante
from .atencion import validar_longitud, validar_pesos
from .multicabeza import validar_mascara_difundible

__all__ = [
    "validar_entero",
    "validar_entero_no_negativo",
    "validar_base",
    "validar_par",
    "validar_tokens",
    "validar_tabla_posiciones",
    "validar_incrustacion_inicial",
    "validar_desincrustacion",
    "validar_rope",
    "validar_shaw",
]


def validar_entero(nombre: str, n) -> int:
    """Un número entero de Python o de NumPy (positivo, cero o negativo)."""
    es_entero = isinstance(n, int) or (getattr(n, "ndim", None) == 0 and str(n.dtype).startswith("int"))
    if isinstance(n, bool) or not es_entero:
        raise ErrorDeForma(f"'{nombre}' debe ser un número entero, pero se recibió {n!r}.")
    return int(n)


def validar_entero_no_negativo(nombre: str, n) -> int:
    """Un desplazamiento o una posición inicial: entero mayor o igual que 0."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ErrorDeForma(f"'{nombre}' debe ser un entero mayor o igual que 0, pero se recibió {n!r}.")
    return n


def validar_base(base) -> None:
    """La base de las frecuencias (10000 en Vaswani) debe ser un número positivo."""
    if isinstance(base, bool) or not isinstance(base, (int, float)) or not base > 0:
        raise ErrorDeForma(f"'base' debe ser un número positivo (10000 en Vaswani), pero se recibió {base!r}.")


def validar_par(nombre: str, d) -> int:
    """Las codificaciones sinusoidales y RoPE trabajan por pares (seno, coseno): ``d`` par."""
    validar_longitud(nombre, d)
    if d % 2:
        raise ErrorDeForma(f"'{nombre}' debe ser par (las componentes van por pares seno/coseno), pero se recibió {d}.")
    return d


def _es_entera(x) -> bool:
    return str(x.dtype).replace("torch.", "").startswith(("int", "uint"))


def validar_tokens(x, W_E) -> Formas:
    """x (..., T) de enteros en [0, N_V) y la tabla W_E (N_V, d_modelo)."""
    f = validar_pesos(Formas(), ("W_E", W_E, "N_V d_modelo"))
    f.comprobar("x", x, "... T")
    if not _es_entera(x):
        raise TypeError(f"'x' debe contener índices de token enteros, pero se recibió dtype {x.dtype}.")
    if x.numel() if hasattr(x, "numel") else x.size:
        minimo, maximo = int(x.min()), int(x.max())
        if minimo < 0 or maximo >= f["N_V"]:
            raise ErrorDeForma(
                f"'x' debe contener índices entre 0 y N_V-1={f['N_V'] - 1} (N_V tomado de 'W_E'), pero se "
                f"recibieron valores entre {minimo} y {maximo}."
            )
    return f


def validar_tabla_posiciones(T, W_P, inicio, nombre: str = "W_P") -> Formas:
    """Las posiciones ``inicio … inicio+T-1`` deben existir en la tabla W_P (l_max, d_modelo)."""
    validar_longitud("T", T)
    validar_entero_no_negativo("inicio", inicio)
    f = validar_pesos(Formas(), (nombre, W_P, "l_max d_modelo"))
    if inicio + T > f["l_max"]:
        raise ErrorDeForma(
            f"'{nombre}' no tiene fila para las posiciones pedidas: inicio + T = {inicio + T} supera "
            f"l_max={f['l_max']} (filas de '{nombre}'). Una tabla aprendida no extrapola más allá de l_max; "
            f"una fija (sinusoidal) puede recalcularse con un l_max mayor."
        )
    return f


def validar_incrustacion_inicial(x, W_E, W_P, inicio) -> Formas:
    """Tokens, tabla de tokens y tabla de posiciones con la misma ``d_modelo``."""
    f = validar_tokens(x, W_E)
    validar_tabla_posiciones(f["T"], W_P, inicio)
    f.comprobar("W_P", W_P, "l_max d_modelo")
    return f


def validar_desincrustacion(h, W_u, b_u=None) -> Formas:
    """h (..., d_modelo), W_u (N_V, d_modelo) y b_u (N_V,)."""
    f = validar_pesos(Formas(), ("h", h, "... d_modelo"), ("W_u", W_u, "N_V d_modelo"))
    if b_u is not None:
        validar_pesos(f, ("b_u", b_u, "N_V"))
    return f


def validar_rope(x, inicio, base) -> Formas:
    """x (..., T, d) con d par, ``inicio`` ≥ 0 y ``base`` positiva."""
    comprobar_flotante("x", x)
    f = Formas()
    f.comprobar("x", x, "... T d")
    validar_par("d (última dimensión de 'x')", f["d"])
    validar_entero_no_negativo("inicio", inicio)
    validar_base(base)
    return f


def validar_shaw(X, W_q, W_k, W_v, w_K, w_V, mascara=None) -> Formas:
    """Argumentos de la atención con posiciones relativas de Shaw et al. (autoatención, una cabeza)."""
    f = validar_pesos(
        Formas(),
        ("X", X, "... T d_x"), ("W_q", W_q, "d_z d_x"), ("W_k", W_k, "d_z d_x"), ("W_v", W_v, "d_v d_x"),
        ("w_K", w_K, "2k+1 d_z"), ("w_V", w_V, "2k+1 d_v"),
    )  # fmt: skip
    if f["2k+1"] % 2 == 0:
        raise ErrorDeForma(
            f"'w_K' debe tener 2k+1 filas (distancias -k…k), un número impar, pero se recibió {f['2k+1']}."
        )
    if mascara is not None:
        f.fijar("S", f["T"], "X")
        validar_mascara_difundible(mascara, f, f.lotes["X"], ("T", "S"))
    return f
