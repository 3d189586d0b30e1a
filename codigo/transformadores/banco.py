"""Banco de pruebas de rendimiento: ``python -m transformadores.banco [--dispositivo cuda]``.

Mide en una sola ejecución, alternando las dos variantes de cada comparación, y da cocientes
(medianas): así el ruido de una máquina compartida afecta por igual a las dos. No es una prueba
con tiempos límite; imprime la tabla y si cada objetivo se cumple.

1. Nuestra atención (PyTorch) frente a ``F.scaled_dot_product_attention`` (objetivo ≤ 1,15×).
2. Nuestro módulo multicabeza frente a ``nn.MultiheadAttention`` (objetivo ≤ 1,10×).
3. La referencia NumPy frente al mismo algoritmo escrito en PyTorch (objetivo ≤ 1,5×).
4. Memoria máxima de la atención por teselas (NumPy) frente a la ingenua con T = 4096 (objetivo ≤ 1/8).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tracemalloc

import numpy as np
import torch
import torch.nn.functional as F

from . import con_numpy as cn
from . import con_torch as ct

__all__ = ["comparar", "main"]

FORMAS = ((8, 8, 128, 64), (4, 8, 512, 64), (1, 8, 2048, 64))


def _sincronizar(dispositivo: str) -> None:
    if dispositivo.startswith("cuda"):
        torch.cuda.synchronize()


def comparar(a, b, repeticiones: int = 15, dispositivo: str = "cpu") -> tuple[float, float]:
    """Medianas de tiempo (s) de ``a()`` y ``b()``, medidas alternándolas tras un calentamiento."""
    for f in (a, b, a, b):
        f()
    ta, tb = [], []
    for _ in range(repeticiones):
        for f, t in ((a, ta), (b, tb)):
            _sincronizar(dispositivo)
            inicio = time.perf_counter()
            f()
            _sincronizar(dispositivo)
            t.append(time.perf_counter() - inicio)
    return statistics.median(ta), statistics.median(tb)


def _fila(nombre: str, t_nuestro: float, t_ref: float, objetivo: float) -> str:
    r = t_nuestro / t_ref
    cumple = "sí" if r <= objetivo else "NO"
    return f"{nombre:52} {t_nuestro * 1e3:9.2f} {t_ref * 1e3:9.2f} {r:7.2f}×  ≤{objetivo:.2f}× {cumple}"


@torch.no_grad()
def banco_atencion(dispositivo: str, dtype, repeticiones: int) -> list[str]:
    filas = []
    for B, H, T, d in FORMAS:
        Q, K, V = (torch.randn(B, H, T, d, device=dispositivo, dtype=dtype) for _ in range(3))
        for causal in (False, True):
            a = lambda Q=Q, K=K, V=V, c=causal: ct.atencion_escalada(Q, K, V, causal=c)  # noqa: E731
            b = lambda Q=Q, K=K, V=V, c=causal: F.scaled_dot_product_attention(Q, K, V, is_causal=c)  # noqa: E731
            ta, tb = comparar(a, b, repeticiones, dispositivo)
            filas.append(_fila(f"atención {(B, H, T, d)}{' causal' if causal else ''} vs SDPA", ta, tb, 1.15))
    return filas


@torch.no_grad()
def banco_multicabeza(dispositivo: str, dtype, repeticiones: int) -> list[str]:
    from .con_torch.modulos_multicabeza import AtencionMultiCabeza

    filas = []
    for B, T, d, h in ((8, 128, 512, 8), (2, 512, 512, 8)):
        mha = torch.nn.MultiheadAttention(d, h, batch_first=True, device=dispositivo, dtype=dtype).eval()
        nuestro = AtencionMultiCabeza.desde_multihead(mha).eval()
        X = torch.randn(B, T, d, device=dispositivo, dtype=dtype)
        a = lambda m=nuestro, X=X: m(X)  # noqa: E731
        b = lambda m=mha, X=X: m(X, X, X, need_weights=False)  # noqa: E731
        ta, tb = comparar(a, b, repeticiones, dispositivo)
        filas.append(_fila(f"multicabeza (B={B}, T={T}, d={d}, h={h}) vs nn.MHA", ta, tb, 1.10))
    return filas


def banco_numpy(repeticiones: int) -> list[str]:
    """NumPy frente al mismo algoritmo (softmax(QKᵀ/√d)V explícito) en PyTorch, en CPU y float32."""
    filas = []
    for B, H, T, d in FORMAS[:2]:
        rng = np.random.default_rng(0)
        Q, K, V = (rng.standard_normal((B, H, T, d)).astype(np.float32) for _ in range(3))
        Qt, Kt, Vt = (torch.from_numpy(x) for x in (Q, K, V))

        def en_torch(Qt=Qt, Kt=Kt, Vt=Vt, d=d):
            with torch.no_grad():
                s = Qt @ Kt.transpose(-2, -1) / d**0.5
                return torch.softmax(s, dim=-1) @ Vt

        ta, tb = comparar(lambda Q=Q, K=K, V=V: cn.atencion_escalada(Q, K, V), en_torch, repeticiones)
        filas.append(_fila(f"NumPy {(B, H, T, d)} vs mismo algoritmo en PyTorch", ta, tb, 1.5))
    return filas


def _pico(f) -> int:
    tracemalloc.start()
    tracemalloc.reset_peak()
    f()
    _, pico = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return pico


def banco_memoria(T: int = 4096, d: int = 64) -> list[str]:
    rng = np.random.default_rng(0)
    Q, K, V = (rng.standard_normal((1, T, d)) for _ in range(3))
    ingenua = _pico(lambda: cn.atencion_escalada(Q, K, V))
    teselas = _pico(lambda: cn.atencion_por_teselas(Q, K, V, B_r=128, B_c=128))
    r = teselas / ingenua
    return [
        f"{'memoria máxima, teselas vs ingenua (T=' + str(T) + ')':52} {teselas / 2**20:8.1f}M {ingenua / 2**20:8.1f}M "
        f"{r:7.3f}×  ≤0.125× {'sí' if r <= 0.125 else 'NO'}"
    ]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Banco de rendimiento (cocientes medidos en una sola ejecución).")
    p.add_argument("--dispositivo", default="cuda" if torch.cuda.is_available() else "cpu")
    p.add_argument("--dtype", default="float32", choices=["float32", "float64", "bfloat16", "float16"])
    p.add_argument("--repeticiones", type=int, default=15)
    args = p.parse_args(argv)
    dtype = getattr(torch, args.dtype)
    nombre = torch.cuda.get_device_name() if args.dispositivo.startswith("cuda") else "CPU"
    print(
        f"Dispositivo: {args.dispositivo} ({nombre}), "
        f"dtype {args.dtype}, hilos {torch.get_num_threads()}, torch {torch.__version__}"
    )
    print(f"{'comparación':52} {'nuestro':>9} {'ref.':>9} {'cociente':>8}  objetivo")
    print(f"{'':52} {'(ms)':>9} {'(ms)':>9}")
    filas = banco_atencion(args.dispositivo, dtype, args.repeticiones)
    filas += banco_multicabeza(args.dispositivo, dtype, args.repeticiones)
    filas += banco_numpy(max(5, args.repeticiones // 3))
    filas += banco_memoria()
    print("\n".join(filas))
    return 0


if __name__ == "__main__":
    sys.exit(main())
