"""Atención clásica: aditiva de Bahdanau y multiplicativa de Luong (capítulo 2), gemelo PyTorch.

Mismos nombres, parámetros y valores devueltos que ``con_numpy.atencion_clasica``; todo
funciona en cualquier dispositivo y tipo de coma flotante.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from ..ecuaciones import implementa
from ..validacion.atencion import validar_pesos
from ..validacion.atencion_clasica import (
    validar_atencion_global_luong,
    validar_contexto_bahdanau,
    validar_energia_aditiva,
    validar_luong,
    validar_paso_bahdanau,
    validar_pesos_alineamiento,
)
from .softmax import softmax

__all__ = [
    "energia_aditiva",
    "pesos_alineamiento",
    "contexto_bahdanau",
    "paso_decodificador_bahdanau",
    "puntuacion_dot",
    "puntuacion_general",
    "puntuacion_concat",
    "atencion_global_luong",
]


def _concatenar(*partes):
    """Concatena en el último eje tras difundir las dimensiones iniciales: ``[a; b; …]``."""
    lote = torch.broadcast_shapes(*(p.shape[:-1] for p in partes))
    return torch.cat([p.expand(lote + p.shape[-1:]) for p in partes], dim=-1)


@implementa("bahdanau-energia-aditiva")
def energia_aditiva(s, H, W_a, U_a, v_a):
    """Puntuación aditiva de Bahdanau, ``v_aᵀ tanh(W_a s_{i-1} + U_a h_j)`` (ec. `bahdanau-energia-aditiva`).

    Formas
    ------
    s : (..., T_y, d_s)    H : (..., T_x, d_h)    W_a : (d_a, d_s)    U_a : (d_a, d_h)    v_a : (d_a,)
    salida : (..., T_y, T_x)
    """
    validar_energia_aditiva(s, H, W_a, U_a, v_a)
    Ws = F.linear(s, W_a)[..., :, None, :]  # (..., T_y, 1, d_a)
    Uh = F.linear(H, U_a)[..., None, :, :]  # (..., 1, T_x, d_a)
    return torch.tanh(Ws + Uh) @ v_a  # (..., T_y, T_x)


@implementa("bahdanau-pesos-alineamiento")
def pesos_alineamiento(e, mascara=None):
    """Pesos de alineamiento ``α = softmax(e)`` sobre la fuente (ec. `bahdanau-pesos-alineamiento`).

    Formas
    ------
    e : (..., T_x)    mascara : booleana (True = puede atender), difundible a la forma de ``e``
    salida : (..., T_x), cada fila suma 1 (o 0 si está vacía)
    """
    validar_pesos_alineamiento(e, mascara)
    if mascara is not None:
        e = e.masked_fill(~mascara.to(e.device), float("-inf"))
    return softmax(e, eje=-1)


@implementa("bahdanau-contexto")
def contexto_bahdanau(alfa, H):
    """Vector de contexto ``c_i = Σ_j α_ij h_j`` (ec. `bahdanau-contexto`).

    Formas
    ------
    alfa : (..., T_y, T_x)    H : (..., T_x, d_h)    salida : (..., T_y, d_h)
    """
    validar_contexto_bahdanau(alfa, H)
    return alfa @ H  # (..., T_y, d_h); con 3 dimensiones es torch.bmm


def paso_decodificador_bahdanau(s_previo, y_previo, H, W_a, U_a, v_a, W_ih, W_hh, b, W_o, b_o, mascara=None):
    """Un paso del decodificador de Bahdanau (ecs. `bahdanau-energia-aditiva` a `bahdanau-contexto`).

    ``s_i = tanh(W_ih [y_{i-1}; c_i] + W_hh s_{i-1} + b)`` es ``nn.RNNCell`` sobre ``[y_{i-1}; c_i]``.

    Formas
    ------
    s_previo : (..., d_s)    y_previo : (..., d_y)    H : (..., T_x, d_h)
    W_a : (d_a, d_s)    U_a : (d_a, d_h)    v_a : (d_a,)
    W_ih : (d_s, d_y + d_h)    W_hh : (d_s, d_s)    b : (d_s,)    W_o : (N_V, d_s + d_y + d_h)    b_o : (N_V,)
    mascara : (..., T_x), booleana; True = posición real de la fuente
    devuelve (p, s, alfa) : (..., N_V), (..., d_s), (..., T_x)
    """
    validar_paso_bahdanau(s_previo, y_previo, H, W_a, U_a, v_a, W_ih, W_hh, b, W_o, b_o, mascara)
    e = energia_aditiva(s_previo[..., None, :], H, W_a, U_a, v_a)  # (..., 1, T_x)
    alfa = pesos_alineamiento(e, None if mascara is None else mascara[..., None, :])  # (..., 1, T_x)
    c = contexto_bahdanau(alfa, H)[..., 0, :]  # (..., d_h)
    yc = _concatenar(y_previo, c)  # (..., d_y + d_h)
    s = torch.tanh(F.linear(yc, W_ih, b) + F.linear(s_previo, W_hh))  # (..., d_s)
    p = softmax(F.linear(_concatenar(s, yc), W_o, b_o))  # (..., N_V)
    return p, s, alfa[..., 0, :]


@implementa("luong-puntuacion-dot")
def puntuacion_dot(h_t, h_s):
    """Puntuación de producto escalar de Luong, ``h_tᵀ h̄_s`` (ec. `luong-puntuacion-dot`).

    Formas
    ------
    h_t : (..., T, d)    h_s : (..., S, d)    salida : (..., T, S)
    """
    validar_luong(h_t, h_s, iguales=True)
    return h_t @ h_s.transpose(-2, -1)  # (..., T, S)


@implementa("luong-puntuacion-general")
def puntuacion_general(h_t, h_s, W_a):
    """Puntuación bilineal («general») de Luong, ``h_tᵀ W_a h̄_s`` (ec. `luong-puntuacion-general`).

    Formas
    ------
    h_t : (..., T, d_t)    h_s : (..., S, d_s)    W_a : (d_t, d_s)    salida : (..., T, S)
    """
    validar_pesos(validar_luong(h_t, h_s), ("W_a", W_a, "d_t d_s"))
    K = F.linear(h_s, W_a)  # (..., S, d_t)
    return h_t @ K.transpose(-2, -1)  # (..., T, S)


@implementa("luong-puntuacion-concat")
def puntuacion_concat(h_t, h_s, W_a, v_a):
    """Puntuación por concatenación de Luong, ``v_aᵀ tanh(W_a [h_t; h̄_s])`` (ec. `luong-puntuacion-concat`).

    Formas
    ------
    h_t : (..., T, d_t)    h_s : (..., S, d_s)    W_a : (d_a, d_t + d_s)    v_a : (d_a,)
    salida : (..., T, S)
    """
    f = validar_luong(h_t, h_s)
    f.fijar("d_t+d_s", f["d_t"] + f["d_s"], "h_t y h_s")
    validar_pesos(f, ("W_a", W_a, "d_a d_t+d_s"), ("v_a", v_a, "d_a"))
    pares = _concatenar(h_t[..., :, None, :], h_s[..., None, :, :])  # (..., T, S, d_t + d_s)
    return torch.tanh(F.linear(pares, W_a)) @ v_a  # (..., T, S)


@implementa("luong-atencion-global")
def atencion_global_luong(h_t, h_s, W_c, W_s, puntuacion="dot", W_a=None, v_a=None, mascara=None):
    """Atención global de Luong (ec. `luong-atencion-global`); gemelo de ``con_numpy.atencion_global_luong``.

    ``a_t = softmax(score)``, ``c_t = Σ_s a_t(s) h̄_s``, ``h̃_t = tanh(W_c [c_t; h_t])``,
    ``p = softmax(W_s h̃_t)``.

    Formas
    ------
    h_t : (..., T, d_t)    h_s : (..., S, d_s)    W_c : (d_c, d_s + d_t)    W_s : (N_V, d_c)
    W_a : (d_t, d_s) con «general», (d_a, d_t + d_s) con «concat»    v_a : (d_a,)
    mascara : booleana, difundible a (..., T, S); True = puede atender
    devuelve (p, h_tilde, c, a) : (..., T, N_V), (..., T, d_c), (..., T, d_s), (..., T, S)
    """
    validar_atencion_global_luong(h_t, h_s, W_c, W_s, puntuacion, W_a, v_a, mascara)
    if puntuacion == "dot":
        score = puntuacion_dot(h_t, h_s)
    elif puntuacion == "general":
        score = puntuacion_general(h_t, h_s, W_a)
    else:
        score = puntuacion_concat(h_t, h_s, W_a, v_a)  # (..., T, S)
    a = pesos_alineamiento(score, mascara)  # (..., T, S)
    c = a @ h_s  # (..., T, d_s)
    h_tilde = torch.tanh(F.linear(_concatenar(c, h_t), W_c))  # (..., T, d_c)
    return softmax(F.linear(h_tilde, W_s)), h_tilde, c, a
