"""Ejercicios del capítulo 16: los sesgos de la convolución (correlación 1D, parámetros, campo receptivo)."""

from __future__ import annotations

import numpy as np

from .. import con_numpy as cn
from .tipos import Caso, Ejercicio, ErrorTipico, ejercicio_de_valor, normal

__all__ = ["EJERCICIOS"]
F32 = np.float32


# --- limites-correlacion-1d ----------------------------------------------------------------------------------------
def _correlacion(x, W, b, fallo=None):
    """``y[..., o, t] = b[o] + Σ_c Σ_j W[o, c, j]·x[..., c, t + j]``, como ``F.conv1d`` sin relleno."""
    k = W.shape[-1]
    if fallo == "volteado":
        W = W[..., ::-1]  # convolución «de libro»: el núcleo se voltea
    if fallo == "same":
        x = np.pad(x, [(0, 0)] * (x.ndim - 1) + [(k // 2, (k - 1) // 2)])
    ventanas = np.lib.stride_tricks.sliding_window_view(x, k, axis=-1)  # (..., C_in, L - k + 1, k)
    y = np.einsum("...ctj,ocj->...ot", ventanas, W)  # (..., C_out, L - k + 1)
    return y if fallo == "sin sesgo" else y + b[:, None]


def _casos_correlacion(rng) -> list[Caso]:
    def caso(forma_x, C_out, k, dtype=np.float64):
        C_in = forma_x[-2]
        return (
            normal(rng, *forma_x, dtype=dtype),
            normal(rng, C_out, C_in, k, dtype=dtype),
            normal(rng, C_out, dtype=dtype),
        )

    return [
        Caso("una señal de 1 canal y L = 10, k = 3", caso((1, 10), 1, 3)),
        Caso("un lote (2, 3, 12) → 4 canales, k = 5, en float32", caso((2, 3, 12), 4, 5, F32)),
        Caso("k = 1: mezcla de canales posición a posición", caso((3, 7), 2, 1)),
        Caso("k = L: una sola salida", caso((2, 6), 3, 6)),
        Caso("dos dimensiones de lote (2, 2, 4, 9), k = 4", caso((2, 2, 4, 9), 3, 4)),
    ]


# --- limites-parametros-cnn ----------------------------------------------------------------------------------------
def _parametros_cnn():
    lado = cn.longitud_salida_convolucion(8, 3, relleno=1) // 2  # 8 → 8 (relleno 1) → 4 (max-pooling 2×2)
    conv1 = 1 * 16 * 3 * 3 + 16
    conv2 = 16 * 32 * 3 * 3 + 32
    return conv1 + conv2 + 32 * lado * lado * 10 + 10


# --- limites-campo-receptivo ---------------------------------------------------------------------------------------
def _campo(n_capas, k, longitud, semilla, fallo=None):
    """Entradas de las que depende la salida central tras ``n_capas`` convoluciones de anchura ``k`` ("same")."""
    r, c = n_capas * (k - 1) // 2, longitud // 2  # cada capa añade (k - 1)/2 posiciones a cada lado
    if fallo == "sin recortar":
        return 1 + 2 * r
    if fallo == "capas por k":
        return min(n_capas * k, longitud)
    if fallo == "potencia":
        return min(k**n_capas, longitud)
    if fallo == "un lado":
        return min(r, longitud - 1 - c) + 1
    return min(c + r, longitud - 1) - max(c - r, 0) + 1


def _casos_campo(rng) -> list[Caso]:
    def semilla():
        return int(rng.integers(0, 2**31))

    n, k = int(rng.integers(2, 5)), int(rng.choice([3, 5, 7]))
    return [
        Caso("una capa, k = 3, longitud 31", (1, 3, 31, semilla())),
        Caso("tres capas, k = 3, longitud 31", (3, 3, 31, semilla())),
        Caso(f"{n} capas, k = {k}, longitud 61", (n, k, 61, semilla())),
        Caso("dos capas, k = 5, longitud 41", (2, 5, 41, semilla())),
        Caso("seis capas, k = 5, longitud 21: el campo se sale de la secuencia", (6, 5, 21, semilla())),
    ]


EJERCICIOS = (
    Ejercicio(
        "limites-correlacion-1d",
        "Una capa convolucional 1D",
        16,
        "funcion",
        "longitud-salida-convolucion",
        "correlacion_1d",
        _correlacion,
        _casos_correlacion,
        (
            ErrorTipico(
                "núcleo volteado",
                lambda x, W, b: _correlacion(x, W, b, "volteado"),
                "Volteas el núcleo (la convolución de los libros de señales). Las redes, y nn.Conv1d, calculan una "
                "correlación cruzada: W[o, c, j] multiplica a x[..., c, t + j], sin voltear.",
            ),
            ErrorTipico(
                "relleno «same»",
                lambda x, W, b: _correlacion(x, W, b, "same"),
                "Rellenas con ceros para conservar la longitud. Sin relleno, la salida mide L - k + 1: solo las "
                "posiciones donde el núcleo cabe entero.",
            ),
            ErrorTipico(
                "sin sesgo",
                lambda x, W, b: _correlacion(x, W, b, "sin sesgo"),
                "Te falta sumar el sesgo b[o] a cada canal de salida (en todas las posiciones).",
            ),
        ),
        prohibidas=(),
    ),
    ejercicio_de_valor(
        "limites-parametros-cnn",
        "Los parámetros de una red convolucional pequeña",
        16,
        "longitud-salida-convolucion",
        "n_parametros_cnn",
        _parametros_cnn,
        (
            ("sin sesgos", 9872, "Te faltan los sesgos: uno por canal de salida en cada capa (16, 32 y 10)."),
            (
                "sin el max-pooling",
                25290,
                "La capa lineal recibe 32·4·4 = 512 números, no 32·8·8: el max-pooling de 2×2 reduce cada lado a "
                "la mitad (y no tiene parámetros).",
            ),
            (
                "sin los canales de entrada",
                5610,
                "Cada filtro de la segunda convolución mira los 16 canales de entrada: tiene 16·3·3 pesos, no 3·3.",
            ),
            (
                "sin relleno",
                6090,
                "Con relleno 1 y núcleo 3 la convolución conserva el lado 8 (ec. longitud-salida-convolucion): "
                "⌊(8 + 2 - 3)/1⌋ + 1 = 8. Sin relleno bajaría a 6 y a 4.",
            ),
        ),
    ),
    Ejercicio(
        "limites-campo-receptivo",
        "Experimento: el campo receptivo de una pila de convoluciones",
        16,
        "experimento",
        "complejidad-por-capa",
        "campo_receptivo",
        _campo,
        _casos_campo,
        (
            ErrorTipico(
                "capas por k",
                lambda *a: _campo(*a, fallo="capas por k"),
                "Cuentas n_capas·k entradas, pero los núcleos de capas seguidas se solapan: cada capa nueva añade "
                "k - 1 posiciones, no k (campo = 1 + n_capas·(k - 1)).",
            ),
            ErrorTipico(
                "crecimiento exponencial",
                lambda *a: _campo(*a, fallo="potencia"),
                "Un campo de k^n_capas es el de las convoluciones dilatadas (dilatación k, k², …). Con núcleos "
                "contiguos el campo crece en línea recta: 1 + n_capas·(k - 1).",
            ),
            ErrorTipico(
                "un solo lado",
                lambda *a: _campo(*a, fallo="un lado"),
                "Cuentas solo un lado de la posición central. Con relleno simétrico el campo se extiende "
                "(k - 1)/2 posiciones a cada lado en cada capa.",
            ),
            ErrorTipico(
                "sin recortar en los bordes",
                lambda *a: _campo(*a, fallo="sin recortar"),
                "El campo no puede pasar de la secuencia: las posiciones de relleno no son entradas. Cuenta solo "
                "las posiciones entre 0 y longitud - 1.",
            ),
        ),
        comparar_dtype=False,
        prohibidas=(),
    ),
)
