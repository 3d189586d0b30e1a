"""Las pilas Post-LN y Pre-LN del capítulo 6 y la medida de sus normas capa a capa."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from transformadores import ErrorDeForma
from transformadores import con_torch as ct
from transformadores.experimentos.profundidad import PilaBloques, normas_por_capa

D64 = {"dtype": torch.float64}


@pytest.mark.ecuacion("post-ln")
@pytest.mark.ecuacion("pre-ln")
@pytest.mark.parametrize("pre_ln", [False, True])
def test_la_pila_es_la_de_nn_transformer_encoder(pre_ln):
    """Con los pesos copiados, la pila da lo mismo que ``nn.TransformerEncoder`` (+ LN final si es Pre-LN)."""
    torch.manual_seed(0)
    pila = PilaBloques(3, d_modelo=16, n_cabezas=4, pre_ln=pre_ln, **D64).eval()
    capa = torch.nn.TransformerEncoderLayer(16, 4, 64, dropout=0.0, norm_first=pre_ln, batch_first=True, **D64)
    final = torch.nn.LayerNorm(16, **D64) if pre_ln else None
    oraculo = torch.nn.TransformerEncoder(capa, 3, norm=final, enable_nested_tensor=False).eval()
    with torch.no_grad():
        for l, c in enumerate(oraculo.layers):
            for p in c.parameters():
                p.add_(0.1 * torch.randn_like(p))
            pila.atenciones[l].copiar_de_multihead(c.self_attn)
            red = pila.redes[l]
            for destino, origen in zip(
                (red.W_1, red.b_1, red.W_2, red.b_2),
                (c.linear1.weight, c.linear1.bias, c.linear2.weight, c.linear2.bias),
            ):
                destino.copy_(origen)
            pila.residuos[2 * l].norma.copiar_de(c.norm1)
            pila.residuos[2 * l + 1].norma.copiar_de(c.norm2)
        if pre_ln:
            pila.norma_final.copiar_de(oraculo.norm)
    X = torch.randn(2, 5, 16, **D64)
    salida, capas = pila(X, devolver_capas=True)
    torch.testing.assert_close(salida, oraculo(X), rtol=1e-10, atol=1e-12)
    assert len(capas) == 3 and all(h.shape == X.shape for h in capas)
    assert (pila.norma_final is None) != pre_ln


def test_post_ln_normaliza_el_flujo_y_pre_ln_lo_deja_crecer():
    post = normas_por_capa(6, pre_ln=False, semillas=(0,), d_modelo=16, n_cabezas=2, lote=2, longitud=4)
    pre = normas_por_capa(6, pre_ln=True, semillas=(0,), d_modelo=16, n_cabezas=2, lote=2, longitud=4)
    # Tras una LN con γ = 1 y β = 0 cada token tiene media 0 y varianza 1 (menos el ε): RMS = 1.
    np.testing.assert_allclose(post["activacion"], 1.0, atol=1e-4)
    assert pre["activacion"][-1] > 1.5 * pre["activacion"][0]
    for r in (post, pre):
        assert r["activacion"].shape == r["gradiente"].shape == (6,)
        assert np.isfinite(r["gradiente"]).all() and (r["gradiente"] > 0).all() and r["gradiente_entrada"] > 0


def test_normas_deterministas_y_entradas_erroneas():
    a = normas_por_capa(2, True, semillas=(3,), d_modelo=8, n_cabezas=2, lote=1, longitud=3)
    b = normas_por_capa(2, True, semillas=(3,), d_modelo=8, n_cabezas=2, lote=1, longitud=3)
    np.testing.assert_array_equal(a["gradiente"], b["gradiente"])
    with pytest.raises(ErrorDeForma, match=r"'n_capas' debe ser un entero positivo, pero se recibió 0"):
        normas_por_capa(0, False)
    with pytest.raises(ErrorDeForma, match=r"'n_capas' debe ser un entero positivo"):
        PilaBloques(-1)
    assert isinstance(PilaBloques(1, 8, 2).residuos[0], ct.ConexionResidual)
