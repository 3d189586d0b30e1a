"""Fixtures de las pruebas del sitio: el HTML construido, un servidor local y Chromium sin pantalla.

El sitio es el que deja ``make libro`` en ``_build/html`` (``make test`` lo construye antes); la
variable ``LIBRO_HTML`` permite probar otra carpeta. Chromium es el de Debian (``make navegador`` lo
instala), manejado con Playwright; nunca descargamos un navegador.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest

RAIZ = Path(__file__).resolve().parents[2]
HTML = Path(os.environ.get("LIBRO_HTML", RAIZ / "_build" / "html"))
CAPTURAS = RAIZ / "capturas"
BANDERAS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def paginas_del_sitio(raiz: Path = HTML) -> list[str]:
    """Las páginas HTML del sitio (rutas relativas), sin los recursos de ``_static`` ni ``_sources``."""
    return sorted(
        p.relative_to(raiz).as_posix()
        for p in raiz.rglob("*.html")
        if not p.relative_to(raiz).as_posix().startswith(("_static/", "_sources/", "_images/"))
    )


@pytest.fixture(scope="session")
def html() -> Path:
    if not (HTML / "index.html").exists():
        pytest.fail(f"No hay sitio construido en {HTML}: ejecuta `make libro` (make test lo hace antes).")
    return HTML


@pytest.fixture(scope="session")
def rutas(html) -> list[str]:
    """Las rutas relativas de todas las páginas del sitio."""
    return paginas_del_sitio(html)


@pytest.fixture(scope="session")
def paginas(html, rutas) -> dict[str, str]:
    """Ruta relativa → HTML de cada página."""
    return {nombre: (html / nombre).read_text(encoding="utf-8") for nombre in rutas}


class _Manejador(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # silencio en la salida de pytest
        pass

    def do_GET(self):
        if self.path == "/favicon.ico":  # el navegador lo pide siempre; el libro no tiene icono
            self.send_response(204)
            self.end_headers()
            return
        super().do_GET()


@pytest.fixture(scope="session")
def servidor(html):
    """URL base de un servidor HTTP local (127.0.0.1) que sirve el sitio construido."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Manejador, directory=str(html)))
    hilo = threading.Thread(target=httpd.serve_forever, daemon=True)
    hilo.start()
    yield f"http://127.0.0.1:{httpd.server_port}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def navegador():
    """Chromium de Debian sin pantalla, manejado con Playwright."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Falta el paquete playwright: instala el extra de pruebas (pip install -e '.[tests]').")
    ejecutable = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(ejecutable).exists():
        pytest.fail("No encuentro Chromium: instálalo con `make navegador` (apt-get install chromium).")
    with sync_playwright() as p:
        navegador = p.chromium.launch(executable_path=ejecutable, args=BANDERAS, headless=True)
        yield navegador
        navegador.close()


@pytest.fixture(scope="session")
def capturas() -> Path:
    """Carpeta (ignorada por git) donde dejamos capturas de páginas representativas para revisarlas a ojo."""
    CAPTURAS.mkdir(exist_ok=True)
    return CAPTURAS
