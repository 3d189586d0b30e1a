"""El libro, el registro y los dos gemelos no se separan: firmas, docstrings y etiquetas."""

from __future__ import annotations

import inspect
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from transformadores import con_numpy, con_torch
from transformadores.ecuaciones import IDS, registro

RAIZ = Path(__file__).resolve().parents[2]
CUADERNOS = sorted([*RAIZ.glob("capitulos/*.ipynb"), *RAIZ.glob("ejercicios/*.ipynb")])
ETIQUETA = re.compile(r"\$\$\s*\(([a-z0-9-]+)\)")


def _capitulo(ruta: Path) -> int:
    return int(ruta.name.split("-")[0])


def _etiquetas(ruta: Path) -> set[str]:
    celdas = json.loads(ruta.read_text(encoding="utf-8"))["cells"]
    texto = "\n".join("".join(c["source"]) for c in celdas if c["cell_type"] == "markdown")
    return set(ETIQUETA.findall(texto))


def test_los_gemelos_exportan_los_mismos_nombres():
    assert set(con_numpy.__all__) <= set(con_torch.__all__), set(con_numpy.__all__) - set(con_torch.__all__)


@pytest.mark.parametrize("nombre", sorted(con_numpy.__all__))
def test_firmas_identicas(nombre):
    assert inspect.signature(getattr(con_numpy, nombre)) == inspect.signature(getattr(con_torch, nombre))


def test_cada_id_registrado_se_cita_en_ambos_docstrings():
    for e in registro().values():
        for gemelo in (e.numpy, e.torch):
            if gemelo is not None:
                assert f"`{e.id}`" in (gemelo.__doc__ or ""), f"{gemelo.__qualname__} no cita (ec. `{e.id}`)"


def test_cada_id_registrado_es_una_ecuacion_etiquetada_de_su_capitulo():
    capitulos = {_capitulo(r): _etiquetas(r) for r in RAIZ.glob("capitulos/*.ipynb")}
    assert capitulos, "no hay capítulos"
    for e in registro().values():
        if e.capitulo in capitulos and (e.numpy or e.torch):
            assert e.id in capitulos[e.capitulo], f"'{e.id}' no es una ecuación etiquetada del capítulo {e.capitulo}"


def test_las_etiquetas_de_los_capitulos_son_ids_del_inventario_y_de_su_capitulo():
    for ruta in RAIZ.glob("capitulos/*.ipynb"):
        for etiqueta in _etiquetas(ruta):
            assert etiqueta in IDS, f"{ruta.name}: '{etiqueta}' no está en el inventario"
            assert IDS[etiqueta][0] == _capitulo(ruta), f"{ruta.name}: '{etiqueta}' es del capítulo {IDS[etiqueta][0]}"


@pytest.mark.parametrize("ruta", CUADERNOS, ids=lambda r: r.name)
def test_cada_celda_de_codigo_tiene_contador_y_no_hay_errores_inesperados(ruta):
    """Sin contador, nbval no compara la celda; un error guardado solo vale si está marcado."""
    for i, celda in enumerate(json.loads(ruta.read_text(encoding="utf-8"))["cells"]):
        if celda["cell_type"] != "code" or not "".join(celda["source"]).strip():
            continue
        assert celda["execution_count"] is not None, f"{ruta.name}, celda {i}: sin execution_count"
        etiquetas = celda.get("metadata", {}).get("tags", [])
        errores = [o for o in celda["outputs"] if o["output_type"] == "error"]
        assert not errores or "raises-exception" in etiquetas, f"{ruta.name}, celda {i}: error guardado"


@pytest.mark.parametrize("ruta", sorted(RAIZ.glob("capitulos/*.ipynb")), ids=lambda r: r.name)
def test_las_figuras_tienen_texto_alternativo(ruta):
    for i, celda in enumerate(json.loads(ruta.read_text(encoding="utf-8"))["cells"]):
        if celda["cell_type"] == "code" and any("image/png" in o.get("data", {}) for o in celda["outputs"]):
            alt = celda.get("metadata", {}).get("mystnb", {}).get("image", {}).get("alt")
            assert alt, f"{ruta.name}, celda {i}: figura sin texto alternativo (metadata mystnb.image.alt)"


def test_el_comando_de_cobertura_funciona_y_falla_si_falta_algo(tmp_path):
    orden = [sys.executable, "-m", "transformadores.cobertura", "--capitulos", "3", "--pruebas", str(RAIZ / "tests")]
    salida = subprocess.run(orden, capture_output=True, text=True, cwd=RAIZ)
    assert salida.returncode == 0, salida.stdout
    assert re.search(r"atencion-producto-escalado\s+3\s+núcleo\s+sí\s+sí\s+sí", salida.stdout)
    vacia = subprocess.run([*orden[:-1], str(tmp_path)], capture_output=True, text=True, cwd=RAIZ)
    assert vacia.returncode == 1 and "Núcleo completo (NumPy + PyTorch + prueba): 0/" in vacia.stdout
