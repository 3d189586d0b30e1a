"""Gemelos del capítulo 11 (audio) frente a PyTorch (``torch.stft``, ``nn.Conv1d``, ``F.unfold``,
``nn.Conv2d``), frente a casos calculados a mano y frente a réplicas del código público de
Whisper (``whisper/audio.py`` y ``whisper/model.py``). torchaudio y librosa no están instalados.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from paridad.casos_cap11 import tono
from torch import nn
from transformadores import con_numpy as cn
from transformadores import con_torch as ct

D64 = {"dtype": torch.float64}
TOL = {"rtol": 1e-10, "atol": 1e-10}


def _generador():
    return torch.Generator().manual_seed(11)


@pytest.mark.ecuacion("stft")
@pytest.mark.parametrize("n_fft, salto, L", [(400, 160, 1600), (64, 16, 1000), (31, 7, 200), (16, 16, 9)])
def test_stft_frente_a_torch_stft(n_fft, salto, L):
    x = torch.randn(2, L, generator=_generador(), **D64)
    ventana = torch.hann_window(n_fft, periodic=True, **D64)
    esperado = torch.stft(x, n_fft, salto, window=ventana, center=True, pad_mode="reflect", return_complex=True)
    assert esperado.shape[-1] == 1 + L // salto
    torch.testing.assert_close(ct.stft(x, n_fft, salto), esperado, **TOL)
    np.testing.assert_allclose(cn.stft(x.numpy(), n_fft, salto), esperado.numpy(), **TOL)


@pytest.mark.ecuacion("stft")
def test_stft_de_un_tono_tiene_su_pico_en_f_por_n_fft_entre_f_s():
    """440 Hz con f_s = 16 kHz y n_fft = 400: bins de 40 Hz, pico en el bin 11 con |X| = A·Σw/2 = 100·A."""
    x = tono(440, segundos=0.5, amplitud=0.3)
    X = cn.stft(x)  # (201, 51)
    assert X.shape == (201, 1 + len(x) // 160)
    interior = np.abs(X[:, 3:-3])
    assert (interior.argmax(axis=0) == 11).all()
    np.testing.assert_allclose(interior[11], 100 * 0.3, rtol=1e-9)


@pytest.mark.ecuacion("espectrograma-potencia")
def test_potencia_frente_a_torch_stft():
    """Lo que calcula ``torchaudio.transforms.Spectrogram(n_fft=400, hop_length=160, power=2.0)``."""
    x = torch.randn(3, 4000, generator=_generador(), **D64)
    X = torch.stft(x, 400, 160, window=torch.hann_window(400, **D64), return_complex=True)
    esperado = X.abs() ** 2
    torch.testing.assert_close(ct.espectrograma_potencia(x), esperado, **TOL)
    np.testing.assert_allclose(cn.espectrograma_potencia(x.numpy()), esperado.numpy(), **TOL)
    assert ct.espectrograma_potencia(torch.zeros(480000)).shape == (201, 3001)  # 30 s: Whisper se queda 3000


@pytest.mark.ecuacion("escala-mel")
@pytest.mark.parametrize("g", [cn, ct], ids=["numpy", "torch"])
def test_escala_mel_valores_conocidos(g):
    """Valores a mano: HTK(700 Hz) = 2595·log10(2); Slaney: 1 kHz → 15 mel, 6.4 kHz → 15 + 27 = 42 mel."""
    hz = np.array([0.0, 700.0, 1000.0, 6400.0])
    convertir = (lambda a: torch.from_numpy(a)) if g is ct else (lambda a: a)
    htk = np.asarray(g.escala_mel(convertir(hz), escala="htk"))
    np.testing.assert_allclose(
        htk, [0.0, 2595 * math.log10(2), 2595 * math.log10(1 + 10 / 7), 2595 * math.log10(1 + 64 / 7)], rtol=1e-12
    )
    slaney = np.asarray(g.escala_mel(convertir(hz)))
    np.testing.assert_allclose(slaney, [0.0, 10.5, 15.0, 42.0], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(np.asarray(g.mel_a_hercios(convertir(slaney))), hz, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(np.asarray(g.mel_a_hercios(convertir(htk), escala="htk")), hz, rtol=1e-12, atol=1e-9)
    assert float(g.escala_mel(1000.0, escala="htk")) == pytest.approx(999.98553714, rel=1e-9)


@pytest.mark.ecuacion("banco-filtros-mel")
@pytest.mark.parametrize("g", [cn, ct], ids=["numpy", "torch"])
def test_banco_caso_a_mano(g):
    """f_s = 16 Hz, n_fft = 8 → bins 0, 2, 4, 6, 8 Hz. Bajo 1 kHz la escala de Slaney es lineal, así
    que f_b = 0, 8/3, 16/3, 8 Hz. Triángulos: [0, ¾, ½, 0, 0] y [0, 0, ½, ¾, 0]; norma 2/(16/3) = 3/8."""
    H = np.asarray(g.banco_filtros_mel(8, 2, 16, norma=None))
    esperado = np.array([[0, 0.75, 0.5, 0, 0], [0, 0, 0.5, 0.75, 0]])
    np.testing.assert_allclose(H, esperado, atol=1e-12)
    np.testing.assert_allclose(np.asarray(g.banco_filtros_mel(8, 2, 16)), esperado * 3 / 8, atol=1e-12)


def _filtro_escalar(f, f_izq, f_centro, f_der):
    """La fórmula del inventario, escrita punto a punto (norma de Slaney incluida)."""
    return max(0.0, min((f - f_izq) / (f_centro - f_izq), (f_der - f) / (f_der - f_centro))) * 2 / (f_der - f_izq)


@pytest.mark.ecuacion("banco-filtros-mel")
def test_banco_de_whisper_frente_a_la_formula_de_slaney():
    """80 filtros de Whisper (f_s = 16 kHz, n_fft = 400), punto a punto frente a la fórmula escalar."""
    H = cn.banco_filtros_mel()
    assert H.shape == (80, 201)
    f_b = [float(cn.mel_a_hercios(m)) for m in np.linspace(0.0, float(cn.escala_mel(8000.0)), 82)]
    for b in (0, 1, 17, 40, 79):
        fila = [_filtro_escalar(k * 40.0, f_b[b], f_b[b + 1], f_b[b + 2]) for k in range(201)]
        np.testing.assert_allclose(H[b], fila, rtol=1e-12, atol=1e-15)
    torch.testing.assert_close(ct.banco_filtros_mel(dtype=torch.float64), torch.from_numpy(H), **TOL)


@pytest.mark.ecuacion("banco-filtros-mel")
@pytest.mark.parametrize("escala", ["slaney", "htk"])
def test_banco_particion_de_la_unidad_y_area_uno(escala):
    """Sin norma, los triángulos suman 1 entre el primer y el último centro; con la de Slaney,
    cada filtro tiene área 1 en hercios (base × altura / 2 = 1)."""
    n_fft, f_s, n_mels = 2**14, 16000, 20
    sin_norma = cn.banco_filtros_mel(n_fft, n_mels, f_s, escala=escala, norma=None)
    f = np.arange(n_fft // 2 + 1) * f_s / n_fft
    centros = f[sin_norma.argmax(axis=1)]
    dentro = (f > centros[0]) & (f < centros[-1])
    np.testing.assert_allclose(sin_norma[:, dentro].sum(0), 1.0, atol=1e-12)
    area = cn.banco_filtros_mel(n_fft, n_mels, f_s, escala=escala).sum(axis=1) * f_s / n_fft
    np.testing.assert_allclose(area, 1.0, atol=1e-4)  # suma de Riemann con Δf ≈ 1 Hz


def _log_mel_de_whisper(audio, filtros):
    """Réplica de ``whisper.audio.log_mel_spectrogram`` (con los filtros como argumento)."""
    window = torch.hann_window(400, dtype=audio.dtype)
    stft = torch.stft(audio, 400, 160, window=window, return_complex=True)
    magnitudes = stft[..., :-1].abs() ** 2
    mel_spec = filtros @ magnitudes
    log_spec = torch.clamp(mel_spec, min=1e-10).log10()
    log_spec = torch.maximum(log_spec, log_spec.max() - 8.0)
    return (log_spec + 4.0) / 4.0


@pytest.mark.ecuacion("log-mel-whisper")
def test_log_mel_frente_a_whisper():
    audio = torch.from_numpy(tono(440, 1.0, amplitud=0.5) + tono(3000, 1.0, amplitud=0.1))
    filtros = ct.banco_filtros_mel(dtype=torch.float64)
    esperado = _log_mel_de_whisper(audio, filtros)  # (80, 100)
    mel = filtros @ ct.espectrograma_potencia(audio)[..., :-1]
    torch.testing.assert_close(ct.log_mel_whisper(mel), esperado, **TOL)
    np.testing.assert_allclose(cn.log_mel_whisper(mel.numpy()), esperado.numpy(), **TOL)
    assert esperado.shape == (80, 100) and esperado.min() >= esperado.max() - 2.0 - 1e-12


@pytest.mark.ecuacion("log-mel-whisper")
def test_log_mel_a_mano():
    """Mel = [[1e4, 0], [1, 1e-12]]: log10 → [[4, -10], [0, -10]]; suelo 4 - 8 = -4; (L + 4)/4."""
    mel = np.array([[1e4, 0.0], [1.0, 1e-12]])
    np.testing.assert_allclose(cn.log_mel_whisper(mel), [[2.0, 0.0], [1.0, 0.0]], atol=1e-12)


def _tallo_de_whisper(n_mels, d):
    conv1 = nn.Conv1d(n_mels, d, kernel_size=3, padding=1, **D64)
    conv2 = nn.Conv1d(d, d, kernel_size=3, stride=2, padding=1, **D64)
    return conv1, conv2


@pytest.mark.ecuacion("conv-submuestreo-whisper")
@pytest.mark.parametrize("T", [3000, 11, 10])
def test_submuestreo_frente_a_conv1d(T):
    """``AudioEncoder.forward`` de Whisper: gelu(conv1), gelu(conv2), permute, + posiciones."""
    torch.manual_seed(0)
    n_mels, d = 80, 8
    conv1, conv2 = _tallo_de_whisper(n_mels, d)
    x = torch.randn(2, n_mels, T, generator=_generador(), **D64)
    PE = ct.sinusoides_whisper((T - 1) // 2 + 1, d, dtype=torch.float64)
    with torch.no_grad():
        esperado = F.gelu(conv2(F.gelu(conv1(x)))).permute(0, 2, 1) + PE
        pesos = (conv1.weight, conv1.bias, conv2.weight, conv2.bias)
        obtenido = ct.submuestreo_convolucional(x, *pesos, PE=PE)
        numpy = cn.submuestreo_convolucional(x.numpy(), *(p.numpy() for p in pesos), PE=PE.numpy())
    if T == 3000:
        assert obtenido.shape == (2, 1500, d)  # 3000 tramas de 10 ms → 1500 tokens de 20 ms
    torch.testing.assert_close(obtenido, esperado, **TOL)
    np.testing.assert_allclose(numpy, esperado.numpy(), **TOL)


@pytest.mark.ecuacion("longitud-salida-convolucion")
def test_longitudes_de_whisper():
    assert ct.longitud_salida_convolucion(3000, 3, paso=1, relleno=1) == 3000
    assert cn.longitud_salida_convolucion(3000, 3, paso=2, relleno=1) == 1500
    assert cn.longitud_salida_convolucion(480000 + 400, 400, paso=160) == 3001  # STFT con center=True


def _sinusoids(length, channels, max_timescale=10000):
    """Réplica de ``whisper.model.sinusoids`` (en float64)."""
    log_timescale_increment = np.log(max_timescale) / (channels // 2 - 1)
    inv_timescales = torch.exp(-log_timescale_increment * torch.arange(channels // 2, dtype=torch.float64))
    scaled_time = torch.arange(length, dtype=torch.float64)[:, np.newaxis] * inv_timescales[np.newaxis, :]
    return torch.cat([torch.sin(scaled_time), torch.cos(scaled_time)], dim=1)


def _vaswani(longitud, d):
    pos, i = np.arange(longitud)[:, None], np.arange(d // 2)[None, :]
    PE = np.zeros((longitud, d))
    PE[:, 0::2], PE[:, 1::2] = np.sin(pos / 10000 ** (2 * i / d)), np.cos(pos / 10000 ** (2 * i / d))
    return PE


@pytest.mark.ecuacion("sinusoides-whisper")
def test_sinusoides_frente_a_whisper_y_a_vaswani():
    esperado = _sinusoids(1500, 384)
    torch.testing.assert_close(ct.sinusoides_whisper(1500, 384, dtype=torch.float64), esperado, **TOL)
    np.testing.assert_allclose(cn.sinusoides_whisper(1500, 384), esperado.numpy(), **TOL)
    # no es la de Vaswani: ni siquiera tras separar senos y cosenos (las frecuencias difieren)...
    d = 16
    vaswani = _vaswani(50, d)
    separada = np.concatenate([vaswani[:, 0::2], vaswani[:, 1::2]], axis=1)
    assert np.abs(cn.sinusoides_whisper(50, d) - vaswani).max() > 0.5
    assert np.abs(cn.sinusoides_whisper(50, d) - separada).max() > 0.5
    # ...salvo reescalando las frecuencias: escala_max' = 10000^((d/2 - 1)/(d/2)) da ω_i = 10000^(-2i/d)
    np.testing.assert_allclose(
        cn.sinusoides_whisper(50, d, escala_max=10000 ** ((d / 2 - 1) / (d / 2))), separada, atol=1e-9
    )


@pytest.mark.ecuacion("ast-parches-espectrograma")
@pytest.mark.parametrize("F_, T, tamano, paso", [(128, 100, 16, 10), (40, 57, 16, 10), (9, 9, 3, 2), (16, 16, 16, 10)])
def test_parches_ast_frente_a_unfold_y_conv2d(F_, T, tamano, paso):
    espectrograma = torch.randn(2, F_, T, generator=_generador(), **D64)
    esperado = F.unfold(espectrograma[:, None], kernel_size=tamano, stride=paso).transpose(1, 2)
    N = ((F_ - tamano) // paso + 1) * ((T - tamano) // paso + 1)
    assert esperado.shape == (2, N, tamano * tamano)
    torch.testing.assert_close(ct.parches_espectrograma(espectrograma, tamano, paso), esperado, **TOL)
    np.testing.assert_allclose(cn.parches_espectrograma(espectrograma.numpy(), tamano, paso), esperado.numpy(), **TOL)
    conv = nn.Conv2d(1, 4, tamano, stride=paso, **D64)
    with torch.no_grad():
        por_conv = conv(espectrograma[:, None]).flatten(2).transpose(1, 2)
        por_parches = ct.parches_espectrograma(espectrograma, tamano, paso) @ conv.weight.reshape(4, -1).T + conv.bias
    torch.testing.assert_close(por_parches, por_conv)


@pytest.mark.ecuacion("ast-parches-espectrograma")
def test_ast_128_bandas_dan_12_filas_de_parches():
    """Con F = 128 bandas, ⌊(128 - 16)/10 + 1⌋ = 12 filas; con T = 1024 tramas, 101 columnas: N = 1212."""
    assert ct.parches_espectrograma(torch.zeros(128, 1024)).shape == (1212, 256)
