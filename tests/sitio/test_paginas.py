"""El HTML construido, sin navegador: enlaces, texto alternativo, descargas, lanzadores, soluciones y español."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml
from transformadores.sitio.extension import TRADUCCIONES

RAIZ = Path(__file__).resolve().parents[2]
REFERENCIA_EC = re.compile(r"\{eq\}`([a-z0-9-]+)`")
# Palabras de la interfaz de los temas que delatan un texto sin traducir.
INGLES = re.compile(
    r"\b(Toggle|Link to|Launch|Download|Search|Copy|Print|Fullscreen|logo|Main|Page|Contents|"
    r"Next|Previous|Skip|Back to top|Show|Hide|Edit|Open|Repository|Source|Copyright|By)\b"
)


class _Etiquetas(HTMLParser):
    """Recoge las etiquetas (nombre y atributos) y los ``id`` de una página."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.etiquetas, self.ids = [], set()

    def handle_starttag(self, etiqueta, atributos):
        atributos = dict(atributos)
        self.etiquetas.append((etiqueta, atributos))
        for clave in ("id", "name"):
            if atributos.get(clave):
                self.ids.add(atributos[clave])


def _analizar(html: str) -> _Etiquetas:
    analizador = _Etiquetas()
    analizador.feed(html)
    return analizador


def _documentos_cuaderno(html_dir: Path) -> list[str]:
    """Páginas que vienen de un cuaderno: las que tienen su ``.ipynb`` en ``_sources``."""
    return sorted(
        p.relative_to(html_dir / "_sources").with_suffix("").as_posix()
        for p in (html_dir / "_sources").rglob("*.ipynb")
    )


def test_toda_imagen_tiene_texto_alternativo(paginas):
    sin_alt = [
        (nombre, a.get("src", "")[:60])
        for nombre, html in paginas.items()
        for etiqueta, a in _analizar(html).etiquetas
        if etiqueta == "img" and not (a.get("alt") or "").strip()
    ]
    assert not sin_alt, sin_alt


def test_cada_enlace_interno_lleva_a_algo_que_existe(html, paginas):
    analisis = {nombre: _analizar(texto) for nombre, texto in paginas.items()}
    rotos, revisados = [], 0
    for nombre, analizado in analisis.items():
        for etiqueta, atributos in analizado.etiquetas:
            destino = atributos.get("href") if etiqueta in ("a", "link") else atributos.get("src")
            if not destino or etiqueta not in ("a", "link", "script", "img"):
                continue
            partes = urlsplit(destino)
            if partes.scheme or destino.startswith("//"):
                continue
            revisados += 1
            ruta = (html / nombre).parent / unquote(partes.path) if partes.path else html / nombre
            ruta = ruta.resolve()
            if ruta.is_dir():
                ruta = ruta / "index.html"
            if not ruta.exists():
                rotos.append(f"{nombre}: {destino} (no existe)")
            elif partes.fragment and ruta.suffix == ".html":
                relativa = ruta.relative_to(html.resolve()).as_posix()
                ids = analisis[relativa].ids if relativa in analisis else _analizar(ruta.read_text("utf-8")).ids
                if unquote(partes.fragment) not in ids:
                    rotos.append(f"{nombre}: {destino} (no hay id «{partes.fragment}»)")
    assert revisados > 500, revisados
    assert not rotos, "\n".join(rotos)


def _fuentes_markdown() -> dict[str, str]:
    """Documento → texto Markdown de los cuadernos y páginas del libro (los ``{eq}`` que contienen)."""
    fuentes = {}
    for ruta in [*RAIZ.glob("capitulos/*.ipynb"), *RAIZ.glob("ejercicios/*.ipynb"), *RAIZ.glob("libro/*.ipynb")]:
        celdas = json.loads(ruta.read_text(encoding="utf-8"))["cells"]
        fuentes[ruta.relative_to(RAIZ).with_suffix("").as_posix()] = "\n".join(
            "".join(c["source"]) for c in celdas if c["cell_type"] == "markdown"
        )
    for ruta in RAIZ.glob("libro/*.md"):
        fuentes[ruta.relative_to(RAIZ).with_suffix("").as_posix()] = ruta.read_text(encoding="utf-8")
    return fuentes


