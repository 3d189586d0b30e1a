"""Cuentas de coste de la atención (capítulo 14), gemelo PyTorch.

Las fórmulas no dependen del marco: las tres primeras delegan en el gemelo NumPy (así no se
escriben dos veces). ``memoria_atencion`` entiende además los tipos de PyTorch
(``torch.float16``, ``torch.bfloat16``…). Las pruebas contrastan estas cuentas con
``torch.utils.flop_counter.FlopCounterMode`` y con ``Tensor.nbytes``.
"""

from __future__ import annotations

import torch

from ..con_numpy import eficiencia as _cn
from ..ecuaciones import implementa
from ..validacion.eficiencia import validar_bytes, validar_enteros_positivos

__all__ = ["complejidad_por_capa", "flops_capa_transformer", "flops_entrenamiento", "memoria_atencion"]


@implementa("complejidad-por-capa")
def complejidad_por_capa(n, d, k=3, r=8):
    """Tabla 1 de Vaswani et al. (2017) con los tamaños concretos (ec. `complejidad-por-capa`).

    Formas
    ------
    devuelve : dict ``capa -> (complejidad, secuenciales, camino)`` para ``autoatencion``,
    ``recurrente``, ``convolucional`` y ``autoatencion_restringida``
    """
    return _cn.complejidad_por_capa(n, d, k, r)


@implementa("flops-capa-transformer")
def flops_capa_transformer(n, d, d_ff=None, B=1):
    """FLOPs hacia delante de una capa, ``24nd² + 4n²d`` con ``d_ff = 4d`` (ec. `flops-capa-transformer`).

    Formas
    ------
    devuelve : dict con ``qkv``, ``qk``, ``av``, ``salida``, ``ffn`` y ``total``, para un lote de ``B``
    """
    return _cn.flops_capa_transformer(n, d, d_ff, B)


@implementa("flops-entrenamiento-6n")
def flops_entrenamiento(n_capas, d_modelo, n_ctx, d_attn=None, d_ff=None):
    """Regla de Kaplan: ``N = 12·n_capas·d_modelo²`` y ``C_entrenamiento ≈ 6N`` (ec. `flops-entrenamiento-6n`).

    Formas
    ------
    devuelve (N, C_adelante, C_entrenamiento) : enteros; los FLOPs son por token
    """
    return _cn.flops_entrenamiento(n_capas, d_modelo, n_ctx, d_attn, d_ff)


def _bytes_por_elemento(dtype):
    if isinstance(dtype, int) and not isinstance(dtype, bool):
        return dtype
    if isinstance(dtype, str):
        dtype = getattr(torch, dtype, None)
    return dtype.itemsize if isinstance(dtype, torch.dtype) and dtype.is_floating_point else None


@implementa("memoria-atencion-cuadratica")
def memoria_atencion(B, h, n, m=None, dtype="float32"):
    """Bytes de la matriz de atención, ``B·h·n·m·bytes`` (ec. `memoria-atencion-cuadratica`).

    ``dtype`` puede ser un ``torch.dtype``, su nombre (``"bfloat16"``) o los bytes por elemento.

    Formas
    ------
    devuelve : entero, igual a ``torch.empty(B, h, n, m, dtype=dtype).nbytes``
    """
    validar_enteros_positivos(B=B, h=h, n=n, m=m)
    m = n if m is None else m
    return B * h * n * m * validar_bytes(dtype, _bytes_por_elemento(dtype))
