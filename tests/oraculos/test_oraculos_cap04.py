"""Capítulo 4 frente a PyTorch: ``nn.MultiheadAttention`` (pesos copiados), ``nn.Linear`` y SDPA.

Recuerda: ``nn.MultiheadAttention`` usa True = prohibido en ``attn_mask`` y ``key_padding_mask``;
nuestras máscaras usan True = puede atender, así que se le pasan negadas con ``~``.
"""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from transformadores import con_torch as ct

torch.manual_seed(0)
D64 = {"dtype": torch.float64}
TOL = {"rtol": 1e-10, "atol": 1e-12}


def _mha(E=8, H=2, kdim=None, bias=True):
    mha = torch.nn.MultiheadAttention(E, H, bias=bias, kdim=kdim, vdim=kdim, batch_first=True, **D64)
    with torch.no_grad():
        for p in mha.parameters():  # sesgos no nulos, para que cuenten
            p.copy_(torch.randn_like(p) * 0.5)
    return mha.eval()


def _pesos(mha):
    """(W_q, W_k, W_v, W_o) y los sesgos de ``mha``, en nuestra orientación (la misma de nn.Linear)."""
    if mha.in_proj_weight is not None:
        W = mha.in_proj_weight.chunk(3)  # filas [0, E), [E, 2E), [2E, 3E)
    else:
        W = (mha.q_proj_weight, mha.k_proj_weight, mha.v_proj_weight)
    b = mha.in_proj_bias.chunk(3) if mha.in_proj_bias is not None else (None, None, None)
    return (*W, mha.out_proj.weight), dict(zip(("b_q", "b_k", "b_v", "b_o"), (*b, mha.out_proj.bias)))


@pytest.mark.ecuacion("proyecciones-qkv")
def test_proyecciones_frente_a_linear_y_multihead():
    mha = _mha()
    X = torch.randn(3, 5, 8, **D64)
    (W_q, W_k, W_v, _), b = _pesos(mha)
    Q, K, V = ct.proyecciones_qkv(X, W_q, W_k, W_v, b["b_q"], b["b_k"], b["b_v"])
    lineal = torch.nn.Linear(8, 8, **D64)
    with torch.no_grad():
        lineal.weight.copy_(W_k), lineal.bias.copy_(b["b_k"])
    torch.testing.assert_close(K, lineal(X), **TOL)
    conjunta = F.linear(X, mha.in_proj_weight, mha.in_proj_bias)  # lo que hace MHA por dentro, en un paso
    torch.testing.assert_close(torch.cat([Q, K, V], dim=-1), conjunta, **TOL)


@pytest.mark.ecuacion("atencion-multicabeza")
@pytest.mark.parametrize("bias", [True, False])
def test_multicabeza_frente_a_multihead(bias):
    mha = _mha(bias=bias)
    X = torch.randn(3, 6, 8, **D64)
    causal = ct.mascara_causal(6)
    relleno = ct.mascara_relleno(torch.tensor([6, 4, 2]), 6)  # (B, S), True = real
    esperado, pesos_esperados = mha(
        X, X, X, attn_mask=~causal, key_padding_mask=~relleno, average_attn_weights=False
    )  # convención contraria: True = prohibido
    W, b = _pesos(mha)
    mascara = causal & relleno[:, None, None, :]  # (B, 1, T, S)
    salida, pesos = ct.atencion_multicabeza(X, *W, 2, **b, mascara=mascara, devolver_pesos=True)
    torch.testing.assert_close(salida, esperado, **TOL)
    torch.testing.assert_close(pesos, pesos_esperados, **TOL)
    torch.testing.assert_close(ct.atencion_multicabeza(X, *W, 2, **b, mascara=mascara), esperado, **TOL)


@pytest.mark.ecuacion("atencion-multicabeza")
def test_multicabeza_cruzada_frente_a_multihead():
    mha = _mha(E=8, H=4, kdim=6)
    X, Z = torch.randn(2, 5, 8, **D64), torch.randn(2, 9, 6, **D64)
    relleno = ct.mascara_relleno(torch.tensor([9, 3]), 9)
    esperado, pesos_medios = mha(X, Z, Z, key_padding_mask=~relleno)  # pesos promediados sobre cabezas
    W, b = _pesos(mha)
    salida, pesos = ct.atencion_multicabeza(X, *W, 4, **b, Z=Z, mascara=relleno[:, None, None, :], devolver_pesos=True)
    torch.testing.assert_close(salida, esperado, **TOL)
    torch.testing.assert_close(pesos.mean(dim=1), pesos_medios, **TOL)


@pytest.mark.ecuacion("atencion-multicabeza")
def test_multicabeza_frente_a_sdpa_por_cabezas():
    """Separar cabezas a mano, SDPA con is_causal, concatenar y W_o."""
    X = torch.randn(2, 7, 12, **D64)
    W_q, W_k, W_v, W_o = (torch.randn(12, 12, **D64) / 4 for _ in range(4))
    q, k, v = (F.linear(X, W).view(2, 7, 3, 4).transpose(1, 2) for W in (W_q, W_k, W_v))  # (B, H, T, d_k)
    esperado = F.linear(F.scaled_dot_product_attention(q, k, v, is_causal=True).transpose(1, 2).reshape(2, 7, 12), W_o)
    obtenido = ct.atencion_multicabeza(X, W_q, W_k, W_v, W_o, 3, mascara=ct.mascara_causal(7))
    torch.testing.assert_close(obtenido, esperado, **TOL)


