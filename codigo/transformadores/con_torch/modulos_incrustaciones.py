"""Módulos de incrustación (capítulo 5): codificación sinusoidal, incrustación de entrada y desincrustación.

Envoltorios finos sobre ``con_torch.posiciones`` y ``con_torch.incrustaciones``. Para atar los pesos
de entrada y salida, la desincrustación usa **el mismo** ``nn.Parameter`` que la incrustación:
``Incrustacion.desincrustar`` o ``Desincrustacion(..., pesos=incrustacion.W_E)``.
"""

from __future__ import annotations

import torch
from torch import nn

from ..errores import ErrorDeForma, Formas, comprobar_flotante
from ..validacion.atencion import validar_longitud
from ..validacion.bloques import validar_probabilidad
from ..validacion.incrustaciones import validar_tabla_posiciones
from .bloques import dropout
from .incrustaciones import (
    desincrustacion,
    desincrustacion_atada,
    incrustacion_inicial,
    incrustacion_token,
)
from .posiciones import codificacion_posicional_sinusoidal

__all__ = ["CodificacionSinusoidal", "Incrustacion", "Desincrustacion"]

_POSICIONALES = ("aprendida", "sinusoidal", None)


class CodificacionSinusoidal(nn.Module):
    """Suma la codificación sinusoidal de Vaswani (ec. `codificacion-posicional-sinusoidal`).

    La tabla ``PE`` (l_max, d_modelo) se calcula una vez y se guarda como ``buffer`` (viaja con
    ``.to(dispositivo)``, no se guarda en el ``state_dict``).

    Formas
    ------
    x : (..., T, d_modelo)    salida : (..., T, d_modelo) = x + PE[inicio : inicio+T]
    """

    def __init__(self, d_modelo, l_max=5000, base=10000.0, device=None, dtype=None):
        super().__init__()
        PE = codificacion_posicional_sinusoidal(l_max, d_modelo, base=base, dtype=dtype)
        self.register_buffer("PE", PE.to(device), persistent=False)

    def forward(self, x, inicio=0):
        comprobar_flotante("x", x)
        Formas().comprobar("x", x, f"... T {self.PE.shape[1]}")
        T = x.shape[-2]
        validar_tabla_posiciones(T, self.PE, inicio, nombre="PE")
        return x + self.PE[inicio : inicio + T].to(x.dtype)  # (..., T, d_modelo)

    def extra_repr(self) -> str:
        return f"l_max={self.PE.shape[0]}, d_modelo={self.PE.shape[1]}"


class Incrustacion(nn.Module):
    """Incrustación de entrada: tokens más posiciones y dropout (ec. `incrustacion-inicial-suma`).

    Parámetros
    ----------
    posicional : "aprendida" (``W_P`` es un parámetro, GPT/BERT), "sinusoidal" (``W_P`` es un buffer,
        Vaswani) o None (sin posiciones absolutas: para RoPE o ALiBi).
    escalar : multiplicar la incrustación de los tokens por ``√d_modelo`` (Vaswani).
    p : dropout sobre la suma (solo en ``train()``).

    ``W_E`` (N_V, d_modelo) y ``W_P`` aprendida se inician con ``N(0, 1)``, como ``nn.Embedding``.

    Formas
    ------
    x : (..., T), enteros en [0, N_V)    salida : (..., T, d_modelo)
    """

    def __init__(self, n_vocab, d_modelo, l_max, posicional="aprendida", escalar=False, p=0.0, device=None, dtype=None):
        super().__init__()
        for nombre, n in (("n_vocab", n_vocab), ("d_modelo", d_modelo), ("l_max", l_max)):
            validar_longitud(nombre, n)
        validar_probabilidad(p)
        if posicional not in _POSICIONALES:
            raise ErrorDeForma(f"'posicional' debe ser uno de {_POSICIONALES}, pero se recibió {posicional!r}.")
        fk = {"device": device, "dtype": dtype}
        self.escalar, self.p, self.posicional = escalar, p, posicional
        self.W_E = nn.Parameter(torch.randn(n_vocab, d_modelo, **fk))
        if posicional == "aprendida":
            self.W_P = nn.Parameter(torch.randn(l_max, d_modelo, **fk))
        elif posicional == "sinusoidal":
            PE = codificacion_posicional_sinusoidal(l_max, d_modelo, dtype=dtype)
            self.register_buffer("W_P", PE.to(device), persistent=False)
        else:
            self.W_P = None

    def forward(self, x, inicio=0):
        """``inicio``: posición del primer token de ``x`` (al generar con caché)."""
        p = self.p if self.training else 0.0
        if self.W_P is None:
            return dropout(incrustacion_token(x, self.W_E, self.escalar), p)
        return incrustacion_inicial(x, self.W_E, self.W_P, inicio, self.escalar, p)

    def desincrustar(self, h, solo_logits=False):
        """Desincrustación con los pesos atados a ``W_E`` (ec. `pesos-atados`)."""
        return desincrustacion_atada(h, self.W_E, solo_logits)

    def extra_repr(self) -> str:
        N_V, d = self.W_E.shape
        return f"n_vocab={N_V}, d_modelo={d}, posicional={self.posicional!r}, escalar={self.escalar}, p={self.p}"


class Desincrustacion(nn.Module):
    """Desincrustación ``softmax(h W_uᵀ + b_u)`` (ec. `desincrustacion-softmax`), con pesos propios o atados.

    Con ``pesos=incrustacion.W_E`` el módulo **comparte** ese ``nn.Parameter`` (ec. `pesos-atados`):
    un solo tensor recibe los gradientes de las dos puntas.

    Formas
    ------
    h : (..., d_modelo)    salida : (..., N_V)
    """

    def __init__(self, d_modelo, n_vocab, sesgo=False, pesos=None, device=None, dtype=None):
        super().__init__()
        validar_longitud("d_modelo", d_modelo)
        validar_longitud("n_vocab", n_vocab)
        fk = {"device": device, "dtype": dtype}
        if pesos is None:
            pesos = nn.Parameter(torch.randn(n_vocab, d_modelo, **fk) / d_modelo**0.5)
        elif not isinstance(pesos, nn.Parameter):
            raise TypeError(f"'pesos' debe ser un nn.Parameter (para atarlo), pero se recibió {type(pesos).__name__}.")
        Formas().comprobar("pesos", pesos, f"{n_vocab} {d_modelo}")
        self.W_u = pesos
        self.b_u = nn.Parameter(torch.zeros(n_vocab, **fk)) if sesgo else None

    def forward(self, h, solo_logits=False):
        return desincrustacion(h, self.W_u, self.b_u, solo_logits)
