"""Entradas erróneas del capítulo 11 (audio): errores claros en español (mensaje por regex)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from transformadores import ErrorDeForma, con_numpy, con_torch

GEMELOS = pytest.mark.parametrize("g", [con_numpy, con_torch], ids=["numpy", "torch"])


def _arr(g, *forma, dtype=None, valor=1.0):
    x = np.full(forma, valor, dtype=dtype or np.float64)
    return torch.from_numpy(x) if g is con_torch else x


@pytest.mark.ecuacion("stft")
@GEMELOS
def test_stft_rechaza_senales(g):
    with pytest.raises(
        ErrorDeForma, match=r"'x' debe tener forma \(\.\.\., L\) con L > n_fft/2=200 .*se recibió \(2, 150\)"
    ):
        g.stft(_arr(g, 2, 150))
    with pytest.raises(TypeError, match=r"'x' debe ser de coma flotante"):
        g.stft(_arr(g, 1000, dtype=np.int16))
    with pytest.raises(ErrorDeForma, match=r"'salto' debe ser un entero positivo, pero se recibió 0"):
        g.stft(_arr(g, 1000), 400, 0)
    with pytest.raises(ErrorDeForma, match=r"'ventana' debe tener forma \(400,\), pero se recibió \(401,\)"):
        g.stft(_arr(g, 1000), ventana=_arr(g, 401))
    x = _arr(g, 1000)
    x[3] = np.nan
    with pytest.raises(ErrorDeForma, match=r"'x' contiene NaN o infinitos"):
        g.stft(x)


@pytest.mark.ecuacion("espectrograma-potencia")
@GEMELOS
def test_potencia_rechaza_n_fft(g):
    with pytest.raises(ErrorDeForma, match=r"'n_fft' debe ser un entero positivo, pero se recibió 400.0"):
        g.espectrograma_potencia(_arr(g, 1000), 400.0)


@pytest.mark.ecuacion("escala-mel")
@GEMELOS
def test_escala_mel_rechaza_argumentos(g):
    with pytest.raises(ErrorDeForma, match=r"'escala' debe ser 'htk' o 'slaney', pero se recibió 'mel'"):
        g.escala_mel(_arr(g, 3), escala="mel")
    with pytest.raises(ErrorDeForma, match=r"'f' debe contener valores no negativos, pero su mínimo es -5.0"):
        g.escala_mel(_arr(g, 3, valor=-5.0))
    with pytest.raises(ErrorDeForma, match=r"'m' debe contener valores no negativos"):
        g.mel_a_hercios(-1.0, escala="htk")


@pytest.mark.ecuacion("banco-filtros-mel")
@GEMELOS
def test_banco_rechaza_frecuencias(g):
    with pytest.raises(
        ErrorDeForma, match=r"0 ≤ f_min < f_max ≤ f_muestreo/2=8000.0, pero se recibió f_min=0.0, f_max=9000"
    ):
        g.banco_filtros_mel(f_max=9000)
    with pytest.raises(ErrorDeForma, match=r"'norma' debe ser None o 'slaney', pero se recibió 'l2'"):
        g.banco_filtros_mel(norma="l2")
    with pytest.raises(ErrorDeForma, match=r"'n_mels' debe ser un entero positivo, pero se recibió 0"):
        g.banco_filtros_mel(n_mels=0)


@pytest.mark.ecuacion("log-mel-whisper")
@GEMELOS
def test_log_mel_rechaza_potencias_negativas(g):
    with pytest.raises(ErrorDeForma, match=r"'mel' es un espectro de potencia: no puede tener valores negativos"):
        g.log_mel_whisper(_arr(g, 80, 10, valor=-1.0))
    with pytest.raises(ErrorDeForma, match=r"'mel' debe tener forma \(\.\.\., n_mels, T\), pero se recibió \(80,\)"):
        g.log_mel_whisper(_arr(g, 80))


@pytest.mark.ecuacion("conv-submuestreo-whisper")
@GEMELOS
def test_submuestreo_rechaza_formas(g):
    L, b = _arr(g, 2, 80, 30), _arr(g, 8)
    with pytest.raises(ErrorDeForma, match=r"'W_1' debe tener forma \(d, n_mels, 3\) con n_mels=80 \(tomado de 'L'\)"):
        g.submuestreo_convolucional(L, _arr(g, 8, 40, 3), b, _arr(g, 8, 8, 3), b)
    with pytest.raises(ErrorDeForma, match=r"'W_2' debe tener forma \(d, d, 3\) con d=8 \(tomado de 'W_1'\)"):
        g.submuestreo_convolucional(L, _arr(g, 8, 80, 3), b, _arr(g, 8, 8, 5), b)
    with pytest.raises(ErrorDeForma, match=r"'PE' debe tener forma \(T', d\) con T'=15 \(tomado de 'L'\), d=8"):
        g.submuestreo_convolucional(L, _arr(g, 8, 80, 3), b, _arr(g, 8, 8, 3), b, PE=_arr(g, 30, 8))


@pytest.mark.ecuacion("longitud-salida-convolucion")
@GEMELOS
def test_longitud_rechaza_nucleos_que_no_caben(g):
    with pytest.raises(ErrorDeForma, match=r"L_in \+ 2·relleno = 4\) es más corta que el núcleo dilatado .* = 5\)"):
        g.longitud_salida_convolucion(4, 3, dilatacion=2)
    with pytest.raises(ErrorDeForma, match=r"'relleno' debe ser un entero no negativo, pero se recibió -1"):
        g.longitud_salida_convolucion(10, 3, relleno=-1)


@pytest.mark.ecuacion("sinusoides-whisper")
@GEMELOS
def test_sinusoides_rechazan_canales_impares(g):
    with pytest.raises(ErrorDeForma, match=r"'canales' debe ser un entero par mayor o igual que 4, pero se recibió 7"):
        g.sinusoides_whisper(10, 7)
    with pytest.raises(ErrorDeForma, match=r"'escala_max' debe ser un número mayor que 1, pero se recibió 1"):
        g.sinusoides_whisper(10, 8, escala_max=1)


@pytest.mark.ecuacion("ast-parches-espectrograma")
@GEMELOS
def test_parches_ast_rechazan_espectrogramas_pequenos(g):
    with pytest.raises(ErrorDeForma, match=r"F y T al menos tamano=16, pero se recibió \(128, 10\)"):
        g.parches_espectrograma(_arr(g, 128, 10))
    with pytest.raises(ErrorDeForma, match=r"'paso' debe ser un entero positivo, pero se recibió 0"):
        g.parches_espectrograma(_arr(g, 128, 100), paso=0)
