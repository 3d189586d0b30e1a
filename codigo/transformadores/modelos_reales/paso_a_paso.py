"""MiniLM paso a paso: los estados intermedios de la incrustación y de cada capa (capítulo 15).

:func:`~transformadores.modelos_reales.estados_minilm` devuelve solo la salida de cada capa. Aquí
abrimos cada capa en sus pasos, con las mismas funciones del paquete (capítulos 4–7), para poder
compararlos uno a uno con los de ``transformers.BertModel``:

1. incrustación: ``palabra = W_E[x]``, ``posicion = W_P[0:T]``, ``tipo = W_T[0]``, su ``suma`` y la
   ``salida = LN(suma)`` (ε = 10⁻¹²);
2. cada capa Post-LN: ``atencion = MHA(X)`` (con sus ``pesos``), ``residuo_atencion = X + atencion``,
   ``norma_atencion = LN₁(residuo_atencion)``, ``ffn_oculta = GELU(norma_atencion W_1ᵀ + b_1)``,
   ``ffn = FFN(norma_atencion)``, ``residuo_ffn = norma_atencion + ffn`` y ``salida = LN₂(residuo_ffn)``.

:func:`pasos_bertmodel` saca los mismos pasos de un ``BertModel`` con ganchos (*forward hooks*) en
sus submódulos, sin depender de la firma interna de sus ``forward``. :func:`peso_en_diagonal` mide
cuánto atiende cada cabeza a la clave que está ``k`` posiciones antes o después de la consulta.
"""

from __future__ import annotations

import numpy as np

from ..errores import ErrorDeForma, comprobar_forma
from .carga import configuracion_minilm
from .minilm import _es_tensor, _preparar

__all__ = [
    "PASOS_INCRUSTACION",
    "PASOS_CAPA",
    "pasos_incrustacion",
    "pasos_capa",
    "pasos_minilm",
    "pasos_bertmodel",
    "comparar_pasos",
    "peso_en_diagonal",
]

PASOS_INCRUSTACION = ("palabra", "posicion", "tipo", "suma", "salida")
PASOS_CAPA = ("atencion", "pesos", "residuo_atencion", "norma_atencion", "ffn_oculta", "ffn", "residuo_ffn", "salida")


def pasos_incrustacion(g, ids, inc, config) -> dict:
    """Los pasos de ``X_0 = LN(W_E[x] + W_P[0:T] + W_T[0])`` con el gemelo ``g`` (con_numpy o con_torch).

    Formas
    ------
    ids : (B, T)    palabra, suma, salida : (B, T, d_modelo)    posicion : (T, d_modelo)    tipo : (B, T, d_modelo)
    """
    T = ids.shape[-1]
    palabra = g.incrustacion_token(ids, inc["W_E"])  # (B, T, d_modelo)
    posicion = inc["W_P"][:T]  # (T, d_modelo)
    tipo = g.incrustacion_token(ids * 0, inc["W_T"])  # (B, T, d_modelo): todo el texto es el segmento 0
    suma = palabra + posicion + tipo
    salida = g.normalizacion_capa(suma, inc["gamma"], inc["beta"], config.eps)
    return {"palabra": palabra, "posicion": posicion, "tipo": tipo, "suma": suma, "salida": salida}


