"""Calificación por lotes del corpus de entregas: notas, comentarios, robustez y tiempo.

El corpus (ver ``corpus.py``) tiene 34 entregas: correctas, una por error típico, trampas, archivos rotos,
bucles infinitos y un núcleo que muere. Se califica una sola vez (fixture del módulo) y se mide el tiempo.
"""

from __future__ import annotations

import csv
import time

import corpus
import numpy as np
import pytest
from transformadores.evaluacion import calificar, comprobar
from transformadores.evaluacion.calificar import COLUMNAS, buscar_entregas, calificar_carpeta
from transformadores.evaluacion.entrega import Opciones

pytestmark = pytest.mark.lento
LIMITE_30_ENTREGAS_S = 300


@pytest.fixture(scope="module")
def calificado(tmp_path_factory):
    carpeta = tmp_path_factory.mktemp("entregas")
    corpus.generar(carpeta)
    salida = carpeta.parent / "notas.csv"
    opciones = Opciones(semilla=20260101, limite_celda=8, limite_total=120)
    inicio = time.perf_counter()
    calificar_carpeta(carpeta, salida, opciones=opciones, trabajos=2, barra=False)
    segundos = time.perf_counter() - inicio
    n = len(buscar_entregas(carpeta))
    print(f"\n{n} entregas calificadas en {segundos:.1f} s ({segundos / n:.1f} s por entrega, 2 procesos)")
    with open(salida, encoding="utf-8", newline="") as f:
        filas = list(csv.DictReader(f))
    return {"filas": filas, "segundos": segundos, "n": n, "comentarios": carpeta.parent / "notas-comentarios"}


def test_treinta_entregas_en_menos_de_cinco_minutos(calificado):
    assert calificado["n"] >= 30
    assert calificado["segundos"] * 30 / calificado["n"] <= LIMITE_30_ENTREGAS_S


def test_columnas_del_csv(calificado):
    assert list(calificado["filas"][0]) == COLUMNAS


def test_cada_entrega_recibe_la_nota_y_el_comentario_esperados(calificado):
    por_alumno: dict[str, dict[str, dict]] = {}
    for fila in calificado["filas"]:
        por_alumno.setdefault(fila["alumno"], {})[fila["ejercicio"]] = fila
    assert len(por_alumno) == calificado["n"]
    errores = []
    for alumno, ejercicios in por_alumno.items():
        esperado = corpus.ESPERADO.get(alumno, {})
        assert set(esperado) <= set(ejercicios), alumno
        for ejercicio, fila in ejercicios.items():
            puntos, texto = esperado.get(ejercicio, (1, "correcto"))
            if int(fila["puntos"]) != puntos or texto not in fila["comentario"]:
                errores.append(f"{alumno}/{ejercicio}: {fila['puntos']} «{fila['comentario']}» ≠ {puntos} «{texto}»")
    assert not errores, "\n".join(errores)


def test_las_correctas_sacan_todo(calificado):
    correctas = [f for f in calificado["filas"] if f["alumno"].startswith("correcta-")]
    assert len({f["alumno"] for f in correctas}) == len(list(corpus.CARPETA_EJERCICIOS.glob("[0-9][0-9]-*.ipynb")))
    assert all(f["puntos"] == f["máximo"] == "1" for f in correctas)


def test_comentarios_en_espanol_para_cada_alumno(calificado):
    carpeta = calificado["comentarios"]
    assert len(list(carpeta.glob("*.md"))) == calificado["n"]
    for alumno, fragmentos in corpus.RETRO.items():
        texto = (carpeta / f"{alumno}.md").read_text(encoding="utf-8")
        assert texto.startswith(f"# Calificación de {alumno}\n\n**Total: ")
        for fragmento in fragmentos:
            assert fragmento in texto, (alumno, fragmento)


