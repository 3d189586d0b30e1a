"""Ejercicios del capítulo 2: la atención de Bahdanau y de Luong."""

from __future__ import annotations

import numpy as np

from .. import con_numpy as cn
from .tipos import Caso, Ejercicio, ErrorTipico, ejercicio_de_valor, normal

__all__ = ["EJERCICIOS"]
F32 = np.float32


# --- energia-aditiva -----------------------------------------------------------------------------------------------
def _casos_energia(rng) -> list[Caso]:
    def caso(lote_s, T_y, lote_h, T_x, d_s=4, d_h=6, d_a=7, dtype=np.float64, escala=1.0):
        return (
            normal(rng, *lote_s, T_y, d_s, dtype=dtype, escala=escala),
            normal(rng, *lote_h, T_x, d_h, dtype=dtype, escala=escala),
            normal(rng, d_a, d_s, dtype=dtype, escala=1 / np.sqrt(d_s)),
            normal(rng, d_a, d_h, dtype=dtype, escala=1 / np.sqrt(d_h)),
            normal(rng, d_a, dtype=dtype),
        )

    return [
        Caso("s (3, 4), H (5, 6), d_a = 7", caso((), 3, (), 5)),
        Caso("un lote de 2: s (2, 3, 4), H (2, 5, 6), en float32", caso((2,), 3, (2,), 5, dtype=F32)),
        Caso("T_y = T_x = 1", caso((), 1, (), 1)),
        Caso("estados grandes (×50): la tanh se satura", caso((), 2, (), 4, escala=50)),
    ]


def _energia_mal(s, H, W_a, U_a, v_a, activacion=np.tanh, suma=False):
    z = activacion((s @ W_a.T)[..., :, None, :] + (H @ U_a.T)[..., None, :, :])  # (..., T_y, T_x, d_a)
    return z.sum(axis=-1) if suma else z @ v_a


# --- pesos-alineamiento --------------------------------------------------------------------------------------------
def _filas_con_alguna(rng, *forma):
    """Máscara aleatoria en la que cada fila tiene al menos una posición permitida."""
    m = rng.random(forma) < 0.6
    np.put_along_axis(m, rng.integers(0, forma[-1], forma[:-1])[..., None], True, axis=-1)
    return m


def _casos_alineamiento(rng) -> list[Caso]:
    vacia = _filas_con_alguna(rng, 3, 4)
    vacia[2] = False
    relleno = np.arange(5) < np.array([3, 5])[:, None]  # (2, 5): longitudes 3 y 5
    return [
        Caso("energías (4, 6) con relleno: las 2 últimas posiciones no existen", (normal(rng, 4, 6), np.arange(6) < 4)),
        Caso("un lote (2, 3, 5) en float32, máscara (2, 1, 5)", (normal(rng, 2, 3, 5, dtype=F32), relleno[:, None, :])),
        Caso("una sola posición (T_x = 1)", (normal(rng, 2, 1), np.ones((2, 1), bool))),
        Caso(
            "energías grandes, del orden de 1000, en float32",
            ((normal(rng, 3, 5, escala=5) + 1000).astype(F32), _filas_con_alguna(rng, 3, 5)),
        ),
        Caso("la fila 2 no tiene ninguna posición permitida", (normal(rng, 3, 4), vacia)),
    ]


def _softmax_filas(e, restar_maximo=True):
    if restar_maximo:
        e = e - e.max(axis=-1, keepdims=True)
    x = np.exp(e)
    return x / x.sum(axis=-1, keepdims=True)


