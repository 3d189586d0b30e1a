"""Ejercicios del capítulo 14: el coste de la atención (softmax en línea, memoria, FLOPs y patrones dispersos)."""

from __future__ import annotations

import numpy as np

from .. import con_numpy as cn
from .tipos import Caso, Ejercicio, ErrorTipico, ejercicio_de_valor, normal

__all__ = ["EJERCICIOS"]
F32 = np.float32


# --- coste-softmax-en-linea ----------------------------------------------------------------------------------------
def _casos_softmax(rng) -> list[Caso]:
    return [
        Caso("10 puntuaciones", (normal(rng, 10),)),
        Caso("un lote (2, 3, 8), en float32", (normal(rng, 2, 3, 8, dtype=F32),)),
        Caso("una sola puntuación", (normal(rng, 1),)),
        Caso("puntuaciones grandes (×100), lote (4, 12)", (normal(rng, 4, 12, escala=100),)),
        Caso("puntuaciones muy negativas (alrededor de -1000)", (normal(rng, 3, 6) - 1000,)),
    ]


@np.errstate(all="ignore")
def _softmax_mal(z, fallo):
    m = np.full(z.shape[:-1], 0.0 if fallo == "m0" else -np.inf, dtype=z.dtype)
    d = np.zeros(z.shape[:-1], dtype=z.dtype)
    for j in range(z.shape[-1]):
        m_nuevo = np.maximum(m, z[..., j])
        d = (d if fallo == "sin reescalar" else d * np.exp(m - m_nuevo)) + np.exp(z[..., j] - m_nuevo)
        m = m_nuevo
    parcial = np.maximum.accumulate(z, axis=-1)  # el máximo visto hasta cada posición
    return np.exp(z - (parcial if fallo == "parcial" else m[..., None])) / d[..., None]


# --- coste-pendiente-pares -----------------------------------------------------------------------------------------
def _mascara(patron, T, w):
    if patron == "completa":
        return cn.mascara_causal(T)
    if patron == "ventana":
        return cn.mascara_ventana_deslizante(T, w, causal=True)
    local, estriada = cn.mascaras_estriadas(T)  # l = ⌈√T⌉
    return local | estriada


def _pendiente(patron, longitudes, w, fallo=None):
    pares = np.array([_mascara(patron, int(T), w).size if fallo == "tamaño" else _mascara(patron, int(T), w).sum()
                      for T in longitudes], dtype=float)  # fmt: skip
    if fallo == "invertida":
        return np.polyfit(np.log(pares), np.log(longitudes), 1)[0]
    if fallo == "sin logaritmos":
        return np.polyfit(np.asarray(longitudes, dtype=float), pares, 1)[0]
    x = np.log10(longitudes) if fallo == "bases" else np.log(longitudes)
    return np.polyfit(x, np.log(pares), 1)[0]


def _casos_pendiente(rng) -> list[Caso]:
    def longitudes(base):
        return np.array([base, 2 * base, 4 * base, 8 * base])

    return [
        Caso("atención completa causal, T = 32 … 256", ("completa", longitudes(32), 8)),
        Caso("ventana deslizante", ("ventana", longitudes(int(rng.integers(40, 80))), int(rng.integers(4, 12)))),
        Caso("local + estriada con l = ⌈√T⌉", ("estriada", longitudes(int(rng.integers(60, 100))), 8)),
        Caso("completa, longitudes que no son potencias de 2", ("completa", longitudes(int(rng.integers(20, 60))), 4)),
    ]


