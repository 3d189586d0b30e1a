"""Capas y pilas del transformador (capítulo 7): codificador, decodificador y sus pilas.

Cada capa es una composición de piezas de los capítulos 4–6: ``atencion_multicabeza``,
``red_posicional`` y la subcapa ``post_ln`` o ``pre_ln`` según ``config.norma``. Los pesos de
una capa llegan en un diccionario (ver :meth:`Configuracion.esquema_parametros`)::

    capa = {"autoatencion": {"W_q", "b_q", "W_k", "b_k", "W_v", "b_v", "W_o", "b_o"},
            "norma_autoatencion": {"gamma", "beta"},
            "atencion_cruzada": {...}, "norma_cruzada": {...},      # solo en el decodificador
            "ffn": {"W_1", "b_1", "W_2", "b_2"}, "norma_ffn": {"gamma", "beta"}}

Máscaras booleanas con True = «puede atender»; ``relleno`` (..., T) con True = token real.
``nn.TransformerEncoderLayer`` y ``nn.TransformerDecoderLayer`` usan la convención contraria
(``src_key_padding_mask``, ``tgt_mask``: True = prohibido). El dropout (``config.p_dropout``)
solo actúa con ``entrenando=True`` y toma el azar de ``rng``.
"""

from __future__ import annotations

from ..ecuaciones import implementa
from ..validacion.transformador import (
    validar_entrada_capa,
    validar_memoria,
    validar_pila,
)
from .bloques import post_ln, pre_ln, red_posicional
from .incrustaciones import incrustacion_inicial
from .mascaras import combinar_mascaras, mascara_aditiva, mascara_causal
from .multicabeza import atencion_multicabeza
from .normalizacion import normalizacion_capa

__all__ = ["capa_codificador", "capa_decodificador", "pila_codificador", "pila_decodificador"]


def _atencion(A, config, mascara=None, Z=None):
    """La subcapa de atención multicabeza con los pesos del diccionario ``A``."""
    pesos = (A["W_q"], A["W_k"], A["W_v"], A["W_o"], config.n_cabezas, A["b_q"], A["b_k"], A["b_v"], A["b_o"])
    return lambda u: atencion_multicabeza(u, *pesos, Z=Z, mascara=mascara)


def _ffn(F, config):
    return lambda u: red_posicional(u, F["W_1"], F["b_1"], F["W_2"], F["b_2"], config.activacion)


def _subcapa(X, subcapa, norma, config, rng, entrenando):
    """Post-LN ``LN(X + Dropout(subcapa(X)))`` o Pre-LN ``X + Dropout(subcapa(LN(X)))``."""
    envolver = post_ln if config.norma == "post" else pre_ln
    p = config.p_dropout if entrenando else 0.0
    return envolver(X, subcapa, norma["gamma"], norma["beta"], config.eps, p, rng)


def _con_causal(mascara, T):
    """La máscara causal (T, T) combinada con ``mascara`` (booleana o aditiva)."""
    causal = mascara_causal(T)
    if mascara is None:
        return causal
    if mascara.dtype == bool:
        return combinar_mascaras(causal, mascara)
    return mascara + mascara_aditiva(causal, mascara.dtype)


def _relleno_a_mascara(relleno):
    """Relleno (..., S) → máscara (..., 1, 1, S), la misma para todas las cabezas y consultas."""
    return None if relleno is None else relleno[..., None, None, :]  # (..., 1, 1, S)


@implementa("capa-codificador")
def capa_codificador(X, capa, config, mascara=None, rng=None, entrenando=False):
    """Capa de codificador (ec. `capa-codificador`; P&H Alg. 8, líneas 5–8).

    Post-LN (Vaswani, BERT): ``Z' = LN₁(Z + MHA(Z, Z, Z; M))`` y ``Z'' = LN₂(Z' + FFN(Z'))``.
    Pre-LN (``config.norma="pre"``; GPT-2): ``Z' = Z + MHA(LN₁(Z))`` y ``Z'' = Z' + FFN(LN₂(Z'))``.
    Con la máscara causal es también la capa de un transformador solo decodificador (P&H Alg. 10).

    Parámetros
    ----------
    capa : diccionario con ``autoatencion``, ``norma_autoatencion``, ``ffn`` y ``norma_ffn``.
    mascara : booleana (True = puede atender) o aditiva; p. ej. ``relleno[:, None, None, :]``.

    Formas
    ------
    X : (..., T, d_modelo)    mascara : difundible a (..., H, T, T)    salida : (..., T, d_modelo)
    """
    validar_entrada_capa(X, capa, config, mascara, cruzada=False)
    atencion = _atencion(capa["autoatencion"], config, mascara)
    X = _subcapa(X, atencion, capa["norma_autoatencion"], config, rng, entrenando)  # Z'
    return _subcapa(X, _ffn(capa["ffn"], config), capa["norma_ffn"], config, rng, entrenando)  # Z''