# --- puntuacion-general --------------------------------------------------------------------------------------------
def _casos_general(rng) -> list[Caso]:
    def caso(lote, T, S, d_t, d_s, dtype=np.float64, escala=1.0):
        return (
            normal(rng, *lote, T, d_t, dtype=dtype, escala=escala),
            normal(rng, *lote, S, d_s, dtype=dtype, escala=escala),
            normal(rng, d_t, d_s, dtype=dtype, escala=1 / np.sqrt(d_s)),
        )

    return [
        Caso("h_t (3, 4), h_s (5, 4)", caso((), 3, 5, 4, 4)),
        Caso("un lote de 2, en float32", caso((2,), 3, 6, 4, 4, F32)),
        Caso("T = S = 1", caso((), 1, 1, 3, 3)),
        Caso("d_t = 3 y d_s = 5 distintos: W_a (3, 5)", caso((), 2, 4, 3, 5)),
        Caso("estados grandes (×30)", caso((), 3, 3, 5, 5, escala=30)),
    ]


def _general_traspuesta(h_t, h_s, W_a):
    return h_t @ np.swapaxes(h_s @ W_a, -1, -2)


# --- alineamiento --------------------------------------------------------------------------------------------------
def _casos_permutacion(rng) -> list[Caso]:
    def caso(lote, T, S, d, ruido, escala=1.0):
        h_s = normal(rng, *lote, S, d, escala=escala)
        indices = rng.permutation(S)[:T] if T <= S else rng.integers(0, S, T)
        return h_s[..., indices, :] + normal(rng, *lote, T, d, escala=ruido * escala), h_s

    return [
        Caso("T = S = 6, consultas permutadas con ruido 0.1", caso((), 6, 6, 8, 0.1)),
        Caso("un lote de 2, T = 4 consultas y S = 7 claves, ruido 0.3", caso((2,), 4, 7, 8, 0.3)),
        Caso("T = S = 1", caso((), 1, 1, 4, 0.1)),
        Caso("mucho ruido (1.0)", caso((), 5, 5, 6, 1.0)),
        Caso("estados grandes (×100)", caso((), 4, 4, 8, 0.2, escala=100)),
    ]


def _pesos_luong(h_t, h_s):
    d = h_t.shape[-1] + h_s.shape[-1]
    return cn.atencion_global_luong(h_t, h_s, np.zeros((1, d)), np.zeros((1, 1)))[3]  # (..., T, S)


