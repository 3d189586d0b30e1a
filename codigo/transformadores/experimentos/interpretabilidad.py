"""Experimento del capítulo 17: qué mira y qué sabe un transformador.

Funciones que sirven para cualquier modelo (solo piden pesos de atención, una función de las
incrustaciones a una puntuación, o estados ocultos):

- maneras de atribuir una predicción a los tokens de entrada: los pesos de atención de una capa,
  el *rollout* de Abnar y Zuidema (:func:`rollout_atencion`), el gradiente por la entrada
  (:func:`gradiente_por_entrada`) y los gradientes integrados (:func:`gradientes_integrados`), y
  :func:`acierto_maximo` para compararlas con la respuesta conocida;
- la ablación de cabezas (:func:`cabezas_anuladas`, :func:`ablacion_cabezas`): anular una cabeza es
  poner a cero sus columnas de ``W_o``;
- sondas lineales (:func:`sonda_lineal`, :func:`sondas_por_capa`): regresión logística sobre los estados
  de cada capa, con el control de las etiquetas barajadas.

Y su aplicación al modelo de la tarea de copia del capítulo 4 (:mod:`.induccion`):
:func:`atribuciones_induccion` y :func:`evaluar_induccion`. PyTorch y scikit-learn se importan
solo dentro de las funciones que los usan.
"""

from __future__ import annotations

from contextlib import contextmanager

import numpy as np

from ..errores import ErrorDeForma, Formas, comprobar_forma

__all__ = [
    "rollout_atencion",
    "gradiente_por_entrada",
    "gradientes_integrados",
    "funcion_desde_incrustacion",
    "acierto_maximo",
    "cabezas_anuladas",
    "ablacion_cabezas",
    "sonda_lineal",
    "sondas_por_capa",
    "atribuciones_induccion",
    "aciertos",
    "evaluar_induccion",
]


def rollout_atencion(pesos, peso_residual=0.5):
    """*Attention rollout* de Abnar y Zuidema: cuánto llega de cada token de entrada a cada posición.

    En cada capa ``l`` promediamos las cabezas, ``A_l = media_h A_{l,h}``, añadimos la conexión
    residual como una atención a sí mismo, ``Ã_l = r·I + (1 - r)·A_l`` (``r = peso_residual``;
    el artículo usa ``r = 1/2``), renormalizamos las filas y multiplicamos las capas:
    ``R = Ã_L ··· Ã_2 Ã_1``. La fila ``i`` de ``R`` reparte la posición ``i`` de la última capa
    entre los tokens de entrada.

    Formas
    ------
    pesos : lista de L arreglos (..., H, T, T), cada fila suma 1 (filas de relleno: ceros),
        o un solo arreglo (L, ..., H, T, T)
    salida : (..., T, T), cada fila suma 1
    """
    if isinstance(pesos, np.ndarray) and pesos.ndim >= 4:
        pesos = list(pesos)
    if not isinstance(pesos, (list, tuple)) or not pesos:
        raise ErrorDeForma("'pesos' debe ser una lista no vacía de arreglos (..., H, T, T), uno por capa.")
    if not 0.0 <= peso_residual <= 1.0:
        raise ErrorDeForma(f"'peso_residual' debe estar en [0, 1], pero se recibió {peso_residual!r}.")
    f = Formas()
    R = None
    for c, A in enumerate(pesos):
        A = np.asarray(A, dtype=np.float64)
        f.comprobar(f"pesos[{c}]", A, "... H T T")
        A = peso_residual * np.eye(f["T"]) + (1.0 - peso_residual) * A.mean(axis=-3)  # (..., T, T)
        A = A / A.sum(axis=-1, keepdims=True)  # por si alguna fila no sumaba 1
        R = A if R is None else A @ R  # (..., T, T): la capa nueva, a la izquierda
    return R


