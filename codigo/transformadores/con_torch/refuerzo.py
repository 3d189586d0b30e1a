"""Decision Transformer y la tokenización mu-law de Gato (capítulo 13), gemelo PyTorch."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

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

    Con ``γ = 1``: ``torch.flip(torch.cumsum(torch.flip(r, [-1]), -1), [-1])``.

    Formas
    ------
    r : (..., T)    salida : (..., T)
    """
    validar_recompensas(r, gamma)
    if float(gamma) == 1.0:
        return torch.flip(torch.cumsum(torch.flip(r, [-1]), -1), [-1])  # (..., T)
    acumulado, R = torch.zeros_like(r[..., 0]), []
    for t in reversed(range(r.shape[-1])):
        acumulado = r[..., t] + float(gamma) * acumulado  # R̂_t = r_t + γ R̂_{t+1}
        R.append(acumulado)
    return torch.stack(R[::-1], dim=-1)  # (..., T)


@implementa("decision-transformer-tokens")
def decision_transformer_tokens(R, s, a, pasos, W_R, b_R, W_s, b_s, W_a, b_a, W_t):
    """Incrusta una trayectoria como ``(R̂₁, s₁, a₁, …, R̂_T, s_T, a_T)`` (ec. `decision-transformer-tokens`).

    Equivale a ``torch.stack((u_R, u_s, u_a), dim=-2).reshape(..., 3T, d)``, con ``ω_t = W_t[pasos_t]``
    sumada a los tres tokens del paso ``t``.

    Formas
    ------
    R : (..., T)    s : (..., T, d_s)    a : (..., T, d_a)    pasos : (..., T), enteros en [0, T_max)
    W_R : (d, 1)    W_s : (d, d_s)    W_a : (d, d_a)    b_R, b_s, b_a : (d,)    W_t : (T_max, d)
    salida : (..., 3T, d)
    """
    f = validar_tokens_dt(R, s, a, pasos, W_R, b_R, W_s, b_s, W_a, b_a, W_t)
    omega = F.embedding(pasos, W_t)  # (..., T, d)
    u_R = F.linear(R[..., None], W_R, b_R) + omega  # (..., T, d)
    u_s = F.linear(s, W_s, b_s) + omega  # (..., T, d)
    u_a = F.linear(a, W_a, b_a) + omega  # (..., T, d)
    tokens = torch.stack(torch.broadcast_tensors(u_R, u_s, u_a), dim=-2)  # (..., T, 3, d)
    return tokens.reshape(*tokens.shape[:-3], 3 * f["T"], f["d"])  # (..., 3T, d)


@implementa("decision-transformer-perdida")
def decision_transformer_perdida(prediccion, a, mascara=None):
    """Pérdida de predicción de acciones, leídas en los tokens ``s_t`` (ec. `decision-transformer-perdida`).

    Acciones enteras: ``F.cross_entropy``; flotantes: ``F.mse_loss`` (media por elemento).

    Formas
    ------
    prediccion : (..., 3T, d_a)    a : (..., T) enteros en [0, d_a), o (..., T, d_a) flotante
    mascara : (..., T), booleana; True = paso real    salida : escalar

    Lanza
    -----
    ErrorDeForma si la longitud de ``prediccion`` no es múltiplo de 3 o una acción discreta no está en [0, d_a).
    """
    validar_perdida_dt(prediccion, a, mascara)
    a_hat = prediccion[..., 1::3, :]  # (..., T, d_a): posiciones de los tokens s_t
    if es_entero(a):
        a = a.to(a_hat.device)
        lp = log_softmax(a_hat, eje=-1)
        por_paso = -lp.gather(-1, a[..., None].expand(*lp.shape[:-1], 1))[..., 0]  # (..., T)
    else:
        por_paso = ((a_hat - a) ** 2).mean(dim=-1)  # (..., T)
    if mascara is None:
        return por_paso.mean()
    forma = torch.broadcast_shapes(por_paso.shape, mascara.shape)
    return por_paso.expand(forma)[mascara.to(a_hat.device).expand(forma)].mean()


