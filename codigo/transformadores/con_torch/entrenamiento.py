"""Pérdidas del entrenamiento (capítulo 8), gemelo PyTorch: mismas funciones y firmas que ``con_numpy``.

Fórmulas explícitas con ``log_softmax`` (``F.cross_entropy`` es el oráculo de las pruebas). Las
pérdidas son tensores de 0 dimensiones con gradiente: ``perdida.backward()`` retropropaga por el
transformador entero. Los pasos de entrenamiento completos están en ``con_torch.pasos_entrenamiento``.
"""

from __future__ import annotations

import torch

from ..ecuaciones import implementa
from ..validacion.entrenamiento import validar_enmascarado, validar_entropia_cruzada, validar_modelo_lenguaje
from ..validacion.transformador import validar_configuracion
from .softmax import log_softmax, softmax
from .transformadores_completos import transformador_codificador_decodificador, transformador_solo_codificador

__all__ = [
    "entropia_cruzada",
    "gradiente_entropia_cruzada",
    "entropia_cruzada_modelo_lenguaje",
    "perplejidad",
    "perdida_forzado_profesor",
    "enmascarar_tokens",
    "modelado_lenguaje_enmascarado",
]

IGNORAR_MLM = -100  # las posiciones no enmascaradas no cuentan (convención de PyTorch)


def _validos_y_objetivo(objetivos, ignorar, dispositivo):
    objetivos = objetivos.to(dispositivo)
    validos = torch.ones_like(objetivos, dtype=torch.bool) if ignorar is None else objetivos != ignorar
    return validos, torch.where(validos, objetivos, torch.zeros_like(objetivos)).long()


def _reducir(perdida, validos, reduccion):
    if reduccion == "ninguna":
        return perdida
    total = perdida.sum()
    return total if reduccion == "suma" else total / max(int(validos.sum()), 1)


@implementa("suavizado-etiquetas")
def entropia_cruzada(logits, objetivos, ignorar=None, suavizado=0.0, reduccion="media"):
    """Entropía cruzada con suavizado de etiquetas (ec. `suavizado-etiquetas`); gemelo de ``con_numpy``.

    ``H(q', p) = (1-ε)·(-log p_y) + ε·(-(1/K)·Σ_k log p_k)``, como
    ``F.cross_entropy(logits, y, ignore_index=ignorar, label_smoothing=ε)``.

    Formas
    ------
    logits : (..., K)    objetivos : (...), enteros en [0, K) o ``ignorar``
    salida : escalar; (...) con "ninguna" (0 en los ignorados)
    """
    validar_entropia_cruzada(logits, objetivos, ignorar, suavizado, reduccion)
    logp = log_softmax(logits)  # (..., K)
    validos, y = _validos_y_objetivo(objetivos, ignorar, logits.device)
    nll = -torch.gather(logp, -1, y[..., None])[..., 0]  # H(q, p) : (...)
    uniforme = -logp.mean(dim=-1)  # H(u, p) : (...)
    perdida = torch.where(validos, (1 - suavizado) * nll + suavizado * uniforme, torch.zeros_like(nll))
    return _reducir(perdida, validos, reduccion)


def gradiente_entropia_cruzada(logits, objetivos, ignorar=None, suavizado=0.0, reduccion="media"):
    """Gradiente de :func:`entropia_cruzada` respecto de los logits (ec. `suavizado-etiquetas`): ``softmax(z) - q'``.

    Formas
    ------
    logits : (..., K)    objetivos : (...)    salida : (..., K)
    """
    f = validar_entropia_cruzada(logits, objetivos, ignorar, suavizado, reduccion)
    validos, y = _validos_y_objetivo(objetivos, ignorar, logits.device)
    q = torch.full_like(logits, suavizado / f["K"])  # ε/K en todas las clases
    q.scatter_(-1, y[..., None], suavizado / f["K"] + 1 - suavizado)  # + (1-ε) en la correcta
    g = (softmax(logits) - q) * validos[..., None]  # (..., K)
    return g / max(int(validos.sum()), 1) if reduccion == "media" else g


@implementa("entropia-cruzada-modelo-lenguaje")
def entropia_cruzada_modelo_lenguaje(logits, x, ignorar=None, reduccion="suma"):
    """Log-loss del siguiente token (ec. `entropia-cruzada-modelo-lenguaje`; P&H Alg. 13), desplazada una posición.

    Formas
    ------
    logits : (..., T, N_V)    x : (..., T), enteros, T ≥ 2    salida : escalar; (..., T-1) con "ninguna"
    """
    validar_modelo_lenguaje(logits, x, ignorar, reduccion)
    return entropia_cruzada(logits[..., :-1, :], x[..., 1:], ignorar, 0.0, reduccion)


