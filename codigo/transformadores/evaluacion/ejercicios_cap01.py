"""Ejercicios del capítulo 1: redes recurrentes, LSTM y el cuello de botella del vector fijo."""

from __future__ import annotations

import numpy as np

from .. import con_numpy as cn
from .tipos import Caso, Ejercicio, ErrorTipico, ejercicio_de_valor, normal

__all__ = ["EJERCICIOS"]
F32 = np.float32


# --- rnn-elman -----------------------------------------------------------------------------------------------------
def _pesos_elman(rng, d_x, d_h, dtype=np.float64, radio=0.8):
    W_xh = normal(rng, d_h, d_x, dtype=dtype, escala=1 / np.sqrt(d_x))
    W_hh = normal(rng, d_h, d_h, dtype=dtype, escala=radio / np.sqrt(d_h))
    return W_xh, W_hh, normal(rng, d_h, dtype=dtype, escala=0.1)


def _casos_elman(rng) -> list[Caso]:
    return [
        Caso("una secuencia X (6, 3), d_h = 4", (normal(rng, 6, 3), *_pesos_elman(rng, 3, 4))),
        Caso(
            "un lote (2, 5, 3), d_h = 4, en float32", (normal(rng, 2, 5, 3, dtype=F32), *_pesos_elman(rng, 3, 4, F32))
        ),
        Caso("longitud 1 (T = 1)", (normal(rng, 1, 3), *_pesos_elman(rng, 3, 2))),
        Caso("entradas grandes (×100): la tanh se satura", (normal(rng, 4, 3, escala=100), *_pesos_elman(rng, 3, 4))),
        Caso("dos dimensiones de lote (2, 3, 4, 2), d_h = 5", (normal(rng, 2, 3, 4, 2), *_pesos_elman(rng, 2, 5))),
    ]


def _estados(X, W_xh, W_hh, b_h):
    """Los estados h_1 … h_T (referencia: la RNN de Elman del registro, sin la capa de salida)."""
    d_h = W_hh.shape[0]
    return cn.rnn_elman(X, W_xh, W_hh, b_h, np.zeros((1, d_h), X.dtype), np.zeros(1, X.dtype))[1]


def _elman_mal(X, W_xh, W_hh, b_h, activacion=np.tanh, recurrente=True, trasponer=True):
    h = np.zeros(X.shape[:-2] + (W_hh.shape[0],), X.dtype)
    H = []
    for t in range(X.shape[-2]):
        r = h @ (W_hh.T if trasponer else W_hh) if recurrente else 0
        h = activacion(X[..., t, :] @ W_xh.T + r + b_h)
        H.append(h)
    return np.stack(H, axis=-2)


def _elman_desplazado(X, W_xh, W_hh, b_h):
    H = _elman_mal(X, W_xh, W_hh, b_h)
    return np.concatenate([np.zeros_like(H[..., :1, :]), H[..., :-1, :]], axis=-2)  # h_0 … h_{T-1}


# --- celda-lstm ----------------------------------------------------------------------------------------------------
def _casos_lstm(rng) -> list[Caso]:
    def caso(lote, d_x, d_h, dtype=np.float64, escala=1.0):
        estado = [normal(rng, *lote, d, dtype=dtype, escala=escala) for d in (d_x, d_h, d_h)]
        pesos = [
            normal(rng, 4 * d_h, d_x, dtype=dtype, escala=1 / np.sqrt(d_x)),
            normal(rng, 4 * d_h, d_h, dtype=dtype, escala=1 / np.sqrt(d_h)),
            normal(rng, 4 * d_h, dtype=dtype, escala=0.1),
        ]
        return (*estado, *pesos)

    return [
        Caso("un lote de 3 ejemplos, d_x = 4, d_h = 5", caso((3,), 4, 5)),
        Caso("un solo ejemplo, sin dimensión de lote", caso((), 4, 3)),
        Caso("un lote (2, 3), en float32", caso((2, 3), 3, 4, F32)),
        Caso("entradas y estados grandes (×20): puertas saturadas", caso((2,), 4, 4, escala=20)),
    ]


