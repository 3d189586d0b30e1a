"""Pasos de entrenamiento de los tres transformadores (capítulo 8; P&H Algs. 11–13), solo en PyTorch.

Cada paso hace lo que el cuerpo del bucle de P&H: pasada hacia delante en modo ``train()``
(dropout activo), pérdida, ``backward`` y un paso del optimizador (y del calendario, si se da).
P&H suma la pérdida sobre los tokens y usa SGD; aquí se promedia por token («media»), que con
Adam y el calendario de Vaswani es lo habitual. NumPy no tiene gemelo de estas funciones: no
retropropaga a través del transformador entero.
"""

from __future__ import annotations

import torch

from .entrenamiento import entropia_cruzada_modelo_lenguaje, modelado_lenguaje_enmascarado, perdida_forzado_profesor
from .modulos_transformador import (
    TransformadorCodificadorDecodificador,
    TransformadorSoloCodificador,
    TransformadorSoloDecodificador,
)
from .optimizacion import calendario_vaswani

__all__ = [
    "paso_entrenamiento_decodificador",
    "paso_entrenamiento_seq2seq",
    "paso_entrenamiento_mlm",
    "optimizador_vaswani",
]


def _validar(modelo, clase, optimizador) -> None:
    if not isinstance(modelo, clase):
        raise TypeError(f"'modelo' debe ser un {clase.__name__}, pero se recibió {type(modelo).__name__}.")
    if not isinstance(optimizador, torch.optim.Optimizer):
        raise TypeError(
            f"'optimizador' debe ser un torch.optim.Optimizer, pero se recibió {type(optimizador).__name__}."
        )


def _paso(modelo, optimizador, calcular_perdida, calendario) -> float:
    modelo.train()
    optimizador.zero_grad(set_to_none=True)
    perdida = calcular_perdida()  # unos logits con NaN o +inf ya fallan aquí, con su mensaje
    perdida.backward()
    optimizador.step()
    if calendario is not None:
        calendario.step()
    return float(perdida.detach())


def paso_entrenamiento_decodificador(modelo, optimizador, x, relleno=None, ignorar=None, calendario=None, rng=None):
    """Un paso de DTraining (P&H Alg. 13) con la pérdida de ec. `entropia-cruzada-modelo-lenguaje` (media por token).

    Parámetros
    ----------
    modelo : ``TransformadorSoloDecodificador``.
    ignorar : id del token de relleno; si se da y ``relleno`` es None, ``relleno = x != ignorar``.
    calendario : un ``torch.optim.lr_scheduler`` (p. ej. el de :func:`optimizador_vaswani`) o None.

    Formas
    ------
    x : (B, T), enteros    devuelve : la pérdida antes del paso, como número de Python
    """
    _validar(modelo, TransformadorSoloDecodificador, optimizador)
    relleno = x != ignorar if relleno is None and ignorar is not None else relleno

    def perdida():
        logits = modelo(x, relleno, solo_logits=True, rng=rng)  # (B, T, N_V)
        return entropia_cruzada_modelo_lenguaje(logits, x, ignorar, "media")

    return _paso(modelo, optimizador, perdida, calendario)


def paso_entrenamiento_seq2seq(modelo, optimizador, z, x, relleno_z=None, ignorar=None, calendario=None, rng=None):
    """Un paso de EDTraining (P&H Alg. 11) con forzado del profesor (ec. `forzado-del-profesor-seq2seq`).

    Formas
    ------
    z : (B, S), x : (B, T) = [bos, y…, eos, relleno…]    devuelve : la pérdida media por token
    """
    _validar(modelo, TransformadorCodificadorDecodificador, optimizador)

    def perdida():
        return perdida_forzado_profesor(
            z, x, modelo.parametros(), modelo.config, relleno_z, ignorar, "media", rng, True
        )

    return _paso(modelo, optimizador, perdida, calendario)


def paso_entrenamiento_mlm(
    modelo, optimizador, x, id_mascara, p_mask=0.15, bert=False, relleno=None, calendario=None, rng=None
):
    """Un paso de ETraining (P&H Alg. 12) con la pérdida MLM (ec. `modelado-lenguaje-enmascarado`), media.

    Formas
    ------
    x : (B, T), enteros    devuelve : la pérdida media sobre las posiciones enmascaradas
    """
    _validar(modelo, TransformadorSoloCodificador, optimizador)

    def perdida():
        p = modelo.parametros()
        return modelado_lenguaje_enmascarado(
            x, p, modelo.config, id_mascara, p_mask, bert, relleno, "media", rng, True
        )[0]

    return _paso(modelo, optimizador, perdida, calendario)


def optimizador_vaswani(modelo, calentamiento=4000, factor=1.0):
    """Adam de Vaswani (β₁ = 0.9, β₂ = 0.98, ε = 1e-9) con el calendario «Noam».

    El calendario es el de la ec. `calendario-calentamiento-vaswani`.

    Devuelve ``(optimizador, calendario)``: ``torch.optim.Adam(lr=1)`` y un ``LambdaLR`` que multiplica
    esa tasa por ``calendario_vaswani(s, d_modelo, calentamiento, factor)``.

    Formas
    ------
    devuelve (optimizador, calendario) : ``torch.optim.Adam`` y ``torch.optim.lr_scheduler.LambdaLR``
    """
    if not isinstance(modelo, torch.nn.Module) or not hasattr(modelo, "config"):
        raise TypeError(
            f"'modelo' debe ser uno de los transformadores del paquete, pero se recibió {type(modelo).__name__}."
        )
    d_modelo = modelo.config.d_modelo
    calendario_vaswani(0, d_modelo, calentamiento, factor)  # valida los argumentos
    optimizador = torch.optim.Adam(modelo.parameters(), lr=1.0, betas=(0.9, 0.98), eps=1e-9)
    calendario = torch.optim.lr_scheduler.LambdaLR(
        optimizador, lambda s: calendario_vaswani(s, d_modelo, calentamiento, factor)
    )
    return optimizador, calendario
