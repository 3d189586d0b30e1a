"""Ejercicios del capítulo 5: incrustaciones y codificaciones de posición."""

from __future__ import annotations

import numpy as np

from .. import con_numpy as cn
from .tipos import Caso, Ejercicio, ErrorTipico, ejercicio_de_valor, normal

__all__ = ["EJERCICIOS"]
F32 = np.float32


# --- sinusoidal ----------------------------------------------------------------------------------------------------
def _casos_sinusoidal(rng) -> list[Caso]:
    return [
        Caso("T = 4, d_modelo = 6", (4, 6)),
        Caso("una sola posición (T = 1), d_modelo = 8", (1, 8)),
        Caso("T y d_modelo al azar", (int(rng.integers(5, 40)), 2 * int(rng.integers(2, 17)))),
        Caso("posiciones grandes: T = 300, d_modelo = 64", (300, 64)),
    ]


def _pe_mal(T, d, fallo, base=10000.0):
    pos = np.arange(T, dtype=np.float64)[:, None]  # (T, 1)
    i = np.arange(d // 2)
    angulos = pos * base ** (-(i if fallo == "i" else 2 * i) / d)  # (T, d/2)
    if fallo == "mitades":
        return np.concatenate([np.sin(angulos), np.cos(angulos)], axis=-1)
    PE = np.empty((T, d))
    PE[:, 0::2], PE[:, 1::2] = (
        (np.cos(angulos), np.sin(angulos)) if fallo == "cambiados" else (np.sin(angulos), np.cos(angulos))
    )
    return PE


# --- incrustacion-inicial ------------------------------------------------------------------------------------------
def _casos_incrustacion(rng) -> list[Caso]:
    def caso(forma_x, N_V=10, d=4, l_max=8, dtype=np.float64):
        return rng.integers(0, N_V, forma_x), normal(rng, N_V, d, dtype=dtype), normal(rng, l_max, d, dtype=dtype)

    return [
        Caso("x (5,), N_V = 10, d_modelo = 4, l_max = 8", caso((5,))),
        Caso("un lote (2, 4), tablas en float32", caso((2, 4), dtype=F32)),
        Caso("una sola posición (T = 1)", caso((1,))),
        Caso("dos dimensiones de lote (2, 3, 6)", caso((2, 3, 6), d=6)),
        Caso("una secuencia tan larga como la tabla (T = l_max = 8)", caso((8,), N_V=20)),
    ]


# --- rope ----------------------------------------------------------------------------------------------------------
def _casos_rope(rng) -> list[Caso]:
    return [
        Caso("x (5, 8)", (normal(rng, 5, 8),)),
        Caso("lote y cabezas (2, 3, 4, 6), en float32", (normal(rng, 2, 3, 4, 6, dtype=F32),)),
        Caso("una sola posición (T = 1): no gira nada", (normal(rng, 1, 4),)),
        Caso("posiciones grandes: T = 300, d = 16", (normal(rng, 300, 16),)),
    ]


def _rope_al_reves(x):
    """Gira cada par el ángulo -m·θ_i (la rotación inversa)."""
    T, d = x.shape[-2:]
    angulos = np.arange(T)[:, None] * 10000.0 ** (-np.arange(0, d, 2) / d)  # (T, d/2)
    c, s = np.cos(angulos).astype(x.dtype), np.sin(angulos).astype(x.dtype)
    x1, x2 = x[..., 0::2], x[..., 1::2]
    return np.stack([x1 * c + x2 * s, -x1 * s + x2 * c], axis=-1).reshape(x.shape)


# --- similitud-distancia -------------------------------------------------------------------------------------------
def _casos_similitud(rng) -> list[Caso]:
    return [
        Caso("d_modelo = 16, k_max = 20", (16, 20)),
        Caso("d_modelo = 64, k_max = 100", (64, 100)),
        Caso("d_modelo = 2, k_max = 5: una sola frecuencia", (2, 5)),
        Caso("d_modelo y k_max al azar", (2 * int(rng.integers(4, 65)), int(rng.integers(10, 60)))),
    ]


def _similitud(d, k_max, medida="producto", fallo=None):
    PE = _pe_mal(k_max + 1, d, fallo) if fallo else cn.codificacion_posicional_sinusoidal(k_max + 1, d)
    if medida == "distancia":
        return np.linalg.norm(PE - PE[0], axis=-1)
    s = PE @ PE[0]  # (k_max + 1,): PE[0]·PE[k]
    return s / (d / 2) if medida == "coseno" else s


EJERCICIOS = (
    Ejercicio(
        "sinusoidal",
        "Codificación posicional sinusoidal",
        5,
        "funcion",
        "codificacion-posicional-sinusoidal",
        "codificacion_sinusoidal",
        cn.codificacion_posicional_sinusoidal,
        _casos_sinusoidal,
        (
            ErrorTipico(
                "seno y coseno intercambiados",
                lambda T, d: _pe_mal(T, d, "cambiados"),
                "Pones el coseno en las columnas pares: el seno va en las pares (2i) y el coseno en las impares.",
            ),
            ErrorTipico(
                "posiciones desde 1",
                lambda T, d: cn.codificacion_posicional_sinusoidal(T, d, inicio=1),
                "Cuentas las posiciones desde 1: la primera fila es la posición 0 (toda sin(0) = 0, cos(0) = 1).",
            ),
            ErrorTipico(
                "frecuencias con i en vez de 2i",
                lambda T, d: _pe_mal(T, d, "i"),
                "El exponente es 2i/d_modelo, no i/d_modelo: así las frecuencias bajan demasiado despacio.",
            ),
            ErrorTipico(
                "mitades en lugar de intercalar",
                lambda T, d: _pe_mal(T, d, "mitades"),
                "Pones todos los senos y luego todos los cosenos; la tabla de Vaswani los intercala.",
            ),
        ),
    ),
    Ejercicio(
        "incrustacion-inicial",
        "La incrustación inicial, token más posición",
        5,
        "funcion",
        "incrustacion-inicial-suma",
        "incrustacion_inicial",
        cn.incrustacion_inicial,
        _casos_incrustacion,
        (
            ErrorTipico(
                "sin posiciones",
                lambda x, W_E, W_P: W_E[x],
                "Solo buscas la fila del token: falta sumar la incrustación de la posición, W_P[:T].",
            ),
            ErrorTipico(
                "escalar por √d_modelo",
                lambda x, W_E, W_P: cn.incrustacion_inicial(x, W_E, W_P, escalar=True),
                "Multiplicas por √d_modelo (como Vaswani); aquí se pide la suma sin escalar (P&H).",
            ),
            ErrorTipico(
                "posiciones desde 1",
                lambda x, W_E, W_P: W_E[x] + W_P[1 : x.shape[-1] + 1],
                "Usas las filas 1 … T de W_P: la primera posición es la fila 0.",
            ),
            ErrorTipico(
                "posiciones indexadas con los tokens",
                lambda x, W_E, W_P: W_E[x] + W_P[x],
                "Indexas W_P con los tokens: la fila de W_P depende de la POSICIÓN t, no del token x_t.",
            ),
        ),
    ),
    Ejercicio(
        "rope",
        "RoPE, la incrustación posicional rotatoria",
        5,
        "funcion",
        "rope-rotatoria",
        "aplicar_rope",
        cn.aplicar_rope,
        _casos_rope,
        (
            ErrorTipico(
                "emparejar por mitades",
                lambda x: cn.aplicar_rope(x, mitades=True),
                "Emparejas x_i con x_{i+d/2} («rotate_half» de Hugging Face); aquí se giran los pares "
                "consecutivos (x_2i, x_2i+1), como en el artículo de RoPE.",
            ),
            ErrorTipico(
                "giro al revés",
                _rope_al_reves,
                "Giras en sentido contrario (-m·θ): la rotación es [x1·cos - x2·sin, x1·sin + x2·cos].",
            ),
            ErrorTipico(
                "posiciones desde 1",
                lambda x: cn.aplicar_rope(x, inicio=1),
                "Cuentas las posiciones desde 1: la fila 0 es la posición m = 0 y no se gira.",
            ),
        ),
    ),
    ejercicio_de_valor(
        "pe-posicion-cero",
        "El valor de PE en la posición 0",
        5,
        "codificacion-posicional-sinusoidal",
        "pe_0",
        lambda: cn.codificacion_posicional_sinusoidal(1, 6)[0],
        (
            ("seno y coseno intercambiados", (1, 0, 1, 0, 1, 0), "Las columnas pares son senos: sin(0) = 0."),
            (
                "posiciones desde 1",
                cn.codificacion_posicional_sinusoidal(1, 6, inicio=1)[0],
                "Esa es la fila de la posición 1; la primera posición es la 0.",
            ),
            ("todo ceros", (0, 0, 0, 0, 0, 0), "cos(0) = 1: las columnas impares valen 1."),
        ),
    ),
    Ejercicio(
        "similitud-distancia",
        "Experimento: similitud entre posiciones",
        5,
        "experimento",
        "codificacion-posicional-sinusoidal",
        "similitud_por_distancia",
        _similitud,
        _casos_similitud,
        (
            ErrorTipico(
                "similitud del coseno",
                lambda d, k: _similitud(d, k, "coseno"),
                "Normalizas (divides entre d_modelo/2, la norma² de cada fila): se pide el producto escalar.",
            ),
            ErrorTipico(
                "distancia euclídea",
                lambda d, k: _similitud(d, k, "distancia"),
                "Mides la distancia ‖PE[k] - PE[0]‖; se pide el producto escalar PE[0]·PE[k].",
            ),
            ErrorTipico(
                "frecuencias con i en vez de 2i",
                lambda d, k: _similitud(d, k, fallo="i"),
                "Tu tabla usa el exponente i/d_modelo en lugar de 2i/d_modelo.",
            ),
        ),
        comparar_dtype=False,
        prohibidas=(),
    ),
)
