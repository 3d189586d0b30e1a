"""Decodificación incremental con caché de claves y valores (capítulo 9) en un transformador solo decodificador.

Al generar, los tokens anteriores no cambian y, con la máscara causal, tampoco sus claves y valores
en ninguna capa: basta con guardarlos y calcular en cada paso solo los del token nuevo. El coste
por paso pasa de ``O(n²·d)`` a ``O(n·d)`` a cambio de la memoria de la caché,
``2·L·n·h_kv·d_k`` números por secuencia (K y V en cada una de las ``L`` capas; aquí ``h_kv·d_k = d_modelo``).
"""

from __future__ import annotations

import numpy as np

from ..ecuaciones import implementa
from ..validacion.inferencia import validar_cache, validar_prefijo
from ..validacion.transformador import validar_parametros, validar_tipo
from .atencion import atencion_escalada
from .capas import _ffn, _incrustar, _norma_final, _subcapa
from .mascaras import mascara_causal
from .multicabeza import proyecciones_qkv, separar_cabezas, unir_cabezas
from .transformadores_completos import _desincrustar

__all__ = ["decodificacion_con_cache"]


def _atencion_con_cache(A, config, previo, mascara, guardar):
    """Subcapa de autoatención que añade las K y V del bloque nuevo a las de la caché."""

    def atencion(u):
        Q, K, V = proyecciones_qkv(u, A["W_q"], A["W_k"], A["W_v"], A["b_q"], A["b_k"], A["b_v"])  # (..., T, d)
        if previo is not None:
            K = np.concatenate([previo["K"], K], axis=-2)  # K_{1:t} = [K_{1:t-1}; x_t W_Kᵀ] : (..., S+T, d)
            V = np.concatenate([previo["V"], V], axis=-2)  # (..., S+T, d)
        guardar.update(K=K, V=V)
        H = config.n_cabezas
        O = atencion_escalada(separar_cabezas(Q, H), separar_cabezas(K, H), separar_cabezas(V, H), mascara)
        return unir_cabezas(O) @ A["W_o"].T + A["b_o"]  # (..., T, d_modelo)

    return atencion


@implementa("cache-kv")
def decodificacion_con_cache(x, parametros, config, cache=None):
    """Un paso de decodificación incremental con caché K/V (ec. `cache-kv`).

    ``K_{1:t} = [K_{1:t-1}; x_t W_Kᵀ]``, ``V_{1:t} = [V_{1:t-1}; x_t W_Vᵀ]`` y
    ``o_t = softmax(x_t W_Qᵀ K_{1:t}ᵀ/√d_k) V_{1:t}`` en cada capa. La primera llamada (``cache=None``)
    procesa el prefijo entero; las siguientes, solo los tokens nuevos, que ocupan las posiciones
    ``S … S+T-1`` (``S`` = tokens ya en la caché). Los logits son los mismos que daría
    :func:`transformador_solo_decodificador` sobre la secuencia completa (sin dropout).

    Parámetros
    ----------
    cache : None o la que devolvió la llamada anterior: una lista con un diccionario
        ``{"K": (..., S, d_modelo), "V": (..., S, d_modelo)}`` por capa (proyecciones antes de
        separar las cabezas).

    Formas
    ------
    x : (..., T), tokens nuevos    devuelve (logits, cache) : (..., T, N_V) y la caché con S+T posiciones
    """
    validar_tipo(config, "solo-decodificador", "decodificacion_con_cache")
    validar_parametros(parametros, config.esquema_parametros(), config)
    f = validar_prefijo("x", x, config)
    S = validar_cache(cache, config, f.lotes["x"])
    X = _incrustar(x, parametros, config, None, False, inicio=S)  # posiciones S … S+T-1
    mascara = mascara_causal(f["T"], S + f["T"])  # (T, S+T): el token S+i ve las claves j ≤ S+i
    nueva = []
    for l, capa in enumerate(parametros["decodificador"]["capas"]):
        guardar = {}
        previo = None if cache is None else cache[l]
        atencion = _atencion_con_cache(capa["autoatencion"], config, previo, mascara, guardar)
        X = _subcapa(X, atencion, capa["norma_autoatencion"], config, None, False)
        X = _subcapa(X, _ffn(capa["ffn"], config), capa["norma_ffn"], config, None, False)
        nueva.append(guardar)
    X = _norma_final(X, parametros["decodificador"], config)
    return _desincrustar(X, parametros, config, True), nueva  # (..., T, N_V)