@implementa("capa-decodificador")
def capa_decodificador(X, Z, capa, config, mascara=None, mascara_Z=None, rng=None, entrenando=False):
    """Capa de decodificador con atención cruzada (ec. `capa-decodificador`; P&H Alg. 8, líneas 14–19).

    Post-LN: ``X' = LN₁(X + MHA(X, X, X; M_causal))``, ``X'' = LN₂(X' + MHA(X', Z, Z; M_Z))`` y
    ``X''' = LN₃(X'' + FFN(X''))``; Pre-LN pone cada LN delante de su subcapa. Las dos atenciones
    tienen pesos distintos (``autoatencion`` y ``atencion_cruzada``).

    Parámetros
    ----------
    Z : memoria, la salida de la pila del codificador.
    mascara : máscara adicional de la autoatención (se combina con la causal, que siempre está).
    mascara_Z : relleno de la memoria, True = token real de ``Z``.

    Formas
    ------
    X : (..., T, d_modelo)    Z : (..., S, d_modelo)    mascara : difundible a (..., H, T, T)
    mascara_Z : (..., S)    salida : (..., T, d_modelo)
    """
    f = validar_entrada_capa(X, capa, config, mascara, cruzada=True, Z=Z)
    validar_memoria(Z, mascara_Z, config)
    propia = _atencion(capa["autoatencion"], config, _con_causal(mascara, f["T"]))
    cruzada = _atencion(capa["atencion_cruzada"], config, _relleno_a_mascara(mascara_Z), Z=Z)
    X = _subcapa(X, propia, capa["norma_autoatencion"], config, rng, entrenando)  # X'
    X = _subcapa(X, cruzada, capa["norma_cruzada"], config, rng, entrenando)  # X''
    return _subcapa(X, _ffn(capa["ffn"], config), capa["norma_ffn"], config, rng, entrenando)  # X'''


def _incrustar(x, parametros, config, rng, entrenando, inicio=0):
    """Incrustación inicial ``E(x)·(√d si se escala) + P`` con dropout (ec. `incrustacion-inicial-suma`)."""
    inc = parametros["incrustacion"]
    p = config.p_dropout if entrenando else 0.0
    return incrustacion_inicial(x, inc["W_E"], inc["W_P"], inicio, config.escalar_incrustacion, p, rng)


def _norma_final(X, pila, config):
    final = pila.get("norma_final")
    return X if final is None else normalizacion_capa(X, final["gamma"], final["beta"], config.eps)


def pila_codificador(z, parametros, config, relleno_z=None, rng=None, entrenando=False):
    """Pila del codificador: incrustar ``z`` y aplicar las ``L_enc`` capas (P&H Alg. 8, líneas 1–8).

    ``Z_0 = E(z) + P`` y ``Z_l = Enc_l(Z_{l-1})`` (ec. `capa-codificador`), con la LN final si
    ``config.usa_norma_final``. Lo usan el codificador-decodificador y el solo codificador.

    Formas
    ------
    z : (..., S), enteros en [0, N_V)    relleno_z : (..., S), True = token real
    salida : (..., S, d_modelo)
    """
    validar_pila(parametros, config, "codificador", "z", z, relleno_z)
    Z = _incrustar(z, parametros, config, rng, entrenando)  # (..., S, d_modelo)
    mascara = _relleno_a_mascara(relleno_z)  # (..., 1, 1, S)
    for capa in parametros["codificador"]["capas"]:
        Z = capa_codificador(Z, capa, config, mascara, rng, entrenando)
    return _norma_final(Z, parametros["codificador"], config)


def pila_decodificador(x, Z, parametros, config, relleno_x=None, relleno_z=None, rng=None, entrenando=False):
    """Pila del decodificador con máscara causal (P&H Alg. 8, líneas 10–19; Alg. 10, líneas 1–10).

    Con memoria ``Z`` (codificador-decodificador) cada capa es :func:`capa_decodificador`; con
    ``Z = None`` (solo decodificador, GPT) cada capa es :func:`capa_codificador` con la máscara
    causal. Devuelve los estados ocultos, antes de la desincrustación.

    Formas
    ------
    x : (..., T), enteros    Z : (..., S, d_modelo) o None    relleno_x : (..., T)    relleno_z : (..., S)
    salida : (..., T, d_modelo)
    """
    validar_pila(parametros, config, "decodificador", "x", x, relleno_x, Z)
    X = _incrustar(x, parametros, config, rng, entrenando)  # (..., T, d_modelo)
    mascara = _relleno_a_mascara(relleno_x)  # (..., 1, 1, T) o None
    for capa in parametros["decodificador"]["capas"]:
        if Z is None:
            X = capa_codificador(X, capa, config, _con_causal(mascara, X.shape[-2]), rng, entrenando)
        else:
            X = capa_decodificador(X, Z, capa, config, mascara, relleno_z, rng, entrenando)
    return _norma_final(X, parametros["decodificador"], config)
