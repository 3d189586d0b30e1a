"""Pérdidas del entrenamiento (capítulo 8): entropía cruzada, perplejidad, forzado del profesor y MLM.

Las pérdidas reciben logits (sin softmax) y usan ``log_softmax`` estable. Un objetivo igual a
``ignorar`` no cuenta (como ``ignore_index`` de ``F.cross_entropy``); ``reduccion`` es "media"
(sobre los objetivos que cuentan, como PyTorch), "suma" (como escribe P&H) o "ninguna".

NumPy calcula las pérdidas y, donde es natural, su gradiente respecto de los logits
(:func:`gradiente_entropia_cruzada`); no retropropaga a través del transformador entero: para
entrenar un modelo se usa el gemelo de PyTorch (autograd) y ``con_torch.pasos_entrenamiento``.
"""

from __future__ import annotations

import numpy as np

from ..ecuaciones import implementa
from ..validacion.entrenamiento import validar_enmascarado, validar_entropia_cruzada, validar_modelo_lenguaje
from ..validacion.transformador import validar_configuracion
from .softmax import log_softmax, softmax
from .transformadores_completos import transformador_codificador_decodificador, transformador_solo_codificador

__all__ = [
    "entropia_cruzada",
    "gradiente_entropia_cruzada",
    "entropia_cruzada_modelo_lenguaje",
    "perplejidad",
    "perdida_forzado_profesor",
    "enmascarar_tokens",
    "modelado_lenguaje_enmascarado",
]

IGNORAR_MLM = -100  # las posiciones no enmascaradas no cuentan (convención de PyTorch)


def _validos_y_objetivo(objetivos, ignorar):
    validos = np.ones(objetivos.shape, bool) if ignorar is None else objetivos != ignorar
    return validos, np.where(validos, objetivos, 0).astype(np.int64)


def _reducir(perdida, validos, reduccion):
    if reduccion == "ninguna":
        return perdida
    total = perdida.sum()
    return total if reduccion == "suma" else total / max(int(validos.sum()), 1)


@implementa("suavizado-etiquetas")
def entropia_cruzada(logits, objetivos, ignorar=None, suavizado=0.0, reduccion="media"):
    """Entropía cruzada con suavizado de etiquetas (ec. `suavizado-etiquetas`).

    Con ``q'(k) = (1-ε)·δ_{k,y} + ε/K``: ``H(q', p) = (1-ε)·H(q, p) + ε·H(u, p)``, donde
    ``H(q, p) = -log p_y`` y ``H(u, p) = -(1/K)·Σ_k log p_k``. Con ``suavizado=0`` es la entropía
    cruzada de siempre. Igual que ``F.cross_entropy(logits, y, ignore_index, label_smoothing=ε)``.

    Parámetros
    ----------
    ignorar : índice de los objetivos que no cuentan (relleno), o None.
    suavizado : ε en [0, 1] (Vaswani: 0.1).
    reduccion : "media" (sobre los que cuentan; 0 si no cuenta ninguno, nunca NaN), "suma" o "ninguna".

    Formas
    ------
    logits : (..., K)    objetivos : (...), enteros en [0, K) o ``ignorar``
    salida : escalar; (...) con "ninguna" (0 en los ignorados)
    """
    validar_entropia_cruzada(logits, objetivos, ignorar, suavizado, reduccion)
    logp = log_softmax(logits)  # (..., K)
    validos, y = _validos_y_objetivo(objetivos, ignorar)
    nll = -np.take_along_axis(logp, y[..., None], axis=-1)[..., 0]  # H(q, p) : (...)
    uniforme = -logp.mean(axis=-1)  # H(u, p) : (...)
    perdida = np.where(validos, (1 - suavizado) * nll + suavizado * uniforme, 0.0)
    return _reducir(perdida, validos, reduccion)


def gradiente_entropia_cruzada(logits, objetivos, ignorar=None, suavizado=0.0, reduccion="media"):
    """Gradiente de :func:`entropia_cruzada` respecto de los logits (ec. `suavizado-etiquetas`).

    ``∂L/∂z = softmax(z) - q'`` en cada ejemplo que cuenta (0 en los ignorados), dividido por el
    número de ellos con "media". Con "ninguna" cada fila es el gradiente de la pérdida de su ejemplo.

    Formas
    ------
    logits : (..., K)    objetivos : (...)    salida : (..., K)
    """
    f = validar_entropia_cruzada(logits, objetivos, ignorar, suavizado, reduccion)
    validos, y = _validos_y_objetivo(objetivos, ignorar)
    q = np.full(logits.shape, suavizado / f["K"], dtype=logits.dtype)  # ε/K en todas las clases
    np.put_along_axis(q, y[..., None], suavizado / f["K"] + 1 - suavizado, axis=-1)  # + (1-ε) en la correcta
    g = (softmax(logits) - q) * validos[..., None]  # (..., K)
    return g / max(int(validos.sum()), 1) if reduccion == "media" else g


@implementa("entropia-cruzada-modelo-lenguaje")
def entropia_cruzada_modelo_lenguaje(logits, x, ignorar=None, reduccion="suma"):
    """Log-loss de predecir el siguiente token (ec. `entropia-cruzada-modelo-lenguaje`; P&H Alg. 13).

    ``L(θ) = -Σ_{t=1}^{T-1} log P(θ)[x[t+1], t]``: la posición ``t`` de los logits predice ``x[t+1]``,
    así que se desplaza una posición. Igual que
    ``F.cross_entropy(logits[:, :-1].reshape(-1, N_V), x[:, 1:].reshape(-1), ignore_index=relleno, reduction="sum")``.

    Formas
    ------
    logits : (..., T, N_V)    x : (..., T), enteros, T ≥ 2    salida : escalar; (..., T-1) con "ninguna"
    """
    validar_modelo_lenguaje(logits, x, ignorar, reduccion)
    return entropia_cruzada(logits[..., :-1, :], x[..., 1:], ignorar, 0.0, reduccion)


