"""Máscaras de atención (capítulo 3). Convención: booleanas, ``True`` = «puede atender»."""

from __future__ import annotations

import numpy as np

from ..ecuaciones import implementa
from ..errores import ErrorDeForma, comprobar_booleana
from ..validacion import validar_longitud, validar_longitudes

__all__ = ["mascara_aditiva", "mascara_relleno", "mascara_causal", "combinar_mascaras"]


@implementa("mascara-aditiva")
def mascara_aditiva(permitido, dtype=None):
    """Convierte una máscara booleana en el sesgo aditivo ``M`` (ec. `mascara-aditiva`).

    ``M = 0`` donde se puede atender y ``M = -inf`` donde no; se suma a las puntuaciones
    ``QKᵀ/√d_k`` antes del softmax.

    Formas
    ------
    permitido : (..., T, S), booleana    salida : (..., T, S), ``dtype`` (float64 por omisión)
    """
    comprobar_booleana("permitido", permitido)
    return np.where(permitido, 0.0, -np.inf).astype(dtype or np.float64)


@implementa("mascara-relleno")
def mascara_relleno(longitudes, S):
    """Máscara de relleno a partir de las longitudes reales (ec. `mascara-relleno`).

    Formas
    ------
    longitudes : (B,), enteros en [0, S]    salida : (B, S), booleana; True = token real

    Para usarla en la atención, difúndela sobre las consultas: ``salida[:, None, :]``.
    """
    longitudes = np.asarray(longitudes)
    validar_longitudes(longitudes, S)
    return np.arange(S) < longitudes[:, None]  # (B, S)


@implementa("mascara-causal")
def mascara_causal(T, S=None):
    """Máscara causal: la consulta ``i`` ve las claves ``j ≤ i`` (ec. `mascara-causal`).

    Si ``S > T`` (claves ya generadas en caché), las consultas son las ``T`` últimas
    posiciones: la consulta ``i`` ve las claves ``j ≤ i + S - T``.

    Formas
    ------
    salida : (T, S), booleana, triangular inferior; ``S = T`` por omisión
    """
    validar_longitud("T", T)
    S = validar_longitud("S", T if S is None else S)
    return np.tril(np.ones((T, S), dtype=bool), k=S - T)


@implementa("mascara-combinada")
def combinar_mascaras(*mascaras):
    """Combina máscaras booleanas con el Y lógico (ec. `mascara-combinada`).

    Sumar sesgos aditivos (0/-inf) equivale a combinar las booleanas con ``&``. Si una
    fila queda sin ninguna clave permitida, ``atencion_escalada`` devuelve ceros en ella.

    Formas
    ------
    cada máscara : difundible a una forma común (..., T, S)    salida : esa forma común
    """
    if not mascaras:
        raise ErrorDeForma("'mascaras' debe contener al menos una máscara, pero no se recibió ninguna.")
    for k, m in enumerate(mascaras):
        comprobar_booleana(f"mascaras[{k}]", m)
    try:
        forma = np.broadcast_shapes(*(m.shape for m in mascaras))
    except ValueError:
        formas = ", ".join(str(tuple(m.shape)) for m in mascaras)
        raise ErrorDeForma(f"'mascaras' deben poder difundirse a una forma común, pero se recibió {formas}.") from None
    resultado = np.ones(forma, dtype=bool)
    for m in mascaras:
        resultado = resultado & m
    return resultado