def pasos_capa(g, X, capa, config, relleno) -> dict:
    """Los pasos de una capa de codificador Post-LN (ec. `capa-codificador`) con el gemelo ``g``.

    Formas
    ------
    X : (B, T, d_modelo)    relleno : (B, T), True = token real
    pesos : (B, H, T, T)    ffn_oculta : (B, T, d_ffn)    los demás : (B, T, d_modelo)
    """
    A, F = capa["autoatencion"], capa["ffn"]
    pesos_mha = (A["W_q"], A["W_k"], A["W_v"], A["W_o"], config.n_cabezas, A["b_q"], A["b_k"], A["b_v"], A["b_o"])
    # 1) atención multicabeza (12 cabezas de d_k = 32) con la máscara de relleno (B, 1, 1, S)
    atencion, pesos = g.atencion_multicabeza(X, *pesos_mha, mascara=relleno[:, None, None, :], devolver_pesos=True)
    # 2) residuo y LN₁ (Post-LN: la normalización va DESPUÉS de la suma)
    residuo_atencion = X + atencion
    N1 = capa["norma_autoatencion"]
    norma_atencion = g.normalizacion_capa(residuo_atencion, N1["gamma"], N1["beta"], config.eps)
    # 3) red prealimentada por posición con GELU exacta: 384 → 1536 → 384
    ffn_oculta = g.gelu(norma_atencion @ F["W_1"].T + F["b_1"])  # (B, T, d_ffn)
    ffn = g.red_posicional(norma_atencion, F["W_1"], F["b_1"], F["W_2"], F["b_2"], config.activacion)
    # 4) residuo y LN₂
    residuo_ffn = norma_atencion + ffn
    N2 = capa["norma_ffn"]
    salida = g.normalizacion_capa(residuo_ffn, N2["gamma"], N2["beta"], config.eps)
    pasos = (atencion, pesos, residuo_atencion, norma_atencion, ffn_oculta, ffn, residuo_ffn, salida)
    return dict(zip(PASOS_CAPA, pasos))


def pasos_minilm(ids, mascara, parametros=None, gemelo="numpy", dispositivo=None) -> dict:
    """Todos los pasos de MiniLM: ``{"incrustacion": {...}, "capas": [{...}, …]}`` (6 capas).

    Parámetros
    ----------
    ids, mascara : de :func:`~transformadores.modelos_reales.tokenizar`.
    parametros : de :func:`~transformadores.modelos_reales.cargar_minilm` (None = cargarlos).
    gemelo : "numpy" o "torch"; ``dispositivo`` solo con "torch".

    La ``salida`` de la capa ``l`` es exactamente ``capa_codificador`` aplicada a la de la capa
    ``l - 1`` (``tests/oraculos/test_minilm_paso_a_paso.py``).

    Formas
    ------
    ids, mascara : (B, T)    pasos : ver :func:`pasos_incrustacion` y :func:`pasos_capa`
    """
    g, ids, mascara, parametros = _preparar(ids, mascara, parametros, gemelo, dispositivo)
    config = configuracion_minilm()
    incrustacion = pasos_incrustacion(g, ids, parametros["incrustacion"], config)
    X, capas = incrustacion["salida"], []
    for capa in parametros["codificador"]["capas"]:
        capas.append(pasos_capa(g, X, capa, config, mascara))
        X = capas[-1]["salida"]  # (B, T, d_modelo)
    return {"incrustacion": incrustacion, "capas": capas}


def _gancho(almacen: dict, clave: str, entrada: bool = False):
    """Un *forward hook* que guarda la salida (o la primera entrada) del submódulo en ``almacen[clave]``."""

    def guardar(_modulo, args, salida):
        valor = args[0] if entrada else (salida[0] if isinstance(salida, tuple) else salida)
        almacen[clave] = valor.detach()

    return guardar


