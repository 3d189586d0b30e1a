"""Tu progreso como lector: qué ejercicios has superado.

Se guarda en ``~/.transformadores/progreso.json`` (otra ruta con la variable de entorno
``TRANSFORMADORES_PROGRESO``). ``comprobar`` anota cada intento; ``mostrar()`` lo resume, por
capítulo o en total. Nunca lanza: si no se puede leer o escribir el archivo, se sigue sin progreso.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import date
from pathlib import Path

__all__ = ["ruta", "leer", "registrar", "superados", "reiniciar", "mostrar", "Informe"]

VARIABLE = "TRANSFORMADORES_PROGRESO"


def ruta() -> Path:
    """El archivo de progreso: ``$TRANSFORMADORES_PROGRESO`` o ``~/.transformadores/progreso.json``."""
    otra = os.environ.get(VARIABLE)
    return Path(otra) if otra else Path.home() / ".transformadores" / "progreso.json"


def leer() -> dict[str, dict]:
    """``{id: {"superado": bool, "intentos": int, "fecha": "AAAA-MM-DD"}}``; vacío si no hay archivo válido."""
    try:
        datos = json.loads(ruta().read_text(encoding="utf-8"))
        ejercicios = datos.get("ejercicios", {})
    except (OSError, ValueError, AttributeError):
        return {}
    if not isinstance(ejercicios, dict):
        return {}
    return {k: v for k, v in ejercicios.items() if isinstance(k, str) and isinstance(v, dict)}


def _escribir(ejercicios: dict) -> None:
    destino = ruta()
    destino.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=destino.parent, delete=False, suffix=".tmp") as f:
        json.dump({"version": 1, "ejercicios": ejercicios}, f, ensure_ascii=False, indent=1, sort_keys=True)
    os.replace(f.name, destino)  # atómico: nunca queda un archivo a medias


def registrar(resultado) -> None:
    """Anota un intento (y el primer acierto) del ejercicio de ``resultado``. Nunca lanza."""
    if os.environ.get("TRANSFORMADORES_CALIFICANDO"):
        return
    try:
        ejercicios = leer()
        e = ejercicios.setdefault(resultado.ejercicio, {"superado": False, "intentos": 0})
        e["intentos"] = int(e.get("intentos", 0)) + 1
        if resultado.correcto and not e.get("superado"):
            e["superado"], e["fecha"] = True, date.today().isoformat()
        _escribir(ejercicios)
    except Exception:  # progreso de mejor esfuerzo: un disco de solo lectura no debe romper comprobar
        pass


def superados() -> set[str]:
    """Los ids de los ejercicios superados alguna vez."""
    return {k for k, v in leer().items() if v.get("superado") is True}


def reiniciar() -> None:
    """Borra el progreso guardado."""
    try:
        ruta().unlink()
    except OSError:
        pass


class Informe:
    """Texto del progreso; se ve igual con ``print`` y como última expresión de una celda."""

    def __init__(self, texto: str):
        self.texto = texto

    def __repr__(self) -> str:
        return self.texto


def _barra(hechos: int, total: int) -> str:
    return "■" * hechos + "□" * (total - hechos)


def mostrar(capitulo: int | None = None) -> Informe:
    """Qué ejercicios has superado: los de ``capitulo``, uno por línea, o un resumen por capítulos."""
    from .ejercicios import EJERCICIOS

    hechos = superados()
    if capitulo is not None:
        lista = [e for e in EJERCICIOS.values() if e.capitulo == capitulo]
        n = sum(e.id in hechos for e in lista)
        lineas = [f"Tu progreso en el capítulo {capitulo}: {n} de {len(lista)} ejercicios superados."]
        ancho = max((len(e.id) for e in lista), default=0)
        lineas += [f"  {'✅' if e.id in hechos else '⬜'} {e.id:<{ancho}}  {e.titulo}" for e in lista]
        return Informe("\n".join(lineas))
    capitulos = sorted({e.capitulo for e in EJERCICIOS.values()})
    total = sum(e.id in hechos for e in EJERCICIOS.values())
    lineas = [f"Tu progreso: {total} de {len(EJERCICIOS)} ejercicios superados."]
    for c in capitulos:
        ids = [e.id for e in EJERCICIOS.values() if e.capitulo == c]
        n = sum(i in hechos for i in ids)
        lineas.append(f"  Capítulo {c:>2}: {_barra(n, len(ids))} {n} de {len(ids)}")
    lineas.append(f"(Se guarda en {ruta()}.)")
    return Informe("\n".join(lineas))