@implementa("perplejidad")
def perplejidad(logits, x, ignorar=None):
    """Perplejidad (ec. `perplejidad`): ``exp`` de la entropía cruzada media por token predicho.

    Formas
    ------
    logits : (..., T, N_V)    x : (..., T), enteros    salida : escalar ≥ 1
    """
    return torch.exp(entropia_cruzada_modelo_lenguaje(logits, x, ignorar, "media"))


@implementa("forzado-del-profesor-seq2seq")
def perdida_forzado_profesor(
    z, x, parametros, config, relleno_z=None, ignorar=None, reduccion="suma", rng=None, entrenando=False
):
    """Pérdida seq2seq con forzado del profesor (ec. `forzado-del-profesor-seq2seq`; P&H Alg. 11).

    El decodificador recibe la secuencia verdadera ``x = [bos, y_1, …, y_n, eos]``; ``ignorar`` es el
    id del token de relleno (ni se atiende ni cuenta).

    Formas
    ------
    z : (..., S), enteros    x : (..., T), enteros    salida : escalar
    """
    validar_configuracion(config)
    relleno_x = None if ignorar is None else x != ignorar
    logits = transformador_codificador_decodificador(
        z, x, parametros, config, relleno_z, relleno_x, True, rng, entrenando
    )
    return entropia_cruzada_modelo_lenguaje(logits, x, ignorar, reduccion)


def enmascarar_tokens(x, id_mascara, n_vocab, p_mask=0.15, bert=False, relleno=None, rng=None):
    """Elige ``T̃`` y construye ``x̃`` (ec. `modelado-lenguaje-enmascarado`; P&H Alg. 12; BERT 80/10/10 con ``bert``).

    ``rng``: ``torch.Generator`` en el dispositivo de ``x`` (None = el generador global).

    Formas
    ------
    x : (..., T), enteros    relleno : (..., T), True = token real
    devuelve (x_tilde, seleccion) : (..., T) enteros y (..., T) booleana
    """
    validar_enmascarado(x, id_mascara, n_vocab, p_mask, relleno)
    seleccion = torch.rand(x.shape, generator=rng, device=x.device) < p_mask
    if relleno is not None:
        seleccion &= relleno.to(x.device)
    mascara = torch.full_like(x, id_mascara)
    if not bert:
        return torch.where(seleccion, mascara, x), seleccion
    u = torch.rand(x.shape, generator=rng, device=x.device)
    aleatorios = torch.randint(0, n_vocab, x.shape, generator=rng, device=x.device, dtype=x.dtype)
    x_tilde = torch.where(seleccion & (u < 0.8), mascara, x)  # 80 %: [MASK]
    x_tilde = torch.where(seleccion & (u >= 0.8) & (u < 0.9), aleatorios, x_tilde)  # 10 %: al azar
    return x_tilde, seleccion  # el 10 % restante queda igual


@implementa("modelado-lenguaje-enmascarado")
def modelado_lenguaje_enmascarado(
    x, parametros, config, id_mascara, p_mask=0.15, bert=False, relleno=None, reduccion="suma", rng=None,
    entrenando=False,
):  # fmt: skip
    """Pérdida MLM (ec. `modelado-lenguaje-enmascarado`; P&H Alg. 12): ``-Σ_{t∈T̃} log P(θ)[x[t], t]``.

    ``P = ETransformer(x̃)`` con ``x̃`` de :func:`enmascarar_tokens`.

    Formas
    ------
    x : (..., T), enteros    relleno : (..., T)
    devuelve (perdida, x_tilde, seleccion) : escalar, (..., T) enteros, (..., T) booleana
    """
    validar_configuracion(config)
    x_tilde, seleccion = enmascarar_tokens(x, id_mascara, config.n_vocab, p_mask, bert, relleno, rng)
    logits = transformador_solo_codificador(x_tilde, parametros, config, relleno, True, rng, entrenando)
    objetivos = torch.where(seleccion, x, torch.full_like(x, IGNORAR_MLM))  # solo cuentan las de T̃
    return entropia_cruzada(logits, objetivos, IGNORAR_MLM, 0.0, reduccion), x_tilde, seleccion
