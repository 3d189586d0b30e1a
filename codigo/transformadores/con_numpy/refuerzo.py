"""Aprendizaje por refuerzo como modelado de secuencias: Decision Transformer y Gato (capítulo 13).

Una trayectoria ``(R̂₁, s₁, a₁, R̂₂, s₂, a₂, …)`` se convierte en una secuencia de tokens que un
transformador causal (ec. `transformador-solo-decodificador`) modela como si fuera texto.
"""

from __future__ import annotations

import math

import numpy as np

from ..ecuaciones import implementa
from ..errores import ErrorDeForma
from ..validacion.atencion import validar_longitud
from ..validacion.refuerzo import (
    es_entero,
    validar_evaluacion_dt,
    validar_indices_mu_law,
    validar_mu_law,
    validar_perdida_dt,
    validar_recompensas,
    validar_tokens_dt,
)
from .softmax import log_softmax

__all__ = [
    "retorno_por_obtener",
    "decision_transformer_tokens",
    "decision_transformer_perdida",
    "evaluar_decision_transformer",
    "codificar_mu_law",
    "decodificar_mu_law",
    "reconstruir_mu_law",
    "discretizar_mu_law",
]


@implementa("retorno-por-obtener")
def retorno_por_obtener(r, gamma=1.0):
    """Retorno por obtener ``R̂_t = Σ_{t'≥t} γ^{t'-t} r_{t'}`` (ec. `retorno-por-obtener`).

    Decision Transformer no descuenta (``γ = 1``): es la suma acumulada de las recompensas
    leída de derecha a izquierda. Con ``γ < 1`` usamos la recurrencia ``R̂_t = r_t + γ R̂_{t+1}``.

    Formas
    ------
    r : (..., T), recompensas    salida : (..., T); ``salida[..., 0]`` es el retorno total
    """
    validar_recompensas(r, gamma)
    if float(gamma) == 1.0:
        return np.cumsum(r[..., ::-1], axis=-1)[..., ::-1]  # (..., T)
    R = np.empty_like(r)
    acumulado = np.zeros_like(r[..., 0])  # (...,) retorno desde el final
    for t in reversed(range(r.shape[-1])):
        acumulado = r[..., t] + float(gamma) * acumulado  # R̂_t = r_t + γ R̂_{t+1}
        R[..., t] = acumulado
    return R


@implementa("decision-transformer-tokens")
def decision_transformer_tokens(R, s, a, pasos, W_R, b_R, W_s, b_s, W_a, b_a, W_t):
    """Incrusta una trayectoria como ``(R̂₁, s₁, a₁, …, R̂_T, s_T, a_T)`` (ec. `decision-transformer-tokens`).

    ``u^R_t = W_R R̂_t + b_R + ω_t``, ``u^s_t = W_s s_t + b_s + ω_t``, ``u^a_t = W_a a_t + b_a + ω_t``,
    donde ``ω_t = W_t[pasos_t]`` es la incrustación aprendida **del paso temporal**: la misma para
    los tres tokens de un paso (no es una posición por token). Los tokens se intercalan: el
    ``3t`` es ``R̂_t``, el ``3t+1`` es ``s_t`` y el ``3t+2`` es ``a_t``. Para acciones discretas,
    pasa ``a`` en one-hot. Después, Decision Transformer aplica una normalización de capa.

    Formas
    ------
    R : (..., T)    s : (..., T, d_s)    a : (..., T, d_a)    pasos : (..., T), enteros en [0, T_max)
    W_R : (d, 1)    W_s : (d, d_s)    W_a : (d, d_a)    b_R, b_s, b_a : (d,)    W_t : (T_max, d)
    salida : (..., 3T, d)
    """
    f = validar_tokens_dt(R, s, a, pasos, W_R, b_R, W_s, b_s, W_a, b_a, W_t)
    omega = W_t[pasos]  # (..., T, d)
    u_R = R[..., None] @ W_R.T + b_R + omega  # (..., T, d)
    u_s = s @ W_s.T + b_s + omega  # (..., T, d)
    u_a = a @ W_a.T + b_a + omega  # (..., T, d)
    tokens = np.stack(np.broadcast_arrays(u_R, u_s, u_a), axis=-2)  # (..., T, 3, d)
    return tokens.reshape(*tokens.shape[:-3], 3 * f["T"], f["d"])  # (..., 3T, d)