def test_cada_referencia_a_una_ecuacion_es_un_enlace_numerado(paginas):
    revisadas = 0
    for documento, texto in _fuentes_markdown().items():
        if f"{documento}.html" not in paginas:
            continue  # todavía no está en _toc.yml
        html = paginas[f"{documento}.html"]
        for etiqueta in set(REFERENCIA_EC.findall(texto)):
            revisadas += 1
            patron = rf'<a class="reference internal" href="[^"]*#equation-{etiqueta}">\(\d+\.\d+\)</a>'
            assert re.search(patron, html), f"{documento}: {{eq}}`{etiqueta}` no es un enlace numerado"
        assert "{eq}" not in re.sub(r"<(pre|code)\b.*?</\1>", "", html, flags=re.S), documento
    assert revisadas >= 15, revisadas


def test_las_soluciones_de_los_ejercicios_estan_plegadas(paginas):
    ejercicios = {n: h for n, h in paginas.items() if n.startswith("ejercicios/") and "alumno" not in n}
    assert ejercicios
    for nombre, html in ejercicios.items():
        soluciones = html.count("# --- SOLUCIÓN ---")
        plegadas = sum(
            bloque.count("# --- SOLUCIÓN ---")
            for bloque in re.findall(r'<details class="[^"]*hide above-input">(.*?)</details>', html, flags=re.S)
        )
        assert soluciones >= 1 and plegadas == soluciones, (nombre, soluciones, plegadas)
        assert html.count("Mostrar la solución") >= soluciones, nombre


def test_cada_cuaderno_se_puede_descargar(html, paginas):
    documentos = _documentos_cuaderno(html)
    assert any(d.startswith("capitulos/") for d in documentos) and "libro/exploradores" in documentos
    for documento in documentos:
        pagina = paginas[f"{documento}.html"]
        profundidad = "../" * documento.count("/")
        assert f'href="{profundidad}_sources/{documento}.ipynb"' in pagina, documento
        cuaderno = json.loads((html / "_sources" / f"{documento}.ipynb").read_text(encoding="utf-8"))
        assert cuaderno["nbformat"] == 4 and cuaderno["cells"], documento


def test_los_botones_de_lanzamiento_usan_el_repositorio_de_la_configuracion(html, paginas):
    config = yaml.safe_load((RAIZ / "_config.yml").read_text(encoding="utf-8"))
    url, rama = config["repository"]["url"].rstrip("/"), config["repository"].get("branch", "main")
    usuario_repo = urlsplit(url).path.strip("/")
    for documento in _documentos_cuaderno(html):
        pagina = paginas[f"{documento}.html"]
        colab = f"https://colab.research.google.com/github/{usuario_repo}/blob/{rama}/{documento}.ipynb"
        binder = f"https://mybinder.org/v2/gh/{usuario_repo}/{rama}?urlpath=tree/{documento}.ipynb"
        assert colab in pagina and binder in pagina, documento


def test_la_interfaz_esta_en_espanol(paginas):
    """Ningún título, etiqueta accesible, marcador ni texto alternativo de la interfaz queda en inglés."""
    restos = set()
    for nombre, html in paginas.items():
        for etiqueta, atributos in _analizar(html).etiquetas:
            for clave in ("aria-label", "placeholder", "alt", "data-bs-title", "title"):
                valor = atributos.get(clave) or ""
                # Los títulos de los enlaces a la bibliografía y al código citan obras y funciones, no la interfaz.
                if clave == "title" and etiqueta == "a" and "reference" in (atributos.get("class") or ""):
                    continue
                if INGLES.search(valor):
                    restos.add(f"{nombre}: <{etiqueta} {clave}=«{valor}»>")
        # El texto visible fuera del contenido de la página (cabecera, barras laterales, pie) tampoco.
        marco = re.sub(r"<!--.*?-->|<(script|style|article)\b.*?</\1>", " ", html, flags=re.S)
        restos.update(
            f"{nombre}: «{m.group(0)}» en el marco de la página"
            for m in INGLES.finditer(re.sub(r"<[^>]+>", " ", marco))
        )
    assert not restos, "\n".join(sorted(restos))
    assert all(html.count(ingles) == 0 for html in paginas.values() for ingles in TRADUCCIONES)


def test_bibliografia_y_citas_en_espanol(paginas):
    """«Phuong y Hutter», no «Phuong and Hutter»; «En Actas…», no «In Actas…»."""
    assert "Phuong y Hutter, 2022" in paginas["libro/portada.html"]
    bibliografia = paginas["libro/bibliografia.html"]
    assert "Mary Phuong y Marcus Hutter" in bibliografia and "Kaiser y Illia Polosukhin" in bibliografia
    assert ". En <em>" in bibliografia and ". In <em>" not in bibliografia
    assert not re.search(r"\w+ and \w+, \d{4}</a>", "".join(paginas.values()))
