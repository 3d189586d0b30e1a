"""El explorador de espectrogramas, sin navegador: cada control cambia lo que se calcula y lo que se dibuja."""

from __future__ import annotations

import numpy as np
import pytest
from transformadores import con_numpy as cn
from transformadores.datos.sonidos import sonido
from transformadores.errores import ErrorDeForma
from transformadores.widgets.espectrograma import REPRESENTACIONES, ExploradorEspectrograma, representar


@pytest.fixture(scope="module")
def explorador():
    return ExploradorEspectrograma(clases=("tono grave", "dígito 5"), semilla=3, segundos=0.2)


def test_representaciones_con_las_funciones_del_paquete():
    x = sonido("dígito 5", np.random.default_rng(0), 0.2, dtype=np.float64)  # 3200 muestras: 20 tramas
    S = cn.espectrograma_potencia(x)[..., :-1]
    np.testing.assert_array_equal(representar(x, "forma de onda"), x)
    np.testing.assert_allclose(representar(x, "potencia (escala lineal)"), S)
    assert representar(x, "potencia (dB)").shape == (201, 20)
    np.testing.assert_allclose(
        representar(x, "log-mel de Whisper, 80 filtros"), cn.log_mel_whisper(cn.banco_filtros_mel() @ S)
    )
    np.testing.assert_allclose(
        representar(x, "log-mel de Whisper, 20 filtros"), cn.log_mel_whisper(cn.banco_filtros_mel(n_mels=20) @ S)
    )
    assert representar(x, "mel, 80 filtros (dB)").shape == (80, 20)
    with pytest.raises(ErrorDeForma, match="'representacion' debe ser una de"):
        representar(x, "cepstro")


def test_los_controles_cambian_los_datos_y_la_imagen(explorador):
    w = explorador
    w.control_clase.value, w.control_representacion.value = "tono grave", "forma de onda"
    assert w.clase == "tono grave" and w.datos.shape == (3200,)
    imagen = w.imagen_actual
    w.control_representacion.value = "log-mel de Whisper, 80 filtros"
    assert w.datos.shape == (80, 20) and w.imagen_actual != imagen
    tono = w.datos.copy()
    w.control_clase.value = "dígito 5"
    assert w.clase == "dígito 5" and not np.allclose(w.datos, tono)
    np.testing.assert_allclose(w.datos, representar(w.senal, "log-mel de Whisper, 80 filtros"))
    w.control_representacion.value = "log-mel de Whisper, 20 filtros"
    assert w.datos.shape == (20, 20)
    assert w.figuras.selected_index == 1 and w.figuras.children[1].selected_index == 5


def test_enlaces_en_el_navegador(explorador):
    w = explorador
    enlaces = {(e.source[0], e.source[1], e.target[0], e.target[1]) for e in w._enlaces}
    assert (w.control_clase, "index", w.figuras, "selected_index") in enlaces
    assert all((w.control_representacion, "index", p, "selected_index") in enlaces for p in w.figuras.children)
    assert len(w.figuras.children) == 2 and all(len(p.children) == len(REPRESENTACIONES) for p in w.figuras.children)


def test_texto_alternativo(explorador):
    w = explorador
    w.control_clase.value, w.control_representacion.value = "dígito 5", "potencia (dB)"
    assert "«dígito 5» como potencia (dB)" in w.descripcion_actual and "dos franjas" in w.descripcion_actual
    w.control_representacion.value = "forma de onda"
    assert w.descripcion_actual.startswith("Forma de onda del sonido «dígito 5»")


def test_entradas_erroneas():
    with pytest.raises(ErrorDeForma, match="'clases' debe ser una lista no vacía"):
        ExploradorEspectrograma(clases=("silbido",))
