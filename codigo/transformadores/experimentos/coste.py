"""Medidas del coste de la atención (capítulo 14 y apéndice de GPU).

Tres medidas, todas con el código del paquete:

1. **FLOPs contados** con ``torch.utils.flop_counter.FlopCounterMode`` sobre ``CapaCodificador``, frente
   a las fórmulas ``flops_capa_transformer`` y ``flops_entrenamiento`` (ecs. `flops-capa-transformer` y
   `flops-entrenamiento-6n`). Son cuentas exactas y deterministas.
2. **Tiempo y memoria máxima** frente a la longitud ``T`` de cinco atenciones: la ingenua (forma la
   matriz ``T×T``), la de teselas con softmax en línea, ``F.scaled_dot_product_attention``, la lineal y la
   de ventana deslizante. Memoria de NumPy: ``tracemalloc`` (NumPy le declara cada arreglo); de PyTorch en
   la CPU: los eventos de reserva y liberación del perfilador (``profile_memory``), que incluyen los
   búferes internos de los núcleos; en CUDA: ``torch.cuda.max_memory_allocated``. Los tiempos son el
   mínimo de varias llamadas (tiempo de CPU del proceso en la CPU; de reloj en CUDA).
3. **La caché de claves y valores**: tiempo de un paso de generación con y sin caché, para contextos crecientes.

Desde la línea de órdenes, ``python -m transformadores.experimentos.coste --dispositivo cuda --salida
tabla.md`` repite (2) y (3) con PyTorch en el dispositivo elegido y escribe las tablas en Markdown.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import os
import sys
import time
import tracemalloc
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch.nn.attention import SDPBackend, sdpa_kernel
from torch.utils.flop_counter import FlopCounterMode

from .. import con_numpy as cn
from .. import con_torch as ct
from ..con_torch.modulos_transformador import CapaCodificador
from ..configuracion import Configuracion
from ..errores import ErrorDeForma

try:  # viene con scikit-learn; sin él, NumPy usa los hilos de BLAS que tenga
    from threadpoolctl import threadpool_limits
except ImportError:  # pragma: no cover

    def threadpool_limits(*_args, **_kwargs):
        return contextlib.nullcontext()


__all__ = [
    "LONGITUDES", "METODOS_CPU", "METODOS_TORCH", "Medida", "contar_flops", "flops_capa_contados",
    "flops_entrenamiento_contados", "medir_atencion", "pendientes", "medir_cache_kv", "tabla_atencion",
    "tabla_cache", "informe_markdown", "main",
]  # fmt: skip

LONGITUDES = (256, 512, 1024, 2048, 4096)
METODOS_CPU = ("numpy:ingenua", "numpy:teselas", "torch:ingenua", "torch:sdpa", "numpy:lineal", "numpy:ventana")
METODOS_TORCH = ("torch:ingenua", "torch:teselas", "torch:sdpa", "torch:lineal", "torch:ventana")
_NOMBRES = {"ingenua": "ingenua (T×T)", "teselas": "teselas", "sdpa": "SDPA", "lineal": "lineal", "ventana": "ventana"}


# --- 1. FLOPs contados --------------------------------------------------------------------------------------------
def contar_flops(funcion, *args, **kwargs) -> tuple[int, dict[str, int]]:
    """FLOPs totales y por operación de aten (``mm``, ``addmm``, ``bmm``…) de ``funcion(*args, **kwargs)``.

    Forzamos el backend MATH de SDPA: así la atención fusionada se descompone en productos de
    matrices que ``FlopCounterMode`` ve y cuenta (``2·m·n·k`` por producto ``m×k`` por ``k×n``).
    """
    with sdpa_kernel(SDPBackend.MATH), FlopCounterMode(display=False) as contador:
        funcion(*args, **kwargs)
    por_op = {str(op).split(".")[-1]: int(n) for op, n in contador.get_flop_counts()["Global"].items()}
    return int(contador.get_total_flops()), por_op


def _capa(d_modelo, n_cabezas, d_ffn, l_max):
    config = Configuracion.gpt2(8, l_max=l_max, d_modelo=d_modelo, n_cabezas=n_cabezas, d_ffn=d_ffn,
                                n_capas_decodificador=1, p_dropout=0.0)  # fmt: skip
    return CapaCodificador(config).eval()


def flops_capa_contados(longitudes=(64, 128, 256, 384, 512, 1024), d_modelo=64, n_cabezas=4, d_ffn=None, lote=1):
    """FLOPs de una pasada de ``CapaCodificador`` contados y según ``flops_capa_transformer``, para cada ``n``.

    Devuelve
    --------
    lista de dict con ``n``, ``contados``, ``formula``, ``cuadraticos`` (los ``bmm``: ``QKᵀ`` y ``AV``),
    ``cuadraticos_formula`` (``4n²d``) y ``fraccion`` (la parte cuadrática del total)
    """
    d_ffn = 4 * d_modelo if d_ffn is None else d_ffn
    capa = _capa(d_modelo, n_cabezas, d_ffn, max(longitudes))
    filas = []
    for n in longitudes:
        with torch.no_grad():
            total, por_op = contar_flops(capa, torch.zeros(lote, n, d_modelo))
        formula = ct.flops_capa_transformer(n, d_modelo, d_ffn, B=lote)
        filas.append({"n": n, "contados": total, "formula": formula["total"], "cuadraticos": por_op.get("bmm", 0),
                      "cuadraticos_formula": formula["qk"] + formula["av"],
                      "fraccion": (formula["qk"] + formula["av"]) / formula["total"]})  # fmt: skip
    return filas


def flops_entrenamiento_contados(n_capas=2, d_modelo=64, n_ctx=128, lote=2, n_cabezas=4):
    """Una pila de ``n_capas`` capas del paquete: FLOPs por token hacia delante y en un paso de entrenamiento.

    Devuelve
    --------
    dict con ``N`` (pesos de las matrices, contados), los FLOPs por token contados ``adelante`` y
    ``entrenamiento`` (delante + atrás), su ``cociente`` y los de Kaplan (``N_kaplan``, ``C_adelante``,
    ``C_entrenamiento``) y el término de contexto de la atención completa, ``4·L·n·d``
    """
    torch.manual_seed(0)
    capas = [_capa(d_modelo, n_cabezas, 4 * d_modelo, n_ctx) for _ in range(n_capas)]
    N = sum(p.numel() for capa in capas for p in capa.parameters() if p.ndim == 2)  # solo matrices
    causal = ct.mascara_causal(n_ctx)

    def adelante(x):
        for capa in capas:
            x = capa(x, causal)
        return x

    x = torch.randn(lote, n_ctx, d_modelo, requires_grad=True)
    total_adelante, _ = contar_flops(adelante, x)
    total_entrenamiento, _ = contar_flops(lambda: adelante(x).sum().backward())
    N_k, C_adelante, C_entrenamiento = ct.flops_entrenamiento(n_capas, d_modelo, n_ctx)
    tokens = lote * n_ctx
    return {"N": N, "N_kaplan": N_k, "adelante": total_adelante // tokens,
            "entrenamiento": total_entrenamiento // tokens, "cociente": total_entrenamiento / total_adelante,
            "C_adelante": C_adelante, "C_entrenamiento": C_entrenamiento,
            "contexto_completo": 4 * n_capas * n_ctx * d_modelo}  # fmt: skip


# --- 2. Tiempo y memoria frente a T -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Medida:
    """Una medida: método, marco (``numpy`` o ``torch``), ``T``, tiempo (s) y memoria máxima (bytes)."""

    metodo: str
    marco: str
    T: int
    segundos: float
    pico_bytes: int
    memoria: str  # cómo se midió la memoria


def _sincronizar(dispositivo: str) -> None:
    if str(dispositivo).startswith("cuda"):
        torch.cuda.synchronize()


def _reloj(f, dispositivo="cpu", repeticiones=2, presupuesto_s=0.1, calentar=True) -> float:
    """El menor tiempo de varias llamadas a ``f()`` (tras un calentamiento); más llamadas si son rápidas.

    En la CPU medimos el **tiempo de CPU del proceso** (``time.process_time``): en una máquina compartida,
    el tiempo de reloj incluye los ratos en que otros procesos ocupan el núcleo, y el de CPU no. En CUDA,
    tiempo de reloj entre dos ``torch.cuda.synchronize``. De varias llamadas nos quedamos con la menor,
    la menos contaminada (como recomienda ``timeit``).
    """
    gpu = str(dispositivo).startswith("cuda")
    reloj = time.perf_counter if gpu else time.process_time
    if calentar:
        f()
    tiempos, inicio_total = [], time.perf_counter()
    while len(tiempos) < repeticiones or (time.perf_counter() - inicio_total < presupuesto_s and len(tiempos) < 50):
        _sincronizar(dispositivo)
        inicio = reloj()
        f()
        _sincronizar(dispositivo)
        tiempos.append(reloj() - inicio)
    return min(tiempos)


def _pico_numpy(f) -> int:
    """Memoria máxima (bytes) que reservan los arreglos de NumPy durante ``f()``, con ``tracemalloc``."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    try:
        f()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@contextlib.contextmanager
