"""Ejercicios del capítulo 7: el transformador completo (capas, arquitecturas, factorización)."""

from __future__ import annotations

import numpy as np

from .. import con_numpy as cn
from ..configuracion import Configuracion
from .tipos import Caso, Ejercicio, ErrorTipico, ejercicio_de_valor, normal

__all__ = ["EJERCICIOS", "CONFIG"]
F32 = np.float32

# El GPT de juguete de los ejercicios (el cuaderno escribe la misma configuración).
CONFIG = Configuracion(
    n_vocab=20,
    l_max=16,
    d_modelo=16,
    n_cabezas=2,
    d_ffn=32,
    n_capas_codificador=0,
    n_capas_decodificador=2,
    norma="pre",
)


# --- log-verosimilitud ---------------------------------------------------------------------------------------------
def _casos_log_verosimilitud(rng) -> list[Caso]:
    def caso(lote, T, N_V, dtype=np.float64, escala=1.0):
        return normal(rng, *lote, T, N_V, dtype=dtype, escala=escala), rng.integers(0, N_V, (*lote, T))

    return [
        Caso("logits (5, 7) y una secuencia de 5 tokens", caso((), 5, 7)),
        Caso("un lote de 3 secuencias de 6 tokens, N_V = 10, en float32", caso((3,), 6, 10, F32)),
        Caso("la secuencia más corta, T = 2", caso((), 2, 4)),
        Caso("logits grandes (×300)", caso((2,), 4, 6, escala=300)),
    ]


def _log_verosimilitud(logits, x):
    return -cn.entropia_cruzada_modelo_lenguaje(logits, x, reduccion="ninguna").sum(axis=-1)


def _logp_siguiente(logits, x, ingenuo=False, desplazar=True):
    if ingenuo:
        e = np.exp(logits)
        logp = np.log(e / e.sum(axis=-1, keepdims=True))
    else:
        logp = cn.log_softmax(logits)
    if desplazar:
        logp, x = logp[..., :-1, :], x[..., 1:]  # la posición t predice x[t+1]
    return np.take_along_axis(logp, x[..., None], axis=-1)[..., 0]  # (..., T-1)


# --- causalidad ----------------------------------------------------------------------------------------------------
def _casos_causalidad(rng) -> list[Caso]:
    def caso(T):
        x = rng.integers(0, CONFIG.n_vocab, T)
        return x, int((x[-1] + rng.integers(1, CONFIG.n_vocab)) % CONFIG.n_vocab), int(rng.integers(0, 2**31))

    return [
        Caso("una secuencia de 8 tokens", caso(8)),
        Caso("un solo token (T = 1)", caso(1)),
        Caso("la secuencia más larga posible (T = l_max = 16)", caso(16)),
        Caso("una secuencia de 5 tokens, otros pesos", caso(5)),
    ]


def _cambios(x, nuevo, semilla, posicion=-1, medida="max"):
    parametros = cn.inicializar_parametros(CONFIG, np.random.default_rng(semilla))
    y = x.copy()
    y[posicion] = nuevo
    antes = cn.transformador_solo_decodificador(x, parametros, CONFIG, solo_logits=True)  # (T, N_V)
    despues = cn.transformador_solo_decodificador(y, parametros, CONFIG, solo_logits=True)
    d = despues - antes
    return {"max": np.abs(d).max(axis=-1), "media": np.abs(d).mean(axis=-1), "signo": d.max(axis=-1)}[medida]


def _tamano(arbol) -> int:
    """Cuántos números hay en un árbol de formas (diccionarios y listas de tuplas)."""
    if isinstance(arbol, dict):
        return sum(_tamano(v) for v in arbol.values())
    if isinstance(arbol, list):
        return sum(_tamano(v) for v in arbol)
    return int(np.prod(arbol))


def _parametros_capa(cruzada=False):
    formas = Configuracion.vaswani(n_vocab=1000).formas_parametros()
    return _tamano(formas["decodificador" if cruzada else "codificador"]["capas"][0])


