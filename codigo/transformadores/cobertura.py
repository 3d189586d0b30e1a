"""Tabla de cobertura del inventario: ``python -m transformadores.cobertura``.

Para cada id: capítulo, implementación NumPy, implementación PyTorch y prueba (una prueba
marcada con ``@pytest.mark.ecuacion("id")`` en ``tests/``). Sale con código 1 si falta algo
en algún id del núcleo de los capítulos pedidos.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from .ecuaciones import registro

_MARCA = re.compile(r"""ecuacion\(\s*["']([a-z0-9-]+)["']""")


def ids_con_prueba(carpeta: Path) -> set[str]:
    """Ids citados por ``pytest.mark.ecuacion("…")`` en los ficheros de prueba."""
    ids: set[str] = set()
    for fichero in carpeta.rglob("test_*.py"):
        ids.update(_MARCA.findall(fichero.read_text(encoding="utf-8")))
    return ids


def tabla(capitulos: set[int] | None, carpeta_pruebas: Path) -> tuple[list[tuple], int]:
    """Filas (id, cap., núcleo, numpy, torch, prueba) y número de ids del núcleo incompletos."""
    probados = ids_con_prueba(carpeta_pruebas)
    filas, faltan = [], 0
    for e in registro().values():
        if capitulos and e.capitulo not in capitulos:
            continue
        fila = (e.id, e.capitulo, e.nucleo, e.numpy is not None, e.torch is not None, e.id in probados)
        filas.append(fila)
        faltan += e.nucleo and not all(fila[3:])
    return filas, faltan


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Cobertura del inventario de ecuaciones.")
    p.add_argument("--capitulos", type=int, nargs="*", help="limitar a estos capítulos")
    p.add_argument("--pruebas", type=Path, default=Path("tests"), help="carpeta de pruebas")
    args = p.parse_args(argv)
    filas, faltan = tabla(set(args.capitulos or []), args.pruebas)
    marca = {True: "sí", False: "—"}
    print(f"{'id':45} {'cap':>3}  {'tipo':6} {'NumPy':5} {'PyTorch':7} {'prueba':6}")
    for i, c, n, a, b, t in filas:
        print(f"{i:45} {c:>3}  {'núcleo' if n else 'var.':6} {marca[a]:5} {marca[b]:7} {marca[t]:6}")
    nucleo = [f for f in filas if f[2]]
    completos = sum(all(f[3:]) for f in nucleo)
    print(f"\nNúcleo completo (NumPy + PyTorch + prueba): {completos}/{len(nucleo)}")
    return 1 if faltan else 0


if __name__ == "__main__":
    sys.exit(main())
