"""Genera los cuadernos del alumno a partir de los cuadernos de ejercicios con soluciones.

``python -m transformadores.evaluacion.alumnos`` (o ``make alumnos``) lee ``ejercicios/NN-tema.ipynb``,
cambia cada región ``# --- SOLUCIÓN ---`` … ``# --- FIN DE LA SOLUCIÓN ---`` por un esqueleto (las
funciones devuelven None y las respuestas valen None, así ``comprobar`` dice «sin completar»), lo
ejecuta y lo guarda en ``ejercicios/alumno/NN-tema.ipynb``. ``--comprobar`` solo dice si están al día.
"""

from __future__ import annotations

import argparse
import ast
import os
import re
import sys
import tempfile
from pathlib import Path

import nbformat
from nbformat.v4 import new_markdown_cell

__all__ = ["INICIO", "FIN", "esqueleto", "cuaderno_alumno", "desactualizados", "generar", "main"]

INICIO = "# --- SOLUCIÓN ---"
FIN = "# --- FIN DE LA SOLUCIÓN ---"
MARCA = "# ✏️ Tu solución:"
CARPETA = "alumno"
_COMPROBAR = re.compile(r"""comprobar\(\s*["']([a-z0-9-]+)["']""")
_AVISO = (
    "> **Cuaderno para completar.** Escribe tu solución en las celdas marcadas con ✏️ y ejecuta la celda "
    "siguiente: `comprobar` la prueba con casos nuevos cada vez. Si entregas el cuaderno, se califica en un "
    "núcleo nuevo, con casos ocultos. Este archivo se genera desde `ejercicios/{origen}` con `make alumnos`."
)


def esqueleto(region: str, respuestas: set[str]) -> str:
    """El esqueleto de una región de solución: cada función devuelve None; cada respuesta vale None.

    Las demás sentencias (cálculos y ``print`` del experimento) desaparecen.
    """
    partes = []
    for nodo in ast.parse(region).body:
        if isinstance(nodo, ast.FunctionDef):
            nodo.body, nodo.decorator_list, nodo.returns = [ast.Pass()], [], None
            cabecera = ast.unparse(nodo).splitlines()[0]  # «def nombre(argumentos):»
            partes.append(f"{cabecera}\n    # Escribe aquí tu código.\n    return None")
        elif isinstance(nodo, ast.Assign):
            for objetivo in nodo.targets:
                if isinstance(objetivo, ast.Name) and objetivo.id in respuestas:
                    partes.append(f"{objetivo.id} = None  # escribe aquí tu respuesta")
    return "\n\n\n".join(partes)


def _sustituir_regiones(codigo: str, respuestas: set[str]) -> str:
    patron = re.compile(re.escape(INICIO) + r"\n(.*?)" + re.escape(FIN), re.S)
    return patron.sub(lambda m: f"{MARCA}\n{esqueleto(m.group(1), respuestas)}", codigo)


def ids_de(cuaderno) -> list[str]:
    """Los ids de los ejercicios que comprueba el cuaderno, en orden y sin repetir."""
    vistos: list[str] = []
    for celda in cuaderno.cells:
        if celda.cell_type == "code":
            vistos += [i for i in _COMPROBAR.findall(celda.source) if i not in vistos]
    return vistos


def cuaderno_alumno(fuente: Path):
    """El cuaderno del alumno (sin ejecutar) que corresponde al cuaderno de ejercicios ``fuente``."""
    from .ejercicios import EJERCICIOS

    nb = nbformat.read(fuente, as_version=4)
    ids = ids_de(nb)
    respuestas = {EJERCICIOS[i].nombre for i in ids if i in EJERCICIOS}
    for celda in nb.cells:
        if celda.cell_type != "code":
            continue
        celda.outputs, celda.execution_count = [], None
        celda.metadata.pop("execution", None)
        if INICIO in celda.source:
            celda.source = _sustituir_regiones(celda.source, respuestas)
            etiquetas = [t for t in celda.metadata.get("tags", []) if t != "hide-input"]
            if etiquetas:
                celda.metadata["tags"] = etiquetas
            else:
                celda.metadata.pop("tags", None)
    nb.cells.insert(1, new_markdown_cell(_AVISO.format(origen=fuente.name)))
    nb.metadata["transformadores"] = {"origen": fuente.name, "ejercicios": ids}
    nb.metadata.pop("widgets", None)
    return nb


