"""Capítulo 7 frente a PyTorch: ``nn.TransformerEncoderLayer`` y ``nn.TransformerDecoderLayer`` (Post-LN y
Pre-LN), ``nn.Transformer`` completo, la pila de BERT y la de GPT-2, con los pesos copiados (eval, dropout 0).

Ojo con las máscaras: las de ``torch.nn`` usan True = prohibido; las nuestras, True = puede atender.
"""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from paridad.casos_cap07 import N_V, config_bert, config_ed, config_gpt, un_hilo  # noqa: F401
from transformadores import con_numpy, con_torch
from utiles import a_numpy

D64 = {"dtype": torch.float64}
TOL = {"rtol": 1e-9, "atol": 1e-10}
pytestmark = pytest.mark.usefixtures("un_hilo")


def _perturbar(modulo):
    """LN y sesgos no triviales, para que la comparación distinga cada peso; devuelve el módulo en eval()."""
    torch.manual_seed(0)
    with torch.no_grad():
        for nombre, p in modulo.named_parameters():
            if "norm" in nombre or "bias" in nombre:
                p.add_(torch.randn_like(p) * 0.3)
    return modulo.eval()


def _gelu_tanh(x):
    return F.gelu(x, approximate="tanh")


@pytest.mark.ecuacion("capa-codificador")
@pytest.mark.parametrize("norma", ["post", "pre"])
@pytest.mark.parametrize("activacion", ["relu", "gelu"])
def test_capa_codificador_frente_a_transformer_encoder_layer(norma, activacion):
    capa_nn = _perturbar(
        torch.nn.TransformerEncoderLayer(8, 2, 16, 0.0, activacion, norm_first=norma == "pre", batch_first=True, **D64)
    )
    config = config_ed(norma=norma, activacion=activacion)
    p = con_torch.parametros_de_capa_pytorch(capa_nn)
    X = torch.randn(3, 6, 8, **D64)
    relleno = con_torch.mascara_relleno(torch.tensor([6, 4, 1]), 6)
    esperado = capa_nn(X, src_key_padding_mask=~relleno)  # True = ignorar (convención de PyTorch)
    mascara = relleno[:, None, None, :]
    torch.testing.assert_close(con_torch.capa_codificador(X, p, config, mascara), esperado, **TOL)
    obtenido = con_numpy.capa_codificador(a_numpy(X), con_torch.parametros_a_numpy(p), config, a_numpy(mascara))
    torch.testing.assert_close(torch.from_numpy(obtenido), esperado, **TOL)
    modulo = con_torch.CapaCodificador(config, **D64).cargar_parametros(p).eval()
    torch.testing.assert_close(modulo(X, mascara), esperado, **TOL)


@pytest.mark.ecuacion("capa-decodificador")
@pytest.mark.parametrize("norma", ["post", "pre"])
def test_capa_decodificador_frente_a_transformer_decoder_layer(norma):
    capa_nn = _perturbar(
        torch.nn.TransformerDecoderLayer(8, 2, 16, 0.0, norm_first=norma == "pre", batch_first=True, **D64)
    )
    config = config_ed(norma=norma)
    p = con_torch.parametros_de_capa_pytorch(capa_nn)
    X, Z = torch.randn(2, 5, 8, **D64), torch.randn(2, 7, 8, **D64)
    relleno_Z = con_torch.mascara_relleno(torch.tensor([7, 3]), 7)
    causal = con_torch.mascara_causal(5)
    esperado = capa_nn(X, Z, tgt_mask=~causal, memory_key_padding_mask=~relleno_Z)
    torch.testing.assert_close(con_torch.capa_decodificador(X, Z, p, config, mascara_Z=relleno_Z), esperado, **TOL)
    np_p = con_torch.parametros_a_numpy(p)
    obtenido = con_numpy.capa_decodificador(a_numpy(X), a_numpy(Z), np_p, config, mascara_Z=a_numpy(relleno_Z))
    torch.testing.assert_close(torch.from_numpy(obtenido), esperado, **TOL)
    modulo = con_torch.CapaDecodificador(config, **D64).cargar_parametros(p).eval()
    torch.testing.assert_close(modulo(X, Z, mascara_Z=relleno_Z), esperado, **TOL)


