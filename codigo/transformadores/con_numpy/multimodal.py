"""Aprendizaje multimodal: CLIP, InfoNCE y la fusión con compuertas de Flamingo (capítulo 12).

Los pesos siguen la orientación de ``nn.Linear.weight``, (salida, entrada), y se aplican como
``x @ W.T``. El pseudocódigo de CLIP (Radford et al., 2021, fig. 3) escribe ``np.dot(I_f, W_i)``
con ``W_i`` de forma (d_i, d_e): es nuestra ``W_i`` traspuesta.
"""

from __future__ import annotations

import math

import numpy as np

from ..ecuaciones import implementa
from ..validacion.multimodal import (
    validar_clip_incrustaciones,
    validar_clip_logits,
    validar_fusion_compuerta,
    validar_infonce,
    validar_logits_cuadrados,
)
from .atencion import atencion_cruzada
from .softmax import log_softmax, softmax

__all__ = [
    "clip_incrustaciones",
    "clip_logits",
    "clip_perdida",
    "infonce",
    "clip_cero_disparos",
    "fusion_cruzada_compuerta",
]

T_INICIAL = math.log(1 / 0.07)  # t₀ de CLIP: escala inicial e^t ≈ 14.3


def _normalizar(x, eps=1e-12):
    """``x / max(‖x‖₂, eps)`` por filas, como ``F.normalize`` (un vector nulo queda nulo, sin NaN)."""
    norma = np.sqrt((x * x).sum(axis=-1, keepdims=True))  # (..., 1)
    return x / np.maximum(norma, eps)


@implementa("clip-incrustaciones-normalizadas")
def clip_incrustaciones(I_f, T_f, W_i, W_t):
    """Proyección lineal y normalización L2 de CLIP (ec. `clip-incrustaciones-normalizadas`).

    ``I_e = I_f W_iᵀ / ‖I_f W_iᵀ‖₂`` y ``T_e = T_f W_tᵀ / ‖T_f W_tᵀ‖₂``, por filas: cada
    incrustación queda en la esfera unidad del espacio común de dimensión ``d_e``. La
    proyección es **lineal**, no un MLP.

    Formas
    ------
    I_f : (..., n, d_i), rasgos del codificador de imagen    T_f : (..., m, d_t), del de texto
    W_i : (d_e, d_i)    W_t : (d_e, d_t)
    devuelve (I_e, T_e) : (..., n, d_e) y (..., m, d_e), filas de norma 1
    """
    validar_clip_incrustaciones(I_f, T_f, W_i, W_t)
    I_e = _normalizar(I_f @ W_i.T)  # (..., n, d_e)
    T_e = _normalizar(T_f @ W_t.T)  # (..., m, d_e)
    return I_e, T_e


@implementa("clip-logits-temperatura")
def clip_logits(I_e, T_e, t=T_INICIAL, escala_maxima=100.0):
    """Similitudes coseno escaladas por la temperatura aprendida (ec. `clip-logits-temperatura`).

    ``logits = I_e T_eᵀ · min(e^t, 100)``. CLIP aprende ``t`` (inicializado en ``log(1/0.07)``)
    y recorta la escala ``e^t`` en 100 para que el entrenamiento no se desestabilice.

    Formas
    ------
    I_e : (..., n, d_e)    T_e : (..., m, d_e)    t : escalar
    salida : (..., n, m); fila i = imagen i frente a todos los textos (la diagonal son los positivos)
    """
    validar_clip_logits(I_e, T_e, t, escala_maxima)
    escala = min(math.exp(float(t)), escala_maxima)
    return (I_e @ np.swapaxes(T_e, -1, -2)) * escala  # (..., n, m)


@implementa("clip-perdida-simetrica")
def clip_perdida(logits):
    """Pérdida contrastiva simétrica de CLIP (ec. `clip-perdida-simetrica`).

    Media de la entropía cruzada imagen→texto (por filas) y texto→imagen (por columnas),
    con el par correcto en la diagonal:
    ``L = ½ [-1/n Σ_i log softmax_fila(ℓ)_ii - 1/n Σ_i log softmax_columna(ℓ)_ii]``.

    Formas
    ------
    logits : (n, n)    salida : escalar

    Lanza
    -----
    ErrorDeForma si ``logits`` no es una matriz cuadrada.
    """
    validar_logits_cuadrados(logits)
    imagen_a_texto = np.diagonal(log_softmax(logits, eje=-1))  # (n,)
    texto_a_imagen = np.diagonal(log_softmax(logits, eje=0))  # (n,)
    return -(imagen_a_texto.mean() + texto_a_imagen.mean()) / 2


