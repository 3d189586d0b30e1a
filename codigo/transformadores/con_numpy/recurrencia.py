"""Redes recurrentes y secuencia a secuencia con vector fijo (capítulo 1).

Son la motivación del libro: el estado ``h_t`` depende de ``h_{t-1}``, así que el bucle en
el tiempo no se puede paralelizar, el gradiente es un producto de jacobianos que se
desvanece o explota, y todo lo que el codificador sabe de la entrada debe pasar por un
único vector de tamaño fijo. Pesos en la orientación de ``nn.Linear`` (salida, entrada).
"""

from __future__ import annotations

import numpy as np

from ..ecuaciones import implementa
from ..validacion.atencion import validar_pesos
from ..validacion.recurrencia import (
    validar_elman,
    validar_lstm,
    validar_paso_jacobiano,
    validar_seq2seq,
    validar_seq2seq_contexto,
)
from .softmax import log_softmax, softmax

__all__ = ["rnn_elman", "jacobiano_rnn", "lstm", "seq2seq_log_verosimilitud", "seq2seq_contexto"]


def _estados_elman(X, W_xh, W_hh, b_h, h_0=None):
    """Todos los estados ``h_1 … h_T`` de la recurrencia de Elman; ``h_0 = 0`` por omisión."""
    entrada = X @ W_xh.T + b_h  # (..., T, d_h): la proyección de la entrada sí es paralela
    h = np.zeros(entrada.shape[:-2] + entrada.shape[-1:], dtype=entrada.dtype) if h_0 is None else h_0
    estados = []
    for t in range(X.shape[-2]):  # el bucle en el tiempo, no: h_t necesita h_{t-1}
        h = np.tanh(entrada[..., t, :] + h @ W_hh.T)  # (..., d_h)
        estados.append(h)
    return np.stack(estados, axis=-2)  # (..., T, d_h)


@implementa("rnn-elman-recurrencia")
def rnn_elman(X, W_xh, W_hh, b_h, W_hy, b_y, h_0=None):
    """RNN simple de Elman (ec. `rnn-elman-recurrencia`).

    ``h_t = tanh(W_xh x_t + W_hh h_{t-1} + b_h)`` y ``y_t = W_hy h_t + b_y``, con ``h_0 = 0``
    por omisión. ``nn.RNN`` usa dos sesgos: ``b_h = bias_ih_l0 + bias_hh_l0``.

    Formas
    ------
    X : (..., T, d_x)    W_xh : (d_h, d_x)    W_hh : (d_h, d_h)    b_h : (d_h,)
    W_hy : (d_y, d_h)    b_y : (d_y,)    h_0 : (..., d_h)
    devuelve (Y, H) : (..., T, d_y) y (..., T, d_h); ``H[..., t, :]`` es ``h_{t+1}``

    Lanza
    -----
    ErrorDeForma si las formas no encajan; TypeError si algún argumento no es flotante.
    """
    f = validar_elman(X, W_xh, W_hh, b_h, h_0)
    validar_pesos(f, ("W_hy", W_hy, "d_y d_h"), ("b_y", b_y, "d_y"))
    H = _estados_elman(X, W_xh, W_hh, b_h, h_0)  # (..., T, d_h)
    return H @ W_hy.T + b_y, H  # (..., T, d_y), (..., T, d_h)