def _incrustar(x, p, config):
    """E(x)·√d + P, lo que ``nn.Transformer`` recibe ya calculado."""
    return con_torch.incrustacion_inicial(
        x, p["incrustacion"]["W_E"], p["incrustacion"]["W_P"], escalar=config.escalar_incrustacion
    )


@pytest.mark.ecuacion("transformador-codificador-decodificador")
@pytest.mark.parametrize("norma, norma_final", [("post", True), ("post", False), ("pre", True)])
def test_codificador_decodificador_frente_a_nn_transformer(norma, norma_final):
    """``nn.Transformer`` siempre lleva LN final; sin ella (P&H, Post-LN) se quita con ``norm = None``."""
    nn_t = torch.nn.Transformer(8, 2, 2, 2, 16, 0.0, norm_first=norma == "pre", batch_first=True, **D64)
    nn_t = _perturbar(nn_t)
    if not norma_final:
        nn_t.encoder.norm = nn_t.decoder.norm = None
    config = config_ed(norma=norma, norma_final=norma_final)
    p = con_torch.convertir_parametros(con_numpy.inicializar_parametros(config), dtype=torch.float64)
    p |= con_torch.parametros_de_transformer_pytorch(nn_t)
    z, x = torch.randint(0, N_V, (2, 7)), torch.randint(0, N_V, (2, 5))
    rz, rx = con_torch.mascara_relleno(torch.tensor([7, 4]), 7), con_torch.mascara_relleno(torch.tensor([5, 3]), 5)
    salida = nn_t(
        _incrustar(z, p, config), _incrustar(x, p, config), tgt_mask=~con_torch.mascara_causal(5),
        src_key_padding_mask=~rz, memory_key_padding_mask=~rz, tgt_key_padding_mask=~rx,
    )  # fmt: skip
    esperado = torch.softmax(salida @ p["incrustacion"]["W_E"].T, dim=-1)  # pesos atados
    obtenido = con_torch.transformador_codificador_decodificador(z, x, p, config, rz, rx)
    torch.testing.assert_close(obtenido, esperado, **TOL)
    np_p = con_torch.parametros_a_numpy(p)
    np_obtenido = con_numpy.transformador_codificador_decodificador(
        *map(a_numpy, (z, x)), np_p, config, a_numpy(rz), a_numpy(rx)
    )
    torch.testing.assert_close(torch.from_numpy(np_obtenido), esperado, **TOL)


def _pila_nn(n, norm_first, activacion):
    capas = [
        _perturbar(
            torch.nn.TransformerEncoderLayer(8, 2, 16, 0.0, activacion, norm_first=norm_first, batch_first=True, **D64)
        )
        for _ in range(n)
    ]
    return capas, {"capas": [con_torch.parametros_de_capa_pytorch(c) for c in capas]}


@pytest.mark.ecuacion("transformador-solo-codificador")
def test_solo_codificador_frente_a_capas_de_pytorch_y_cabeza_mlm():
    """BERT: capas ``TransformerEncoderLayer(activation='gelu')``, cabeza Linear + GELU + LayerNorm, ``W_Eᵀ``."""
    config = config_bert()
    capas, pila = _pila_nn(2, False, "gelu")
    densa, ln = torch.nn.Linear(8, 8, **D64), _perturbar(torch.nn.LayerNorm(8, **D64))
    p = con_torch.convertir_parametros(con_numpy.inicializar_parametros(config), dtype=torch.float64)
    p["codificador"] = pila
    p["cabeza_mlm"] = {"W_f": densa.weight.detach(), "b_f": densa.bias.detach()}
    p["cabeza_mlm"] |= {"gamma": ln.weight.detach(), "beta": ln.bias.detach()}
    x = torch.randint(0, N_V, (3, 6))
    relleno = con_torch.mascara_relleno(torch.tensor([6, 2, 5]), 6)
    h = _incrustar(x, p, config)
    for capa in capas:
        h = capa(h, src_key_padding_mask=~relleno)
    h = ln(F.gelu(densa(h)))
    esperado = torch.softmax(h @ p["incrustacion"]["W_E"].T, dim=-1)
    torch.testing.assert_close(con_torch.transformador_solo_codificador(x, p, config, relleno), esperado, **TOL)
    np_salida = con_numpy.transformador_solo_codificador(
        a_numpy(x), con_torch.parametros_a_numpy(p), config, a_numpy(relleno)
    )
    torch.testing.assert_close(torch.from_numpy(np_salida), esperado, **TOL)


