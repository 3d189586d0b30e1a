"""Interpretabilidad (capítulo 17): atribuciones, ablación de cabezas y sondas, con respuestas conocidas."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from transformadores import ErrorDeForma
from transformadores import con_numpy as cn
from transformadores.datos.interpretabilidad import PALABRAS_AMBIGUAS, PLANTILLAS, frases_sustantivo_verbo
from transformadores.experimentos.induccion import (
    ConfigInduccion,
    ModeloSoloAtencion,
    datos_de_prueba,
    entrenar_induccion,
)
from transformadores.experimentos.interpretabilidad import (
    ablacion_cabezas,
    acierto_maximo,
    atribuciones_induccion,
    cabezas_anuladas,
    evaluar_induccion,
    funcion_desde_incrustacion,
    gradiente_por_entrada,
    gradientes_integrados,
    rollout_atencion,
    sonda_lineal,
    sondas_por_capa,
)


def _pesos(rng, forma):
    return cn.softmax(rng.standard_normal(forma) * 2)


# --- rollout ---------------------------------------------------------------------------------------------------------
def test_rollout_a_mano_y_filas_que_suman_uno():
    A = np.array([[[1.0, 0.0], [1.0, 0.0]]])  # (H=1, 2, 2): el token 2 mira solo al token 1
    np.testing.assert_allclose(rollout_atencion([A, A]), [[1.0, 0.0], [0.75, 0.25]])
    pesos = _pesos(np.random.default_rng(0), (3, 2, 4, 5, 5))  # (L, B, H, T, T)
    R = rollout_atencion(pesos)
    assert R.shape == (2, 5, 5)
    np.testing.assert_allclose(R.sum(-1), 1.0)
    np.testing.assert_allclose(R, rollout_atencion(list(pesos)))
    sin_residual = pesos[2].mean(1) @ pesos[1].mean(1) @ pesos[0].mean(1)  # la capa nueva, a la izquierda
    np.testing.assert_allclose(rollout_atencion(pesos, peso_residual=0.0), sin_residual)
    np.testing.assert_allclose(rollout_atencion(pesos, peso_residual=1.0), np.broadcast_to(np.eye(5), (2, 5, 5)))


def test_rollout_entradas_erroneas():
    with pytest.raises(ErrorDeForma, match=r"'pesos' debe ser una lista no vacía"):
        rollout_atencion([])
    with pytest.raises(ErrorDeForma, match=r"'peso_residual' debe estar en \[0, 1\]"):
        rollout_atencion([np.ones((1, 2, 2))], peso_residual=2.0)
    with pytest.raises(ErrorDeForma, match=r"'pesos\[1\]' debe tener forma \(\.\.\., H, T, T\) con H=2 .*T=3"):
        rollout_atencion([np.ones((2, 3, 3)), np.ones((2, 4, 4))])


# --- gradientes ------------------------------------------------------------------------------------------------------
def test_gradiente_por_entrada_de_una_funcion_lineal_es_exacto():
    torch.manual_seed(0)
    X, w = torch.randn(3, 5, 4, dtype=torch.float64), torch.randn(4, dtype=torch.float64)
    s = gradiente_por_entrada(lambda X: (X @ w).sum(-1), X)
    np.testing.assert_allclose(s, (X @ w).numpy())
    # Con una función lineal, los gradientes integrados desde 0 dan lo mismo con cualquier número de pasos.
    np.testing.assert_allclose(gradientes_integrados(lambda X: (X @ w).sum(-1), X, pasos=1), s)
    with pytest.raises(ErrorDeForma, match=r"'funcion\(X\)' debe tener forma \(3,\)"):
        gradiente_por_entrada(lambda X: X.sum(), X)


def test_gradientes_integrados_reparten_la_diferencia_entera():
    torch.manual_seed(1)
    X, X_b = torch.randn(2, 6, 3, dtype=torch.float64), torch.randn(2, 6, 3, dtype=torch.float64)
    w = torch.randn(3, dtype=torch.float64)

    def f(X):  # no lineal: tanh de cada token y un producto entre posiciones
        return torch.tanh(X @ w).sum(-1) + (X[..., 0, :] * X[..., 1, :]).sum(-1)

    s = gradientes_integrados(f, X, X_b, pasos=200)
    np.testing.assert_allclose(s.sum(1), (f(X) - f(X_b)).numpy(), rtol=1e-4)
    assert not np.allclose(gradientes_integrados(f, X, X_b, pasos=200), gradiente_por_entrada(f, X - X_b))


def test_funcion_desde_incrustacion_reproduce_el_modelo_y_quita_el_gancho():
    torch.manual_seed(0)
    modelo = ModeloSoloAtencion(n_vocab=7, longitud=6, d_modelo=8, n_cabezas=2, n_capas=2).eval()
    x = torch.randint(0, 7, (3, 6))
    X, ejecutar = funcion_desde_incrustacion(modelo, modelo.incrustacion, x)
    assert X.shape == (3, 6, 8)
    with torch.no_grad():
        torch.testing.assert_close(ejecutar(X), modelo(x))
        assert not torch.allclose(ejecutar(2 * X), modelo(x))
        torch.testing.assert_close(ejecutar(torch.stack([X, X])), torch.stack([modelo(x)] * 2))  # (pasos, B, …)
    assert not modelo.incrustacion._forward_hooks


def test_acierto_maximo():
    s = np.array([[0.1, 0.9, 0.5], [0.8, 0.1, 0.3]])
    correcta = np.array([[False, True, False], [False, False, True]])
    assert acierto_maximo(s, correcta) == 0.5
    assert acierto_maximo(s, correcta, permitida=np.array([[1, 1, 1], [0, 1, 1]])) == 1.0
    with pytest.raises(ErrorDeForma, match=r"al menos un token"):
        acierto_maximo(s, correcta, permitida=np.zeros((2, 3)))
    with pytest.raises(ErrorDeForma, match=r"'correcta' debe tener forma \(N, T\) con N=2 .*T=3"):
        acierto_maximo(s, correcta[:, :2])


# --- ablación --------------------------------------------------------------------------------------------------------
def test_anular_una_cabeza_quita_exactamente_su_aportacion():
    torch.manual_seed(0)
    modelo = ModeloSoloAtencion(n_vocab=7, longitud=6, d_modelo=8, n_cabezas=2, n_capas=2).eval()
    atencion, X = modelo.atenciones[0], torch.randn(2, 6, 8)
    W_o = atencion.W_o.detach().clone()
    with torch.no_grad():
        completa, pesos = atencion(X, devolver_pesos=True)
        V = (X @ atencion.W_v.T + atencion.b_v).unflatten(-1, (2, 4)).transpose(1, 2)  # (B, H, T, d_v)
        cabeza_1 = (pesos[:, 1] @ V[:, 1]) @ W_o[:, 4:].T  # lo que escribe la cabeza 2 (índice 1)
        with cabezas_anuladas(atencion, [1]):
            torch.testing.assert_close(atencion(X), completa - cabeza_1)
    torch.testing.assert_close(atencion.W_o.detach(), W_o)  # restaurada al salir
    with pytest.raises(ErrorDeForma, match=r"índices en \[0, 2\)"):
        with cabezas_anuladas(atencion, [2]):
            pass
    x = torch.randint(0, 7, (4, 6))
    base, tabla = ablacion_cabezas(lambda: modelo(x).abs().sum().item(), modelo.atenciones)
    assert tabla.shape == (2, 2) and not np.allclose(tabla, base)
    assert modelo(x).abs().sum().item() == pytest.approx(base)


# --- sondas ----------------------------------------------------------------------------------------------------------
def test_sonda_separa_lo_separable_y_el_control_no():
    rng = np.random.default_rng(0)
    etiquetas = rng.integers(0, 2, 300)
    X = rng.standard_normal((300, 20))
    X[:, 0] += 3 * (2 * etiquetas - 1)  # la etiqueta está en la primera coordenada
    prueba = np.arange(300) >= 200
    entrenamiento, exactitud = sonda_lineal(X, etiquetas, prueba)
    assert entrenamiento > 0.95 and exactitud > 0.95
    # Con las etiquetas barajadas, la sonda aprende ruido: peor en entrenamiento y en prueba.
    barajada = sonda_lineal(X, etiquetas, prueba, barajar=True)
    assert barajada[0] < 0.9 and barajada[1] < 0.9
    r = sondas_por_capa([X, rng.standard_normal((300, 20))], etiquetas, prueba)
    assert r.shape == (2, 2) and r[0, 1] > 0.95 and r[1, 1] < 0.7
    with pytest.raises(ErrorDeForma, match=r"dos grupos no vacíos"):
        sonda_lineal(X, etiquetas, np.zeros(300, dtype=bool))


def test_frases_sustantivo_verbo_equilibradas_y_sin_fugas():
    frases, palabras, etiquetas, prueba = frases_sustantivo_verbo()
    assert len(frases) == len(palabras) == len(etiquetas) == len(prueba)
    assert set(np.asarray(palabras)[prueba]).isdisjoint(np.asarray(palabras)[~prueba])
    for grupo in (prueba, ~prueba):
        assert etiquetas[grupo].mean() == 0.5
    # En las dos clases, la palabra cae en las mismas posiciones: ni el token ni la posición delatan la clase.
    posiciones = {
        clase: sorted(len(p.split("{}")[0].split()) for grupo in PLANTILLAS[clase] for p in grupo)
        for clase in PLANTILLAS
    }
    assert posiciones["sustantivo"] == posiciones["verbo"]
    assert all(f.count(p) >= 1 for f, p in zip(frases, palabras)) and len(set(palabras)) == len(PALABRAS_AMBIGUAS)
    with pytest.raises(ValueError, match=r"'fraccion_prueba' debe estar en \(0, 1\)"):
        frases_sustantivo_verbo(fraccion_prueba=1.0)


# --- el modelo de la tarea de copia ----------------------------------------------------------------------------------
def test_un_entrenamiento_corto_da_atribuciones_bien_formadas():
    config = ConfigInduccion(n_vocab=10, longitud_min=3, longitud_max=5, d_modelo=16, pasos=40, lote=16, n_prueba=30)
    modelo, _ = entrenar_induccion(config)
    x, y, longitudes = datos_de_prueba(config)
    a = atribuciones_induccion(modelo, x, y, longitudes, np.random.default_rng(0), pasos=4)
    assert a["correcta"].sum(1).tolist() == [1] * 30 and (a["correcta"] <= a["permitida"]).all()
    assert len(a["atencion"]) == 2 and all(s.shape == (30, 10) for s in [*a["atencion"], a["rollout"]])
    assert a["gradiente"].shape == a["integrados"].shape == (30, 10)
    assert np.allclose(a["rollout"].sum(1), 1.0) and (a["rollout"][~a["permitida"]] == 0).all()
    perdida, exactitud = evaluar_induccion(modelo, x, y)
    assert perdida > 0 and 0 <= exactitud <= 1


@pytest.mark.lento
def test_el_experimento_del_capitulo_cumple_lo_que_dice_el_texto():
    """Las afirmaciones del capítulo, con la configuración entera (≈ 5 s de entrenamiento con un hilo)."""
    config = ConfigInduccion()
    modelo, _ = entrenar_induccion(config)
    x, y, longitudes = datos_de_prueba(config)
    a = atribuciones_induccion(modelo, x, y, longitudes, np.random.default_rng(0))
    acierto = {k: acierto_maximo(a[k], a["correcta"], a["permitida"]) for k in ("rollout", "gradiente", "integrados")}
    atencion = [acierto_maximo(s, a["correcta"], a["permitida"]) for s in a["atencion"]]
    assert atencion[1] > 0.95 and atencion[0] < 0.3
    assert acierto["gradiente"] > 0.85 and acierto["integrados"] > 0.85 and acierto["rollout"] < atencion[1]
    base, tabla = ablacion_cabezas(lambda: evaluar_induccion(modelo, x, y)[1], modelo.atenciones)
    assert base > 0.95 and tabla.min() < 0.6  # alguna cabeza es imprescindible
    with cabezas_anuladas(modelo.atenciones[1], [0, 1]):
        assert evaluar_induccion(modelo, x, y)[1] < 0.2  # sin la segunda capa no hay copia
