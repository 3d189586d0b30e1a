"""Comprobaciones generales y de la atención (capítulo 3)."""

from __future__ import annotations

from ..errores import ErrorDeForma, Formas, comprobar_booleana, comprobar_flotante

__all__ = [
    "validar_atencion",
    "validar_mascara",
    "validar_longitud",
    "validar_eje",
    "validar_pesos",
    "validar_consulta_unica",
    "validar_atencion_cruzada",
    "validar_longitudes",
]


def validar_atencion(Q, K, V, mascara=None, escala=None) -> Formas:
    """Comprueba Q (..., T, d_k), K (..., S, d_k), V (..., S, d_v) y la máscara (..., T, S)."""
    f = Formas()
    for nombre, x, forma in (("Q", Q, "... T d_k"), ("K", K, "... S d_k"), ("V", V, "... S d_v")):
        comprobar_flotante(nombre, x)
        f.comprobar(nombre, x, forma)
    if mascara is not None:
        validar_mascara("mascara", mascara, f)
    if escala is not None and not (isinstance(escala, (int, float)) and escala > 0):
        raise ErrorDeForma(f"'escala' debe ser un número positivo, pero se recibió {escala!r}.")
    return f


def validar_mascara(nombre: str, mascara, f: Formas) -> None:
    """La máscara debe ser booleana (True = puede atender) o aditiva (flotante) y difundible a (..., T, S)."""
    es_flotante = str(mascara.dtype).replace("torch.", "").startswith(("float", "bfloat"))
    if not es_flotante:
        comprobar_booleana(nombre, mascara)
    forma = tuple(mascara.shape)
    T, S = f["T"], f["S"]
    if len(forma) < 2 or forma[-2] not in (1, T) or forma[-1] not in (1, S):
        raise ErrorDeForma(
            f"'{nombre}' debe poder difundirse a (..., T, S) con T={T} (tomado de 'Q') y "
            f"S={S} (tomado de 'K'), pero se recibió {forma}."
        )
    f._comprobar_lote(nombre, forma[:-2])


def validar_longitud(nombre: str, n) -> int:
    """Una longitud debe ser un entero positivo."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ErrorDeForma(f"'{nombre}' debe ser un entero positivo, pero se recibió {n!r}.")
    return n


def validar_eje(nombre_x: str, x, eje) -> None:
    """El eje debe existir en ``x``."""
    if isinstance(eje, bool) or not isinstance(eje, int) or not -x.ndim <= eje < x.ndim:
        raise ErrorDeForma(
            f"'eje' debe ser un entero entre {-x.ndim} y {x.ndim - 1} para '{nombre_x}' de forma "
            f"{tuple(x.shape)}, pero se recibió {eje!r}."
        )


def validar_pesos(f: Formas, *argumentos) -> Formas:
    """Comprueba una lista de ``(nombre, x, forma)`` de coma flotante con las mismas ligaduras ``f``."""
    for nombre, x, forma in argumentos:
        comprobar_flotante(nombre, x)
        f.comprobar(nombre, x, forma)
    return f


def validar_consulta_unica(e, contexto, W_q, b_q, W_k, b_k, W_v, b_v) -> Formas:
    """Argumentos del Algoritmo 3 de P&H (ec. `atencion-consulta-unica`)."""
    return validar_pesos(
        Formas(),
        ("e", e, "d_in"), ("contexto", contexto, "T d_in"),
        ("W_q", W_q, "d_attn d_in"), ("b_q", b_q, "d_attn"), ("W_k", W_k, "d_attn d_in"),
        ("b_k", b_k, "d_attn"), ("W_v", W_v, "d_out d_in"), ("b_v", b_v, "d_out"),
    )  # fmt: skip


def validar_atencion_cruzada(X, Z, W_q, W_k, W_v, mascara_Z=None) -> Formas:
    """Argumentos de la atención cruzada (ec. `atencion-cruzada`)."""
    f = validar_pesos(
        Formas(),
        ("X", X, "... T d_x"), ("Z", Z, "... S d_z"),
        ("W_q", W_q, "d_k d_x"), ("W_k", W_k, "d_k d_z"), ("W_v", W_v, "d_v d_z"),
    )  # fmt: skip
    if mascara_Z is not None:
        comprobar_booleana("mascara_Z", mascara_Z)
        if tuple(mascara_Z.shape[-1:]) != (f["S"],):
            raise ErrorDeForma(
                f"'mascara_Z' debe tener forma (..., S) con S={f['S']} (tomado de 'Z'), "
                f"pero se recibió {tuple(mascara_Z.shape)}."
            )
    return f


def validar_longitudes(longitudes, S) -> None:
    """``longitudes`` (B,) debe contener enteros entre 0 y ``S`` (ec. `mascara-relleno`)."""
    validar_longitud("S", S)
    Formas().comprobar("longitudes", longitudes, "B")
    entera = str(longitudes.dtype).replace("torch.", "").startswith(("int", "uint"))
    if not entera or bool((longitudes < 0).any()) or bool((longitudes > S).any()):
        raise ErrorDeForma(
            f"'longitudes' debe contener enteros entre 0 y S={S}, pero se recibió {longitudes.tolist()} "
            f"(dtype {longitudes.dtype})."
        )
