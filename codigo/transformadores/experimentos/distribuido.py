"""Capítulo «Más allá de una máquina»: entrenamiento con paralelismo de datos (DDP, gloo).

El mismo modelo de lenguaje por caracteres del capítulo 9, en pequeño, se entrena de tres maneras con el
mismo lote global y la misma semilla:

- ``"uno"``: un solo proceso con el lote global entero (la referencia);
- ``"ddp"``: ``n`` procesos lanzados con ``torchrun``; cada uno ve ``lote_global / n`` ejemplos y
  ``torch.nn.parallel.DistributedDataParallel`` promedia los gradientes con un *all-reduce*;
- ``"manual"``: lo mismo sin DDP, con ``dist.all_reduce`` escrito a mano sobre cada gradiente, para ver
  lo que DDP hace por dentro (y cronometrar aparte el tiempo de comunicación).

Como la pérdida es una media y los trozos son iguales, la media de los gradientes locales es el gradiente
del lote global: las tres deben dar las mismas pérdidas y los mismos pesos (en ``float64``, hasta el
redondeo). :func:`lanzar` arranca ``torchrun`` en esta máquina y devuelve lo que escribió el proceso 0.

``python -m torch.distributed.run --standalone --nproc_per_node=2 -m transformadores.experimentos.distribuido``
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np
import torch
import torch.distributed as dist

from ..con_torch import TransformadorSoloDecodificador, entropia_cruzada_modelo_lenguaje
from ..configuracion import Configuracion
from ..datos.texto_libro import Vocabulario, corpus_libro, dividir_texto

__all__ = ["ConfigDistribuido", "lotes_globales", "trozo_local", "entrenar", "lanzar", "simular_all_reduce_anillo"]

MODOS = ("uno", "ddp", "manual")


@dataclass(frozen=True)
class ConfigDistribuido:
    """Hiperparámetros del experimento (el modelo es un GPT-2 diminuto por caracteres)."""

    pasos: int = 20
    lote_global: int = 16
    longitud: int = 32
    d_modelo: int = 32
    n_cabezas: int = 2
    d_ffn: int = 64
    n_capas: int = 2
    eta: float = 3e-3
    dtype: str = "float64"
    modo: str = "uno"
    semilla: int = 0

    def __post_init__(self):
        if self.modo not in MODOS:
            raise ValueError(f"'modo' debe ser uno de {MODOS}, pero se recibió {self.modo!r}.")
        if self.dtype not in ("float32", "float64"):
            raise ValueError(f"'dtype' debe ser 'float32' o 'float64', pero se recibió {self.dtype!r}.")


def _datos() -> tuple[np.ndarray, int]:
    vocabulario = Vocabulario()
    entrenamiento, _ = dividir_texto(vocabulario.codificar(corpus_libro()))
    return entrenamiento, len(vocabulario)


def lotes_globales(config: ConfigDistribuido, ids: np.ndarray) -> torch.Tensor:
    """Los ``pasos`` lotes globales, iguales en todos los procesos (misma semilla).

    Formas
    ------
    ids : (n,), enteros    devuelve : (pasos, lote_global, longitud), int64
    """
    rng = np.random.default_rng(config.semilla)
    inicios = rng.integers(0, len(ids) - config.longitud + 1, (config.pasos, config.lote_global))
    return torch.from_numpy(np.stack([[ids[i : i + config.longitud] for i in fila] for fila in inicios]))


def trozo_local(lote: torch.Tensor, rango: int, n_procesos: int) -> torch.Tensor:
    """Las filas de ``lote`` que le tocan al proceso ``rango`` de ``n_procesos`` (trozos contiguos e iguales).

    Formas
    ------
    lote : (B, T)    devuelve : (B / n_procesos, T)
    """
    if n_procesos < 1 or not 0 <= rango < n_procesos:
        raise ValueError(f"'rango' debe estar en [0, n_procesos), pero rango={rango}, n_procesos={n_procesos}.")
    if lote.shape[0] % n_procesos:
        raise ValueError(
            f"El lote global (B={lote.shape[0]}) debe repartirse en trozos iguales entre n_procesos={n_procesos}: "
            "con trozos desiguales la media de los gradientes locales ya no es el gradiente del lote."
        )
    b = lote.shape[0] // n_procesos
    return lote[rango * b : (rango + 1) * b]  # (B / n, T)


def _modelo(config: ConfigDistribuido, n_vocab: int) -> TransformadorSoloDecodificador:
    c = Configuracion.gpt2(
        n_vocab, l_max=config.longitud, d_modelo=config.d_modelo, n_cabezas=config.n_cabezas, d_ffn=config.d_ffn,
        n_capas_decodificador=config.n_capas, p_dropout=0.0,
    )  # fmt: skip
    generador = torch.Generator().manual_seed(config.semilla)  # la misma iniciación en todos los procesos
    return TransformadorSoloDecodificador(c, rng=generador, dtype=getattr(torch, config.dtype))


def entrenar(config: ConfigDistribuido) -> dict:
    """Entrena según ``config.modo`` (en ``"ddp"`` y ``"manual"``, dentro de un proceso de ``torchrun``).

    Devuelve ``perdidas`` (la del lote global en cada paso), ``pesos`` (todos los parámetros finales en un
    vector), ``segundos`` (por paso), ``segundos_comunicacion`` (solo en ``"manual"``), ``n_procesos`` y
    ``n_parametros``.
    """
    distribuido = config.modo != "uno"
    rango, n = (dist.get_rank(), dist.get_world_size()) if distribuido else (0, 1)
    ids, n_vocab = _datos()
    modelo = _modelo(config, n_vocab)
    red = torch.nn.parallel.DistributedDataParallel(modelo) if config.modo == "ddp" else modelo
    optimizador = torch.optim.Adam(modelo.parameters(), lr=config.eta)
    perdidas, tiempos, comunicacion = [], [], []
    for lote in lotes_globales(config, ids):
        inicio = time.perf_counter()
        x = trozo_local(lote, rango, n)  # (B / n, T)
        optimizador.zero_grad(set_to_none=True)
        perdida = entropia_cruzada_modelo_lenguaje(red(x, solo_logits=True), x, reduccion="media")
        perdida.backward()  # con DDP, aquí mismo se promedian los gradientes entre procesos
        if config.modo == "manual":
            t = time.perf_counter()
            for p in modelo.parameters():
                dist.all_reduce(p.grad, op=dist.ReduceOp.SUM)
                p.grad /= n
            comunicacion.append(time.perf_counter() - t)
        optimizador.step()
        global_ = perdida.detach().clone()
        if distribuido:  # la pérdida del lote global es la media de las locales (trozos iguales)
            dist.all_reduce(global_, op=dist.ReduceOp.SUM)
            global_ /= n
        perdidas.append(float(global_))
        tiempos.append(time.perf_counter() - inicio)
    pesos = torch.cat([p.detach().reshape(-1) for p in modelo.parameters()])
    return {
        "config": asdict(config), "n_procesos": n, "n_parametros": int(pesos.numel()), "perdidas": perdidas,
        "pesos": pesos.tolist(), "segundos": tiempos, "segundos_comunicacion": comunicacion,
    }  # fmt: skip


def lanzar(n_procesos: int, config: ConfigDistribuido, hilos: int = 1) -> dict:
    """Arranca ``torchrun --standalone --nproc_per_node=n_procesos`` en esta máquina y devuelve su resultado.

    Cada proceso usa ``hilos`` hilos de PyTorch. Si un proceso falla, lanza ``RuntimeError`` con su salida.
    """
    if config.modo == "uno":
        raise ValueError("'lanzar' es para los modos 'ddp' y 'manual'; el modo 'uno' se llama con entrenar().")
    with tempfile.TemporaryDirectory() as carpeta:
        salida = Path(carpeta) / "resultado.json"
        orden = [
            sys.executable, "-m", "torch.distributed.run", "--standalone", f"--nproc_per_node={n_procesos}",
            "-m", "transformadores.experimentos.distribuido", "--salida", str(salida),
            "--config", json.dumps(asdict(config)),
        ]  # fmt: skip
        entorno = {**os.environ, "OMP_NUM_THREADS": str(hilos)}
        proceso = subprocess.run(orden, capture_output=True, text=True, env=entorno, timeout=300)
        if proceso.returncode != 0 or not salida.exists():
            raise RuntimeError(f"torchrun terminó con código {proceso.returncode}:\n{proceso.stderr[-3000:]}")
        return json.loads(salida.read_text())


def simular_all_reduce_anillo(vectores: list[np.ndarray]) -> tuple[list[np.ndarray], list[list[np.ndarray]]]:
    """Simula un *all-reduce* en anillo (suma) entre ``P = len(vectores)`` procesos, paso a paso.

    Cada vector se parte en ``P`` trozos. En ``P - 1`` pasos de reducción dispersa (*reduce-scatter*) cada
    proceso envía un trozo a su vecino, que lo suma al suyo; en otros ``P - 1`` de reunión (*all-gather*)
    circulan los trozos ya sumados. Cada proceso envía en total ``2 (P - 1) / P`` veces el tamaño del vector,
    sea cual sea ``P``. Devuelve el resultado de cada proceso y los estados tras cada paso (el 0 es el inicial).

    Formas
    ------
    vectores : P arreglos (N,), N ≥ P    devuelve : P arreglos (N,), y 2 (P - 1) + 1 listas de P arreglos
    """
    P = len(vectores)
    if P < 1 or any(np.ndim(v) != 1 or len(v) != len(vectores[0]) for v in vectores) or len(vectores[0]) < P:
        formas = [np.shape(v) for v in vectores]
        raise ValueError(f"'vectores' debe ser una lista de P vectores (N,) con N ≥ P, pero se recibió {formas}.")
    trozos = [np.array_split(np.array(v, dtype=float), P) for v in vectores]
    estados = [[np.concatenate(t) for t in trozos]]
    for fase in ("reduccion", "reunion"):
        for paso in range(P - 1):
            enviados = []
            for p in range(P):  # el proceso p envía un trozo a p + 1
                k = (p - paso + (0 if fase == "reduccion" else 1)) % P
                enviados.append((p, k, trozos[p][k].copy()))
            for p, k, trozo in enviados:
                destino = (p + 1) % P
                trozos[destino][k] = trozos[destino][k] + trozo if fase == "reduccion" else trozo
            estados.append([np.concatenate(t) for t in trozos])
    return estados[-1], estados


def main(argv: list[str] | None = None) -> None:
    """Punto de entrada de cada proceso de ``torchrun``: entrena y el proceso 0 escribe el JSON."""
    p = argparse.ArgumentParser(description="Entrenamiento con paralelismo de datos (gloo).")
    p.add_argument("--salida", type=Path, required=True)
    p.add_argument("--config", default="{}", help="ConfigDistribuido en JSON (modo 'ddp' por omisión)")
    args = p.parse_args(argv)
    config = replace(ConfigDistribuido(modo="ddp"), **json.loads(args.config))
    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "1")))
    dist.init_process_group("gloo")
    try:
        resultado = entrenar(config)
        if dist.get_rank() == 0:
            args.salida.write_text(json.dumps(resultado))
    finally:
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
