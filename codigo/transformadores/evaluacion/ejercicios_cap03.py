"""Ejercicios del capítulo 3: softmax, atención de producto escalado y máscaras."""

from __future__ import annotations

import numpy as np

from .. import con_numpy as cn
from .tipos import Caso, Ejercicio, ErrorTipico, ejercicio_de_valor, normal

__all__ = ["EJERCICIOS"]
F32 = np.float32


# --- softmax-estable ---------------------------------------------------------------------------------------------
def _casos_softmax(rng) -> list[Caso]:
    return [
        Caso("un vector de 5 puntuaciones, en float64", (normal(rng, 5),)),
        Caso("un lote (2, 3, 4) de puntuaciones, en float32", (normal(rng, 2, 3, 4, dtype=F32),)),
        Caso("una sola puntuación (longitud 1)", (normal(rng, 1),)),
        Caso(
            "puntuaciones grandes, del orden de 1000, en float32", ((normal(rng, 3, 6, escala=5) + 1000).astype(F32),)
        ),
        Caso("dos dimensiones de lote (2, 2, 3, 5)", (normal(rng, 2, 2, 3, 5, escala=3),)),
    ]


def _softmax_sin_maximo(z):
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def _softmax_eje_0(z):
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def _softmax_suma_total(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum()


# --- atencion-escalada y atencion-enmascarada ----------------------------------------------------------------------
def _qkv(rng, lote, T, S, d_k, d_v, dtype=np.float64, escala=1.0):
    return tuple(normal(rng, *lote, n, d, dtype=dtype, escala=escala) for n, d in ((T, d_k), (S, d_k), (S, d_v)))


def _casos_atencion(rng) -> list[Caso]:
    return [
        Caso("Q (4, 8), K (6, 8), V (6, 3)", _qkv(rng, (), 4, 6, 8, 3)),
        Caso("con lote y cabezas, Q (2, 3, 5, 16), en float32", _qkv(rng, (2, 3), 5, 7, 16, 4, F32)),
        Caso("una sola consulta y una sola clave (T = S = 1)", _qkv(rng, (), 1, 1, 4, 2)),
        Caso("d_k = 64, donde la escala importa mucho", _qkv(rng, (), 3, 5, 64, 2)),
        Caso("valores grandes (×10), en float32", _qkv(rng, (2,), 4, 4, 16, 3, F32, escala=10)),
    ]


def _atencion_sin_escala(Q, K, V):
    return cn.atencion_escalada(Q, K, V, escala=1.0)


def _atencion_escala_d_k(Q, K, V):
    return cn.atencion_escalada(Q, K, V, escala=1.0 / Q.shape[-1])


def _atencion_softmax_eje_consultas(Q, K, V):
    s = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
    e = np.exp(s - s.max(axis=-2, keepdims=True))
    return (e / e.sum(axis=-2, keepdims=True)) @ V


def _con_filas(rng, T, S):
    """Máscara aleatoria (T, S) en la que cada consulta puede atender al menos a una clave."""
    m = rng.random((T, S)) < 0.6
    m[np.arange(T), rng.integers(0, S, T)] = True
    return m


def _casos_enmascarada(rng) -> list[Caso]:
    relleno = np.arange(6) < np.array([4, 6])[:, None]  # (2, 6): longitudes 4 y 6
    vacia = _con_filas(rng, 3, 4)
    vacia[1] = False
    return [
        Caso("máscara causal, T = S = 5", (*_qkv(rng, (), 5, 5, 8, 3), np.tril(np.ones((5, 5), bool)))),
        Caso(
            "lote (2, 3) con máscara de relleno (2, 1, 1, 6), en float32",
            (*_qkv(rng, (2, 3), 4, 6, 8, 4, F32), relleno[:, None, None, :]),
        ),
        Caso("T = S = 1, la clave está permitida", (*_qkv(rng, (), 1, 1, 4, 2), np.ones((1, 1), bool))),
        Caso("la consulta 1 no puede atender a ninguna clave", (*_qkv(rng, (), 3, 4, 4, 2), vacia)),
        Caso(
            "d_k = 64 y valores grandes (×5), máscara aleatoria",
            (*_qkv(rng, (), 4, 6, 64, 3, escala=5), _con_filas(rng, 4, 6)),
        ),
    ]


def _pesos_ingenuos(s):
    e = np.exp(s - s.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _puntuaciones(Q, K):
    return Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])