EJERCICIOS = (
    Ejercicio(
        "coste-softmax-en-linea",
        "El softmax en una sola pasada",
        14,
        "funcion",
        "softmax-en-linea",
        "softmax_en_linea",
        lambda z: cn.softmax_en_linea(z),
        _casos_softmax,
        (
            ErrorTipico(
                "sin reescalar d",
                lambda z: _softmax_mal(z, "sin reescalar"),
                "Cuando el máximo sube de m a m', la suma acumulada d estaba calculada con el máximo viejo: hay "
                "que multiplicarla por e^(m - m') antes de sumar el término nuevo.",
            ),
            ErrorTipico(
                "máximo parcial",
                lambda z: _softmax_mal(z, "parcial"),
                "Restas a cada z_i el máximo visto HASTA i; al final hay que restar a todos el máximo final m_N, "
                "el mismo con el que está calculado d_N.",
            ),
            ErrorTipico(
                "m_0 = 0",
                lambda z: _softmax_mal(z, "m0"),
                "Empiezas con m_0 = 0: si todas las puntuaciones son muy negativas, e^(z - 0) se redondea a 0 y "
                "divides 0 entre 0. El máximo inicial es -∞ (np.full(..., -np.inf)).",
            ),
        ),
        prohibidas=(cn.softmax_en_linea, cn.softmax),
    ),
    ejercicio_de_valor(
        "coste-memoria-atencion",
        "La memoria de la matriz de atención",
        14,
        "memoria-atencion-cuadratica",
        "bytes_atencion",
        lambda: cn.memoria_atencion(2, 12, 2048, dtype="float16"),
        (
            ("float32", 2 * 12 * 2048 * 2048 * 4, "float16 ocupa 2 bytes por número, no 4."),
            ("sin las cabezas", 2 * 2048 * 2048 * 2, "Cada una de las h = 12 cabezas tiene su propia matriz T×T."),
            ("lineal en T", 2 * 12 * 2048 * 2, "La matriz tiene T × T elementos por cabeza, no T."),
            ("en MiB", 192, "Se pide en bytes, no en MiB (1 MiB = 2²⁰ bytes)."),
        ),
    ),
    ejercicio_de_valor(
        "coste-flops-capa",
        "Los FLOPs de una capa",
        14,
        "flops-capa-transformer",
        "flops_capa",
        lambda: cn.flops_capa_transformer(1024, 768)["total"],
        (
            (
                "multiplicaciones",
                12 * 1024 * 768**2 + 2 * 1024**2 * 768,
                "Cuentas un FLOP por término; un producto de m×k por k×n cuesta 2·m·n·k FLOPs (multiplicar y sumar).",
            ),
            ("sin el término cuadrático", 24 * 1024 * 768**2, "Te faltan QKᵀ y AV: 2n²d cada uno."),
            (
                "sin la red prealimentada",
                8 * 1024 * 768**2 + 4 * 1024**2 * 768,
                "Te falta la red prealimentada: 4·n·d·d_ff = 16nd² con d_ff = 4d.",
            ),
        ),  # fmt: skip
    ),
    Ejercicio(
        "coste-pendiente-pares",
        "Experimento: la pendiente del coste de un patrón disperso",
        14,
        "experimento",
        "atencion-dispersa-estriada",
        "pendiente_pares",
        _pendiente,
        _casos_pendiente,
        (
            ErrorTipico(
                "tamaño en vez de pares",
                lambda *a: _pendiente(*a, fallo="tamaño"),
                "Cuentas todos los elementos de la máscara (mascara.size = T²); se piden los pares que se calculan, "
                "los True: mascara.sum().",
            ),
            ErrorTipico(
                "regresión invertida",
                lambda *a: _pendiente(*a, fallo="invertida"),
                "Ajustas log T en función de log(pares): la pendiente sale invertida. Pon log T en el eje x.",
            ),
            ErrorTipico(
                "sin logaritmos",
                lambda *a: _pendiente(*a, fallo="sin logaritmos"),
                "Ajustas una recta a los números sin logaritmos; el exponente p de pares ∝ T^p es la pendiente en "
                "escala log–log.",
            ),
            ErrorTipico(
                "bases distintas",
                lambda *a: _pendiente(*a, fallo="bases"),
                "Usas log10 en un eje y el logaritmo natural en el otro: la pendiente sale multiplicada por ln 10.",
            ),
        ),
        comparar_dtype=False,
        prohibidas=(),
    ),
)
