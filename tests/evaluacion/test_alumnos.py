"""Cuadernos de ejercicios: uno por capítulo, soluciones correctas, versiones del alumno al día y sin completar."""

from __future__ import annotations

import shutil

import nbformat
import pytest
from corpus import CARPETA_EJERCICIOS
from transformadores.evaluacion import EJERCICIOS
from transformadores.evaluacion.alumnos import (
    FIN,
    INICIO,
    cuaderno_alumno,
    desactualizados,
    esqueleto,
    fuentes_por_omision,
    generar,
    ids_de,
    ruta_alumno,
)
from transformadores.evaluacion.tipos import TIPOS

FUENTES = fuentes_por_omision(CARPETA_EJERCICIOS)


def _salida(celda) -> str:
    return "".join(o.get("text", "") or o.get("data", {}).get("text/plain", "") for o in celda.outputs)


def _comprobaciones(nb):
    """Las celdas que comprueban un ejercicio (no las que enseñan un error a propósito)."""
    return [
        c
        for c in nb.cells
        if c.cell_type == "code"
        and c.source.startswith("comprobar(")
        and "ejemplo-de-error" not in c.metadata.get("tags", [])
    ]


def test_un_cuaderno_por_capitulo_con_todos_sus_ejercicios():
    capitulos = {int(f.name[:2]): f for f in FUENTES}
    assert sorted(capitulos) == sorted({e.capitulo for e in EJERCICIOS.values()})
    vistos = []
    for capitulo, fuente in capitulos.items():
        ids = ids_de(nbformat.read(fuente, as_version=4))
        assert ids == [e.id for e in EJERCICIOS.values() if e.capitulo == capitulo], fuente.name
        vistos += ids
    assert sorted(vistos) == sorted(EJERCICIOS)


@pytest.mark.parametrize("fuente", FUENTES, ids=lambda f: f.name)
def test_soluciones_correctas_ocultas_y_con_pistas(fuente):
    nb = nbformat.read(fuente, as_version=4)
    comprobaciones = _comprobaciones(nb)
    assert len(comprobaciones) == len(ids_de(nb)) >= 3
    assert all("✅" in _salida(c) and "correcto" in _salida(c) for c in comprobaciones)
    soluciones = [c for c in nb.cells if INICIO in c.source]
    assert len(soluciones) == len(comprobaciones)
    assert all(FIN in c.source and "hide-input" in c.metadata.get("tags", []) for c in soluciones)
    enunciados = [c.source for c in nb.cells if c.cell_type == "markdown" and c.source.startswith("## Ejercicio")]
    assert len(enunciados) == len(comprobaciones)
    assert all(":class: dropdown" in e and "Pista" in e for e in enunciados)
    tipos = {t for e in enunciados for t in ("función", "predicción", "experimento") if f"({t})" in e.splitlines()[0]}
    assert len(tipos) == len(TIPOS)
    assert all(c.execution_count for c in nb.cells if c.cell_type == "code")


@pytest.mark.parametrize("fuente", FUENTES, ids=lambda f: f.name)
def test_cuaderno_del_alumno_sin_completar_y_sin_errores(fuente):
    nb = nbformat.read(ruta_alumno(fuente), as_version=4)
    assert all(INICIO not in c.source for c in nb.cells)
    comprobaciones = _comprobaciones(nb)
    assert comprobaciones and all("⏳" in _salida(c) and "sin completar" in _salida(c) for c in comprobaciones)
    for celda in nb.cells:
        if celda.cell_type == "code":
            assert celda.execution_count and all(o["output_type"] != "error" for o in celda.outputs)
    assert nb.metadata["transformadores"] == {"origen": fuente.name, "ejercicios": ids_de(nb)}


def test_cuadernos_del_alumno_al_dia():
    """Si falla: make alumnos (o python -m transformadores.evaluacion.alumnos)."""
    assert desactualizados(FUENTES) == []


def test_un_cambio_en_la_fuente_se_detecta(tmp_path):
    copia = tmp_path / FUENTES[0].name
    shutil.copy(FUENTES[0], copia)
    generar(copia, ejecutar=False)
    assert desactualizados([copia]) == []
    nb = nbformat.read(copia, as_version=4)
    nb.cells[-1].source += "\n# un cambio"
    nbformat.write(nb, copia)
    assert desactualizados([copia]) == [f"{ruta_alumno(copia)} no corresponde a {copia}"]
    (tmp_path / "alumno" / "99-huerfano.ipynb").write_text("{}")
    assert f"sobra {tmp_path / 'alumno' / '99-huerfano.ipynb'} (no existe su fuente)" in desactualizados([copia])


def test_esqueleto():
    region = "def f(z, eje=-1):\n    return z\n\nrng = 3\nprint(rng)\nforma = (2, 3)\n\n\ndef g(a):\n    return a\n"
    texto = esqueleto(region, {"forma"})
    assert texto == (
        "def f(z, eje=-1):\n    # Escribe aquí tu código.\n    return None\n\n\n"
        "forma = None  # escribe aquí tu respuesta\n\n\n"
        "def g(a):\n    # Escribe aquí tu código.\n    return None"
    )


def test_el_alumno_no_ve_las_soluciones():
    for fuente in FUENTES:
        alumno = cuaderno_alumno(fuente)
        codigo = "\n".join(c.source for c in alumno.cells if c.cell_type == "code")
        for celda in nbformat.read(fuente, as_version=4).cells:
            if INICIO in celda.source:
                solucion = celda.source.split(INICIO)[1].split(FIN)[0].strip()
                assert solucion not in codigo, (fuente.name, solucion)
