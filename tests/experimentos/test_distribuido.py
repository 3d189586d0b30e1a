"""Paralelismo de datos: trozos, all-reduce en anillo y DDP con torchrun (gloo) frente a un solo proceso."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from transformadores.con_torch import entropia_cruzada_modelo_lenguaje
from transformadores.experimentos.distribuido import (
    ConfigDistribuido,
    _datos,
    _modelo,
    entrenar,
    lanzar,
    lotes_globales,
    simular_all_reduce_anillo,
    trozo_local,
)


@pytest.mark.parametrize("P", [1, 2, 3, 4, 5])
def test_all_reduce_en_anillo_suma_y_envia_2_P_menos_1_entre_P(P):
    rng = np.random.default_rng(P)
    vectores = [rng.standard_normal(11) for _ in range(P)]
    resultado, estados = simular_all_reduce_anillo(vectores)
    assert len(estados) == 2 * (P - 1) + 1
    for r in resultado:
        np.testing.assert_allclose(r, np.sum(vectores, axis=0), rtol=1e-12)
    # Tras la reducción dispersa, cada trozo tiene la suma completa en exactamente un proceso.
    if P > 1:
        trozos = [np.array_split(e, P) for e in estados[P - 1]]
        sumas = np.array_split(np.sum(vectores, axis=0), P)
        completos = [[np.allclose(trozos[p][k], sumas[k]) for k in range(P)] for p in range(P)]
        assert np.sum(completos, axis=0).tolist() == [1] * P


def test_all_reduce_entrada_invalida():
    with pytest.raises(ValueError, match="'vectores' debe ser una lista de P vectores"):
        simular_all_reduce_anillo([np.zeros(3), np.zeros(4)])
    with pytest.raises(ValueError, match="N ≥ P"):
        simular_all_reduce_anillo([np.zeros(2)] * 3)


def test_trozos_iguales_y_disjuntos():
    lote = torch.arange(24).reshape(8, 3)
    trozos = [trozo_local(lote, r, 4) for r in range(4)]
    assert torch.equal(torch.cat(trozos), lote)
    with pytest.raises(ValueError, match="trozos iguales"):
        trozo_local(lote, 0, 3)
    with pytest.raises(ValueError, match="'rango' debe estar en"):
        trozo_local(lote, 4, 4)


def test_la_media_de_gradientes_de_trozos_es_el_gradiente_del_lote():
    """El fundamento: con trozos iguales, media de gradientes locales = gradiente global (sin procesos)."""
    config = ConfigDistribuido(pasos=1, lote_global=8)
    ids, n_vocab = _datos()
    lote = lotes_globales(config, ids)[0]

    def gradiente(x):
        modelo = _modelo(config, n_vocab)
        entropia_cruzada_modelo_lenguaje(modelo(x, solo_logits=True), x, reduccion="media").backward()
        return torch.cat([p.grad.reshape(-1) for p in modelo.parameters()])

    media = torch.stack([gradiente(trozo_local(lote, r, 4)) for r in range(4)]).mean(0)
    torch.testing.assert_close(media, gradiente(lote), rtol=1e-10, atol=1e-12)
    desigual = (gradiente(lote[:2]) + gradiente(lote[2:])) / 2  # trozos 2 y 6: ya no coincide
    assert (desigual - gradiente(lote)).abs().max() > 1e-6


def test_config_invalida():
    with pytest.raises(ValueError, match="'modo' debe ser uno de"):
        ConfigDistribuido(modo="fsdp")
    with pytest.raises(ValueError, match="'lanzar' es para los modos"):
        lanzar(2, ConfigDistribuido())


@pytest.mark.lento
def test_ddp_con_dos_procesos_reproduce_un_solo_proceso():
    config = ConfigDistribuido(pasos=4, lote_global=8)
    uno = entrenar(config)
    for modo in ("ddp", "manual"):
        varios = lanzar(2, ConfigDistribuido(pasos=4, lote_global=8, modo=modo))
        assert varios["n_procesos"] == 2
        np.testing.assert_allclose(varios["perdidas"], uno["perdidas"], rtol=1e-10)
        np.testing.assert_allclose(varios["pesos"], uno["pesos"], rtol=1e-8, atol=1e-10)
    assert uno["perdidas"][-1] < uno["perdidas"][0]