@pytest.mark.ecuacion("multicabeza-algoritmo-5")
def test_algoritmo_5_frente_a_multihead():
    """Con d_attn = d_mid = E/H (lo que impone PyTorch), los pesos de P&H son los de MHA por cabezas."""
    mha = _mha(E=8, H=2, kdim=5)
    X, Z = torch.randn(2, 4, 8, **D64), torch.randn(2, 6, 5, **D64)
    (W_q, W_k, W_v, W_o), b = _pesos(mha)
    por_cabeza = [W.reshape(2, 4, -1) for W in (W_q, W_k, W_v)]  # (H, d_attn, d_x)
    sesgos = [b[n].reshape(2, 4) for n in ("b_q", "b_k", "b_v")]
    obtenido = ct.multicabeza_algoritmo_5(
        X, por_cabeza[0], sesgos[0], por_cabeza[1], sesgos[1], por_cabeza[2], sesgos[2], W_o, b["b_o"], Z=Z
    )
    torch.testing.assert_close(obtenido, mha(X, Z, Z)[0], **TOL)


@pytest.mark.ecuacion("multicabeza-parametros")
@pytest.mark.parametrize("E, H, kdim, bias", [(512, 8, None, True), (64, 4, None, False), (48, 6, 20, True)])
def test_parametros_frente_a_multihead(E, H, kdim, bias):
    mha = torch.nn.MultiheadAttention(E, H, kdim=kdim, vdim=kdim, bias=bias)
    esperado = sum(p.numel() for p in mha.parameters())
    assert ct.multicabeza_parametros(E, H, d_z=kdim, sesgo=bias) == esperado
    if kdim is None and bias:
        assert esperado == 4 * E * E + 4 * E


@pytest.mark.ecuacion("atencion-consultas-agrupadas")
@pytest.mark.parametrize("H_kv", [1, 2, 4])
def test_consultas_agrupadas_frente_a_sdpa_gqa(H_kv):
    H, d_k, d = 4, 3, 10
    X = torch.randn(2, 6, d, **D64)
    W_q, W_k, W_v = torch.randn(H * d_k, d, **D64), torch.randn(H_kv * d_k, d, **D64), torch.randn(H_kv * d_k, d, **D64)
    W_o = torch.randn(d, H * d_k, **D64)
    q = F.linear(X, W_q).view(2, 6, H, d_k).transpose(1, 2)  # (B, H, T, d_k)
    k, v = (F.linear(X, W).view(2, 6, H_kv, d_k).transpose(1, 2) for W in (W_k, W_v))  # (B, H_kv, S, d_k)
    cabezas = F.scaled_dot_product_attention(q, k, v, is_causal=True, enable_gqa=True)
    esperado = F.linear(cabezas.transpose(1, 2).reshape(2, 6, H * d_k), W_o)
    obtenido = ct.atencion_consultas_agrupadas(X, W_q, W_k, W_v, W_o, H, H_kv, mascara=ct.mascara_causal(6))
    torch.testing.assert_close(obtenido, esperado, **TOL)


@pytest.mark.ecuacion("atencion-multicabeza")
def test_modulo_frente_a_multihead():
    mha = _mha(E=8, H=2)
    modulo = ct.AtencionMultiCabeza.desde_multihead(mha)
    X = torch.randn(2, 5, 8, **D64)
    relleno = ct.mascara_relleno(torch.tensor([5, 2]), 5)
    esperado, _ = mha(X, X, X, attn_mask=~ct.mascara_causal(5), key_padding_mask=~relleno)
    mascara = ct.mascara_desde_multihead(~ct.mascara_causal(5), ~relleno)  # de su convención a la nuestra
    torch.testing.assert_close(modulo(X, mascara=mascara), esperado, **TOL)
    assert sum(p.numel() for p in modulo.parameters()) == ct.multicabeza_parametros(8, 2)
    flotante = torch.zeros(5, 5, **D64).masked_fill(~ct.mascara_causal(5), float("-inf"))
    aditiva = ct.mascara_desde_multihead(flotante, ~relleno)  # máscara flotante: se suma igual en los dos
    torch.testing.assert_close(modulo(X, mascara=aditiva), esperado, **TOL)


@pytest.mark.ecuacion("atencion-multicabeza")
def test_modulo_cruzado_y_gradientes():
    mha = _mha(E=8, H=4, kdim=6)
    modulo = ct.AtencionMultiCabeza(8, 4, d_z=6, **D64).copiar_de_multihead(mha)
    X, Z = torch.randn(2, 3, 8, **D64), torch.randn(2, 5, 6, **D64)
    modulo(X, Z).sum().backward()
    mha(X, Z, Z)[0].sum().backward()
    torch.testing.assert_close(modulo.W_k.grad, mha.k_proj_weight.grad, **TOL)
    torch.testing.assert_close(modulo.b_o.grad, mha.out_proj.bias.grad, **TOL)