@implementa("infonce")
def infonce(c, X, tau=0.07):
    """InfoNCE de van den Oord et al. (2018) con similitud coseno (ec. `infonce`).

    ``L = -E[log f(x₊, c) / Σ_j f(x_j, c)]`` con ``f(x, c) = exp(cos(x, c)/τ)``: una entropía
    cruzada en la que la clase correcta es el candidato 0 (el positivo). ``log N - L`` es una
    cota inferior de la información mutua entre ``x`` y ``c``.

    Formas
    ------
    c : (..., d), contexto o ancla    X : (..., N, d), candidatos; ``X[..., 0, :]`` es el positivo
    salida : escalar, media sobre las dimensiones de lote
    """
    validar_infonce(c, X, tau)
    similitudes = np.einsum("...nd,...d->...n", _normalizar(X), _normalizar(c)) / tau  # (..., N)
    return -log_softmax(similitudes, eje=-1)[..., 0].mean()


@implementa("clip-clasificacion-cero-disparos")
def clip_cero_disparos(I_e, T_clases, t=T_INICIAL, escala_maxima=100.0):
    """Clasificación sin ejemplos con CLIP (ec. `clip-clasificacion-cero-disparos`).

    Cada clase ``c_k`` se describe con un texto («a photo of a {c_k}») cuya incrustación es
    ``T_clases[k]``; ``P(y=k | x) = softmax_k(e^t ⟨I_e, T_clases[k]⟩)``. Las dos entradas se
    normalizan aquí (si ya lo están, no cambian).

    Formas
    ------
    I_e : (..., n, d_e)    T_clases : (K, d_e)    t : escalar
    salida : (..., n, K), cada fila suma 1
    """
    validar_clip_logits(I_e, T_clases, t, escala_maxima, "T_clases", "K d_e")
    logits = clip_logits(_normalizar(I_e), _normalizar(T_clases), t, escala_maxima)  # (..., n, K)
    return softmax(logits, eje=-1)


def _ffn(y, W_1, b_1, W_2, b_2):
    """Red prealimentada por posición con ReLU: ``max(0, y W_1ᵀ + b_1) W_2ᵀ + b_2``."""
    return np.maximum(y @ W_1.T + b_1, 0.0) @ W_2.T + b_2  # (..., T, d)


@implementa("fusion-atencion-cruzada-compuerta")
def fusion_cruzada_compuerta(x, v, W_q, W_k, W_v, W_o, alfa_xattn, W_1, b_1, W_2, b_2, alfa_ffw, mascara_v=None):
    """Fusión por atención cruzada con compuertas tanh, como Flamingo (ec. `fusion-atencion-cruzada-compuerta`).

    1) ``y = x + tanh(α_xattn) · CrossAttn(x, v) W_oᵀ`` (consultas del texto, claves y valores
    visuales; reutiliza ``atencion_cruzada``, de una cabeza); 2) ``y ← y + tanh(α_ffw) · FFN(y)``.
    Con ``α = 0`` (su valor inicial) la capa es la identidad: el modelo de lenguaje preentrenado
    queda intacto al empezar. Omitimos las normalizaciones de capa previas de Flamingo y usamos
    ReLU en la FFN (Flamingo usa GELU): no cambian el papel de la compuerta.

    Formas
    ------
    x : (..., T, d), texto    v : (..., S, d_v), rasgos visuales
    W_q : (d_k, d)    W_k : (d_k, d_v)    W_v : (d_h, d_v)    W_o : (d, d_h)
    W_1 : (d_ff, d)    b_1 : (d_ff,)    W_2 : (d, d_ff)    b_2 : (d,)
    alfa_xattn, alfa_ffw : escalares    mascara_v : (..., S), booleana; True = rasgo real
    salida : (..., T, d)
    """
    validar_fusion_compuerta(x, v, W_q, W_k, W_v, W_o, alfa_xattn, W_1, b_1, W_2, b_2, alfa_ffw, mascara_v)
    a = atencion_cruzada(x, v, W_q, W_k, W_v, mascara_v) @ W_o.T  # (..., T, d)
    y = x + math.tanh(float(alfa_xattn)) * a  # math: un float de Python conserva float32
    return y + math.tanh(float(alfa_ffw)) * _ffn(y, W_1, b_1, W_2, b_2)
