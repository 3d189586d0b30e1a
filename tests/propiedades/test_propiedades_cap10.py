"""Propiedades del capítulo 10 (visión) comprobadas con hypothesis."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from paridad.casos_cap10 import pesos_bloque_swin, pesos_bloque_vit
from transformadores import con_numpy as cn

semillas = st.integers(0, 2**32 - 1)


@pytest.mark.ecuacion("vit-parches")
@settings(max_examples=30, deadline=None)
@given(semilla=semillas, C=st.integers(1, 3), P=st.integers(1, 4), filas=st.integers(1, 3), cols=st.integers(1, 3))
def test_parche_n_es_el_recorte_de_la_imagen(semilla, C, P, filas, cols):
    """El parche ``n = r·(W/P) + c`` es ``x[:, rP:(r+1)P, cP:(c+1)P]`` aplanado en orden (c, i, j)."""
    x = np.random.default_rng(semilla).standard_normal((C, filas * P, cols * P))
    parches = cn.dividir_en_parches(x, P)
    assert parches.shape == (filas * cols, C * P * P)
    for r in range(filas):
        for c in range(cols):
            np.testing.assert_array_equal(parches[r * cols + c], x[:, r * P : (r + 1) * P, c * P : (c + 1) * P].ravel())


@pytest.mark.ecuacion("vit-incrustacion-parches-cls")
@settings(max_examples=20, deadline=None)
@given(semilla=semillas)
def test_incrustacion_afin_en_la_imagen(semilla):
    """La fila 0 es ``x_clase + E_pos[0]`` (no depende de la imagen) y el resto es afín en x."""
    rng = np.random.default_rng(semilla)
    x1, x2 = rng.standard_normal((2, 2, 3, 4, 6))
    E, b_E = rng.standard_normal((5, 12)), rng.standard_normal(5)
    x_clase, E_pos = rng.standard_normal(5), rng.standard_normal((7, 5))
    z1, z2 = (cn.incrustar_parches(x, 2, E, b_E, x_clase, E_pos) for x in (x1, x2))
    np.testing.assert_allclose(z1[..., 0, :], np.broadcast_to(x_clase + E_pos[0], (2, 5)), atol=1e-12)
    diferencia = cn.incrustar_parches(x1 - x2, 2, E, 0 * b_E, 0 * x_clase, 0 * E_pos)
    np.testing.assert_allclose(z1 - z2, diferencia, atol=1e-10)


@pytest.mark.ecuacion("vit-salida-clasificacion")
@settings(max_examples=20, deadline=None)
@given(semilla=semillas, N=st.integers(1, 6))
def test_clasificacion_solo_mira_el_token_de_clase(semilla, N):
    rng = np.random.default_rng(semilla)
    z = rng.standard_normal((3, N + 1, 4)) * 5
    pesos = (rng.standard_normal(4), rng.standard_normal(4), rng.standard_normal((6, 4)), rng.standard_normal(6))
    p = cn.clasificar_imagen(z, *pesos)
    np.testing.assert_allclose(p.sum(-1), 1.0, rtol=1e-12)
    otro = z.copy()
    otro[:, 1:] = rng.standard_normal(otro[:, 1:].shape)
    np.testing.assert_array_equal(cn.clasificar_imagen(otro, *pesos), p)


@pytest.mark.ecuacion("swin-atencion-ventana")
@settings(max_examples=30, deadline=None)
@given(semilla=semillas, M=st.integers(1, 4), a=st.integers(1, 3), b=st.integers(1, 3), C=st.integers(1, 3))
def test_particionar_y_revertir_son_inversas(semilla, M, a, b, C):
    x = np.random.default_rng(semilla).standard_normal((2, a * M, b * M, C))
    ventanas = cn.particionar_ventanas(x, M)
    assert ventanas.shape == (2, a * b, M * M, C)
    np.testing.assert_array_equal(ventanas[:, 0].reshape(2, M, M, C), x[:, :M, :M])  # la primera ventana
    np.testing.assert_array_equal(cn.revertir_ventanas(ventanas, a * M, b * M), x)


@pytest.mark.ecuacion("swin-atencion-ventana")
@given(M=st.integers(1, 6))
def test_indice_depende_solo_del_desplazamiento_relativo(M):
    indice = cn.indice_posicion_relativa(M)
    coords = np.array([(i, j) for i in range(M) for j in range(M)])
    relativas = coords[:, None, :] - coords[None, :, :]  # (M², M², 2)
    unicos = {tuple(r): int(k) for r, k in zip(relativas.reshape(-1, 2), indice.ravel())}
    assert len(unicos) == (2 * M - 1) ** 2 == len(set(unicos.values()))  # biyección con la tabla
    assert indice.min() == 0 and indice.max() == (2 * M - 1) ** 2 - 1
    np.testing.assert_array_equal(np.diag(indice), (M - 1) * (2 * M - 1) + (M - 1))  # centro de la tabla


@pytest.mark.ecuacion("swin-atencion-ventana")
@settings(max_examples=30, deadline=None)
@given(M=st.integers(2, 5), a=st.integers(1, 3), b=st.integers(1, 3), s=st.integers(0, 4))
def test_mascara_desplazada_agrupa_parches_contiguos(M, a, b, s):
    """Dos parches de una ventana desplazada pueden atenderse si y solo si eran contiguos: su
    posición original no «dio la vuelta» por el borde (misma región tras deshacer el rollo)."""
    s = s % M
    H, W = a * M, b * M
    permitido = cn.mascara_ventanas_desplazadas(H, W, M, s)
    filas, cols = np.meshgrid(np.arange(H), np.arange(W), indexing="ij")
    # tras np.roll(-s), la posición (i, j) del mapa desplazado viene de ((i+s) mod H, (j+s) mod W)
    envuelta = 2 * ((filas + s) >= H) + ((cols + s) >= W)  # 0..3: qué bordes cruzó
    ventana_de = (filas // M) * b + cols // M
    e, v = envuelta.ravel(), ventana_de.ravel()
    for k in range(a * b):
        idx = np.flatnonzero(v == k)  # en el orden de particionar_ventanas
        idx = idx[np.lexsort((cols.ravel()[idx], filas.ravel()[idx]))]
        esperado = e[idx][:, None] == e[idx][None, :]
        if s == 0:
            assert esperado.all()
        np.testing.assert_array_equal(permitido[k], esperado)


@pytest.mark.ecuacion("swin-atencion-ventana")
@settings(max_examples=20, deadline=None)
@given(semilla=semillas, s=st.integers(0, 3), i=st.integers(0, 7), j=st.integers(0, 7))
def test_un_parche_solo_influye_en_su_ventana_y_region(semilla, s, i, j):
    """Cambiar el parche (i, j) solo cambia salidas a las que la máscara le deja atender."""
    rng = np.random.default_rng(semilla)
    H = W = 8
    M, C = 4, 4
    x = rng.standard_normal((H, W, C))
    W_qkv, W_o = rng.standard_normal((3 * C, C)) / 2, rng.standard_normal((C, C)) / 2
    pesos = (W_qkv, rng.standard_normal(3 * C), W_o, rng.standard_normal(C), rng.standard_normal((49, 2)))
    y = x.copy()
    y[i, j] += rng.standard_normal(C)
    cambio = np.abs(cn.atencion_ventanas(y, *pesos, 2, M, s) - cn.atencion_ventanas(x, *pesos, 2, M, s)).max(-1)
    # vecinos permitidos de (i, j), calculados con la máscara en coordenadas desplazadas
    si, sj = (i - s) % H, (j - s) % W
    k, a = (si // M) * (W // M) + sj // M, (si % M) * M + sj % M
    vecinos = np.zeros((4, M * M, 1))  # (n_v, M², 1)
    vecinos[k, :, 0] = cn.mascara_ventanas_desplazadas(H, W, M, s)[k, :, a]
    vecinos = np.roll(cn.revertir_ventanas(vecinos, H, W)[..., 0], (s, s), axis=(0, 1)) > 0  # (H, W)
    assert vecinos[i, j] and cambio[i, j] > 0
    np.testing.assert_array_equal(cambio[~vecinos], 0.0)


@pytest.mark.ecuacion("swin-fusion-parches")
@settings(max_examples=20, deadline=None)
@given(semilla=semillas, a=st.integers(1, 4), b=st.integers(1, 4), C=st.integers(1, 4))
def test_fusion_concatena_cada_bloque_2x2(semilla, a, b, C):
    """Con LN sin efecto afín y W_red = [I 0], la salida (i, j) es x[2i, 2j] normalizado."""
    rng = np.random.default_rng(semilla)
    x = rng.standard_normal((2 * a, 2 * b, C))
    W_red = np.eye(2 * C, 4 * C)
    z = cn.fusionar_parches(x, np.ones(4 * C), np.zeros(4 * C), W_red, eps=1e-12)
    assert z.shape == (a, b, 2 * C)
    bloque = np.concatenate([x[0, 0], x[1, 0], x[0, 1], x[1, 1]])
    np.testing.assert_allclose(z[0, 0], ((bloque - bloque.mean()) / bloque.std())[: 2 * C], atol=1e-8)


@pytest.mark.ecuacion("swin-complejidad")
@given(h=st.integers(1, 64), w=st.integers(1, 64), C=st.integers(1, 256), M=st.integers(1, 16))
def test_complejidad_lineal_frente_a_cuadratica(h, w, C, M):
    msa, wmsa = cn.coste_atencion_swin(h, w, C, M)
    assert (wmsa <= msa) == (M * M <= h * w)
    msa2, wmsa2 = cn.coste_atencion_swin(2 * h, w, C, M)
    assert wmsa2 == 2 * wmsa  # lineal en hw con M fijo
    assert msa2 - 2 * msa == 2 * (h * w) ** 2 * C * (4 - 2)  # el término 2(hw)²C se cuadruplica


@pytest.mark.ecuacion("vit-bloque-codificador")
@settings(max_examples=15, deadline=None)
@given(semilla=semillas)
def test_bloque_vit_residual_y_equivariante(semilla):
    """Con W_o, b_o, W_2, b_2 nulos las dos subcapas suman cero: el bloque es la identidad. Sin
    posiciones, el bloque es equivariante a permutar los tokens."""
    rng = np.random.default_rng(semilla)
    z = rng.standard_normal((5, 8))
    pesos = list(pesos_bloque_vit(rng))
    P = rng.permutation(5)
    np.testing.assert_allclose(cn.bloque_vit(z[P], *pesos, 2), cn.bloque_vit(z, *pesos, 2)[P], atol=1e-10)
    for k in (4, 5, 10, 11):  # W_o, b_o, W_2, b_2
        pesos[k] = np.zeros_like(pesos[k])
    np.testing.assert_array_equal(cn.bloque_vit(z, *pesos, 2), z)


@pytest.mark.ecuacion("swin-bloques-consecutivos")
@settings(max_examples=10, deadline=None)
@given(semilla=semillas)
def test_el_par_swin_cruza_los_bordes_de_las_ventanas(semilla):
    """Tras un bloque W-MSA, el parche (0, 0) solo influye en su ventana; tras el par W-MSA +
    SW-MSA llega a la ventana vecina en diagonal (M, M): para eso sirve desplazar las ventanas."""
    rng = np.random.default_rng(semilla)
    M, C = 4, 6
    x = rng.standard_normal((2 * M, 2 * M, C))
    y = x.copy()
    y[0, 0] += rng.standard_normal(C)  # no una constante: la LN la borraría
    pesos_W, pesos_SW = pesos_bloque_swin(rng, C=C, M=M), pesos_bloque_swin(rng, C=C, M=M)

    def cambio(f):
        return np.abs(f(y) - f(x)).max(-1)  # (H, W)

    solo_W = cambio(lambda u: cn.bloque_swin(u, **pesos_W, n_cabezas=2, M=M))
    assert solo_W[:M, :M].min() > 0 and solo_W[M:].max() == 0 and solo_W[:, M:].max() == 0
    par = cambio(lambda u: cn.bloques_swin(u, pesos_W, pesos_SW, 2, M))
    assert par[M, M] > 0
