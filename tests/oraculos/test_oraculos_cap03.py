"""Gemelos PyTorch del capítulo 3 frente a las funciones integradas de PyTorch."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from transformadores import con_torch as ct

torch.manual_seed(0)
D64 = {"dtype": torch.float64}


def _qkv(B=2, H=3, T=5, S=7, d_k=8, d_v=4):
    return torch.randn(B, H, T, d_k, **D64), torch.randn(B, H, S, d_k, **D64), torch.randn(B, H, S, d_v, **D64)


@pytest.mark.ecuacion("softmax")
def test_softmax_frente_a_torch():
    z = torch.randn(4, 6, 11, **D64) * 30
    torch.testing.assert_close(ct.softmax(z), torch.softmax(z, dim=-1), rtol=1e-10, atol=1e-12)
    torch.testing.assert_close(ct.softmax(z, eje=1), torch.softmax(z, dim=1), rtol=1e-10, atol=1e-12)


@pytest.mark.ecuacion("log-softmax-estable")
def test_log_softmax_frente_a_torch():
    z = torch.randn(4, 11, **D64) * 100
    torch.testing.assert_close(ct.log_softmax(z), F.log_softmax(z, dim=-1), rtol=1e-10, atol=1e-10)
    lse = z - ct.log_softmax(z)
    torch.testing.assert_close(lse, torch.logsumexp(z, -1, keepdim=True).expand_as(z), rtol=1e-10, atol=1e-10)


@pytest.mark.ecuacion("atencion-producto-escalado")
@pytest.mark.parametrize("escala", [None, 0.3])
def test_atencion_frente_a_sdpa(escala):
    Q, K, V = _qkv()
    esperado = F.scaled_dot_product_attention(Q, K, V, scale=escala)
    salida, pesos = ct.atencion_escalada(Q, K, V, escala=escala, devolver_pesos=True)
    torch.testing.assert_close(salida, esperado, rtol=1e-10, atol=1e-12)
    torch.testing.assert_close(ct.atencion_escalada(Q, K, V, escala=escala), esperado, rtol=1e-10, atol=1e-12)
    torch.testing.assert_close(pesos.sum(-1), torch.ones(2, 3, 5, **D64))


@pytest.mark.ecuacion("mascara-aditiva")
def test_mascara_aditiva_frente_a_sdpa():
    Q, K, V = _qkv()
    permitido = torch.rand(5, 7) > 0.3
    permitido[:, 0] = True
    M = ct.mascara_aditiva(permitido, dtype=torch.float64)
    esperado = F.scaled_dot_product_attention(Q, K, V, attn_mask=permitido)
    torch.testing.assert_close(F.scaled_dot_product_attention(Q, K, V, attn_mask=M), esperado)
    torch.testing.assert_close(ct.atencion_escalada(Q, K, V, M, devolver_pesos=True)[0], esperado)
    torch.testing.assert_close(ct.atencion_escalada(Q, K, V, permitido, devolver_pesos=True)[0], esperado)


@pytest.mark.ecuacion("mascara-causal")
def test_mascara_causal_frente_a_torch():
    Q, K, V = _qkv(T=6, S=6)
    causal = ct.mascara_causal(6)
    esperado = F.scaled_dot_product_attention(Q, K, V, is_causal=True)
    torch.testing.assert_close(ct.atencion_escalada(Q, K, V, causal, devolver_pesos=True)[0], esperado)
    subsecuente = torch.nn.Transformer.generate_square_subsequent_mask(6, dtype=torch.float64)
    torch.testing.assert_close(ct.mascara_aditiva(causal, dtype=torch.float64), subsecuente)


def _mha(d, kdim, n_cabezas=1):
    mha = torch.nn.MultiheadAttention(d, n_cabezas, kdim=kdim, vdim=kdim, bias=False, batch_first=True, **D64)
    with torch.no_grad():
        mha.out_proj.weight.copy_(torch.eye(d, **D64))
    return mha.eval()


@pytest.mark.ecuacion("mascara-relleno")
def test_mascara_relleno_frente_a_multihead():
    """``key_padding_mask`` de ``nn.MultiheadAttention`` usa True = ignorar: es nuestra máscara negada."""
    X = torch.randn(3, 6, 8, **D64)
    mha = _mha(8, 8)
    relleno = ct.mascara_relleno(torch.tensor([6, 4, 1]), 6)  # (B, S), True = real
    esperado, _ = mha(X, X, X, key_padding_mask=~relleno)
    W_q, W_k, W_v = mha.in_proj_weight.chunk(3)
    obtenido = ct.atencion_escalada(X @ W_q.T, X @ W_k.T, X @ W_v.T, relleno[:, None, :])
    torch.testing.assert_close(obtenido, esperado)


@pytest.mark.ecuacion("atencion-cruzada")
def test_atencion_cruzada_frente_a_multihead():
    X, Z = torch.randn(2, 5, 8, **D64), torch.randn(2, 9, 12, **D64)
    mha = _mha(8, 12)
    mascara_Z = ct.mascara_relleno(torch.tensor([9, 3]), 9)
    esperado, _ = mha(X, Z, Z, key_padding_mask=~mascara_Z)
    obtenido = ct.atencion_cruzada(X, Z, mha.q_proj_weight, mha.k_proj_weight, mha.v_proj_weight, mascara_Z)
    torch.testing.assert_close(obtenido, esperado)


@pytest.mark.ecuacion("atencion-consulta-unica")
def test_consulta_unica_frente_a_sdpa():
    d_in, d_attn, d_out, T = 6, 4, 3, 9
    e, contexto = torch.randn(d_in, **D64), torch.randn(T, d_in, **D64)
    W = [
        torch.randn(*s, **D64) for s in [(d_attn, d_in), (d_attn,), (d_attn, d_in), (d_attn,), (d_out, d_in), (d_out,)]
    ]
    q = F.linear(e, W[0], W[1])
    k, v = F.linear(contexto, W[2], W[3]), F.linear(contexto, W[4], W[5])
    esperado = F.scaled_dot_product_attention(q[None, None, :], k[None], v[None])[0, 0]
    torch.testing.assert_close(ct.atencion_consulta_unica(e, contexto, *W), esperado)


@pytest.mark.ecuacion("mascara-combinada")
def test_mascara_combinada_frente_a_sdpa():
    """En las filas no vacías coincide con SDPA; en las vacías damos ceros (SDPA da NaN)."""
    Q, K, V = _qkv(T=6, S=6)
    combinada = ct.combinar_mascaras(
        ct.mascara_causal(6), ct.mascara_relleno(torch.tensor([6, 0]), 6)[:, None, None, :]
    )
    esperado = F.scaled_dot_product_attention(Q, K, V, attn_mask=combinada)
    obtenido = ct.atencion_escalada(Q, K, V, combinada)
    torch.testing.assert_close(obtenido[0], esperado[0])
    assert torch.isnan(esperado[1]).all() or (esperado[1] == 0).all()  # lo que haga PyTorch en filas vacías
    assert (obtenido[1] == 0).all() and not torch.isnan(obtenido).any()
