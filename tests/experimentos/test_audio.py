"""Sonidos sintéticos y el transformador de audio en miniatura (capítulo 11)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from transformadores import con_torch as ct
from transformadores.datos.sonidos import CLASES, DTMF, sonido, sonidos
from transformadores.errores import ErrorDeForma
from transformadores.experimentos.audio import (
    ClasificadorAudio,
    ConfigAudio,
    datos_audio,
    entrenar_audio,
    log_mel,
    matriz_confusion,
    tabla_confusion,
)


def test_sonidos_formas_clases_y_determinismo():
    x, y = sonidos(20, np.random.default_rng(0), segundos=0.25)
    assert x.shape == (20, 4000) and x.dtype == np.float32 and y.shape == (20,)
    assert sorted(np.bincount(y, minlength=8)) == [2] * 4 + [3] * 4  # equilibrado
    x2, y2 = sonidos(20, np.random.default_rng(0), segundos=0.25)
    np.testing.assert_array_equal(x, x2)
    np.testing.assert_array_equal(y, y2)
    assert not np.array_equal(x, sonidos(20, np.random.default_rng(1), segundos=0.25)[0])
    assert np.isfinite(x).all() and 0.01 < np.abs(x).max() < 2
    _, solo_dos = sonidos(6, np.random.default_rng(0), 0.1, clases=("dígito 1", "dígito 9"))
    assert set(solo_dos) == {0, 1}


@pytest.mark.parametrize("clase", ["tono grave", "dígito 9", "chirrido ascendente"])
def test_el_espectro_de_cada_clase_tiene_sus_picos_donde_debe(clase):
    x = sonido(clase, np.random.default_rng(5), 1.0, dtype=np.float64)
    S = ct.espectrograma_potencia(torch.from_numpy(x)).numpy()  # (201, 101), bins de 40 Hz
    tramas = S.sum(0) > 0.5 * S.sum(0).max()  # donde suena el sonido
    if clase == "tono grave":
        assert 200 <= S[:, tramas].mean(1).argmax() * 40 <= 520
    elif clase == "dígito 9":
        picos = sorted(np.argsort(S[:, tramas].mean(1))[-2:] * 40.0)
        np.testing.assert_allclose(picos, DTMF["9"], atol=45)
    else:
        pico = S[:, tramas].argmax(0)
        assert pico[-3] > pico[2] + 20  # la frecuencia sube al menos 800 Hz


def test_entradas_erroneas():
    rng = np.random.default_rng(0)
    with pytest.raises(ErrorDeForma, match="'clase' debe ser una de"):
        sonido("silbido", rng)
    with pytest.raises(ErrorDeForma, match="'n' debe ser un entero ≥ 1"):
        sonidos(0, rng)
    with pytest.raises(ErrorDeForma, match="'segundos' debe estar entre"):
        sonidos(3, rng, segundos=0.0)
    with pytest.raises(ErrorDeForma, match="'clases' debe ser una lista no vacía"):
        sonidos(3, rng, clases=("tono", "dígito 1"))


def test_log_mel_y_formas_del_modelo():
    x, _ = sonidos(3, np.random.default_rng(0), segundos=0.3)  # 4800 muestras → 30 tramas → 15 posiciones
    L = log_mel(x, n_mels=40)
    assert L.shape == (3, 40, 30) and L.dtype == torch.float32
    assert (L.amax(dim=(1, 2)) - L.amin(dim=(1, 2)) <= 2.0 + 1e-5).all()  # rango dinámico de 80 dB: 2 unidades
    modelo = ClasificadorAudio(40, 30, len(CLASES), d_modelo=16, n_cabezas=2, d_ffn=32, n_capas=1)
    assert modelo.T_prima == 15 and modelo.PE.shape == (15, 16)
    assert modelo(L).shape == (3, len(CLASES)) and modelo.representacion(L).shape == (3, 16)


def test_un_entrenamiento_corto_supera_con_holgura_al_azar():
    cfg = ConfigAudio(n_entrenamiento=320, n_prueba=160, segundos=0.3, n_mels=40, d_modelo=16, n_cabezas=2, d_ffn=32,
                      n_capas=1, pasos=60, lote=32, lr=1e-2)  # fmt: skip
    datos = datos_audio(cfg)
    assert datos[0][0].shape == (320, 40, 30) and datos[1][1].shape == (160,)
    _, historial, r = entrenar_audio(cfg, datos, evaluar_cada=20)
    assert historial.shape == (60,) and historial[-10:].mean() < historial[:10].mean()
    assert r["exactitud"] > 0.5  # el azar es 1/8 = 0.125
    assert [p for p, _, _ in r["curva"]] == [20, 40, 60] and r["curva"][-1][1] == r["exactitud"]
    np.testing.assert_array_equal(r["curva"][-1][2], r["predicciones"])
    M = matriz_confusion(r["etiquetas"], r["predicciones"])
    assert M.shape == (8, 8) and M.sum() == 160 and np.trace(M) == round(r["exactitud"] * 160)
    texto = tabla_confusion(M)
    assert "acierto" in texto and " 5 dígito 5 " in texto and len(texto.splitlines()) == 9
