"""Incrustaciones de entrada y desincrustación de salida (capítulo 5).

Tablas con un token por fila, como ``nn.Embedding.weight``: ``W_E`` (N_V, d_modelo) y ``W_P``
(l_max, d_modelo). La ``W_e`` de P&H (d_e × N_V, una columna por token) es ``W_E.T``. Como
``nn.Linear`` guarda ``W_u`` con forma (N_V, d_modelo), la misma que ``W_E``, atar los pesos es
usar la misma matriz en las dos puntas.
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

    Es lo mismo que ``one_hot(x, N_V) @ W_E``, pero sin construir la matriz de unos y ceros.
    Vaswani multiplica además por ``√d_modelo`` (``escalar=True``); P&H no.

    Formas
    ------
    x : (..., T), enteros en [0, N_V)    W_E : (N_V, d_modelo)    salida : (..., T, d_modelo)
    """
    f = validar_tokens(x, W_E)
    e = W_E[x]  # (..., T, d_modelo)
    return e * math.sqrt(f["d_modelo"]) if escalar else e


@implementa("incrustacion-posicional-aprendida")
def incrustacion_posicional_aprendida(T, W_P, inicio=0):
    """Incrustación posicional aprendida (ec. `incrustacion-posicional-aprendida`; P&H Alg. 2).

    Las filas ``inicio … inicio+T-1`` de la tabla ``W_P``, una por posición. No extrapola: con
    ``inicio + T > l_max`` no hay fila que devolver (GPT, BERT, ViT, decodificador de Whisper).
    También sirve con una tabla fija, p. ej. ``codificacion_posicional_sinusoidal(l_max, d)``.

    Formas
    ------
    W_P : (l_max, d_modelo)    salida : (T, d_modelo)
    """
    validar_tabla_posiciones(T, W_P, inicio)
    return W_P[inicio : inicio + T]  # (T, d_modelo)


@implementa("incrustacion-inicial-suma")
def incrustacion_inicial(x, W_E, W_P, inicio=0, escalar=False, p=0.0, rng=None):
    """Incrustación inicial: token más posición (ec. `incrustacion-inicial-suma`; P&H ec. 1).

    ``X_0 = E(x) + P[inicio : inicio+T]``, difundida sobre el lote, y después dropout con
    probabilidad ``p`` (Vaswani: ``p = 0.1`` al entrenar, 0 al evaluar).

    Parámetros
    ----------
    W_P : tabla de posiciones, aprendida o fija (sinusoidal).
    escalar : multiplicar la incrustación del token por ``√d_modelo`` (Vaswani).
    rng : ``np.random.Generator`` del dropout.

    Formas
    ------
    x : (..., T), enteros    W_E : (N_V, d_modelo)    W_P : (l_max, d_modelo)    salida : (..., T, d_modelo)
    """
    f = validar_incrustacion_inicial(x, W_E, W_P, inicio)
    X_0 = incrustacion_token(x, W_E, escalar) + incrustacion_posicional_aprendida(f["T"], W_P, inicio)
    return dropout(X_0, p, rng)  # (..., T, d_modelo)


@implementa("desincrustacion-softmax")
def desincrustacion(h, W_u, b_u=None, solo_logits=False):
    """Desincrustación (ec. `desincrustacion-softmax`; P&H Alg. 7): ``p = softmax(h W_uᵀ + b_u)``.

    Da una distribución sobre el vocabulario para cada posición. Al entrenar se usan los logits
    (``solo_logits=True``) con la entropía cruzada, que ya incluye el softmax.

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
    """Desincrustación con los pesos atados a la incrustación (ec. `pesos-atados`): ``W_u = W_E``.

    En la notación de columnas de P&H, ``W_u = W_eᵀ``; por filas, ``logits = h W_Eᵀ``. Ahorra
    ``N_V·d_modelo`` parámetros (Press y Wolf; Vaswani §3.4).

    Formas
    ------
    h : (..., d_modelo)    W_E : (N_V, d_modelo)    salida : (..., N_V)
    """
    return desincrustacion(h, W_E, None, solo_logits)
