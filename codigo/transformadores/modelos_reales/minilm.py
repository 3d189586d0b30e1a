"""all-MiniLM-L6-v2 por dentro, con las funciones del paquete (capítulos 4–7).

MiniLM es un BERT pequeño (solo codificador, P&H Alg. 9, sin la cabeza MLM):

1. incrustación ``X_0 = LN(E(x) + P + W_T[0])`` (ec. `incrustacion-inicial-suma` más la tabla de
   segmentos de BERT, todo el texto es el segmento 0, y una LayerNorm con ``ε = 10⁻¹²``);
2. seis capas ``capa_codificador`` Post-LN con GELU (ec. `capa-codificador`), con la máscara de
   relleno (B, 1, 1, S), True = token real;
3. para una frase entera, la media de los estados de los tokens reales, normalizada a longitud 1
   (lo que hace sentence-transformers con este modelo).

Cada función acepta ``gemelo="numpy"`` (``transformadores.con_numpy``) o ``"torch"``
(``transformadores.con_torch``, en cualquier dispositivo); los resultados coinciden con
``transformers.BertModel`` cargado con los mismos pesos (``tests/oraculos/test_minilm.py``).
"""

from __future__ import annotations

import importlib

import numpy as np

from ..errores import ErrorDeForma, comprobar_forma
from ..validacion.transformador import validar_relleno
from .carga import cargar_minilm, configuracion_minilm, tokenizar

__all__ = ["estados_minilm", "pesos_atencion_minilm", "agrupar_media", "incrustar_frases", "similitud_coseno"]

GEMELOS = ("numpy", "torch")


def _es_tensor(x) -> bool:
    return type(x).__module__.startswith("torch")


def _modulo(gemelo: str):
    """``transformadores.con_numpy`` o ``transformadores.con_torch`` (importado solo si se usa)."""
    if gemelo not in GEMELOS:
        raise ErrorDeForma(f"'gemelo' debe ser uno de {GEMELOS}, pero se recibió {gemelo!r}.")
    return importlib.import_module(f"transformadores.con_{gemelo}")


def _al_gemelo(x, gemelo: str, dispositivo):
    """Lleva un arreglo, un tensor o un árbol de ellos (dicts, listas) al tipo del gemelo."""
    if isinstance(x, dict):
        return {k: _al_gemelo(v, gemelo, dispositivo) for k, v in x.items()}
    if isinstance(x, list) and x and isinstance(x[0], dict):  # las capas
        return [_al_gemelo(v, gemelo, dispositivo) for v in x]
    if gemelo == "numpy":
        return x.detach().cpu().numpy() if _es_tensor(x) else np.asarray(x)
    import torch

    return (x if _es_tensor(x) else torch.from_numpy(np.asarray(x))).to(dispositivo)


def _preparar(ids, mascara, parametros, gemelo, dispositivo):
    """Tokens, relleno y pesos en el gemelo pedido; ``dispositivo`` None = el de ``ids`` (o CPU)."""
    g = _modulo(gemelo)
    if dispositivo is None:
        dispositivo = ids.device if _es_tensor(ids) else "cpu"
    parametros = cargar_minilm() if parametros is None else parametros
    ids, mascara = _al_gemelo(ids, gemelo, dispositivo), _al_gemelo(mascara, gemelo, dispositivo)
    comprobar_forma("ids", ids, "B T")
    validar_relleno("mascara", mascara, "ids", ids)
    return g, ids, mascara, _al_gemelo(parametros, gemelo, dispositivo)


def _incrustar(g, ids, inc, config):
    """``X_0 = LN(E(x) + P[0:T] + W_T[0])`` con ``ε`` de la configuración (1e-12 en BERT)."""
    X = g.incrustacion_inicial(ids, inc["W_E"], inc["W_P"])  # (B, T, d_modelo)
    X = X + g.incrustacion_token(ids * 0, inc["W_T"])  # segmento 0 para todos los tokens
    return g.normalizacion_capa(X, inc["gamma"], inc["beta"], config.eps)  # (B, T, d_modelo)


def estados_minilm(ids, mascara, parametros=None, gemelo="numpy", todas_las_capas=False, dispositivo=None):
    """Estados ocultos de MiniLM: la incrustación y las seis capas de codificador del paquete.

    ``X_0 = LN(E(x) + P + W_T[0])`` y ``X_l = capa_codificador(X_{l-1})`` (ec. `capa-codificador`:
    Post-LN, GELU, sesgos, ``ε = 10⁻¹²``), con la máscara de relleno ``mascara[:, None, None, :]``.

    Parámetros
    ----------
    ids, mascara : de :func:`tokenizar`; arreglos de NumPy o tensores.
    parametros : diccionario de :func:`cargar_minilm` (None = cargarlo), en NumPy o PyTorch.
    gemelo : "numpy" o "torch".
    todas_las_capas : devolver la lista ``[X_0, X_1, …, X_6]`` (como ``hidden_states`` de
        ``transformers``) en lugar de solo ``X_6``.
    dispositivo : solo con "torch"; None = el de ``ids`` (CPU si ``ids`` es de NumPy).

    Formas
    ------
    ids : (B, T), enteros    mascara : (B, T), booleana, True = token real
    salida : (B, T, d_modelo), o una lista de L+1 de ellas
    """
    g, ids, mascara, parametros = _preparar(ids, mascara, parametros, gemelo, dispositivo)
    config = configuracion_minilm()
    relleno = mascara[:, None, None, :]  # (B, 1, 1, S): la misma para cabezas y consultas
    X = _incrustar(g, ids, parametros["incrustacion"], config)
    estados = [X]
    for capa in parametros["codificador"]["capas"]:
        X = g.capa_codificador(X, capa, config, relleno)  # (B, T, d_modelo)
        estados.append(X)
    return estados if todas_las_capas else X


