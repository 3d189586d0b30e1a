"""Cuentas de coste de la atención: complejidad, FLOPs y memoria (capítulo 14).

Son fórmulas cerradas sobre los tamaños del modelo: devuelven números de Python. Contamos
``2·m·n·k`` FLOPs por cada producto de una matriz ``m×k`` por otra ``k×n`` (una multiplicación
y una suma por término) y omitimos softmax, normalizaciones y sesgos, que son de orden menor.
"""

from __future__ import annotations

import math

import numpy as np

from ..ecuaciones import implementa
from ..errores import ErrorDeForma
from ..validacion.eficiencia import validar_bytes, validar_enteros_positivos

__all__ = ["complejidad_por_capa", "flops_capa_transformer", "flops_entrenamiento", "memoria_atencion"]


@implementa("complejidad-por-capa")
def complejidad_por_capa(n, d, k=3, r=8):
    """Tabla 1 de Vaswani et al. (2017) con los tamaños concretos (ec. `complejidad-por-capa`).

    Para cada tipo de capa: (complejidad por capa, operaciones secuenciales, longitud máxima
    del camino entre dos posiciones), sin las constantes que oculta la notación ``O``:

    ================================ ============ ============ ==========
    capa                             complejidad  secuenciales camino
    ================================ ============ ============ ==========
    ``autoatencion``                 ``n²·d``     1            1
    ``recurrente``                   ``n·d²``     ``n``        ``n``
    ``convolucional``                ``k·n·d²``   1            ``log_k n``
    ``autoatencion_restringida``     ``r·n·d``    1            ``n/r``
    ================================ ============ ============ ==========

    Parámetros
    ----------
    n : longitud de la secuencia    d : dimensión de la representación
    k : anchura del núcleo de la convolución (≥ 2)    r : tamaño del vecindario de la atención restringida

    Formas
    ------
    devuelve : dict ``capa -> (complejidad, secuenciales, camino)``, números de Python

    Lanza
    -----
    ErrorDeForma si algún tamaño no es un entero positivo o si ``k < 2``.
    """
    validar_enteros_positivos(n=n, d=d, k=k, r=r)
    if k < 2:
        raise ErrorDeForma(
            f"'k' (anchura del núcleo) debe ser al menos 2 para que exista log_k n, pero se recibió {k}."
        )
    return {
        "autoatencion": (n * n * d, 1, 1),
        "recurrente": (n * d * d, n, n),
        "convolucional": (k * n * d * d, 1, math.log(n) / math.log(k)),
        "autoatencion_restringida": (r * n * d, 1, n / r),
    }


@implementa("flops-capa-transformer")
def flops_capa_transformer(n, d, d_ff=None, B=1):
    """FLOPs de la pasada hacia delante de una capa de transformador (ec. `flops-capa-transformer`).

    ``6nd²`` (proyecciones Q, K, V) ``+ 2n²d`` (``QKᵀ``) ``+ 2n²d`` (``AV``) ``+ 2nd²`` (``W^O``)
    ``+ 4n·d·d_ff`` (FFN); con ``d_ff = 4d`` son ``24nd² + 4n²d``. No depende del número de
    cabezas. El término cuadrático domina cuando ``n > 6d``.

    Formas
    ------
    devuelve : dict con ``qkv``, ``qk``, ``av``, ``salida``, ``ffn`` y ``total`` (enteros), para un lote de ``B``
    """
    validar_enteros_positivos(n=n, d=d, d_ff=d_ff, B=B)
    d_ff = 4 * d if d_ff is None else d_ff
    terminos = {
        "qkv": 6 * n * d * d,
        "qk": 2 * n * n * d,
        "av": 2 * n * n * d,
        "salida": 2 * n * d * d,
        "ffn": 4 * n * d * d_ff,
    }
    terminos = {clave: B * valor for clave, valor in terminos.items()}
    terminos["total"] = sum(terminos.values())
    return terminos


@implementa("flops-entrenamiento-6n")
def flops_entrenamiento(n_capas, d_modelo, n_ctx, d_attn=None, d_ff=None):
    """Parámetros y FLOPs por token según Kaplan et al. (2020), §2.1 (ec. `flops-entrenamiento-6n`).

    ``N = 2·d_modelo·n_capas·(2·d_attn + d_ff)`` (``= 12·n_capas·d_modelo²`` con
    ``d_attn = d_ff/4 = d_modelo``; sin incrustaciones), ``C_adelante = 2N + 2·n_capas·n_ctx·d_attn``
    y la regla ``C_entrenamiento ≈ 6N``: la pasada hacia atrás cuesta el doble que la de
    delante. El término de contexto de Kaplan supone atención causal (contexto medio ``n_ctx/2``);
    con atención completa es el doble.

    Formas
    ------
    devuelve (N, C_adelante, C_entrenamiento) : enteros; los FLOPs son por token
    """
    validar_enteros_positivos(n_capas=n_capas, d_modelo=d_modelo, n_ctx=n_ctx, d_attn=d_attn, d_ff=d_ff)
    d_attn = d_modelo if d_attn is None else d_attn
    d_ff = 4 * d_modelo if d_ff is None else d_ff
    N = 2 * d_modelo * n_capas * (2 * d_attn + d_ff)
    return N, 2 * N + 2 * n_capas * n_ctx * d_attn, 6 * N


def _bytes_por_elemento(dtype):
    if isinstance(dtype, int) and not isinstance(dtype, bool):
        return dtype
    try:
        tipo = np.dtype(dtype)
    except TypeError:
        return None
    return tipo.itemsize if tipo.kind == "f" else None


@implementa("memoria-atencion-cuadratica")
def memoria_atencion(B, h, n, m=None, dtype="float32"):
    """Bytes de la matriz de atención ``A`` de una capa: ``B·h·n·m·bytes`` (ec. `memoria-atencion-cuadratica`).

    En autoatención ``m = n``: la memoria crece como ``n²``. Con ``B = 1``, ``h = 16``,
    ``n = 8192`` y float16 son 2 GiB por capa, y la pasada hacia atrás la necesita guardada.

    Parámetros
    ----------
    m : longitud del contexto (claves); ``n`` por omisión
    dtype : tipo de NumPy (o su nombre), o directamente los bytes por elemento

    Formas
    ------
    devuelve : entero, bytes que ocupa un tensor (B, h, n, m) de ese tipo

    Lanza
    -----
    ErrorDeForma si ``dtype`` no es de coma flotante ni un número positivo de bytes.
    """
    validar_enteros_positivos(B=B, h=h, n=n, m=m)
    m = n if m is None else m
    return B * h * n * m * validar_bytes(dtype, _bytes_por_elemento(dtype))
