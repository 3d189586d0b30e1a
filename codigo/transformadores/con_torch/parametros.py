"""El diccionario de parámetros de un transformador (capítulo 7): cómo se inicia; gemelo PyTorch.

La estructura la fija :meth:`Configuracion.esquema_parametros`; los dos gemelos y los módulos
(``parametros()``) usan la misma. Para pasar pesos de un gemelo a otro:
``parametros_a_numpy`` y ``convertir_parametros`` (en ``con_torch.modulos_transformador``).
"""

from __future__ import annotations

import math

import torch

from ..validacion.transformador import validar_configuracion
from .posiciones import codificacion_posicional_sinusoidal

__all__ = ["inicializar_parametros"]

_ATENCION = ("W_q", "W_k", "W_v", "W_o")
_LINEALES = ("W_1", "W_2", "W_f", "W_c")
_CEROS = ("b_q", "b_k", "b_v", "b_o", "beta")
_FAN_IN_SESGO = {"b_1": "d_modelo", "b_2": "d_ffn", "b_f": "d_modelo", "b_c": "d_modelo"}


def _uniforme(forma, cota, rng, fk):
    return (torch.rand(forma, generator=rng, **fk) * 2 - 1) * cota


def _inicial(nombre, forma, config, rng, fk):
    """Un tensor nuevo según su papel (el nombre de la hoja)."""
    if nombre in _ATENCION:  # Xavier uniforme, como nn.MultiheadAttention
        return _uniforme(forma, math.sqrt(6 / (forma[0] + forma[1])), rng, fk)
    if nombre in _CEROS:
        return torch.zeros(forma, **fk)
    if nombre == "gamma":
        return torch.ones(forma, **fk)
    if nombre in _LINEALES or nombre in _FAN_IN_SESGO:  # como nn.Linear: U(±1/√fan_in)
        fan_in = forma[1] if nombre in _LINEALES else config.valor_simbolo(_FAN_IN_SESGO[nombre])
        return _uniforme(forma, 1 / math.sqrt(fan_in), rng, fk)
    if nombre == "W_P" and config.posicional == "sinusoidal":  # tabla fija, no se entrena
        return codificacion_posicional_sinusoidal(config.l_max, config.d_modelo, dtype=fk["dtype"]).to(fk["device"])
    return torch.randn(forma, generator=rng, **fk) / math.sqrt(config.d_modelo)  # W_E, W_P, W_u: N(0, 1/d)


def inicializar_parametros(config, rng=None, dtype=None):
    """Un diccionario de parámetros nuevo para ``config`` (estructura: :meth:`Configuracion.esquema_parametros`).

    Mismo reparto que el gemelo NumPy (Xavier en la atención, ``U(±1/√fan_in)`` en las lineales,
    ``N(0, 1/d_modelo)`` en las incrustaciones), con otro generador: los valores no coinciden.

    Parámetros
    ----------
    rng : ``torch.Generator``; los tensores se crean en su dispositivo. None = uno en la CPU con semilla 0.
    dtype : tipo de los tensores (el de omisión de torch si es None).

    Formas
    ------
    devuelve : diccionario anidado con las formas de ``config.formas_parametros()``
    """
    validar_configuracion(config)
    rng = torch.Generator().manual_seed(0) if rng is None else rng
    fk = {"dtype": dtype or torch.get_default_dtype(), "device": rng.device}

    def crear(nodo, nombre):
        if isinstance(nodo, dict):
            return {k: crear(v, k) for k, v in nodo.items()}
        if isinstance(nodo, list):
            return [crear(v, nombre) for v in nodo]
        return _inicial(nombre, nodo, config, rng, fk)

    return crear(config.formas_parametros(), "")
