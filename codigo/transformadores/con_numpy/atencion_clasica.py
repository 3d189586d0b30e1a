"""Atención clásica: aditiva de Bahdanau y multiplicativa de Luong (capítulo 2).

Las mismas tres piezas que después tendrá el transformador: una puntuación entre el estado
del decodificador y cada estado del codificador, un softmax que la convierte en pesos y una
media ponderada. Las matrices siguen la orientación de ``nn.Linear`` (salida, entrada).
"""

from __future__ import annotations

import numpy as np

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
    lote = np.broadcast_shapes(*(p.shape[:-1] for p in partes))
    return np.concatenate([np.broadcast_to(p, lote + p.shape[-1:]) for p in partes], axis=-1)


@implementa("bahdanau-energia-aditiva")
def energia_aditiva(s, H, W_a, U_a, v_a):
    """Puntuación aditiva de Bahdanau (ec. `bahdanau-energia-aditiva`).

    ``e_ij = v_aᵀ tanh(W_a s_{i-1} + U_a h_j)``. Calculamos ``U_a h_j`` una sola vez para
    todas las consultas y difundimos la suma sobre ``(i, j)``.

    Formas
    ------
    s : (..., T_y, d_s), estados del decodificador (uno por fila)
    H : (..., T_x, d_h), estados del codificador (``d_h = 2n`` si es bidireccional)
    W_a : (d_a, d_s)    U_a : (d_a, d_h)    v_a : (d_a,)
    salida : (..., T_y, T_x)
    """
    validar_energia_aditiva(s, H, W_a, U_a, v_a)
    Ws = (s @ W_a.T)[..., :, None, :]  # (..., T_y, 1, d_a)
    Uh = (H @ U_a.T)[..., None, :, :]  # (..., 1, T_x, d_a): una vez por secuencia
    return np.tanh(Ws + Uh) @ v_a  # (..., T_y, T_x)


@implementa("bahdanau-pesos-alineamiento")
def pesos_alineamiento(e, mascara=None):
    """Pesos de alineamiento: softmax de las energías sobre la fuente (ec. `bahdanau-pesos-alineamiento`).

    ``α_ij = exp(e_ij) / Σ_k exp(e_ik)``. Es también el ``a_t(s)`` de Luong. Con ``mascara``
    (True = puede atender), las posiciones prohibidas reciben peso 0; una fila sin ninguna
    posición permitida da ceros, nunca NaN.

    Formas
    ------
    e : (..., T_x)    mascara : booleana, difundible a la forma de ``e``
    salida : (..., T_x), cada fila suma 1 (o 0 si está vacía)
    """
    validar_pesos_alineamiento(e, mascara)
    if mascara is not None:
        e = np.where(mascara, e, -np.inf)
    return softmax(e, eje=-1)


@implementa("bahdanau-contexto")
def contexto_bahdanau(alfa, H):
    """Vector de contexto ``c_i = Σ_j α_ij h_j`` (ec. `bahdanau-contexto`).

    Uno distinto para cada paso ``i`` del decodificador: ya no hay cuello de botella. Si
    las filas de ``alfa`` suman 1, cada ``c_i`` está en la envolvente convexa de los ``h_j``.

    Formas
    ------
    alfa : (..., T_y, T_x)    H : (..., T_x, d_h)    salida : (..., T_y, d_h)
    """
    validar_contexto_bahdanau(alfa, H)
    return alfa @ H  # (..., T_y, d_h)


