"""Casos de prueba del capítulo 14 (eficiencia): argumentos NumPy para cada función gemela."""

from __future__ import annotations

import numpy as np


def _qkv(rng, lote=(2, 2), T=13, S=17, d_k=8, d_v=4):
    return (
        rng.standard_normal((*lote, T, d_k)),
        rng.standard_normal((*lote, S, d_k)),
        rng.standard_normal((*lote, S, d_v)),
    )


def casos(rng):
    """Diccionario nombre[:variante] → (args, kwargs) con entradas NumPy float64."""
    z = rng.standard_normal((4, 40)) * 5
    z[1, ::3] = -np.inf  # posiciones enmascaradas
    z[2] = -np.inf  # fila vacía: ceros, nunca NaN
    Q, K, V = _qkv(rng, T=15, S=15)
    return {
        "complejidad_por_capa": ((100, 16), {"k": 5, "r": 10}),
        "flops_capa_transformer": ((128, 64), {"d_ff": 200, "B": 2}),
        "flops_entrenamiento": ((12, 768, 1024), {}),
        "memoria_atencion": ((2, 8, 100), {"m": 50, "dtype": "float16"}),
        "softmax_en_linea": ((z,), {"devolver_normalizador": True}),
        "softmax_en_linea:eje0": ((rng.standard_normal((30, 3)) * 5,), {"eje": 0}),
        "atencion_por_teselas": (_qkv(rng), {"B_r": 4, "B_c": 5}),
        "atencion_por_teselas:causal": (_qkv(rng), {"B_r": 6, "B_c": 3, "causal": True, "escala": 0.3}),
        "nucleo_elu": ((rng.standard_normal((5, 7)) * 3,), {}),
        "atencion_lineal": (_qkv(rng, lote=(2,), T=9, S=11), {}),
        "atencion_lineal_causal": (_qkv(rng, lote=(2,), T=10, S=10), {"devolver_estado": True}),
        "mascara_ventana_deslizante": ((9, 4), {}),
        "mascara_ventana_deslizante:causal": ((9, 4), {"causal": True}),
        "atencion_ventana_deslizante": ((Q, K, V, 4), {}),
        "atencion_ventana_deslizante:causal": ((Q, K, V, 5), {"causal": True}),
        "mascaras_estriadas": ((16,), {"l": 4}),
    }