@implementa("decision-transformer-perdida")
def decision_transformer_perdida(prediccion, a, mascara=None):
    """Pérdida de predicción de acciones de Decision Transformer (ec. `decision-transformer-perdida`).

    La acción ``â_t`` se lee de la salida en la posición del token ``s_t`` (la ``3t+1``): con
    máscara causal, ese token ya ha visto ``R̂_{≤t}``, ``s_{≤t}`` y ``a_{<t}``, pero no ``a_t``.
    Si ``a`` es entera (acciones discretas), ``prediccion`` son logits y la pérdida es la
    entropía cruzada; si es flotante (continuas), es el error cuadrático medio por elemento
    (como ``F.mse_loss``: la fórmula ``1/K Σ ‖â_t - a_t‖²`` dividida por ``d_a``).

    Formas
    ------
    prediccion : (..., 3T, d_a), la salida de la cabeza de acciones en todos los tokens
    a : (..., T) enteros en [0, d_a), o (..., T, d_a) flotante
    mascara : (..., T), booleana; True = paso real (los de relleno no cuentan)
    salida : escalar

    Lanza
    -----
    ErrorDeForma si la longitud de ``prediccion`` no es múltiplo de 3 o una acción discreta no está en [0, d_a).
    """
    validar_perdida_dt(prediccion, a, mascara)
    a_hat = prediccion[..., 1::3, :]  # (..., T, d_a): posiciones de los tokens s_t
    if es_entero(a):
        por_paso = -np.take_along_axis(log_softmax(a_hat, eje=-1), a[..., None], axis=-1)[..., 0]  # (..., T)
    else:
        por_paso = ((a_hat - a) ** 2).mean(axis=-1)  # (..., T)
    if mascara is None:
        return por_paso.mean()
    return np.broadcast_to(por_paso, np.broadcast_shapes(por_paso.shape, mascara.shape))[mascara].mean()


def _comprobar_accion(a_t, d_a):
    if tuple(a_t.shape) != (d_a,):
        raise ErrorDeForma(
            f"'politica' debe devolver una acción de forma (d_a,) con d_a={d_a}, pero devolvió {tuple(a_t.shape)}."
        )


@implementa("decision-transformer-evaluacion")
def evaluar_decision_transformer(politica, entorno, s_0, d_a, R_objetivo, K, n_pasos):
    """Bucle de evaluación condicionado por el retorno objetivo (ec. `decision-transformer-evaluacion`).

    ``R̂₁ = R_objetivo``; en cada paso ``a_t = politica(R̂_{≤t}, s_{≤t}, a_{<t}, pasos)`` con el
    contexto truncado a los ``K`` últimos pasos; el entorno devuelve ``(s_{t+1}, r_t, terminado)`` y
    el objetivo se actualiza con ``R̂_{t+1} = R̂_t - r_t``: pedimos lo que aún falta por conseguir.

    Parámetros
    ----------
    politica : función ``(R (k,), s (k, d_s), a (k-1, d_a), pasos (k,)) -> a_t (d_a,)``, ``k ≤ K``
    entorno : función ``(s_t, a_t) -> (s_{t+1}, r_t, terminado)``

    Formas
    ------
    s_0 : (d_s,)
    devuelve (estados, acciones, recompensas, retornos) : (n, d_s), (n, d_a), (n,), (n,);
    ``n ≤ n_pasos`` pasos jugados y ``retornos`` = ``R̂₁ … R̂_n``

    Lanza
    -----
    ErrorDeForma si la política devuelve una acción que no tiene forma (d_a,).
    """
    validar_evaluacion_dt(politica, entorno, s_0, d_a, R_objetivo, K, n_pasos)
    R, S, A, recompensas = [float(R_objetivo)], [s_0], [], []
    for t in range(n_pasos):
        inicio = max(0, t + 1 - K)  # ventana de contexto: pasos inicio..t
        contexto_a = np.stack(A[inicio:]) if A[inicio:] else np.zeros((0, d_a), s_0.dtype)  # (k-1, d_a)
        a_t = np.asarray(politica(np.asarray(R[inicio:], s_0.dtype), np.stack(S[inicio:]), contexto_a,
                                  np.arange(inicio, t + 1)))  # fmt: skip
        _comprobar_accion(a_t, d_a)
        s_nuevo, r_t, terminado = entorno(S[-1], a_t)
        A.append(a_t)
        recompensas.append(float(r_t))
        R.append(R[-1] - float(r_t))  # R̂_{t+1} = R̂_t - r_t
        if terminado:
            break
        S.append(np.asarray(s_nuevo, s_0.dtype))
    n = len(A)
    return np.stack(S[:n]), np.stack(A), np.asarray(recompensas, s_0.dtype), np.asarray(R[:n], s_0.dtype)


