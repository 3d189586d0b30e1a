"""Optimización (capítulo 8), gemelo PyTorch: descenso de gradiente, Adam/AdamW y el calendario de Vaswani.

Las reglas trabajan sobre diccionarios de parámetros completos (la estructura de
:meth:`Configuracion.esquema_parametros` o cualquier otra) y son puras: devuelven parámetros (y
estado) nuevos sin modificar los recibidos. Un gradiente ``None`` deja ese parámetro igual (p. ej.
la tabla sinusoidal ``W_P``, que no se entrena). Se calcula sin grafo (``torch.no_grad``): los
tensores devueltos no tienen historia. ``torch.optim.SGD``/``Adam``/``AdamW`` son los oráculos.
"""

from __future__ import annotations

import torch

from ..ecuaciones import implementa
from ..validacion.atencion import validar_longitud
from ..validacion.entrenamiento import mapear_arbol, validar_adam, validar_arbol, validar_numero
from ..validacion.incrustaciones import validar_entero_no_negativo

__all__ = ["descenso_gradiente", "adam", "calendario_vaswani"]


@implementa("descenso-gradiente-estocastico")
def descenso_gradiente(parametros, gradientes, eta):
    """Un paso de descenso de gradiente (ec. `descenso-gradiente-estocastico`; P&H Algs. 11–13).

    ``θ ← θ - η·∇_θ loss(θ)`` en cada hoja, como ``torch.optim.SGD(params, lr=η)``.

    Formas
    ------
    parametros : árbol (dict/lista) de tensores    gradientes : el mismo árbol (hojas None = sin cambio)
    salida : árbol nuevo con las formas de ``parametros``
    """
    validar_numero("eta", eta, 0.0)
    validar_arbol("parametros", parametros, parametros)
    validar_arbol("gradientes", gradientes, parametros, nulos=True)
    with torch.no_grad():
        return mapear_arbol(lambda p, g: p.detach() if g is None else p - eta * g, parametros, gradientes)


@implementa("adam")
@torch.no_grad()
def adam(parametros, gradientes, estado=None, eta=1e-3, beta_1=0.9, beta_2=0.98, epsilon=1e-9, decaimiento=0.0):
    """Un paso de Adam de Kingma y Ba (ec. `adam`), o de AdamW con ``decaimiento > 0``.

    ``m_t = β₁m + (1-β₁)g``, ``v_t = β₂v + (1-β₂)g²``, ``m̂ = m_t/(1-β₁ᵗ)``, ``v̂ = v_t/(1-β₂ᵗ)`` y
    ``θ_t = θ - η·m̂/(√v̂ + ε)``; AdamW resta antes ``η·λ·θ`` (decaimiento desacoplado). Los valores
    por omisión son los de Vaswani (β₂ = 0.98, ε = 1e-9), no los de ``torch.optim.Adam``.

    Parámetros
    ----------
    estado : None en el primer paso; después, el que devolvió la llamada anterior.
    eta : tasa de aprendizaje de este paso (p. ej. :func:`calendario_vaswani`).
    decaimiento : λ de AdamW (``weight_decay`` de ``torch.optim.AdamW``).

    Formas
    ------
    parametros, gradientes : el mismo árbol de tensores
    devuelve (parametros, estado) : árbol nuevo y ``{"paso": t, "m": árbol, "v": árbol}``
    """
    validar_adam(eta, beta_1, beta_2, epsilon, decaimiento, estado)
    validar_arbol("parametros", parametros, parametros)
    validar_arbol("gradientes", gradientes, parametros, nulos=True)
    if estado is None:
        ceros = mapear_arbol(torch.zeros_like, parametros)
        estado = {"paso": 0, "m": ceros, "v": ceros}
    validar_arbol("estado['m']", estado["m"], parametros)
    validar_arbol("estado['v']", estado["v"], parametros)
    t = estado["paso"] + 1
    m = mapear_arbol(lambda m, g: m if g is None else beta_1 * m + (1 - beta_1) * g, estado["m"], gradientes)
    v = mapear_arbol(lambda v, g: v if g is None else beta_2 * v + (1 - beta_2) * g * g, estado["v"], gradientes)
    c_1, c_2 = 1 - beta_1**t, 1 - beta_2**t  # corrección del sesgo hacia 0 de los momentos

    def actualizar(p, g, m, v):
        if g is None:
            return p.detach()
        p = p - eta * decaimiento * p  # AdamW: decaimiento desacoplado
        return p - eta * (m / c_1) / (torch.sqrt(v / c_2) + epsilon)

    return mapear_arbol(actualizar, parametros, gradientes, m, v), {"paso": t, "m": m, "v": v}


@implementa("calendario-calentamiento-vaswani")
def calendario_vaswani(paso, d_modelo, calentamiento=4000, factor=1.0):
    """Tasa de aprendizaje con calentamiento de Vaswani, «Noam» (ec. `calendario-calentamiento-vaswani`).

    ``η(s) = factor · d_modelo^(-1/2) · min(s^(-1/2), s·w^(-3/2))``: crece linealmente hasta
    ``s = w`` (``calentamiento``) y después decae como ``s^(-1/2)``; el pico es ``(d_modelo·w)^(-1/2)``.
    El paso 0 cuenta como el 1 (``LambdaLR`` empieza en 0). Con ``torch.optim`` se usa con ``lr=1`` y
    ``LambdaLR(opt, lambda s: calendario_vaswani(s, d_modelo))``.

    Formas
    ------
    paso : entero ≥ 0    devuelve : un número de Python
    """
    validar_entero_no_negativo("paso", paso)
    validar_longitud("d_modelo", d_modelo)
    validar_longitud("calentamiento", calentamiento)
    validar_numero("factor", factor, 0.0, incluir_min=False)
    s = max(paso, 1)
    return factor * d_modelo**-0.5 * min(s**-0.5, s * calentamiento**-1.5)