def _enmascarada_multiplica(Q, K, V, m):
    return (_pesos_ingenuos(_puntuaciones(Q, K)) * m) @ V


def _enmascarada_nan(Q, K, V, m):
    return _pesos_ingenuos(np.where(m, _puntuaciones(Q, K), -np.inf)) @ V


def _enmascarada_finita(Q, K, V, m):
    return _pesos_ingenuos(np.where(m, _puntuaciones(Q, K), -1e9)) @ V


# --- varianza-qk ---------------------------------------------------------------------------------------------------
def _casos_varianza(rng) -> list[Caso]:
    semillas = rng.integers(0, 2**31, 4)
    medidas = ((4, 20_000), (16, 20_000), (64, 10_000), (256, 5_000))
    return [Caso(f"d_k = {d}, {n} muestras", (d, n, int(s))) for (d, n), s in zip(medidas, semillas)]


def _varianza(d_k, n_muestras, semilla):
    return cn.varianza_producto_escalar(d_k, n_muestras, np.random.default_rng(semilla))[1]


def _muestras_qk(d_k, n, semilla):
    rng = np.random.default_rng(semilla)
    return (rng.standard_normal((n, d_k)) * rng.standard_normal((n, d_k))).sum(axis=-1)


EJERCICIOS = (
    Ejercicio(
        "softmax-estable",
        "Softmax estable en la última dimensión",
        3,
        "funcion",
        "softmax",
        "softmax_estable",
        cn.softmax,
        _casos_softmax,
        (
            ErrorTipico(
                "sin restar el máximo",
                _softmax_sin_maximo,
                "Parece que no restas el máximo de cada fila antes de exp: con puntuaciones grandes, "
                "exp desborda a inf y el cociente da NaN. Resta z.max(axis=-1, keepdims=True).",
            ),
            ErrorTipico(
                "softmax en el eje equivocado",
                _softmax_eje_0,
                "Tus filas no suman 1, pero tus columnas sí: normalizas sobre el eje 0. "
                "Usa axis=-1 (la última dimensión) en el máximo y en la suma.",
            ),
            ErrorTipico(
                "suma de todo el arreglo",
                _softmax_suma_total,
                "Divides entre la suma de TODO el arreglo: cada fila debe sumar 1 por separado. "
                "Usa e.sum(axis=-1, keepdims=True).",
            ),
        ),
    ),
    Ejercicio(
        "atencion-escalada",
        "Atención de producto escalado",
        3,
        "funcion",
        "atencion-producto-escalado",
        "atencion",
        cn.atencion_escalada,
        _casos_atencion,
        (
            ErrorTipico(
                "sin dividir por √d_k",
                _atencion_sin_escala,
                "Coincide con la atención SIN escalar: falta dividir QKᵀ entre √d_k.",
            ),
            ErrorTipico(
                "dividir por d_k",
                _atencion_escala_d_k,
                "Divides entre d_k en lugar de entre √d_k (np.sqrt(d_k)).",
            ),
            ErrorTipico(
                "softmax sobre las consultas",
                _atencion_softmax_eje_consultas,
                "El softmax se aplica sobre el eje de las consultas: debe normalizar cada fila "
                "(sobre las claves, axis=-1).",
            ),
        ),
    ),
    Ejercicio(
        "mascara-causal",
        "Máscara causal",
        3,
        "funcion",
        "mascara-causal",
        "mascara_causal",
        cn.mascara_causal,
        lambda rng: [Caso(f"T = {T}", (T,)) for T in (1, 2, 5, int(rng.integers(6, 12)))],
        (
            ErrorTipico(
                "máscara invertida",
                lambda T: ~np.tril(np.ones((T, T), bool)),
                "Tu máscara está invertida: True debe significar «puede atender» (j ≤ i).",
            ),
            ErrorTipico(
                "triangular superior",
                lambda T: np.triu(np.ones((T, T), bool)),
                "Devuelves la triangular superior: así cada token ve el futuro. Usa np.tril.",
            ),
            ErrorTipico(
                "sin la diagonal",
                lambda T: np.tril(np.ones((T, T), bool), k=-1),
                "Error de uno: quitas la diagonal, pero cada token sí puede atenderse a sí mismo (j ≤ i).",
            ),
        ),
    ),
    Ejercicio(
        "atencion-enmascarada",
        "Atención con máscara",
        3,
        "funcion",
        "atencion-producto-escalado",
        "atencion_enmascarada",
        cn.atencion_escalada,
        _casos_enmascarada,
        (
            ErrorTipico(
                "máscara invertida",
                lambda Q, K, V, m: cn.atencion_escalada(Q, K, V, ~m),
                "Usas la máscara al revés: en este libro True significa «puede atender» (la convención "
                "de F.scaled_dot_product_attention, no la de nn.MultiheadAttention).",
            ),
            ErrorTipico(
                "multiplicar los pesos por la máscara",
                _enmascarada_multiplica,
                "Pones a cero los pesos prohibidos DESPUÉS del softmax: así las filas ya no suman 1. "
                "Enmascara las puntuaciones antes del softmax (con -inf).",
            ),
            ErrorTipico(
                "fila vacía da NaN",
                _enmascarada_nan,
                "Cuando una consulta no puede atender a ninguna clave, todas sus puntuaciones son -inf "
                "y el softmax da 0/0 = NaN. Esa fila debe dar pesos 0 (y salida 0).",
            ),
            ErrorTipico(
                "-1e9 en lugar de -inf",
                _enmascarada_finita,
                "Enmascaras con un número finito (-1e9): en una fila sin claves permitidas el softmax "
                "reparte el peso por igual entre todas. Usa -inf y trata aparte las filas vacías.",
            ),
        ),
    ),
    ejercicio_de_valor(
        "forma-pesos",
        "Forma de la matriz de pesos",
        3,
        "atencion-producto-escalado",
        "forma_pesos",
        lambda: (
            cn.atencion_escalada(
                np.zeros((2, 8, 10, 64)), np.zeros((2, 8, 12, 64)), np.zeros((2, 8, 12, 32)), devolver_pesos=True
            )[1].shape
        ),
        (
            ("consultas y claves intercambiadas", (2, 8, 12, 10), "Cada FILA es una consulta: (…, T, S)."),
            (
                "confundes pesos y salida",
                (2, 8, 10, 32),
                "Esa es la forma de la salida (…, T, d_v), no la de los pesos.",
            ),
            ("sin lote ni cabezas", (10, 12), "Las dimensiones de lote y cabezas se conservan delante: (B, H, T, S)."),
        ),
    ),
    Ejercicio(
        "varianza-qk",
        "Experimento: la varianza de q·k crece con d_k",
        3,
        "experimento",
        "varianza-producto-escalar",
        "varianza_qk",
        _varianza,
        _casos_varianza,
        (
            ErrorTipico(
                "media en lugar de varianza",
                lambda d, n, s: float(_muestras_qk(d, n, s).mean()),
                "Devuelves la media de q·k (≈ 0); se pide su varianza (np.var).",
            ),
            ErrorTipico(
                "productos ya escalados",
                lambda d, n, s: float((_muestras_qk(d, n, s) / np.sqrt(d)).var()),
                "Divides q·k entre √d_k antes de medir: eso da ≈ 1. El experimento mide q·k sin escalar, "
                "para ver por qué hace falta la escala.",
            ),
            ErrorTipico(
                "desviación típica",
                lambda d, n, s: float(_muestras_qk(d, n, s).std()),
                "Devuelves la desviación típica (≈ √d_k), no la varianza (≈ d_k).",
            ),
        ),
        tolerancia=(0.15, 0.05),
        comparar_dtype=False,
    ),
)