def _firma(nb) -> list:
    celdas = [(c.cell_type, c.source, sorted(c.metadata.get("tags", []))) for c in nb.cells]
    return [celdas, nb.metadata.get("transformadores")]


def ruta_alumno(fuente: Path) -> Path:
    return fuente.parent / CARPETA / fuente.name


def desactualizados(fuentes: list[Path]) -> list[str]:
    """Motivos por los que los cuadernos del alumno no están al día (lista vacía si lo están)."""
    problemas = []
    for fuente in fuentes:
        destino = ruta_alumno(fuente)
        if not destino.exists():
            problemas.append(f"falta {destino}")
        elif _firma(nbformat.read(destino, as_version=4)) != _firma(cuaderno_alumno(fuente)):
            problemas.append(f"{destino} no corresponde a {fuente}")
    for carpeta in sorted({f.parent for f in fuentes}):
        nombres = {f.name for f in fuentes_por_omision(carpeta)}
        sobran = [r for r in sorted((carpeta / CARPETA).glob("*.ipynb")) if r.name not in nombres]
        problemas += [f"sobra {r} (no existe su fuente)" for r in sobran]
    return problemas


def generar(fuente: Path, ejecutar: bool = True) -> Path:
    """Escribe (y, por omisión, ejecuta) el cuaderno del alumno de ``fuente``; devuelve su ruta."""
    destino = ruta_alumno(fuente)
    destino.parent.mkdir(exist_ok=True)
    nbformat.write(cuaderno_alumno(fuente), destino)
    if ejecutar:
        from ..ejecutar import ejecutar_cuaderno

        anterior = os.environ.get("TRANSFORMADORES_PROGRESO")
        with tempfile.TemporaryDirectory() as tmp:  # el progreso de la ejecución no toca el tuyo
            os.environ["TRANSFORMADORES_PROGRESO"] = str(Path(tmp) / "progreso.json")
            try:
                ejecutar_cuaderno(destino)
            finally:
                if anterior is None:
                    os.environ.pop("TRANSFORMADORES_PROGRESO", None)
                else:
                    os.environ["TRANSFORMADORES_PROGRESO"] = anterior
    return destino


def fuentes_por_omision(carpeta: Path | None = None) -> list[Path]:
    """Los cuadernos ``NN-tema.ipynb`` de ``ejercicios/`` (en el directorio actual o en la raíz del repositorio)."""
    if carpeta is None:
        carpeta = Path("ejercicios")
        if not carpeta.is_dir():
            carpeta = Path(__file__).resolve().parents[3] / "ejercicios"
    return sorted(carpeta.glob("[0-9][0-9]-*.ipynb"))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Genera los cuadernos del alumno (ejercicios/alumno/).")
    p.add_argument("cuadernos", nargs="*", type=Path, help="cuadernos de ejercicios (por omisión, todos)")
    p.add_argument("--comprobar", action="store_true", help="solo comprueba que están al día")
    p.add_argument("--sin-ejecutar", action="store_true", help="no ejecuta los cuadernos generados")
    args = p.parse_args(argv)
    fuentes = args.cuadernos or fuentes_por_omision()
    if args.comprobar:
        problemas = desactualizados(fuentes)
        for problema in problemas:
            print(f"Desactualizado: {problema}")
        print("Cuadernos del alumno al día." if not problemas else "Regenéralos con: make alumnos")
        return 1 if problemas else 0
    for fuente in fuentes:
        print(f"{generar(fuente, ejecutar=not args.sin_ejecutar)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
