"""El CLIP diminuto del capítulo 12: datos, codificadores, entrenamiento y clasificación sin ejemplos."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from transformadores import con_torch as ct
from transformadores.datos.digitos import cargar_digitos
from transformadores.datos.numeros import en_palabras
from transformadores.experimentos.multimodal import (
    PALABRAS,
    PLANTILLAS,
    PLANTILLAS_NUEVAS,
    ConfigCLIP,
    ModeloCLIP,
    VocabularioCaracteres,
    entrenar_clip,
    exactitud_cero_disparos,
    frases,
    incrustar_clases,
    lote_por_clase,
    probabilidades_cero_disparos,
)

torch.set_num_threads(1)


@pytest.fixture(scope="module")
def digitos():
    return cargar_digitos(0.25, 0)


@pytest.fixture(scope="module")
def corto():
    """Un entrenamiento corto (80 pasos): basta para ver que aprende."""
    return entrenar_clip(ConfigCLIP(pasos=80, tasa=6e-3, instantaneas=(0, 80)))


def test_palabras_y_frases():
    assert PALABRAS == tuple(en_palabras(k) for k in range(10)) and PALABRAS[3] == "tres"
    textos = frases([3, 3, 0], PLANTILLAS, np.random.default_rng(0))
    assert len(textos) == 3 and all("tres" in t for t in textos[:2]) and "cero" in textos[2]
    assert not set(PLANTILLAS_NUEVAS) & set(PLANTILLAS)


def test_vocabulario_de_caracteres():
    v = VocabularioCaracteres(["un tres", "el uno"])
    ids, relleno = v.codificar(["uno", "un tres", "tú"])
    assert ids.shape == relleno.shape == (3, 7)
    assert relleno.sum(1).tolist() == [3, 7, 2]
    assert [v.caracteres[i] for i in ids[0, :3]] == list("uno")
    assert ids[2, 1] == 1  # «ú» no salió al entrenar: desconocido
    assert (ids[~relleno] == 0).all()


def test_lote_por_clase(digitos):
    filas = lote_por_clase(digitos.x_prueba, digitos.y_prueba)
    assert filas.shape == (10, 1, 8, 8)
    for k in range(10):  # cada fila es una imagen del dígito k
        iguales = (digitos.x_prueba == filas[k]).all(axis=(1, 2, 3))
        assert k in digitos.y_prueba[iguales]


def test_el_modelo_usa_las_ecuaciones_del_paquete():
    """Logits = e^t · cosenos de incrustaciones normalizadas; la frase repetida se codifica una vez."""
    torch.manual_seed(0)
    textos = ["un tres", "cero", "un tres"]
    modelo = ModeloCLIP(ConfigCLIP(), VocabularioCaracteres(textos))
    x = torch.rand(3, 1, 8, 8)
    I_e, T_e = modelo.incrustar(x, textos)
    assert I_e.shape == T_e.shape == (3, 32)
    torch.testing.assert_close(I_e.norm(dim=-1), torch.ones(3))
    torch.testing.assert_close(T_e[0], T_e[2])
    I_f = modelo.imagen(x)
    torch.testing.assert_close(I_e, F.normalize(I_f @ modelo.W_i.T, dim=-1))
    logits = modelo(x, textos)
    torch.testing.assert_close(logits, (I_e @ T_e.T) * modelo.t.exp())
    n = torch.arange(3)
    esperado = (F.cross_entropy(logits, n) + F.cross_entropy(logits.T, n)) / 2
    torch.testing.assert_close(ct.clip_perdida(logits), esperado)


def test_un_entrenamiento_corto_aprende(corto, digitos):
    modelo, historial, instantaneas = corto
    assert historial["perdida"].shape == historial["escala"].shape == (80,)
    assert historial["perdida"][-10:].mean() < historial["perdida"][:10].mean() - 1.0
    assert set(instantaneas) == {0, 80} and instantaneas[0][0].shape == (10, 10)
    assert instantaneas[0][1] == pytest.approx(1 / 0.07, rel=1e-5)  # escala inicial de CLIP
    diagonal = [np.diag(instantaneas[p][0]).mean() for p in (0, 80)]
    assert diagonal[1] > diagonal[0] + 0.2  # los pares correctos se acercan
    assert exactitud_cero_disparos(modelo, digitos.x_prueba, digitos.y_prueba) > 0.7  # azar: 0.1


def test_probabilidades_cero_disparos(corto, digitos):
    modelo = corto[0]
    x = digitos.x_prueba[:5]
    P = probabilidades_cero_disparos(modelo, x, PALABRAS + ("diez",), PLANTILLAS[:2])
    assert P.shape == (5, 11)
    np.testing.assert_allclose(P.sum(-1), 1.0, rtol=1e-5)
    I_e, T_clases = incrustar_clases(modelo, x, PALABRAS, PLANTILLAS[:2])
    assert T_clases.shape == (10, 32)
    torch.testing.assert_close(T_clases.norm(dim=-1), torch.ones(10))
    esperado = torch.softmax(modelo.t.exp() * I_e @ T_clases.T, dim=-1)
    np.testing.assert_allclose(probabilidades_cero_disparos(modelo, x, PALABRAS, PLANTILLAS[:2]), esperado.detach(),
                               rtol=1e-5, atol=1e-6)  # fmt: skip


@pytest.mark.lento
def test_el_experimento_del_capitulo_pasa_del_90_por_ciento(digitos):
    modelo, _, _ = entrenar_clip()
    assert exactitud_cero_disparos(modelo, digitos.x_prueba, digitos.y_prueba) >= 0.93