@implementa("rnn-gradiente-desvaneciente")
def jacobiano_rnn(X, W_xh, W_hh, b_h, k=0, h_0=None):
    """Jacobiano ``∂h_T/∂h_k`` de la RNN de Elman como producto de jacobianos (ec. `rnn-gradiente-desvaneciente`).

    ``∂h_T/∂h_k = Π_{t=k+1}^{T} diag(1 - h_t²) W_hh``, con el factor de ``t = T`` a la
    izquierda. Como ``|tanh'| ≤ 1``, ``‖∂h_T/∂h_k‖₂ ≤ ‖W_hh‖₂^(T-k)``: si el mayor valor
    singular de ``W_hh`` es menor que 1, el gradiente se desvanece exponencialmente con ``T - k``.

    Formas
    ------
    X : (..., T, d_x)    W_xh : (d_h, d_x)    W_hh : (d_h, d_h)    b_h : (d_h,)    h_0 : (..., d_h)
    k : entero en [0, T] (``k = 0`` es el estado inicial)
    salida : (..., d_h, d_h)
    """
    f = validar_elman(X, W_xh, W_hh, b_h, h_0)
    validar_paso_jacobiano(k, f["T"])
    H = _estados_elman(X, W_xh, W_hh, b_h, h_0)  # (..., T, d_h)
    J = np.broadcast_to(np.eye(f["d_h"], dtype=H.dtype), H.shape[:-2] + (f["d_h"], f["d_h"]))
    for t in range(k, f["T"]):  # acumulamos de derecha a izquierda: J ← diag(1 - h_{t+1}²) W_hh J
        J = (1.0 - H[..., t, :] ** 2)[..., :, None] * (W_hh @ J)  # (..., d_h, d_h)
    return J.copy()


def _sigmoide(x):
    """σ(x) = (1 + tanh(x/2))/2: igual que 1/(1+e^{-x}) pero sin desbordar."""
    return 0.5 * (1.0 + np.tanh(0.5 * x))


@implementa("lstm-celda")
def lstm(X, W_ih, W_hh, b, h_0=None, c_0=None):
    """LSTM de una capa, paso a paso (ec. `lstm-celda`).

    En cada paso, con las puertas apiladas en el orden (i, f, g, o) de ``nn.LSTM``:
    ``[i; f; g; o] = W_ih x_t + W_hh h_{t-1} + b``; ``c_t = σ(f) ⊙ c_{t-1} + σ(i) ⊙ tanh(g)``;
    ``h_t = σ(o) ⊙ tanh(c_t)``. ``b = bias_ih_l0 + bias_hh_l0``; ``h_0 = c_0 = 0`` por omisión.

    Formas
    ------
    X : (..., T, d_x)    W_ih : (4·d_h, d_x)    W_hh : (4·d_h, d_h)    b : (4·d_h,)
    h_0, c_0 : (..., d_h)
    devuelve (H, C) : (..., T, d_h) cada uno; estados ocultos y de celda ``h_1 … h_T``, ``c_1 … c_T``
    """
    validar_lstm(X, W_ih, W_hh, b, h_0, c_0)
    entrada = X @ W_ih.T + b  # (..., T, 4·d_h)
    cero = np.zeros(entrada.shape[:-2] + (W_hh.shape[1],), dtype=entrada.dtype)
    h = cero if h_0 is None else h_0
    c = cero if c_0 is None else c_0
    H, C = [], []
    for t in range(X.shape[-2]):
        i, f, g, o = np.split(entrada[..., t, :] + h @ W_hh.T, 4, axis=-1)  # 4 × (..., d_h)
        c = _sigmoide(f) * c + _sigmoide(i) * np.tanh(g)
        h = _sigmoide(o) * np.tanh(c)
        H.append(h)
        C.append(c)
    return np.stack(H, axis=-2), np.stack(C, axis=-2)  # (..., T, d_h) ×2


