"""Elegir el siguiente token (capítulo 9), gemelo PyTorch: voraz, temperatura, top-k y núcleo (top-p).

Mismas funciones y firmas que ``con_numpy``. El azar viene de ``rng``, un ``torch.Generator`` en el
dispositivo de los logits (None = el generador global), y se muestrea con ``torch.multinomial``
(en float32 si los logits son de menor precisión). Los ids vuelven en el dispositivo de los logits.
"""

from __future__ import annotations

import torch

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
    """Un índice por fila con probabilidades ``q`` (``torch.multinomial``)."""
    q = q.reshape(-1, q.shape[-1])  # (n, N_V)
    if q.dtype in (torch.bfloat16, torch.float16):
        q = q.float()
    return torch.multinomial(q, 1, generator=rng)[:, 0]  # (n,)


@implementa("decodificacion-voraz")
def decodificacion_voraz(logits):
    """Decodificación voraz (ec. `decodificacion-voraz`): ``argmax`` de los logits (el primero si hay empate).

    Formas
    ------
    logits : (..., N_V)    salida : (...), enteros
    """
    validar_logits(logits)
    return torch.argmax(logits, dim=-1)


@implementa("muestreo-temperatura")
def muestreo_temperatura(logits, tau=1.0, rng=None):
    """Muestreo con temperatura (ec. `muestreo-temperatura`; P&H Alg. 14): ``q = softmax(z/τ)``; ``τ = 0`` es la voraz.

    Formas
    ------
    logits : (..., N_V)    salida : (...), enteros
    """
    f = validar_logits(logits)
    validar_muestreo(tau, None, None, f["N_V"])
    if tau == 0:
        return torch.argmax(logits, dim=-1)
    q = softmax(logits / tau)  # (..., N_V)
    return _categorica(q, rng).reshape(logits.shape[:-1])


def filtrar_top_k(logits, k):
    """Deja los ``k`` logits mayores y pone ``-inf`` en el resto (ec. `muestreo-top-k`).

    Formas
    ------
    logits : (..., N_V)    salida : (..., N_V)
    """
    f = validar_logits(logits)
    validar_muestreo(0.0, k, None, f["N_V"])
    indices = torch.sort(logits, dim=-1, descending=True, stable=True).indices[..., :k]  # (..., k)
    conservar = torch.zeros_like(logits, dtype=torch.bool).scatter(-1, indices, True)
    return logits.masked_fill(~conservar, float("-inf"))


@implementa("muestreo-top-k")
def muestreo_top_k(logits, k, tau=1.0, rng=None):
    """Muestreo top-k (ec. `muestreo-top-k`): solo los ``k`` tokens más probables, con temperatura ``tau``.

    Formas
    ------
    logits : (..., N_V)    salida : (...), enteros
    """
    return muestreo_temperatura(filtrar_top_k(logits, k), tau, rng)


def filtrar_nucleo(logits, p):
    """El núcleo ``V⁽ᵖ⁾`` (ec. `muestreo-nucleo-top-p`): ``torch.sort`` + ``torch.cumsum``, conservando el primer
    token que cruza el umbral; el resto pasa a ``-inf``.

    Formas
    ------
    logits : (..., N_V)    salida : (..., N_V)
    """
    f = validar_logits(logits)
    validar_muestreo(0.0, None, p, f["N_V"])
    probs = softmax(logits)
    ordenadas, orden = torch.sort(probs, dim=-1, descending=True, stable=True)  # (..., N_V)
    antes = torch.cumsum(ordenadas, dim=-1) - ordenadas  # masa de los tokens anteriores
    conservar = torch.zeros_like(logits, dtype=torch.bool).scatter(-1, orden, antes < p)
    return logits.masked_fill(~conservar, float("-inf"))


@implementa("muestreo-nucleo-top-p")
def muestreo_nucleo(logits, p, tau=1.0, rng=None):
    """Muestreo de núcleo, top-p (ec. `muestreo-nucleo-top-p`): el núcleo sin temperatura, después ``tau``.

    Formas
    ------
    logits : (..., N_V)    salida : (...), enteros
    """
    return muestreo_temperatura(filtrar_nucleo(logits, p), tau, rng)


def muestrear(logits, tau=1.0, k=None, p=None, rng=None):
    """Elige el siguiente token: top-k (si ``k``), núcleo (si ``p``) y temperatura ``tau`` (ec. `muestreo-temperatura`).

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
