"""El ejemplo del capítulo «Un transformador real por dentro»: similitudes y una cabeza de atención de MiniLM."""

from __future__ import annotations

from ..errores import ErrorDeForma
from .carga import configuracion_minilm, piezas, tokenizar
from .minilm import incrustar_frases, pesos_atencion_minilm, similitud_coseno

__all__ = ["demo_minilm", "FRASES_DEMO"]

FRASES_DEMO = (
    "El gato duerme en el sofá.",
    "Un gato está durmiendo en el sillón.",
    "The cat is sleeping on the couch.",
    "La bolsa cayó un tres por ciento.",
    "The stock market fell three percent.",
)


def demo_minilm(frases=FRASES_DEMO, capa=0, cabeza=2, frase_atencion=2, gemelo="numpy"):
    """Similitudes coseno entre frases y los pesos de atención de una cabeza de MiniLM.

    Parámetros
    ----------
    frases : las frases que comparamos (por omisión, cinco en español e inglés).
    capa, cabeza : la cabeza de atención que miramos (capas 0–5, cabezas 0–11). La cabeza 2 de la
        capa 0 mira casi solo al token anterior; la 8 de la capa 1, sobre todo al siguiente.
    frase_atencion : índice de la frase cuyos pesos de atención devolvemos (tokenizada sola,
        sin relleno); por omisión, la primera en inglés.
    gemelo : "numpy" o "torch"; el resultado se devuelve siempre en NumPy.

    MiniLM se entrenó con texto en inglés: dos frases en español que dicen lo mismo se parecen
    (comparten piezas como «ga», «##to»), pero una frase y su traducción al inglés apenas.

    Devuelve
    --------
    dict con ``frases``, ``similitudes`` (N, N), ``piezas`` (las T piezas de la frase elegida),
    ``pesos`` (T, T) de esa cabeza (fila = consulta, columna = clave; cada fila suma 1), ``capa`` y ``cabeza``.

    Formas
    ------
    similitudes : (N, N), simétrica, unos en la diagonal    pesos : (T, T)

    Ejemplos
    --------
    >>> d = demo_minilm()                                   # doctest: +SKIP
    >>> d["similitudes"][0, 1] > d["similitudes"][0, 3]     # doctest: +SKIP
    True
    """
    frases = [frases] if isinstance(frases, str) else list(frases)
    config = configuracion_minilm()
    if isinstance(cabeza, bool) or not isinstance(cabeza, int) or not 0 <= cabeza < config.n_cabezas:
        raise ErrorDeForma(f"'cabeza' debe ser un entero en [0, {config.n_cabezas}), pero se recibió {cabeza!r}.")
    if isinstance(frase_atencion, bool) or not isinstance(frase_atencion, int) or not 0 <= frase_atencion < len(frases):
        raise ErrorDeForma(
            f"'frase_atencion' debe ser un índice en [0, {len(frases)}), pero se recibió {frase_atencion!r}."
        )
    S = similitud_coseno(incrustar_frases(frases, gemelo))  # (N, N)
    ids, mascara = tokenizar(frases[frase_atencion])  # (1, T)
    alfa = pesos_atencion_minilm(ids, mascara, capa, gemelo=gemelo)[0, cabeza]  # (T, T)
    a_numpy = (lambda x: x.detach().cpu().numpy()) if gemelo == "torch" else (lambda x: x)
    return {"frases": frases, "similitudes": a_numpy(S), "piezas": piezas(ids[0]), "pesos": a_numpy(alfa),
            "capa": capa, "cabeza": cabeza}  # fmt: skip