@pytest.mark.ecuacion("transformador-solo-decodificador")
def test_solo_decodificador_frente_a_capas_pre_ln_causales_y_ln_final():
    """GPT-2: ``TransformerEncoderLayer(norm_first=True, activation=gelu tanh)`` con máscara causal + LN final."""
    config = config_gpt()
    capas, pila = _pila_nn(2, True, _gelu_tanh)
    final = _perturbar(torch.nn.LayerNorm(8, **D64))
    p = con_torch.convertir_parametros(con_numpy.inicializar_parametros(config), dtype=torch.float64)
    p["decodificador"] = pila | {"norma_final": {"gamma": final.weight.detach(), "beta": final.bias.detach()}}
    x = torch.randint(0, N_V, (2, 7))
    h = _incrustar(x, p, config)
    causal = ~con_torch.mascara_causal(7)
    for capa in capas:
        h = capa(h, src_mask=causal, is_causal=True)
    esperado = torch.softmax(final(h) @ p["incrustacion"]["W_E"].T, dim=-1)
    torch.testing.assert_close(con_torch.transformador_solo_decodificador(x, p, config), esperado, **TOL)
    np_salida = con_numpy.transformador_solo_decodificador(a_numpy(x), con_torch.parametros_a_numpy(p), config)
    torch.testing.assert_close(torch.from_numpy(np_salida), esperado, **TOL)


@pytest.mark.ecuacion("clasificacion-token-cls")
def test_clasificacion_cls_frente_a_linear_y_cross_entropy():
    config = config_bert()
    p = con_torch.convertir_parametros(con_numpy.inicializar_parametros(config), dtype=torch.float64)
    x, c = torch.randint(0, N_V, (4, 5)), torch.tensor([0, 2, 1, 2])
    lineal = torch.nn.Linear(8, 3, **D64)
    p["clasificador"] = {"W_c": lineal.weight.detach(), "b_c": lineal.bias.detach()}
    h_cls = con_torch.pila_codificador(x, p, config)[:, 0]  # la salida de la pila en [CLS]
    logits = con_torch.clasificacion_token_cls(x, p, config, solo_logits=True)
    torch.testing.assert_close(logits, lineal(h_cls), **TOL)
    probs = con_torch.clasificacion_token_cls(x, p, config)
    torch.testing.assert_close(-probs.log()[torch.arange(4), c].mean(), F.cross_entropy(lineal(h_cls), c), **TOL)


@pytest.mark.ecuacion("factorizacion-autoregresiva")
def test_factorizacion_autoregresiva_frente_a_cross_entropy():
    """``log P̂(x) = -Σ_t CE(logits[t], x[t+1])`` por secuencia (F.cross_entropy, reduction='none')."""
    config = config_gpt()
    p = con_torch.convertir_parametros(con_numpy.inicializar_parametros(config), dtype=torch.float64)
    x = torch.randint(0, N_V, (3, 6))
    logits = con_torch.transformador_solo_decodificador(x, p, config, solo_logits=True)
    ce = F.cross_entropy(logits[:, :-1].reshape(-1, N_V), x[:, 1:].reshape(-1), reduction="none").reshape(3, 5)
    torch.testing.assert_close(con_torch.factorizacion_autoregresiva(x, p, config), -ce.sum(-1), **TOL)


@pytest.mark.ecuacion("transformador-solo-decodificador")
def test_el_gradiente_llega_a_todos_los_parametros_del_modulo():
    """``parametros()`` devuelve los tensores vivos: autograd llega a cada peso (también al atado W_E)."""
    modulo = con_torch.TransformadorSoloDecodificador(config_gpt(), **D64)
    x = torch.randint(0, N_V, (2, 6))
    modulo(x, solo_logits=True).logsumexp(-1).sum().backward()
    sin_gradiente = [n for n, q in modulo.named_parameters() if q.grad is None or not q.grad.abs().sum() > 0]
    assert not sin_gradiente, sin_gradiente
