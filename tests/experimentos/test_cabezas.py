"""El experimento de las cabezas: los datos, el modelo y un entrenamiento corto que sí aprende."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from transformadores import ErrorDeForma
from transformadores.datos.relaciones import IGNORAR, secuencias_con_relaciones
from transformadores.experimentos.cabezas import (
    ConfigExperimento,
    ModeloRelaciones,
    atencion_por_desplazamiento,
    exactitud,
    experimento_cabezas,
    tabla_cabezas,
)


def test_cada_objetivo_es_el_token_a_r_posiciones_atras():
    x, y = secuencias_con_relaciones(50, longitud=9, n_vocab=5, desplazamientos=(1, 4), rng=np.random.default_rng(0))
    assert x.shape == (50, 9) and y.shape == (50, 9, 2) and x.dtype == y.dtype == np.int64
    assert x.min() >= 0 and x.max() < 5
    for r, a in enumerate((1, 4)):
        assert (y[:, :a, r] == IGNORAR).all()
        np.testing.assert_array_equal(y[:, a:, r], x[:, :-a])
    x2, _ = secuencias_con_relaciones(50, longitud=9, n_vocab=5, desplazamientos=(1, 4), rng=np.random.default_rng(0))
    np.testing.assert_array_equal(x, x2)  # misma semilla, mismos datos


def test_datos_con_entradas_erroneas():
    with pytest.raises(ErrorDeForma, match=r"Cada desplazamiento debe estar entre 1 y longitud-1=4"):
        secuencias_con_relaciones(3, longitud=5, desplazamientos=(1, 5))
    with pytest.raises(ErrorDeForma, match=r"Los desplazamientos deben ser distintos"):
        secuencias_con_relaciones(3, desplazamientos=(2, 2))
    with pytest.raises(ErrorDeForma, match=r"'n_vocab' debe ser un entero positivo"):
        secuencias_con_relaciones(3, n_vocab=0)
    with pytest.raises(ErrorDeForma, match=r"'desplazamientos' debe ser una lista no vacía de enteros"):
        secuencias_con_relaciones(3, desplazamientos=())


@pytest.mark.parametrize("H", [1, 2, 4, 8])
def test_mismos_parametros_para_todo_H_y_formas(H):
    torch.manual_seed(0)
    modelo = ModeloRelaciones(n_vocab=8, longitud=12, d_modelo=32, n_cabezas=H, n_relaciones=3)
    assert sum(p.numel() for p in modelo.parameters()) == 14200  # no depende de H: d_k = d_modelo / H
    x = torch.randint(8, (5, 12))
    logits, pesos = modelo(x, devolver_pesos=True)
    assert logits.shape == (5, 12, 3, 8) and pesos[0].shape == (5, H, 12, 12)
    torch.testing.assert_close(pesos[0].sum(-1), torch.ones(5, H, 12))
    por_desplazamiento = atencion_por_desplazamiento(modelo, x, max_desplazamiento=4)
    assert por_desplazamiento.shape == (H, 5) and (por_desplazamiento >= 0).all()
    assert (por_desplazamiento.sum(-1) <= 1 + 1e-6).all()


def test_un_entrenamiento_corto_aprende_una_relacion(un_hilo):
    """Con una relación (copiar el token anterior) y 60 pasos, la exactitud supera con mucho el azar (1/8)."""
    config = ConfigExperimento(desplazamientos=(1,), pasos=60, lote=16, tasa=1e-2, n_prueba=200)
    (r,) = experimento_cabezas(cabezas=(2,), semillas=(0,), config=config)
    assert r["exactitud"] > 0.9 and r["perdidas"][-1] < r["perdidas"][0]
    x, y = secuencias_con_relaciones(200, 12, 8, (1,), np.random.default_rng(10_000))
    assert exactitud(r["modelo"], x, y)[0] == pytest.approx(r["exactitud"])
    # La cabeza que más atiende al token anterior le da la mayor parte de su peso.
    assert atencion_por_desplazamiento(r["modelo"], x)[:, 1].max() > 0.5
    tabla = tabla_cabezas([r])
    assert tabla.splitlines()[1].split()[:3] == ["2", "16", str(r["parametros"])]


def test_exactitud_cuenta_solo_posiciones_completas():
    class Oraculo(torch.nn.Module):
        """Acierta la relación 0 siempre y falla la 1 siempre."""

        def forward(self, x):
            logits = torch.zeros(*x.shape, 2, 4)
            anterior = torch.roll(x, 1, dims=1)
            logits[..., 0, :] = torch.nn.functional.one_hot(anterior, 4).float()
            logits[..., 1, :] = torch.nn.functional.one_hot((torch.roll(x, 2, dims=1) + 1) % 4, 4).float()
            return logits

    x, y = secuencias_con_relaciones(20, longitud=6, n_vocab=4, desplazamientos=(1, 2), rng=np.random.default_rng(1))
    conjunta, por_relacion = exactitud(Oraculo(), x, y)
    assert conjunta == 0.0
    np.testing.assert_allclose(por_relacion, [1.0, 0.0])
