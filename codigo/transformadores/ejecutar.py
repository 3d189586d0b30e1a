"""Vuelve a ejecutar cuadernos en su sitio, guardando salidas y estado de los widgets.

``python -m transformadores.ejecutar capitulos/*.ipynb ejercicios/*.ipynb``

Así las salidas guardadas (de las que se construye el libro y que nbval compara) son siempre
las que produce el código de hoy. Imprime el tiempo de cada cuaderno.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

__all__ = ["ejecutar_cuaderno", "main"]


def ejecutar_cuaderno(ruta: Path, limite_s: int = 600) -> float:
    """Ejecuta ``ruta`` con el núcleo de este Python, la reescribe y devuelve los segundos que tardó."""
    cuaderno = nbformat.read(ruta, as_version=4)
    cliente = NotebookClient(
        cuaderno,
        timeout=limite_s,
        kernel_name="python3",
        resources={"metadata": {"path": str(ruta.parent)}},
        store_widget_state=True,
    )
    inicio = time.perf_counter()
    cliente.execute()
    segundos = time.perf_counter() - inicio
    nbformat.write(cuaderno, ruta)
    return segundos


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Ejecuta cuadernos en su sitio (salidas y widgets guardados).")
    p.add_argument("cuadernos", nargs="+", type=Path)
    args = p.parse_args(argv)
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    for ruta in args.cuadernos:
        print(f"{ruta}: {ejecutar_cuaderno(ruta):.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
