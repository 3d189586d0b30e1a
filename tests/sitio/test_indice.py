"""El índice de ecuaciones (libro/indice-ecuaciones.md) se genera del registro y nunca se queda atrás."""

from __future__ import annotations

import shutil
from pathlib import Path

from transformadores.ecuaciones import registro
from transformadores.sitio.indice import DESTINO, generar, main

RAIZ = Path(__file__).resolve().parents[2]


def test_el_fichero_coincide_con_el_registro_de_hoy():
    assert (RAIZ / DESTINO).exists(), "falta libro/indice-ecuaciones.md: ejecuta `make libro`"
    assert (RAIZ / DESTINO).read_text(encoding="utf-8") == generar(RAIZ), (
        "libro/indice-ecuaciones.md está desfasado: ejecuta `python -m transformadores.sitio.indice`"
    )


def test_la_pagina_construida_tiene_cada_ecuacion_y_sus_enlaces(paginas):
    pagina = paginas["libro/indice-ecuaciones.html"]
    tabla = registro()
    for e in tabla.values():
        assert f'<span class="pre">{e.id}</span>' in pagina, e.id
    fuente = (RAIZ / DESTINO).read_text(encoding="utf-8")
    etiquetadas = [e.id for e in tabla.values() if f"{{eq}}`{e.id}`" in fuente]
    assert len(etiquetadas) >= 10
    for id_ in etiquetadas:
        assert f'#equation-{id_}">(' in pagina, id_
    con_codigo = [e for e in tabla.values() if e.numpy is not None]
    assert pagina.count(">NumPy</a>") == len(con_codigo)


def test_la_orden_detecta_un_indice_desfasado(tmp_path, capsys):
    for nombre in ("_config.yml", "_toc.yml"):
        shutil.copy(RAIZ / nombre, tmp_path / nombre)
    (tmp_path / "capitulos").mkdir()
    (tmp_path / "libro").mkdir()
    (tmp_path / DESTINO).write_text("# Índice viejo\n", encoding="utf-8")
    assert main(["--raiz", str(tmp_path), "--comprobar"]) == 1
    assert "no está al día" in capsys.readouterr().err
    assert main(["--raiz", str(tmp_path)]) == 0
    assert main(["--raiz", str(tmp_path), "--comprobar"]) == 0
    texto = (tmp_path / DESTINO).read_text(encoding="utf-8")
    assert "Este capítulo está en preparación." in texto and "{eq}" not in texto  # sin capítulos publicados
