"""Capítulo 5 frente a PyTorch (``nn.Embedding``, ``F.embedding``, ``nn.Linear``, SDPA) y frente a
formulaciones independientes (RoPE con números complejos, Shaw con bucles, P&H índice a índice)."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F
from transformadores import con_torch as ct

torch.manual_seed(0)
D64 = {"dtype": torch.float64}
TOL = {"rtol": 1e-10, "atol": 1e-12}


@pytest.mark.ecuacion("incrustacion-token")
def test_incrustacion_token_frente_a_embedding():
    emb = torch.nn.Embedding(11, 8, **D64)
    x = torch.randint(0, 11, (3, 6))
    torch.testing.assert_close(ct.incrustacion_token(x, emb.weight), emb(x), **TOL)
    torch.testing.assert_close(ct.incrustacion_token(x, emb.weight), F.embedding(x, emb.weight), **TOL)
    una_caliente = F.one_hot(x, 11).to(torch.float64) @ emb.weight
    torch.testing.assert_close(ct.incrustacion_token(x, emb.weight, escalar=True), una_caliente * math.sqrt(8), **TOL)


@pytest.mark.ecuacion("incrustacion-posicional-aprendida")
def test_posicional_aprendida_frente_a_embedding():
    emb = torch.nn.Embedding(20, 8, **D64)
    torch.testing.assert_close(
        ct.incrustacion_posicional_aprendida(5, emb.weight, inicio=7), emb(torch.arange(7, 12)), **TOL
    )


@pytest.mark.ecuacion("incrustacion-inicial-suma")
def test_incrustacion_inicial_frente_a_embedding():
    tokens, posiciones = torch.nn.Embedding(11, 8, **D64), torch.nn.Embedding(16, 8, **D64)
    x = torch.randint(0, 11, (3, 6))
    esperado = tokens(x) + posiciones(torch.arange(6))[None]
    torch.testing.assert_close(ct.incrustacion_inicial(x, tokens.weight, posiciones.weight), esperado, **TOL)
    modulo = ct.Incrustacion(11, 8, 16, **D64)
    with torch.no_grad():
        modulo.W_E.copy_(tokens.weight), modulo.W_P.copy_(posiciones.weight)
    torch.testing.assert_close(modulo(x), esperado, **TOL)


@pytest.mark.ecuacion("codificacion-posicional-sinusoidal")
def test_sinusoidal_frente_a_la_receta_de_los_tutoriales():
    """La receta de PyTorch/Annotated Transformer: div_term = exp(-log(10000)·2i/d)."""
    T, d = 50, 16
    pos = torch.arange(T, **D64)[:, None]
    div = torch.exp(torch.arange(0, d, 2, **D64) * (-math.log(10000.0) / d))
    esperado = torch.zeros(T, d, **D64)
    esperado[:, 0::2], esperado[:, 1::2] = torch.sin(pos * div), torch.cos(pos * div)
    torch.testing.assert_close(ct.codificacion_posicional_sinusoidal(T, d, dtype=torch.float64), esperado)
    modulo = ct.CodificacionSinusoidal(d, l_max=T, **D64)
    x = torch.randn(2, 10, d, **D64)
    torch.testing.assert_close(modulo(x, inicio=5), x + esperado[5:15])


@pytest.mark.ecuacion("sinusoidal-base-lmax-phuong-hutter")
def test_phuong_hutter_indice_a_indice():
    """Transcripción literal de P&H (índices desde 1, base l_max) y diferencia con Vaswani (errata E1)."""
    l_max, d_e = 7, 6
    W_p = torch.zeros(d_e + 1, l_max + 1, **D64)  # índices desde 1: la fila y la columna 0 sobran
    for t in range(1, l_max + 1):
        for i in range(1, d_e // 2 + 1):
            W_p[2 * i - 1, t] = math.sin(t / l_max ** (2 * i / d_e))
            W_p[2 * i, t] = math.cos(t / l_max ** (2 * i / d_e))
    obtenido = ct.sinusoidal_phuong_hutter(l_max, d_e, dtype=torch.float64)
    torch.testing.assert_close(obtenido, W_p[1:, 1:].T, **TOL)
    vaswani = ct.codificacion_posicional_sinusoidal(l_max, d_e, dtype=torch.float64)
    assert (obtenido - vaswani).abs().max() > 0.1


def _rope_complejo(x, inicio=0, mitades=False):
    """RoPE como en la implementación de referencia de LLaMA: multiplicar por e^{i·m·θ}."""
    T, d = x.shape[-2:]
    theta = 10000.0 ** (-torch.arange(0, d, 2, **D64) / d)
    giro = torch.polar(torch.ones(T, d // 2, **D64), torch.arange(inicio, inicio + T, **D64)[:, None] * theta)
    if mitades:
        z = torch.complex(x[..., : d // 2], x[..., d // 2 :]) * giro
        return torch.cat([z.real, z.imag], dim=-1)
    z = torch.view_as_complex(x.reshape(*x.shape[:-1], d // 2, 2).contiguous()) * giro
    return torch.view_as_real(z).reshape(x.shape)


@pytest.mark.ecuacion("rope-rotatoria")
@pytest.mark.parametrize("mitades", [False, True])
def test_rope_frente_a_numeros_complejos(mitades):
    x = torch.randn(2, 3, 9, 8, **D64)
    torch.testing.assert_close(ct.aplicar_rope(x, 5, mitades=mitades), _rope_complejo(x, 5, mitades), **TOL)


@pytest.mark.ecuacion("rope-rotatoria")
def test_rope_mitades_es_rotate_half_de_hugging_face():
    x = torch.randn(6, 8, **D64)
    theta = 10000.0 ** (-torch.arange(0, 8, 2, **D64) / 8)
    angulos = torch.arange(6, **D64)[:, None] * torch.cat([theta, theta])  # (T, d)
    rotar_mitad = torch.cat([-x[..., 4:], x[..., :4]], dim=-1)
    esperado = x * torch.cos(angulos) + rotar_mitad * torch.sin(angulos)
    torch.testing.assert_close(ct.aplicar_rope(x, mitades=True), esperado, **TOL)


@pytest.mark.ecuacion("posicion-relativa-shaw")
def test_shaw_frente_a_bucles():
    """Las ecuaciones de Shaw et al. par a par (i, j), sin vectorizar."""
    T, d_x, d_z, d_v, k = 6, 5, 4, 3, 2
    X, W_q, W_k, W_v = (torch.randn(*s, **D64) for s in [(T, d_x), (d_z, d_x), (d_z, d_x), (d_v, d_x)])
    w_K, w_V = torch.randn(2 * k + 1, d_z, **D64), torch.randn(2 * k + 1, d_v, **D64)
    causal = ct.mascara_causal(T)
    a = lambda i, j, w: w[max(-k, min(k, j - i)) + k]  # noqa: E731  a_ij = w[clip(j - i, -k, k)]
    esperado = torch.zeros(T, d_v, **D64)
    for i in range(T):
        e = [(X[i] @ W_q.T) @ (X[j] @ W_k.T + a(i, j, w_K)) / math.sqrt(d_z) for j in range(i + 1)]
        alfa = torch.softmax(torch.stack(e), dim=0)  # solo j ≤ i (máscara causal)
        esperado[i] = sum(alfa[j] * (X[j] @ W_v.T + a(i, j, w_V)) for j in range(i + 1))
    torch.testing.assert_close(ct.atencion_relativa_shaw(X, W_q, W_k, W_v, w_K, w_V, causal), esperado, **TOL)


@pytest.mark.ecuacion("alibi-sesgo-lineal")
def test_alibi_frente_a_sdpa_y_a_la_formula():
    B, H, T, d = 2, 4, 6, 8
    q, k, v = (torch.randn(B, H, T, d, **D64) for _ in range(3))
    sesgo = ct.sesgo_alibi(H, T, dtype=torch.float64)
    obtenido = ct.atencion_escalada(q, k, v, sesgo)
    torch.testing.assert_close(obtenido, F.scaled_dot_product_attention(q, k, v, attn_mask=sesgo), **TOL)
    m = [2 ** (-8 * h / H) for h in range(1, H + 1)]
    for h in range(H):
        for i in range(T):  # softmax(q_i Kᵀ/√d + m_h·[-(i-1), …, -1, 0]) sobre las claves 0..i
            distancias = torch.arange(-i, 1, **D64)
            puntuaciones = torch.einsum("bd,bjd->bj", q[:, h, i], k[:, h, : i + 1]) / math.sqrt(d)
            alfa = torch.softmax(puntuaciones + m[h] * distancias, dim=-1)  # (B, i+1)
            esperado = torch.einsum("bj,bjd->bd", alfa, v[:, h, : i + 1])
            torch.testing.assert_close(obtenido[:, h, i], esperado, **TOL)


@pytest.mark.ecuacion("alibi-sesgo-lineal")
def test_pendientes_alibi_del_articulo():
    torch.testing.assert_close(
        ct.pendientes_alibi(8, torch.float64), torch.tensor([2.0**-i for i in range(1, 9)], **D64)
    )
    # H = 6 no es potencia de 2: las 4 de H=4 y las de índice impar de H=8 (código de Press et al.)
    esperado = torch.tensor([2.0**-2, 2.0**-4, 2.0**-6, 2.0**-8, 2.0**-1, 2.0**-3], **D64)
    torch.testing.assert_close(ct.pendientes_alibi(6, torch.float64), esperado)


@pytest.mark.ecuacion("desincrustacion-softmax")
def test_desincrustacion_frente_a_linear():
    lineal = torch.nn.Linear(8, 11, **D64)
    h = torch.randn(3, 5, 8, **D64)
    torch.testing.assert_close(ct.desincrustacion(h, lineal.weight, lineal.bias), torch.softmax(lineal(h), -1), **TOL)
    sin_sesgo = ct.desincrustacion(h, lineal.weight, solo_logits=True)
    torch.testing.assert_close(sin_sesgo, lineal(h) - lineal.bias, **TOL)


@pytest.mark.ecuacion("pesos-atados")
def test_pesos_atados_comparten_un_solo_tensor():
    """Un solo Parameter recibe los gradientes de la incrustación y de la desincrustación."""
    entrada = ct.Incrustacion(11, 8, 16, **D64)
    salida = ct.Desincrustacion(8, 11, pesos=entrada.W_E, **D64)
    assert salida.W_u is entrada.W_E and id(salida.W_u) == id(entrada.W_E)
    modelo = torch.nn.ModuleList([entrada, salida])
    assert sum(p.numel() for p in modelo.parameters()) == 11 * 8 + 16 * 8  # W_E una sola vez
    x = torch.randint(0, 11, (2, 5))
    perdida = F.cross_entropy(salida(entrada(x), solo_logits=True).flatten(0, 1), x.flatten())
    perdida.backward()
    # el mismo gradiente, calculado con dos copias independientes de W_E, sumado
    W_e, W_u = (entrada.W_E.detach().clone().requires_grad_() for _ in range(2))
    h = ct.incrustacion_token(x, W_e) + entrada.W_P[:5].detach()
    F.cross_entropy(ct.desincrustacion(h, W_u, solo_logits=True).flatten(0, 1), x.flatten()).backward()
    torch.testing.assert_close(entrada.W_E.grad, W_e.grad + W_u.grad, **TOL)
    torch.testing.assert_close(entrada.desincrustar(h), ct.desincrustacion_atada(h, entrada.W_E), **TOL)


@pytest.mark.ecuacion("incrustacion-inicial-suma")
@pytest.mark.ecuacion("codificacion-posicional-sinusoidal")
def test_modulo_incrustacion_sinusoidal_y_dropout():
    """Vaswani: √d·E(x) + PE, dropout solo en train(); la tabla fija es un buffer, no un parámetro."""
    modulo = ct.Incrustacion(10, 8, 16, posicional="sinusoidal", escalar=True, p=0.5, **D64)
    x = torch.randint(0, 10, (2, 5))
    esperado = (
        F.embedding(x, modulo.W_E) * math.sqrt(8) + ct.codificacion_posicional_sinusoidal(8, 8, dtype=torch.float64)[3:]
    )
    torch.testing.assert_close(modulo.eval()(x, inicio=3), esperado, **TOL)
    assert [n for n, _ in modulo.named_parameters()] == ["W_E"]
    entrenando = modulo.train()(x, inicio=3)
    ceros = entrenando == 0
    assert ceros.any() and torch.allclose(entrenando[~ceros], 2 * esperado[~ceros])
    sin_posiciones = ct.Incrustacion(10, 8, 16, posicional=None, **D64)
    torch.testing.assert_close(sin_posiciones(x), F.embedding(x, sin_posiciones.W_E), **TOL)
