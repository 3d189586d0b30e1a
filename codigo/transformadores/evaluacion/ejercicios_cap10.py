"""Ejercicios del capítulo 10: parches de ViT, tokens de una imagen, coste de Swin y el alcance de sus ventanas."""

from __future__ import annotations

import numpy as np

from .. import con_numpy as cn
from .tipos import Caso, Ejercicio, ErrorTipico, ejercicio_de_valor, normal

__all__ = ["EJERCICIOS"]
F32 = np.float32


# --- vision-parches ------------------------------------------------------------------------------------------------
def _casos_parches(rng) -> list[Caso]:
    return [
        Caso("una imagen (3, 8, 8), P = 4", (normal(rng, 3, 8, 8), 4)),
        Caso("un lote (2, 3, 12, 8), no cuadrado, en float32, P = 4", (normal(rng, 2, 3, 12, 8, dtype=F32), 4)),
        Caso("un canal (1, 6, 6), P = 2", (normal(rng, 1, 6, 6), 2)),
        Caso("P = 1: cada píxel es un parche, (2, 4, 6)", (normal(rng, 2, 4, 6), 1)),
        Caso("dos dimensiones de lote (2, 2, 3, 4, 4), P = 2", (normal(rng, 2, 2, 3, 4, 4), 2)),
    ]