def gradiente_por_entrada(funcion, X):
    """Gradiente por la entrada: ``s_t = Σ_d X_{t,d} · ∂f/∂X_{t,d}``, una saliencia por token.

    ``funcion`` lleva las incrustaciones ``X`` a una puntuación por ejemplo (por ejemplo, el logit
    del token correcto); cada ejemplo solo puede depender de su propia fila de ``X``. Es la
    aproximación lineal de cuánto cambiaría la puntuación si el token ``t`` desapareciera (``X_t → 0``).

    Formas
    ------
    X : (B, T, d), tensor de PyTorch    funcion(X) : (B,)    salida : (B, T), arreglo de NumPy
    """
    import torch

    comprobar_forma("X", X, "B T d")
    X = X.detach().clone().requires_grad_(True)
    puntuacion = funcion(X)
    comprobar_forma("funcion(X)", puntuacion, (X.shape[0],))
    (gradiente,) = torch.autograd.grad(puntuacion.sum(), X)  # (B, T, d): los ejemplos no se mezclan
    return (gradiente * X).sum(-1).detach().cpu().numpy()  # (B, T)


def gradientes_integrados(funcion, X, X_base=None, pasos=8):
    """Gradientes integrados de Sundararajan et al.: el gradiente promediado en el camino recto desde una base.

    ``s_t = Σ_d (X - X_b)_{t,d} · media_k ∂f/∂X_{t,d}(X_b + α_k (X - X_b))`` con ``α_k = (k + 1/2)/pasos``
    (la regla del punto medio). Con muchos pasos, ``Σ_t s_t ≈ f(X) - f(X_b)``: la diferencia entre la
    entrada y la base se reparte entera entre los tokens. ``funcion`` recibe los ``pasos`` puntos del
    camino de una vez, con una dimensión inicial más.

    Formas
    ------
    X, X_base : (B, T, d), tensores (X_base None = ceros)    funcion : (pasos, B, T, d) → (pasos, B)
    salida : (B, T), arreglo de NumPy
    """
    import torch

    comprobar_forma("X", X, "B T d")
    X = X.detach()
    X_base = torch.zeros_like(X) if X_base is None else X_base.detach()
    comprobar_forma("X_base", X_base, tuple(X.shape))
    alfa = ((torch.arange(pasos, dtype=X.dtype) + 0.5) / pasos)[:, None, None, None]  # (pasos, 1, 1, 1)
    camino = (X_base + alfa * (X - X_base)).requires_grad_(True)  # (pasos, B, T, d)
    puntuacion = funcion(camino)
    comprobar_forma("funcion(X)", puntuacion, (pasos, X.shape[0]))
    (gradiente,) = torch.autograd.grad(puntuacion.sum(), camino)  # (pasos, B, T, d)
    return (gradiente.mean(0) * (X - X_base)).sum(-1).cpu().numpy()  # (B, T)


def funcion_desde_incrustacion(modelo, modulo_incrustacion, x):
    """Las incrustaciones de ``x`` y una función que ejecuta ``modelo(x)`` a partir de otras incrustaciones.

    Un gancho (*forward hook*) sustituye la salida de ``modulo_incrustacion`` por el ``X`` que se pase:
    así :func:`gradiente_por_entrada` sirve para cualquier ``nn.Module`` sin tocar su código.

    Devuelve
    --------
    X : (B, T, d), las incrustaciones de ``x``    ejecutar : ``X ↦ modelo(x)`` con esas incrustaciones
    """
    import torch

    with torch.no_grad():
        X = modulo_incrustacion(x)

    def ejecutar(X_nuevo):
        gancho = modulo_incrustacion.register_forward_hook(lambda modulo, entrada, salida: X_nuevo)
        try:
            return modelo(x)
        finally:
            gancho.remove()

    return X, ejecutar


def acierto_maximo(saliencia, correcta, permitida=None) -> float:
    """Fracción de ejemplos cuyo token de mayor saliencia (entre los permitidos) es uno de los correctos.

    Formas
    ------
    saliencia : (N, T)    correcta : (N, T), booleana    permitida : (N, T), booleana (None = todos)
    devuelve : un número en [0, 1]
    """
    f = Formas()
    f.comprobar("saliencia", saliencia, "N T")
    f.comprobar("correcta", correcta, "N T")
    permitida = np.ones(np.shape(saliencia), dtype=bool) if permitida is None else np.asarray(permitida, dtype=bool)
    f.comprobar("permitida", permitida, "N T")
    if not permitida.any(axis=-1).all():
        raise ErrorDeForma("'permitida' debe dejar al menos un token en cada ejemplo.")
    mejor = np.where(permitida, np.asarray(saliencia, dtype=np.float64), -np.inf).argmax(-1)  # (N,)
    return float(np.asarray(correcta, dtype=bool)[np.arange(len(mejor)), mejor].mean())