@implementa("seq2seq-factorizacion")
def seq2seq_log_verosimilitud(X, Y_entrada, objetivos, W_ih_cod, W_hh_cod, b_cod, W_ih_dec, W_hh_dec, b_dec, W_s, b_s):
    """Log-verosimilitud de un codificador-decodificador LSTM con vector fijo (ec. `seq2seq-factorizacion`).

    ``log p(y_1 … y_T' | x) = Σ_t log p(y_t | v, y_<t)``: el codificador resume ``x`` en su
    estado final (``v = h_T`` junto con ``c_T``), que inicia el decodificador;
    ``p(y_t | ·) = softmax(W_s h^dec_t + b_s)``. Con forzado del profesor, ``Y_entrada`` son las
    incrustaciones de ``(bos, y_1, …, y_{T'-1})`` y ``objetivos`` los índices de ``y_1 … y_T'``.

    Formas
    ------
    X : (..., T, d_x)    Y_entrada : (..., T_y, d_y)    objetivos : (..., T_y), enteros en [0, N_V)
    W_ih_cod : (4·d_h, d_x)    W_hh_cod : (4·d_h, d_h)    b_cod : (4·d_h,)
    W_ih_dec : (4·d_h, d_y)    W_hh_dec : (4·d_h, d_h)    b_dec : (4·d_h,)
    W_s : (N_V, d_h)    b_s : (N_V,)
    salida : (...,), una log-verosimilitud (≤ 0) por secuencia
    """
    validar_seq2seq(X, Y_entrada, objetivos, W_ih_cod, W_hh_cod, b_cod, W_ih_dec, W_hh_dec, b_dec, W_s, b_s)
    H_cod, C_cod = lstm(X, W_ih_cod, W_hh_cod, b_cod)  # (..., T, d_h) ×2
    v, c_T = H_cod[..., -1, :], C_cod[..., -1, :]  # (..., d_h): el cuello de botella
    H_dec, _ = lstm(Y_entrada, W_ih_dec, W_hh_dec, b_dec, v, c_T)  # (..., T_y, d_h)
    log_p = log_softmax(H_dec @ W_s.T + b_s)  # (..., T_y, N_V)
    lote = np.broadcast_shapes(log_p.shape[:-2], objetivos.shape[:-1])
    log_p = np.broadcast_to(log_p, lote + log_p.shape[-2:])  # (..., T_y, N_V)
    indices = np.broadcast_to(objetivos, lote + objetivos.shape[-1:])[..., None]  # (..., T_y, 1)
    return np.take_along_axis(log_p, indices, axis=-1)[..., 0].sum(axis=-1)  # (...,): Σ_t log p(y_t | ·)


@implementa("seq2seq-vector-contexto")
def seq2seq_contexto(X, Y_entrada, W_xh, W_hh, b_h, W_ih_dec, W_hh_dec, b_dec, W_o, b_o):
    """Decodificador condicionado por el mismo contexto ``c`` en cada paso (ec. `seq2seq-vector-contexto`).

    Codificador de Elman: ``c = h^enc_T``. Decodificador (Cho et al., con una celda tanh en
    lugar de la GRU): ``s_t = tanh(W_ih_dec [y_{t-1}; c] + W_hh_dec s_{t-1} + b_dec)`` desde
    ``s_0 = 0``, y ``p(y_t | y_<t, x) = softmax(W_o [s_t; y_{t-1}; c] + b_o)``.

    Formas
    ------
    X : (..., T, d_x)    Y_entrada : (..., T_y, d_y), incrustaciones de ``y_0 … y_{T'-1}``
    W_xh : (d_h, d_x)    W_hh : (d_h, d_h)    b_h : (d_h,)
    W_ih_dec : (d_s, d_y + d_h)    W_hh_dec : (d_s, d_s)    b_dec : (d_s,)
    W_o : (N_V, d_s + d_y + d_h)    b_o : (N_V,)
    salida : (..., T_y, N_V), cada fila suma 1
    """
    validar_seq2seq_contexto(X, Y_entrada, W_xh, W_hh, b_h, W_ih_dec, W_hh_dec, b_dec, W_o, b_o)
    c = _estados_elman(X, W_xh, W_hh, b_h)[..., -1, :]  # (..., d_h)
    lote = np.broadcast_shapes(c.shape[:-1], Y_entrada.shape[:-2])
    Y = np.broadcast_to(Y_entrada, lote + Y_entrada.shape[-2:])  # (..., T_y, d_y)
    C = np.broadcast_to(c[..., None, :], lote + (Y.shape[-2], c.shape[-1]))  # (..., T_y, d_h): c en cada paso
    S = _estados_elman(np.concatenate([Y, C], axis=-1), W_ih_dec, W_hh_dec, b_dec)  # (..., T_y, d_s)
    return softmax(np.concatenate([S, Y, C], axis=-1) @ W_o.T + b_o)  # (..., T_y, N_V)
