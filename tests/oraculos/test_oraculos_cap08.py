"""Capítulo 8 frente a PyTorch: ``F.cross_entropy`` (ignore_index, label_smoothing), autograd,
``nn.Transformer`` con forzado del profesor, ``torch.optim.SGD``/``Adam``/``AdamW`` y ``LambdaLR``."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from paridad.casos_cap07 import N_V, config_bert, config_ed, un_hilo  # noqa: F401
from transformadores import con_numpy, con_torch
from utiles import a_numpy

D64 = {"dtype": torch.float64}
TOL = {"rtol": 1e-10, "atol": 1e-12}
pytestmark = pytest.mark.usefixtures("un_hilo")


def _datos(ignorar=-100):
    torch.manual_seed(0)
    logits, y = torch.randn(20, 9, **D64) * 3, torch.randint(0, 9, (20,))
    y[[1, 5, 6]] = ignorar
    return logits, y


@pytest.mark.ecuacion("suavizado-etiquetas")
@pytest.mark.parametrize("reduccion, nombre", [("media", "mean"), ("suma", "sum"), ("ninguna", "none")])
@pytest.mark.parametrize("suavizado", [0.0, 0.1, 0.7])
def test_entropia_cruzada_frente_a_f_cross_entropy(reduccion, nombre, suavizado):
    logits, y = _datos()
    esperado = F.cross_entropy(logits, y, ignore_index=-100, label_smoothing=suavizado, reduction=nombre)
    torch.testing.assert_close(con_torch.entropia_cruzada(logits, y, -100, suavizado, reduccion), esperado, **TOL)
    obtenido = con_numpy.entropia_cruzada(a_numpy(logits), a_numpy(y), -100, suavizado, reduccion)
    np.testing.assert_allclose(obtenido, a_numpy(esperado), rtol=1e-10, atol=1e-12)


@pytest.mark.ecuacion("suavizado-etiquetas")
@pytest.mark.parametrize("reduccion, nombre", [("media", "mean"), ("suma", "sum")])
def test_gradiente_de_la_entropia_cruzada_frente_a_autograd(reduccion, nombre):
    logits, y = _datos()
    logits.requires_grad_(True)
    F.cross_entropy(logits, y, ignore_index=-100, label_smoothing=0.1, reduction=nombre).backward()
    obtenido = con_torch.gradiente_entropia_cruzada(logits.detach(), y, -100, 0.1, reduccion)
    torch.testing.assert_close(obtenido, logits.grad, **TOL)
    np_g = con_numpy.gradiente_entropia_cruzada(a_numpy(logits), a_numpy(y), -100, 0.1, reduccion)
    np.testing.assert_allclose(np_g, a_numpy(logits.grad), rtol=1e-10, atol=1e-12)


@pytest.mark.ecuacion("entropia-cruzada-modelo-lenguaje")
@pytest.mark.ecuacion("perplejidad")
def test_modelo_de_lenguaje_y_perplejidad_frente_a_f_cross_entropy():
    logits, x = torch.randn(3, 6, N_V, **D64), torch.randint(1, N_V, (3, 6))
    x[2, 4:] = 0  # relleno
    plano = (logits[:, :-1].reshape(-1, N_V), x[:, 1:].reshape(-1))
    suma = F.cross_entropy(*plano, ignore_index=0, reduction="sum")
    torch.testing.assert_close(con_torch.entropia_cruzada_modelo_lenguaje(logits, x, 0), suma, **TOL)
    np.testing.assert_allclose(
        con_numpy.entropia_cruzada_modelo_lenguaje(a_numpy(logits), a_numpy(x), 0), a_numpy(suma)
    )
    ppl = torch.exp(F.cross_entropy(*plano, ignore_index=0, reduction="mean"))
    torch.testing.assert_close(con_torch.perplejidad(logits, x, 0), ppl, **TOL)
    np.testing.assert_allclose(con_numpy.perplejidad(a_numpy(logits), a_numpy(x), 0), a_numpy(ppl), rtol=1e-10)


@pytest.mark.ecuacion("forzado-del-profesor-seq2seq")
def test_forzado_del_profesor_frente_a_nn_transformer():
    """Pérdida de ``nn.Transformer`` (pesos copiados) + ``F.cross_entropy(ignore_index=relleno)`` y su gradiente."""
    config = config_ed(norma_final=True)
    nn_t = torch.nn.Transformer(8, 2, 2, 2, 16, 0.0, batch_first=True, **D64).eval()
    p = con_torch.convertir_parametros(con_numpy.inicializar_parametros(config), dtype=torch.float64)
    p |= con_torch.parametros_de_transformer_pytorch(nn_t)
    BOS, EOS, PAD = 8, 9, 10
    z = torch.randint(0, 8, (2, 5))
    x = torch.tensor([[BOS, 1, 2, 3, EOS, PAD], [BOS, 4, EOS, PAD, PAD, PAD]])
    W_E, W_P = p["incrustacion"]["W_E"], p["incrustacion"]["W_P"]
    incrustar = lambda t: con_torch.incrustacion_inicial(t, W_E, W_P, escalar=True)  # noqa: E731
    salida = nn_t(incrustar(z), incrustar(x), tgt_mask=~con_torch.mascara_causal(6), tgt_key_padding_mask=x == PAD)
    logits = salida @ W_E.T
    esperado = F.cross_entropy(logits[:, :-1].reshape(-1, N_V), x[:, 1:].reshape(-1), ignore_index=PAD, reduction="sum")
    torch.testing.assert_close(con_torch.perdida_forzado_profesor(z, x, p, config, ignorar=PAD), esperado, **TOL)
    np_p = con_torch.parametros_a_numpy(p)
    np.testing.assert_allclose(
        con_numpy.perdida_forzado_profesor(a_numpy(z), a_numpy(x), np_p, config, ignorar=PAD), a_numpy(esperado)
    )
    esperado.backward()
    modulo = con_torch.TransformadorCodificadorDecodificador(config, **D64).cargar_parametros(p).eval()
    con_torch.perdida_forzado_profesor(z, x, modulo.parametros(), config, ignorar=PAD).backward()
    lin = nn_t.decoder.layers[1].linear1.weight.grad
    torch.testing.assert_close(modulo.decodificador.capas[1].ffn.W_1.grad, lin, **TOL)


@pytest.mark.ecuacion("modelado-lenguaje-enmascarado")
@pytest.mark.parametrize("bert", [False, True])
def test_mlm_frente_a_cross_entropy_con_menos_100(bert):
    config = config_bert()
    p = con_torch.convertir_parametros(con_numpy.inicializar_parametros(config), dtype=torch.float64)
    x = torch.randint(0, N_V - 3, (4, 8))
    perdida, x_tilde, seleccion = con_torch.modelado_lenguaje_enmascarado(
        x, p, config, N_V - 3, 0.3, bert, rng=torch.Generator().manual_seed(2)
    )
    logits = con_torch.transformador_solo_codificador(x_tilde, p, config, solo_logits=True)
    etiquetas = torch.where(seleccion, x, -100)
    esperado = F.cross_entropy(logits.reshape(-1, N_V), etiquetas.reshape(-1), ignore_index=-100, reduction="sum")
    torch.testing.assert_close(perdida, esperado, **TOL)
    assert torch.equal(x_tilde[~seleccion], x[~seleccion]) and seleccion.any()


def _pasos(optimizador, parametros, gradientes):
    for g in gradientes:
        for q, gq in zip(parametros, g):
            q.grad = gq.clone()
        optimizador.step()


@pytest.mark.ecuacion("descenso-gradiente-estocastico")
def test_descenso_de_gradiente_frente_a_sgd():
    torch.manual_seed(0)
    W, b = torch.randn(4, 3, **D64), torch.randn(3, **D64)
    gradientes = [(torch.randn(4, 3, **D64), torch.randn(3, **D64)) for _ in range(3)]
    referencia = [W.clone().requires_grad_(), b.clone().requires_grad_()]
    _pasos(torch.optim.SGD(referencia, lr=0.05), referencia, gradientes)
    nuestro, nuestro_np = {"W": W, "b": b}, {"W": a_numpy(W), "b": a_numpy(b)}
    for gW, gb in gradientes:
        nuestro = con_torch.descenso_gradiente(nuestro, {"W": gW, "b": gb}, 0.05)
        nuestro_np = con_numpy.descenso_gradiente(nuestro_np, {"W": a_numpy(gW), "b": a_numpy(gb)}, 0.05)
    torch.testing.assert_close(nuestro["W"], referencia[0].detach(), **TOL)
    np.testing.assert_allclose(nuestro_np["b"], a_numpy(referencia[1]), rtol=1e-12)


@pytest.mark.ecuacion("adam")
@pytest.mark.parametrize("Optimizador, decaimiento", [(torch.optim.Adam, 0.0), (torch.optim.AdamW, 0.1)])
def test_adam_paso_a_paso_frente_a_torch_optim(Optimizador, decaimiento):
    """Cada paso igual a ``torch.optim.Adam(betas=(0.9, 0.98), eps=1e-9)`` (y AdamW), corrección del sesgo incluida."""
    torch.manual_seed(1)
    W = torch.randn(5, 4, **D64)
    referencia = [W.clone().requires_grad_()]
    opt = Optimizador(referencia, lr=0.01, betas=(0.9, 0.98), eps=1e-9, weight_decay=decaimiento)
    nuestro, estado, nuestro_np, estado_np = {"W": W}, None, {"W": a_numpy(W)}, None
    for _ in range(6):
        g = torch.randn(5, 4, **D64)
        _pasos(opt, referencia, [(g,)])
        nuestro, estado = con_torch.adam(nuestro, {"W": g}, estado, 0.01, decaimiento=decaimiento)
        nuestro_np, estado_np = con_numpy.adam(nuestro_np, {"W": a_numpy(g)}, estado_np, 0.01, decaimiento=decaimiento)
        torch.testing.assert_close(nuestro["W"], referencia[0].detach(), **TOL)
        np.testing.assert_allclose(nuestro_np["W"], a_numpy(referencia[0]), rtol=1e-10, atol=1e-12)
    torch.testing.assert_close(estado["m"]["W"], opt.state[referencia[0]]["exp_avg"], **TOL)


@pytest.mark.ecuacion("calendario-calentamiento-vaswani")
def test_calendario_frente_a_lambdalr_y_optimizador_vaswani():
    modelo = con_torch.TransformadorSoloCodificador(config_bert())
    opt, calendario = con_torch.optimizador_vaswani(modelo, calentamiento=5)
    referencia = torch.optim.Adam([torch.nn.Parameter(torch.zeros(1))], lr=1.0)
    noam = torch.optim.lr_scheduler.LambdaLR(
        referencia, lambda s: 8**-0.5 * min(max(s, 1) ** -0.5, max(s, 1) * 5**-1.5)
    )
    for s in range(12):
        assert opt.param_groups[0]["lr"] == pytest.approx(referencia.param_groups[0]["lr"], rel=1e-12)
        assert con_numpy.calendario_vaswani(s, 8, 5) == pytest.approx(noam.get_last_lr()[0], rel=1e-12)
        opt.step(), calendario.step(), referencia.step(), noam.step()
    assert opt.param_groups[0]["betas"] == (0.9, 0.98) and opt.param_groups[0]["eps"] == 1e-9
