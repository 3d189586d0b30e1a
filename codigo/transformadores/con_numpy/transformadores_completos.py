"""Los tres tipos de transformador (capítulo 7) y las tareas que resuelven.

- :func:`transformador_codificador_decodificador`: EDTransformer (Vaswani; P&H Alg. 8), secuencia a secuencia.
- :func:`transformador_solo_codificador`: ETransformer (BERT; P&H Alg. 9), auto-codificador.
- :func:`transformador_solo_decodificador`: DTransformer (GPT-2; P&H Alg. 10), auto-regresivo.

Todos reciben los tokens, el diccionario ``parametros`` (ver :meth:`Configuracion.esquema_parametros`)
y la :class:`Configuracion`, y devuelven una distribución sobre el vocabulario en cada posición:
la fila ``t`` de la salida es la columna ``t`` de la ``P`` de P&H. NumPy solo calcula la pasada
hacia delante: los gradientes del modelo entero los calcula el gemelo de PyTorch (autograd).
"""

from __future__ import annotations

import numpy as np

from ..ecuaciones import implementa
from ..errores import ErrorDeForma
from ..validacion.transformador import validar_configuracion, validar_relleno, validar_tipo
from .bloques import gelu
from .capas import pila_codificador, pila_decodificador
from .incrustaciones import desincrustacion, desincrustacion_atada
from .normalizacion import normalizacion_capa
from .softmax import log_softmax, softmax

__all__ = [
    "transformador_codificador_decodificador",
    "transformador_solo_codificador",
    "transformador_solo_decodificador",
    "factorizacion_autoregresiva",
    "factorizacion_seq2seq_condicional",
    "clasificacion_token_cls",
]


def _desincrustar(H, parametros, config, solo_logits):
    """``softmax(H W_uᵀ)`` con ``W_u = W_E`` si ``config.atar_pesos`` (ec. `pesos-atados`)."""
    if config.atar_pesos:
        return desincrustacion_atada(H, parametros["incrustacion"]["W_E"], solo_logits)
    return desincrustacion(H, parametros["desincrustacion"]["W_u"], None, solo_logits)


@implementa("transformador-codificador-decodificador")
def transformador_codificador_decodificador(
    z, x, parametros, config, relleno_z=None, relleno_x=None, solo_logits=False, rng=None, entrenando=False
):
    """Transformador codificador-decodificador, EDTransformer (ec. `transformador-codificador-decodificador`).

    P&H Alg. 8: ``Z_0 = E(z) + P``, ``Z_l = Enc_l(Z_{l-1})``; ``X_0 = E(x) + P``,
    ``X_l = Dec_l(X_{l-1}, Z_{L_enc})``; ``P = softmax(X_{L_dec} W_uᵀ)``. La fila ``t`` de la salida es
    ``P̂(x[t+1] | x[:t+1], z)``. La incrustación (``W_E``, ``W_P``) es la misma para ``z`` y ``x``.

    Parámetros
    ----------
    relleno_z, relleno_x : True = token real; las claves de relleno no reciben atención.
    solo_logits : devolver ``X W_uᵀ`` sin el softmax (para la entropía cruzada).
    rng, entrenando : azar y activación del dropout (``config.p_dropout``).

    Formas
    ------
    z : (..., S), enteros    x : (..., T), enteros    salida : (..., T, N_V)
    """
    validar_tipo(config, "codificador-decodificador", "transformador_codificador_decodificador")
    Z = pila_codificador(z, parametros, config, relleno_z, rng, entrenando)  # (..., S, d_modelo)
    X = pila_decodificador(x, Z, parametros, config, relleno_x, relleno_z, rng, entrenando)  # (..., T, d_modelo)
    return _desincrustar(X, parametros, config, solo_logits)  # (..., T, N_V)


@implementa("transformador-solo-codificador")
def transformador_solo_codificador(x, parametros, config, relleno=None, solo_logits=False, rng=None, entrenando=False):
    """Transformador solo codificador, ETransformer / BERT (ec. `transformador-solo-codificador`).

    P&H Alg. 9: ``X_L = Enc_{1..L}(E(x) + P)`` (sin máscara causal), la cabeza MLM
    ``X_f = LN(GELU(X_L W_fᵀ + b_f))`` y ``P = softmax(X_f W_uᵀ)``. Errata E3: ``W_u`` es
    (N_V, d_modelo) solo si ``d_f = d_e``, como en BERT; aquí ``W_f`` es (d_modelo, d_modelo).

    Formas
    ------
    x : (..., T), enteros    relleno : (..., T), True = token real    salida : (..., T, N_V)
    """
    validar_tipo(config, "solo-codificador", "transformador_solo_codificador")
    validar_relleno("relleno", relleno, "x", x)
    H = pila_codificador(x, parametros, config, relleno, rng, entrenando)  # (..., T, d_modelo)
    c = parametros["cabeza_mlm"]
    H = gelu(H @ c["W_f"].T + c["b_f"], aproximada=config.activacion == "gelu_tanh")  # (..., T, d_modelo)
    H = normalizacion_capa(H, c["gamma"], c["beta"], config.eps)
    return _desincrustar(H, parametros, config, solo_logits)  # (..., T, N_V)