@contextmanager
def cabezas_anuladas(atencion, cabezas):
    """Dentro del bloque ``with``, las ``cabezas`` de ``atencion`` no aportan nada (ablación a cero).

    La salida multicabeza es ``concat(cabeza_1, …, cabeza_H) W_oᵀ + b_o``: poner a cero las columnas
    ``h·d_v … (h+1)·d_v - 1`` de ``W_o`` borra la cabeza ``h`` sin cambiar las demás. ``atencion`` es un
    módulo con ``W_o`` (d_modelo, H·d_v) y ``n_cabezas``, como ``AtencionMultiCabeza``; al salir se
    restauran los pesos.
    """
    import torch

    H = atencion.n_cabezas
    d_v = atencion.W_o.shape[1] // H
    if any(not 0 <= h < H for h in cabezas):
        raise ErrorDeForma(f"'cabezas' debe contener índices en [0, {H}), pero se recibió {list(cabezas)}.")
    copia = atencion.W_o.detach().clone()
    with torch.no_grad():
        for h in cabezas:
            atencion.W_o[:, h * d_v : (h + 1) * d_v] = 0.0
    try:
        yield atencion
    finally:
        with torch.no_grad():
            atencion.W_o.copy_(copia)


def ablacion_cabezas(evaluar, atenciones):
    """``evaluar()`` con el modelo entero y con cada cabeza anulada por turnos.

    Parámetros
    ----------
    evaluar : función sin argumentos que mide el modelo: un número o varios (una pérdida, una exactitud…).
    atenciones : los módulos de atención, uno por capa (``modelo.atenciones``).

    Devuelve
    --------
    base : lo que mide ``evaluar`` con todas las cabezas, de forma ``M`` (() si es un número)
    tabla : (L, H, *M), lo que mide con la cabeza (l, h) anulada
    """
    base = np.asarray(evaluar(), dtype=np.float64)
    tabla = np.zeros((len(atenciones), atenciones[0].n_cabezas, *base.shape))
    for c, atencion in enumerate(atenciones):
        for h in range(atencion.n_cabezas):
            with cabezas_anuladas(atencion, [h]):
                tabla[c, h] = evaluar()
    return (float(base) if base.ndim == 0 else base), tabla


