"""Gemelos del capítulo 2 frente a bucles escalares y a las funciones integradas de PyTorch."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from transformadores import con_numpy as cn
from transformadores import con_torch as ct

D64 = {"dtype": torch.float64}
CERCA = {"rtol": 1e-10, "atol": 1e-12}
B, T, S, d = 2, 3, 6, 4


@pytest.fixture
def g():
    return torch.Generator().manual_seed(0)


def _randn(g, *forma):
    return torch.randn(*forma, generator=g, **D64)


@pytest.mark.ecuacion("bahdanau-energia-aditiva")
def test_energia_aditiva_frente_a_bucle_escalar(g):
    """e_ij = Σ_a v_a[a] · tanh(Σ_k W_a[a,k] s_i[k] + Σ_k U_a[a,k] h_j[k]), escalar a escalar."""
    d_s, d_h, d_a = 3, 4, 2
    s, H = _randn(g, B, T, d_s), _randn(g, B, S, d_h)
    W_a, U_a, v_a = _randn(g, d_a, d_s), _randn(g, d_a, d_h), _randn(g, d_a)
    esperado = np.zeros((B, T, S))
    for b in range(B):
        for i in range(T):
            for j in range(S):
                for a in range(d_a):
                    x = sum(float(W_a[a, k] * s[b, i, k]) for k in range(d_s))
                    x += sum(float(U_a[a, k] * H[b, j, k]) for k in range(d_h))
                    esperado[b, i, j] += float(v_a[a]) * np.tanh(x)
    np.testing.assert_allclose(ct.energia_aditiva(s, H, W_a, U_a, v_a).numpy(), esperado, **CERCA)
    np.testing.assert_allclose(cn.energia_aditiva(*(x.numpy() for x in (s, H, W_a, U_a, v_a))), esperado, **CERCA)


@pytest.mark.ecuacion("bahdanau-pesos-alineamiento")
def test_pesos_alineamiento_frente_a_torch_softmax(g):
    e = _randn(g, B, T, S) * 5
    torch.testing.assert_close(ct.pesos_alineamiento(e), torch.softmax(e, dim=-1), **CERCA)
    np.testing.assert_allclose(cn.pesos_alineamiento(e.numpy()), torch.softmax(e, dim=-1).numpy(), **CERCA)
    mascara = torch.arange(S) < torch.tensor([S, 2])[:, None, None]  # (B, 1, S); True = posición real
    esperado = torch.softmax(e.masked_fill(~mascara, float("-inf")), dim=-1)
    torch.testing.assert_close(ct.pesos_alineamiento(e, mascara), esperado, **CERCA)


@pytest.mark.ecuacion("bahdanau-contexto")
def test_contexto_frente_a_bmm(g):
    alfa, H = torch.softmax(_randn(g, B, T, S), dim=-1), _randn(g, B, S, 8)
    torch.testing.assert_close(ct.contexto_bahdanau(alfa, H), torch.bmm(alfa, H), **CERCA)
    np.testing.assert_allclose(cn.contexto_bahdanau(alfa.numpy(), H.numpy()), torch.bmm(alfa, H).numpy(), **CERCA)


@pytest.mark.ecuacion("bahdanau-contexto")
def test_paso_decodificador_frente_a_rnn_cell(g):
    """s_i es nn.RNNCell sobre [y_{i-1}; c_i] con estado s_{i-1}; p es softmax de un nn.Linear."""
    d_s, d_y, d_h, d_a, N_V = 5, 3, 8, 4, 7
    celda = torch.nn.RNNCell(d_y + d_h, d_s, **D64)
    lineal = torch.nn.Linear(d_s + d_y + d_h, N_V, **D64)
    s_previo, y_previo, H = _randn(g, B, d_s), _randn(g, B, d_y), _randn(g, B, S, d_h)
    W_a, U_a, v_a = _randn(g, d_a, d_s), _randn(g, d_a, d_h), _randn(g, d_a)
    alfa = torch.softmax(ct.energia_aditiva(s_previo[:, None], H, W_a, U_a, v_a)[:, 0], dim=-1)  # (B, S)
    c = torch.bmm(alfa[:, None], H)[:, 0]  # (B, d_h)
    s = celda(torch.cat([y_previo, c], -1), s_previo)
    p = torch.softmax(lineal(torch.cat([s, y_previo, c], -1)), dim=-1)
    b = celda.bias_ih + celda.bias_hh
    args = (s_previo, y_previo, H, W_a, U_a, v_a, celda.weight_ih, celda.weight_hh, b, lineal.weight, lineal.bias)
    for obtenido, esperado in zip(ct.paso_decodificador_bahdanau(*args), (p, s, alfa), strict=True):
        torch.testing.assert_close(obtenido, esperado, **CERCA)


@pytest.mark.ecuacion("luong-puntuacion-dot")
def test_puntuacion_dot_frente_a_sdpa(g):
    """softmax(h_t h_sᵀ) V es SDPA con W_q = W_k = I y scale=1.0."""
    h_t, h_s, V = _randn(g, B, T, d), _randn(g, B, S, d), _randn(g, B, S, 3)
    esperado = F.scaled_dot_product_attention(h_t, h_s, V, scale=1.0)
    torch.testing.assert_close(torch.softmax(ct.puntuacion_dot(h_t, h_s), -1) @ V, esperado, **CERCA)
    pesos = torch.softmax(torch.from_numpy(cn.puntuacion_dot(h_t.numpy(), h_s.numpy())), -1)
    torch.testing.assert_close(pesos @ V, esperado, **CERCA)


@pytest.mark.ecuacion("luong-puntuacion-general")
def test_puntuacion_general_frente_a_sdpa(g):
    """h_tᵀ W_a h̄_s es SDPA con q = h_t, k = h_s W_aᵀ y scale=1.0."""
    d_s = 5
    h_t, h_s, V, W_a = _randn(g, B, T, d), _randn(g, B, S, d_s), _randn(g, B, S, 3), _randn(g, d, d_s)
    esperado = F.scaled_dot_product_attention(h_t, h_s @ W_a.T, V, scale=1.0)
    torch.testing.assert_close(torch.softmax(ct.puntuacion_general(h_t, h_s, W_a), -1) @ V, esperado, **CERCA)
    pesos = torch.softmax(torch.from_numpy(cn.puntuacion_general(h_t.numpy(), h_s.numpy(), W_a.numpy())), -1)
    torch.testing.assert_close(pesos @ V, esperado, **CERCA)


@pytest.mark.ecuacion("luong-puntuacion-concat")
@pytest.mark.parametrize("gemelo", [cn, ct], ids=["numpy", "torch"])
def test_concat_es_bahdanau_partiendo_W_a(g, gemelo):
    """v_aᵀ tanh(W_a [h_t; h̄_s]) = energía aditiva con W_a = [W_1 W_2]."""
    d_t, d_s, d_a = 3, 5, 4
    h_t, h_s, W_a, v_a = _randn(g, B, T, d_t), _randn(g, B, S, d_s), _randn(g, d_a, d_t + d_s), _randn(g, d_a)
    if gemelo is cn:
        h_t, h_s, W_a, v_a = (x.numpy() for x in (h_t, h_s, W_a, v_a))
    concat = gemelo.puntuacion_concat(h_t, h_s, W_a, v_a)
    bahdanau = gemelo.energia_aditiva(h_t, h_s, W_a[:, :d_t], W_a[:, d_t:], v_a)
    np.testing.assert_allclose(np.asarray(concat), np.asarray(bahdanau), **CERCA)


@pytest.mark.ecuacion("luong-atencion-global")
def test_atencion_global_dot_frente_a_sdpa(g):
    """Con «dot», c_t es SDPA(h_t, h̄_s, h̄_s, scale=1.0); h̃_t y p se comprueban con nn.Linear, softmax y log_softmax."""
    d_c, N_V = 5, 7
    h_t, h_s = _randn(g, B, T, d), _randn(g, B, S, d)
    W_c, W_s = torch.nn.Linear(2 * d, d_c, bias=False, **D64), torch.nn.Linear(d_c, N_V, bias=False, **D64)
    mascara = torch.arange(S) < torch.tensor([S, 3])[:, None, None]  # (B, 1, S)
    c = F.scaled_dot_product_attention(h_t, h_s, h_s, attn_mask=mascara, scale=1.0)
    h_tilde = torch.tanh(W_c(torch.cat([c, h_t], -1)))
    p, h_tilde_obt, c_obt, a = ct.atencion_global_luong(h_t, h_s, W_c.weight, W_s.weight, mascara=mascara)
    torch.testing.assert_close(c_obt, c, **CERCA)
    torch.testing.assert_close(h_tilde_obt, h_tilde, **CERCA)
    torch.testing.assert_close(p, torch.softmax(W_s(h_tilde), -1), **CERCA)
    torch.testing.assert_close(torch.log(p), F.log_softmax(W_s(h_tilde), -1), **CERCA)
    assert (a[1, :, 3:] == 0).all()
    p_np = cn.atencion_global_luong(*(x.detach().numpy() for x in (h_t, h_s, W_c.weight, W_s.weight)), "dot", None,
                                    None, mascara.numpy())[0]  # fmt: skip
    np.testing.assert_allclose(p_np, p.detach().numpy(), **CERCA)


@pytest.mark.ecuacion("luong-atencion-global")
@pytest.mark.parametrize("puntuacion", ["general", "concat"])
def test_atencion_global_general_y_concat(g, puntuacion):
    d_s, d_c, N_V, d_a = 5, 6, 7, 3
    h_t, h_s = _randn(g, B, T, d), _randn(g, B, S, d_s)
    W_c, W_s = _randn(g, d_c, d_s + d), _randn(g, N_V, d_c)
    if puntuacion == "general":
        W_a, v_a = _randn(g, d, d_s), None
        score = h_t @ (h_s @ W_a.T).transpose(1, 2)
    else:
        W_a, v_a = _randn(g, d_a, d + d_s), _randn(g, d_a)
        score = torch.tanh(h_t[:, :, None] @ W_a[:, :d].T + h_s[:, None] @ W_a[:, d:].T) @ v_a
    a = torch.softmax(score, -1)
    h_tilde = torch.tanh(torch.cat([a @ h_s, h_t], -1) @ W_c.T)
    obtenido = ct.atencion_global_luong(h_t, h_s, W_c, W_s, puntuacion, W_a, v_a)
    for o, e in zip(obtenido, (torch.softmax(h_tilde @ W_s.T, -1), h_tilde, a @ h_s, a), strict=True):
        torch.testing.assert_close(o, e, **CERCA)
