"""Propiedades del capítulo 8, y un entrenamiento de verdad (pequeño): la pérdida baja."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from paridad.casos_cap07 import N_V, config_bert, config_ed, config_gpt, parametros, un_hilo  # noqa: F401
from transformadores import con_numpy as cn
from transformadores import con_torch as ct

pytestmark = pytest.mark.usefixtures("un_hilo")
semillas = st.integers(0, 2**32 - 1)


@pytest.mark.ecuacion("perplejidad")
@pytest.mark.parametrize("g", [cn, ct], ids=["numpy", "torch"])
def test_perplejidad_del_modelo_uniforme_es_n_v_y_la_del_perfecto_1(g):
    x = np.random.default_rng(0).integers(0, N_V, (3, 7))
    uniforme = np.zeros((3, 7, N_V))
    perfecto = np.full((3, 7, N_V), -50.0)
    perfecto[:, :-1][np.arange(3)[:, None], np.arange(6), x[:, 1:]] = 50.0
    if g is ct:
        x, uniforme, perfecto = map(torch.from_numpy, (x, uniforme, perfecto))
    assert float(g.perplejidad(uniforme, x)) == pytest.approx(N_V, rel=1e-12)
    assert float(g.perplejidad(perfecto, x)) == pytest.approx(1.0, abs=1e-12)


@pytest.mark.ecuacion("suavizado-etiquetas")
@settings(max_examples=30, deadline=None)
@given(semilla=semillas, epsilon=st.floats(0, 1), K=st.integers(2, 9))
def test_suavizado_es_la_entropia_cruzada_con_q_prima(semilla, epsilon, K):
    """``H(q', p) = -Σ_k q'(k) log p_k`` con ``q' = (1-ε)·one_hot(y) + ε/K``; y su gradiente por diferencias."""
    rng = np.random.default_rng(semilla)
    z, y = rng.standard_normal((5, K)) * 3, rng.integers(0, K, 5)
    q = (1 - epsilon) * np.eye(K)[y] + epsilon / K
    esperado = -(q * cn.log_softmax(z)).sum(-1)
    np.testing.assert_allclose(cn.entropia_cruzada(z, y, suavizado=epsilon, reduccion="ninguna"), esperado, rtol=1e-10)
    g, h = cn.gradiente_entropia_cruzada(z, y, None, epsilon, "suma"), 1e-6
    dz = np.zeros_like(z)
    dz[2, 1] = h
    mas, menos = (cn.entropia_cruzada(z + s * dz, y, None, epsilon, "suma") for s in (1, -1))
    diferencia = (mas - menos) / (2 * h)
    assert diferencia == pytest.approx(g[2, 1], abs=1e-7)


@pytest.mark.ecuacion("modelado-lenguaje-enmascarado")
@pytest.mark.parametrize("g", [cn, ct], ids=["numpy", "torch"])
def test_proporciones_del_enmascarado_de_bert(g):
    """15 % de posiciones en T̃; de ellas 80 % [MASK], 10 % al azar, 10 % iguales; el relleno nunca se elige."""
    x = np.random.default_rng(0).integers(0, N_V - 1, (200, 100))
    relleno = np.ones(x.shape, bool)
    relleno[:, 90:] = False
    rng = np.random.default_rng(1) if g is cn else torch.Generator().manual_seed(1)
    if g is ct:
        x, relleno = torch.from_numpy(x), torch.from_numpy(relleno)
    x_tilde, sel = g.enmascarar_tokens(x, N_V - 1, N_V, 0.15, True, relleno, rng)
    x, x_tilde, sel, relleno = (np.asarray(v) for v in (x, x_tilde, sel, relleno))
    assert not sel[~relleno].any()
    assert sel[relleno].mean() == pytest.approx(0.15, abs=0.005)
    enmascarados, iguales = (x_tilde[sel] == N_V - 1).mean(), (x_tilde[sel] == x[sel]).mean()
    assert enmascarados == pytest.approx(0.8 + 0.1 / N_V, abs=0.025)  # 80 % + el azar que cae en [MASK] (±3σ)
    assert iguales == pytest.approx(0.1 + 0.1 / N_V, abs=0.02)  # 10 % iguales + el azar que acierta
    assert (x_tilde[~sel] == x[~sel]).all()


@pytest.mark.ecuacion("modelado-lenguaje-enmascarado")
def test_la_perdida_mlm_solo_depende_de_las_posiciones_enmascaradas():
    rng = np.random.default_rng(3)
    logits, x = rng.standard_normal((2, 6, N_V)), rng.integers(0, N_V, (2, 6))
    sel = rng.random((2, 6)) < 0.4
    objetivos = np.where(sel, x, -100)
    otros = np.where(sel[..., None], logits, rng.standard_normal(logits.shape))  # cambiar fuera de T̃
    perdida = cn.entropia_cruzada(logits, objetivos, -100, 0.0, "suma")
    assert cn.entropia_cruzada(otros, objetivos, -100, 0.0, "suma") == perdida
    assert not cn.gradiente_entropia_cruzada(logits, objetivos, -100, 0.0, "suma")[~sel].any()


@pytest.mark.ecuacion("forzado-del-profesor-seq2seq")
def test_forzado_del_profesor_es_t_pasos_de_inferencia_con_la_secuencia_verdadera():
    """Con la máscara causal, la pasada única da en la posición t lo mismo que el decodificador sobre x[:t+1]."""
    config, rng = config_ed(), np.random.default_rng(0)
    p = parametros(config)
    z, x = rng.integers(0, N_V, (2, 5)), rng.integers(0, N_V, (2, 6))
    logits = cn.transformador_codificador_decodificador(z, x, p, config, solo_logits=True)
    suma = 0.0
    for t in range(5):
        paso = cn.transformador_codificador_decodificador(z, x[:, : t + 1], p, config, solo_logits=True)[:, -1]
        np.testing.assert_allclose(paso, logits[:, t], rtol=1e-10, atol=1e-12)
        suma = suma - cn.log_softmax(paso)[np.arange(2), x[:, t + 1]].sum()
    assert cn.perdida_forzado_profesor(z, x, p, config) == pytest.approx(suma, rel=1e-12)


@pytest.mark.ecuacion("calendario-calentamiento-vaswani")
def test_calendario_sube_hasta_el_calentamiento_y_luego_baja():
    etas = [cn.calendario_vaswani(s, 512) for s in range(1, 12001, 50)]
    pico = cn.calendario_vaswani(4000, 512)
    assert pico == pytest.approx((512 * 4000) ** -0.5) and pico == pytest.approx(6.99e-4, rel=1e-3)
    assert max(etas) <= pico and cn.calendario_vaswani(0, 512) == cn.calendario_vaswani(1, 512)
    assert all(a < b for a, b in zip(etas[:79], etas[1:80])) and all(a > b for a, b in zip(etas[81:], etas[82:]))


@pytest.mark.ecuacion("adam")
@settings(max_examples=25, deadline=None)
@given(semilla=semillas, eta=st.floats(1e-4, 1e-1))
def test_el_primer_paso_de_adam_mide_eta_en_cada_coordenada(semilla, eta):
    """Tras la corrección del sesgo, ``m̂/√v̂ = g/|g|``: el primer paso mueve cada peso ±η (con ε ≪ |g|)."""
    rng = np.random.default_rng(semilla)
    p, g = {"W": rng.standard_normal((3, 4))}, {"W": rng.choice([-1, 1], (3, 4)) * rng.uniform(0.1, 5, (3, 4))}
    nuevo, estado = cn.adam(p, g, None, eta)
    np.testing.assert_allclose(nuevo["W"] - p["W"], -eta * np.sign(g["W"]), rtol=1e-6)
    assert estado["paso"] == 1 and p["W"] is not nuevo["W"]  # pura: no toca lo que recibe


@pytest.mark.ecuacion("descenso-gradiente-estocastico")
def test_descenso_de_gradiente_baja_una_cuadratica():
    theta = {"x": np.array([3.0, -2.0])}
    for _ in range(50):
        theta = cn.descenso_gradiente(theta, {"x": 2 * theta["x"]}, 0.1)  # ∇‖x‖² = 2x
    assert np.abs(theta["x"]).max() < 1e-4


@pytest.mark.ecuacion("entropia-cruzada-modelo-lenguaje")
def test_entrenar_un_gpt_diminuto_hace_bajar_la_perdida():
    """100 pasos de Adam sobre un patrón periódico: la pérdida cae y la generación voraz continúa el patrón."""
    torch.manual_seed(0)
    config = config_gpt(d_modelo=32, n_cabezas=4, d_ffn=64)
    modelo = ct.TransformadorSoloDecodificador(config, rng=torch.Generator().manual_seed(0))
    opt = torch.optim.Adam(modelo.parameters(), lr=3e-3)
    datos = torch.tensor([[(s + i) % 5 for i in range(12)] for s in range(5)])  # 0 1 2 3 4 0 1 …
    perdidas = [ct.paso_entrenamiento_decodificador(modelo, opt, datos) for _ in range(100)]
    assert perdidas[0] > 1.5 and perdidas[-1] < 0.05 * perdidas[0]
    modelo.eval()
    continuacion = modelo.generar(torch.tensor([[2, 3, 4]]), 6, tau=0.0)
    assert continuacion.tolist() == [[0, 1, 2, 3, 4, 0]]


@pytest.mark.ecuacion("forzado-del-profesor-seq2seq")
@pytest.mark.ecuacion("modelado-lenguaje-enmascarado")
def test_pasos_de_entrenamiento_seq2seq_y_mlm_bajan_la_perdida():
    torch.manual_seed(0)
    config = config_ed(d_modelo=16, n_cabezas=2, d_ffn=32)
    ed = ct.TransformadorCodificadorDecodificador(config, rng=torch.Generator().manual_seed(1))
    opt = torch.optim.Adam(ed.parameters(), lr=1e-2)
    z = torch.randint(0, 8, (8, 5))
    x = torch.cat([torch.full((8, 1), 8), z, torch.full((8, 1), 9)], dim=1)  # copiar: [bos, z, eos]
    seq2seq = [ct.paso_entrenamiento_seq2seq(ed, opt, z, x) for _ in range(40)]
    assert np.mean(seq2seq[-5:]) < 0.8 * np.mean(seq2seq[:5])
    config = config_bert(d_modelo=16, n_cabezas=2, d_ffn=32)
    bert = ct.TransformadorSoloCodificador(config, rng=torch.Generator().manual_seed(1))
    opt = torch.optim.Adam(bert.parameters(), lr=1e-2)
    x = torch.tensor([[(s + i) % 6 for i in range(10)] for s in range(6)])
    rng = torch.Generator().manual_seed(0)
    mlm = [ct.paso_entrenamiento_mlm(bert, opt, x, N_V - 1, 0.3, rng=rng) for _ in range(40)]
    assert np.mean(mlm[-5:]) < 0.8 * np.mean(mlm[:5])