def _sin_stderr():
    """Silencia el descriptor 2 (el perfilador de PyTorch escribe ahí, desde C++, dos líneas por uso)."""
    try:
        guardado = os.dup(2)
    except OSError:  # pragma: no cover - sin descriptor 2
        yield
        return
    with open(os.devnull, "w") as nulo:
        os.dup2(nulo.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(guardado, 2)
            os.close(guardado)


def _pico_torch(f, dispositivo) -> int:
    """Memoria máxima (bytes) que reserva PyTorch durante ``f()``, por encima de la que ya estaba reservada."""
    if str(dispositivo).startswith("cuda"):
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
        base = torch.cuda.memory_allocated()
        f()
        torch.cuda.synchronize()
        return torch.cuda.max_memory_allocated() - base
    with _sin_stderr(), torch.autograd.profiler.profile(profile_memory=True, use_kineto=False) as perfil:
        f()
    eventos = sorted((e for e in perfil.kineto_results.events() if e.name() == "[memory]"), key=lambda e: e.start_ns())
    vivo = pico = 0
    for e in eventos:  # reservas (+) y liberaciones (-) en orden de tiempo
        vivo += e.nbytes()
        pico = max(pico, vivo)
    return pico


def _funcion(metodo, marco, Q, K, V, w, bloque):
    """La llamada que se mide para ``metodo`` en ``marco``; todas son atención completa (no causal)."""
    m = cn if marco == "numpy" else ct
    if metodo == "ingenua":  # forma la matriz de pesos T×T
        return lambda: m.atencion_escalada(Q, K, V, devolver_pesos=True)
    if metodo == "teselas":
        return lambda: m.atencion_por_teselas(Q, K, V, B_r=bloque, B_c=bloque)
    if metodo == "lineal":
        return lambda: m.atencion_lineal(Q, K, V)
    if metodo == "ventana":
        return lambda: m.atencion_ventana_deslizante(Q, K, V, w)
    if metodo == "sdpa" and marco == "torch":
        return lambda: F.scaled_dot_product_attention(Q, K, V)
    raise ErrorDeForma(
        f"método desconocido '{marco}:{metodo}'; los hay ingenua, teselas, sdpa (torch), lineal y ventana."
    )


def _entradas(marco, T, d, dispositivo, dtype):
    rng = np.random.default_rng(T)
    Q, K, V = (rng.standard_normal((1, 1, T, d)).astype(np.float32) for _ in range(3))  # (B, H, T, d)
    if marco == "numpy":
        return tuple(x.astype(dtype) for x in (Q, K, V))
    return tuple(torch.from_numpy(x).to(device=dispositivo, dtype=getattr(torch, dtype)) for x in (Q, K, V))


def medir_atencion(metodos=METODOS_CPU, longitudes=LONGITUDES, d=64, w=64, bloque=256, dispositivo="cpu",
                   dtype="float32", repeticiones=1) -> list[Medida]:  # fmt: skip
    """Tiempo (el menor de varias llamadas) y memoria máxima de cada ``"marco:método"`` para cada ``T`` (B = H = 1).

    Los métodos NumPy corren en la CPU con un solo hilo de BLAS. ``w`` es la anchura de la ventana
    (``|i - j| ≤ w/2``) y ``bloque``, el lado ``B_r = B_c`` de las teselas. Primero se mide la memoria
    (esa llamada sirve también de calentamiento) y después el tiempo.
    """
    medidas = []
    for clave in metodos:
        marco, metodo = clave.split(":")
        for T in longitudes:
            Q, K, V = _entradas(marco, T, d, dispositivo, dtype)
            f = _funcion(metodo, marco, Q, K, V, w, bloque)
            with torch.no_grad(), threadpool_limits(1, user_api="blas"):
                if marco == "numpy":
                    pico, como = _pico_numpy(f), "tracemalloc"
                else:
                    pico = _pico_torch(f, dispositivo)
                    como = "max_memory_allocated" if str(dispositivo).startswith("cuda") else "perfilador"
                disp = "cpu" if marco == "numpy" else dispositivo
                segundos = _reloj(f, disp, repeticiones, calentar=False)
            medidas.append(Medida(metodo, marco, T, segundos, pico, como))
    return medidas


def pendientes(medidas, campo="segundos", desde=None) -> dict[str, float]:
    """Pendiente de la recta ``log(campo) ~ log(T)`` para cada ``"marco:método"``.

    ``desde``: solo las longitudes ``T ≥ desde`` (por omisión, la mitad superior de las medidas, donde el
    coste fijo de cada llamada ya no domina).
    """
    resultado = {}
    for clave in dict.fromkeys(f"{m.marco}:{m.metodo}" for m in medidas):
        puntos = sorted((m.T, getattr(m, campo)) for m in medidas if f"{m.marco}:{m.metodo}" == clave)
        minimo = desde if desde is not None else puntos[(len(puntos) - 1) // 2][0]
        puntos = [(T, y) for T, y in puntos if T >= minimo and y > 0]
        if len(puntos) >= 2:
            T, y = np.log(np.array(puntos, dtype=float)).T
            resultado[clave] = float(np.polyfit(T, y, 1)[0])
    return resultado


# --- 3. La caché de claves y valores ------------------------------------------------------------------------------
def medir_cache_kv(longitudes=(128, 256, 512, 1024), d_modelo=128, n_cabezas=4, n_capas=2, dispositivo="cpu",
                   dtype="float32", repeticiones=2) -> list[dict]:  # fmt: skip
    """Tiempo de generar UN token con un contexto de ``n`` tokens, con caché K/V y recalculándolo todo.

    Sin caché: ``transformador_solo_decodificador`` sobre los ``n + 1`` tokens. Con caché:
    ``decodificacion_con_cache`` con el token nuevo y la caché de los ``n`` anteriores (preparada antes).

    Devuelve
    --------
    lista de dict con ``n``, ``sin`` y ``con`` (s), ``cociente`` y ``coinciden`` (¿los mismos logits?)
    """
    config = Configuracion.gpt2(64, l_max=max(longitudes) + 1, d_modelo=d_modelo, n_cabezas=n_cabezas,
                                d_ffn=4 * d_modelo, n_capas_decodificador=n_capas, p_dropout=0.0)  # fmt: skip
    tipo = getattr(torch, dtype)
    P = ct.convertir_parametros(ct.inicializar_parametros(config, torch.Generator().manual_seed(0)), dispositivo, tipo)
    x = torch.randint(0, 64, (1, max(longitudes) + 1), generator=torch.Generator().manual_seed(1)).to(dispositivo)
    filas = []
    with torch.no_grad():
        for n in longitudes:
            _, cache = ct.decodificacion_con_cache(x[:, :n], P, config)
            sin = lambda n=n: ct.transformador_solo_decodificador(x[:, : n + 1], P, config, solo_logits=True)  # noqa: E731
            con = lambda n=n, c=cache: ct.decodificacion_con_cache(x[:, n : n + 1], P, config, c)  # noqa: E731
            t_sin, t_con = _reloj(sin, dispositivo, repeticiones), _reloj(con, dispositivo, repeticiones)
            tol = 1e-4 if tipo == torch.float32 else 5e-2
            coinciden = torch.allclose(sin()[:, -1], con()[0][:, -1], rtol=tol, atol=tol)
            filas.append({"n": n, "sin": t_sin, "con": t_con, "cociente": t_sin / t_con, "coinciden": coinciden})
    return filas


# --- Tablas e informe ---------------------------------------------------------------------------------------------
def tabla_atencion(medidas, separador=" ") -> str:
    """Tabla de tiempos (ms) y memoria (MiB) por método (filas) y ``T`` (columnas); Markdown con ``"|"``."""
    longitudes = sorted({m.T for m in medidas})
    claves = list(dict.fromkeys(f"{m.marco}:{m.metodo}" for m in medidas))
    por = {(f"{m.marco}:{m.metodo}", m.T): m for m in medidas}
    pend_t, pend_m = pendientes(medidas), pendientes(medidas, "pico_bytes")
    md = separador == "|"
    cab = ["método", "medida"] + [f"T={T}" for T in longitudes] + ["pendiente"]
    filas = [cab] + ([["---"] * len(cab)] if md else [])
    for clave in claves:
        marco, metodo = clave.split(":")
        nombre = f"{_NOMBRES[metodo]} ({marco})"
        celdas_t = [f"{por[clave, T].segundos * 1e3:.2f}" if (clave, T) in por else "—" for T in longitudes]
        celdas_m = [f"{por[clave, T].pico_bytes / 2**20:.2f}" if (clave, T) in por else "—" for T in longitudes]
        como = next(m.memoria for m in medidas if f"{m.marco}:{m.metodo}" == clave)
        filas.append([nombre, "tiempo (ms)", *celdas_t, f"{pend_t.get(clave, float('nan')):.2f}"])
        filas.append(["" if md else " ", f"memoria (MiB, {como})", *celdas_m, f"{pend_m.get(clave, float('nan')):.2f}"])
    if md:
        return "\n".join("| " + " | ".join(f) + " |" for f in filas)
    anchos = [max(len(f[i]) for f in filas) for i in range(len(cab))]
    return "\n".join("  ".join(c.ljust(a) if i < 2 else c.rjust(a) for i, (c, a) in enumerate(zip(f, anchos)))
                     for f in filas)  # fmt: skip


def tabla_cache(filas, separador=" ") -> str:
    """Tabla de la caché K/V: contexto ``n``, ms por token sin y con caché, cociente y si coinciden."""
    cab = ["contexto n", "sin caché (ms)", "con caché (ms)", "cociente", "¿mismos logits?"]
    lineas = [[str(f["n"]), f"{f['sin'] * 1e3:.2f}", f"{f['con'] * 1e3:.2f}", f"{f['cociente']:.1f}×",
               "sí" if f["coinciden"] else "NO"] for f in filas]  # fmt: skip
    if separador == "|":
        return "\n".join("| " + " | ".join(f) + " |" for f in [cab, ["---"] * len(cab), *lineas])
    anchos = [max(len(f[i]) for f in [cab, *lineas]) for i in range(len(cab))]
    return "\n".join("  ".join(c.rjust(a) for c, a in zip(f, anchos)) for f in [cab, *lineas])


def _describir(dispositivo: str, dtype: str) -> str:
    if str(dispositivo).startswith("cuda"):
        nombre = torch.cuda.get_device_name(torch.device(dispositivo))
    else:
        hilos = torch.get_num_threads()
        nombre = f"CPU, {hilos} hilo{'s' if hilos != 1 else ''} de PyTorch, {os.cpu_count()} núcleos"
    return f"{dispositivo} ({nombre}), {dtype}, torch {torch.__version__}, {datetime.date.today().isoformat()}"


def informe_markdown(medidas, cache, dispositivo="cpu", dtype="float32") -> str:
    """El informe en Markdown: dispositivo, fecha, tabla de la atención y tabla de la caché K/V."""
    return (
        f"**Dispositivo:** {_describir(dispositivo, dtype)}.\n\n"
        "### Atención: tiempo y memoria máxima frente a T\n\n"
        "B = H = 1, d = 64, atención completa (no causal); ventana w = 64; teselas de 256 × 256. Pendiente: "
        "recta log–log sobre la mitad superior de las longitudes.\n\n"
        f"{tabla_atencion(medidas, '|')}\n\n"
        "### Generación: un token con y sin caché de claves y valores\n\n"
        f"{tabla_cache(cache, '|')}\n"
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Coste de la atención y de la generación en un dispositivo (capítulo 14).")
    p.add_argument("--dispositivo", default="cpu", help="cpu, cuda o cuda:N")
    p.add_argument("--salida", help="archivo Markdown donde escribir las tablas (si no, solo se imprimen)")
    p.add_argument("--dtype", default="float32", choices=["float32", "float16", "bfloat16"])
    p.add_argument("--longitudes", type=int, nargs="+", help="longitudes T de la atención")
    p.add_argument("--longitudes-cache", type=int, nargs="+", default=[128, 256, 512, 1024])
    p.add_argument("--repeticiones", type=int, default=2)
    p.add_argument("--hilos", type=int, default=1, help="hilos de PyTorch en la CPU (1: tiempos de CPU limpios)")
    args = p.parse_args(argv)
    if args.dispositivo.startswith("cuda") and not torch.cuda.is_available():
        print("No hay CUDA en esta máquina: usa --dispositivo cpu.", file=sys.stderr)
        return 2
    gpu = args.dispositivo.startswith("cuda")
    hilos = torch.get_num_threads()
    if not gpu:  # con varios hilos, los que esperan girando también gastan tiempo de CPU
        torch.set_num_threads(args.hilos)
    try:
        longitudes = args.longitudes or (LONGITUDES + ((8192, 16384) if gpu else ()))
        print(f"Midiendo en {_describir(args.dispositivo, args.dtype)}…", flush=True)
        medidas = medir_atencion(METODOS_TORCH, longitudes, dispositivo=args.dispositivo, dtype=args.dtype,
                                 repeticiones=args.repeticiones)  # fmt: skip
        cache = medir_cache_kv(args.longitudes_cache, dispositivo=args.dispositivo, dtype=args.dtype,
                               repeticiones=args.repeticiones)  # fmt: skip
        informe = informe_markdown(medidas, cache, args.dispositivo, args.dtype)
    finally:
        torch.set_num_threads(hilos)
    print(informe)
    if args.salida:
        with open(args.salida, "w", encoding="utf-8") as archivo:
            archivo.write(informe)
        print(f"Escrito en {args.salida}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