@implementa("transformador-solo-decodificador")
def transformador_solo_decodificador(
    x, parametros, config, relleno=None, solo_logits=False, rng=None, entrenando=False
):
    """Transformador solo decodificador, DTransformer / GPT-2 (ec. `transformador-solo-decodificador`).

    P&H Alg. 10 (con ``config.norma="pre"``): ``X ← X + MHA(LN(X); M_causal)``,
    ``X ← X + FFN(LN(X))`` en cada capa, una LN final y ``P = softmax(X W_uᵀ)``. La fila ``t``
    solo depende de ``x[:t+1]``: es ``P̂(x[t+1] | x[:t+1])``.

    Formas
    ------
    x : (..., T), enteros    relleno : (..., T), True = token real    salida : (..., T, N_V)
    """
    validar_tipo(config, "solo-decodificador", "transformador_solo_decodificador")
    validar_relleno("relleno", relleno, "x", x)
    X = pila_decodificador(x, None, parametros, config, relleno, None, rng, entrenando)  # (..., T, d_modelo)
    return _desincrustar(X, parametros, config, solo_logits)  # (..., T, N_V)


def _log_verosimilitud(logits, x, relleno):
    """``Σ_t log P[x[t+1], t]`` sobre las posiciones reales (sin el primer token, que no se predice)."""
    logp = log_softmax(logits[..., :-1, :])  # (..., T-1, N_V)
    objetivo = x[..., 1:, None].astype(np.int64)  # (..., T-1, 1)
    lp = np.take_along_axis(logp, objetivo, axis=-1)[..., 0]  # (..., T-1)
    if relleno is not None:
        lp = np.where(relleno[..., 1:], lp, 0.0)
    return lp.sum(axis=-1)  # (...,)


@implementa("factorizacion-autoregresiva")
def factorizacion_autoregresiva(x, parametros, config, relleno=None):
    """Log-probabilidad de una secuencia con un modelo auto-regresivo (ec. `factorizacion-autoregresiva`).

    ``log P̂(x) = Σ_{t=2}^{T} log P̂(x[t] | x[1:t-1])``: el producto de las condicionales que da el
    transformador solo decodificador, condicionado al primer token (normalmente ``bos``), que no se
    predice. Sumada sobre todas las continuaciones posibles, ``exp`` da 1.

    Formas
    ------
    x : (..., T), enteros    relleno : (..., T), True = token real (las posiciones de relleno no cuentan)
    salida : (...,), log-probabilidades
    """
    logits = transformador_solo_decodificador(x, parametros, config, relleno, solo_logits=True)
    return _log_verosimilitud(logits, x, relleno)


@implementa("factorizacion-seq2seq-condicional")
def factorizacion_seq2seq_condicional(z, x, parametros, config, relleno_z=None, relleno_x=None):
    """Log-probabilidad condicional ``log P̂(x | z)`` de secuencia a secuencia (ec. `factorizacion-seq2seq-condicional`).

    ``log P̂(x | z) = Σ_{t=2}^{T} log P̂(x[t] | x[1:t-1], z)`` con el codificador-decodificador;
    ``x[1]`` es el ``bos``, que no se predice.

    Formas
    ------
    z : (..., S), enteros    x : (..., T), enteros    salida : (...,), log-probabilidades
    """
    logits = transformador_codificador_decodificador(z, x, parametros, config, relleno_z, relleno_x, solo_logits=True)
    return _log_verosimilitud(logits, x, relleno_x)


@implementa("clasificacion-token-cls")
def clasificacion_token_cls(x, parametros, config, relleno=None, solo_logits=False, rng=None, entrenando=False):
    """Clasificación con el token [CLS] de un codificador (ec. `clasificacion-token-cls`).

    ``P̂(c | x) = softmax(W_c h_[CLS] + b_c)`` con ``h_[CLS]`` la salida de la pila del codificador en
    la primera posición (P&H: ``ETransformer(x)[:, 1]``). BERT añade antes una capa densa con tanh
    («pooler»); promediar los tokens es otra opción. Necesita ``config.n_clases``.

    Formas
    ------
    x : (..., T), enteros, ``x[..., 0]`` = [CLS]    relleno : (..., T)
    salida : (..., N_C), probabilidades (o logits con ``solo_logits``)
    """
    if validar_configuracion(config).n_clases is None:
        raise ErrorDeForma("'config' no tiene cabeza de clasificación: crea la configuración con n_clases=N_C.")
    validar_relleno("relleno", relleno, "x", x)
    H = pila_codificador(x, parametros, config, relleno, rng, entrenando)  # (..., T, d_modelo)
    c = parametros["clasificador"]
    logits = H[..., 0, :] @ c["W_c"].T + c["b_c"]  # (..., N_C)
    return logits if solo_logits else softmax(logits)
