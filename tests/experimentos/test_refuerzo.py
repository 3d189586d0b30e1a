"""La rejilla del capítulo 13 y el Decision Transformer: entorno determinista, retornos y condicionamiento."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from transformadores import ErrorDeForma
from transformadores.datos.entornos import (
    POLITICAS,
    Rejilla,
    conjunto_fuera_de_linea,
    generar_trayectorias,
    jugar_episodio,
)
from transformadores.experimentos.refuerzo import (
    ConfigRefuerzo,
    DecisionTransformer,
    entrenar_decision_transformer,
    evaluar_objetivos,
    jugar_con_objetivo,
    jugar_en_paralelo,
    lote_de_ventanas,
    preparar_datos,
    retornos_por_politica,
    tabla_objetivos,
)

ARRIBA, ABAJO, IZQUIERDA, DERECHA = range(4)


def test_el_entorno_es_determinista_y_los_datos_dependen_solo_de_la_semilla():
    e = Rejilla()
    a = conjunto_fuera_de_linea(e, 20, np.random.default_rng(7))
    b = conjunto_fuera_de_linea(e, 20, np.random.default_rng(7))
    c = conjunto_fuera_de_linea(e, 20, np.random.default_rng(8))
    assert len(a) == 60 and [t.politica for t in a] == [p for p in POLITICAS for _ in range(20)]
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x.estados, y.estados)
        np.testing.assert_array_equal(x.acciones, y.acciones)
        np.testing.assert_array_equal(x.recompensas, y.recompensas)
    assert any(len(x) != len(z) or (x.acciones != z.acciones).any() for x, z in zip(a, c))
    for tr in a:  # volver a jugar las mismas acciones da los mismos estados y recompensas
        s = e.reiniciar()
        for t, accion in enumerate(tr.acciones):
            assert s == tr.estados[t]
            s, r, _ = e.paso(s, int(accion))
            assert r == tr.recompensas[t]


def test_paso_muros_meta_y_recompensa():
    e = Rejilla()
    assert e.distancias[e.reiniciar()] == 8 and e.retorno_maximo == 8
    s0 = e.reiniciar()
    assert e.paso(s0, ARRIBA) == (s0, 0.0, False)  # choca con el borde: se queda, recompensa 0
    assert e.paso(e.indice((1, 0)), ABAJO) == (e.indice((1, 0)), 0.0, False)  # muro en (2, 0)
    assert e.paso(s0, DERECHA) == (e.indice((0, 1)), 1.0, False)  # se acerca
    assert e.paso(e.indice((0, 1)), IZQUIERDA) == (s0, -1.0, False)  # se aleja
    assert e.paso(e.indice((4, 3)), DERECHA) == (e.indice((4, 4)), 1.0, True)  # llega: termina
    assert e.codificar([0, 3]).shape == (2, 25) and e.codificar(3)[3] == 1.0
    for tr in generar_trayectorias(e, 1.0, 30, np.random.default_rng(0)):
        final, _, _ = e.paso(int(tr.estados[-1]), int(tr.acciones[-1]))
        assert tr.retorno == e.distancias[s0] - e.distancias[final]  # retorno = avance neto
        assert len(tr) <= e.horizonte


def test_las_politicas_estan_ordenadas_por_calidad():
    retornos = retornos_por_politica(conjunto_fuera_de_linea(Rejilla(), 100, np.random.default_rng(0)))
    assert retornos["aleatoria"] + 2 < retornos["a medias"] < retornos["buena"] <= 8
    optima = jugar_episodio(Rejilla(), lambda s, t: Rejilla().acciones_que_acercan(s)[0])
    assert optima.retorno == 8 and len(optima) == 8


def test_entradas_erroneas():
    with pytest.raises(ErrorDeForma, match=r"'meta' debe ser una casilla"):
        Rejilla(meta=(5, 5))
    with pytest.raises(ErrorDeForma, match=r"distintas y libres"):
        Rejilla(muros=((0, 0),))
    with pytest.raises(ErrorDeForma, match=r"ningún camino"):
        Rejilla(muros=((3, 4), (4, 3)))
    with pytest.raises(ErrorDeForma, match=r"'accion' debe ser un entero entre 0 y 3"):
        Rejilla().paso(0, 4)
    with pytest.raises(ErrorDeForma, match=r"'epsilon' debe estar en \[0, 1\]"):
        generar_trayectorias(Rejilla(), 1.5, 2, np.random.default_rng(0))


def test_retorno_por_obtener_y_ventanas():
    e = Rejilla()
    trayectorias = conjunto_fuera_de_linea(e, 10, np.random.default_rng(1))
    datos = preparar_datos(trayectorias, e.horizonte)
    for i, tr in enumerate(trayectorias):
        n = len(tr)
        esperado = [tr.recompensas[t:].sum() for t in range(n)]  # R̂_t = Σ_{t' ≥ t} r_t'
        np.testing.assert_allclose(datos.retornos[i, :n], esperado)
        assert datos.retornos[i, 0] == tr.retorno and (datos.retornos[i, n:] == 0).all()
    R, s, a_onehot, pasos, a, mascara = lote_de_ventanas(datos, e, 4, 16, np.random.default_rng(2))
    assert R.shape == pasos.shape == a.shape == mascara.shape == (16, 4)
    assert s.shape == (16, 4, 25) and a_onehot.shape == (16, 4, 4)
    assert mascara[:, 0].all() and (pasos.diff(dim=1) >= 0).all()
    assert torch.equal(a_onehot[mascara].argmax(-1), a[mascara]) and (a_onehot[~mascara] == 0).all()


def test_la_evaluacion_en_lote_es_la_del_paquete():
    """``jugar_en_paralelo`` sigue la recurrencia de ``evaluar_decision_transformer`` (decisiones voraces)."""
    e = Rejilla()
    torch.manual_seed(0)
    modelo = DecisionTransformer(e.n_estados, e.n_acciones, e.horizonte, d_modelo=16, n_cabezas=2, n_capas=1,
                                 d_ff=16, escala_retorno=8).eval()  # fmt: skip
    objetivos = [0.0, 3.0, 8.0, 12.0]
    en_lote = jugar_en_paralelo(modelo, e, objetivos, K=3, voraz=True)
    for R, tr in zip(objetivos, en_lote):
        uno = jugar_con_objetivo(modelo, e, R, K=3, voraz=True)
        np.testing.assert_array_equal(uno.estados, tr.estados)
        np.testing.assert_array_equal(uno.acciones, tr.acciones)
        np.testing.assert_array_equal(uno.recompensas, tr.recompensas)


def test_un_entrenamiento_corto_obtiene_mas_cuando_se_pide_mas():
    config = ConfigRefuerzo(n_por_politica=100, pasos=150, lote=32, d_modelo=16, n_capas=1, d_ff=32, tasa=1e-2)
    modelo, perdidas, trayectorias = entrenar_decision_transformer(config)
    assert len(perdidas) == 150 and np.mean(perdidas[-10:]) < np.mean(perdidas[:10]) - 0.15
    objetivos = [1, 4, 8]
    retornos, jugadas = evaluar_objetivos(modelo, Rejilla(), objetivos, config.K, 20, semilla=0)
    assert retornos.shape == (3, 20) and len(jugadas[2]) == 20
    medias = retornos.mean(axis=1)
    assert medias[0] + 1.5 < medias[1] and medias[1] + 1.5 < medias[2], medias
    assert tabla_objetivos(objetivos, retornos).count("\n") == 3
