"""Comprobaciones de la inferencia y la decodificación (capítulo 9), compartidas por los dos gemelos."""

from __future__ import annotations

import math

from ..errores import ErrorDeForma, Formas, comprobar_flotante
from .entrenamiento import validar_numero, validar_token

__all__ = [
    "validar_logits",
    "validar_muestreo",
    "validar_prefijo",
    "validar_generacion",
    "validar_cache",
    "validar_haz",
]


def validar_logits(logits) -> Formas:
    """logits (..., N_V) de coma flotante, sin NaN ni +inf y con al menos un valor finito por fila."""
    comprobar_flotante("logits", logits)
    f = Formas()
    f.comprobar("logits", logits, "... N_V")
    malos = (logits != logits).any() or (logits == math.inf).any()
    if bool(malos):
        raise ErrorDeForma("'logits' contiene NaN o +inf; solo se admite -inf (tokens descartados).")
    if f["N_V"] == 0 or bool((logits == -math.inf).all(-1).any()):
        raise ErrorDeForma("'logits' tiene alguna fila sin ningún valor finito: no hay ningún token que elegir.")
    return f


def validar_muestreo(tau, k, p, N_V: int) -> None:
    """``tau`` ≥ 0 y finita; ``k`` entero en [1, N_V] o None; ``p`` en (0, 1] o None."""
    validar_numero("tau", tau, 0.0, math.inf, incluir_max=False)
    if k is not None and (isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= N_V):
        raise ErrorDeForma(f"'k' debe ser un entero entre 1 y N_V={N_V} (tomado de 'logits'), pero se recibió {k!r}.")
    if p is not None:
        validar_numero("p", p, 0.0, 1.0, incluir_min=False)


def validar_prefijo(nombre: str, x, config, una_secuencia: bool = False) -> Formas:
    """Tokens enteros en [0, N_V): (..., T), o (T,) si ``una_secuencia``."""
    f = Formas()
    f.comprobar(nombre, x, "T" if una_secuencia else "... T")
    if not str(x.dtype).replace("torch.", "").startswith(("int", "uint")):
        raise TypeError(f"'{nombre}' debe contener ids de token enteros, pero se recibió dtype {x.dtype}.")
    if int(x.min()) < 0 or int(x.max()) >= config.n_vocab:
        raise ErrorDeForma(
            f"'{nombre}' debe contener ids entre 0 y N_V-1={config.n_vocab - 1} (de la configuración), pero se "
            f"recibieron valores entre {int(x.min())} y {int(x.max())}."
        )
    return f


def validar_generacion(n_generar, T: int, config, nombre: str = "n_generar") -> None:
    """``n_generar`` ≥ 1 y el prefijo más lo generado caben en ``l_max``."""
    if isinstance(n_generar, bool) or not isinstance(n_generar, int) or n_generar < 1:
        raise ErrorDeForma(f"'{nombre}' debe ser un entero positivo, pero se recibió {n_generar!r}.")
    if T == 0 and n_generar > config.l_max:
        raise ErrorDeForma(f"'{nombre}'={n_generar} supera l_max={config.l_max} de la configuración.")
    if T + n_generar > config.l_max:
        raise ErrorDeForma(
            f"El prefijo (T={T}) más '{nombre}'={n_generar} tokens no cabe en l_max={config.l_max} de la "
            f"configuración: no hay posiciones para más de {config.l_max} tokens."
        )


def validar_cache(cache, config, lote: tuple) -> int:
    """La caché: lista de ``L_dec`` diccionarios {"K", "V"} (..., S, d_modelo); devuelve S (0 si es None)."""
    if cache is None:
        return 0
    L = config.n_capas_decodificador
    if not isinstance(cache, (list, tuple)) or len(cache) != L:
        n = len(cache) if isinstance(cache, (list, tuple)) else type(cache).__name__
        raise ErrorDeForma(
            f"'cache' debe ser None o una lista de {L} capas (n_capas_decodificador), pero se recibió {n}."
        )
    f = Formas()
    f.fijar("d_modelo", config.d_modelo, "config")
    for i, capa in enumerate(cache):
        if not isinstance(capa, dict) or set(capa) != {"K", "V"}:
            raise ErrorDeForma(f"'cache[{i}]' debe ser un diccionario con las claves 'K' y 'V'.")
        for nombre in ("K", "V"):
            comprobar_flotante(f"cache[{i}]['{nombre}']", capa[nombre])
            lote_cache = f.comprobar(f"cache[{i}]['{nombre}']", capa[nombre], "... S d_modelo")
            if tuple(lote_cache) != tuple(lote):
                raise ErrorDeForma(
                    f"'cache[{i}]['{nombre}']' debe tener las dimensiones de lote de 'x' {tuple(lote)}, pero tiene "
                    f"{tuple(lote_cache)}."
                )
    return f["S"]


def validar_haz(n_haz, alfa, eos, config) -> None:
    """Anchura del haz ≥ 1, ``alfa`` ≥ 0 y ``eos`` un id de token o None."""
    if isinstance(n_haz, bool) or not isinstance(n_haz, int) or n_haz < 1:
        raise ErrorDeForma(f"'n_haz' debe ser un entero positivo, pero se recibió {n_haz!r}.")
    validar_numero("alfa", alfa, 0.0)
    if eos is not None:
        validar_token("eos", eos, config.n_vocab)
