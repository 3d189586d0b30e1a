"""Pesos de los transformadores de ``torch.nn`` en nuestro diccionario de parámetros (capítulo 7).

``nn.TransformerEncoderLayer``, ``nn.TransformerDecoderLayer`` y ``nn.Transformer`` son los
oráculos de las capas y de la pila completa: con estas funciones sus pesos pasan a las funciones
de ``con_numpy`` y ``con_torch`` (o a ``cargar_parametros`` de los módulos). Recuerda dos
diferencias al compararlos: sus máscaras usan True = prohibido (niega las nuestras con ``~``) y
``nn.Transformer`` añade siempre una LayerNorm final a cada pila (``Configuracion(norma_final=True)``).
"""

from __future__ import annotations

from torch import nn

__all__ = ["parametros_de_capa_pytorch", "parametros_de_transformer_pytorch"]


def _atencion(mha: nn.MultiheadAttention) -> dict:
    W_q, W_k, W_v = mha.in_proj_weight.detach().chunk(3)  # filas [0, d), [d, 2d), [2d, 3d)
    b_q, b_k, b_v = mha.in_proj_bias.detach().chunk(3)
    return {"W_q": W_q, "b_q": b_q, "W_k": W_k, "b_k": b_k, "W_v": W_v, "b_v": b_v,
            "W_o": mha.out_proj.weight.detach(), "b_o": mha.out_proj.bias.detach()}  # fmt: skip


def _norma(ln: nn.LayerNorm) -> dict:
    return {"gamma": ln.weight.detach(), "beta": ln.bias.detach()}


def parametros_de_capa_pytorch(capa) -> dict:
    """El diccionario de una capa a partir de ``nn.TransformerEncoderLayer`` o ``nn.TransformerDecoderLayer``.

    ``self_attn`` → ``autoatencion``, ``multihead_attn`` → ``atencion_cruzada``, ``linear1/2`` →
    ``ffn``, ``norm1/2/3`` → ``norma_autoatencion``, (``norma_cruzada``), ``norma_ffn``. Los tensores
    comparten memoria con la capa (``detach``, sin copia).

    Formas
    ------
    devuelve : diccionario con las formas de una capa (ver :meth:`Configuracion.esquema_parametros`)
    """
    if not isinstance(capa, (nn.TransformerEncoderLayer, nn.TransformerDecoderLayer)):
        raise TypeError(
            f"'capa' debe ser un nn.TransformerEncoderLayer o un nn.TransformerDecoderLayer, pero se recibió "
            f"{type(capa).__name__}."
        )
    ffn = {"W_1": capa.linear1.weight.detach(), "b_1": capa.linear1.bias.detach(),
           "W_2": capa.linear2.weight.detach(), "b_2": capa.linear2.bias.detach()}  # fmt: skip
    p = {"autoatencion": _atencion(capa.self_attn), "norma_autoatencion": _norma(capa.norm1)}
    if isinstance(capa, nn.TransformerDecoderLayer):
        p |= {"atencion_cruzada": _atencion(capa.multihead_attn), "norma_cruzada": _norma(capa.norm2)}
        return p | {"ffn": ffn, "norma_ffn": _norma(capa.norm3)}
    return p | {"ffn": ffn, "norma_ffn": _norma(capa.norm2)}


def parametros_de_transformer_pytorch(transformer: nn.Transformer) -> dict:
    """Las pilas ``codificador`` y ``decodificador`` de un ``nn.Transformer`` (sin incrustaciones, que no tiene).

    Completa el diccionario con ``incrustacion`` (y ``desincrustacion``) para usarlo con
    ``transformador_codificador_decodificador``. ``norma_final`` aparece si la pila la tiene.

    Formas
    ------
    devuelve : {"codificador": {"capas", ["norma_final"]}, "decodificador": {"capas", ["norma_final"]}}
    """
    if not isinstance(transformer, nn.Transformer):
        raise TypeError(f"'transformer' debe ser un nn.Transformer, pero se recibió {type(transformer).__name__}.")
    pilas = {}
    for nombre, pila in (("codificador", transformer.encoder), ("decodificador", transformer.decoder)):
        pilas[nombre] = {"capas": [parametros_de_capa_pytorch(c) for c in pila.layers]}
        if pila.norm is not None:
            pilas[nombre]["norma_final"] = _norma(pila.norm)
    return pilas
