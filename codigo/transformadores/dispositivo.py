"""Comprobaciones en el acelerador disponible: ``python -m transformadores.dispositivo``.

Pensado para una máquina con GPU (CUDA) o un Mac (MPS): ejecuta las pruebas de paridad y de
oráculos (que se repiten en cada dispositivo disponible) y el banco de rendimiento en ese
dispositivo, en float32 y bfloat16. Sin acelerador, lo dice y lo hace todo en la CPU.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import torch

from . import banco

__all__ = ["acelerador", "main"]


def acelerador() -> str:
    """``"cuda"``, ``"mps"`` o ``"cpu"``: el mejor dispositivo de esta máquina."""
    if torch.cuda.is_available():
        return "cuda"
    mps = getattr(torch.backends, "mps", None)
    return "mps" if mps is not None and mps.is_available() else "cpu"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Paridad y rendimiento en el acelerador disponible.")
    p.add_argument("--pruebas", type=Path, default=Path("tests"), help="carpeta de pruebas del repositorio")
    p.add_argument("--sin-pruebas", action="store_true", help="solo el banco de rendimiento")
    args = p.parse_args(argv)
    disp = acelerador()
    print(f"Acelerador: {disp}" + (f" ({torch.cuda.get_device_name()})" if disp == "cuda" else ""))
    codigo = 0
    if not args.sin_pruebas:
        import pytest

        grupos = [str(args.pruebas / g) for g in ("paridad", "oraculos") if (args.pruebas / g).exists()]
        filtro = [] if disp == "cpu" else ["-k", disp]
        codigo = pytest.main(["-q", "-p", "no:cacheprovider", *grupos, *filtro])
        print(f"Pruebas de paridad y oráculos en {disp}: {'correctas' if codigo == 0 else 'con FALLOS'}")
    for dtype in ("float32", "bfloat16") if disp != "cpu" else ("float32",):
        banco.main(["--dispositivo", disp, "--dtype", dtype])
    return int(codigo)


if __name__ == "__main__":
    sys.exit(main())
