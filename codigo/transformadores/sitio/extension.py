"""Extensión de Sphinx con los retoques de la web del libro (se activa en ``_config.yml``).

- Quita los scripts repetidos de cada página: sphinx-thebe añade dos veces su configuración en línea y el
  navegador protesta porque ``THEBE_JS_URL`` se declara dos veces.
- Registra los estilos de bibliografía en español (módulo :mod:`.bibliografia`).
- Traduce los textos de la interfaz que siguen en inglés (o sin tilde) al terminar la construcción. Unos
  vienen de catálogos sin traducir y otros están escritos tal cual en las plantillas del tema o en el
  código de myst-nb, así que no basta con un catálogo ``.po``: sustituimos los atributos completos
  (``title="…"``, ``aria-label="…"``, ``alt="…"``) en el HTML generado, lo que no puede tocar el texto del libro.
"""

from __future__ import annotations

from pathlib import Path

from .bibliografia import registrar as registrar_estilos_bibliograficos

__all__ = ["setup", "TRADUCCIONES", "traducir_html"]

# Atributo (o texto fijo de la plantilla) en inglés o mal traducido → en español. Ver tests/sitio/test_paginas.py.
TRADUCCIONES = {
    'title="Link to this heading"': 'title="Enlace a este encabezado"',
    'title="Link to this equation"': 'title="Enlace a esta ecuación"',
    'title="Link to this definition"': 'title="Enlace a esta definición"',
    'title="Link to this table"': 'title="Enlace a esta tabla"',
    'title="Link to this code"': 'title="Enlace a este código"',
    'title="Link to this image"': 'title="Enlace a esta imagen"',
    'title="Link to this term"': 'title="Enlace a este término"',
    'title="Toggle primary sidebar"': 'title="Mostrar u ocultar el índice del libro"',
    'title="Toggle secondary sidebar"': 'title="Mostrar u ocultar el índice de la página"',
    'aria-label="Toggle hidden content"': 'aria-label="Mostrar u ocultar el contenido"',
    'aria-label="Main"': 'aria-label="Índice del libro"',
    'aria-label="Page"': 'aria-label="Página"',
    'aria-label="Descarga esta pagina"': 'aria-label="Descarga esta página"',
    'aria-label="Launch interactive content"': 'aria-label="Ejecutar de forma interactiva"',
    'title="Launch on Colab"': 'title="Abrir en Colab"',
    'title="Launch on Binder"': 'title="Abrir en Binder"',
    'alt="Colab logo"': 'alt="Logotipo de Colab"',
    'alt="Binder logo"': 'alt="Logotipo de Binder"',
    "© Copyright ": "© ",  # pie de página
}


def traducir_html(html: str) -> str:
    """Aplica :data:`TRADUCCIONES` a una página."""
    for ingles, espanol in TRADUCCIONES.items():
        html = html.replace(ingles, espanol)
    return html


def _clave(script) -> tuple:
    """Dos scripts son el mismo si cargan el mismo fichero con los mismos atributos, sea cual sea su prioridad."""
    atributos = getattr(script, "attributes", {})
    return str(getattr(script, "filename", script) or ""), tuple(sorted((k, str(v)) for k, v in atributos.items()))


def _sin_scripts_repetidos(app, pagename, templatename, context, doctree) -> None:
    if "script_files" in context:
        vistos, unicos = set(), []
        for script in context["script_files"]:
            if _clave(script) not in vistos:
                vistos.add(_clave(script))
                unicos.append(script)
        context["script_files"] = unicos


def _traducir_paginas(app, excepcion) -> None:
    if excepcion is not None or app.builder.format != "html":
        return
    for ruta in Path(app.outdir).rglob("*.html"):
        html = ruta.read_text(encoding="utf-8")
        traducido = traducir_html(html)
        if traducido != html:
            ruta.write_text(traducido, encoding="utf-8")


def setup(app):
    registrar_estilos_bibliograficos()
    app.connect("html-page-context", _sin_scripts_repetidos, priority=900)
    app.connect("build-finished", _traducir_paginas)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