def _paso_lstm(x, h, c, W_ih, W_hh, b):
    H, C = cn.lstm(x[..., None, :], W_ih, W_hh, b, h, c)  # una secuencia de longitud 1
    return H[..., 0, :], C[..., 0, :]


def _lstm_mal(x, h, c, W_ih, W_hh, b, orden="ifgo", olvido=True, tanh_c=True):
    partes = dict(zip(orden, np.split(x @ W_ih.T + h @ W_hh.T + b, 4, axis=-1)))
    i, f, o = (0.5 * (1 + np.tanh(0.5 * partes[k])) for k in "ifo")
    c_nuevo = (f * c if olvido else c) + i * np.tanh(partes["g"])
    return o * (np.tanh(c_nuevo) if tanh_c else c_nuevo), c_nuevo


# --- desvanecimiento -----------------------------------------------------------------------------------------------
def _casos_normas(rng) -> list[Caso]:
    return [
        Caso(
            "radio espectral ≈ 0.5, T = 12: el gradiente se desvanece",
            (normal(rng, 12, 3), *_pesos_elman(rng, 3, 6, radio=0.5)),
        ),
        Caso("radio espectral ≈ 1.5, T = 8", (normal(rng, 8, 2), *_pesos_elman(rng, 2, 5, radio=1.5))),
        Caso("longitud 1 (T = 1)", (normal(rng, 1, 3), *_pesos_elman(rng, 3, 4))),
        Caso("d_h = 1: los jacobianos son números", (normal(rng, 5, 2), *_pesos_elman(rng, 2, 1, radio=0.9))),
    ]


def _normas(X, W_xh, W_hh, b_h):
    return np.array([np.linalg.norm(cn.jacobiano_rnn(X, W_xh, W_hh, b_h, k), 2) for k in range(X.shape[-2])])


def _normas_mal(X, W_xh, W_hh, b_h, norma=2, derivada=True, invertido=False, desde=0):
    H = _elman_mal(X, W_xh, W_hh, b_h)  # (T, d_h): H[t] = h_{t+1}
    T, d_h = H.shape
    normas = []
    for k in range(desde, T + desde):
        J = np.eye(d_h)
        for t in range(k, T):
            factor = ((1 - H[t] ** 2)[:, None] if derivada else 1.0) * W_hh
            J = J @ factor if invertido else factor @ J
        normas.append(np.linalg.norm(J, norma))
    return np.array(normas)


def _ceros(*forma):
    return np.zeros(forma)


