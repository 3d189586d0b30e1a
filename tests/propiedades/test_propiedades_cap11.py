"""Propiedades del capítulo 11 (audio) comprobadas con hypothesis."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from transformadores import ErrorDeForma
from transformadores import con_numpy as cn

semillas = st.integers(0, 2**32 - 1)


@pytest.mark.ecuacion("stft")
@settings(max_examples=25, deadline=None)
@given(semilla=semillas, n_fft=st.integers(4, 64), salto=st.integers(1, 32), tramas=st.integers(3, 12))
def test_stft_lineal_y_desplazar_un_salto_desplaza_una_trama(semilla, n_fft, salto, tramas):
    rng = np.random.default_rng(semilla)
    L = n_fft + tramas * salto
    x, y = rng.standard_normal((2, L + salto))
    a, b = rng.standard_normal(2)
    np.testing.assert_allclose(
        cn.stft(a * x + b * y, n_fft, salto), a * cn.stft(x, n_fft, salto) + b * cn.stft(y, n_fft, salto), atol=1e-9
    )
    X, X_desplazada = cn.stft(x[:L], n_fft, salto), cn.stft(x[salto:], n_fft, salto)
    # tramas que no tocan el relleno reflejado en ninguna de las dos señales (la trama m empieza en
    # la muestra m·salto - n_fft/2 de la suya)
    r = n_fft // 2
    interiores = [m for m in range(1, X.shape[-1]) if (m - 1) * salto - r >= 0 and m * salto - r + n_fft <= L]
    assert interiores or tramas < 3 or n_fft > 2 * salto
    for m in interiores:
        np.testing.assert_allclose(X_desplazada[:, m - 1], X[:, m], atol=1e-9)


@pytest.mark.ecuacion("espectrograma-potencia")
@settings(max_examples=25, deadline=None)
@given(semilla=semillas, n_fft=st.sampled_from([8, 16, 400]))
def test_potencia_cumple_parseval_por_trama(semilla, n_fft):
    """Σ_n (w·x)² = (S_0 + 2 Σ_{0<ω<N/2} S_ω + S_{N/2}) / N para cada trama (n_fft par)."""
    x = np.random.default_rng(semilla).standard_normal(3 * n_fft)
    S = cn.espectrograma_potencia(x, n_fft, n_fft // 2)
    assert (S >= 0).all()
    w = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n_fft) / n_fft)
    tramas = np.lib.stride_tricks.sliding_window_view(np.pad(x, n_fft // 2, mode="reflect"), n_fft)[:: n_fft // 2]
    energia = ((tramas * w) ** 2).sum(-1)
    pesos = np.r_[1.0, np.full(n_fft // 2 - 1, 2.0), 1.0]
    np.testing.assert_allclose((pesos @ S) / n_fft, energia, rtol=1e-10)


@pytest.mark.ecuacion("escala-mel")
@given(
    f=st.lists(st.floats(0, 24000, allow_nan=False), min_size=2, max_size=20), escala=st.sampled_from(["htk", "slaney"])
)
def test_escala_mel_monotona_e_invertible(f, escala):
    f = np.sort(np.array(f))
    m = cn.escala_mel(f, escala)
    assert (np.diff(m) >= 0).all()
    np.testing.assert_allclose(cn.mel_a_hercios(m, escala), f, rtol=1e-10, atol=1e-9)


@pytest.mark.ecuacion("escala-mel")
def test_slaney_es_continua_en_1000_hz():
    antes, despues = cn.escala_mel(np.array([1000.0 - 1e-9, 1000.0]))
    assert abs(despues - antes) < 1e-9


@pytest.mark.ecuacion("banco-filtros-mel")
@settings(max_examples=25, deadline=None)
@given(
    n_mels=st.integers(1, 40), n_fft=st.sampled_from([256, 400, 512, 1024]), escala=st.sampled_from(["htk", "slaney"])
)
def test_filtros_triangulares_no_negativos_con_pico_en_su_centro(n_mels, n_fft, escala):
    H = cn.banco_filtros_mel(n_fft, n_mels, 16000, escala=escala, norma=None)
    assert H.shape == (n_mels, n_fft // 2 + 1)
    assert (H >= 0).all() and (H <= 1 + 1e-12).all()
    picos = H.argmax(axis=1)
    assert (np.diff(picos) >= 0).all()  # los centros avanzan con b
    for fila in H[H.max(axis=1) > 0]:  # cada triángulo sube y luego baja: una sola cima
        soporte = fila[fila > 0]
        cima = soporte.argmax()
        assert (np.diff(soporte[: cima + 1]) >= -1e-12).all() and (np.diff(soporte[cima:]) <= 1e-12).all()


@pytest.mark.ecuacion("log-mel-whisper")
@settings(max_examples=30, deadline=None)
@given(semilla=semillas, k=st.integers(-3, 3))
def test_log_mel_rango_y_escala(semilla, k):
    """Rango de 2 (80 dB / 4) por debajo del máximo; multiplicar Mel por 10^k suma k/4 (sin suelo activo)."""
    mel = np.random.default_rng(semilla).random((2, 5, 7)) + 1e-3
    L = cn.log_mel_whisper(mel)
    assert (L.max(axis=(-2, -1)) - L.min(axis=(-2, -1)) <= 2.0 + 1e-12).all()
    np.testing.assert_allclose(cn.log_mel_whisper(mel * 10.0**k), L + k / 4, atol=1e-12)


@pytest.mark.ecuacion("conv-submuestreo-whisper")
@settings(max_examples=20, deadline=None)
@given(semilla=semillas, T=st.integers(1, 30))
def test_submuestreo_local(semilla, T):
    """Campo receptivo: la salida t depende solo de las tramas 2t-3 … 2t+3."""
    rng = np.random.default_rng(semilla)
    L = rng.standard_normal((3, T))
    pesos = (
        rng.standard_normal((4, 3, 3)),
        rng.standard_normal(4),
        rng.standard_normal((4, 4, 3)),
        rng.standard_normal(4),
    )
    Z = cn.submuestreo_convolucional(L, *pesos)
    assert Z.shape == ((T - 1) // 2 + 1, 4)
    j = rng.integers(T)
    otro = L.copy()
    otro[:, j] += 1.0
    cambio = np.abs(cn.submuestreo_convolucional(otro, *pesos) - Z).max(-1)
    lejos = np.abs(2 * np.arange(Z.shape[0]) - j) > 3
    np.testing.assert_array_equal(cambio[lejos], 0.0)


@pytest.mark.ecuacion("longitud-salida-convolucion")
@settings(max_examples=150, deadline=None)
@given(
    L_in=st.integers(1, 60),
    k=st.integers(1, 9),
    paso=st.integers(1, 5),
    relleno=st.integers(0, 4),
    dilatacion=st.integers(1, 4),
)
def test_longitud_frente_a_conv1d(L_in, k, paso, relleno, dilatacion):
    """La fórmula da la longitud real de ``F.conv1d``; cuando no cabe el núcleo, ambos fallan."""
    x, W = torch.zeros(1, 1, L_in), torch.zeros(1, 1, k)
    try:
        real = F.conv1d(x, W, stride=paso, padding=relleno, dilation=dilatacion).shape[-1]
    except RuntimeError:
        with pytest.raises(ErrorDeForma, match="no cabe ninguna posición"):
            cn.longitud_salida_convolucion(L_in, k, paso, relleno, dilatacion)
        return
    assert cn.longitud_salida_convolucion(L_in, k, paso, relleno, dilatacion) == real


@pytest.mark.ecuacion("sinusoides-whisper")
@settings(max_examples=30, deadline=None)
@given(p=st.integers(0, 200), q=st.integers(0, 200), canales=st.sampled_from([4, 8, 64]))
def test_sinusoides_producto_depende_de_la_distancia(p, q, canales):
    """⟨PE[p], PE[q]⟩ = Σ_i cos(ω_i (p - q)): solo depende de p - q; y ‖PE[p]‖² = C/2."""
    PE = cn.sinusoides_whisper(201, canales)
    omega = 10000.0 ** (-np.arange(canales // 2) / (canales // 2 - 1))
    np.testing.assert_allclose(PE[p] @ PE[q], np.cos(omega * (p - q)).sum(), atol=1e-9)
    np.testing.assert_allclose(PE[p] @ PE[p], canales / 2, atol=1e-12)


@pytest.mark.ecuacion("ast-parches-espectrograma")
@settings(max_examples=30, deadline=None)
@given(semilla=semillas, tamano=st.integers(1, 5), paso=st.integers(1, 5), F_=st.integers(5, 14), T=st.integers(5, 14))
def test_parche_ast_es_el_recorte(semilla, tamano, paso, F_, T):
    x = np.random.default_rng(semilla).standard_normal((F_, T))
    parches = cn.parches_espectrograma(x, tamano, paso)
    n_F, n_T = (F_ - tamano) // paso + 1, (T - tamano) // paso + 1
    assert parches.shape == (n_F * n_T, tamano * tamano)
    r, c = n_F - 1, n_T - 1  # el último parche
    np.testing.assert_array_equal(parches[-1], x[r * paso : r * paso + tamano, c * paso : c * paso + tamano].ravel())
