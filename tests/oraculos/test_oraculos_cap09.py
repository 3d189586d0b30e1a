"""Capítulo 9 frente a PyTorch: ``torch.argmax``, ``torch.multinomial``/``Categorical``, ``torch.topk``,
``sort`` + ``cumsum``, la voraz hecha a mano con ``nn.Transformer`` y SDPA con una sola consulta."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from paridad.casos_cap07 import N_V, config_ed, config_gpt, parametros, un_hilo  # noqa: F401
from transformadores import con_numpy, con_torch
from utiles import a_numpy

D64 = {"dtype": torch.float64}
pytestmark = pytest.mark.usefixtures("un_hilo")
CHI2_999 = [0.0, 10.83, 13.82, 16.27, 18.47, 20.52, 22.46, 24.32, 26.12, 27.88]  # cuantil 0.999 de χ²(gl)


def _chi2_aceptable(ids, q):
    """χ² de las cuentas frente a ``n·q`` en el soporte de ``q``, por debajo del cuantil 0.999."""
    cuentas, soporte = np.bincount(ids, minlength=len(q)), q > 0
    esperadas = len(ids) * q[soporte]
    return (((cuentas[soporte] - esperadas) ** 2) / esperadas).sum() <= CHI2_999[soporte.sum() - 1]


@pytest.mark.ecuacion("decodificacion-voraz")
def test_voraz_frente_a_argmax():
    logits = torch.randn(4, 7, N_V, **D64)
    esperado = torch.argmax(logits[:, -1], -1)
    assert torch.equal(con_torch.decodificacion_voraz(logits[:, -1]), esperado)
    np.testing.assert_array_equal(con_numpy.decodificacion_voraz(a_numpy(logits[:, -1])), a_numpy(esperado))


@pytest.mark.ecuacion("muestreo-temperatura")
@pytest.mark.parametrize("tau", [0.5, 1.0, 3.0])
def test_temperatura_frente_a_multinomial_y_categorical(tau):
    """Con el mismo generador, las mismas muestras que ``torch.multinomial(softmax(z/τ))``; y χ² frente a ``q``."""
    z = torch.tensor([1.0, 2.0, 0.5, -1.0, 0.0, 1.5], **D64)
    lote = z.expand(20000, -1)
    obtenido = con_torch.muestreo_temperatura(lote, tau, torch.Generator().manual_seed(7))
    esperado = torch.multinomial(torch.softmax(lote / tau, -1), 1, generator=torch.Generator().manual_seed(7))[:, 0]
    assert torch.equal(obtenido, esperado)
    q = torch.distributions.Categorical(logits=z / tau).probs.numpy()
    ids_np = con_numpy.muestreo_temperatura(a_numpy(lote), tau, np.random.default_rng(7))
    assert _chi2_aceptable(ids_np, q) and _chi2_aceptable(a_numpy(obtenido), q)


@pytest.mark.ecuacion("muestreo-top-k")
def test_top_k_frente_a_topk():
    logits = torch.randn(5, 3, 12, **D64)
    for k in (1, 4, 12):
        filtrado = con_torch.filtrar_top_k(logits, k)
        valores, indices = torch.topk(logits, k)
        esperado = torch.full_like(logits, float("-inf")).scatter(-1, indices, valores)
        assert torch.equal(filtrado, esperado)
        np.testing.assert_array_equal(con_numpy.filtrar_top_k(a_numpy(logits), k), a_numpy(esperado))
    ids = con_torch.muestreo_top_k(logits[None].expand(300, -1, -1, -1), 3, rng=torch.Generator().manual_seed(0))
    assert (ids[..., None] == torch.topk(logits, 3).indices).any(-1).all()  # (300, 5, 3): siempre entre los 3


def _nucleo_referencia(logits, p):
    """La receta habitual (Hugging Face): ordenar, acumular y quitar lo que sobra tras cruzar ``p``."""
    ordenados, indices = torch.sort(logits, descending=True)
    acumulada = torch.cumsum(torch.softmax(ordenados, -1), -1)
    quitar = acumulada > p
    quitar[..., 1:] = quitar[..., :-1].clone()  # se conserva el primero que cruza el umbral
    quitar[..., 0] = False
    return logits.masked_fill(quitar.scatter(-1, indices, quitar), float("-inf"))


@pytest.mark.ecuacion("muestreo-nucleo-top-p")
@pytest.mark.parametrize("p", [0.05, 0.5, 0.9, 1.0])
def test_nucleo_frente_a_sort_y_cumsum(p):
    logits = torch.randn(6, 10, **D64) * 2
    esperado = _nucleo_referencia(logits, p)
    assert torch.equal(con_torch.filtrar_nucleo(logits, p), esperado)
    np.testing.assert_array_equal(con_numpy.filtrar_nucleo(a_numpy(logits), p), a_numpy(esperado))
    q = torch.softmax(esperado[0], -1).numpy()
    ids = con_numpy.muestreo_nucleo(a_numpy(logits[:1].expand(20000, -1)), p, rng=np.random.default_rng(3))
    assert _chi2_aceptable(ids, q) and (q[ids] > 0).all()  # y ningún token fuera del núcleo


@pytest.mark.ecuacion("inferencia-seq2seq-bucle")
def test_inferencia_seq2seq_frente_a_la_voraz_a_mano_con_nn_transformer():
    """Alg. 15 con τ → 0 = la voraz escrita con ``nn.Transformer`` (pesos copiados, LN finales incluidas)."""
    config = config_ed(norma_final=True, l_max=12)
    torch.manual_seed(0)
    nn_t = torch.nn.Transformer(8, 2, 2, 2, 16, 0.0, batch_first=True, **D64).eval()
    p = con_torch.convertir_parametros(con_numpy.inicializar_parametros(config), dtype=torch.float64)
    p |= con_torch.parametros_de_transformer_pytorch(nn_t)
    W_E, W_P = p["incrustacion"]["W_E"], p["incrustacion"]["W_P"]
    incrustar = lambda t: con_torch.incrustacion_inicial(t, W_E, W_P, escalar=True)  # noqa: E731
    BOS, EOS = 8, 9
    z = torch.randint(0, 8, (3, 6))
    x = torch.full((3, 1), BOS)
    with torch.no_grad():
        memoria = nn_t.encoder(incrustar(z))
        for _ in range(11):
            T = x.shape[1]
            salida = nn_t.decoder(incrustar(x), memoria, tgt_mask=~con_torch.mascara_causal(T))
            y = torch.argmax(salida[:, -1] @ W_E.T, -1)
            y = torch.where((x == EOS).any(1), EOS, y)
            x = torch.cat([x, y[:, None]], 1)
            if (x == EOS).any(1).all():
                break
    obtenido = con_torch.inferencia_seq2seq(z, p, config, BOS, EOS, longitud_max=12)
    assert torch.equal(obtenido, x)
    np_p = con_torch.parametros_a_numpy(p)
    np.testing.assert_array_equal(con_numpy.inferencia_seq2seq(a_numpy(z), np_p, config, BOS, EOS, 12), a_numpy(x))


@pytest.mark.ecuacion("cache-kv")
def test_consulta_unica_con_cache_frente_a_sdpa_sin_is_causal():
    """La última fila de la atención causal completa = SDPA con una sola consulta y todas las claves, sin máscara."""
    Q, K, V = (torch.randn(2, 2, 6, 4, **D64) for _ in range(3))
    completa = F.scaled_dot_product_attention(Q, K, V, is_causal=True)
    una = F.scaled_dot_product_attention(Q[..., -1:, :], K, V)
    torch.testing.assert_close(una[..., 0, :], completa[..., -1, :], rtol=1e-12, atol=1e-12)
    config = config_gpt()
    p = con_torch.convertir_parametros(parametros(config), dtype=torch.float64)
    x = torch.randint(0, N_V, (2, 6))
    _, cache = con_torch.decodificacion_con_cache(x[:, :5], p, config)
    ultimo, _ = con_torch.decodificacion_con_cache(x[:, 5:], p, config, cache)
    completo = con_torch.transformador_solo_decodificador(x, p, config, solo_logits=True)
    torch.testing.assert_close(ultimo[:, 0], completo[:, -1])
