"""El diccionario de parámetros de un transformador (capítulo 7): cómo se inicia.

La estructura la fija :meth:`Configuracion.esquema_parametros`; los dos gemelos y los módulos
de PyTorch (``parametros()``) usan la misma, así que unos mismos pesos sirven en NumPy y en PyTorch.
"""

from __future__ import annotations

import math

import numpy as np

from ..validacion.transformador import validar_configuracion
from .posiciones import codificacion_posicional_sinusoidal

__all__ = ["inicializar_parametros"]

_ATENCION = ("W_q", "W_k", "W_v", "W_o")
_LINEALES = ("W_1", "W_2", "W_f", "W_c")
_CEROS = ("b_q", "b_k", "b_v", "b_o", "beta")
_FAN_IN_SESGO = {"b_1": "d_modelo", "b_2": "d_ffn", "b_f": "d_modelo", "b_c": "d_modelo"}


def _inicial(nombre, forma, config, rng, dtype):
    """Un tensor nuevo según su papel (el nombre de la hoja)."""
    if nombre in _ATENCION:  # Xavier uniforme, como nn.MultiheadAttention
        cota = math.sqrt(6 / (forma[0] + forma[1]))
        return rng.uniform(-cota, cota, forma).astype(dtype)
    if nombre in _CEROS:
        return np.zeros(forma, dtype)
    if nombre == "gamma":
        return np.ones(forma, dtype)
    if nombre in _LINEALES or nombre in _FAN_IN_SESGO:  # como nn.Linear: U(±1/√fan_in)
        fan_in = forma[1] if nombre in _LINEALES else config.valor_simbolo(_FAN_IN_SESGO[nombre])
        return rng.uniform(-1 / math.sqrt(fan_in), 1 / math.sqrt(fan_in), forma).astype(dtype)
    if nombre == "W_P" and config.posicional == "sinusoidal":  # tabla fija, no se entrena
        return codificacion_posicional_sinusoidal(config.l_max, config.d_modelo, dtype=dtype)
    return (rng.standard_normal(forma) / math.sqrt(config.d_modelo)).astype(dtype)  # W_E, W_P, W_u: N(0, 1/d)


def inicializar_parametros(config, rng=None, dtype=None):
    """Un diccionario de parámetros nuevo para ``config`` (estructura: :meth:`Configuracion.esquema_parametros`).

    Atención: Xavier uniforme y sesgos a cero (``nn.MultiheadAttention``); red posicional, cabeza
    MLM y clasificador: ``U(±1/√fan_in)`` (``nn.Linear``); LayerNorm: ``γ = 1``, ``β = 0``;
    ``W_E``, ``W_u`` y ``W_P`` aprendida: ``N(0, 1/d_modelo)`` (con los pesos atados, los logits
    empiezan con varianza del orden de 1); ``W_P`` sinusoidal: la tabla de Vaswani.

    Parámetros
    ----------
    rng : ``np.random.Generator``; None = uno con semilla 0.
    dtype : tipo de los arreglos (float64 por omisión).

    Formas
    ------
    devuelve : diccionario anidado con las formas de ``config.formas_parametros()``
    """
    validar_configuracion(config)
    rng = np.random.default_rng(0) if rng is None else rng
    dtype = np.dtype(dtype or np.float64)

    def crear(nodo, nombre):
        if isinstance(nodo, dict):
            return {k: crear(v, k) for k, v in nodo.items()}
        if isinstance(nodo, list):
            return [crear(v, nombre) for v in nodo]
        return _inicial(nombre, nodo, config, rng, dtype)

    return crear(config.formas_parametros(), "")
