"""Gemelos PyTorch del capítulo 12 frente a las funciones integradas de PyTorch."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F
from transformadores import con_torch as ct

torch.manual_seed(0)
D64 = {"dtype": torch.float64}


@pytest.mark.ecuacion("clip-incrustaciones-normalizadas")
def test_incrustaciones_frente_a_normalize():
    I_f, T_f = torch.randn(7, 10, **D64), torch.randn(5, 12, **D64)
    W_i, W_t = torch.randn(6, 10, **D64), torch.randn(6, 12, **D64)
    I_f[3] = 0.0  # un vector nulo: F.normalize lo deja nulo, sin NaN
    I_e, T_e = ct.clip_incrustaciones(I_f, T_f, W_i, W_t)
    torch.testing.assert_close(I_e, F.normalize(F.linear(I_f, W_i), dim=-1), rtol=1e-10, atol=1e-12)
    torch.testing.assert_close(T_e, F.normalize(T_f @ W_t.T, dim=-1), rtol=1e-10, atol=1e-12)
    assert (I_e[3] == 0).all()


@pytest.mark.ecuacion("clip-logits-temperatura")
@pytest.mark.parametrize("t0", [math.log(1 / 0.07), 5.0])
def test_logits_frente_a_clip(t0):
    """``logits = (I_e @ T_e.T) * t.exp().clamp(max=100)``; recortada, la escala no recibe gradiente."""
    I_e, T_e = F.normalize(torch.randn(6, 8, **D64), dim=-1), F.normalize(torch.randn(6, 8, **D64), dim=-1)
    t, t_ref = torch.tensor(t0, **D64, requires_grad=True), torch.tensor(t0, **D64, requires_grad=True)
    obtenido = ct.clip_logits(I_e, T_e, t)
    esperado = (I_e @ T_e.T) * t_ref.exp().clamp(max=100)
    torch.testing.assert_close(obtenido, esperado, rtol=1e-10, atol=1e-12)
    obtenido.sum().backward()
    esperado.sum().backward()
    torch.testing.assert_close(t.grad, t_ref.grad)
    assert (t.grad == 0) == (math.exp(t0) > 100)


@pytest.mark.ecuacion("clip-perdida-simetrica")
def test_perdida_frente_a_cross_entropy():
    logits = (torch.randn(9, 9, **D64) * 4).requires_grad_()
    n = torch.arange(9)
    esperado = (F.cross_entropy(logits, n) + F.cross_entropy(logits.T, n)) / 2
    obtenido = ct.clip_perdida(logits)
    torch.testing.assert_close(obtenido, esperado, rtol=1e-10, atol=1e-12)
    (g_obtenido,) = torch.autograd.grad(obtenido, logits)
    (g_esperado,) = torch.autograd.grad(esperado, logits)
    torch.testing.assert_close(g_obtenido, g_esperado, rtol=1e-10, atol=1e-12)
    asimetrica = F.cross_entropy(logits, n)  # una sola dirección no basta
    assert not torch.isclose(asimetrica, esperado)


@pytest.mark.ecuacion("infonce")
def test_infonce_frente_a_cross_entropy():
    """InfoNCE = entropía cruzada con la clase 0 (el positivo)."""
    c, X = torch.randn(5, 3, 8, **D64), torch.randn(5, 3, 11, 8, **D64)
    similitudes = F.cosine_similarity(X, c[..., None, :], dim=-1) / 0.1  # (5, 3, 11)
    esperado = F.cross_entropy(similitudes.reshape(-1, 11), torch.zeros(15, dtype=torch.long))
    torch.testing.assert_close(ct.infonce(c, X, tau=0.1), esperado, rtol=1e-10, atol=1e-12)


@pytest.mark.ecuacion("infonce")
def test_infonce_cota_de_informacion_mutua():
    """Con el positivo casi igual al contexto, L → 0 (la cota log N - L llega a log N); sin él, L es grande."""
    c = torch.randn(64, 16, **D64)
    X = torch.randn(64, 8, 16, **D64)
    X[:, 0] = c + 1e-3 * torch.randn(64, 16, **D64)
    L = ct.infonce(c, X, tau=0.05)
    assert 0 < L < 1e-3
    assert ct.infonce(c, torch.randn(64, 8, 16, **D64), tau=0.05) > 1.0  # sin positivo verdadero


@pytest.mark.ecuacion("clip-clasificacion-cero-disparos")
def test_cero_disparos_frente_a_softmax():
    I_e, T_clases = torch.randn(4, 6, 8, **D64), torch.randn(5, 8, **D64)
    escala = math.exp(3.0)
    esperado = torch.softmax(escala * F.normalize(I_e, dim=-1) @ F.normalize(T_clases, dim=-1).T, dim=-1)
    obtenido = ct.clip_cero_disparos(I_e, T_clases, t=3.0)
    torch.testing.assert_close(obtenido, esperado, rtol=1e-10, atol=1e-12)


@pytest.mark.ecuacion("fusion-atencion-cruzada-compuerta")
@pytest.mark.parametrize("alfas", [(0.4, -1.2), (0.0, 0.0)])
def test_fusion_frente_a_multihead(alfas):
    """La atención cruzada es ``nn.MultiheadAttention`` de una cabeza (``key_padding_mask`` = máscara negada)."""
    d, d_v, d_ff = 8, 6, 16
    x, v = torch.randn(2, 5, d, **D64), torch.randn(2, 7, d_v, **D64)
    mascara_v = ct.mascara_relleno(torch.tensor([7, 2]), 7)
    mha = torch.nn.MultiheadAttention(d, 1, kdim=d_v, vdim=d_v, bias=False, batch_first=True, **D64).eval()
    ffn = torch.nn.Sequential(torch.nn.Linear(d, d_ff, **D64), torch.nn.ReLU(), torch.nn.Linear(d_ff, d, **D64))
    a_x, a_f = alfas
    with torch.no_grad():
        y = x + math.tanh(a_x) * mha(x, v, v, key_padding_mask=~mascara_v)[0]
        esperado = y + math.tanh(a_f) * ffn(y)
        obtenido = ct.fusion_cruzada_compuerta(
            x, v, mha.q_proj_weight, mha.k_proj_weight, mha.v_proj_weight, mha.out_proj.weight, a_x,
            ffn[0].weight, ffn[0].bias, ffn[2].weight, ffn[2].bias, a_f, mascara_v,
        )  # fmt: skip
    torch.testing.assert_close(obtenido, esperado, rtol=1e-10, atol=1e-12)


@pytest.mark.ecuacion("fusion-atencion-cruzada-compuerta")
def test_fusion_compuerta_aprende_desde_cero():
    """Con α = 0 la salida es x, pero el gradiente respecto de α no es nulo: la compuerta puede abrirse."""
    d, d_v = 8, 6
    x, v = torch.randn(1, 4, d, **D64), torch.randn(1, 3, d_v, **D64)
    pesos = [torch.randn(*s, **D64) for s in [(4, d), (4, d_v), (3, d_v), (d, 3)]]
    ffn = [torch.randn(*s, **D64) for s in [(16, d), (16,), (d, 16), (d,)]]
    alfa = torch.zeros((), **D64, requires_grad=True)
    y = ct.fusion_cruzada_compuerta(x, v, *pesos, alfa, *ffn, 0.0)
    assert torch.equal(y, x)
    (g,) = torch.autograd.grad(y.sum(), alfa)
    assert g.abs() > 1e-6
