"""Normas de las activaciones y de los gradientes capa a capa en pilas Post-LN y Pre-LN (capítulo 6).

Xiong et al. (2020) analizan el transformador en su inicialización: con Post-LN, los gradientes de
las capas cercanas a la salida son grandes y por eso hace falta calentar la tasa de aprendizaje;
con Pre-LN, el flujo residual crece con la profundidad y los gradientes se reparten por igual entre
las capas. Aquí lo **medimos** en pilas de los bloques del paquete (``AtencionMultiCabeza``,
``RedPosicional`` y ``ConexionResidual``), con una pérdida de entropía cruzada sobre etiquetas
aleatorias leídas con una proyección lineal fija.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ..con_torch.modulos_bloques import ConexionResidual, NormalizacionCapa, RedPosicional
from ..con_torch.modulos_multicabeza import AtencionMultiCabeza
from ..validacion.atencion import validar_longitud

__all__ = ["PilaBloques", "normas_por_capa"]


class PilaBloques(nn.Module):
    """``n_capas`` capas de codificador: autoatención y red posicional, cada una en su ``ConexionResidual``.

    Con ``pre_ln=False`` cada subcapa es ``LN(x + Subcapa(x))`` (ec. `post-ln`); con ``pre_ln=True``,
    ``x + Subcapa(LN(x))`` (ec. `pre-ln`) y una LN final tras la última capa.

    Formas
    ------
    X : (..., T, d_modelo)    salida : (..., T, d_modelo)    capas : lista de n_capas tensores como X
    """

    def __init__(self, n_capas, d_modelo=64, n_cabezas=4, d_ff=None, pre_ln=False, activacion="relu", dtype=None):
        super().__init__()
        validar_longitud("n_capas", n_capas)
        d_ff = 4 * d_modelo if d_ff is None else d_ff
        self.pre_ln = bool(pre_ln)
        fk = {"dtype": dtype}
        self.atenciones = nn.ModuleList(AtencionMultiCabeza(d_modelo, n_cabezas, **fk) for _ in range(n_capas))
        self.redes = nn.ModuleList(RedPosicional(d_modelo, d_ff, activacion, **fk) for _ in range(n_capas))
        self.residuos = nn.ModuleList(ConexionResidual(d_modelo, self.pre_ln, **fk) for _ in range(2 * n_capas))
        self.norma_final = NormalizacionCapa(d_modelo, **fk) if self.pre_ln else None

    def capa(self, l: int) -> list[nn.Module]:
        """Los módulos de la capa ``l`` (desde 0): atención, red posicional y sus dos conexiones residuales."""
        return [self.atenciones[l], self.redes[l], self.residuos[2 * l], self.residuos[2 * l + 1]]

    def forward(self, X, devolver_capas=False):
        capas = []
        for l, (atencion, red) in enumerate(zip(self.atenciones, self.redes)):
            X = self.residuos[2 * l](X, atencion)
            X = self.residuos[2 * l + 1](X, red)
            capas.append(X)  # flujo residual tras la capa l
        salida = X if self.norma_final is None else self.norma_final(X)
        return (salida, capas) if devolver_capas else salida


def _rms(x) -> float:
    return x.pow(2).mean().sqrt().item()


def _norma_gradiente(modulos) -> float:
    """Norma de Frobenius del gradiente de todos los parámetros de ``modulos``, juntos."""
    return sum(p.grad.pow(2).sum() for m in modulos for p in m.parameters()).sqrt().item()


def normas_por_capa(n_capas, pre_ln, semillas=(0, 1, 2), d_modelo=64, n_cabezas=4, lote=8, longitud=16, n_clases=32):
    """Mide en la inicialización, capa a capa, el tamaño del flujo residual y el del gradiente.

    Para cada semilla: una pila nueva (``float64``), una entrada ``X ~ N(0, 1)``, una lectura fija
    ``W_u ~ N(0, 1/d_modelo)`` y etiquetas aleatorias; pérdida = entropía cruzada.

    Devuelve
    --------
    dict con ``activacion`` (L,): RMS del flujo residual tras cada capa; ``gradiente`` (L,): norma
    de Frobenius del gradiente de todos los parámetros de cada capa; ``gradiente_entrada``: norma
    del gradiente respecto de ``X``; y ``perdida``. Todo promediado sobre las semillas.
    """
    validar_longitud("n_capas", n_capas)
    activacion, gradiente, entrada, perdidas = [], [], [], []
    for semilla in semillas:
        torch.manual_seed(semilla)
        pila = PilaBloques(n_capas, d_modelo, n_cabezas, pre_ln=pre_ln, dtype=torch.float64)
        X = torch.randn(lote, longitud, d_modelo, dtype=torch.float64, requires_grad=True)  # (B, T, d_modelo)
        W_u = torch.randn(n_clases, d_modelo, dtype=torch.float64) / d_modelo**0.5
        etiquetas = torch.randint(n_clases, (lote, longitud))
        salida, capas = pila(X, devolver_capas=True)
        perdida = F.cross_entropy((salida @ W_u.T).flatten(0, 1), etiquetas.flatten())
        perdida.backward()
        activacion.append([_rms(h.detach()) for h in capas])
        gradiente.append([_norma_gradiente(pila.capa(l)) for l in range(n_capas)])
        entrada.append(X.grad.norm().item())
        perdidas.append(perdida.item())
    return {
        "activacion": np.mean(activacion, axis=0),
        "gradiente": np.mean(gradiente, axis=0),
        "gradiente_entrada": float(np.mean(entrada)),
        "perdida": float(np.mean(perdidas)),
    }
