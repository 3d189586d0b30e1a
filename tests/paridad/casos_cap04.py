"""Casos de prueba del capítulo 4: argumentos NumPy para cada función gemela, y una comparación común."""

from __future__ import annotations

import inspect

import numpy as np
from utiles import a_numpy


def comparar(esperado, obtenido, **tol):
    """Compara (recursivamente) el resultado NumPy con el de PyTorch, forma incluida."""
    if isinstance(esperado, tuple):
        assert isinstance(obtenido, tuple) and len(obtenido) == len(esperado)
        for e, o in zip(esperado, obtenido):
            comparar(e, o, **tol)
        return
    obtenido = a_numpy(obtenido)
    assert np.shape(obtenido) == np.shape(esperado)
    np.testing.assert_allclose(obtenido, esperado, **tol)


def firmas_iguales(modulo_numpy, modulo_torch):
    """Los dos gemelos exportan los mismos nombres con las mismas firmas."""
    assert modulo_numpy.__all__ == modulo_torch.__all__
    for nombre in modulo_numpy.__all__:
        a, b = getattr(modulo_numpy, nombre), getattr(modulo_torch, nombre)
        assert inspect.signature(a) == inspect.signature(b), nombre


def _n(rng, *forma):
    return rng.standard_normal(forma)


def casos(rng):
    """Diccionario caso → (función, id, args, kwargs) con entradas NumPy float64."""
    B, T, S, d_x, d_z = 2, 5, 7, 8, 6
    X, Z = _n(rng, B, T, d_x), _n(rng, B, S, d_z)
    causal = np.tril(np.ones((T, T), bool))
    relleno = (np.arange(T) < np.array([T, 3])[:, None])[:, None, None, :]  # (B, 1, 1, T)
    relleno_Z = (np.arange(S) < np.array([S, 2])[:, None])[:, None, None, :]  # (B, 1, 1, S)
    H, d_k, d_v, d_out = 2, 3, 4, 10
    mha = (_n(rng, H * d_k, d_x), _n(rng, H * d_k, d_x), _n(rng, H * d_v, d_x), _n(rng, d_out, H * d_v), H)
    sesgos = {"b_q": _n(rng, H * d_k), "b_k": _n(rng, H * d_k), "b_v": _n(rng, H * d_v), "b_o": _n(rng, d_out)}
    cruzada = (_n(rng, H * d_k, d_x), _n(rng, H * d_k, d_z), _n(rng, H * d_v, d_z), _n(rng, d_out, H * d_v), H)
    G, G_kv = 4, 2
    gqa = (_n(rng, G * 2, d_x), _n(rng, G_kv * 2, d_x), _n(rng, G_kv * 3, d_x), _n(rng, d_x, G * 3), G, G_kv)
    alg5 = (
        _n(rng, 3, 4, d_x), _n(rng, 3, 4), _n(rng, 3, 4, d_z), _n(rng, 3, 4),
        _n(rng, 3, 5, d_z), _n(rng, 3, 5), _n(rng, 6, 15), _n(rng, 6),
    )  # fmt: skip
    return {
        "proyecciones_qkv": (
            "proyecciones_qkv", "proyecciones-qkv",
            (X, _n(rng, 6, d_x), _n(rng, 6, d_z), _n(rng, 4, d_z), _n(rng, 6), _n(rng, 6), _n(rng, 4)), {"Z": Z},
        ),
        "separar_cabezas": ("separar_cabezas", "atencion-multicabeza", (_n(rng, B, T, 12), 3), {}),
        "unir_cabezas": ("unir_cabezas", "atencion-multicabeza", (_n(rng, B, 3, T, 4),), {}),
        "multicabeza": (
            "atencion_multicabeza", "atencion-multicabeza", (X, *mha), {**sesgos, "mascara": causal & relleno}
        ),
        "multicabeza_pesos": (
            "atencion_multicabeza", "atencion-multicabeza", (X, *mha),
            {**sesgos, "mascara": causal, "devolver_pesos": True},
        ),
        "multicabeza_cruzada": (
            "atencion_multicabeza", "atencion-multicabeza", (X, *cruzada), {"Z": Z, "mascara": relleno_Z}
        ),
        "consultas_agrupadas": (
            "atencion_consultas_agrupadas", "atencion-consultas-agrupadas", (X, *gqa),
            {"mascara": causal, "devolver_pesos": True},
        ),
        "algoritmo_5": (
            "multicabeza_algoritmo_5", "multicabeza-algoritmo-5", (X, *alg5), {"Z": Z, "mascara": relleno_Z[:, 0]}
        ),
        "parametros": ("multicabeza_parametros", "multicabeza-parametros", (512, 8), {"d_z": 300}),
    }  # fmt: skip