@implementa("perplejidad")
def perplejidad(logits, x, ignorar=None):
    """Perplejidad (ec. `perplejidad`): ``PPL = exp(-(1/N)·Σ_t log P̂(x_t | x_<t))``.

    La exponencial de la entropía cruzada media por token predicho. Un modelo uniforme tiene
    ``PPL = N_V``; uno perfecto, 1.

    Formas
    ------
    logits : (..., T, N_V)    x : (..., T), enteros    salida : escalar ≥ 1
    """
    return np.exp(entropia_cruzada_modelo_lenguaje(logits, x, ignorar, "media"))


@implementa("forzado-del-profesor-seq2seq")
def perdida_forzado_profesor(
    z, x, parametros, config, relleno_z=None, ignorar=None, reduccion="suma", rng=None, entrenando=False
):
    """Pérdida de secuencia a secuencia con forzado del profesor (ec. `forzado-del-profesor-seq2seq`; P&H Alg. 11).

    ``L(θ) = -Σ_{t=1}^{T-1} log P(θ)[x[t+1], t]`` con ``P = EDTransformer(z, x)`` y
    ``x = [bos, y_1, …, y_n, eos]``: el decodificador recibe la secuencia **verdadera** (no la que
    predice) y, gracias a la máscara causal, todas las posiciones se entrenan en una sola pasada.

    Parámetros
    ----------
    ignorar : id del token de relleno de ``x`` (en [0, N_V)); esas posiciones ni se atienden ni cuentan.

    Formas
    ------
    z : (..., S), enteros    x : (..., T), enteros    salida : escalar
    """
    validar_configuracion(config)
    relleno_x = None if ignorar is None else x != ignorar
    logits = transformador_codificador_decodificador(
        z, x, parametros, config, relleno_z, relleno_x, True, rng, entrenando
    )
    return entropia_cruzada_modelo_lenguaje(logits, x, ignorar, reduccion)


def enmascarar_tokens(x, id_mascara, n_vocab, p_mask=0.15, bert=False, relleno=None, rng=None):
    """Elige las posiciones de ``T̃`` y construye ``x̃`` (ec. `modelado-lenguaje-enmascarado`; P&H Alg. 12).

    Cada posición (real) entra en ``T̃`` con probabilidad ``p_mask``. P&H (``bert=False``): las de ``T̃``
    pasan a ``id_mascara``. BERT (``bert=True``): de las de ``T̃``, el 80 % pasa a ``id_mascara``, el
    10 % a un token al azar y el 10 % se queda igual. ``rng`` es un ``np.random.Generator``.

    Formas
    ------
    x : (..., T), enteros    relleno : (..., T), True = token real (nunca se elige)
    devuelve (x_tilde, seleccion) : (..., T) enteros y (..., T) booleana (True = posición de T̃)
    """
    validar_enmascarado(x, id_mascara, n_vocab, p_mask, relleno)
    rng = np.random.default_rng() if rng is None else rng
    seleccion = rng.random(x.shape) < p_mask
    if relleno is not None:
        seleccion &= relleno
    if not bert:
        return np.where(seleccion, id_mascara, x).astype(x.dtype), seleccion
    u = rng.random(x.shape)
    aleatorios = rng.integers(0, n_vocab, x.shape)
    x_tilde = np.where(seleccion & (u < 0.8), id_mascara, x)  # 80 %: [MASK]
    x_tilde = np.where(seleccion & (u >= 0.8) & (u < 0.9), aleatorios, x_tilde)  # 10 %: al azar
    return x_tilde.astype(x.dtype), seleccion  # el 10 % restante queda igual


@implementa("modelado-lenguaje-enmascarado")
def modelado_lenguaje_enmascarado(
    x, parametros, config, id_mascara, p_mask=0.15, bert=False, relleno=None, reduccion="suma", rng=None,
    entrenando=False,
):  # fmt: skip
    """Pérdida de modelado de lenguaje enmascarado, MLM (ec. `modelado-lenguaje-enmascarado`; P&H Alg. 12).

    ``L_MLM(θ) = -Σ_{t∈T̃} log P(θ)[x[t], t]`` con ``P = ETransformer(x̃)``: el modelo ve ``x̃``
    (:func:`enmascarar_tokens`) y solo se le piden los tokens originales de las posiciones de ``T̃``.

    Formas
    ------
    x : (..., T), enteros    relleno : (..., T)
    devuelve (perdida, x_tilde, seleccion) : escalar, (..., T) enteros, (..., T) booleana
    """
    validar_configuracion(config)
    x_tilde, seleccion = enmascarar_tokens(x, id_mascara, config.n_vocab, p_mask, bert, relleno, rng)
    logits = transformador_solo_codificador(x_tilde, parametros, config, relleno, True, rng, entrenando)
    objetivos = np.where(seleccion, x, IGNORAR_MLM)  # solo cuentan las posiciones de T̃
    return entropia_cruzada(logits, objetivos, IGNORAR_MLM, 0.0, reduccion), x_tilde, seleccion
