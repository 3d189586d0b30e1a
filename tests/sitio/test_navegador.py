"""El sitio en un navegador de verdad (Chromium sin pantalla, servido desde 127.0.0.1).

Cada página carga sin errores en la consola y sin pedir nada a otro host; cada ecuación queda compuesta
por MathJax; los widgets se dibujan con su estado guardado; la búsqueda entiende el español; los
exploradores responden sin núcleo. Dejamos capturas en ``capturas/`` para revisarlas a ojo.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

# Mensajes de consola que sabemos inofensivos (ninguno, por ahora: los que había se han corregido).
CONSOLA_ESPERADA: tuple[re.Pattern, ...] = ()

COMPROBAR_MATEMATICAS = """() => {
  const formulas = Array.from(document.querySelectorAll('.math'));
  const sinComponer = formulas.filter(f => !f.querySelector('mjx-container')).map(f => f.textContent.slice(0, 60));
  const errores = Array.from(document.querySelectorAll('mjx-merror')).map(e => e.textContent.slice(0, 60));
  const raiz = document.querySelector('main') || document.body;
  const recorrido = document.createTreeWalker(raiz, NodeFilter.SHOW_TEXT, {acceptNode: n =>
    n.parentElement.closest('pre, code, script, style, .highlight, mjx-container')
      ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT});
  const crudo = [];
  for (let n = recorrido.nextNode(); n; n = recorrido.nextNode()) {
    if (/\\$\\$|\\\\\\(|\\\\\\[|\\{eq\\}/.test(n.nodeValue)) crudo.push(n.nodeValue.trim().slice(0, 80));
  }
  return {total: formulas.length, sinComponer, errores, crudo};
}"""

COMPROBAR_WIDGETS = """() => ({
  vistas: document.querySelectorAll('.cell_output .jupyter-widgets').length,
  errores: document.querySelectorAll('.jupyter-widgets-error-widget').length,
  sinAlt: Array.from(document.querySelectorAll('img'))
    .filter(i => !(i.getAttribute('alt') || '').trim()).map(i => (i.getAttribute('src') || '').slice(0, 60)),
})"""

IMAGEN_VISIBLE = """(raiz) => {
  const visibles = Array.from(raiz.querySelectorAll('img')).filter(i => i.offsetParent !== null);
  return visibles.map(i => [i.getAttribute('alt'), i.getAttribute('src').length, i.getAttribute('src').slice(-40)]
    .join('|'));
}"""


class Visita:
    """Una página abierta en el navegador, con todo lo que escribió en la consola y todo lo que pidió."""

    def __init__(self, navegador, base: str, ruta: str):
        self.base, self.ruta = base, ruta
        self.pagina = navegador.new_page(viewport={"width": 1280, "height": 900})
        self.consola, self.peticiones, self.fallos = [], [], []
        self.pagina.on("console", lambda m: m.type == "error" and self.consola.append(m.text))
        self.pagina.on("pageerror", lambda e: self.consola.append(f"excepción: {e}"))
        self.pagina.on("request", lambda r: self.peticiones.append(r.url))
        self.pagina.on("response", lambda r: r.status >= 400 and self.fallos.append(f"{r.status} {r.url}"))
        self.pagina.goto(base + ruta, wait_until="networkidle")
        self._esperar("MathJax no arrancó", "() => !window.MathJax || (MathJax.startup && MathJax.startup.promise)")
        self.pagina.evaluate("() => window.MathJax && MathJax.startup ? MathJax.startup.promise.then(() => 1) : 1")
        if self.pagina.locator("script[type='application/vnd.jupyter.widget-state+json']").count():
            self._esperar("los widgets no se dibujaron", "() => document.querySelector('.cell_output .widget-box')")
            self.pagina.wait_for_timeout(500)

    def _esperar(self, problema: str, condicion: str) -> None:
        from playwright.sync_api import TimeoutError as TiempoAgotado

        try:
            self.pagina.wait_for_function(condicion, timeout=20_000)
        except TiempoAgotado:
            self.consola.append(f"{problema} en 20 s")

    def problemas(self) -> list[str]:
        externas = [u for u in self.peticiones if not u.startswith((self.base, "data:", "blob:"))]
        inesperados = [m for m in self.consola if not any(p.search(m) for p in CONSOLA_ESPERADA)]
        mates = self.pagina.evaluate(COMPROBAR_MATEMATICAS)
        widgets = self.pagina.evaluate(COMPROBAR_WIDGETS)
        problemas = [f"consola: {m}" for m in inesperados]
        problemas += [f"petición a otro host: {u}" for u in externas]
        problemas += [f"respuesta con error: {f}" for f in self.fallos]
        problemas += [f"fórmula sin componer: {t!r}" for t in mates["sinComponer"]]
        problemas += [f"error de MathJax: {t!r}" for t in mates["errores"]]
        problemas += [f"texto con delimitadores de fórmula sin componer: {t!r}" for t in mates["crudo"]]
        problemas += [f"widget que no se pudo dibujar ({widgets['errores']})"] if widgets["errores"] else []
        problemas += [f"imagen sin texto alternativo: {s}" for s in widgets["sinAlt"]]
        return problemas

    def capturar(self, carpeta, nombre: str) -> None:
        # Sin foco ni desplazamiento: si no, el enlace «Saltar al contenido» y la cabecera fija salen en medio.
        self.pagina.evaluate("() => { document.activeElement && document.activeElement.blur(); scrollTo(0, 0); }")
        self.pagina.screenshot(path=str(carpeta / f"{nombre}.png"), full_page=True)

    def cerrar(self) -> None:
        self.pagina.close()


def test_cada_pagina_carga_limpia(rutas, servidor, navegador):
    """Sin errores en la consola, sin peticiones a otros hosts, fórmulas compuestas y widgets dibujados."""
    assert len(rutas) >= 10, rutas
    problemas = {}
    for ruta in rutas:
        visita = Visita(navegador, servidor, ruta)
        if encontrados := visita.problemas():
            problemas[ruta] = encontrados
        visita.cerrar()
    assert not problemas, "\n".join(f"{r}:\n  " + "\n  ".join(p) for r, p in problemas.items())


def test_las_paginas_con_formulas_las_componen(servidor, navegador):
    """La comprobación de fórmulas no es vacía: el capítulo 3 y la notación tienen muchas, todas compuestas."""
    for ruta, minimo in (("capitulos/03-atencion.html", 20), ("libro/notacion.html", 50)):
        visita = Visita(navegador, servidor, ruta)
        mates = visita.pagina.evaluate(COMPROBAR_MATEMATICAS)
        visita.cerrar()
        assert mates["total"] >= minimo and not mates["sinComponer"], (ruta, mates["total"], mates["sinComponer"])


@pytest.mark.parametrize("palabra", ["máscaras", "rellenamos"])
def test_la_busqueda_entiende_el_espanol(servidor, navegador, paginas, palabra):
    """La búsqueda reduce las palabras a su raíz: «rellenamos» no aparece, pero encuentra «relleno»."""
    if palabra == "rellenamos":
        assert palabra not in paginas["capitulos/03-atencion.html"]
    visita = Visita(navegador, servidor, f"search.html?q={quote(palabra)}")
    visita.pagina.wait_for_selector("#search-results ul.search li a", timeout=20_000)
    enlaces = visita.pagina.eval_on_selector_all("#search-results ul.search li a", "as => as.map(a => a.href)")
    visita.cerrar()
    assert any("capitulos/03-atencion" in e for e in enlaces), enlaces


def _explorador(visita, indice: int):
    return visita.pagina.locator(".cell_output .widget-vbox").nth(indice)


def _mover_deslizador(explorador, pasos: int) -> None:
    asa = explorador.locator(".noUi-handle").first
    asa.focus()
    for _ in range(abs(pasos)):
        asa.press("ArrowRight" if pasos > 0 else "ArrowLeft")


def test_los_exploradores_responden_sin_nucleo(servidor, navegador, capturas):
    """Mover un control cambia la figura visible (en la web, sin Python detrás)."""
    visita = Visita(navegador, servidor, "libro/exploradores.html")
    posiciones, muestreo = _explorador(visita, 0), _explorador(visita, 1)
    antes = posiciones.evaluate(IMAGEN_VISIBLE)
    assert len(antes) == 1 and "d_modelo = 64 y base 10000" in antes[0], antes
    _mover_deslizador(posiciones, -2)  # d_modelo: 64 → 16
    despues = posiciones.evaluate(IMAGEN_VISIBLE)
    assert len(despues) == 1 and "d_modelo = 16 y base 10000" in despues[0], despues

    antes = muestreo.evaluate(IMAGEN_VISIBLE)
    muestreo.get_by_role("button", name="top-k (k = 3)").click()
    tras_filtro = muestreo.evaluate(IMAGEN_VISIBLE)
    assert len(tras_filtro) == 1 and tras_filtro != antes and "top-k, k = 3" in tras_filtro[0], tras_filtro
    _mover_deslizador(muestreo, -3)  # τ: 1 → 0.1
    tras_tau = muestreo.evaluate(IMAGEN_VISIBLE)
    assert len(tras_tau) == 1 and "temperatura 0.1 y top-k" in tras_tau[0], tras_tau
    visita.capturar(capturas, "exploradores-tras-mover-controles")
    visita.cerrar()


def test_el_explorador_de_atencion_responde_sin_nucleo(servidor, navegador):
    visita = Visita(navegador, servidor, "capitulos/03-atencion.html")
    explorador = _explorador(visita, 0)
    antes = explorador.evaluate(IMAGEN_VISIBLE)
    explorador.locator("select").select_option("causal")
    despues = explorador.evaluate(IMAGEN_VISIBLE)
    _mover_deslizador(explorador, 1)
    tras_tau = explorador.evaluate(IMAGEN_VISIBLE)
    visita.cerrar()
    assert len(antes) == len(despues) == len(tras_tau) == 1
    assert antes != despues != tras_tau


REPRESENTATIVAS = {
    "portada": "index.html",
    "prefacio": "libro/prefacio.html",
    "notacion": "libro/notacion.html",
    "glosario": "libro/glosario.html",
    "indice-ecuaciones": "libro/indice-ecuaciones.html",
    "capitulo-03": "capitulos/03-atencion.html",
    "ejercicios-03": "ejercicios/03-atencion.html",
    "exploradores": "libro/exploradores.html",
    "capitulo-10": "capitulos/10-vision.html",
    "capitulo-14": "capitulos/14-coste.html",
    "capitulo-18": "capitulos/18-distribuido.html",
    "apendice-gpu": "libro/apendice-gpu.html",
    "busqueda": f"search.html?q={quote('máscaras')}",
}


def test_capturas_de_paginas_representativas(servidor, navegador, capturas):
    """Deja en capturas/ una imagen de página completa de cada página representativa."""
    for nombre, ruta in REPRESENTATIVAS.items():
        visita = Visita(navegador, servidor, ruta)
        if nombre == "busqueda":
            visita.pagina.wait_for_selector("#search-results ul.search li", timeout=20_000)
        visita.capturar(capturas, nombre)
        visita.cerrar()
        assert (capturas / f"{nombre}.png").stat().st_size > 10_000, nombre


CAPITULOS_CON_EXPLORADOR = [
    "capitulos/10-vision.html",
    "capitulos/11-audio.html",
    "capitulos/12-multimodal.html",
    "capitulos/13-refuerzo.html",
    "capitulos/14-coste.html",
    "capitulos/15-modelo-real.html",
    "capitulos/16-limites.html",
    "capitulos/17-interpretabilidad.html",
    "capitulos/18-distribuido.html",
]


@pytest.mark.parametrize("ruta", CAPITULOS_CON_EXPLORADOR)
def test_los_exploradores_de_las_partes_ii_y_iii_responden_sin_nucleo(servidor, navegador, ruta):
    """En cada capítulo, cambiar el primer control del primer explorador cambia la figura visible."""
    visita = Visita(navegador, servidor, ruta)
    explorador = _explorador(visita, 0)
    antes = explorador.evaluate(IMAGEN_VISIBLE)
    desplegables = explorador.locator("select")
    if desplegables.count():
        opciones = desplegables.first.locator("option").all_inner_texts()
        desplegables.first.select_option(opciones[-1] if len(opciones) > 1 else opciones[0])
    else:
        _mover_deslizador(explorador, 1)
        if explorador.evaluate(IMAGEN_VISIBLE) == antes:  # el deslizador estaba al final
            _mover_deslizador(explorador, -2)
    despues = explorador.evaluate(IMAGEN_VISIBLE)
    visita.cerrar()
    assert len(antes) == len(despues) == 1, (antes, despues)
    assert antes != despues, antes
