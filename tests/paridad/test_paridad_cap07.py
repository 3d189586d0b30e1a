"""Paridad NumPy ↔ PyTorch del capítulo 7 (capas y transformadores completos), float64 y float32, en cada
dispositivo; los módulos y su ``parametros()`` ↔ diccionario; bfloat16."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from paridad.casos_cap04 import comparar, firmas_iguales
from paridad.casos_cap07 import CONFIGS, parametros, relleno, tokens, un_hilo  # noqa: F401
from transformadores import con_numpy, con_torch
from transformadores.con_numpy import capas as capas_np
from transformadores.con_numpy import parametros as par_np
from transformadores.con_numpy import transformadores_completos as tc_np
from transformadores.con_torch import capas as capas_t
from transformadores.con_torch import parametros as par_t
from transformadores.con_torch import transformadores_completos as tc_t
from utiles import a_numpy, a_torch

TOLERANCIAS = pytest.mark.parametrize(
    "dtype, tol",
    [(torch.float64, {"rtol": 1e-10, "atol": 1e-12}), (torch.float32, {"rtol": 0, "atol": 1e-5})],
    ids=["float64", "float32"],
)
pytestmark = pytest.mark.usefixtures("un_hilo")


def casos(rng):
    """caso → (función, id, args, kwargs), entradas NumPy."""
    ed, ed_pre, bert, gpt = CONFIGS["ed-post"], CONFIGS["ed-pre-sin-atar"], CONFIGS["bert"], CONFIGS["gpt"]
    p_ed, p_pre, p_bert, p_gpt = (parametros(c) for c in (ed, ed_pre, bert, gpt))
    z, x, X, Z = tokens(rng, 2, 6), tokens(rng, 2, 5), rng.standard_normal((2, 5, 8)), rng.standard_normal((2, 6, 8))
    rz, rx = relleno([6, 3], 6), relleno([5, 2], 5)
    mascara = rx[:, None, None, :]
    return {
        "capa_codificador-post": ("capa_codificador", "capa-codificador", (X, p_ed["codificador"]["capas"][0], ed),
                                  {"mascara": mascara}),
        "capa_codificador-pre": ("capa_codificador", "capa-codificador", (X, p_pre["codificador"]["capas"][1], ed_pre),
                                 {"mascara": mascara}),
        "capa_decodificador-post": ("capa_decodificador", "capa-decodificador",
                                    (X, Z, p_ed["decodificador"]["capas"][0], ed), {"mascara_Z": rz}),
        "capa_decodificador-pre": ("capa_decodificador", "capa-decodificador",
                                   (X, Z, p_pre["decodificador"]["capas"][1], ed_pre), {"mascara": mascara}),
        "ed-post": ("transformador_codificador_decodificador", "transformador-codificador-decodificador",
                    (z, x, p_ed, ed), {"relleno_z": rz, "relleno_x": rx}),
        "ed-pre": ("transformador_codificador_decodificador", "transformador-codificador-decodificador",
                   (z, x, p_pre, ed_pre), {"relleno_z": rz, "solo_logits": True}),
        "bert": ("transformador_solo_codificador", "transformador-solo-codificador", (x, p_bert, bert),
                 {"relleno": rx}),
        "gpt": ("transformador_solo_decodificador", "transformador-solo-decodificador", (x, p_gpt, gpt),
                {"relleno": rx}),
        "autoregresiva": ("factorizacion_autoregresiva", "factorizacion-autoregresiva", (x, p_gpt, gpt),
                          {"relleno": rx}),
        "seq2seq": ("factorizacion_seq2seq_condicional", "factorizacion-seq2seq-condicional", (z, x, p_ed, ed),
                    {"relleno_z": rz, "relleno_x": rx}),
        "cls": ("clasificacion_token_cls", "clasificacion-token-cls", (x, p_bert, bert), {"relleno": rx}),
        "pila": ("pila_codificador", "transformador-codificador-decodificador", (z, p_ed, ed), {"relleno_z": rz}),
    }  # fmt: skip


CASOS = [pytest.param(n, marks=pytest.mark.ecuacion(c[1])) for n, c in casos(np.random.default_rng(0)).items()]


@pytest.mark.parametrize("caso", CASOS)
@TOLERANCIAS
def test_paridad(caso, dtype, tol, rng, dispositivo):
    funcion, _, args, kwargs = casos(rng)[caso]
    esperado = getattr(con_numpy, funcion)(*args, **kwargs)
    obtenido = getattr(con_torch, funcion)(*a_torch(args, dtype, dispositivo), **a_torch(kwargs, dtype, dispositivo))
    assert obtenido.dtype == dtype and obtenido.device.type == dispositivo
    comparar(esperado, obtenido, **tol)


@pytest.mark.ecuacion("capa-codificador")
@pytest.mark.parametrize(
    "par", [(capas_np, capas_t), (tc_np, tc_t), (par_np, par_t)], ids=["capas", "completos", "parametros"]
)
def test_firmas_de_los_gemelos(par):
    firmas_iguales(*par)


MODULOS = {
    "ed-post": con_torch.TransformadorCodificadorDecodificador,
    "ed-pre-sin-atar": con_torch.TransformadorCodificadorDecodificador,
    "bert": con_torch.TransformadorSoloCodificador,
    "gpt": con_torch.TransformadorSoloDecodificador,
    "gpt-post-sin-atar": con_torch.TransformadorSoloDecodificador,
}
FUNCION = {
    con_torch.TransformadorCodificadorDecodificador: "transformador_codificador_decodificador",
    con_torch.TransformadorSoloCodificador: "transformador_solo_codificador",
    con_torch.TransformadorSoloDecodificador: "transformador_solo_decodificador",
}


def _entradas(Clase, rng):
    x = tokens(rng, 2, 5)
    return (tokens(rng, 2, 6), x) if Clase is con_torch.TransformadorCodificadorDecodificador else (x,)


def _formas(arbol):
    if isinstance(arbol, dict):
        return {k: _formas(v) for k, v in arbol.items()}
    if isinstance(arbol, list):
        return [_formas(v) for v in arbol]
    return tuple(arbol.shape)


@pytest.mark.ecuacion("transformador-codificador-decodificador")
@pytest.mark.ecuacion("transformador-solo-codificador")
@pytest.mark.ecuacion("transformador-solo-decodificador")
@pytest.mark.parametrize("nombre", list(MODULOS))
def test_modulo_y_diccionario_ida_y_vuelta(nombre, rng, dispositivo):
    """Los pesos del módulo corren en NumPy; un diccionario NumPy cargado en el módulo da lo mismo."""
    config, Clase = CONFIGS[nombre], MODULOS[nombre]
    modulo = Clase(config, rng=torch.Generator().manual_seed(3), device=dispositivo, dtype=torch.float64).eval()
    p = con_torch.parametros_a_numpy(modulo.parametros())
    assert _formas(p) == config.formas_parametros()
    entradas = _entradas(Clase, rng)
    esperado = getattr(con_numpy, FUNCION[Clase])(*entradas, p, config)
    comparar(esperado, modulo(*a_torch(entradas, dispositivo=dispositivo)), rtol=1e-10, atol=1e-12)
    otros = parametros(config, semilla=5)
    cargado = Clase(config, device=dispositivo, dtype=torch.float64).cargar_parametros(otros).eval()
    esperado = getattr(con_numpy, FUNCION[Clase])(*entradas, otros, config)
    comparar(esperado, cargado(*a_torch(entradas, dispositivo=dispositivo)), rtol=1e-10, atol=1e-12)
    assert all(t.device.type == dispositivo for t in cargado.parameters())


@pytest.mark.ecuacion("capa-codificador")
@pytest.mark.ecuacion("capa-decodificador")
@pytest.mark.parametrize("Capa", [con_torch.CapaCodificador, con_torch.CapaDecodificador])
def test_modulos_de_capa(Capa, rng):
    config = CONFIGS["ed-pre-sin-atar"]
    capa = Capa(config, dtype=torch.float64).eval()
    p = con_torch.parametros_a_numpy(capa.parametros())
    X, Z = rng.standard_normal((2, 5, 8)), rng.standard_normal((2, 4, 8))
    if Capa is con_torch.CapaCodificador:
        esperado, obtenido = con_numpy.capa_codificador(X, p, config), capa(torch.from_numpy(X))
    else:
        esperado, obtenido = con_numpy.capa_decodificador(X, Z, p, config), capa(*a_torch((X, Z)))
    comparar(esperado, obtenido, rtol=1e-10, atol=1e-12)
    p2 = parametros(config, 2)["decodificador" if Capa is con_torch.CapaDecodificador else "codificador"]["capas"][0]
    capa.cargar_parametros(p2)
    comparar(p2["ffn"]["W_1"], capa.ffn.W_1, rtol=0, atol=0)


@pytest.mark.ecuacion("transformador-solo-decodificador")
@pytest.mark.ecuacion("transformador-codificador-decodificador")
@pytest.mark.parametrize("nombre", ["gpt", "ed-post"])
def test_bfloat16_en_cada_dispositivo(nombre, rng, dispositivo):
    """Los módulos y las funciones aceptan bfloat16 (tolerancia ≈ 5e-2 en las probabilidades)."""
    config, Clase = CONFIGS[nombre], MODULOS[nombre]
    p = parametros(config)
    modulo = Clase(config, device=dispositivo, dtype=torch.bfloat16).cargar_parametros(p).eval()
    entradas = _entradas(Clase, rng)
    obtenido = modulo(*a_torch(entradas, dispositivo=dispositivo))
    assert obtenido.dtype == torch.bfloat16 and obtenido.device.type == dispositivo
    np.testing.assert_allclose(a_numpy(obtenido), getattr(con_numpy, FUNCION[Clase])(*entradas, p, config), atol=5e-2)


@pytest.mark.ecuacion("clasificacion-token-cls")
def test_modulo_clasificar(rng):
    config = CONFIGS["bert"]
    p = parametros(config)
    modulo = con_torch.TransformadorSoloCodificador(config, dtype=torch.float64).cargar_parametros(p).eval()
    x = tokens(rng, 3, 4)
    comparar(con_numpy.clasificacion_token_cls(x, p, config), modulo.clasificar(torch.from_numpy(x)), rtol=1e-10)
