"""Gemelos del capítulo 1 frente a las funciones integradas de PyTorch (nn.RNN, nn.LSTM, autograd)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from transformadores import con_numpy as cn
from transformadores import con_torch as ct

D64 = {"dtype": torch.float64}
B, T, d_x, d_h = 3, 6, 4, 5


@pytest.fixture
def generador():
    return torch.Generator().manual_seed(0)


def _rnn(generador):
    rnn = torch.nn.RNN(d_x, d_h, nonlinearity="tanh", batch_first=True, **D64)
    with torch.no_grad():
        for p in rnn.parameters():
            p.copy_(torch.randn(p.shape, generator=generador, **D64) * 0.6)
    return rnn


def _pesos_elman(rnn):
    """W_xh, W_hh y b_h = b_ih + b_hh (nn.RNN usa dos sesgos)."""
    return rnn.weight_ih_l0.detach(), rnn.weight_hh_l0.detach(), (rnn.bias_ih_l0 + rnn.bias_hh_l0).detach()


@pytest.mark.ecuacion("rnn-elman-recurrencia")
def test_elman_frente_a_nn_rnn(generador):
    rnn = _rnn(generador)
    lineal = torch.nn.Linear(d_h, 2, **D64)
    X, h_0 = torch.randn(B, T, d_x, generator=generador, **D64), torch.randn(B, d_h, generator=generador, **D64)
    salida, h_n = rnn(X, h_0[None])
    Y, H = ct.rnn_elman(X, *_pesos_elman(rnn), lineal.weight, lineal.bias, h_0=h_0)
    torch.testing.assert_close(H, salida, rtol=1e-10, atol=1e-12)
    torch.testing.assert_close(H[:, -1], h_n[0], rtol=1e-10, atol=1e-12)
    torch.testing.assert_close(Y, lineal(salida), rtol=1e-10, atol=1e-12)
    Y_np, H_np = cn.rnn_elman(*(x.detach().numpy() for x in (X, *_pesos_elman(rnn), lineal.weight, lineal.bias)))
    np.testing.assert_allclose(H_np, rnn(X)[0].detach().numpy(), rtol=1e-10, atol=1e-12)


def _jacobiano_oraculo(rnn, X, k):
    """∂h_T/∂h_k con autograd sobre nn.RNN, elemento a elemento del lote: (B, d_h, d_h)."""
    H = rnn(X)[0].detach()
    h_k = torch.zeros(B, d_h, **D64) if k == 0 else H[:, k - 1]
    return torch.stack(
        [
            torch.autograd.functional.jacobian(lambda h, b=b: rnn(X[b : b + 1, k:], h[None, None])[1][0, 0], h_k[b])
            for b in range(B)
        ]
    )


@pytest.mark.ecuacion("rnn-gradiente-desvaneciente")
@pytest.mark.parametrize("k", [0, 1, 4])
def test_jacobiano_frente_a_autograd_de_nn_rnn(generador, k):
    rnn = _rnn(generador)
    X = torch.randn(B, T, d_x, generator=generador, **D64)
    esperado = _jacobiano_oraculo(rnn, X, k)
    W = _pesos_elman(rnn)
    torch.testing.assert_close(ct.jacobiano_rnn(X, *W, k=k), esperado, rtol=1e-10, atol=1e-12)
    J_np = cn.jacobiano_rnn(X.numpy(), *(w.numpy() for w in W), k=k)  # producto acumulado a mano
    np.testing.assert_allclose(J_np, esperado.numpy(), rtol=1e-10, atol=1e-12)
    cota = torch.linalg.matrix_norm(W[1], ord=2) ** (T - k)
    assert (torch.linalg.matrix_norm(esperado, ord=2) <= cota * (1 + 1e-12)).all()


@pytest.mark.ecuacion("rnn-gradiente-desvaneciente")
def test_gradiente_se_desvanece_con_norma_menor_que_uno(generador):
    """Con ‖W_hh‖₂ = 0.9 la norma de ∂h_T/∂h_k cae al menos como 0.9^(T-k)."""
    W_hh = torch.linalg.qr(torch.randn(d_h, d_h, generator=generador, **D64))[0] * 0.9  # ortogonal × 0.9
    W_xh, b_h = torch.randn(d_h, d_x, generator=generador, **D64), torch.zeros(d_h, **D64)
    X = torch.randn(1, 30, d_x, generator=generador, **D64)
    normas = [float(torch.linalg.matrix_norm(ct.jacobiano_rnn(X, W_xh, W_hh, b_h, k=k), ord=2)) for k in range(31)]
    assert all(n <= 0.9 ** (30 - k) + 1e-12 for k, n in enumerate(normas))
    assert normas[0] < 1e-2 < normas[29]


@pytest.mark.ecuacion("lstm-celda")
@pytest.mark.parametrize("con_estado", [False, True], ids=["sin_estado", "con_estado"])
def test_lstm_frente_a_nn_lstm(generador, con_estado):
    red = torch.nn.LSTM(d_x, d_h, batch_first=True, **D64)
    X = torch.randn(B, T, d_x, generator=generador, **D64)
    estado = tuple(torch.randn(1, B, d_h, generator=generador, **D64) for _ in range(2)) if con_estado else None
    salida, (h_n, c_n) = red(X, estado)
    W = (red.weight_ih_l0, red.weight_hh_l0, red.bias_ih_l0 + red.bias_hh_l0)  # puertas (i, f, g, o)
    kwargs = {"h_0": estado[0][0], "c_0": estado[1][0]} if con_estado else {}
    H, C = ct.lstm(X, *W, **kwargs)
    torch.testing.assert_close(H, salida, rtol=1e-10, atol=1e-12)
    torch.testing.assert_close(C[:, -1], c_n[0], rtol=1e-10, atol=1e-12)
    H_np, C_np = cn.lstm(*(x.detach().numpy() for x in (X, *W)), **{k: v.numpy() for k, v in kwargs.items()})
    np.testing.assert_allclose(H_np, salida.detach().numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.ecuacion("lstm-celda")
def test_lstm_orden_de_puertas_importa(generador):
    """Intercambiar los bloques i y f de los pesos cambia el resultado: el orden (i, f, g, o) se comprueba de verdad."""
    red = torch.nn.LSTM(d_x, d_h, batch_first=True, **D64)
    X = torch.randn(B, T, d_x, generator=generador, **D64)
    i, f, g, o = red.weight_ih_l0.detach().chunk(4)
    W = (torch.cat([f, i, g, o]), red.weight_hh_l0.detach(), (red.bias_ih_l0 + red.bias_hh_l0).detach())
    assert not torch.allclose(ct.lstm(X, *W)[0], red(X)[0])


@pytest.mark.ecuacion("seq2seq-factorizacion")
def test_seq2seq_frente_a_nn_lstm_y_cross_entropy(generador):
    T_y, d_y, N_V = 4, 3, 7
    cod, dec = torch.nn.LSTM(d_x, d_h, batch_first=True, **D64), torch.nn.LSTM(d_y, d_h, batch_first=True, **D64)
    salida = torch.nn.Linear(d_h, N_V, **D64)
    X, Y = torch.randn(B, T, d_x, generator=generador, **D64), torch.randn(B, T_y, d_y, generator=generador, **D64)
    objetivos = torch.randint(0, N_V, (B, T_y), generator=generador)
    _, estado = cod(X)  # v = (h_T, c_T): el único canal entre codificador y decodificador
    logits = salida(dec(Y, estado)[0])  # (B, T_y, N_V)
    esperado = -F.cross_entropy(logits.reshape(-1, N_V), objetivos.reshape(-1), reduction="sum")
    pesos = [(m.weight_ih_l0, m.weight_hh_l0, m.bias_ih_l0 + m.bias_hh_l0) for m in (cod, dec)]
    args = (X, Y, objetivos, *pesos[0], *pesos[1], salida.weight, salida.bias)
    log_v = ct.seq2seq_log_verosimilitud(*args)
    assert log_v.shape == (B,) and (log_v < 0).all()
    torch.testing.assert_close(log_v.sum(), esperado, rtol=1e-10, atol=1e-12)
    por_secuencia = -F.cross_entropy(logits.transpose(1, 2), objetivos, reduction="none").sum(-1)
    torch.testing.assert_close(log_v, por_secuencia, rtol=1e-10, atol=1e-12)
    log_v_np = cn.seq2seq_log_verosimilitud(*(a.detach().numpy() for a in args))
    np.testing.assert_allclose(log_v_np, por_secuencia.detach().numpy(), rtol=1e-10)


@pytest.mark.ecuacion("seq2seq-vector-contexto")
def test_seq2seq_contexto_frente_a_nn_rnn(generador):
    """Decodificador = nn.RNN sobre [y_{t-1}; c] desde s_0 = 0; salida = nn.Linear sobre [s_t; y_{t-1}; c]."""
    T_y, d_y, d_s, N_V = 4, 3, 6, 7
    cod = _rnn(generador)
    dec = torch.nn.RNN(d_y + d_h, d_s, nonlinearity="tanh", batch_first=True, **D64)
    salida = torch.nn.Linear(d_s + d_y + d_h, N_V, **D64)
    X, Y = torch.randn(B, T, d_x, generator=generador, **D64), torch.randn(B, T_y, d_y, generator=generador, **D64)
    c = cod(X)[1][0][:, None, :].expand(B, T_y, d_h)  # (B, T_y, d_h): el mismo c en cada paso
    S = dec(torch.cat([Y, c], -1))[0]
    esperado = torch.softmax(salida(torch.cat([S, Y, c], -1)), dim=-1)
    args = (X, Y, *_pesos_elman(cod), *_pesos_elman(dec), salida.weight, salida.bias)
    P = ct.seq2seq_contexto(*args)
    assert P.shape == (B, T_y, N_V)
    torch.testing.assert_close(P, esperado, rtol=1e-10, atol=1e-12)
    torch.testing.assert_close(P.sum(-1), torch.ones(B, T_y, **D64))
