"""Los cuadernos de libro/ (exploradores) y los widgets de todos los cuadernos: estado guardado y cómo ejecutarlos."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

RAIZ = Path(__file__).resolve().parents[2]
VISTA = "application/vnd.jupyter.widget-view+json"
ESTADO = "application/vnd.jupyter.widget-state+json"
CUADERNOS_CON_WIDGETS = [
    r for r in sorted([*RAIZ.glob("capitulos/*.ipynb"), *RAIZ.glob("libro/*.ipynb")]) if VISTA in r.read_text("utf-8")
]


@pytest.mark.parametrize("ruta", sorted(RAIZ.glob("libro/*.ipynb")), ids=lambda r: r.name)
def test_los_cuadernos_de_libro_estan_ejecutados_y_sin_errores(ruta):
    for i, celda in enumerate(json.loads(ruta.read_text(encoding="utf-8"))["cells"]):
        if celda["cell_type"] == "code":
            assert celda["execution_count"] is not None, f"{ruta.name}, celda {i}: sin execution_count"
            assert not [o for o in celda["outputs"] if o["output_type"] == "error"], f"{ruta.name}, celda {i}"


def test_hay_cuadernos_con_widgets():
    assert {r.name for r in CUADERNOS_CON_WIDGETS} >= {"03-atencion.ipynb", "exploradores.ipynb"}


@pytest.mark.parametrize("ruta", CUADERNOS_CON_WIDGETS, ids=lambda r: r.name)
def test_cada_widget_tiene_su_estado_guardado_y_dice_como_ejecutarlo(ruta):
    """La web dibuja los widgets con el estado guardado en el cuaderno; cada uno dice cómo ejecutarlo en vivo."""
    cuaderno = json.loads(ruta.read_text(encoding="utf-8"))
    estado = cuaderno["metadata"].get("widgets", {}).get(ESTADO, {}).get("state", {})
    celdas = cuaderno["cells"]
    for i, celda in enumerate(celdas):
        vistas = [o["data"][VISTA]["model_id"] for o in celda.get("outputs", []) if VISTA in o.get("data", {})]
        for modelo in vistas:
            assert modelo in estado, f"{ruta.name}, celda {i}: el widget {modelo} no tiene estado guardado"
            assert "nbval-ignore-output" in celda["metadata"].get("tags", []), f"{ruta.name}, celda {i}"
            textos = [m["state"].get("value", "") for m in estado.values() if m["model_name"] == "HTMLModel"]
            siguiente = "".join(celdas[i + 1]["source"]) if i + 1 < len(celdas) else ""
            en_vivo = any("Jupyter" in t for t in [*textos, siguiente])
            assert en_vivo, f"{ruta.name}, celda {i}: falta una línea que diga cómo ejecutarlo en vivo"
