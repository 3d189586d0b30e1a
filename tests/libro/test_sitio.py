"""El sitio construido (``make libro``): español, ecuaciones numeradas y nada cargado de otros hosts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

HTML = Path(__file__).resolve().parents[2] / "_build" / "html"
EXTERNO = re.compile(r"""<(?:script|link|img)\b[^>]*(?:src|href)=["'](https?:)?//""", re.I)


@pytest.fixture(scope="module")
def paginas():
    if not (HTML / "index.html").exists():
        pytest.fail("No hay sitio construido en _build/html: ejecuta `make libro` (make test lo hace antes).")
    return {p.relative_to(HTML).as_posix(): p.read_text(encoding="utf-8") for p in HTML.rglob("*.html")}


def test_todas_las_paginas_en_espanol(paginas):
    for nombre, html in paginas.items():
        if nombre.startswith("_static") or 'http-equiv="Refresh"' in html:
            continue  # recursos de terceros y la página que solo redirige a la portada
        assert '<html lang="es"' in html, nombre


def test_nada_se_carga_de_otros_hosts(paginas):
    for nombre, html in paginas.items():
        assert not EXTERNO.search(html), f"{nombre} carga un recurso de otro host"


def test_mathjax_y_widgets_servidos_por_el_sitio(paginas):
    html = paginas["capitulos/03-atencion.html"]
    assert "_static/vendor/mathjax/tex-chtml.js" in html and (HTML / "_static/vendor/mathjax/tex-chtml.js").exists()
    assert "_static/vendor/widgets/embed-amd.js" in html and (HTML / "_static/vendor/widgets/embed-amd.js").exists()
    assert "application/vnd.jupyter.widget-state+json" in html


def test_ecuaciones_numeradas_y_etiquetadas(paginas):
    html = paginas["capitulos/03-atencion.html"]
    for etiqueta in ("softmax", "atencion-producto-escalado", "mascara-causal", "atencion-cruzada"):
        assert f'id="equation-{etiqueta}"' in html, etiqueta
    assert len(re.findall(r'class="eqno">\(\d+\.\d+\)', html)) >= 10


def test_busqueda_en_espanol(paginas):
    assert "Buscar en el libro" in paginas["capitulos/03-atencion.html"]
    assert "SpanishStemmer" in (HTML / "_static" / "language_data.js").read_text(encoding="utf-8")