def test_memorizar_los_casos_visibles_funciona_en_el_cuaderno_pero_no_al_calificar(calificado):
    espacio = {"np": np}
    exec(corpus._TABLA, espacio)
    assert comprobar("softmax-estable", espacio["softmax_estable"], semilla=0).correcto
    fila = next(
        f for f in calificado["filas"] if (f["alumno"], f["ejercicio"]) == ("trampa-memoria", "softmax-estable")
    )
    assert fila["puntos"] == "0"


# --- Robustez del propio lote (sin núcleos: se sustituye la calificación de cada alumno) -------------------------
def _dos_entregas(tmp_path):
    carpeta = tmp_path / "entregas"
    carpeta.mkdir(exist_ok=True)
    for alumno in ("ana", "beto"):
        (carpeta / f"{alumno}.ipynb").write_text("{}", encoding="utf-8")
    return carpeta


def test_un_fallo_del_calificador_no_para_el_lote(tmp_path, monkeypatch):
    from transformadores.evaluacion import entrega

    original = entrega.calificar_alumno

    def falla_con_ana(alumno, rutas, opciones):
        if alumno == "ana":
            raise RuntimeError("fallo simulado")
        return original(alumno, rutas, opciones)

    monkeypatch.setattr(calificar, "calificar_alumno", falla_con_ana)
    filas = calificar_carpeta(_dos_entregas(tmp_path), tmp_path / "n.csv", trabajos=1, barra=False)
    assert {f["alumno"] for f in filas} == {"ana", "beto"}
    assert "fallo simulado" in (tmp_path / "n-comentarios" / "ana.md").read_text(encoding="utf-8")


def test_las_filas_se_escriben_segun_se_califican(tmp_path, monkeypatch):
    from transformadores.evaluacion import entrega

    original = entrega.calificar_alumno

    def interrumpe_en_beto(alumno, rutas, opciones):
        if alumno == "beto":
            raise KeyboardInterrupt
        return original(alumno, rutas, opciones)

    monkeypatch.setattr(calificar, "calificar_alumno", interrumpe_en_beto)
    with pytest.raises(KeyboardInterrupt):
        calificar_carpeta(_dos_entregas(tmp_path), tmp_path / "n.csv", trabajos=1, barra=False)
    with open(tmp_path / "n.csv", encoding="utf-8") as f:
        assert [fila["alumno"] for fila in csv.DictReader(f)] == ["ana"]  # lo ya calificado no se pierde
    monkeypatch.setattr(calificar, "calificar_alumno", original)
    filas = calificar_carpeta(_dos_entregas(tmp_path), tmp_path / "n.csv", trabajos=1, barra=False, continuar=True)
    assert [f["alumno"] for f in filas] == ["beto"]  # --continuar: «ana» no se repite
    with open(tmp_path / "n.csv", encoding="utf-8") as f:
        assert [fila["alumno"] for fila in csv.DictReader(f)] == ["ana", "beto"]


def test_linea_de_ordenes(tmp_path, capsys):
    carpeta = _dos_entregas(tmp_path)
    assert calificar.main([str(carpeta), "--salida", str(tmp_path / "notas.csv"), "--trabajos", "1"]) == 0
    assert (tmp_path / "notas.csv").read_text(encoding="utf-8").splitlines()[0] == ",".join(COLUMNAS)
    assert "2 alumnos calificados" in capsys.readouterr().err
    assert sorted(p.name for p in (tmp_path / "notas-comentarios").iterdir()) == ["ana.md", "beto.md"]


def test_barra_de_progreso():
    import io

    from transformadores.evaluacion.informe import Barra

    flujo = io.StringIO()
    barra = Barra(2, flujo=flujo)
    barra.avanzar("ana", 1.5)
    barra.avanzar("beto", 2.0)
    barra.terminar()
    lineas = flujo.getvalue().splitlines()
    assert lineas[0].startswith("[" + "█" * 15 + "░" * 15 + "] 1/2") and lineas[0].endswith("ana (1.5 s)")
    assert lineas[1].startswith("[" + "█" * 30 + "] 2/2")