def pesos_atencion_minilm(ids, mascara, capa, parametros=None, gemelo="numpy", dispositivo=None):
    """Pesos de atención de todas las cabezas de la capa ``capa`` (0 … L-1) de MiniLM.

    Calcula los estados hasta la entrada de esa capa y repite su autoatención con
    ``atencion_multicabeza(..., devolver_pesos=True)`` (ec. `atencion-multicabeza`). Las claves de
    relleno reciben peso 0.

    Formas
    ------
    ids : (B, T)    mascara : (B, T)    salida : (B, H, T, T), cada fila suma 1
    """
    g, ids, mascara, parametros = _preparar(ids, mascara, parametros, gemelo, dispositivo)
    capas = parametros["codificador"]["capas"]
    if isinstance(capa, bool) or not isinstance(capa, int) or not 0 <= capa < len(capas):
        raise ErrorDeForma(f"'capa' debe ser un entero en [0, {len(capas)}), pero se recibió {capa!r}.")
    X = estados_minilm(ids, mascara, {**parametros, "codificador": {"capas": capas[:capa]}}, gemelo)
    A = capas[capa]["autoatencion"]
    pesos = (A["W_q"], A["W_k"], A["W_v"], A["W_o"], configuracion_minilm().n_cabezas)
    sesgos = {"b_q": A["b_q"], "b_k": A["b_k"], "b_v": A["b_v"], "b_o": A["b_o"]}
    _, alfa = g.atencion_multicabeza(X, *pesos, **sesgos, mascara=mascara[:, None, None, :], devolver_pesos=True)
    return alfa  # (B, H, T, T)


def agrupar_media(estados, mascara):
    """Media de los estados de los tokens reales de cada frase (el *mean pooling* de sentence-transformers).

    ``s = Σ_t m_t X_t / max(Σ_t m_t, 10⁻⁹)``; los tokens de relleno no cuentan.

    Formas
    ------
    estados : (B, T, d)    mascara : (B, T), booleana    salida : (B, d)
    """
    comprobar_forma("estados", estados, "B T d")
    validar_relleno("mascara", mascara, "estados[..., 0]", estados[..., 0])
    m = mascara[..., None]  # (B, T, 1)
    m = m.to(estados.dtype) if _es_tensor(estados) else m.astype(estados.dtype)
    return (estados * m).sum(-2) / m.sum(-2).clip(min=1e-9)  # (B, d)


def _normalizar(x):
    """Cada fila dividida por su norma euclídea (mínimo 10⁻¹², como ``F.normalize``)."""
    if _es_tensor(x):
        return x / x.norm(dim=-1, keepdim=True).clip(min=1e-12)
    return x / np.linalg.norm(x, axis=-1, keepdims=True).clip(min=1e-12)


def similitud_coseno(A, B=None):
    """Matriz de similitudes coseno ``S_ij = a_i·b_j / (‖a_i‖ ‖b_j‖)``; ``B = A`` si es None.

    Formas
    ------
    A : (N, d)    B : (M, d)    salida : (N, M), valores en [-1, 1]
    """
    comprobar_forma("A", A, "N d")
    B = A if B is None else B
    comprobar_forma("B", B, "M d")
    if A.shape[-1] != B.shape[-1]:
        raise ErrorDeForma(
            f"'B' debe tener forma (M, d) con d={A.shape[-1]} (tomado de 'A'), pero se recibió {tuple(B.shape)}."
        )
    return _normalizar(A) @ _normalizar(B).T  # (N, M)


def incrustar_frases(frases, gemelo="numpy", normalizar=True, parametros=None, dispositivo=None):
    """Una incrustación por frase, como ``SentenceTransformer("all-MiniLM-L6-v2").encode``.

    1) tokenizar con relleno; 2) :func:`estados_minilm`; 3) :func:`agrupar_media` de los tokens
    reales; 4) con ``normalizar``, dividir por la norma (entonces el coseno es un producto escalar).

    Formas
    ------
    frases : una cadena o una lista de N cadenas    salida : (N, d_modelo) con d_modelo = 384
    """
    ids, mascara = tokenizar(frases)
    estados = estados_minilm(ids, mascara, parametros, gemelo, dispositivo=dispositivo)  # (N, T, d_modelo)
    frase = agrupar_media(estados, _al_gemelo(mascara, gemelo, estados.device if _es_tensor(estados) else None))
    return _normalizar(frase) if normalizar else frase  # (N, d_modelo)
