"""Propiedades del capítulo 9: límites del muestreo, núcleo mínimo, haz frente a voraz y a búsqueda exhaustiva,
caché K/V igual al recálculo completo y el bucle seq2seq."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from paridad.casos_cap07 import CONFIGS, N_V, config_ed, config_gpt, parametros, un_hilo  # noqa: F401
from transformadores import con_numpy as cn
from transformadores import con_torch as ct
from transformadores.configuracion import Configuracion

pytestmark = pytest.mark.usefixtures("un_hilo")
semillas = st.integers(0, 2**32 - 1)
GPT, GPT_POST, ED = CONFIGS["gpt"], CONFIGS["gpt-post-sin-atar"], config_ed()
P_GPT, P_POST, P_ED = parametros(GPT), parametros(GPT_POST), parametros(ED)


def _logits(semilla, n=4, K=9):
    return np.random.default_rng(semilla).standard_normal((n, K)) * 3


@pytest.mark.ecuacion("muestreo-temperatura")
@pytest.mark.ecuacion("muestreo-top-k")
@pytest.mark.ecuacion("muestreo-nucleo-top-p")
@settings(max_examples=30, deadline=None)
@given(semilla=semillas)
def test_los_limites_del_muestreo_son_la_voraz(semilla):
    """τ → 0, k = 1 y p → 0 dan la voraz; en los dos gemelos."""
    z = _logits(semilla)
    voraz = cn.decodificacion_voraz(z)
    rng = np.random.default_rng(semilla)
    for ids in (
        cn.muestreo_temperatura(z, 1e-4, rng),
        cn.muestreo_top_k(z, 1, 5.0, rng),
        cn.muestreo_nucleo(z, 1e-9, 5.0, rng),
    ):
        np.testing.assert_array_equal(ids, voraz)
    zt, g = torch.from_numpy(z), torch.Generator().manual_seed(semilla % 1000)
    assert torch.equal(ct.muestreo_temperatura(zt, 1e-4, g), torch.from_numpy(voraz))
    assert torch.equal(ct.muestreo_nucleo(zt, 1e-9, 1.0, g), torch.from_numpy(voraz))


@pytest.mark.ecuacion("muestreo-temperatura")
def test_temperatura_muy_alta_tiende_a_la_uniforme():
    z = np.tile([3.0, 0.0, -2.0, 1.0], (40000, 1))
    frecuencias = np.bincount(cn.muestreo_temperatura(z, 1e4, np.random.default_rng(0)), minlength=4) / 40000
    np.testing.assert_allclose(frecuencias, 0.25, atol=0.01)
    z[:, 2] = -np.inf  # un token descartado nunca sale, ni con τ enorme
    assert 2 not in cn.muestreo_temperatura(z, 1e4, np.random.default_rng(0))


@pytest.mark.ecuacion("muestreo-nucleo-top-p")
@settings(max_examples=40, deadline=None)
@given(semilla=semillas, p=st.floats(0.01, 1.0))
def test_el_nucleo_es_el_menor_conjunto_con_masa_p(semilla, p):
    z = _logits(semilla, 1, 12)[0]
    probs = cn.softmax(z)
    dentro = np.isfinite(cn.filtrar_nucleo(z, p))
    assert probs[dentro].sum() >= p - 1e-12
    assert probs[dentro].min() >= probs[~dentro].max(initial=0)  # los más probables
    assert probs[dentro].sum() - probs[dentro].min() < p  # sin el menor ya no llega


@pytest.mark.ecuacion("muestreo-top-k")
@settings(max_examples=30, deadline=None)
@given(semilla=semillas, k=st.integers(1, 9))
def test_top_k_solo_elige_entre_los_k_mayores(semilla, k):
    z = np.tile(_logits(semilla, 1)[0], (500, 1))
    ids = cn.muestreo_top_k(z, k, 1.0, np.random.default_rng(semilla))
    assert set(ids) <= set(np.argsort(-z[0])[:k])


@pytest.mark.ecuacion("busqueda-haz")
@settings(max_examples=10, deadline=None)
@given(semilla=semillas, T=st.integers(1, 4))
def test_haz_de_anchura_uno_es_la_voraz(semilla, T):
    x = np.random.default_rng(semilla).integers(0, N_V, T)
    y, _ = cn.busqueda_haz(x, P_GPT, GPT, 5, n_haz=1)
    np.testing.assert_array_equal(y, cn.inferencia_decodificador(x[None], P_GPT, GPT, 5, tau=0.0)[0])


def _exhaustiva(log_p_siguiente, N, n_generar, eos, alfa):
    """Todas las secuencias de 1…n_generar tokens (eos solo al final, o ninguno si llega al tope)."""
    mejor, nota_mejor, memoria = None, -np.inf, {}
    for n in range(1, n_generar + 1):
        for y in itertools.product(range(N), repeat=n):
            if eos in y[:-1] or (n < n_generar and y[-1] != eos):
                continue
            for i in range(n):  # una llamada al modelo por prefijo distinto
                if y[:i] not in memoria:
                    memoria[y[:i]] = log_p_siguiente(list(y[:i]))
            lp = sum(memoria[y[:i]][y[i]] for i in range(n))
            nota = lp / ((5 + n) / 6) ** alfa
            if nota > nota_mejor:
                mejor, nota_mejor = list(y), nota
    return mejor, nota_mejor


@pytest.mark.ecuacion("busqueda-haz")
@pytest.mark.parametrize("alfa", [0.0, 0.6, 2.0])
def test_haz_muy_ancho_es_la_busqueda_exhaustiva(alfa):
    """Con un haz tan ancho como todas las secuencias, gana la de mayor log P / lp (N_V = 5, 3 tokens)."""
    config = Configuracion.gpt2(5, l_max=8, d_modelo=8, n_cabezas=2, d_ffn=16, n_capas_decodificador=2)
    p, x = parametros(config, 4), np.array([1, 3])

    def log_p(y):
        return cn.log_softmax(
            cn.transformador_solo_decodificador(np.array([[*x, *y]]), p, config, solo_logits=True)[0, -1]
        )

    y, nota = cn.busqueda_haz(x, p, config, 3, n_haz=125, alfa=alfa, eos=4)
    y_exh, nota_exh = _exhaustiva(log_p, 5, 3, 4, alfa)
    assert y.tolist() == y_exh and nota == pytest.approx(nota_exh, rel=1e-10)
    y_t, nota_t = ct.busqueda_haz(
        torch.from_numpy(x), ct.convertir_parametros(p), config, 3, n_haz=125, alfa=alfa, eos=4
    )
    assert y_t.tolist() == y_exh and nota_t == pytest.approx(nota_exh, rel=1e-5)


@pytest.mark.ecuacion("busqueda-haz")
def test_haz_seq2seq_exhaustivo_y_la_penalizacion_alarga():
    config = Configuracion(
        n_vocab=4, l_max=8, d_modelo=8, n_cabezas=2, d_ffn=16, n_capas_codificador=1, n_capas_decodificador=1
    )
    p, z = parametros(config, 2), np.array([0, 1, 2, 1])

    def log_p(y):
        X = np.array([[3, *y]])
        return cn.log_softmax(
            cn.transformador_codificador_decodificador(z[None], X, p, config, solo_logits=True)[0, -1]
        )

    for alfa in (0.0, 1.0):
        y, nota = cn.busqueda_haz(np.array([3]), p, config, 4, n_haz=256, alfa=alfa, eos=2, z=z)
        assert (y.tolist(), pytest.approx(nota, rel=1e-10)) == _exhaustiva(log_p, 4, 4, 2, alfa)


@pytest.mark.ecuacion("cache-kv")
@settings(max_examples=12, deadline=None)
@given(semilla=semillas, trozos=st.lists(st.integers(1, 3), min_size=1, max_size=5), post=st.booleans())
def test_la_cache_kv_da_los_logits_del_recalculo_completo(semilla, trozos, post):
    """Decodificar por trozos con caché = el modelo completo sobre todo el prefijo, en cada paso."""
    config, p = (GPT_POST, P_POST) if post else (GPT, P_GPT)
    x = np.random.default_rng(semilla).integers(0, N_V, (2, sum(trozos)))
    completo = cn.transformador_solo_decodificador(x, p, config, solo_logits=True)
    cache, inicio = None, 0
    for n in trozos:
        logits, cache = cn.decodificacion_con_cache(x[:, inicio : inicio + n], p, config, cache)
        np.testing.assert_allclose(logits, completo[:, inicio : inicio + n], rtol=1e-10, atol=1e-12)
        inicio += n
    assert cache[0]["K"].shape == (2, inicio, config.d_modelo)


@pytest.mark.ecuacion("cache-kv")
def test_la_cache_kv_en_pytorch_paso_a_paso_y_su_memoria(dispositivo):
    p = ct.convertir_parametros(P_GPT, dispositivo, torch.float32)
    x = torch.randint(0, N_V, (3, 7), device=dispositivo)
    completo = ct.transformador_solo_decodificador(x, p, GPT, solo_logits=True)
    logits, cache = ct.decodificacion_con_cache(x[:, :2], p, GPT)
    for t in range(2, 7):
        logits, cache = ct.decodificacion_con_cache(x[:, t : t + 1], p, GPT, cache)
        torch.testing.assert_close(logits[:, 0], completo[:, t], atol=1e-5, rtol=0)
    bytes_cache = sum(c[k].numel() * c[k].element_size() for c in cache for k in ("K", "V"))
    assert bytes_cache == 2 * GPT.n_capas_decodificador * 3 * 7 * GPT.d_modelo * 4  # 2·L·B·n·h_kv·d_k·bytes


@pytest.mark.ecuacion("cache-kv")
@pytest.mark.parametrize("g", [cn, ct], ids=["numpy", "torch"])
def test_generar_con_y_sin_cache_da_lo_mismo_tambien_al_muestrear(g):
    x = np.random.default_rng(0).integers(0, N_V, (2, 3))
    p = P_GPT if g is cn else ct.convertir_parametros(P_GPT, dtype=torch.float64)
    if g is ct:
        x = torch.from_numpy(x)
    generador = (lambda: np.random.default_rng(5)) if g is cn else (lambda: torch.Generator().manual_seed(5))
    con = g.inferencia_decodificador(x, p, GPT, 8, 1.0, 5, 0.95, generador())
    sin = g.inferencia_decodificador(x, p, GPT, 8, 1.0, 5, 0.95, generador(), usar_cache=False)
    np.testing.assert_array_equal(np.asarray(con), np.asarray(sin))


@pytest.mark.ecuacion("inferencia-seq2seq-bucle")
@settings(max_examples=10, deadline=None)
@given(semilla=semillas, tau=st.sampled_from([0.0, 1.0, 5.0]), longitud_max=st.integers(1, 10))
def test_el_bucle_seq2seq_empieza_en_bos_y_tras_eos_solo_hay_eos(semilla, tau, longitud_max):
    rng = np.random.default_rng(semilla)
    z = rng.integers(0, N_V, (4, 5))
    x = cn.inferencia_seq2seq(z, P_ED, ED, 8, 9, longitud_max, tau, rng)
    assert (x[:, 0] == 8).all() and x.shape[1] <= longitud_max
    for fila in x:
        fin = np.flatnonzero(fila == 9)
        if len(fin):
            assert (fila[fin[0] :] == 9).all()
    if x.shape[1] < longitud_max:  # paró antes del tope: todas terminaron
        assert (x == 9).any(1).all()
    if tau == 0.0:  # la voraz coincide con el modelo completo, paso a paso
        logits = (
            cn.transformador_codificador_decodificador(z, x[:, :-1], P_ED, ED, solo_logits=True)
            if x.shape[1] > 1
            else None
        )
        if logits is not None:
            terminado = np.cumsum(x[:, :-1] == 9, axis=1) > 0
            np.testing.assert_array_equal(np.where(terminado, 9, logits.argmax(-1)), x[:, 1:])
