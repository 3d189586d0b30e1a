"""Redes recurrentes y secuencia a secuencia con vector fijo (capítulo 1), gemelo PyTorch.

El bucle en el tiempo es el mismo que en ``con_numpy``; ``jacobiano_rnn`` obtiene el
jacobiano por diferenciación automática en lugar de acumular el producto a mano.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

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
    entrada = F.linear(X, W_xh, b_h)  # (..., T, d_h)
    h = entrada.new_zeros(entrada.shape[:-2] + entrada.shape[-1:]) if h_0 is None else h_0
    estados = []
    for t in range(X.shape[-2]):
        h = torch.tanh(entrada[..., t, :] + F.linear(h, W_hh))  # (..., d_h)
        estados.append(h)
    return torch.stack(estados, dim=-2)  # (..., T, d_h)


@implementa("rnn-elman-recurrencia")
def rnn_elman(X, W_xh, W_hh, b_h, W_hy, b_y, h_0=None):
    """RNN simple de Elman (ec. `rnn-elman-recurrencia`); gemelo de ``con_numpy.rnn_elman``.

    ``h_t = tanh(W_xh x_t + W_hh h_{t-1} + b_h)``, ``y_t = W_hy h_t + b_y``. Frente a
    ``nn.RNN(nonlinearity='tanh', batch_first=True)``: ``b_h = bias_ih_l0 + bias_hh_l0``.

    Formas
    ------
    X : (..., T, d_x)    W_xh : (d_h, d_x)    W_hh : (d_h, d_h)    b_h : (d_h,)
    W_hy : (d_y, d_h)    b_y : (d_y,)    h_0 : (..., d_h)
    devuelve (Y, H) : (..., T, d_y) y (..., T, d_h)
    """
    f = validar_elman(X, W_xh, W_hh, b_h, h_0)
    validar_pesos(f, ("W_hy", W_hy, "d_y d_h"), ("b_y", b_y, "d_y"))
    H = _estados_elman(X, W_xh, W_hh, b_h, h_0)  # (..., T, d_h)
    return F.linear(H, W_hy, b_y), H  # (..., T, d_y), (..., T, d_h)


@implementa("rnn-gradiente-desvaneciente")
def jacobiano_rnn(X, W_xh, W_hh, b_h, k=0, h_0=None):
    """Jacobiano ``∂h_T/∂h_k`` por diferenciación automática (ec. `rnn-gradiente-desvaneciente`).

    Derivamos con ``torch.autograd.functional.jacobian`` la función ``h_k ↦ h_T`` que recorre
    los pasos ``k+1 … T``. Como cada elemento del lote es independiente, derivamos la suma
    sobre el lote y obtenemos a la vez el jacobiano de cada elemento.

    Formas
    ------
    X : (..., T, d_x)    W_xh : (d_h, d_x)    W_hh : (d_h, d_h)    b_h : (d_h,)    h_0 : (..., d_h)
    k : entero en [0, T]
    salida : (..., d_h, d_h)
    """
    f = validar_elman(X, W_xh, W_hh, b_h, h_0)
    validar_paso_jacobiano(k, f["T"])
    with torch.no_grad():
        H = _estados_elman(X, W_xh, W_hh, b_h, h_0)  # (..., T, d_h)
    lote = H.shape[:-2]
    if k == 0:
        h_k = H.new_zeros(lote + (f["d_h"],)) if h_0 is None else h_0.detach().expand(lote + (f["d_h"],))
    else:
        h_k = H[..., k - 1, :]  # (..., d_h)
    if k == f["T"]:
        return torch.eye(f["d_h"], dtype=H.dtype, device=H.device).expand(lote + (f["d_h"], f["d_h"])).clone()
    resto = X[..., k:, :].detach()  # (..., T - k, d_x)
    ejes = tuple(range(len(lote)))

    def h_T(h):
        final = _estados_elman(resto, W_xh.detach(), W_hh.detach(), b_h.detach(), h)[..., -1, :]  # (..., d_h)
        return final.sum(dim=ejes) if ejes else final  # (d_h,)

    J = torch.autograd.functional.jacobian(h_T, h_k.contiguous(), vectorize=True)  # (d_h, ..., d_h)
    return J.movedim(0, -2)  # (..., d_h, d_h)


@implementa("lstm-celda")
def lstm(X, W_ih, W_hh, b, h_0=None, c_0=None):
    """LSTM de una capa, paso a paso (ec. `lstm-celda`); gemelo de ``con_numpy.lstm``.

    Puertas apiladas en el orden (i, f, g, o) de ``nn.LSTM.weight_ih_l0``;
    ``b = bias_ih_l0 + bias_hh_l0``; ``h_0 = c_0 = 0`` por omisión.

    Formas
    ------
    X : (..., T, d_x)    W_ih : (4·d_h, d_x)    W_hh : (4·d_h, d_h)    b : (4·d_h,)
    h_0, c_0 : (..., d_h)
    devuelve (H, C) : (..., T, d_h) cada uno
    """
    validar_lstm(X, W_ih, W_hh, b, h_0, c_0)
    entrada = F.linear(X, W_ih, b)  # (..., T, 4·d_h)
    cero = entrada.new_zeros(entrada.shape[:-2] + (W_hh.shape[1],))
    h = cero if h_0 is None else h_0
    c = cero if c_0 is None else c_0
    H, C = [], []
    for t in range(X.shape[-2]):
        i, f, g, o = (entrada[..., t, :] + F.linear(h, W_hh)).chunk(4, dim=-1)  # 4 × (..., d_h)
        c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        h = torch.sigmoid(o) * torch.tanh(c)
        H.append(h)
        C.append(c)
    return torch.stack(H, dim=-2), torch.stack(C, dim=-2)  # (..., T, d_h) ×2


@implementa("seq2seq-factorizacion")
def seq2seq_log_verosimilitud(X, Y_entrada, objetivos, W_ih_cod, W_hh_cod, b_cod, W_ih_dec, W_hh_dec, b_dec, W_s, b_s):
    """Log-verosimilitud de un codificador-decodificador LSTM con vector fijo (ec. `seq2seq-factorizacion`).

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
    log_p = log_softmax(F.linear(H_dec, W_s, b_s))  # (..., T_y, N_V)
    lote = torch.broadcast_shapes(log_p.shape[:-2], objetivos.shape[:-1])
    log_p = log_p.expand(lote + log_p.shape[-2:])  # (..., T_y, N_V)
    indices = objetivos.to(log_p.device, torch.long).expand(lote + objetivos.shape[-1:])[..., None]  # (..., T_y, 1)
    return log_p.gather(-1, indices)[..., 0].sum(dim=-1)  # (...,)