def sonda_lineal(X, etiquetas, prueba, barajar=False, semilla=0):
    """Regresión logística sobre ``X[~prueba]``; devuelve la exactitud en entrenamiento y en prueba.

    Con ``barajar`` se entrena con las etiquetas permutadas al azar (el control: una sonda capaz de
    memorizar acierta en entrenamiento, pero no en prueba). Las características se estandarizan.

    Formas
    ------
    X : (N, d)    etiquetas : (N,), enteras    prueba : (N,), booleana
    devuelve : (exactitud en entrenamiento, exactitud en prueba), con las etiquetas verdaderas en prueba
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from threadpoolctl import threadpool_limits

    f = Formas()
    f.comprobar("X", X, "N d")
    f.comprobar("etiquetas", etiquetas, "N")
    f.comprobar("prueba", prueba, "N")
    prueba = np.asarray(prueba, dtype=bool)
    if prueba.all() or not prueba.any():
        raise ErrorDeForma("'prueba' debe separar los ejemplos en dos grupos no vacíos.")
    X, y = np.asarray(X, dtype=np.float64), np.asarray(etiquetas)
    y_entrenamiento = y[~prueba]
    if barajar:
        y_entrenamiento = np.random.default_rng(semilla).permutation(y_entrenamiento)
    sonda = make_pipeline(StandardScaler(), LogisticRegression(C=0.1, max_iter=2000))
    with threadpool_limits(1):  # con matrices tan pequeñas, más hilos de BLAS solo compiten
        sonda.fit(X[~prueba], y_entrenamiento)
    return float(sonda.score(X[~prueba], y_entrenamiento)), float(sonda.score(X[prueba], y[prueba]))


def sondas_por_capa(estados, etiquetas, prueba, barajar=False, semilla=0):
    """Una :func:`sonda_lineal` por capa.

    Formas
    ------
    estados : lista de L+1 arreglos (N, d), uno por capa (la 0 es la incrustación)
    devuelve : (L+1, 2), exactitud en entrenamiento y en prueba de cada capa
    """
    return np.array([sonda_lineal(X, etiquetas, prueba, barajar, semilla) for X in estados])


def atribuciones_induccion(modelo, x, y, longitudes, rng, pasos=8):
    """Las tres atribuciones de una predicción de la copia, con la respuesta conocida.

    En cada secuencia elegimos al azar una consulta ``t`` de la copia (``L ≤ t ≤ 2L-2``). El modelo
    predice ``y[t] = x[t+1]``, que es el token de la posición ``t-L+1``: esa es la clave «correcta».

    Devuelve
    --------
    dict con ``consultas`` (n,), ``correcta`` y ``permitida`` (n, T) booleanas (permitidas: ``0 … t``),
    ``atencion`` (lista de L arreglos (n, T): la fila ``t`` de cada capa, media de las cabezas),
    ``rollout``, ``gradiente`` e ``integrados`` (n, T); los dos últimos explican el logit del token
    correcto, los integrados desde la base ``X = 0``.
    """
    import torch

    n, T = x.shape
    L = np.asarray(longitudes)
    consultas = rng.integers(L, 2 * L - 1)  # (n,): una consulta de la copia por secuencia
    filas = np.arange(n)
    correcta = np.zeros((n, T), dtype=bool)
    correcta[filas, consultas - L + 1] = True
    permitida = np.arange(T)[None, :] <= consultas[:, None]  # (n, T): la máscara causal
    with torch.no_grad():
        _, pesos = modelo(x, devolver_pesos=True)  # L × (n, H, T, T)
    pesos = [p.numpy() for p in pesos]
    atencion = [p.mean(1)[filas, consultas] for p in pesos]  # L × (n, T)
    rollout = rollout_atencion(pesos)[filas, consultas]  # (n, T)
    objetivo = torch.as_tensor(y)[filas, consultas]  # (n,)
    X, ejecutar = funcion_desde_incrustacion(modelo, modelo.incrustacion, x)

    def logit_correcto(X):  # (..., n, T, d) → (..., n)
        return ejecutar(X)[..., filas, consultas, objetivo]

    gradiente = gradiente_por_entrada(logit_correcto, X)  # (n, T)
    integrados = gradientes_integrados(logit_correcto, X, pasos=pasos)  # (n, T)
    return {
        "consultas": consultas,
        "correcta": correcta,
        "permitida": permitida,
        "atencion": atencion,
        "rollout": rollout,
        "gradiente": gradiente,
        "integrados": integrados,
    }


def aciertos(atribuciones) -> dict[str, float]:
    """:func:`acierto_maximo` de cada método de un diccionario de atribuciones, y el del azar.

    ``atribuciones`` es lo que devuelven :func:`atribuciones_induccion` o
    :func:`~transformadores.experimentos.interpretabilidad_minilm.atribuciones_palabras`.
    """
    correcta, permitida = atribuciones["correcta"], atribuciones["permitida"]
    resultado = {"al azar": float((correcta.sum(1) / permitida.sum(1)).mean())}
    for c, s in enumerate(atribuciones["atencion"]):
        resultado[f"atención, capa {c + 1}"] = acierto_maximo(s, correcta, permitida)
    for clave, nombre in (
        ("rollout", "rollout"),
        ("gradiente", "gradiente × entrada"),
        ("integrados", "gradientes integrados"),
    ):
        resultado[nombre] = acierto_maximo(atribuciones[clave], correcta, permitida)
    return resultado


def evaluar_induccion(modelo, x, y):
    """``(pérdida, exactitud)`` del modelo en las posiciones predecibles de la copia.

    Formas
    ------
    x, y : (n, T)    devuelve : dos números
    """
    import torch
    import torch.nn.functional as F

    from ..datos.induccion import IGNORAR

    with torch.no_grad():
        logits = modelo(x)  # (n, T, N_V)
    validas = y != IGNORAR
    perdida = F.cross_entropy(logits[validas], y[validas]).item()
    exactitud = (logits[validas].argmax(-1) == y[validas]).double().mean().item()
    return perdida, exactitud
