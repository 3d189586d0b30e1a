"""Propiedades del capítulo 7: causalidad, relleno, factorizaciones que suman 1, recuento de parámetros,
Post-LN frente a Pre-LN, dropout y la configuración."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from paridad.casos_cap07 import N_V, config_bert, config_ed, config_gpt, enumerar, parametros, relleno, un_hilo  # noqa: F401
from transformadores import con_numpy as cn
from transformadores import con_torch as ct
from transformadores.configuracion import Configuracion

pytestmark = pytest.mark.usefixtures("un_hilo")
GPT, ED, BERT = config_gpt(), config_ed(), config_bert()
P_GPT, P_ED, P_BERT = parametros(GPT), parametros(ED), parametros(BERT)
semillas = st.integers(0, 2**32 - 1)


@pytest.mark.ecuacion("transformador-solo-decodificador")
@settings(max_examples=15, deadline=None)
@given(semilla=semillas, T=st.integers(2, 8), datos=st.data())
def test_el_decodificador_no_mira_el_futuro(semilla, T, datos):
    """Cambiar ``x[t+1:]`` no altera ``P[:, :t+1]``: la fila t solo depende de ``x[:t+1]``."""
    t = datos.draw(st.integers(0, T - 2))
    rng = np.random.default_rng(semilla)
    x = rng.integers(0, N_V, (2, T))
    otro = x.copy()
    otro[:, t + 1 :] = rng.integers(0, N_V, (2, T - t - 1))
    P, P_otro = (cn.transformador_solo_decodificador(s, P_GPT, GPT) for s in (x, otro))
    np.testing.assert_allclose(P_otro[:, : t + 1], P[:, : t + 1], rtol=1e-12, atol=1e-14)
    z = rng.integers(0, N_V, (2, 4))
    Q, Q_otro = (cn.transformador_codificador_decodificador(z, s, P_ED, ED) for s in (x, otro))
    np.testing.assert_allclose(Q_otro[:, : t + 1], Q[:, : t + 1], rtol=1e-12, atol=1e-14)
    if (otro != x).any():  # y el futuro sí cuenta para el futuro
        assert not np.allclose(P_otro[:, t + 1 :], P[:, t + 1 :])


@pytest.mark.ecuacion("transformador-solo-decodificador")
def test_el_decodificador_no_mira_el_futuro_en_pytorch(rng, dispositivo):
    p = ct.convertir_parametros(P_GPT, dispositivo, torch.float64)
    x = torch.from_numpy(rng.integers(0, N_V, (2, 7))).to(dispositivo)
    otro = x.clone()
    otro[:, 4:] = (otro[:, 4:] + 1) % N_V
    P, P_otro = (ct.transformador_solo_decodificador(s, p, GPT) for s in (x, otro))
    torch.testing.assert_close(P_otro[:, :4], P[:, :4], rtol=1e-12, atol=1e-14)


@pytest.mark.ecuacion("transformador-solo-codificador")
@pytest.mark.ecuacion("transformador-codificador-decodificador")
@settings(max_examples=15, deadline=None)
@given(semilla=semillas, T=st.integers(1, 6), n_relleno=st.integers(1, 4))
def test_el_relleno_no_cambia_los_tokens_reales(semilla, T, n_relleno):
    """Añadir tokens de relleno (enmascarados) al final no cambia la salida en las posiciones reales."""
    rng = np.random.default_rng(semilla)
    x = rng.integers(0, N_V, (1, T))
    x_rell = np.concatenate([x, rng.integers(0, N_V, (1, n_relleno))], axis=1)
    r = relleno([T], T + n_relleno)
    P, P_rell = (
        cn.transformador_solo_codificador(x, P_BERT, BERT),
        cn.transformador_solo_codificador(x_rell, P_BERT, BERT, r),
    )
    np.testing.assert_allclose(P_rell[:, :T], P, rtol=1e-10, atol=1e-12)
    z = rng.integers(0, N_V, (1, T + 1))
    z_rell = np.concatenate([z, rng.integers(0, N_V, (1, n_relleno))], axis=1)
    Q = cn.transformador_codificador_decodificador(z, x, P_ED, ED)
    Q_rell = cn.transformador_codificador_decodificador(
        z_rell, x_rell, P_ED, ED, relleno([T + 1], T + 1 + n_relleno), r
    )
    np.testing.assert_allclose(Q_rell[:, :T], Q, rtol=1e-10, atol=1e-12)
    if n_relleno:  # sin la máscara, el relleno sí se nota en el codificador
        assert not np.allclose(cn.transformador_solo_codificador(x_rell, P_BERT, BERT)[:, :T], P)


@pytest.mark.ecuacion("transformador-solo-codificador")
def test_relleno_en_pytorch_y_filas_vacias_sin_nan(dispositivo):
    p = ct.convertir_parametros(P_BERT, dispositivo, torch.float32)
    x = torch.randint(0, N_V, (2, 5), device=dispositivo)
    r = torch.tensor([[True] * 3 + [False] * 2, [False] * 5], device=dispositivo)  # la 2.ª, todo relleno
    P = ct.transformador_solo_codificador(x, p, BERT, r)
    assert torch.isfinite(P).all()
    torch.testing.assert_close(P[0, :3], ct.transformador_solo_codificador(x[:1, :3], p, BERT)[0], atol=1e-5, rtol=0)


@pytest.mark.ecuacion("factorizacion-autoregresiva")
@pytest.mark.parametrize("config", [GPT, config_gpt(norma="post", posicional="sinusoidal")], ids=["pre", "post"])
def test_la_factorizacion_autoregresiva_suma_uno(config):
    """``Σ_x P̂(x[2:] | x[1]) = 1`` enumerando las N_V³ continuaciones de longitud 3."""
    p = parametros(config, 7)
    x = np.concatenate([np.full((N_V**3, 1), 4), enumerar(N_V, 3)], axis=1)  # (1331, 4), x[1] = 4
    logp = cn.factorizacion_autoregresiva(x, p, config)
    assert np.exp(logp).sum() == pytest.approx(1.0, abs=1e-10)
    assert logp.max() < 0


@pytest.mark.ecuacion("factorizacion-seq2seq-condicional")
def test_la_factorizacion_condicional_suma_uno_para_cada_z():
    rng = np.random.default_rng(1)
    x = np.concatenate([np.full((N_V**2, 1), 9), enumerar(N_V, 2)], axis=1)  # (121, 3), x[1] = bos
    for _ in range(2):
        z = np.repeat(rng.integers(0, N_V, (1, 5)), len(x), axis=0)
        logp = cn.factorizacion_seq2seq_condicional(z, x, P_ED, ED)
        assert np.exp(logp).sum() == pytest.approx(1.0, abs=1e-10)


def _numel(arbol):
    if isinstance(arbol, dict):
        return sum(_numel(v) for v in arbol.values())
    if isinstance(arbol, list):
        return sum(_numel(v) for v in arbol)
    return arbol.size


@pytest.mark.ecuacion("transformador-codificador-decodificador")
@pytest.mark.parametrize(
    "config", [ED, config_ed(atar_pesos=False, norma="pre"), BERT, GPT, config_gpt(atar_pesos=False)]
)
def test_numero_de_parametros(config):
    """El recuento de la configuración = el del diccionario (sin la tabla sinusoidal) = el del módulo."""
    p = cn.inicializar_parametros(config)
    fija = config.l_max * config.d_modelo if config.posicional == "sinusoidal" else 0
    assert config.numero_parametros() == _numel(p) - fija
    Clase = {"codificador-decodificador": ct.TransformadorCodificadorDecodificador,
             "solo-codificador": ct.TransformadorSoloCodificador,
             "solo-decodificador": ct.TransformadorSoloDecodificador}[config.tipo]  # fmt: skip
    assert sum(q.numel() for q in Clase(config).parameters()) == config.numero_parametros()


@pytest.mark.ecuacion("capa-codificador")
def test_post_ln_normaliza_la_salida_y_pre_ln_deja_pasar_el_residuo():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((2, 4, 8)) * 3 + 1
    capa = P_ED["codificador"]["capas"][0]
    post = cn.capa_codificador(X, capa, ED)
    assert not np.allclose(post, cn.capa_codificador(X, capa, ED.reemplazar(norma="pre")))
    u = (post - capa["norma_ffn"]["beta"]) / capa["norma_ffn"]["gamma"]  # Post-LN termina en LN
    np.testing.assert_allclose(u.mean(-1), 0, atol=1e-10)
    np.testing.assert_allclose(u.var(-1), 1, atol=1e-3)
    sin_subcapas = {**capa, "autoatencion": {**capa["autoatencion"], "W_o": np.zeros((8, 8)), "b_o": np.zeros(8)},
                    "ffn": {**capa["ffn"], "W_2": np.zeros((8, 16)), "b_2": np.zeros(8)}}  # fmt: skip
    np.testing.assert_allclose(cn.capa_codificador(X, sin_subcapas, ED.reemplazar(norma="pre")), X, atol=1e-12)
    assert not np.allclose(cn.capa_codificador(X, sin_subcapas, ED), X)  # Post-LN normaliza también el residuo


@pytest.mark.ecuacion("transformador-solo-decodificador")
def test_dropout_solo_al_entrenar_y_reproducible_con_rng():
    config = GPT.reemplazar(p_dropout=0.3)
    x = np.random.default_rng(0).integers(0, N_V, (2, 6))
    evaluar = cn.transformador_solo_decodificador(x, P_GPT, config, rng=np.random.default_rng(1))
    np.testing.assert_array_equal(evaluar, cn.transformador_solo_decodificador(x, P_GPT, GPT))
    a, b = (
        cn.transformador_solo_decodificador(x, P_GPT, config, rng=np.random.default_rng(1), entrenando=True)
        for _ in "ab"
    )
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, evaluar)
    modulo = ct.TransformadorSoloDecodificador(config).train()
    xt = torch.from_numpy(x)
    assert not torch.allclose(modulo(xt), modulo(xt))
    modulo.eval()
    torch.testing.assert_close(modulo(xt), modulo(xt), rtol=0, atol=0)


@pytest.mark.ecuacion("transformador-codificador-decodificador")
def test_configuracion_inmutable_derivados_y_presets():
    c = Configuracion(n_vocab=100)
    with pytest.raises(dataclasses.FrozenInstanceError):
        c.d_modelo = 256
    assert (c.d_k, c.tipo, c.usa_norma_final) == (64, "codificador-decodificador", False)
    assert Configuracion.gpt2(50257).tipo == "solo-decodificador" and Configuracion.gpt2(50257).usa_norma_final
    assert Configuracion.bert(30522).tipo == "solo-codificador"
    assert Configuracion.gpt2(50257).numero_parametros() == 124_439_808  # GPT-2 pequeño (124 M, pesos atados)
    assert (
        c.reemplazar(norma="pre").usa_norma_final and c.reemplazar(norma="pre", norma_final=False).norma_final is False
    )
