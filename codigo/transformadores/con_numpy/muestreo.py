"""Elegir el siguiente token (capítulo 9): voraz, temperatura, top-k y núcleo (top-p).

Todas reciben los logits del último paso, (..., N_V), y devuelven ids de token (...). El azar
viene de ``rng`` (``np.random.Generator``; None = uno nuevo sin semilla). Los filtros
(:func:`filtrar_top_k`, :func:`filtrar_nucleo`) son deterministas y devuelven los logits con
``-inf`` en los tokens descartados: así se ve la distribución ``q`` de la que se muestrea.
"""

from __future__ import annotations

import numpy as np

from ..ecuaciones import implementa
from ..validacion.inferencia import validar_logits, validar_muestreo
from .softmax import softmax

__all__ = [
    "decodificacion_voraz",
    "muestreo_temperatura",
    "filtrar_top_k",
    "muestreo_top_k",
    "filtrar_nucleo",
    "muestreo_nucleo",
    "muestrear",
]


def _categorica(q, rng):
    """Un índice por fila con probabilidades ``q`` (inversa de la acumulada; nunca un índice con q = 0)."""
    u = 1.0 - rng.random((*q.shape[:-1], 1))  # en (0, 1]
    acumulada = np.cumsum(q, axis=-1)  # (..., N_V)
    indices = (acumulada < u * acumulada[..., -1:]).sum(axis=-1)  # primer índice con acumulada ≥ u
    return np.minimum(indices, q.shape[-1] - 1)


@implementa("decodificacion-voraz")
def decodificacion_voraz(logits):
    """Decodificación voraz (ec. `decodificacion-voraz`): ``y = argmax_v P̂(v | y_<t)``.

    Determinista; es el límite ``τ → 0`` de :func:`muestreo_temperatura`. Con empates, el primer índice.

    Formas
    ------
    logits : (..., N_V)    salida : (...), enteros
    """
    validar_logits(logits)
    return np.argmax(logits, axis=-1)


@implementa("muestreo-temperatura")
def muestreo_temperatura(logits, tau=1.0, rng=None):
    """Muestreo con temperatura (ec. `muestreo-temperatura`; P&H Alg. 14): ``q ∝ p^(1/τ) = softmax(z/τ)``.

    ``τ = 1`` muestrea fielmente; ``τ → ∞`` tiende a la uniforme (sobre los tokens con logit finito);
    ``τ = 0`` es la voraz. Dividir los logits es más estable que elevar ``p``.

    Formas
    ------
    logits : (..., N_V)    salida : (...), enteros
    """
    f = validar_logits(logits)
    validar_muestreo(tau, None, None, f["N_V"])
    if tau == 0:
        return np.argmax(logits, axis=-1)
    rng = np.random.default_rng() if rng is None else rng
    return _categorica(softmax(logits / tau), rng)


def filtrar_top_k(logits, k):
    """Deja los ``k`` logits mayores y pone ``-inf`` en el resto (ec. `muestreo-top-k`).

    Formas
    ------
    logits : (..., N_V)    salida : (..., N_V)
    """
    f = validar_logits(logits)
    validar_muestreo(0.0, k, None, f["N_V"])
    indices = np.argsort(-logits, axis=-1, kind="stable")[..., :k]  # (..., k): los k mayores
    conservar = np.zeros(logits.shape, dtype=bool)
    np.put_along_axis(conservar, indices, True, axis=-1)
    return np.where(conservar, logits, -np.inf).astype(logits.dtype)


@implementa("muestreo-top-k")
def muestreo_top_k(logits, k, tau=1.0, rng=None):
    """Muestreo top-k de Fan et al. (ec. `muestreo-top-k`): ``q_i ∝ p_i·[[i ∈ V⁽ᵏ⁾]]``.

    Solo los ``k`` tokens más probables pueden salir, con temperatura ``tau``; ``k = 1`` es la voraz.

    Formas
    ------
    logits : (..., N_V)    salida : (...), enteros
    """
    return muestreo_temperatura(filtrar_top_k(logits, k), tau, rng)


def filtrar_nucleo(logits, p):
    """El núcleo ``V⁽ᵖ⁾``: el menor conjunto de tokens más probables cuya probabilidad suma al menos ``p``.

    Ordena de mayor a menor, acumula y conserva hasta el primer token que cruza el umbral (incluido);
    el resto pasa a ``-inf`` (ec. `muestreo-nucleo-top-p`).

    Formas
    ------
    logits : (..., N_V)    salida : (..., N_V)
    """
    f = validar_logits(logits)
    validar_muestreo(0.0, None, p, f["N_V"])
    probs = softmax(logits)
    orden = np.argsort(-probs, axis=-1, kind="stable")  # (..., N_V), de mayor a menor
    ordenadas = np.take_along_axis(probs, orden, axis=-1)
    antes = np.cumsum(ordenadas, axis=-1) - ordenadas  # masa de los tokens anteriores
    conservar = np.zeros(logits.shape, dtype=bool)
    np.put_along_axis(conservar, orden, antes < p, axis=-1)
    return np.where(conservar, logits, -np.inf).astype(logits.dtype)


@implementa("muestreo-nucleo-top-p")
def muestreo_nucleo(logits, p, tau=1.0, rng=None):
    """Muestreo de núcleo, top-p, de Holtzman et al. (ec. `muestreo-nucleo-top-p`).

    ``q(x) = p(x)·[[x ∈ V⁽ᵖ⁾]] / Σ_{x'∈V⁽ᵖ⁾} p(x')``; el núcleo se elige con la distribución sin
    temperatura y después se muestrea con ``tau``.

    Formas
    ------
    logits : (..., N_V)    salida : (...), enteros
    """
    return muestreo_temperatura(filtrar_nucleo(logits, p), tau, rng)


def muestrear(logits, tau=1.0, k=None, p=None, rng=None):
    """Elige el siguiente token: filtro top-k (si ``k``), núcleo (si ``p``) y temperatura ``tau`` (0 = voraz).

    Es el paso «muestrear y ~ q» de los Algs. 14 y 15 de P&H (ec. `muestreo-temperatura`).

    Formas
    ------
    logits : (..., N_V)    salida : (...), enteros
    """
    f = validar_logits(logits)
    validar_muestreo(tau, k, p, f["N_V"])
    if k is not None:
        logits = filtrar_top_k(logits, k)
    if p is not None:
        logits = filtrar_nucleo(logits, p)
    return muestreo_temperatura(logits, tau, rng)
