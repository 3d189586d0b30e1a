"""La página de notación define cada letra de las formas que usa el paquete y cada símbolo central."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

from transformadores import con_numpy

RAIZ = Path(__file__).resolve().parents[2]
NOTACION = (RAIZ / "libro" / "notacion.md").read_text(encoding="utf-8")
SECCION_FORMAS = re.compile(r"Formas\n-+\n(.*?)(?:\n\n[A-ZÁÉÍÓÚ]|\Z)", re.S)
TUPLA = re.compile(r":\s*(\((?:[^()]|\([^()]*\))*\))")  # «nombre : (..., T, d_k)»
CENTRALES = [
    "B",
    "T",
    "S",
    "H",
    "n_cabezas",
    "d_modelo",
    "d_k",
    "d_v",
    "d_ff",
    "N_V",
    "l_max",
    "L",
    "Q",
    "K",
    "V",
    "X",
    "Z",
    "W_q",
    "W_k",
    "W_v",
    "W_o",
    "b_q",
    "M",
    "mascara",
    "W_E",
    "W_P",
    "W_u",
    "PE",
    "gamma",
    "beta",
    "tau",
    "logits",
    "eps",
]


def simbolos_de_formas() -> dict[str, set[str]]:
    """Símbolo → funciones de ``con_numpy`` en cuya sección «Formas» aparece dentro de una forma."""
    simbolos: dict[str, set[str]] = {}
    for nombre in con_numpy.__all__:
        seccion = SECCION_FORMAS.search(inspect.getdoc(getattr(con_numpy, nombre)) or "")
        for forma in TUPLA.findall(seccion.group(1) if seccion else ""):
            for simbolo in re.findall(r"[A-Za-z][A-Za-z_0-9]*", forma):
                simbolos.setdefault(simbolo, set()).add(nombre)
    return simbolos


def test_cada_letra_de_las_formas_del_paquete_esta_definida():
    simbolos = simbolos_de_formas()
    assert {"B", "T", "S", "d_k", "d_modelo", "N_V"} <= set(simbolos), sorted(simbolos)
    faltan = {s: sorted(f)[:3] for s, f in simbolos.items() if f"`{s}`" not in NOTACION}
    assert not faltan, f"Añade a libro/notacion.md (columna «en el código», entre comillas invertidas): {faltan}"


def test_los_simbolos_centrales_estan_definidos():
    faltan = [s for s in CENTRALES if f"`{s}`" not in NOTACION]
    assert not faltan, faltan


def test_cada_fila_de_las_tablas_dice_que_significa():
    filas = [linea for linea in NOTACION.splitlines() if linea.startswith("| ") and not linea.startswith("| símbolo")]
    assert len(filas) >= 80
    vacias = [f for f in filas if not f.rstrip(" |").rsplit("|", 1)[-1].strip()]
    assert not vacias, vacias


def test_la_extraccion_de_simbolos_no_es_vacia():
    """La prueba anterior puede fallar: una forma nueva aparece entre los símbolos extraídos."""
    doc = "Formas\n------\nx : (..., T_nuevo, d_raro)    salida : (B, 2·d_raro)\n"
    formas = TUPLA.findall(SECCION_FORMAS.search(doc).group(1))
    assert {s for f in formas for s in re.findall(r"[A-Za-z][A-Za-z_0-9]*", f)} == {"T_nuevo", "d_raro", "B"}