EJERCICIOS = (
    Ejercicio(
        "energia-aditiva",
        "La energía aditiva de Bahdanau",
        2,
        "funcion",
        "bahdanau-energia-aditiva",
        "energia_aditiva",
        cn.energia_aditiva,
        _casos_energia,
        (
            ErrorTipico(
                "sin tanh",
                lambda *a: _energia_mal(*a, activacion=lambda z: z),
                "Falta la tanh: sin ella la energía es lineal y se reduce a una puntuación multiplicativa.",
            ),
            ErrorTipico(
                "ReLU en lugar de tanh",
                lambda *a: _energia_mal(*a, activacion=lambda z: np.maximum(z, 0)),
                "Bahdanau usa tanh, no ReLU.",
            ),
            ErrorTipico(
                "salida traspuesta",
                lambda *a: np.swapaxes(cn.energia_aditiva(*a), -1, -2),
                "Tu salida es (T_x, T_y): cada FILA debe ser un paso i del decodificador, (…, T_y, T_x).",
            ),
            ErrorTipico(
                "suma en lugar de v_a",
                lambda *a: _energia_mal(*a, suma=True),
                "Sumas las componentes de la tanh: hay que hacer el producto escalar con v_a.",
            ),
        ),
    ),
    Ejercicio(
        "pesos-alineamiento",
        "Pesos de alineamiento con máscara de relleno",
        2,
        "funcion",
        "bahdanau-pesos-alineamiento",
        "pesos_alineamiento",
        cn.pesos_alineamiento,
        _casos_alineamiento,
        (
            ErrorTipico(
                "máscara invertida",
                lambda e, m: cn.pesos_alineamiento(e, ~m),
                "Usas la máscara al revés: True significa «posición real, se puede atender».",
            ),
            ErrorTipico(
                "multiplicar después del softmax",
                lambda e, m: _softmax_filas(e) * m,
                "Pones a cero los pesos del relleno DESPUÉS del softmax: las filas ya no suman 1.",
            ),
            ErrorTipico(
                "fila vacía da NaN",
                lambda e, m: _softmax_filas(np.where(m, e, -np.inf)),
                "Una fila sin posiciones permitidas da 0/0 = NaN; debe dar pesos 0.",
            ),
            ErrorTipico(
                "sin restar el máximo",
                lambda e, m: _softmax_filas(np.where(m, e, -np.inf), restar_maximo=False),
                "No restas el máximo antes de exp: con energías grandes exp desborda y aparece NaN.",
            ),
        ),
    ),
    Ejercicio(
        "puntuacion-general",
        "La puntuación «general» de Luong",
        2,
        "funcion",
        "luong-puntuacion-general",
        "puntuacion_general",
        cn.puntuacion_general,
        _casos_general,
        (
            ErrorTipico(
                "W_a traspuesta",
                _general_traspuesta,
                "Calculas h_tᵀ W_aᵀ h̄_s: con W_a de forma (d_t, d_s), las claves son h̄_s @ W_a.T.",
            ),
            ErrorTipico(
                "sin W_a",
                lambda h_t, h_s, W_a: h_t @ np.swapaxes(h_s, -1, -2),
                "Esa es la puntuación «dot»: la «general» pasa h̄_s por W_a.",
            ),
            ErrorTipico(
                "salida traspuesta",
                lambda *a: np.swapaxes(cn.puntuacion_general(*a), -1, -2),
                "Tu salida es (S, T): cada FILA debe corresponder a un h_t, (…, T, S).",
            ),
            ErrorTipico(
                "dividir por √d",
                lambda h_t, h_s, W_a: cn.puntuacion_general(h_t, h_s, W_a) / np.sqrt(h_t.shape[-1]),
                "Luong no escala la puntuación: la división por √d_k llega con el transformador.",
            ),
        ),
    ),
    ejercicio_de_valor(
        "forma-contexto",
        "Forma de los vectores de contexto",
        2,
        "bahdanau-contexto",
        "forma_contextos",
        lambda: cn.contexto_bahdanau(np.zeros((4, 7, 12)), np.zeros((4, 12, 256))).shape,
        (
            (
                "un solo vector por frase",
                (4, 256),
                "Eso es el vector fijo del capítulo 1; Bahdanau da un c_i por paso.",
            ),
            ("confundes c con α", (4, 7, 12), "Esa es la forma de los pesos α; c_i = Σ_j α_ij h_j tiene d_h = 256."),
            ("olvidas la bidireccional", (4, 7, 128), "El codificador es bidireccional: d_h = 2 × 128 = 256."),
        ),
    ),
    Ejercicio(
        "alineamiento",
        "Experimento: recuperar un alineamiento",
        2,
        "experimento",
        "luong-atencion-global",
        "alineamiento",
        lambda h_t, h_s: _pesos_luong(h_t, h_s).argmax(axis=-1),
        _casos_permutacion,
        (
            ErrorTipico(
                "eje equivocado",
                lambda h_t, h_s: _pesos_luong(h_t, h_s).argmax(axis=-2),
                "Tomas el máximo sobre las consultas: para cada consulta t busca la posición s (axis=-1).",
            ),
            ErrorTipico(
                "posiciones desde 1",
                lambda h_t, h_s: _pesos_luong(h_t, h_s).argmax(axis=-1) + 1,
                "Cuentas las posiciones desde 1: en NumPy la primera es la 0.",
            ),
            ErrorTipico(
                "peso máximo en vez de posición",
                lambda h_t, h_s: _pesos_luong(h_t, h_s).max(axis=-1),
                "Devuelves el peso máximo (max); se pide DÓNDE está (argmax).",
            ),
        ),
    ),
)