def _parches_mal(x, P, fallo):
    *lote, C, H, W = x.shape
    N = (H // P) * (W // P)
    if fallo == "sin trasponer":
        return x.reshape(*lote, N, C * P * P)
    y = x.reshape(*lote, C, H // P, P, W // P, P)  # ejes finales: c, a, i, b, j
    k = len(lote)
    c, a, i, b, j = (k + n for n in range(5))
    orden = {
        "canales al final": (a, b, i, j, c),
        "por columnas": (b, a, c, i, j),
        "píxeles traspuestos": (a, b, c, j, i),
    }
    return np.transpose(y, (*range(k), *orden[fallo])).reshape(*lote, N, C * P * P)


# --- vision-tokens -------------------------------------------------------------------------------------------------
def _forma_z0_clip():
    """ViT-L/14 a 336×336 (el codificador de imagen de CLIP): P = 14, C = 3, D = 1024."""
    P, lado, D = 14, 336, 1024
    N = (lado // P) ** 2
    z_0 = cn.incrustar_parches(
        np.zeros((3, lado, lado)), P, np.zeros((D, 3 * P * P)), np.zeros(D), np.zeros(D), np.zeros((N + 1, D))
    )
    return z_0.shape


# --- vision-coste-ventanas -----------------------------------------------------------------------------------------
def _cociente_swin_t():
    """Primera etapa de Swin-T: mapa de 56×56 parches, C = 96, ventanas de M = 7."""
    msa, wmsa = cn.coste_atencion_swin(56, 56, 96, 7)
    return msa / wmsa


# --- vision-alcance-ventanas ---------------------------------------------------------------------------------------
def _casos_alcance(rng) -> list[Caso]:
    def caso(H, W, M):
        return H, W, M, int(rng.integers(0, H)), int(rng.integers(0, W)), int(rng.integers(0, 2**31))

    return [
        Caso("mapa 8×8, ventanas de 4, el parche (0, 0)", (8, 8, 4, 0, 0, int(rng.integers(0, 2**31)))),
        Caso("mapa 8×8, ventanas de 4, el parche (5, 6)", (8, 8, 4, 5, 6, int(rng.integers(0, 2**31)))),
        Caso("mapa 12×12, ventanas de 4, un parche al azar", caso(12, 12, 4)),
        Caso("mapa 6×9, ventanas de 3, un parche al azar", caso(6, 9, 3)),
        Caso("mapa 12×8, ventanas de 4, el parche (7, 3)", (12, 8, 4, 7, 3, int(rng.integers(0, 2**31)))),
    ]


def _pesos_bloque(rng, C, M, n_cabezas):
    def n(*forma, escala=1.0):
        return rng.standard_normal(forma) * escala

    return {
        "gamma_1": 1 + n(C, escala=0.1), "beta_1": n(C, escala=0.1), "W_qkv": n(3 * C, C, escala=C**-0.5),
        "b_qkv": n(3 * C, escala=0.1), "W_o": n(C, C, escala=C**-0.5), "b_o": n(C, escala=0.1),
        "tabla_sesgo": n((2 * M - 1) ** 2, n_cabezas), "gamma_2": 1 + n(C, escala=0.1), "beta_2": n(C, escala=0.1),
        "W_1": n(2 * C, C, escala=C**-0.5), "b_1": n(2 * C, escala=0.1), "W_2": n(C, 2 * C, escala=C**-0.5),
        "b_2": n(C, escala=0.1),
    }  # fmt: skip


def _dos_bloques(desplazamientos):
    """Dos ``bloque_swin`` seguidos con esos desplazamientos (None = se omite el bloque)."""

    def aplicar(z, pesos_W, pesos_SW, n_cabezas, M):
        for pesos, s in zip((pesos_W, pesos_SW), desplazamientos):
            if s is not None:
                z = cn.bloque_swin(z, **pesos, n_cabezas=n_cabezas, M=M, desplazamiento=s(M))
        return z

    return aplicar


def _mapa_alcance(H, W, M, i, j, semilla, bloques, constante=False):
    """¿Qué salidas de ``bloques`` cambian al perturbar el parche (i, j)? Mapa booleano (H, W)."""
    rng = np.random.default_rng(semilla)
    C, h = 4, 2
    x = rng.standard_normal((H, W, C))
    pesos_W, pesos_SW = _pesos_bloque(rng, C, M, h), _pesos_bloque(rng, C, M, h)
    x_perturbado = x.copy()
    perturbacion = rng.standard_normal(C)
    x_perturbado[i, j] += perturbacion[0] if constante else perturbacion  # una constante: LN la borra
    salidas = [bloques(z, pesos_W, pesos_SW, h, M) for z in (x, x_perturbado)]
    return np.abs(salidas[1] - salidas[0]).max(axis=-1) > 1e-10  # (H, W)


def _alcance(H, W, M, i, j, semilla):
    """La referencia: el par W-MSA / SW-MSA de ``bloques_swin``."""
    return _mapa_alcance(H, W, M, i, j, semilla, cn.bloques_swin)


def _alcance_mal(H, W, M, i, j, semilla, fallo):
    sin, media = (lambda M: 0), (lambda M: M // 2)
    desplazamientos = {"sin desplazar": (sin, sin), "solo la desplazada": (None, media)}.get(fallo, (sin, media))
    cambia = _mapa_alcance(H, W, M, i, j, semilla, _dos_bloques(desplazamientos), constante=fallo == "constante")
    if fallo == "sin deshacer el desplazamiento":
        return np.roll(cambia, (-(M // 2), -(M // 2)), axis=(0, 1))
    return ~cambia if fallo == "al revés" else cambia


EJERCICIOS = (
    Ejercicio(
        "vision-parches",
        "Dividir una imagen en parches",
        10,
        "funcion",
        "vit-parches",
        "dividir_en_parches",
        cn.dividir_en_parches,
        _casos_parches,
        (
            ErrorTipico(
                "reshape sin trasponer",
                lambda x, P: _parches_mal(x, P, "sin trasponer"),
                "Cambias la forma sin reordenar los ejes: cada fila mezcla píxeles de parches distintos. Separa "
                "(C, H/P, P, W/P, P) y lleva los dos ejes de parche (H/P, W/P) delante antes de aplanar.",
            ),
            ErrorTipico(
                "canales al final",
                lambda x, P: _parches_mal(x, P, "canales al final"),
                "Aplanas cada parche en el orden (i, j, c), con el canal al final; el libro (y Conv2d.weight) usa "
                "(c, i, j): primero todo el canal 0, después el 1…",
            ),
            ErrorTipico(
                "parches por columnas",
                lambda x, P: _parches_mal(x, P, "por columnas"),
                "Recorres los parches por columnas (de arriba abajo y después a la derecha); se recorren por filas, "
                "como se lee: el parche 1 está a la derecha del 0.",
            ),
            ErrorTipico(
                "píxeles del parche traspuestos",
                lambda x, P: _parches_mal(x, P, "píxeles traspuestos"),
                "Dentro de cada parche aplanas por columnas (j, i); el orden es por filas (i, j), como reshape.",
            ),
        ),
    ),
    ejercicio_de_valor(
        "vision-tokens",
        "Los tokens de una imagen en CLIP",
        10,
        "vit-incrustacion-parches-cls",
        "forma_z0",
        _forma_z0_clip,
        (
            ("sin el token de clase", (576, 1024), "Falta el token de clase: z_0 tiene N + 1 filas."),
            (
                "la longitud del parche",
                (577, 588),
                "588 = 14·14·3 es la longitud de un parche aplanado; E lo proyecta a D = 1024 dimensiones.",
            ),
            (
                "parches por lado",
                (25, 1024),
                "336/14 = 24 son los parches de cada lado; la imagen tiene 24 × 24 = 576 (más el de clase).",
            ),
        ),
    ),
    ejercicio_de_valor(
        "vision-coste-ventanas",
        "Atención global frente a ventanas en Swin-T",
        10,
        "swin-complejidad",
        "cociente",
        _cociente_swin_t,
        (
            (
                "sin las proyecciones",
                56 * 56 / 49,
                "Solo comparas los términos de la atención, (hw)² frente a M²·hw; las proyecciones (4hwC²) son "
                "iguales en las dos y hay que sumarlas.",
            ),
            (
                "M en lugar de M²",
                (4 * 96 + 2 * 56 * 56) / (4 * 96 + 2 * 7),
                "Cada ventana tiene M² = 49 parches, no M.",
            ),
            ("al revés", 1 / _cociente_swin_t(), "Has calculado Ω(W-MSA)/Ω(MSA); se pide la global entre la local."),
        ),
        tolerancia=(1e-3, 1e-3),
    ),
    Ejercicio(
        "vision-alcance-ventanas",
        "Experimento: hasta dónde llega un parche en Swin",
        10,
        "experimento",
        "swin-bloques-consecutivos",
        "alcance",
        _alcance,
        _casos_alcance,
        (
            ErrorTipico(
                "sin desplazar",
                lambda *a: _alcance_mal(*a, fallo="sin desplazar"),
                "Tu segundo bloque no desplaza las ventanas: la perturbación no sale de la ventana del parche. "
                "El segundo bloque usa desplazamiento = M // 2.",
            ),
            ErrorTipico(
                "solo el bloque desplazado",
                lambda *a: _alcance_mal(*a, fallo="solo la desplazada"),
                "Solo aplicas el bloque desplazado (SW-MSA); el par empieza con un bloque sin desplazar (W-MSA).",
            ),
            ErrorTipico(
                "sin deshacer el desplazamiento",
                lambda *a: _alcance_mal(*a, fallo="sin deshacer el desplazamiento"),
                "Tu mapa está desplazado M // 2 parches: al final de SW-MSA hay que deshacer el desplazamiento "
                "cíclico (np.roll con +M // 2). Con atencion_ventanas o bloque_swin del paquete, ya se hace.",
            ),
            ErrorTipico(
                "perturbación constante",
                lambda *a: _alcance_mal(*a, fallo="constante"),
                "Solo cambia el parche perturbado: sumas el mismo número a todos sus canales, y la normalización "
                "de capa resta la media, así que la atención no se entera. Perturba con un vector al azar.",
            ),
            ErrorTipico(
                "al revés",
                lambda *a: _alcance_mal(*a, fallo="al revés"),
                "Devuelves True en las salidas que NO cambian; se pide True en las que cambian.",
            ),
        ),
        comparar_dtype=False,
    ),
)
