"""Calificación por lotes: ``python -m transformadores.evaluacion.calificar entregas/ --salida notas.csv``.

Cada cuaderno entregado se ejecuta en un núcleo nuevo, con límites de tiempo. Después, para cada
ejercicio, se generan casos ocultos con una semilla elegida al calificar, la función del alumno se
ejecuta en su núcleo sobre esos casos y las respuestas esperadas se calculan FUERA de él, aquí: ni
redefinir ``comprobar``, ni tocar numpy o torch, ni memorizar los casos visibles da puntos. Las filas
del CSV (alumno, ejercicio, puntos, máximo, comentario) se escriben según se califican, y cada alumno
recibe un archivo de comentarios en español.

Aviso: el código de los alumnos se ejecuta con tus permisos. Para entregas de desconocidos, usa un
contenedor o una máquina desechable.
"""

from __future__ import annotations

import argparse
import csv
import secrets
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing import get_context
from pathlib import Path

from .entrega import Opciones, calificar_alumno, informe_de_fallo
from .informe import Barra, escribir_retroalimentacion

__all__ = ["buscar_entregas", "calificar_carpeta", "main", "COLUMNAS"]

COLUMNAS = ["alumno", "ejercicio", "puntos", "máximo", "comentario"]


def buscar_entregas(carpeta: Path) -> dict[str, list[Path]]:
    """``{alumno: [cuadernos]}``: ``carpeta/alumno.ipynb`` o ``carpeta/alumno/*.ipynb``."""
    entregas: dict[str, list[Path]] = {}
    for ruta in sorted(carpeta.iterdir()):
        if ruta.is_file() and ruta.suffix == ".ipynb":
            entregas.setdefault(ruta.stem, []).append(ruta)
        elif ruta.is_dir() and not ruta.name.startswith("."):
            cuadernos = sorted(p for p in ruta.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
            if cuadernos:
                entregas.setdefault(ruta.name, []).extend(cuadernos)
    return entregas


def _ya_calificados(csv_salida: Path) -> set[str]:
    try:
        with open(csv_salida, encoding="utf-8", newline="") as f:
            return {fila["alumno"] for fila in csv.DictReader(f)}
    except (OSError, KeyError, csv.Error):
        return set()


def calificar_carpeta(
    carpeta: Path,
    csv_salida: Path,
    retroalimentacion: Path | None = None,
    opciones: Opciones | None = None,
    trabajos: int = 2,
    continuar: bool = False,
    barra: bool = True,
) -> list[dict]:
    """Califica todas las entregas de ``carpeta``; escribe el CSV fila a fila y devuelve las filas."""
    opciones = opciones or Opciones(semilla=secrets.randbits(63))
    retroalimentacion = retroalimentacion or csv_salida.with_name(csv_salida.stem + "-comentarios")
    retroalimentacion.mkdir(parents=True, exist_ok=True)
    entregas = buscar_entregas(carpeta)
    hechos = _ya_calificados(csv_salida) if continuar and csv_salida.exists() else set()
    pendientes = {a: r for a, r in entregas.items() if a not in hechos}
    filas: list[dict] = []
    progreso = Barra(len(pendientes), activa=barra)
    nuevo = not (continuar and csv_salida.exists())
    with open(csv_salida, "w" if nuevo else "a", encoding="utf-8", newline="") as f:
        escritor = csv.DictWriter(f, fieldnames=COLUMNAS)
        if nuevo:
            escritor.writeheader()
            f.flush()
        for alumno, informe in _repartir(pendientes, opciones, trabajos):
            escritor.writerows(informe.filas)
            f.flush()
            escribir_retroalimentacion(retroalimentacion, alumno, informe)
            filas += informe.filas
            progreso.avanzar(alumno, informe.segundos)
    progreso.terminar()
    return filas


def _repartir(pendientes: dict[str, list[Path]], opciones: Opciones, trabajos: int):
    """Califica en ``trabajos`` procesos; devuelve ``(alumno, informe)`` según terminan."""
    if trabajos <= 1:
        for alumno, rutas in pendientes.items():
            try:
                informe = calificar_alumno(alumno, rutas, opciones)
            except Exception as e:  # un fallo del propio calificador: se informa y se sigue
                informe = informe_de_fallo(alumno, rutas, opciones, f"error del calificador: {e!r}")
            yield alumno, informe
        return
    with ProcessPoolExecutor(max_workers=trabajos, mp_context=get_context("spawn")) as grupo:
        futuros = {grupo.submit(calificar_alumno, a, r, opciones): a for a, r in pendientes.items()}
        for futuro in as_completed(futuros):
            alumno = futuros[futuro]
            try:
                yield alumno, futuro.result()
            except Exception as e:  # un fallo del propio calificador: se informa y se sigue
                yield alumno, informe_de_fallo(alumno, pendientes[alumno], opciones, f"error del calificador: {e!r}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Califica una carpeta de cuadernos entregados.")
    p.add_argument("carpeta", type=Path, help="carpeta con alumno.ipynb o alumno/*.ipynb")
    p.add_argument("--salida", type=Path, default=Path("notas.csv"), help="CSV de notas (por omisión, notas.csv)")
    p.add_argument("--comentarios", type=Path, help="carpeta de comentarios (por omisión, <salida>-comentarios/)")
    p.add_argument("--capitulo", type=int, action="append", help="califica los ejercicios de este capítulo")
    p.add_argument("--limite", type=float, default=180, help="segundos para ejecutar cada cuaderno (180)")
    p.add_argument("--limite-celda", type=float, default=30, help="segundos por celda (30)")
    p.add_argument("--limite-ejercicio", type=float, default=20, help="segundos por ejercicio al calificar (20)")
    p.add_argument("--trabajos", type=int, default=2, help="cuadernos a la vez (2)")
    p.add_argument("--semilla", type=int, help="semilla de los casos ocultos (por omisión, una al azar)")
    p.add_argument("--continuar", action="store_true", help="no repite los alumnos que ya están en el CSV")
    args = p.parse_args(argv)
    if not args.carpeta.is_dir():
        p.error(f"no existe la carpeta {args.carpeta}")
    opciones = Opciones(
        semilla=secrets.randbits(63) if args.semilla is None else args.semilla,
        capitulos=tuple(args.capitulo or ()),
        limite_total=args.limite,
        limite_celda=args.limite_celda,
        limite_ejercicio=args.limite_ejercicio,
    )
    inicio = time.perf_counter()
    filas = calificar_carpeta(args.carpeta, args.salida, args.comentarios, opciones, args.trabajos, args.continuar)
    alumnos = len({f["alumno"] for f in filas})
    print(f"{alumnos} alumnos calificados en {time.perf_counter() - inicio:.1f} s: {args.salida}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
