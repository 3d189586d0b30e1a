"""Capítulo 6 frente a PyTorch: ``nn.LayerNorm``, ``nn.RMSNorm``, ``F.gelu``, ``nn.Dropout`` y
``nn.TransformerEncoderLayer`` (Post-LN y Pre-LN) con los pesos copiados."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from transformadores import con_torch as ct

torch.manual_seed(0)
D64 = {"dtype": torch.float64}
TOL = {"rtol": 1e-10, "atol": 1e-12}


@pytest.mark.ecuacion("normalizacion-capa")
@pytest.mark.parametrize("dtype, tol", [(torch.float64, TOL), (torch.float32, {"rtol": 1e-5, "atol": 1e-5})])
def test_normalizacion_capa_frente_a_layernorm(dtype, tol):
    ln = torch.nn.LayerNorm(16, dtype=dtype)  # eps=1e-5 por omisión, varianza sesgada
    with torch.no_grad():
        ln.weight.normal_(), ln.bias.normal_()
    x = torch.randn(3, 7, 16, dtype=dtype) * 4 + 2
    torch.testing.assert_close(ct.normalizacion_capa(x, ln.weight, ln.bias), ln(x), **tol)
    torch.testing.assert_close(ct.normalizacion_capa(x), F.layer_norm(x, (16,)), **tol)
    torch.testing.assert_close(ct.NormalizacionCapa(16, dtype=dtype).copiar_de(ln)(x), ln(x), **tol)


@pytest.mark.ecuacion("rmsnorm")
def test_rmsnorm_frente_a_torch():
    rms = torch.nn.RMSNorm(16, eps=1e-6, **D64)
    with torch.no_grad():
        rms.weight.normal_()
    x = torch.randn(3, 7, 16, **D64) * 3
    torch.testing.assert_close(ct.rmsnorm(x, rms.weight), rms(x), **TOL)
    torch.testing.assert_close(ct.rmsnorm(x, eps=1e-3), F.rms_norm(x, (16,), eps=1e-3), **TOL)
    modulo = ct.RMSNorm(16, **D64)
    with torch.no_grad():
        modulo.g.copy_(rms.weight)
    torch.testing.assert_close(modulo(x), rms(x), **TOL)


@pytest.mark.ecuacion("gelu")
@pytest.mark.parametrize("aproximada, nombre", [(False, "none"), (True, "tanh")])
def test_gelu_frente_a_torch(aproximada, nombre):
    x = torch.linspace(-8, 8, 401, **D64)
    torch.testing.assert_close(ct.gelu(x, aproximada), F.gelu(x, approximate=nombre), **TOL)


@pytest.mark.ecuacion("red-posicional-ffn")
@pytest.mark.parametrize("activacion, torch_act", [("relu", torch.nn.ReLU()), ("gelu", torch.nn.GELU())])
def test_red_posicional_frente_a_secuencial(activacion, torch_act):
    red = torch.nn.Sequential(torch.nn.Linear(8, 32, **D64), torch_act, torch.nn.Linear(32, 8, **D64))
    x = torch.randn(2, 5, 8, **D64)
    W = (red[0].weight, red[0].bias, red[2].weight, red[2].bias)
    torch.testing.assert_close(ct.red_posicional(x, *W, activacion=activacion), red(x), **TOL)
    modulo = ct.RedPosicional(8, 32, activacion, **D64)
    with torch.no_grad():
        for destino, origen in zip((modulo.W_1, modulo.b_1, modulo.W_2, modulo.b_2), W):
            destino.copy_(origen)
    torch.testing.assert_close(modulo(x), red(x), **TOL)


@pytest.mark.ecuacion("swiglu")
def test_swiglu_frente_a_silu():
    x = torch.randn(2, 5, 8, **D64)
    W, V, W_2 = torch.randn(21, 8, **D64), torch.randn(21, 8, **D64), torch.randn(8, 21, **D64)
    esperado = (F.silu(x @ W.T) * (x @ V.T)) @ W_2.T
    torch.testing.assert_close(ct.swiglu(x, W, V, W_2), esperado, **TOL)
    modulo = ct.RedSwiGLU(8, 21, **D64)
    assert modulo(x).shape == (2, 5, 8) and sum(p.numel() for p in modulo.parameters()) == 3 * 8 * 21


@pytest.mark.ecuacion("conexion-residual")
def test_dropout_como_nn_dropout():
    """Mismo reparto que ``nn.Dropout`` en train(): ceros con prob. p y el resto escalado por 1/(1-p)."""
    x = torch.rand(200_000, **D64) + 1
    for dropout in (torch.nn.Dropout(0.3).train(), lambda u: ct.dropout(u, 0.3, torch.Generator().manual_seed(1))):
        y = dropout(x)
        ceros = y == 0
        assert abs(ceros.double().mean().item() - 0.3) < 0.005
        torch.testing.assert_close(y[~ceros], x[~ceros] / 0.7, **TOL)
    assert torch.equal(torch.nn.Dropout(0.3).eval()(x), ct.dropout(x, 0.0))  # evaluación = identidad


def _copiar_capa(capa):
    """Pesos de ``nn.TransformerEncoderLayer`` en nuestras funciones: atención, FFN y las dos LN."""
    mha = capa.self_attn
    W_q, W_k, W_v = mha.in_proj_weight.chunk(3)
    b_q, b_k, b_v = mha.in_proj_bias.chunk(3)
    atencion = (W_q, W_k, W_v, mha.out_proj.weight, mha.num_heads, b_q, b_k, b_v, mha.out_proj.bias)
    ffn = (capa.linear1.weight, capa.linear1.bias, capa.linear2.weight, capa.linear2.bias)
    return atencion, ffn, (capa.norm1.weight, capa.norm1.bias), (capa.norm2.weight, capa.norm2.bias)


def _capa(norm_first):
    capa = torch.nn.TransformerEncoderLayer(16, 4, 32, dropout=0.0, norm_first=norm_first, batch_first=True, **D64)
    with torch.no_grad():
        for nombre, p in capa.named_parameters():
            if "norm" in nombre:  # LN no triviales, para que la comparación distinga γ y β
                p.add_(torch.randn_like(p) * 0.3)
    return capa.eval()


@pytest.mark.ecuacion("post-ln")
def test_post_ln_frente_a_transformer_encoder_layer():
    capa = _capa(norm_first=False)
    X = torch.randn(3, 6, 16, **D64)
    relleno = ct.mascara_relleno(torch.tensor([6, 4, 1]), 6)
    esperado = capa(X, src_key_padding_mask=~relleno)  # True = ignorar (convención de PyTorch)
    atencion, ffn, ln1, ln2 = _copiar_capa(capa)
    mascara = relleno[:, None, None, :]
    X1 = ct.post_ln(X, lambda u: ct.atencion_multicabeza(u, *atencion, mascara=mascara), *ln1)
    X2 = ct.post_ln(X1, lambda u: ct.red_posicional(u, *ffn), *ln2)
    torch.testing.assert_close(X2, esperado, **TOL)


@pytest.mark.ecuacion("pre-ln")
def test_pre_ln_frente_a_transformer_encoder_layer_y_ln_final():
    capa = _capa(norm_first=True)
    final = torch.nn.LayerNorm(16, **D64)
    with torch.no_grad():
        final.weight.normal_(), final.bias.normal_()
    X = torch.randn(3, 6, 16, **D64)
    causal = ct.mascara_causal(6)
    esperado = final(capa(X, src_mask=~causal))
    atencion, ffn, ln1, ln2 = _copiar_capa(capa)
    X1 = ct.pre_ln(X, lambda u: ct.atencion_multicabeza(u, *atencion, mascara=causal), *ln1)
    X2 = ct.pre_ln(X1, lambda u: ct.red_posicional(u, *ffn), *ln2)
    torch.testing.assert_close(ct.normalizacion_capa(X2, final.weight, final.bias), esperado, **TOL)


@pytest.mark.ecuacion("post-ln")
@pytest.mark.ecuacion("pre-ln")
@pytest.mark.parametrize("norm_first", [False, True])
def test_modulos_componen_la_capa_de_codificador(norm_first):
    """Con los módulos: AtencionMultiCabeza + RedPosicional + ConexionResidual, también el gradiente."""
    capa = _capa(norm_first)
    X = torch.randn(2, 5, 16, **D64)
    atencion = ct.AtencionMultiCabeza.desde_multihead(capa.self_attn)
    ffn = ct.RedPosicional(16, 32, **D64)
    sub1, sub2 = (ct.ConexionResidual(16, pre_ln=norm_first, p=0.1, **D64).eval() for _ in range(2))
    with torch.no_grad():
        for destino, origen in zip((ffn.W_1, ffn.b_1, ffn.W_2, ffn.b_2), _copiar_capa(capa)[1]):
            destino.copy_(origen)
        sub1.norma.copiar_de(capa.norm1), sub2.norma.copiar_de(capa.norm2)
    salida = sub2(sub1(X, atencion), ffn)
    torch.testing.assert_close(salida, capa(X), **TOL)
    salida.square().sum().backward()
    capa(X).square().sum().backward()
    torch.testing.assert_close(sub1.norma.gamma.grad, capa.norm1.weight.grad, **TOL)
    torch.testing.assert_close(ffn.W_1.grad, capa.linear1.weight.grad, **TOL)
