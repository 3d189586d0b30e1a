"""Incrustaciones de entrada y desincrustación de salida (capítulo 5), gemelo PyTorch.

``incrustacion_token`` usa ``W_E[x]`` (lo mismo que ``F.embedding``, el oráculo de las pruebas).
Para atar los pesos en un modelo, el ``nn.Parameter`` de la cabeza de salida **es** el de la
incrustación (ver ``Incrustacion.desincrustar`` y ``Desincrustacion(pesos=...)``).
"""

from __future__ import annotations

import math

from ..ecuaciones import implementa
from ..validacion.incrustaciones import (
    validar_desincrustacion,
    validar_incrustacion_inicial,
    validar_tabla_posiciones,
    validar_tokens,
)
from .bloques import dropout
from .softmax import softmax

__all__ = [
    "incrustacion_token",
    "incrustacion_posicional_aprendida",
    "incrustacion_inicial",
    "desincrustacion",
    "desincrustacion_atada",
]


@implementa("incrustacion-token")
def incrustacion_token(x, W_E, escalar=False):
    """Incrustación de tokens (ec. `incrustacion-token`; P&H Alg. 1): la fila ``x_t`` de ``W_E``.

    ``escalar=True`` multiplica por ``√d_modelo`` (Vaswani).

    Formas
    ------
    x : (..., T), enteros en [0, N_V)    W_E : (N_V, d_modelo)    salida : (..., T, d_modelo)
    """
    f = validar_tokens(x, W_E)
    e = W_E[x.to(W_E.device).long()]  # (..., T, d_modelo)
    return e * math.sqrt(f["d_modelo"]) if escalar else e


@implementa("incrustacion-posicional-aprendida")
def incrustacion_posicional_aprendida(T, W_P, inicio=0):
    """Incrustación posicional aprendida (ec. `incrustacion-posicional-aprendida`; P&H Alg. 2).

    Formas
    ------
    W_P : (l_max, d_modelo)    salida : (T, d_modelo), filas ``inicio … inicio+T-1``
    """
    validar_tabla_posiciones(T, W_P, inicio)
    return W_P[inicio : inicio + T]  # (T, d_modelo)


@implementa("incrustacion-inicial-suma")
def incrustacion_inicial(x, W_E, W_P, inicio=0, escalar=False, p=0.0, rng=None):
    """Incrustación inicial: token más posición y dropout (ec. `incrustacion-inicial-suma`; P&H ec. 1).

    Formas
    ------
    x : (..., T), enteros    W_E : (N_V, d_modelo)    W_P : (l_max, d_modelo)    salida : (..., T, d_modelo)
    """
    f = validar_incrustacion_inicial(x, W_E, W_P, inicio)
    X_0 = incrustacion_token(x, W_E, escalar) + incrustacion_posicional_aprendida(f["T"], W_P, inicio)
    return dropout(X_0, p, rng)  # (..., T, d_modelo)


@implementa("desincrustacion-softmax")
def desincrustacion(h, W_u, b_u=None, solo_logits=False):
    """Desincrustación (ec. `desincrustacion-softmax`; P&H Alg. 7): ``softmax(h W_uᵀ + b_u)`` o los logits.

    Formas
    ------
    h : (..., d_modelo)    W_u : (N_V, d_modelo)    b_u : (N_V,)    salida : (..., N_V)
    """
    validar_desincrustacion(h, W_u, b_u)
    logits = h @ W_u.T  # (..., N_V)
    if b_u is not None:
        logits = logits + b_u
    return logits if solo_logits else softmax(logits)


@implementa("pesos-atados")
def desincrustacion_atada(h, W_E, solo_logits=False):
    """Desincrustación con los pesos atados (ec. `pesos-atados`): ``logits = h W_Eᵀ``.

    Formas
    ------
    h : (..., d_modelo)    W_E : (N_V, d_modelo)    salida : (..., N_V)
    """
    return desincrustacion(h, W_E, None, solo_logits)