@implementa("seq2seq-vector-contexto")
def seq2seq_contexto(X, Y_entrada, W_xh, W_hh, b_h, W_ih_dec, W_hh_dec, b_dec, W_o, b_o):
    """Decodificador condicionado por el mismo contexto ``c`` en cada paso (ec. `seq2seq-vector-contexto`).

    ``c = h^enc_T``; ``s_t = tanh(W_ih_dec [y_{t-1}; c] + W_hh_dec s_{t-1} + b_dec)`` desde
    ``s_0 = 0``; ``p(y_t | y_<t, x) = softmax(W_o [s_t; y_{t-1}; c] + b_o)``.

    Formas
    ------
    X : (..., T, d_x)    Y_entrada : (..., T_y, d_y)
    W_xh : (d_h, d_x)    W_hh : (d_h, d_h)    b_h : (d_h,)
    W_ih_dec : (d_s, d_y + d_h)    W_hh_dec : (d_s, d_s)    b_dec : (d_s,)
    W_o : (N_V, d_s + d_y + d_h)    b_o : (N_V,)
    salida : (..., T_y, N_V), cada fila suma 1
    """
    validar_seq2seq_contexto(X, Y_entrada, W_xh, W_hh, b_h, W_ih_dec, W_hh_dec, b_dec, W_o, b_o)
    c = _estados_elman(X, W_xh, W_hh, b_h)[..., -1, :]  # (..., d_h)
    lote = torch.broadcast_shapes(c.shape[:-1], Y_entrada.shape[:-2])
    Y = Y_entrada.expand(lote + Y_entrada.shape[-2:])  # (..., T_y, d_y)
    C = c[..., None, :].expand(lote + (Y.shape[-2], c.shape[-1]))  # (..., T_y, d_h): c en cada paso
    S = _estados_elman(torch.cat([Y, C], dim=-1), W_ih_dec, W_hh_dec, b_dec)  # (..., T_y, d_s)
    return softmax(F.linear(torch.cat([S, Y, C], dim=-1), W_o, b_o))  # (..., T_y, N_V)
