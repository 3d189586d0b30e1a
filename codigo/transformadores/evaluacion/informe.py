"""Lo que ve el profesor y el alumno: la barra de progreso y el archivo de comentarios de cada alumno."""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

__all__ = ["Barra", "texto_retroalimentacion", "escribir_retroalimentacion", "nombre_de_archivo"]


class Barra:
    """Barra de progreso en la salida de errores; sin terminal, una línea por alumno calificado."""

    def __init__(self, total: int, activa: bool = True, flujo=None):
        self.total, self.hechos, self.activa = total, 0, activa
        self.flujo = flujo or sys.stderr
        self.inicio = time.monotonic()
        self.terminal = hasattr(self.flujo, "isatty") and self.flujo.isatty()
        self._ancho = 0
        if self.activa and self.terminal:
            self._escribir("")

    def _escribir(self, ultimo: str) -> None:
        llenos = round(30 * self.hechos / self.total) if self.total else 30
        linea = (
            f"[{'█' * llenos}{'░' * (30 - llenos)}] {self.hechos}/{self.total} · "
            f"{time.monotonic() - self.inicio:.0f} s{' · ' + ultimo if ultimo else ''}"
        )
        if self.terminal:
            self.flujo.write("\r" + linea.ljust(self._ancho))
            self._ancho = max(self._ancho, len(linea))
        else:
            self.flujo.write(linea + "\n")
        self.flujo.flush()

    def avanzar(self, alumno: str, segundos: float) -> None:
        self.hechos += 1
        if self.activa:
            self._escribir(f"{alumno} ({segundos:.1f} s)")

    def terminar(self) -> None:
        if self.activa and self.terminal:
            self.flujo.write("\n")
            self.flujo.flush()


def nombre_de_archivo(alumno: str) -> str:
    """Un nombre de archivo seguro para el alumno (sin barras ni caracteres raros)."""
    return re.sub(r"[^\w.-]", "_", alumno).strip(".") or "alumno"


def texto_retroalimentacion(informe) -> str:
    """Los comentarios de un alumno, en Markdown: total, problemas de cada cuaderno y cada ejercicio."""
    puntos = sum(r.puntos for c in informe.cuadernos for r in c.resultados)
    maximo = sum(r.maximo for c in informe.cuadernos for r in c.resultados)
    lineas = [f"# Calificación de {informe.alumno}", "", f"**Total: {puntos} de {maximo} puntos.**", ""]
    for c in informe.cuadernos:
        p = sum(r.puntos for r in c.resultados)
        m = sum(r.maximo for r in c.resultados)
        lineas += [f"## {c.nombre}: {p} de {m} puntos", ""]
        if c.problemas:
            lineas += ["Al ejecutar tu cuaderno en un núcleo nuevo:", ""]
            lineas += [f"- {problema}" for problema in c.problemas] + [""]
        if not c.resultados:
            lineas += ["No se encontró ningún ejercicio que calificar en este cuaderno.", ""]
        for r in c.resultados:
            lineas += [f"### {r.ejercicio}: {r.puntos}/{r.maximo}", "", "```text", r.mensaje, "```", ""]
    lineas += [
        "Los casos con los que se ha calificado son nuevos: no son los que viste al ejecutar `comprobar` en tu "
        "cuaderno. Si un ejercicio te sale bien en tu cuaderno y aquí no, revisa los casos que menciona el mensaje.",
        "",
    ]
    return "\n".join(lineas)


def escribir_retroalimentacion(carpeta: Path, alumno: str, informe) -> Path:
    """Escribe ``carpeta/<alumno>.md`` y devuelve su ruta."""
    ruta = carpeta / f"{nombre_de_archivo(alumno)}.md"
    ruta.write_text(texto_retroalimentacion(informe), encoding="utf-8")
    return ruta
