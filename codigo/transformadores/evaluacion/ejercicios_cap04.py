"""Ejercicios del capítulo 4: atención multicabeza."""

from __future__ import annotations

import numpy as np

from .. import con_numpy as cn
from .tipos import Caso, Ejercicio, ErrorTipico, ejercicio_de_valor, normal

__all__ = ["EJERCICIOS"]
F32 = np.float32


# --- separar-cabezas -----------------------------------------------------------------------------------------------
def _casos_separar(rng) -> list[Caso]:
    return [
        Caso("X (5, 12) en 3 cabezas", (normal(rng, 5, 12), 3)),
        Caso("un lote (2, 4, 8) en 2 cabezas, en float32", (normal(rng, 2, 4, 8, dtype=F32), 2)),
        Caso("T = 1: X (2, 3, 1, 6) en 3 cabezas", (normal(rng, 2, 3, 1, 6), 3)),
        Caso("una sola cabeza: X (4, 5)", (normal(rng, 4, 5), 1)),
    ]


def _separar_mal(X, n, orden="bien"):
    *lote, T, d = X.shape
    if orden == "sin trasponer":
        return X.reshape(*lote, n, T, d // n)
    if orden == "(d, H)":
        return np.moveaxis(X.reshape(*lote, T, d // n, n), -1, -3)
    return X.reshape(*lote, T, n, d // n)  # cabezas detrás de T


# --- atencion-multicabeza ------------------------------------------------------------------------------------------
def _casos_multicabeza(rng) -> list[Caso]:
    def caso(lote, T, d, n, dtype=np.float64, escala=1.0):
        pesos = [normal(rng, d, d, dtype=dtype, escala=1 / np.sqrt(d)) for _ in range(4)]
        return (normal(rng, *lote, T, d, dtype=dtype, escala=escala), *pesos, n)

    return [
        Caso("X (5, 8), 2 cabezas", caso((), 5, 8, 2)),
        Caso("un lote (2, 4, 12), 3 cabezas, en float32", caso((2,), 4, 12, 3, F32)),
        Caso("T = 1, 4 cabezas", caso((), 1, 8, 4)),
        Caso("valores grandes (×5), lote (2, 3, 16), 4 cabezas", caso((2,), 3, 16, 4, escala=5)),
    ]


def _multicabeza_mal(X, W_q, W_k, W_v, W_o, n, fallo):
    def cabezas(M):
        if fallo == "sin trasponer":
            return M.reshape(*M.shape[:-2], n, M.shape[-2], M.shape[-1] // n)
        return cn.separar_cabezas(M, n)

    escala = 1 / np.sqrt(X.shape[-1]) if fallo == "escala" else None
    Q, K, V = (cabezas(X @ W.T) for W in (W_q, W_k, W_v))  # (..., H, T, d_k)
    Y = cn.unir_cabezas(cn.atencion_escalada(Q, K, V, escala=escala))  # (..., T, H·d_v)
    return Y if fallo == "sin W_o" else Y @ W_o.T


# --- entropia-cabezas ----------------------------------------------------------------------------------------------
def _casos_entropia(rng) -> list[Caso]:
    def caso(lote, T, d, n, escala=1.0):
        pesos = [normal(rng, d, d, escala=1 / np.sqrt(d)) for _ in range(4)]
        return (normal(rng, *lote, T, d, escala=escala), *pesos, n)

    return [
        Caso("X (6, 8), 2 cabezas", caso((), 6, 8, 2)),
        Caso("un lote (3, 5, 12), 3 cabezas", caso((3,), 5, 12, 3)),
        Caso("T = 1: cada consulta solo puede mirarse a sí misma", caso((), 1, 8, 2)),
        Caso("valores grandes (×20): pesos casi one-hot, con ceros exactos", caso((), 4, 16, 4, escala=20)),
    ]


def _entropia(X, W_q, W_k, W_v, W_o, n, log=np.log, signo=-1.0, ingenua=False, promedio_total=False):
    p = cn.atencion_multicabeza(X, W_q, W_k, W_v, W_o, n, devolver_pesos=True)[1]  # (..., H, T, S)
    if ingenua:
        plogp = p * log(p)
    else:
        plogp = np.where(p > 0, p * log(np.where(p > 0, p, 1.0)), 0.0)  # 0·log 0 = 0
    h = signo * plogp.sum(axis=-1)  # (..., H, T)
    if promedio_total:
        return h.mean()
    return np.moveaxis(h, -2, 0).reshape(n, -1).mean(axis=-1)  # (H,)


EJERCICIOS = (
    Ejercicio(
        "separar-cabezas",
        "Separar las cabezas",
        4,
        "funcion",
        "atencion-multicabeza",
        "separar_cabezas",
        cn.separar_cabezas,
        _casos_separar,
        (
            ErrorTipico(
                "reshape sin trasponer",
                lambda X, n: _separar_mal(X, n, "sin trasponer"),
                "Haces reshape directo a (…, H, T, d): mezclas tokens de distintas posiciones en cada "
                "cabeza. Primero (…, T, H, d) y después intercambia los ejes de T y H.",
            ),
            ErrorTipico(
                "orden (d, H)",
                lambda X, n: _separar_mal(X, n, "(d, H)"),
                "Partes la última dimensión como (d, H): la cabeza i son las columnas CONSECUTIVAS "
                "[i·d, (i+1)·d), así que el reshape es (…, T, H, d).",
            ),
            ErrorTipico(
                "cabezas detrás de T",
                lambda X, n: _separar_mal(X, n, "detrás"),
                "Te falta mover las cabezas delante de T: la forma pedida es (…, H, T, d).",
            ),
        ),
        prohibidas=(cn.separar_cabezas,),
    ),
    Ejercicio(
        "atencion-multicabeza",
        "Atención multicabeza",
        4,
        "funcion",
        "atencion-multicabeza",
        "multicabeza",
        cn.atencion_multicabeza,
        _casos_multicabeza,
        (
            ErrorTipico(
                "escala con √d_modelo",
                lambda *a: _multicabeza_mal(*a, "escala"),
                "Cada cabeza divide entre √d_k, con d_k = d_modelo / h, no entre √d_modelo.",
            ),
            ErrorTipico(
                "sin W_o",
                lambda *a: _multicabeza_mal(*a, "sin W_o"),
                "Concatenas las cabezas pero te falta la proyección final con W_o.",
            ),
            ErrorTipico(
                "separar sin trasponer",
                lambda *a: _multicabeza_mal(*a, "sin trasponer"),
                "Separas las cabezas con un reshape directo a (…, H, T, d_k): las cabezas mezclan "
                "posiciones. Usa (…, T, H, d_k) y luego intercambia T y H.",
            ),
        ),
    ),
    ejercicio_de_valor(
        "parametros-multicabeza",
        "Parámetros de una capa multicabeza",
        4,
        "multicabeza-parametros",
        "n_parametros",
        lambda: cn.multicabeza_parametros(512, 8),
        (
            ("sin sesgos", cn.multicabeza_parametros(512, 8, sesgo=False), "nn.MultiheadAttention lleva sesgos."),
            ("sin W_o", 3 * 512 * 512 + 3 * 512, "Te olvidas de la proyección de salida W_o y de su sesgo."),
            (
                "cabezas de tamaño completo",
                cn.multicabeza_parametros(512, 8, d_k=512, d_v=512),
                "Cada cabeza trabaja en d_k = 512 / 8 = 64, no en 512: la multicabeza cuesta lo mismo que una.",
            ),
        ),
    ),
    ejercicio_de_valor(
        "forma-pesos-cabezas",
        "Forma de los pesos de la atención cruzada multicabeza",
        4,
        "atencion-multicabeza",
        "forma_pesos_cabezas",
        lambda: (
            cn.atencion_multicabeza(
                np.zeros((2, 10, 64)), *[np.zeros((64, 64))] * 4, 4, Z=np.zeros((2, 7, 64)), devolver_pesos=True
            )[1].shape
        ),
        (
            ("cabezas promediadas", (2, 10, 7), "Los pesos se devuelven por cabeza, sin promediar: (B, H, T, S)."),
            ("traspuesta", (2, 4, 7, 10), "Cada FILA es una consulta del decodificador: (…, T, S) = (…, 10, 7)."),
            ("autoatención", (2, 4, 10, 10), "Es atención CRUZADA: las claves vienen de Z, con S = 7."),
        ),
    ),
    Ejercicio(
        "entropia-cabezas",
        "Experimento: la concentración de cada cabeza",
        4,
        "experimento",
        "atencion-multicabeza",
        "entropia_por_cabeza",
        _entropia,
        _casos_entropia,
        (
            ErrorTipico(
                "en bits",
                lambda *a: _entropia(*a, log=np.log2),
                "Usas log2 (bits); se pide la entropía en nats, con el logaritmo natural (np.log).",
            ),
            ErrorTipico(
                "sin el signo menos",
                lambda *a: _entropia(*a, signo=1.0),
                "Te falta el signo: H = -Σ p log p es siempre ≥ 0.",
            ),
            ErrorTipico(
                "0·log 0 da NaN",
                lambda *a: _entropia(*a, ingenua=True),
                "Cuando un peso es exactamente 0, p·log p da 0·(-inf) = NaN; su contribución debe ser 0 "
                "(usa np.where o suma solo donde p > 0).",
            ),
            ErrorTipico(
                "promedio de todas las cabezas",
                lambda *a: _entropia(*a, promedio_total=True),
                "Devuelves un solo número: se pide una entropía media POR CABEZA, un vector de forma (H,).",
            ),
        ),
        comparar_dtype=False,
        prohibidas=(),
    ),
)
