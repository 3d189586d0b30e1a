"""Revisión ortográfica de la prosa del libro con hunspell (diccionario es_ES).

``python -m transformadores.ortografia`` revisa las celdas de texto de los cuadernos de
``capitulos/`` y ``ejercicios/`` y los ``.md`` de ``libro/``, sin el código, las fórmulas, los
enlaces ni las directivas. Las palabras técnicas y los nombres propios aceptados están en
``libro/palabras.txt`` (una por línea). Sale con código 1 si encuentra palabras desconocidas.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

__all__ = ["prosa", "palabras_desconocidas", "main"]

_QUITAR = [
    re.compile(r"```.*?```", re.S),  # bloques de código y directivas
    re.compile(r":::.*?:::", re.S),
    re.compile(r"\$\$.*?\$\$(\s*\([a-z0-9-]+\))?", re.S),  # ecuaciones en bloque y su etiqueta
    re.compile(r"\$[^$\n]+\$"),  # fórmulas en línea
    re.compile(r"\{[a-z:]+\}`[^`]*`"),  # roles: {cite}`…`, {eq}`…`, {doc}`…`
    re.compile(r"`[^`\n]*`"),  # código en línea
    re.compile(r"\]\([^)]*\)"),  # destinos de enlaces
    re.compile(r"<[^>\n]+>"),  # etiquetas HTML y URL entre <>
    re.compile(r"https?://\S+"),
    re.compile(r"^:[a-z-]+:.*$", re.M),  # opciones de directivas
    re.compile(r"\*[A-Za-z][A-Za-z -]*\*"),  # términos en inglés en cursiva: *attention*
]


def prosa(texto: str) -> str:
    """El texto sin código, fórmulas, enlaces, directivas ni términos en cursiva."""
    for patron in _QUITAR:
        texto = patron.sub(" ", texto)
    return texto


def _textos(raiz: Path):
    for ruta in sorted(
        [*raiz.glob("capitulos/*.ipynb"), *raiz.glob("ejercicios/*.ipynb"), *raiz.glob("libro/*.ipynb")]
    ):
        celdas = json.loads(ruta.read_text(encoding="utf-8"))["cells"]
        yield ruta, "\n".join("".join(c["source"]) for c in celdas if c["cell_type"] == "markdown")
    for ruta in sorted(raiz.glob("libro/*.md")):
        if ruta.name != "indice-ecuaciones.md":  # generado a partir de los títulos del inventario
            yield ruta, ruta.read_text(encoding="utf-8")


def palabras_desconocidas(texto: str, aceptadas: set[str]) -> list[str]:
    """Palabras que ``hunspell -d es_ES`` no reconoce y que no están en ``aceptadas``."""
    if shutil.which("hunspell") is None:
        raise RuntimeError("No se encuentra hunspell: instálalo con «apt-get install hunspell hunspell-es».")
    salida = subprocess.run(
        ["hunspell", "-d", "es_ES", "-l"], input=prosa(texto), capture_output=True, text=True, check=True
    ).stdout.split()
    return sorted({p for p in salida if not _sigla_o_simbolo(p) and p not in aceptadas and p.lower() not in aceptadas})


def _sigla_o_simbolo(palabra: str) -> bool:
    """Letras sueltas (símbolos: k, n, H) y siglas o nombres con mayúsculas internas (LSTM, NumPy, RoPE)."""
    return len(palabra) == 1 or any(c.isupper() for c in palabra[1:])


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Revisión ortográfica de la prosa del libro.")
    p.add_argument("--raiz", type=Path, default=Path("."))
    args = p.parse_args(argv)
    lista = args.raiz / "libro" / "palabras.txt"
    aceptadas = {
        l.strip() for l in lista.read_text(encoding="utf-8").splitlines() if l.strip() and not l.startswith("#")
    }
    total = 0
    for ruta, texto in _textos(args.raiz):
        desconocidas = palabras_desconocidas(texto, aceptadas)
        total += len(desconocidas)
        if desconocidas:
            print(f"{ruta}: {', '.join(desconocidas)}")
    print(f"Ortografía: {total} palabras desconocidas.")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
