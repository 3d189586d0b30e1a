"""El texto del propio libro como corpus de un modelo de lenguaje por caracteres (capítulo 9).

Leemos las celdas de Markdown de los cuadernos de ``capitulos/`` (los seis primeros por omisión) y los
``libro/*.md`` del repositorio: nada se descarga. Quitamos a grandes rasgos lo que no es prosa (bloques
de código, fórmulas, directivas y roles de MyST, enlaces, marcas de Markdown) y pasamos a minúsculas.

Los experimentos no leen el libro vivo, que cambia con cada corrección (y con él sus resultados), sino una
instantánea congelada, ``corpus_libro.txt``: la prosa de los capítulos 1–6 y de ``libro/*.md`` tal como estaba
el 27 de noviembre de 2026, la que se usó para entrenar los pesos guardados. :func:`corpus_libro` la devuelve;
``python -m transformadores.datos.texto_libro`` escribe una nueva a partir del texto actual.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np

__all__ = ["RAIZ", "CORPUS", "corpus_libro", "leer_texto_libro", "limpiar_markdown", "Vocabulario", "dividir_texto"]

RAIZ = Path(__file__).resolve().parents[3]  # la raíz del repositorio
CORPUS = Path(__file__).with_name("corpus_libro.txt")
PERMITIDOS = set("abcdefghijklmnopqrstuvwxyzáéíóúüñ0123456789 .,;:¿?¡!()«»-\n")


def limpiar_markdown(texto: str) -> str:
    """Deja (más o menos) solo la prosa de un texto en Markdown de MyST, en minúsculas."""
    texto = re.sub(r"```.*?```", " ", texto, flags=re.S)  # bloques de código y directivas
    texto = re.sub(r"\$\$.*?\$\$(\s*\([^)]*\))?", " ", texto, flags=re.S)  # ecuaciones con etiqueta
    texto = re.sub(r"\$[^$\n]*\$", " ", texto)  # fórmulas en línea
    texto = re.sub(r"\{[a-z]+\}`[^`]*`", " ", texto)  # roles de MyST: {eq}`…`, {footcite}`…`
    texto = re.sub(r"`[^`]*`", " ", texto)  # código en línea
    texto = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", texto)  # [texto](enlace) → texto
    texto = re.sub(r"<[^>]+>", " ", texto)  # etiquetas HTML
    texto = texto.lower().replace("—", "-").replace("–", "-")
    texto = re.sub(r"\n\s*\n", "\x00", texto)  # los párrafos se separan con un salto de línea
    texto = texto.replace("\n", " ").replace("\x00", "\n")
    texto = "".join(c if c in PERMITIDOS else " " for c in texto)
    texto = re.sub(r"[ \t]+", " ", texto)
    texto = re.sub(r" ([.,;:])", r"\1", texto)  # «, .» que deja una fórmula quitada
    texto = re.sub(r"[.,;:]*\.", ".", texto)
    texto = re.sub(r" *\n[ \n]*", "\n", texto)
    return texto.strip()


def leer_texto_libro(capitulos=("01", "02", "03", "04", "05", "06"), raiz: Path | str = RAIZ) -> str:
    """El corpus: la prosa de los cuadernos ``capitulos/NN-*.ipynb`` pedidos y de ``libro/*.md``, en orden fijo."""
    raiz = Path(raiz)
    partes = []
    for nn in capitulos:
        for ruta in sorted((raiz / "capitulos").glob(f"{nn}-*.ipynb")):
            celdas = json.loads(ruta.read_text(encoding="utf-8"))["cells"]
            for celda in celdas:
                if celda["cell_type"] == "markdown":
                    fuente = celda["source"]
                    partes.append(fuente if isinstance(fuente, str) else "".join(fuente))
    for ruta in sorted((raiz / "libro").glob("*.md")):
        partes.append(ruta.read_text(encoding="utf-8"))
    if not partes:
        raise FileNotFoundError(f"No se encontró texto del libro en {raiz}.")
    return "\n".join(limpiar_markdown(p) for p in partes if p.strip())


def corpus_libro() -> str:
    """La instantánea congelada del texto del libro (ya limpia, en minúsculas): ver la cabecera del módulo."""
    return CORPUS.read_text(encoding="utf-8")


class Vocabulario:
    """Vocabulario de caracteres: ``codificar(texto) → (n,) enteros`` y ``decodificar(ids) → texto``.

    Por omisión, los caracteres que deja :func:`limpiar_markdown` (fijos: no dependen del texto leído).
    """

    def __init__(self, caracteres=None):
        self.caracteres = sorted(PERMITIDOS if caracteres is None else set(caracteres))
        self.indice = {c: i for i, c in enumerate(self.caracteres)}

    def __len__(self) -> int:
        return len(self.caracteres)

    def codificar(self, texto: str) -> np.ndarray:
        desconocidos = set(texto) - set(self.indice)
        if desconocidos:
            raise ValueError(f"Caracteres fuera del vocabulario: {sorted(desconocidos)!r}.")
        return np.array([self.indice[c] for c in texto], dtype=np.int64)

    def decodificar(self, ids) -> str:
        return "".join(self.caracteres[int(i)] for i in np.asarray(ids).reshape(-1))


def dividir_texto(ids: np.ndarray, cada: int = 10, bloque: int = 2000):
    """Entrenamiento y validación: uno de cada ``cada`` bloques de ``bloque`` caracteres se reserva.

    Así la validación tiene prosa de todas las partes del libro, pero ningún carácter suyo se ve al entrenar.

    Formas
    ------
    ids : (n,)    devuelve (entrenamiento, validacion) : (n - m,), (m,)
    """
    if cada < 2 or bloque < 1:
        raise ValueError(f"'cada' debe ser ≥ 2 y 'bloque' ≥ 1, pero se recibió cada={cada}, bloque={bloque}.")
    numero = np.arange(len(ids)) // bloque  # el bloque de cada carácter
    reservado = numero % cada == cada - 1
    return ids[~reservado], ids[reservado]


if __name__ == "__main__":  # congela el texto actual del libro en corpus_libro.txt
    CORPUS.write_text(leer_texto_libro(), encoding="utf-8")
    print(f"{CORPUS}: {len(corpus_libro())} caracteres")