def paso_decodificador_bahdanau(s_previo, y_previo, H, W_a, U_a, v_a, W_ih, W_hh, b, W_o, b_o, mascara=None):
    """Un paso del decodificador de Bahdanau (ecs. `bahdanau-energia-aditiva` a `bahdanau-contexto`).

    1) ``e_j = a(s_{i-1}, h_j)``; 2) ``α = softmax(e)``; 3) ``c_i = Σ_j α_j h_j``;
    4) ``s_i = f(s_{i-1}, y_{i-1}, c_i) = tanh(W_ih [y_{i-1}; c_i] + W_hh s_{i-1} + b)`` (una
    celda tanh en lugar de la GRU del artículo); 5) ``p(y_i | ·) = softmax(W_o [s_i; y_{i-1}; c_i] + b_o)``.

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
    s = np.tanh(yc @ W_ih.T + s_previo @ W_hh.T + b)  # (..., d_s)
    p = softmax(_concatenar(s, yc) @ W_o.T + b_o)  # (..., N_V)
    return p, s, alfa[..., 0, :]


@implementa("luong-puntuacion-dot")
def puntuacion_dot(h_t, h_s):
    """Puntuación de producto escalar de Luong, ``score(h_t, h̄_s) = h_tᵀ h̄_s`` (ec. `luong-puntuacion-dot`).

    Es la atención de producto escalado con ``W_q = W_k = I`` y sin dividir por ``√d``.

    Formas
    ------
    h_t : (..., T, d)    h_s : (..., S, d)    salida : (..., T, S)
    """
    validar_luong(h_t, h_s, iguales=True)
    return h_t @ np.swapaxes(h_s, -1, -2)  # (..., T, S)


@implementa("luong-puntuacion-general")
def puntuacion_general(h_t, h_s, W_a):
    """Puntuación bilineal («general») de Luong, ``h_tᵀ W_a h̄_s`` (ec. `luong-puntuacion-general`).

    Equivale al producto escalar entre ``h_t`` y las claves ``k_s = W_a h̄_s``.

    Formas
    ------
    h_t : (..., T, d_t)    h_s : (..., S, d_s)    W_a : (d_t, d_s)    salida : (..., T, S)
    """
    validar_pesos(validar_luong(h_t, h_s), ("W_a", W_a, "d_t d_s"))
    K = h_s @ W_a.T  # (..., S, d_t)
    return h_t @ np.swapaxes(K, -1, -2)  # (..., T, S)


@implementa("luong-puntuacion-concat")
def puntuacion_concat(h_t, h_s, W_a, v_a):
    """Puntuación por concatenación de Luong, ``v_aᵀ tanh(W_a [h_t; h̄_s])`` (ec. `luong-puntuacion-concat`).

    Construimos literalmente el par concatenado para cada ``(t, s)``. Partiendo
    ``W_a = [W_1 W_2]`` es la energía aditiva de Bahdanau con ``W_1`` y ``W_2``.

    Formas
    ------
    h_t : (..., T, d_t)    h_s : (..., S, d_s)    W_a : (d_a, d_t + d_s)    v_a : (d_a,)
    salida : (..., T, S)
    """
    f = validar_luong(h_t, h_s)
    f.fijar("d_t+d_s", f["d_t"] + f["d_s"], "h_t y h_s")
    validar_pesos(f, ("W_a", W_a, "d_a d_t+d_s"), ("v_a", v_a, "d_a"))
    pares = _concatenar(h_t[..., :, None, :], h_s[..., None, :, :])  # (..., T, S, d_t + d_s)
    return np.tanh(pares @ W_a.T) @ v_a  # (..., T, S)


@implementa("luong-atencion-global")
def atencion_global_luong(h_t, h_s, W_c, W_s, puntuacion="dot", W_a=None, v_a=None, mascara=None):
    """Atención global de Luong: pesos, contexto, estado atencional y salida (ec. `luong-atencion-global`).

    ``a_t = softmax(score(h_t, h̄_s))``, ``c_t = Σ_s a_t(s) h̄_s``,
    ``h̃_t = tanh(W_c [c_t; h_t])`` y ``p(y_t | y_<t, x) = softmax(W_s h̃_t)``.

    Parámetros
    ----------
    puntuacion : ``"dot"``, ``"general"`` (necesita ``W_a``) o ``"concat"`` (``W_a`` y ``v_a``).

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
    h_tilde = np.tanh(_concatenar(c, h_t) @ W_c.T)  # (..., T, d_c)
    return softmax(h_tilde @ W_s.T), h_tilde, c, a
