"""Casos de los capítulos 7–9: configuraciones diminutas, parámetros y datos NumPy, y un fixture de un hilo."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from paridad.casos_cap04 import comparar
from transformadores import con_numpy
from transformadores.configuracion import Configuracion
from utiles import a_numpy

N_V = 11
PEQUENA = {"l_max": 16, "d_modelo": 8, "n_cabezas": 2, "d_ffn": 16, "p_dropout": 0.0}


def config_ed(**cambios) -> Configuracion:
    """Codificador-decodificador diminuto (Vaswani: Post-LN, ReLU, sinusoidal, pesos atados)."""
    return Configuracion(n_vocab=N_V, n_capas_codificador=2, n_capas_decodificador=2, **{**PEQUENA, **cambios})


def config_bert(**cambios) -> Configuracion:
    """Solo codificador diminuto (BERT: Post-LN, GELU, posiciones aprendidas) con 3 clases."""
    return Configuracion.bert(N_V, n_capas_codificador=2, n_clases=3, **{**PEQUENA, "eps": 1e-5, **cambios})


def config_gpt(**cambios) -> Configuracion:
    """Solo decodificador diminuto (GPT-2: Pre-LN con LN final, GELU tanh)."""
    return Configuracion.gpt2(N_V, n_capas_decodificador=2, **{**PEQUENA, **cambios})


CONFIGS = {
    "ed-post": config_ed(),
    "ed-pre-sin-atar": config_ed(norma="pre", atar_pesos=False, activacion="gelu"),
    "bert": config_bert(),
    "bert-pre": config_bert(norma="pre"),
    "gpt": config_gpt(),
    "gpt-post-sin-atar": config_gpt(norma="post", atar_pesos=False, posicional="sinusoidal"),
}


def parametros(config, semilla=0):
    """Parámetros NumPy float64, con LN no triviales (para que las comparaciones distingan γ y β)."""
    rng = np.random.default_rng(semilla)
    return _sin_trivial(con_numpy.inicializar_parametros(config, rng), rng)


def _sin_trivial(nodo, rng, nombre=""):
    if isinstance(nodo, dict):
        return {k: _sin_trivial(v, rng, k) for k, v in nodo.items()}
    if isinstance(nodo, list):
        return [_sin_trivial(v, rng, nombre) for v in nodo]
    if nombre in ("gamma", "beta") or nombre.startswith("b_"):
        return nodo + 0.3 * rng.standard_normal(nodo.shape)
    return nodo


def tokens(rng, *forma, n_vocab=N_V):
    return rng.integers(0, n_vocab, forma)


def relleno(longitudes, T):
    """(B, T) booleana, True = token real, a partir de las longitudes."""
    return np.arange(T) < np.asarray(longitudes)[:, None]


def enumerar(n_vocab, longitud):
    """Todas las secuencias de ``longitud`` tokens, (n_vocab**longitud, longitud)."""
    return np.stack(np.meshgrid(*[np.arange(n_vocab)] * longitud, indexing="ij"), -1).reshape(-1, longitud)


def comparar_arbol(esperado, obtenido, **tol):
    """Compara árboles (dict, lista, tupla) NumPy ↔ PyTorch; enteros y booleanos, exactos."""
    if isinstance(esperado, dict):
        assert set(esperado) == set(obtenido)
        for k in esperado:
            comparar_arbol(esperado[k], obtenido[k], **tol)
    elif isinstance(esperado, (list, tuple)):
        assert len(esperado) == len(obtenido)
        for e, o in zip(esperado, obtenido):
            comparar_arbol(e, o, **tol)
    elif isinstance(esperado, np.ndarray) and esperado.dtype.kind in "biu":
        np.testing.assert_array_equal(a_numpy(obtenido), esperado)
    elif isinstance(esperado, float) and isinstance(obtenido, float):
        assert obtenido == pytest.approx(esperado, rel=tol.get("rtol", 0) or 1e-6, abs=tol.get("atol", 0))
    else:
        comparar(np.asarray(esperado), obtenido, **tol)


@pytest.fixture
def un_hilo():
    """Un hilo de PyTorch durante la prueba: los modelos diminutos van más rápido y no compiten por la CPU."""
    previos = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(previos)
