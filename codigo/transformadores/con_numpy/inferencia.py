"""Bucles de inferencia (capítulo 9): generación auto-regresiva (P&H Alg. 14), secuencia a secuencia
(P&H Alg. 15) y búsqueda en haz con penalización de longitud.

Los bucles usan los modelos del capítulo 7 con un diccionario de parámetros y su configuración; el
token de cada paso lo elige :func:`muestrear` (voraz con ``tau=0``). En PyTorch, los módulos
``TransformadorSoloDecodificador.generar`` y ``TransformadorCodificadorDecodificador.generar`` llaman
al gemelo de estas funciones.
"""

from __future__ import annotations

import numpy as np

from ..ecuaciones import implementa
from ..validacion.entrenamiento import validar_token
from ..validacion.inferencia import validar_generacion, validar_haz, validar_prefijo
from ..validacion.transformador import validar_tipo
from .cache_kv import decodificacion_con_cache
from .capas import pila_codificador, pila_decodificador
from .muestreo import muestrear
from .softmax import log_softmax
from .transformadores_completos import _desincrustar, transformador_solo_decodificador

__all__ = ["inferencia_decodificador", "inferencia_seq2seq", "busqueda_haz"]


def inferencia_decodificador(x, parametros, config, n_generar, tau=1.0, k=None, p=None, rng=None, usar_cache=True):
    """Generación auto-regresiva con un solo decodificador, DInference (P&H Alg. 14; ec. `muestreo-temperatura`).

    ``n_generar`` veces: ``P ← DTransformer(x)``, ``y ~ q ∝ P[:, -1]^(1/τ)`` y ``x ← [x, y]``. Con
    ``usar_cache`` cada paso solo procesa el token nuevo (ec. `cache-kv`); sin ella, P&H recalcula
    el prefijo entero en cada paso. Mismo resultado.

    Parámetros
    ----------
    tau, k, p : temperatura (0 = voraz), top-k y núcleo (ver :func:`muestrear`).

    Formas
    ------
    x : (..., T), el prefijo    salida : (..., n_generar), solo los tokens generados
    """
    validar_tipo(config, "solo-decodificador", "inferencia_decodificador")
    f = validar_prefijo("x", x, config)
    validar_generacion(n_generar, f["T"], config)
    generados = []
    if usar_cache:
        logits, cache = decodificacion_con_cache(x, parametros, config)  # el prefijo entero, una vez
    for i in range(n_generar):
        if not usar_cache:
            logits = transformador_solo_decodificador(x, parametros, config, solo_logits=True)
        y = muestrear(logits[..., -1, :], tau, k, p, rng)  # (...)
        generados.append(y)
        x = np.concatenate([x, y[..., None].astype(x.dtype)], axis=-1)  # x ← [x, y]
        if usar_cache and i < n_generar - 1:
            logits, cache = decodificacion_con_cache(x[..., -1:], parametros, config, cache)
    return np.stack(generados, axis=-1)  # (..., n_generar)


@implementa("inferencia-seq2seq-bucle")
def inferencia_seq2seq(z, parametros, config, bos, eos, longitud_max=None, tau=0.0, rng=None, relleno_z=None):
    """Inferencia codificador-decodificador, EDInference (ec. `inferencia-seq2seq-bucle`; P&H Alg. 15).

    ``x̂ ← [bos]``; mientras ``y ≠ eos``: ``P ← EDTransformer(z, x̂)``, ``y ~ q ∝ P[:, -1]^(1/τ)`` y
    ``x̂ ← [x̂, y]``. El codificador se calcula una sola vez. P&H no pone tope: aquí ``longitud_max``
    (``config.l_max`` por omisión) lo pone. Las secuencias que ya emitieron ``eos`` se rellenan con ``eos``.

    Formas
    ------
    z : (..., S), enteros    relleno_z : (..., S)    salida : (..., L), empieza por ``bos``, L ≤ longitud_max
    """
    validar_tipo(config, "codificador-decodificador", "inferencia_seq2seq")
    fz = validar_prefijo("z", z, config)
    validar_token("bos", bos, config.n_vocab)
    validar_token("eos", eos, config.n_vocab)
    longitud_max = config.l_max if longitud_max is None else longitud_max
    validar_generacion(longitud_max, 0, config, "longitud_max")
    Z = pila_codificador(z, parametros, config, relleno_z)  # (..., S, d_modelo), una vez
    x = np.full((*fz.lotes["z"], 1), bos, dtype=np.int64)  # x̂ = [bos]
    terminado = np.zeros(fz.lotes["z"], dtype=bool)
    while x.shape[-1] < longitud_max and not terminado.all():
        X = pila_decodificador(x, Z, parametros, config, None, relleno_z)  # (..., t, d_modelo)
        logits = _desincrustar(X[..., -1, :], parametros, config, True)  # (..., N_V)
        y = np.where(terminado, eos, muestrear(logits, tau, None, None, rng))
        x = np.concatenate([x, y[..., None]], axis=-1)  # x̂ ← [x̂, y]
        terminado |= y == eos
    return x


