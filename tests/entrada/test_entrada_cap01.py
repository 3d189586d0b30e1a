"""Entradas erróneas del capítulo 1: cada función pública lanza un error claro en español (mensaje por regex)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from transformadores import ErrorDeForma, con_numpy, con_torch

GEMELOS = pytest.mark.parametrize("g", [con_numpy, con_torch], ids=["numpy", "torch"])


def _arr(g, *forma, dtype=None):
    x = np.ones(forma, dtype=dtype or np.float64)
    return torch.from_numpy(x) if g is con_torch else x


def _lstm(g, d_x, d_h=4):
    return _arr(g, 4 * d_h, d_x), _arr(g, 4 * d_h, d_h), _arr(g, 4 * d_h)


@pytest.mark.ecuacion("rnn-elman-recurrencia")
@GEMELOS
def test_rnn_elman_rechaza_formas(g):
    X, W_xh, b_h, salida = _arr(g, 2, 5, 3), _arr(g, 4, 3), _arr(g, 4), (_arr(g, 2, 4), _arr(g, 2))
    with pytest.raises(ErrorDeForma, match=r"'W_hh' debe tener forma \(d_h, d_h\) con d_h=4 \(tomado de 'W_xh'\)"):
        g.rnn_elman(X, W_xh, _arr(g, 4, 5), b_h, *salida)
    with pytest.raises(ErrorDeForma, match=r"'W_hy' debe tener forma \(d_y, d_h\) con d_h=4 .* se recibió \(2, 3\)"):
        g.rnn_elman(X, W_xh, _arr(g, 4, 4), b_h, _arr(g, 2, 3), _arr(g, 2))
    with pytest.raises(ErrorDeForma, match=r"lote de 'h_0' \(3,\) no se pueden difundir con las de 'X' \(2,\)"):
        g.rnn_elman(X, W_xh, _arr(g, 4, 4), b_h, *salida, h_0=_arr(g, 3, 4))
    with pytest.raises(TypeError, match=r"'X' debe ser de coma flotante .* se recibió dtype"):
        g.rnn_elman(_arr(g, 2, 5, 3, dtype=np.int64), W_xh, _arr(g, 4, 4), b_h, *salida)


@pytest.mark.ecuacion("rnn-gradiente-desvaneciente")
@GEMELOS
def test_jacobiano_rnn_rechaza_k(g):
    args = (_arr(g, 2, 5, 3), _arr(g, 4, 3), _arr(g, 4, 4), _arr(g, 4))
    with pytest.raises(ErrorDeForma, match=r"'k' debe ser un entero entre 0 y T=5 \(tomado de 'X'\), .* recibió 6"):
        g.jacobiano_rnn(*args, k=6)
    with pytest.raises(ErrorDeForma, match=r"'k' debe ser un entero .* se recibió 1\.0"):
        g.jacobiano_rnn(*args, k=1.0)


@pytest.mark.ecuacion("lstm-celda")
@GEMELOS
def test_lstm_rechaza_puertas_y_estados(g):
    X = _arr(g, 2, 5, 3)
    with pytest.raises(ErrorDeForma, match=r"'W_ih' apila las cuatro puertas \(i, f, g, o\): .* múltiplo de 4"):
        g.lstm(X, _arr(g, 15, 3), _arr(g, 16, 4), _arr(g, 16))
    with pytest.raises(ErrorDeForma, match=r"'W_hh' debe tener forma \(4d_h, d_h\) con 4d_h=16 \(tomado de 'W_ih'\)"):
        g.lstm(X, _arr(g, 16, 3), _arr(g, 16, 5), _arr(g, 16))
    with pytest.raises(ErrorDeForma, match=r"'c_0' debe tener forma \(\.\.\., d_h\) con d_h=4 .* se recibió \(2, 3\)"):
        g.lstm(X, *_lstm(g, 3), c_0=_arr(g, 2, 3))


@pytest.mark.ecuacion("seq2seq-factorizacion")
@GEMELOS
def test_seq2seq_rechaza_objetivos_y_pesos(g):
    X, Y, salida = _arr(g, 2, 5, 3), _arr(g, 2, 4, 2), (_arr(g, 6, 4), _arr(g, 6))
    pesos = (*_lstm(g, 3), *_lstm(g, 2))
    fuera = _arr(g, 2, 4, dtype=np.int64) * 6
    with pytest.raises(
        ErrorDeForma, match=r"'objetivos' debe contener enteros entre 0 y N_V-1=5 \(N_V tomado de 'W_s'\)"
    ):
        g.seq2seq_log_verosimilitud(X, Y, fuera, *pesos, *salida)
    with pytest.raises(TypeError, match=r"'objetivos' debe ser de enteros .* dtype"):
        g.seq2seq_log_verosimilitud(X, Y, _arr(g, 2, 4), *pesos, *salida)
    with pytest.raises(
        ErrorDeForma, match=r"'objetivos' debe tener forma \(\.\.\., T_y\) con T_y=4 \(tomado de 'Y_entrada'\)"
    ):
        g.seq2seq_log_verosimilitud(X, Y, _arr(g, 2, 3, dtype=np.int64), *pesos, *salida)
    with pytest.raises(
        ErrorDeForma, match=r"'W_ih_dec' debe tener forma \(4d_h, d_y\) con 4d_h=16 \(tomado de 'W_ih_cod'\)"
    ):
        g.seq2seq_log_verosimilitud(X, Y, fuera * 0, *_lstm(g, 3), *_lstm(g, 2, d_h=3), *salida)


@pytest.mark.ecuacion("seq2seq-vector-contexto")
@GEMELOS
def test_seq2seq_contexto_rechaza_pesos(g):
    cod = (_arr(g, 2, 5, 3), _arr(g, 2, 4, 2), _arr(g, 4, 3), _arr(g, 4, 4), _arr(g, 4))
    with pytest.raises(ErrorDeForma, match=r"'W_ih_dec' debe tener forma \(d_s, d_y\+d_h\) con d_y\+d_h=6"):
        g.seq2seq_contexto(*cod, _arr(g, 5, 5), _arr(g, 5, 5), _arr(g, 5), _arr(g, 6, 11), _arr(g, 6))
    with pytest.raises(ErrorDeForma, match=r"'W_o' debe tener forma \(N_V, d_s\+d_y\+d_h\) con d_s\+d_y\+d_h=11"):
        g.seq2seq_contexto(*cod, _arr(g, 5, 6), _arr(g, 5, 5), _arr(g, 5), _arr(g, 6, 10), _arr(g, 6))
