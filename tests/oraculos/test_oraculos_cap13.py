"""Gemelos PyTorch del capítulo 13 frente a bucles de referencia y funciones integradas de PyTorch."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from transformadores import con_numpy as cn
from transformadores import con_torch as ct

torch.manual_seed(0)
D64 = {"dtype": torch.float64}


def _bucle_retorno(r, gamma):
    R, acumulado = [0.0] * len(r), 0.0
    for t in reversed(range(len(r))):
        acumulado = float(r[t]) + gamma * acumulado
        R[t] = acumulado
    return R


@pytest.mark.ecuacion("retorno-por-obtener")
@pytest.mark.parametrize("gamma", [1.0, 0.9, 0.0])
def test_retorno_frente_al_bucle(gamma):
    r = torch.randn(3, 12, **D64)
    esperado = torch.tensor([_bucle_retorno(fila, gamma) for fila in r], **D64)
    torch.testing.assert_close(ct.retorno_por_obtener(r, gamma), esperado, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(cn.retorno_por_obtener(r.numpy(), gamma), esperado.numpy(), rtol=1e-10, atol=1e-12)
    if gamma == 1.0:
        torch.testing.assert_close(ct.retorno_por_obtener(r)[:, 0], r.sum(-1))  # R̂₁ = Σ r
        flip = torch.flip(torch.cumsum(torch.flip(r, [-1]), -1), [-1])
        torch.testing.assert_close(ct.retorno_por_obtener(r), flip, rtol=0, atol=0)


def _pesos_dt(d=6, d_s=3, d_a=2, T_max=20):
    lin_R, lin_s, lin_a = (torch.nn.Linear(n, d, **D64) for n in (1, d_s, d_a))
    return lin_R, lin_s, lin_a, torch.nn.Embedding(T_max, d, **D64)


@pytest.mark.ecuacion("decision-transformer-tokens")
def test_tokens_frente_a_stack_y_orden():
    """Como el código de Decision Transformer: ``stack((u_R, u_s, u_a), dim=2).reshape(B, 3K, d)``."""
    B, K = 2, 5
    lin_R, lin_s, lin_a, emb_t = _pesos_dt()
    R, s, a = torch.randn(B, K, **D64), torch.randn(B, K, 3, **D64), torch.randn(B, K, 2, **D64)
    pasos = torch.arange(7, 7 + K).repeat(B, 1)
    with torch.no_grad():
        omega = emb_t(pasos)
        u_R, u_s, u_a = lin_R(R[..., None]) + omega, lin_s(s) + omega, lin_a(a) + omega
        esperado = torch.stack((u_R, u_s, u_a), dim=2).reshape(B, 3 * K, 6)
        obtenido = ct.decision_transformer_tokens(
            R, s, a, pasos, lin_R.weight, lin_R.bias, lin_s.weight, lin_s.bias, lin_a.weight, lin_a.bias, emb_t.weight
        )
    torch.testing.assert_close(obtenido, esperado, rtol=1e-10, atol=1e-12)
    for t in range(K):  # orden R̂_t, s_t, a_t y el mismo ω_t en los tres tokens del paso
        torch.testing.assert_close(obtenido[:, 3 * t], u_R[:, t])
        torch.testing.assert_close(obtenido[:, 3 * t + 1], u_s[:, t])
        torch.testing.assert_close(obtenido[:, 3 * t + 2], u_a[:, t])
        torch.testing.assert_close(
            obtenido[:, 3 * t + 1] - lin_s(s[:, t]).detach(), emb_t.weight[7 + t].detach().expand(B, 6)
        )


@pytest.mark.ecuacion("decision-transformer-perdida")
def test_perdida_discreta_frente_a_cross_entropy():
    B, K, d_a = 3, 4, 5
    pred, a = torch.randn(B, 3 * K, d_a, **D64), torch.randint(0, d_a, (B, K))
    mascara = torch.tensor([[1, 1, 1, 1], [1, 1, 0, 0], [1, 0, 0, 0]], dtype=torch.bool)
    esperado = F.cross_entropy(pred[:, 1::3][mascara], a[mascara])
    torch.testing.assert_close(ct.decision_transformer_perdida(pred, a, mascara), esperado, rtol=1e-10, atol=1e-12)
    con_ignorados = F.cross_entropy(pred[:, 1::3].transpose(1, 2), a.masked_fill(~mascara, -100), ignore_index=-100)
    torch.testing.assert_close(ct.decision_transformer_perdida(pred, a, mascara), con_ignorados)


@pytest.mark.ecuacion("decision-transformer-perdida")
def test_perdida_continua_frente_a_mse_y_posiciones():
    """``F.mse_loss`` sobre las salidas de los tokens s_t; lo que haya en los tokens R̂_t y a_t no cuenta."""
    B, K, d_a = 2, 6, 3
    pred, a = torch.randn(B, 3 * K, d_a, **D64), torch.randn(B, K, d_a, **D64)
    esperado = F.mse_loss(pred[:, 1::3], a)
    torch.testing.assert_close(ct.decision_transformer_perdida(pred, a), esperado, rtol=1e-10, atol=1e-12)
    otra = pred.clone()
    otra[:, 0::3] += 10.0
    otra[:, 2::3] -= 10.0
    torch.testing.assert_close(ct.decision_transformer_perdida(otra, a), esperado, rtol=1e-10, atol=1e-12)
    assert not torch.isclose(ct.decision_transformer_perdida(pred.roll(1, dims=1), a), esperado)


class _Registro:
    """Política que anota el contexto que recibe y devuelve una acción constante."""

    def __init__(self, d_a):
        self.contextos, self.d_a = [], d_a

    def __call__(self, R, s, a, pasos):
        self.contextos.append((R.clone(), s.clone(), a.clone(), pasos.clone()))
        return torch.ones(self.d_a, **D64)


@pytest.mark.ecuacion("decision-transformer-evaluacion")
def test_evaluacion_trunca_el_contexto_y_actualiza_el_objetivo():
    K, n_pasos = 3, 7
    politica = _Registro(2)

    def entorno(s, a):
        return s + 1.0, float(s[0]), False  # r_t = primera coordenada del estado

    estados, acciones, r, R = ct.evaluar_decision_transformer(
        politica, entorno, torch.zeros(4, **D64), 2, 10.0, K, n_pasos
    )
    assert estados.shape == (n_pasos, 4) and acciones.shape == (n_pasos, 2)
    torch.testing.assert_close(r, torch.arange(n_pasos, **D64))
    esperado_R = 10.0 - torch.cat([torch.zeros(1, **D64), torch.cumsum(r, 0)[:-1]])  # R̂_{t+1} = R̂_t - r_t
    torch.testing.assert_close(R, esperado_R)
    for t, (R_c, s_c, a_c, pasos) in enumerate(politica.contextos):
        k = min(t + 1, K)
        assert R_c.shape == (k,) and s_c.shape == (k, 4) and a_c.shape == (k - 1, 2)
        assert pasos.tolist() == list(range(t + 1 - k, t + 1))
        torch.testing.assert_close(R_c, R[t + 1 - k : t + 1])
        torch.testing.assert_close(s_c[:, 0], torch.arange(t + 1 - k, t + 1, **D64))


@pytest.mark.ecuacion("decision-transformer-evaluacion")
def test_evaluacion_termina_con_el_entorno():
    def entorno(s, a):
        return s, 1.0, bool(s.sum() > 100)

    s_0 = torch.full((2,), 60.0, **D64)
    estados, acciones, r, R = ct.evaluar_decision_transformer(
        lambda *c: torch.zeros(1, **D64), entorno, s_0, 1, 3.0, 4, 50
    )
    assert len(r) == 1 and R.tolist() == [3.0] and estados.shape == (1, 2)


@pytest.mark.ecuacion("gato-mu-law")
def test_mu_law_monotona_y_bucketize():
    x = torch.linspace(-300, 300, 2001, **D64)
    y = ct.codificar_mu_law(x)
    assert (y.diff() > 0).all()
    torch.testing.assert_close(ct.codificar_mu_law(torch.tensor([-256.0, 0.0, 256.0], **D64)),
                               torch.tensor([-1.0, 0.0, 1.0], **D64))  # fmt: skip
    torch.testing.assert_close(ct.decodificar_mu_law(y), x, rtol=1e-10, atol=1e-10)
    bordes = torch.linspace(-1, 1, 1025, **D64)[1:-1]
    esperado = torch.bucketize(y.clamp(-1, 1), bordes, right=True)
    torch.testing.assert_close(ct.discretizar_mu_law(x), esperado)
    np.testing.assert_array_equal(cn.discretizar_mu_law(x.numpy()), esperado.numpy())
    assert ct.discretizar_mu_law(x).min() == 0 and ct.discretizar_mu_law(x).max() == 1023
