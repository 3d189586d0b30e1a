"""Importa cada módulo de un gemelo y reexporta su ``__all__`` (un módulo por concepto)."""

from __future__ import annotations

import importlib
import pkgutil
import types


def reexportar(paquete: str, ruta, espacio: dict) -> list[str]:
    """Importa los submódulos de ``paquete`` en orden alfabético y copia sus nombres públicos."""
    nombres: list[str] = []
    for modulo in sorted(m.name for m in pkgutil.iter_modules(ruta) if not m.name.startswith("_")):
        mod = importlib.import_module(f"{paquete}.{modulo}")
        for nombre in getattr(mod, "__all__", ()):
            previo = espacio.get(nombre)
            if previo is not None and not isinstance(previo, types.ModuleType) and previo is not getattr(mod, nombre):
                raise ImportError(f"'{nombre}' está definido en dos módulos de {paquete}.")
            espacio[nombre] = getattr(mod, nombre)
            nombres.append(nombre)
    return nombres