def pasos_bertmodel(bert, ids, mascara) -> dict:
    """Los mismos pasos de :func:`pasos_minilm`, leídos de un ``transformers.BertModel`` (el oráculo).

    Pone ganchos en ``embeddings.*`` y en ``attention.output.dense``, ``attention.output.LayerNorm``
    (su entrada es el residuo), ``intermediate``, ``output.dense`` y ``output.LayerNorm`` de cada capa,
    ejecuta el modelo una vez y los quita. Los ``pesos`` son sus ``attentions`` (cárgalo con
    ``attn_implementation="eager"`` para que los calcule). Todo en tensores de PyTorch.

    Formas
    ------
    ids, mascara : (B, T), arreglos de NumPy o tensores    pasos : como :func:`pasos_minilm`
    """
    import torch

    ids_t = torch.as_tensor(np.asarray(ids) if not _es_tensor(ids) else ids)
    mascara_t = torch.as_tensor(np.asarray(mascara) if not _es_tensor(mascara) else mascara)
    inc: dict = {}
    capas: list[dict] = [{} for _ in bert.encoder.layer]
    emb = bert.embeddings
    objetivos = [
        (emb.word_embeddings, inc, "palabra", False),
        (emb.position_embeddings, inc, "posicion", False),
        (emb.token_type_embeddings, inc, "tipo", False),
        (emb.LayerNorm, inc, "suma", True),
        (emb.LayerNorm, inc, "salida", False),
    ]
    for capa, d in zip(bert.encoder.layer, capas):
        objetivos += [
            (capa.attention.output.dense, d, "atencion", False),
            (capa.attention.output.LayerNorm, d, "residuo_atencion", True),
            (capa.attention.output.LayerNorm, d, "norma_atencion", False),
            (capa.intermediate, d, "ffn_oculta", False),
            (capa.output.dense, d, "ffn", False),
            (capa.output.LayerNorm, d, "residuo_ffn", True),
            (capa.output.LayerNorm, d, "salida", False),
        ]
    ganchos = [m.register_forward_hook(_gancho(almacen, clave, entrada)) for m, almacen, clave, entrada in objetivos]
    try:
        with torch.no_grad():
            salida = bert(input_ids=ids_t, attention_mask=mascara_t.long(), output_attentions=True)
    finally:
        for gancho in ganchos:
            gancho.remove()
    inc["posicion"] = inc["posicion"].reshape(inc["posicion"].shape[-2:])  # (1, T, d) → (T, d)
    for d, pesos in zip(capas, salida.attentions):
        d["pesos"] = pesos  # (B, H, T, T)
    return {"incrustacion": inc, "capas": capas}


def _a_float64(x) -> np.ndarray:
    return x.detach().cpu().double().numpy() if _es_tensor(x) else np.asarray(x, dtype=np.float64)


def comparar_pasos(a: dict, b: dict, mascara) -> dict:
    """La mayor diferencia absoluta entre dos diccionarios de pasos, solo en los tokens reales.

    Los pasos de forma (B, T, …) se comparan en las posiciones con ``mascara`` True; los ``pesos``
    (B, H, T, T), en las consultas y claves reales; ``posicion`` (T, d), entera.

    Formas
    ------
    mascara : (B, T), booleana    devuelve : {paso: float}, con los pasos que están en ``a`` y en ``b``
    """
    m = np.asarray(mascara.cpu() if _es_tensor(mascara) else mascara, dtype=bool)
    diferencias = {}
    for clave in a:
        if clave not in b:
            continue
        dif = np.abs(_a_float64(a[clave]) - _a_float64(b[clave]))
        if clave == "pesos":
            dif = dif[np.broadcast_to(m[:, None, :, None] & m[:, None, None, :], dif.shape)]
        elif dif.shape[:2] == m.shape:
            dif = dif[m]
        diferencias[clave] = float(dif.max())
    return diferencias


def peso_en_diagonal(pesos, desplazamiento=-1):
    """Peso medio que cada cabeza pone en la clave ``t + desplazamiento`` de cada consulta ``t``.

    Con ``desplazamiento=-1`` mide cuánto mira cada cabeza al token anterior (una «cabeza del
    token anterior» da casi 1); con ``+1``, al siguiente; con 0, a sí mismo. Promedia sobre las
    consultas que tienen esa clave (``T - |desplazamiento|`` de ellas).

    Formas
    ------
    pesos : (..., T, T), filas = consultas    devuelve : (...)
    """
    comprobar_forma("pesos", pesos, "... T T")
    T = pesos.shape[-1]
    if isinstance(desplazamiento, bool) or not isinstance(desplazamiento, int) or not abs(desplazamiento) < T:
        raise ErrorDeForma(
            f"'desplazamiento' debe ser un entero con |desplazamiento| < T={T} (tomado de 'pesos'), "
            f"pero se recibió {desplazamiento!r}."
        )
    diagonal = np.diagonal(np.asarray(pesos), offset=desplazamiento, axis1=-2, axis2=-1)  # (..., T - |k|)
    return diagonal.mean(axis=-1)