@implementa("decision-transformer-evaluacion")
@torch.no_grad()
def evaluar_decision_transformer(politica, entorno, s_0, d_a, R_objetivo, K, n_pasos):
    """Bucle de evaluación condicionado por el retorno objetivo (ec. `decision-transformer-evaluacion`).

    ``R̂₁ = R_objetivo``, ``a_t = politica(R̂_{≤t}, s_{≤t}, a_{<t}, pasos)`` con los ``K`` últimos
    pasos y ``R̂_{t+1} = R̂_t - r_t``. Se ejecuta sin gradientes (``torch.no_grad``).

    Parámetros
    ----------
    politica : función ``(R (k,), s (k, d_s), a (k-1, d_a), pasos (k,)) -> a_t (d_a,)``, ``k ≤ K``
    entorno : función ``(s_t, a_t) -> (s_{t+1}, r_t, terminado)``

    Formas
    ------
    s_0 : (d_s,)
    devuelve (estados, acciones, recompensas, retornos) : (n, d_s), (n, d_a), (n,), (n,)

    Lanza
    -----
    ErrorDeForma si la política devuelve una acción que no tiene forma (d_a,).
    """
    validar_evaluacion_dt(politica, entorno, s_0, d_a, R_objetivo, K, n_pasos)
    como = {"dtype": s_0.dtype, "device": s_0.device}
    R, S, A, recompensas = [float(R_objetivo)], [s_0], [], []
    for t in range(n_pasos):
        inicio = max(0, t + 1 - K)  # ventana de contexto: pasos inicio..t
        contexto_a = torch.stack(A[inicio:]) if A[inicio:] else torch.zeros(0, d_a, **como)  # (k-1, d_a)
        a_t = torch.as_tensor(
            politica(torch.tensor(R[inicio:], **como), torch.stack(S[inicio:]), contexto_a,
                     torch.arange(inicio, t + 1, device=s_0.device)),
            device=s_0.device,
        )  # fmt: skip
        if tuple(a_t.shape) != (d_a,):
            raise ErrorDeForma(
                f"'politica' debe devolver una acción de forma (d_a,) con d_a={d_a}, pero devolvió {tuple(a_t.shape)}."
            )
        s_nuevo, r_t, terminado = entorno(S[-1], a_t)
        A.append(a_t)
        recompensas.append(float(r_t))
        R.append(R[-1] - float(r_t))  # R̂_{t+1} = R̂_t - r_t
        if terminado:
            break
        S.append(torch.as_tensor(s_nuevo, **como))
    n = len(A)
    return torch.stack(S[:n]), torch.stack(A), torch.tensor(recompensas, **como), torch.tensor(R[:n], **como)


@implementa("gato-mu-law")
def codificar_mu_law(x, mu=100.0, M=256.0):
    """Codificación mu-law de Gato, ``sgn(x) log(|x|μ + 1) / log(Mμ + 1)`` (ec. `gato-mu-law`).

    Formas
    ------
    x : (...)    salida : (...), en [-1, 1] si ``|x| ≤ M``
    """
    mu, M = validar_mu_law("x", x, mu, M)
    return torch.sign(x) * torch.log1p(x.abs() * mu) / math.log1p(M * mu)


@implementa("gato-mu-law")
def decodificar_mu_law(y, mu=100.0, M=256.0):
    """Inversa de la mu-law, ``sgn(y) ((Mμ + 1)^{|y|} - 1) / μ`` (ec. `gato-mu-law`).

    Formas
    ------
    y : (...)    salida : (...)
    """
    mu, M = validar_mu_law("y", y, mu, M)
    return torch.sign(y) * torch.expm1(y.abs() * math.log1p(M * mu)) / mu


@implementa("gato-mu-law")
def reconstruir_mu_law(indices, n_intervalos=1024, mu=100.0, M=256.0, dtype=None):
    """Valor continuo de cada intervalo: la mu-law inversa de su centro (ec. `gato-mu-law`).

    Formas
    ------
    indices : (...), enteros en [0, n_intervalos)    salida : (...), ``dtype`` (el de omisión de torch)
    """
    validar_indices_mu_law(indices, n_intervalos)
    centros = -1.0 + (2 * indices.to(dtype or torch.get_default_dtype()) + 1) / n_intervalos  # (...)
    return decodificar_mu_law(centros, mu, M)


@implementa("gato-mu-law")
def discretizar_mu_law(x, n_intervalos=1024, mu=100.0, M=256.0):
    """Tokeniza valores continuos como Gato: mu-law, recorte y ``torch.bucketize`` (ec. `gato-mu-law`).

    Formas
    ------
    x : (...)    salida : (...), enteros (int64) en [0, n_intervalos)
    """
    validar_longitud("n_intervalos", n_intervalos)
    y = codificar_mu_law(x, mu, M).clamp(-1.0, 1.0)  # (...)
    i = torch.arange(1, n_intervalos, dtype=torch.float64)  # en CPU y float64: los mismos bordes que NumPy
    bordes = (-1.0 + 2.0 * i / n_intervalos).to(y.dtype).to(y.device)  # (n_intervalos - 1,)
    return torch.bucketize(y, bordes, right=True)