def _forma_logits():
    config = Configuracion(
        n_vocab=50, l_max=32, d_modelo=64, n_cabezas=4, d_ffn=128, n_capas_codificador=0, n_capas_decodificador=2
    )
    x = np.zeros((4, 12), dtype=np.int64)
    return cn.transformador_solo_decodificador(x, cn.inicializar_parametros(config), config, solo_logits=True).shape


EJERCICIOS = (
    Ejercicio(
        "log-verosimilitud",
        "El logaritmo de la verosimilitud de una secuencia",
        7,
        "funcion",
        "factorizacion-autoregresiva",
        "log_verosimilitud",
        _log_verosimilitud,
        _casos_log_verosimilitud,
        (
            ErrorTipico(
                "sin desplazar",
                lambda z, x: _logp_siguiente(z, x, desplazar=False).sum(axis=-1),
                "Usas la fila t de los logits para puntuar x[t]; la fila t predice el SIGUIENTE token, x[t+1].",
            ),
            ErrorTipico(
                "media en lugar de suma",
                lambda z, x: _logp_siguiente(z, x).mean(axis=-1),
                "Promedias: log P̂(x) es la SUMA de los log P̂(x[t+1] | x[:t+1]).",
            ),
            ErrorTipico(
                "probabilidad en lugar de logaritmo",
                lambda z, x: np.exp(_logp_siguiente(z, x).sum(axis=-1)),
                "Devuelves P̂(x), no su logaritmo: con secuencias largas, ese producto se hace 0.",
            ),
            ErrorTipico(
                "log del softmax ingenuo",
                lambda z, x: _logp_siguiente(z, x, ingenuo=True).sum(axis=-1),
                "Calculas log(softmax(z)) sin restar el máximo: con logits grandes exp desborda. Usa "
                "z - max - log Σ exp(z - max) (log-softmax estable).",
            ),
        ),
        prohibidas=(cn.factorizacion_autoregresiva, cn.entropia_cruzada_modelo_lenguaje, cn.entropia_cruzada),
    ),
    ejercicio_de_valor(
        "forma-logits",
        "Forma de los logits de un GPT",
        7,
        "transformador-solo-decodificador",
        "forma_logits",
        _forma_logits,
        (
            ("solo el último paso", (4, 50), "El decodificador da logits en TODAS las posiciones: (B, T, N_V)."),
            ("salida de la pila", (4, 12, 64), "Esa es la salida de la pila; la desincrustación lleva a N_V = 50."),
            ("sin lote", (12, 50), "El lote se conserva delante: (B, T, N_V)."),
        ),
    ),
    ejercicio_de_valor(
        "parametros-capa",
        "Parámetros de una capa de codificador",
        7,
        "capa-codificador",
        "n_parametros_capa",
        _parametros_capa,
        (
            ("sin las normalizaciones", 3_150_336, "Cada capa tiene dos LayerNorm, con γ y β de 512 cada una."),
            (
                "con atención cruzada",
                4_204_032,
                "Esa es una capa de DECODIFICADOR; la de codificador no tiene cruzada.",
            ),
            ("sin sesgos", 3_145_728 + 2_048, "Las proyecciones y la red posicional llevan sesgos."),
        ),
    ),
    Ejercicio(
        "causalidad",
        "Experimento: el decodificador no mira el futuro",
        7,
        "experimento",
        "transformador-solo-decodificador",
        "cambio_por_posicion",
        _cambios,
        _casos_causalidad,
        (
            ErrorTipico(
                "cambias el primer token",
                lambda x, n, s: _cambios(x, n, s, posicion=0),
                "Cambias el PRIMER token: así cambian todas las posiciones. Se pide cambiar el último.",
            ),
            ErrorTipico(
                "media en lugar de máximo",
                lambda x, n, s: _cambios(x, n, s, medida="media"),
                "Promedias |Δ| sobre el vocabulario; se pide el cambio máximo de cada posición.",
            ),
            ErrorTipico(
                "sin valor absoluto",
                lambda x, n, s: _cambios(x, n, s, medida="signo"),
                "Te falta el valor absoluto: un logit que baja también cambia.",
            ),
        ),
        comparar_dtype=False,
        prohibidas=(),
    ),
)
