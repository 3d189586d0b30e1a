"""Índice de ecuaciones del libro, generado a partir del registro de ecuaciones.

``python -m transformadores.sitio.indice`` escribe ``libro/indice-ecuaciones.md`` (``make libro`` lo hace
antes de cada construcción, así que nunca se queda atrás). Con ``--comprobar`` no escribe nada y
termina con error si el fichero no coincide con lo que se generaría ahora.

Para cada id del inventario, la página da su número en el libro (una referencia ``{eq}`` a la ecuación,
si ya está en un capítulo publicado), su capítulo y enlaces al código de sus dos implementaciones, NumPy
y PyTorch, en el repositorio que indica ``_config.yml``.
"""

from __future__ import annotations

import argparse
import inspect
import json
import re
import sys
from pathlib import Path

from ..ecuaciones import registro

__all__ = ["generar", "main", "DESTINO"]

DESTINO = Path("libro") / "indice-ecuaciones.md"
ETIQUETA = re.compile(r"\$\$\s*\(([a-z0-9-]+)\)")

CABECERA = """\
# Índice de ecuaciones

Cada ecuación del libro tiene un identificador estable (por ejemplo, `atencion-producto-escalado`), que es también su
etiqueta en el capítulo, el nombre con el que la citan los docstrings de sus dos implementaciones y la clave del
registro `transformadores.ecuaciones`. Esta página se genera a partir de ese registro cada vez que se construye el
libro. Pulsa el número de una ecuación para ir a ella, y «NumPy» o «PyTorch» para leer el código de sus dos
implementaciones (el nombre de la función aparece al pasar el puntero por encima). Un asterisco
marca las variantes modernas u opcionales; una raya, lo que todavía no existe.

{resumen}
"""


def _documentos_del_libro(raiz: Path) -> set[str]:
    """Los documentos de ``_toc.yml`` (sin extensión): solo esos se construyen y se pueden enlazar."""
    texto = (raiz / "_toc.yml").read_text(encoding="utf-8")
    return set(re.findall(r"(?:file|root):\s*([\w./-]+)", texto))


def _capitulos(raiz: Path) -> dict[int, tuple[str, list[str]]]:
    """Número de capítulo → (documento, etiquetas de sus ecuaciones en orden), solo de los capítulos publicados."""
    publicados = _documentos_del_libro(raiz)
    capitulos = {}
    for ruta in sorted((raiz / "capitulos").glob("[0-9]*.ipynb")):
        documento = ruta.relative_to(raiz).with_suffix("").as_posix()
        if documento not in publicados:
            continue
        celdas = json.loads(ruta.read_text(encoding="utf-8"))["cells"]
        texto = "\n".join("".join(c["source"]) for c in celdas if c["cell_type"] == "markdown")
        capitulos[int(ruta.name.split("-")[0])] = (documento, list(dict.fromkeys(ETIQUETA.findall(texto))))
    return capitulos


def _repositorio(raiz: Path) -> tuple[str, str]:
    """URL y rama del repositorio, de ``_config.yml`` (las mismas que usan los botones de lanzamiento)."""
    import yaml

    config = yaml.safe_load((raiz / "_config.yml").read_text(encoding="utf-8")).get("repository", {})
    return config.get("url", "").rstrip("/"), config.get("branch", "main")


def _enlace_codigo(funcion, gemelo: str, raiz: Path, url: str, rama: str) -> str:
    """``[NumPy](…)``: enlace a las líneas de la función en el repositorio; su nombre va en el título."""
    nombre = f"{funcion.__module__.split('.')[1]}.{funcion.__name__}"
    try:
        ruta = Path(inspect.getsourcefile(funcion)).resolve().relative_to(raiz.resolve()).as_posix()
    except (TypeError, ValueError):  # paquete instalado fuera del repositorio: sin enlace
        ruta = None
    if not (url and ruta):
        return f"{gemelo} (`{nombre}`)"
    lineas, inicio = inspect.getsourcelines(funcion)
    return f'[{gemelo}]({url}/blob/{rama}/{ruta}#L{inicio}-L{inicio + len(lineas) - 1} "{nombre}")'


def _codigo(e, raiz: Path, url: str, rama: str) -> str:
    enlaces = [_enlace_codigo(f, g, raiz, url, rama) for f, g in ((e.numpy, "NumPy"), (e.torch, "PyTorch")) if f]
    return " · ".join(enlaces) or "—"


def generar(raiz: Path | str = ".") -> str:
    """El texto Markdown (MyST) de la página del índice de ecuaciones."""
    raiz = Path(raiz)
    capitulos, (url, rama), tabla = _capitulos(raiz), _repositorio(raiz), registro()
    etiquetadas = sum(e.id in capitulos.get(e.capitulo, ("", []))[1] for e in tabla.values())
    resumen = (
        f"El inventario tiene {len(tabla)} ecuaciones: {etiquetadas} están ya en un capítulo publicado, "
        f"{sum(e.numpy is not None for e in tabla.values())} tienen implementación en NumPy y "
        f"{sum(e.torch is not None for e in tabla.values())}, en PyTorch."
    )
    partes = [CABECERA.format(resumen=resumen)]
    for numero in sorted({e.capitulo for e in tabla.values()}):
        documento, etiquetas = capitulos.get(numero, (None, []))
        if documento:
            partes.append(f"## Capítulo {numero}\n\n{{doc}}`../{documento}`\n")
        else:
            partes.append(f"## Capítulo {numero}\n\nEste capítulo está en preparación.\n")
        partes.append("| ec. | id | título | código |\n|---|---|---|---|")
        # Primero las ecuaciones del capítulo, en el orden en que aparecen (el de su numeración); después, las demás.
        orden = {id_: i for i, id_ in enumerate(etiquetas)}
        ecuaciones = sorted((e for e in tabla.values() if e.capitulo == numero), key=lambda e: orden.get(e.id, 1e9))
        for e in ecuaciones:
            numero_ec = f"{{eq}}`{e.id}`" if e.id in etiquetas else "—"
            titulo = e.titulo.replace("|", r"\|") + ("" if e.nucleo else " \\*")
            partes.append(f"| {numero_ec} | `{e.id}` | {titulo} | {_codigo(e, raiz, url, rama)} |")
        partes.append("")
    return "\n".join(partes)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Genera libro/indice-ecuaciones.md a partir del registro de ecuaciones.")
    p.add_argument("--raiz", type=Path, default=Path("."), help="raíz del libro (donde están _config.yml y _toc.yml)")
    p.add_argument("--comprobar", action="store_true", help="no escribe; falla si el fichero no está al día")
    args = p.parse_args(argv)
    destino, texto = args.raiz / DESTINO, generar(args.raiz)
    if args.comprobar:
        if not destino.exists() or destino.read_text(encoding="utf-8") != texto:
            print(f"{destino} no está al día: ejecuta `python -m transformadores.sitio.indice`.", file=sys.stderr)
            return 1
        return 0
    if not destino.exists() or destino.read_text(encoding="utf-8") != texto:
        destino.write_text(texto, encoding="utf-8")
    print(f"Índice de ecuaciones: {destino}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
