"""Comprobaciones del entrenamiento (capítulo 8), compartidas por los dos gemelos.

Incluye :func:`mapear_arbol`, que recorre a la vez varios diccionarios de parámetros con la
misma estructura (parámetros, gradientes, momentos de Adam).
"""

from __future__ import annotations

from ..errores import ErrorDeForma, Formas, comprobar_flotante

__all__ = [
    "REDUCCIONES",
    "mapear_arbol",
    "validar_arbol",
    "validar_entropia_cruzada",
    "validar_modelo_lenguaje",
    "validar_reduccion",
    "validar_numero",
    "validar_token",
    "validar_enmascarado",
    "validar_adam",
]

REDUCCIONES = ("media", "suma", "ninguna")


def mapear_arbol(funcion, arbol, *otros):
    """Aplica ``funcion(hoja, *hojas_de_otros)`` en cada hoja; devuelve un árbol con la misma estructura."""
    if isinstance(arbol, dict):
        return {k: mapear_arbol(funcion, v, *(o[k] for o in otros)) for k, v in arbol.items()}
    if isinstance(arbol, (list, tuple)):
        return [mapear_arbol(funcion, v, *(o[i] for o in otros)) for i, v in enumerate(arbol)]
    return funcion(arbol, *otros)


def validar_arbol(nombre: str, arbol, referencia, ruta: str = "", nulos: bool = False) -> None:
    """``arbol`` debe tener la estructura y las formas de ``referencia`` (con ``nulos``, hojas None valen)."""
    donde = f"{nombre}{ruta}"
    if isinstance(referencia, dict):
        if not isinstance(arbol, dict) or set(arbol) != set(referencia):
            claves = sorted(arbol) if isinstance(arbol, dict) else type(arbol).__name__
            raise ErrorDeForma(f"'{donde}' debe tener las claves {sorted(referencia)}, pero se recibió {claves}.")
        for k in referencia:
            validar_arbol(nombre, arbol[k], referencia[k], f'{ruta}["{k}"]', nulos)
    elif isinstance(referencia, (list, tuple)):
        if not isinstance(arbol, (list, tuple)) or len(arbol) != len(referencia):
            n = len(arbol) if isinstance(arbol, (list, tuple)) else type(arbol).__name__
            raise ErrorDeForma(f"'{donde}' debe ser una lista de {len(referencia)} elementos, pero se recibió {n}.")
        for i, (a, r) in enumerate(zip(arbol, referencia)):
            validar_arbol(nombre, a, r, f"{ruta}[{i}]", nulos)
    elif not (nulos and arbol is None):
        comprobar_flotante(donde, arbol)
        if tuple(arbol.shape) != tuple(referencia.shape):
            raise ErrorDeForma(
                f"'{donde}' debe tener la forma del parámetro, {tuple(referencia.shape)}, pero se recibió "
                f"{tuple(arbol.shape)}."
            )


def _es_entera(x) -> bool:
    return str(x.dtype).replace("torch.", "").startswith(("int", "uint"))


def validar_reduccion(reduccion) -> None:
    """``reduccion``: "media", "suma" o "ninguna"."""
    if reduccion not in REDUCCIONES:
        raise ErrorDeForma(f"'reduccion' debe ser una de {REDUCCIONES}, pero se recibió {reduccion!r}.")


def validar_numero(nombre: str, valor, minimo=None, maximo=None, incluir_min=True, incluir_max=True) -> float:
    """Un número real (no booleano) en el intervalo indicado."""
    es_numero = isinstance(valor, (int, float)) and not isinstance(valor, bool)
    bajo = minimo is None or (valor >= minimo if incluir_min else valor > minimo) if es_numero else False
    alto = maximo is None or (valor <= maximo if incluir_max else valor < maximo) if es_numero else False
    if not (es_numero and bajo and alto and valor == valor):
        izq = "" if minimo is None else f"{'[' if incluir_min else '('}{minimo}"
        der = "" if maximo is None else f"{maximo}{']' if incluir_max else ')'}"
        rango = f" en {izq or '(-∞'}, {der or '∞)'}" if minimo is not None or maximo is not None else ""
        raise ErrorDeForma(f"'{nombre}' debe ser un número{rango}, pero se recibió {valor!r}.")
    return float(valor)


def validar_token(nombre: str, valor, n_vocab: int) -> int:
    """Un id de token (entero en [0, N_V))."""
    if isinstance(valor, bool) or not isinstance(valor, int) or not 0 <= valor < n_vocab:
        raise ErrorDeForma(
            f"'{nombre}' debe ser un id de token entre 0 y N_V-1={n_vocab - 1}, pero se recibió {valor!r}."
        )
    return valor


def _validar_logits(logits) -> None:
    comprobar_flotante("logits", logits)
    if bool((logits != logits).any()) or bool((logits == float("inf")).any()):
        raise ErrorDeForma("'logits' contiene NaN o +inf: revisa la tasa de aprendizaje o los datos (-inf sí vale).")


