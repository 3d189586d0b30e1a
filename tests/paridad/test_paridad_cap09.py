"""Paridad NumPy ↔ PyTorch del capítulo 9 (muestreo, bucles de inferencia, búsqueda en haz, caché K/V).

Lo aleatorio se compara en sus casos deterministas (``tau=0``, ``k=1``) y con los filtros (que lo son);
las distribuciones de las muestras se comprueban en las propiedades y los oráculos.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from paridad.casos_cap04 import firmas_iguales
from paridad.casos_cap07 import CONFIGS, comparar_arbol, config_ed, parametros, tokens, un_hilo  # noqa: F401
from transformadores import con_numpy, con_torch
from transformadores.con_numpy import cache_kv as cache_np
from transformadores.con_numpy import inferencia as inf_np
from transformadores.con_numpy import muestreo as mu_np
from transformadores.con_torch import cache_kv as cache_t
from transformadores.con_torch import inferencia as inf_t
from transformadores.con_torch import muestreo as mu_t
from utiles import a_torch

TOLERANCIAS = pytest.mark.parametrize(
    "dtype, tol",
    [(torch.float64, {"rtol": 1e-10, "atol": 1e-12}), (torch.float32, {"rtol": 1e-6, "atol": 1e-5})],
    ids=["float64", "float32"],
)
pytestmark = pytest.mark.usefixtures("un_hilo")


def casos(rng):
    """caso → (función, id, args, kwargs), entradas NumPy."""
    logits = rng.standard_normal((3, 4, 9)) * 2
    logits[0, 0, :4] = -np.inf
    gpt, gpt_post, ed = CONFIGS["gpt"], CONFIGS["gpt-post-sin-atar"], config_ed()
    p_gpt, p_post, p_ed = parametros(gpt), parametros(gpt_post), parametros(ed)
    x, z = tokens(rng, 2, 4), tokens(rng, 2, 5)
    cache = con_numpy.decodificacion_con_cache(x[:, :3], p_gpt, gpt)[1]
    return {
        "voraz": ("decodificacion_voraz", "decodificacion-voraz", (logits,), {}),
        "temperatura-0": ("muestreo_temperatura", "muestreo-temperatura", (logits, 0.0), {}),
        "top-k-1": ("muestreo_top_k", "muestreo-top-k", (logits, 1), {}),
        "filtro-top-k": ("filtrar_top_k", "muestreo-top-k", (logits, 3), {}),
        "filtro-nucleo": ("filtrar_nucleo", "muestreo-nucleo-top-p", (logits, 0.6), {}),
        "nucleo-voraz": ("muestreo_nucleo", "muestreo-nucleo-top-p", (logits, 0.7, 0.0), {}),
        "muestrear": ("muestrear", "muestreo-temperatura", (logits, 0.0, 4, 0.9), {}),
        "generar-cache": ("inferencia_decodificador", "muestreo-temperatura", (x, p_gpt, gpt, 5, 0.0), {}),
        "generar-sin-cache": ("inferencia_decodificador", "muestreo-temperatura", (x, p_post, gpt_post, 5, 0.0),
                              {"usar_cache": False}),
        "seq2seq": ("inferencia_seq2seq", "inferencia-seq2seq-bucle", (z, p_ed, ed, 8, 9), {"longitud_max": 7}),
        "haz": ("busqueda_haz", "busqueda-haz", (x[0], p_gpt, gpt, 4), {"n_haz": 3, "eos": 2}),
        "haz-seq2seq": ("busqueda_haz", "busqueda-haz", (np.array([8]), p_ed, ed, 4),
                        {"n_haz": 3, "eos": 9, "z": z[0]}),
        "cache": ("decodificacion_con_cache", "cache-kv", (x[:, 3:], p_gpt, gpt, cache), {}),
        "cache-post": ("decodificacion_con_cache", "cache-kv", (x, p_post, gpt_post), {}),
    }  # fmt: skip


CASOS = [pytest.param(n, marks=pytest.mark.ecuacion(c[1])) for n, c in casos(np.random.default_rng(0)).items()]


@pytest.mark.parametrize("caso", CASOS)
@TOLERANCIAS
def test_paridad(caso, dtype, tol, rng, dispositivo):
    funcion, _, args, kwargs = casos(rng)[caso]
    esperado = getattr(con_numpy, funcion)(*args, **kwargs)
    obtenido = getattr(con_torch, funcion)(*a_torch(args, dtype, dispositivo), **a_torch(kwargs, dtype, dispositivo))
    comparar_arbol(esperado, obtenido, **tol)


@pytest.mark.ecuacion("muestreo-temperatura")
@pytest.mark.parametrize(
    "par", [(mu_np, mu_t), (inf_np, inf_t), (cache_np, cache_t)], ids=["muestreo", "inferencia", "cache"]
)
def test_firmas_de_los_gemelos(par):
    firmas_iguales(*par)


@pytest.mark.ecuacion("muestreo-temperatura")
@pytest.mark.ecuacion("inferencia-seq2seq-bucle")
def test_generar_de_los_modulos(rng, dispositivo):
    """``generar`` de los módulos = las funciones de NumPy con los mismos pesos (voraz)."""
    gpt, ed = CONFIGS["gpt"], config_ed()
    p_gpt, p_ed = parametros(gpt), parametros(ed)
    x, z = tokens(rng, 2, 3), tokens(rng, 2, 4)
    modelo = con_torch.TransformadorSoloDecodificador(gpt, device=dispositivo, dtype=torch.float64).cargar_parametros(
        p_gpt
    )
    esperado = con_numpy.inferencia_decodificador(x, p_gpt, gpt, 6, tau=0.0)
    comparar_arbol(esperado, modelo.generar(torch.from_numpy(x).to(dispositivo), 6, tau=0.0))
    ed_modelo = con_torch.TransformadorCodificadorDecodificador(ed, device=dispositivo, dtype=torch.float64)
    ed_modelo.cargar_parametros(p_ed)
    comparar_arbol(con_numpy.inferencia_seq2seq(z, p_ed, ed, 8, 9), ed_modelo.generar(torch.from_numpy(z), 8, 9))


@pytest.mark.ecuacion("muestreo-temperatura")
@pytest.mark.ecuacion("muestreo-nucleo-top-p")
def test_muestreo_en_bfloat16_en_cada_dispositivo(dispositivo):
    logits = torch.randn(64, 9, device=dispositivo).to(torch.bfloat16)
    voraz = con_torch.decodificacion_voraz(logits)
    assert voraz.device.type == dispositivo and torch.equal(voraz, logits.float().argmax(-1))
    rng = torch.Generator(device=dispositivo).manual_seed(0)
    ids = con_torch.muestrear(logits, 0.8, 5, 0.9, rng)
    permitidos = torch.isfinite(con_torch.filtrar_nucleo(con_torch.filtrar_top_k(logits, 5), 0.9))
    assert ids.device.type == dispositivo and permitidos.gather(-1, ids[:, None]).all()
