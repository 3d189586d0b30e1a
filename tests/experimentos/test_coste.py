"""Las medidas de coste del capítulo 14: FLOPs contados, tiempo y memoria frente a T, caché K/V y la orden."""

from __future__ import annotations

import pytest
import torch
from transformadores import ErrorDeForma
from transformadores import con_torch as ct
from transformadores.experimentos import coste as co

GPU = pytest.mark.skipif(not torch.cuda.is_available(), reason="necesita CUDA")


@pytest.mark.ecuacion("flops-capa-transformer")
def test_flops_contados_en_la_capa_del_paquete_son_los_de_la_formula():
    filas = co.flops_capa_contados(longitudes=(8, 48, 64), d_modelo=8, n_cabezas=2)
    for f in filas:
        assert f["contados"] == f["formula"] == ct.flops_capa_transformer(f["n"], 8)["total"]
        assert f["cuadraticos"] == f["cuadraticos_formula"] == 4 * f["n"] ** 2 * 8
    assert [f["fraccion"] > 0.5 for f in filas] == [False, False, True]  # domina si n > 6d = 48


@pytest.mark.ecuacion("flops-entrenamiento-6n")
def test_regla_6n_contada():
    r = co.flops_entrenamiento_contados(n_capas=2, d_modelo=16, n_ctx=8, lote=2, n_cabezas=2)
    L, n, d = 2, 8, 16
    assert r["N"] == r["N_kaplan"] == 12 * L * d * d
    assert r["cociente"] == 3.0
    assert r["adelante"] == 2 * r["N"] + r["contexto_completo"] == r["C_adelante"] + 2 * L * n * d
    assert r["entrenamiento"] == r["C_entrenamiento"] + 3 * r["contexto_completo"]


def test_pendientes_de_medidas_sinteticas():
    medidas = [co.Medida("m", "numpy", T, 1e-9 * T**2, 10 * T, "x") for T in (64, 128, 256, 512)]
    medidas += [co.Medida("n", "torch", T, 1e-6 * T, 5, "x") for T in (64, 128, 256, 512)]
    assert co.pendientes(medidas) == pytest.approx({"numpy:m": 2.0, "torch:n": 1.0})
    assert co.pendientes(medidas, "pico_bytes") == pytest.approx({"numpy:m": 1.0, "torch:n": 0.0}, abs=1e-9)
    assert co.pendientes(medidas, desde=512) == {}  # un solo punto: no hay recta


@pytest.mark.ecuacion("memoria-atencion-cuadratica")
@pytest.mark.ecuacion("flashattention-teselas")
def test_memoria_medida_cuadratica_solo_en_la_ingenua():
    metodos = ("numpy:ingenua", "numpy:teselas", "torch:ingenua", "torch:sdpa", "numpy:lineal", "numpy:ventana")
    medidas = co.medir_atencion(metodos, longitudes=(256, 512), d=16, w=8, bloque=32, repeticiones=1)
    assert len(medidas) == 12 and all(m.segundos > 0 for m in medidas)
    por = {(m.marco, m.metodo, m.T): m for m in medidas}
    for marco in ("numpy", "torch"):  # la ingenua guarda A (y sus puntuaciones): al menos B·h·T²·4 bytes
        assert por[marco, "ingenua", 512].pico_bytes >= ct.memoria_atencion(1, 1, 512)
    for metodo in ("teselas", "lineal", "ventana"):
        assert por["numpy", metodo, 512].pico_bytes < ct.memoria_atencion(1, 1, 512) / 2
    assert por["torch", "sdpa", 512].pico_bytes < ct.memoria_atencion(1, 1, 512) / 2
    memoria = co.pendientes(medidas, "pico_bytes")
    assert memoria["numpy:ingenua"] == pytest.approx(2.0, abs=0.1)
    assert memoria["torch:ingenua"] == pytest.approx(2.0, abs=0.1)
    assert memoria["numpy:lineal"] < 1.3 and memoria["numpy:ventana"] < 1.3
    assert {m.memoria for m in medidas} == {"tracemalloc", "perfilador"}
    tabla = co.tabla_atencion(medidas)
    assert "ingenua (T×T) (numpy)" in tabla and "memoria (MiB, perfilador)" in tabla and "T=512" in tabla


def test_metodo_desconocido():
    with pytest.raises(ErrorDeForma, match=r"método desconocido 'numpy:sdpa'"):
        co.medir_atencion(("numpy:sdpa",), longitudes=(8,))


@pytest.mark.ecuacion("cache-kv")
def test_cache_kv_da_los_mismos_logits():
    filas = co.medir_cache_kv(longitudes=(8, 16), d_modelo=16, n_cabezas=2, n_capas=1, repeticiones=1)
    assert [f["n"] for f in filas] == [8, 16]
    assert all(f["coinciden"] and f["sin"] > 0 and f["con"] > 0 for f in filas)
    assert "¿mismos logits?" in co.tabla_cache(filas) and "| --- |" in co.tabla_cache(filas, "|")


def test_la_orden_en_cpu_escribe_el_informe(tmp_path, capsys):
    salida = tmp_path / "coste.md"
    orden = ["--dispositivo", "cpu", "--longitudes", "32", "64", "--longitudes-cache", "8", "16"]
    assert co.main([*orden, "--repeticiones", "1", "--salida", str(salida)]) == 0
    texto = salida.read_text(encoding="utf-8")
    assert texto.startswith("**Dispositivo:** cpu (CPU,")
    assert "| SDPA (torch) | tiempo (ms) |" in texto and "| teselas (torch) |" in texto
    assert "| contexto n | sin caché (ms) |" in texto and texto.count("| sí |") == 2
    assert "Escrito en" in capsys.readouterr().out
    assert "1 hilo de PyTorch" in texto


def test_la_orden_devuelve_los_hilos_como_estaban(tmp_path):
    antes = torch.get_num_threads()
    orden = ["--longitudes", "16", "32", "--longitudes-cache", "4", "8", "--repeticiones", "1", "--hilos", "1"]
    assert co.main(orden) == 0
    assert torch.get_num_threads() == antes


@pytest.mark.skipif(torch.cuda.is_available(), reason="hay CUDA")
def test_la_orden_sin_cuda_lo_dice(capsys):
    assert co.main(["--dispositivo", "cuda"]) == 2
    assert "No hay CUDA" in capsys.readouterr().err


@pytest.mark.gpu
@GPU
def test_la_orden_en_cuda(tmp_path):
    salida = tmp_path / "coste.md"
    orden = ["--dispositivo", "cuda", "--longitudes", "256", "512", "--longitudes-cache", "16", "32"]
    assert co.main([*orden, "--salida", str(salida)]) == 0
    texto = salida.read_text(encoding="utf-8")
    assert "max_memory_allocated" in texto and texto.count("| sí |") == 2
