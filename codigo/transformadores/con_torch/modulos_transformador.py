"""Módulos de las capas y de los tres transformadores (capítulo 7): dueños de los parámetros.

Cada módulo guarda sus pesos en submódulos del capítulo 4–6 (``AtencionMultiCabeza``,
``NormalizacionCapa``, ``RedPosicional``, ``Incrustacion``, ``Desincrustacion``) con los mismos
nombres que el diccionario de parámetros de la configuración, y su ``forward`` llama a la
función gemela (``capa_codificador``, ``transformador_solo_decodificador``…) con ``parametros()``.
Así, ``parametros_a_numpy(modelo.parametros())`` hace correr los mismos pesos en ``con_numpy``, y
``cargar_parametros`` hace el camino inverso. El dropout solo actúa en ``train()``.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from ..configuracion import _ATENCION, _FFN, _NORMA
from ..validacion.transformador import validar_configuracion, validar_parametros, validar_tipo
from .capas import capa_codificador, capa_decodificador, pila_codificador
from .modulos_bloques import NormalizacionCapa, RedPosicional
from .modulos_incrustaciones import Desincrustacion, Incrustacion
from .modulos_multicabeza import AtencionMultiCabeza
from .parametros import inicializar_parametros
from .transformadores_completos import (
    clasificacion_token_cls,
    transformador_codificador_decodificador,
    transformador_solo_codificador,
    transformador_solo_decodificador,
)

__all__ = [
    "CapaCodificador",
    "CapaDecodificador",
    "TransformadorCodificadorDecodificador",
    "TransformadorSoloCodificador",
    "TransformadorSoloDecodificador",
    "parametros_a_numpy",
    "convertir_parametros",
]


def _mapear(funcion, arbol):
    if isinstance(arbol, dict):
        return {k: _mapear(funcion, v) for k, v in arbol.items()}
    if isinstance(arbol, (list, tuple)):
        return [_mapear(funcion, v) for v in arbol]
    return funcion(arbol)


def _a_numpy(t):
    if not isinstance(t, torch.Tensor):
        raise TypeError(f"'parametros' debe contener tensores de PyTorch, pero contiene un {type(t).__name__}.")
    t = t.detach().cpu()
    return (t.float() if t.dtype in (torch.bfloat16, torch.float16) else t).numpy()


def parametros_a_numpy(parametros):
    """Copia un diccionario de parámetros de PyTorch en arreglos de NumPy (mismo tipo; bfloat16 → float32).

    Formas
    ------
    parametros : árbol (dict/lista) de tensores    devuelve : el mismo árbol con arreglos de las mismas formas
    """
    return _mapear(_a_numpy, parametros)


def convertir_parametros(parametros, device=None, dtype=None):
    """Diccionario de parámetros (arreglos de NumPy o tensores) → tensores en ``device`` con tipo ``dtype``.

    Los enteros conservan su tipo; ``dtype`` None conserva el de cada hoja.

    Formas
    ------
    parametros : árbol (dict/lista) de arreglos o tensores    devuelve : el mismo árbol con tensores
    """

    def convertir(x):
        if not isinstance(x, (np.ndarray, torch.Tensor)):
            raise TypeError(f"'parametros' debe contener arreglos o tensores, pero contiene un {type(x).__name__}.")
        t = torch.from_numpy(np.ascontiguousarray(x)) if isinstance(x, np.ndarray) else x
        return t.to(device=device, dtype=dtype if t.is_floating_point() else None)

    return _mapear(convertir, parametros)


class _Tensores(nn.Module):
    """Hoja del árbol de parámetros sin módulo propio (cabeza MLM, clasificador)."""

    def __init__(self, formas: dict, fk: dict):
        super().__init__()
        for nombre, forma in formas.items():
            self.register_parameter(nombre, nn.Parameter(torch.zeros(forma, **fk)))

    def extra_repr(self) -> str:
        return ", ".join(f"{n}={tuple(p.shape)}" for n, p in self.named_parameters())


class _ConParametros(nn.Module):
    """Base común: ``parametros()`` ↔ diccionario y ``cargar_parametros``."""

    def _esquema(self) -> dict:
        raise NotImplementedError

    def parametros(self) -> dict:
        """El diccionario de parámetros con los tensores vivos del módulo (el gradiente llega a ellos)."""

        def arbol(modulo):
            if isinstance(modulo, nn.ModuleList):
                return [arbol(m) for m in modulo]
            hijos = dict(modulo.named_children())
            if hijos:
                return {n: arbol(m) for n, m in hijos.items()}
            return {**dict(modulo.named_parameters(recurse=False)), **dict(modulo.named_buffers(recurse=False))}

        return arbol(self)

    @torch.no_grad()
    def cargar_parametros(self, parametros):
        """Copia un diccionario de parámetros (NumPy o PyTorch) en el módulo; devuelve ``self``."""
        validar_parametros(parametros, self._esquema(), self.config)

        def copiar(destino, origen):
            if isinstance(destino, dict):
                for k in destino:
                    copiar(destino[k], origen[k])
            elif isinstance(destino, list):
                for d, o in zip(destino, origen):
                    copiar(d, o)
            else:
                destino.copy_(convertir_parametros(origen, destino.device, destino.dtype))

        copiar(self.parametros(), parametros)
        return self

    @classmethod
    def desde_parametros(cls, config, parametros, device=None, dtype=None):
        """Un módulo nuevo con los pesos de ``parametros``."""
        return cls(config, device=device, dtype=dtype).cargar_parametros(parametros)

    def extra_repr(self) -> str:
        c = self.config
        return f"d_modelo={c.d_modelo}, n_cabezas={c.n_cabezas}, d_ffn={c.d_ffn}, norma={c.norma!r}"


def _hijos(modulo, esquema, config, fk):
    """Crea los submódulos de ``esquema`` con los nombres del diccionario de parámetros."""
    d = config.d_modelo
    for nombre, sub in esquema.items():
        if nombre in ("autoatencion", "atencion_cruzada"):
            hijo = AtencionMultiCabeza(d, config.n_cabezas, **fk)
        elif nombre.startswith("norma"):
            hijo = NormalizacionCapa(d, config.eps, **fk)
        elif nombre == "ffn":
            hijo = RedPosicional(d, config.d_ffn, config.activacion, **fk)
        elif nombre == "incrustacion":
            hijo = Incrustacion(config.n_vocab, d, config.l_max, config.posicional, config.escalar_incrustacion,
                                config.p_dropout, **fk)  # fmt: skip
        elif nombre == "desincrustacion":
            hijo = Desincrustacion(d, config.n_vocab, **fk)
        elif nombre == "capas":
            Capa = CapaDecodificador if "atencion_cruzada" in sub[0] else CapaCodificador
            hijo = nn.ModuleList(Capa(config, **fk) for _ in sub)
        elif nombre in ("codificador", "decodificador"):
            hijo = nn.Module()
            _hijos(hijo, sub, config, fk)
        else:
            hijo = _Tensores({k: tuple(config.valor_simbolo(s) for s in v) for k, v in sub.items()}, fk)
        modulo.add_module(nombre, hijo)


class CapaCodificador(_ConParametros):
    """Capa de codificador (ec. `capa-codificador`): Post-LN o Pre-LN según ``config.norma``.

    Submódulos: ``autoatencion``, ``norma_autoatencion``, ``ffn``, ``norma_ffn``. Con la máscara
    causal es también la capa de un transformador solo decodificador.

    Formas
    ------
    X : (..., T, d_modelo)    mascara : difundible a (..., H, T, T), True = puede atender    salida : como X
    """

    def __init__(self, config, device=None, dtype=None):
        super().__init__()
        self.config = validar_configuracion(config)
        _hijos(self, self._esquema(), config, {"device": device, "dtype": dtype})

    def _esquema(self):
        return {"autoatencion": _ATENCION, "norma_autoatencion": _NORMA, "ffn": _FFN, "norma_ffn": _NORMA}

    def forward(self, X, mascara=None, rng=None):
        return capa_codificador(X, self.parametros(), self.config, mascara, rng, self.training)


class CapaDecodificador(CapaCodificador):
    """Capa de decodificador con atención cruzada (ec. `capa-decodificador`); la máscara causal va siempre.

    Submódulos: ``autoatencion``, ``norma_autoatencion``, ``atencion_cruzada``, ``norma_cruzada``,
    ``ffn``, ``norma_ffn``.

    Formas
    ------
    X : (..., T, d_modelo)    Z : (..., S, d_modelo)    mascara_Z : (..., S), True = token real
    salida : (..., T, d_modelo)
    """

    def _esquema(self):
        return {"autoatencion": _ATENCION, "norma_autoatencion": _NORMA, "atencion_cruzada": _ATENCION,
                "norma_cruzada": _NORMA, "ffn": _FFN, "norma_ffn": _NORMA}  # fmt: skip

    def forward(self, X, Z, mascara=None, mascara_Z=None, rng=None):
        return capa_decodificador(X, Z, self.parametros(), self.config, mascara, mascara_Z, rng, self.training)


class _Transformador(_ConParametros):
    _tipo = ""

    def __init__(self, config, rng=None, device=None, dtype=None):
        """``rng``: ``torch.Generator`` (CPU) para iniciar los pesos como ``inicializar_parametros``."""
        super().__init__()
        validar_tipo(config, self._tipo, type(self).__name__)
        self.config = config
        _hijos(self, self._esquema(), config, {"device": device, "dtype": dtype})
        self.cargar_parametros(inicializar_parametros(config, rng, dtype))

    def _esquema(self):
        return self.config.esquema_parametros()


class TransformadorCodificadorDecodificador(_Transformador):
    """EDTransformer (ec. `transformador-codificador-decodificador`; P&H Alg. 8).

    Formas
    ------
    z : (B, S), x : (B, T), enteros    salida : (B, T, N_V)
    """

    _tipo = "codificador-decodificador"

    def forward(self, z, x, relleno_z=None, relleno_x=None, solo_logits=False, rng=None):
        p = self.parametros()
        return transformador_codificador_decodificador(z, x, p, self.config, relleno_z, relleno_x, solo_logits, rng,
                                                       self.training)  # fmt: skip

    def codificar(self, z, relleno_z=None, rng=None):
        """La memoria ``Z`` (B, S, d_modelo): la pila del codificador."""
        return pila_codificador(z, self.parametros(), self.config, relleno_z, rng, self.training)

    def generar(self, z, bos, eos, longitud_max=None, tau=0.0, rng=None, relleno_z=None):
        """Alg. 15 de P&H (``inferencia_seq2seq``); ``tau=0`` es la decodificación voraz."""
        from .inferencia import inferencia_seq2seq

        return inferencia_seq2seq(z, self.parametros(), self.config, bos, eos, longitud_max, tau, rng, relleno_z)


class TransformadorSoloCodificador(_Transformador):
    """ETransformer / BERT (ec. `transformador-solo-codificador`; P&H Alg. 9), con cabeza MLM.

    Formas
    ------
    x : (B, T), enteros    salida : (B, T, N_V); ``clasificar``: (B, N_C)
    """

    _tipo = "solo-codificador"

    def forward(self, x, relleno=None, solo_logits=False, rng=None):
        return transformador_solo_codificador(x, self.parametros(), self.config, relleno, solo_logits, rng,
                                              self.training)  # fmt: skip

    def clasificar(self, x, relleno=None, solo_logits=False, rng=None):
        """Clasificación con el token [CLS] (ec. `clasificacion-token-cls`); necesita ``config.n_clases``."""
        return clasificacion_token_cls(x, self.parametros(), self.config, relleno, solo_logits, rng, self.training)


class TransformadorSoloDecodificador(_Transformador):
    """DTransformer / GPT-2 (ec. `transformador-solo-decodificador`; P&H Alg. 10).

    Formas
    ------
    x : (B, T), enteros    salida : (B, T, N_V)
    """

    _tipo = "solo-decodificador"

    def forward(self, x, relleno=None, solo_logits=False, rng=None):
        return transformador_solo_decodificador(x, self.parametros(), self.config, relleno, solo_logits, rng,
                                                self.training)  # fmt: skip

    def generar(self, x, n_generar, tau=1.0, k=None, p=None, rng=None, usar_cache=True):
        """Alg. 14 de P&H (``inferencia_decodificador``): ``n_generar`` tokens tras el prefijo ``x``."""
        from .inferencia import inferencia_decodificador

        return inferencia_decodificador(x, self.parametros(), self.config, n_generar, tau, k, p, rng, usar_cache)