@implementa("gato-mu-law")
def codificar_mu_law(x, mu=100.0, M=256.0):
    """Codificación mu-law de Gato, ``F(x) = sgn(x) log(|x|μ + 1) / log(Mμ + 1)`` (ec. `gato-mu-law`).

    Comprime valores continuos de ``[-M, M]`` en ``[-1, 1]``, con más resolución cerca de 0.

    Formas
    ------
    x : (...)    salida : (...), en [-1, 1] si ``|x| ≤ M``
    """
    mu, M = validar_mu_law("x", x, mu, M)
    return np.sign(x) * np.log1p(np.abs(x) * mu) / math.log1p(M * mu)


@implementa("gato-mu-law")
def decodificar_mu_law(y, mu=100.0, M=256.0):
    """Inversa de la mu-law, ``x = sgn(y) ((Mμ + 1)^{|y|} - 1) / μ`` (ec. `gato-mu-law`).

    Formas
    ------
    y : (...)    salida : (...)
    """
    mu, M = validar_mu_law("y", y, mu, M)
    return np.sign(y) * np.expm1(np.abs(y) * math.log1p(M * mu)) / mu


@implementa("gato-mu-law")
def reconstruir_mu_law(indices, n_intervalos=1024, mu=100.0, M=256.0, dtype=None):
    """Valor continuo de cada intervalo: la mu-law inversa de su centro (ec. `gato-mu-law`).

    Formas
    ------
    indices : (...), enteros en [0, n_intervalos)    salida : (...), ``dtype`` (float64 por omisión)
    """
    validar_indices_mu_law(indices, n_intervalos)
    centros = -1.0 + (2 * indices.astype(dtype or np.float64) + 1) / n_intervalos  # (...)
    return decodificar_mu_law(centros, mu, M)


@implementa("gato-mu-law")
def discretizar_mu_law(x, n_intervalos=1024, mu=100.0, M=256.0):
    """Tokeniza valores continuos como Gato (ec. `gato-mu-law`).

    Codificamos con la mu-law, recortamos a [-1, 1] y partimos [-1, 1] en ``n_intervalos``
    intervalos uniformes; el índice del intervalo es el token.

    Gato usa ``μ = 100``, ``M = 256`` y 1024 intervalos uniformes, y después desplaza los índices
    para que no se solapen con los tokens de texto (suma 32000).

    Formas
    ------
    x : (...)    salida : (...), enteros (int64) en [0, n_intervalos)
    """
    validar_longitud("n_intervalos", n_intervalos)
    y = np.clip(codificar_mu_law(x, mu, M), -1.0, 1.0)  # (...)
    bordes = (-1.0 + 2.0 * np.arange(1, n_intervalos) / n_intervalos).astype(y.dtype)  # (n_intervalos - 1,)
    return np.searchsorted(bordes, y, side="right").astype(np.int64)