def _validar_objetivos(nombre: str, objetivos, K: int, ignorar) -> None:
    if not _es_entera(objetivos):
        raise TypeError(f"'{nombre}' debe contener índices de clase enteros, pero se recibió dtype {objetivos.dtype}.")
    if ignorar is not None and (isinstance(ignorar, bool) or not isinstance(ignorar, int)):
        raise ErrorDeForma(
            f"'ignorar' debe ser un entero (el índice que no cuenta) o None, pero se recibió {ignorar!r}."
        )
    validos = objetivos if ignorar is None else objetivos[objetivos != ignorar]
    n = validos.numel() if hasattr(validos, "numel") else validos.size
    if n and (int(validos.min()) < 0 or int(validos.max()) >= K):
        raise ErrorDeForma(
            f"'{nombre}' debe contener índices entre 0 y K-1={K - 1} (K tomado de 'logits') o ignorar={ignorar}, "
            f"pero se recibieron valores entre {int(validos.min())} y {int(validos.max())}."
        )


def validar_entropia_cruzada(logits, objetivos, ignorar, suavizado, reduccion) -> Formas:
    """logits (..., K) de coma flotante (sin NaN ni +inf); objetivos (...) enteros en [0, K) o iguales a ``ignorar``."""
    _validar_logits(logits)
    f = Formas()
    lote = f.comprobar("logits", logits, "... K")
    recibida = tuple(objetivos.shape) if hasattr(objetivos, "shape") else type(objetivos).__name__
    if recibida != tuple(lote):
        raise ErrorDeForma(
            f"'objetivos' debe tener la forma de 'logits' sin la última dimensión, {tuple(lote)} (K={f['K']}), "
            f"pero se recibió {recibida}."
        )
    _validar_objetivos("objetivos", objetivos, f["K"], ignorar)
    validar_numero("suavizado", suavizado, 0.0, 1.0)
    validar_reduccion(reduccion)
    return f


def validar_modelo_lenguaje(logits, x, ignorar, reduccion) -> Formas:
    """logits (..., T, N_V) de la secuencia x (..., T) de enteros, con T ≥ 2 (se predice x[t+1])."""
    _validar_logits(logits)
    f = Formas()
    lote = f.comprobar("logits", logits, "... T N_V")
    f.comprobar("x", x, "... T")
    if tuple(x.shape[:-1]) != tuple(lote):
        raise ErrorDeForma(f"'x' debe tener forma (..., T) = {(*lote, f['T'])}, pero se recibió {tuple(x.shape)}.")
    if f["T"] < 2:
        raise ErrorDeForma(f"'x' debe tener al menos 2 tokens (T ≥ 2) para predecir el siguiente, pero T={f['T']}.")
    _validar_objetivos("x", x, f["N_V"], ignorar)
    validar_reduccion(reduccion)
    return f


def validar_enmascarado(x, id_mascara, n_vocab, p_mask, relleno) -> None:
    """Tokens enteros en [0, N_V), un id de máscara válido, ``p_mask`` en [0, 1] y el relleno (forma de x)."""
    if not hasattr(x, "shape") or not _es_entera(x):
        raise TypeError(f"'x' debe ser un arreglo o tensor de enteros, pero se recibió {getattr(x, 'dtype', type(x))}.")
    if isinstance(n_vocab, bool) or not isinstance(n_vocab, int) or n_vocab < 1:
        raise ErrorDeForma(f"'n_vocab' debe ser un entero positivo, pero se recibió {n_vocab!r}.")
    _validar_objetivos("x", x, n_vocab, None)
    validar_token("id_mascara", id_mascara, n_vocab)
    validar_numero("p_mask", p_mask, 0.0, 1.0)
    if relleno is not None and (str(relleno.dtype) not in ("bool", "torch.bool") or relleno.shape != x.shape):
        raise ErrorDeForma(
            f"'relleno' debe ser booleana con la forma de 'x' {tuple(x.shape)} (True = token real), pero se recibió "
            f"{tuple(relleno.shape)} de tipo {relleno.dtype}."
        )


def validar_adam(eta, beta_1, beta_2, epsilon, decaimiento, estado) -> None:
    """Hiperparámetros de Adam y el estado anterior (None o {"paso", "m", "v"})."""
    validar_numero("eta", eta, 0.0)
    validar_numero("beta_1", beta_1, 0.0, 1.0, incluir_max=False)
    validar_numero("beta_2", beta_2, 0.0, 1.0, incluir_max=False)
    validar_numero("epsilon", epsilon, 0.0)
    validar_numero("decaimiento", decaimiento, 0.0)
    if estado is not None and (not isinstance(estado, dict) or set(estado) != {"paso", "m", "v"}):
        recibido = sorted(estado) if isinstance(estado, dict) else type(estado).__name__
        raise ErrorDeForma(
            f"'estado' debe ser None (primer paso) o el diccionario {{'paso', 'm', 'v'}} que devolvió adam, "
            f"pero se recibió {recibido}."
        )
