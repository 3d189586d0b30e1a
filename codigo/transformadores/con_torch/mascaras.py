"""Máscaras de atención (capítulo 3), gemelo PyTorch. ``True`` = «puede atender».

Ojo: ``nn.MultiheadAttention`` usa la convención contraria (``True`` = prohibido) en
``attn_mask`` y ``key_padding_mask``; para pasarle nuestras máscaras, niégalas con ``~``.
"""

from __future__ import annotations

import torch

from ..ecuaciones import implementa
from ..errores import ErrorDeForma, comprobar_booleana
from ..validacion import validar_longitud, validar_longitudes

__all__ = ["mascara_aditiva", "mascara_relleno", "mascara_causal", "combinar_mascaras"]


@implementa("mascara-aditiva")
def mascara_aditiva(permitido, dtype=None):
    """Máscara booleana → sesgo aditivo 0/-inf (ec. `mascara-aditiva`).

    Formas
    ------
    permitido : (..., T, S), booleana    salida : (..., T, S), ``dtype`` (el de omisión de torch)
    """
    comprobar_booleana("permitido", permitido)
    salida = torch.zeros(permitido.shape, dtype=dtype or torch.get_default_dtype(), device=permitido.device)
    return salida.masked_fill(~permitido, float("-inf"))


@implementa("mascara-relleno")
def mascara_relleno(longitudes, S):
    """Máscara de relleno a partir de las longitudes reales (ec. `mascara-relleno`).

    Formas
    ------
    longitudes : (B,), enteros en [0, S]    salida : (B, S), booleana; True = token real
    """
    longitudes = torch.as_tensor(longitudes)
    validar_longitudes(longitudes, S)
    return torch.arange(S, device=longitudes.device) < longitudes[:, None]  # (B, S)


@implementa("mascara-causal")
def mascara_causal(T, S=None):
    """Máscara causal triangular inferior (ec. `mascara-causal`); en CPU, muévela con ``.to``.

    Formas
    ------
    salida : (T, S), booleana; la consulta ``i`` ve las claves ``j ≤ i + S - T``
    """
    validar_longitud("T", T)
    S = validar_longitud("S", T if S is None else S)
    return torch.ones(T, S, dtype=torch.bool).tril(diagonal=S - T)


@implementa("mascara-combinada")
def combinar_mascaras(*mascaras):
    """Combina máscaras booleanas con el Y lógico (ec. `mascara-combinada`).

    Formas
    ------
    cada máscara : difundible a una forma común (..., T, S)    salida : esa forma común
    """
    if not mascaras:
        raise ErrorDeForma("'mascaras' debe contener al menos una máscara, pero no se recibió ninguna.")
    for k, m in enumerate(mascaras):
        comprobar_booleana(f"mascaras[{k}]", m)
    try:
        forma = torch.broadcast_shapes(*(m.shape for m in mascaras))
    except RuntimeError:
        formas = ", ".join(str(tuple(m.shape)) for m in mascaras)
        raise ErrorDeForma(f"'mascaras' deben poder difundirse a una forma común, pero se recibió {formas}.") from None
    resultado = torch.ones(forma, dtype=torch.bool, device=mascaras[0].device)
    for m in mascaras:
        resultado = resultado & m
    return resultado
