"""Los dígitos de scikit-learn, el ViT diminuto del capítulo 10 y el coste de ViT frente a una CNN."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from transformadores import ErrorDeForma
from transformadores import con_torch as ct
from transformadores.datos.digitos import Digitos, cargar_digitos
from transformadores.experimentos.vision import (
    CONFIGURACION_DIGITOS,
    RedConvolucional,
    ViTPequeno,
    atencion_del_token_clase,
    comparar_tamanos,
    desplazar_al_azar,
    entrenar_vit,
    flops_cnn,
    flops_contados,
    flops_vit,
    pendiente,
    tabla_tamanos,
)


@pytest.fixture(scope="module")
def digitos():
    return cargar_digitos()


def test_digitos_formas_rango_y_particion_estratificada(digitos):
    d = digitos
    assert d.x_entrenamiento.shape == (1347, 1, 8, 8) and d.x_prueba.shape == (450, 1, 8, 8)
    assert d.x_prueba.dtype == np.float32 and d.y_prueba.dtype == np.int64
    assert d.x_entrenamiento.min() == 0.0 and d.x_entrenamiento.max() == 1.0
    # estratificada: cada clase conserva en la prueba su proporción en el total (a menos de una imagen)
    total = np.bincount(np.concatenate([d.y_entrenamiento, d.y_prueba]), minlength=10)
    assert np.abs(np.bincount(d.y_prueba, minlength=10) - 450 * total / total.sum()).max() < 1
    otra = cargar_digitos(semilla=0)
    np.testing.assert_array_equal(otra.x_prueba, d.x_prueba)
    assert not np.array_equal(cargar_digitos(semilla=1).y_prueba, d.y_prueba)
    assert len(cargar_digitos(proporcion_prueba=0.5).y_prueba) == 899
    assert "entrenamiento=1347" in repr(d) and isinstance(d, Digitos)
    with pytest.raises(ErrorDeForma, match=r"'proporcion_prueba' debe estar en \(0, 1\)"):
        cargar_digitos(proporcion_prueba=1.5)
    with pytest.raises(ErrorDeForma, match="'semilla' debe ser un entero ≥ 0"):
        cargar_digitos(semilla=-1)


def test_vit_formas_probabilidades_y_atencion_del_token_clase():
    torch.manual_seed(0)
    modelo = ViTPequeno(lado=8, P=2, d_modelo=16, n_capas=2, n_cabezas=2, d_mlp=32).eval()
    x = torch.rand(3, 1, 8, 8)
    with torch.no_grad():
        logits, p = modelo(x), modelo.probabilidades(x)
    assert logits.shape == (3, 10) and modelo.N == 16
    torch.testing.assert_close(p, torch.softmax(logits, dim=-1))
    a = atencion_del_token_clase(modelo, x)
    assert a.shape == (3, 2, 2, 17)
    torch.testing.assert_close(a.sum(-1), torch.ones(3, 2, 2))
    with pytest.raises(ValueError, match=r"'lado' \(10\) debe ser múltiplo de 'P' \(4\)"):
        ViTPequeno(lado=10, P=4)


def test_el_bloque_es_msa_y_mlp_con_sus_pesos():
    """``BloqueViT`` = ``z' = z + MSA(LN(z))``, ``z' + MLP(LN(z'))`` con los pesos de sus módulos."""
    torch.manual_seed(1)
    bloque = ViTPequeno(d_modelo=16, n_capas=1, n_cabezas=4, d_mlp=32).bloques[0]
    z = torch.randn(2, 5, 16)
    with torch.no_grad():
        intermedio = z + bloque.atencion(bloque.norma_1(z))
        esperado = intermedio + bloque.mlp(bloque.norma_2(intermedio))
        torch.testing.assert_close(bloque(z), esperado)
        pesos = bloque.pesos_atencion(z)
    assert pesos.shape == (2, 4, 5, 5)
    torch.testing.assert_close(pesos.sum(-1), torch.ones(2, 4, 5))


def test_desplazar_mueve_cada_imagen_como_mucho_maximo_pixeles():
    x = torch.zeros(50, 2, 8, 8)
    x[:, :, 4, 3] = 1.0
    y = desplazar_al_azar(x, 1, torch.Generator().manual_seed(0))
    assert y.shape == x.shape and torch.equal(y.sum(dim=(-2, -1)), torch.ones(50, 2))
    filas, columnas = (y[:, 0] == 1).nonzero()[:, 1], (y[:, 0] == 1).nonzero()[:, 2]
    assert set(filas.tolist()) == {3, 4, 5} and set(columnas.tolist()) == {2, 3, 4}
    torch.testing.assert_close(y[:, 0], y[:, 1])  # los canales se desplazan juntos


@pytest.mark.parametrize("lado, P", [(8, 4), (16, 4), (8, 2)])
def test_flops_calculados_son_los_contados(lado, P):
    torch.manual_seed(0)
    x = torch.rand(2, 1, lado, lado)
    assert flops_contados(RedConvolucional(), x) == flops_cnn(lado)
    assert flops_contados(ViTPequeno(lado=lado, P=P), x) == flops_vit(lado, P)["total"]


def test_pendientes_de_los_flops():
    lados = [64, 128, 256, 512]
    assert pendiente(lados, [flops_cnn(s) for s in lados]) == pytest.approx(2.0, abs=0.01)
    assert pendiente(lados, [flops_vit(s)["atencion"] for s in lados]) == pytest.approx(4.0, abs=0.02)
    assert 3.0 < pendiente(lados, [flops_vit(s)["total"] for s in lados]) < 4.0
    assert pendiente([1, 2, 4], [3, 12, 48]) == pytest.approx(2.0)


def test_comparar_tamanos_y_tablas():
    filas = comparar_tamanos((8, 16), lote=2, repeticiones=1)
    assert [f["N"] for f in filas] == [4, 16]
    assert all(f["contados_cnn"] == f["flops_cnn"] and f["contados_vit"] == f["flops_vit"]["total"] for f in filas)
    assert all(f["tiempo_cnn"] > 0 and f["tiempo_vit"] > 0 for f in filas)
    texto = tabla_tamanos(filas)
    assert "de ellos, atención" in texto and len(texto.splitlines()) == 3
    assert "ms/imagen" in tabla_tamanos(filas, tiempos=True)
    assert "tiempo_vit" not in comparar_tamanos((8,), lote=1, medir=False)[0]


def test_una_version_reducida_aprende(digitos):
    """Cuatro épocas y un solo bloque: ya supera de sobra el azar (10 %)."""
    r = entrenar_vit(digitos, epocas=4, lote=64, lr=1e-2, d_modelo=32, n_capas=1, d_mlp=64)
    assert r["exactitud"] > 0.6 and r["perdidas"][-1] < r["perdidas"][0]
    assert r["parametros"] == sum(p.numel() for p in r["modelo"].parameters()) and not r["modelo"].training


@pytest.mark.lento
def test_el_vit_del_capitulo_supera_el_95_por_ciento(digitos):
    r = entrenar_vit(digitos, **CONFIGURACION_DIGITOS)
    assert r["exactitud"] >= 0.95


def test_la_incrustacion_del_vit_es_la_del_paquete():
    torch.manual_seed(2)
    modelo = ViTPequeno(d_modelo=8, n_capas=1, n_cabezas=2, d_mlp=16)
    x = torch.rand(2, 1, 8, 8)
    z_0 = ct.incrustar_parches(x, 2, modelo.E, modelo.b_E, modelo.x_clase, modelo.E_pos)
    assert z_0.shape == (2, 17, 8)
    torch.testing.assert_close(z_0[:, 0], (modelo.x_clase + modelo.E_pos[0]).expand(2, 8))