EJERCICIOS = (
    Ejercicio(
        "rnn-elman",
        "Los estados de una RNN de Elman",
        1,
        "funcion",
        "rnn-elman-recurrencia",
        "estados_elman",
        _estados,
        _casos_elman,
        (
            ErrorTipico(
                "sin recurrencia",
                lambda *a: _elman_mal(*a, recurrente=False),
                "Tu h_t no depende de h_{t-1}: falta el término W_hh h_{t-1}. Sin él no hay memoria.",
            ),
            ErrorTipico(
                "ReLU en lugar de tanh",
                lambda *a: _elman_mal(*a, activacion=lambda z: np.maximum(z, 0)),
                "Usas ReLU; la RNN de Elman del capítulo usa tanh (np.tanh), que mantiene h_t en (-1, 1).",
            ),
            ErrorTipico(
                "W_hh sin trasponer",
                lambda *a: _elman_mal(*a, trasponer=False),
                "Multiplicas h @ W_hh: con la orientación de nn.Linear (salida, entrada) es h @ W_hh.T.",
            ),
            ErrorTipico(
                "estados desplazados",
                _elman_desplazado,
                "Devuelves h_0 … h_{T-1}: se piden los estados DESPUÉS de leer cada x_t, h_1 … h_T.",
            ),
        ),
    ),
    Ejercicio(
        "celda-lstm",
        "Un paso de la celda LSTM",
        1,
        "funcion",
        "lstm-celda",
        "paso_lstm",
        _paso_lstm,
        _casos_lstm,
        (
            ErrorTipico(
                "puertas en otro orden",
                lambda *a: _lstm_mal(*a, orden="ifog"),
                "Repartes las puertas en el orden (i, f, o, g); nn.LSTM y el capítulo usan (i, f, g, o).",
            ),
            ErrorTipico(
                "sin puerta de olvido",
                lambda *a: _lstm_mal(*a, olvido=False),
                "Sumas c_{t-1} entero: falta multiplicarlo por la puerta de olvido σ(f).",
            ),
            ErrorTipico(
                "sin tanh en la salida",
                lambda *a: _lstm_mal(*a, tanh_c=False),
                "h_t = σ(o) ⊙ tanh(c_t): te falta la tanh sobre la celda.",
            ),
        ),
    ),
    ejercicio_de_valor(
        "forma-rnn",
        "Forma de la salida de una RNN",
        1,
        "rnn-elman-recurrencia",
        "forma_Y",
        lambda: (
            cn.rnn_elman(_ceros(8, 20, 16), _ceros(32, 16), _ceros(32, 32), _ceros(32), _ceros(10, 32), _ceros(10))[
                0
            ].shape
        ),
        (
            ("solo el último paso", (8, 10), "La RNN da una salida y_t en CADA paso, no solo al final."),
            ("confundes d_y con d_h", (8, 20, 32), "Esa es la forma de los estados H; Y pasa por W_hy (d_y = 10)."),
            ("tiempo delante", (20, 8, 10), "En este libro el lote va primero: (B, T, d)."),
        ),
    ),
    Ejercicio(
        "desvanecimiento",
        "Experimento: el gradiente se desvanece",
        1,
        "experimento",
        "rnn-gradiente-desvaneciente",
        "normas_jacobiano",
        _normas,
        _casos_normas,
        (
            ErrorTipico(
                "norma de Frobenius",
                lambda *a: _normas_mal(*a, norma="fro"),
                "Usas la norma de Frobenius (np.linalg.norm(J)); se pide la espectral: np.linalg.norm(J, 2).",
            ),
            ErrorTipico(
                "sin la derivada de tanh",
                lambda *a: _normas_mal(*a, derivada=False),
                "Multiplicas solo potencias de W_hh: falta el factor diag(1 - h_t²) de cada paso.",
            ),
            ErrorTipico(
                "producto en orden inverso",
                lambda *a: _normas_mal(*a, invertido=True),
                "El factor del paso T va a la IZQUIERDA: ∂h_T/∂h_k = D_T W_hh ⋯ D_{k+1} W_hh.",
            ),
            ErrorTipico(
                "índices desplazados",
                lambda *a: _normas_mal(*a, desde=1),
                "Calculas k = 1 … T; se piden k = 0 … T-1 (k = 0 es el estado inicial).",
            ),
        ),
        comparar_dtype=False,
    ),
    ejercicio_de_valor(
        "cuello-botella",
        "El cuello de botella del vector fijo",
        1,
        "seq2seq-vector-contexto",
        "numeros_contexto",
        lambda: (
            cn.rnn_elman(_ceros(50, 32), _ceros(256, 32), _ceros(256, 256), _ceros(256), _ceros(1, 256), _ceros(1))[1][
                -1
            ].size
        ),
        (
            ("todos los estados", 50 * 256, "El decodificador NO ve todos los estados: solo el último, h_T."),
            ("uno por token", 50, "No llega un número por token, sino un vector de d_h números."),
            ("los parámetros de W_hh", 256 * 256, "Eso son los parámetros de W_hh, no lo que recibe el decodificador."),
        ),
    ),
)