def _penalizacion_longitud(n, alfa):
    """``lp(Y) = ((5 + |Y|) / 6)^α`` de GNMT (Wu et al.)."""
    return ((5 + n) / 6) ** alfa


def _log_probs_siguiente(parametros, config, z, relleno_z):
    """``secuencias (n, t) → log P̂(· | secuencias[, z]) (n, N_V)`` del último paso; la memoria ``Z`` una vez."""
    if z is not None:
        relleno = None if relleno_z is None else relleno_z[None]
        Z = pila_codificador(z[None], parametros, config, relleno)  # (1, S, d_modelo)

    def log_probs(secuencias):  # (n, t) → (n, N_V)
        if z is None:
            return log_softmax(
                transformador_solo_decodificador(secuencias, parametros, config, solo_logits=True)[:, -1]
            )
        n = len(secuencias)
        R = None if relleno_z is None else np.repeat(relleno_z[None], n, axis=0)
        X = pila_decodificador(secuencias, np.repeat(Z, n, axis=0), parametros, config, None, R)  # (n, t, d)
        return log_softmax(_desincrustar(X[:, -1], parametros, config, True))

    return log_probs


@implementa("busqueda-haz")
def busqueda_haz(x, parametros, config, n_generar, n_haz=4, alfa=0.6, eos=None, z=None, relleno_z=None):
    """Búsqueda en haz con penalización de longitud (ec. `busqueda-haz`).

    Conserva las ``n_haz`` hipótesis de mayor ``log P(Y | X)``; una que termina en ``eos`` sale del
    haz. Al final gana la de mayor ``s(Y, X) = log P(Y | X) / lp(Y)``, ``lp(Y) = ((5+|Y|)/6)^α``
    (Vaswani: haz 4 y α = 0.6). Con ``n_haz = 1`` es la decodificación voraz; con un haz tan ancho
    como todas las secuencias posibles, la búsqueda exhaustiva.

    Parámetros
    ----------
    x : el prefijo de una sola secuencia (con un codificador-decodificador, normalmente ``[bos]``).
    z : la secuencia de entrada si el modelo es codificador-decodificador; None si es solo decodificador.

    Formas
    ------
    x : (T,), enteros    z : (S,), enteros    relleno_z : (S,)
    devuelve (y, puntuacion) : (n,) enteros generados (n ≤ n_generar) y ``s(Y, X)`` como número de Python
    """
    validar_tipo(config, "solo-decodificador" if z is None else "codificador-decodificador", "busqueda_haz")
    T = validar_prefijo("x", x, config, una_secuencia=True)["T"]
    validar_generacion(n_generar, T, config)
    validar_haz(n_haz, alfa, eos, config)
    if z is not None:
        validar_prefijo("z", z, config, una_secuencia=True)
    log_probs = _log_probs_siguiente(parametros, config, z, relleno_z)
    vivas, puntos, terminadas = x[None].astype(np.int64), np.zeros(1), []
    for _ in range(n_generar):
        candidatos = (puntos[:, None] + log_probs(vivas)).reshape(-1)  # (n·N_V,)
        mejores = np.argsort(-candidatos, kind="stable")[:n_haz]
        filas, tokens = np.divmod(mejores, config.n_vocab)
        vivas = np.concatenate([vivas[filas], tokens[:, None]], axis=1)
        puntos = candidatos[mejores]
        fin = tokens == eos if eos is not None else np.zeros(len(tokens), dtype=bool)
        terminadas += [(vivas[j, T:], float(puntos[j])) for j in np.flatnonzero(fin)]
        vivas, puntos = vivas[~fin], puntos[~fin]
        if len(vivas) == 0:
            break
    terminadas += [(vivas[j, T:], float(puntos[j])) for j in range(len(vivas))]
    notas = [lp / _penalizacion_longitud(len(y), alfa) for y, lp in terminadas]
    mejor = max(range(len(notas)), key=notas.__getitem__)  # el primero si hay empate
    return terminadas[mejor][0], notas[mejor]
