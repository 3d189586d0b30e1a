"""El comprobador nunca se rompe por culpa de la respuesta: excepciones, tipos, NaN, salidas enormes, bucles."""

from __future__ import annotations

import re
import sys
import time

import numpy as np
import pytest
from transformadores.evaluacion import comprobar


class _Malicioso(Exception):
    def __str__(self):
        raise RuntimeError("no me imprimas")


def _lanza_malicioso(z):
    raise _Malicioso


def _bucle(z):
    while True:
        pass


def _sale(z):
    sys.exit(3)


@pytest.mark.parametrize(
    "respuesta, patron",
    [
        (lambda z: 1 / 0, r"Recibido: tu función lanzó ZeroDivisionError: division by zero\."),
        (_lanza_malicioso, r"tu función lanzó _Malicioso: \(mensaje ilegible\)"),
        (_sale, r"tu función lanzó SystemExit: 3"),
        (lambda z: "hola", r"Recibido: un objeto de tipo str\."),
        (lambda z: {"a": 1}, r"un objeto de tipo dict"),
        (lambda z: [[1.0, 2.0], [3.0]], r"no se puede convertir en arreglo"),
        (lambda z: np.array(["a"] * z.size).reshape(z.shape), r"datos de tipo <U1, no numéricos"),
        (lambda z: np.full_like(z, np.nan), r"con NaN o infinitos en 5 de 5 posiciones"),
        (lambda z: np.full_like(z, np.inf), r"con NaN o infinitos"),
        (lambda z: np.full_like(z, 1e308) * 10, r"con NaN o infinitos"),
        (lambda z: np.zeros(3), r"Esperado: forma \(5,\), dtype float64\.\n   Recibido: forma \(3,\), dtype float64\."),
        (lambda z: z.astype(np.float16), r"dtype float16 \(el dtype debe ser float64, como la entrada\)"),
        (lambda z: np.broadcast_to(0.0, (10**6, 10**6)), r"Recibido: forma \(1000000, 1000000\), dtype float64\."),
        (42, r"se esperaba una función, pero se recibió int"),
        ("softmax", r"se esperaba una función, pero se recibió str"),
    ],
)
def test_no_se_rompe_con_respuestas_malas(respuesta, patron):
    r = comprobar("softmax-estable", respuesta, semilla=0)
    assert not r.correcto and r.puntos == 0 and r.mensaje.startswith("❌")
    assert re.search(patron, r.mensaje), r.mensaje


@pytest.mark.parametrize(
    "respuesta, motivo",
    [
        (lambda z: None, "tu función devuelve None"),
        (lambda z: ..., "tu función devuelve None"),
        (None, "tu función devuelve None"),
        (lambda z: (_ for _ in ()).throw(NotImplementedError), "tu función lanza NotImplementedError"),
    ],
)
def test_sin_completar_no_es_un_error(respuesta, motivo):
    r = comprobar("softmax-estable", respuesta)
    assert r.estado == "sin completar" and r.mensaje.startswith("⏳") and motivo in r.mensaje
    assert r.resumen == "sin completar" and r.puntos == 0


def test_prediccion_sin_completar_y_de_tipo_equivocado():
    r = comprobar("forma-pesos", None)
    assert r.estado == "sin completar" and "la variable `forma_pesos` vale None" in r.mensaje
    r = comprobar("forma-pesos", "(2, 8, 10, 12)")
    assert not r.correcto and "un objeto de tipo str" in r.mensaje


def test_detiene_un_bucle_infinito():
    inicio = time.perf_counter()
    r = comprobar("softmax-estable", _bucle, semilla=0, limite_s=0.3)
    assert time.perf_counter() - inicio < 3
    assert not r.correcto and "tu función no terminó en 0.3 s (¿un bucle infinito?)" in r.mensaje
    assert "falla el caso 1 de 5" in r.mensaje


def test_las_respuestas_no_modifican_los_casos():
    def destructiva(Q, K, V):
        Q[...] = 0
        K[...] = np.nan
        return np.zeros(Q.shape[:-1] + V.shape[-1:], Q.dtype)

    r = comprobar("atencion-escalada", destructiva, semilla=0)
    assert "NaN" not in r.mensaje.split("Recibido")[0]  # lo esperado se calcula con los casos intactos
    assert "Esperado: forma (4, 3), dtype float64." in r.mensaje


def test_acepta_tensores_de_pytorch():
    torch = pytest.importorskip("torch")
    r = comprobar("softmax-estable", lambda z: torch.softmax(torch.from_numpy(z), dim=-1))
    assert r.correcto, r.mensaje


def test_respuesta_desconocida_no_se_diagnostica():
    r = comprobar("atencion-escalada", lambda Q, K, V: V[..., :1, :].repeat(Q.shape[-2], axis=-2), semilla=0)
    assert not r.correcto and "Diagnóstico" not in r.mensaje and "falla el caso 1" in r.mensaje


def test_ejercicio_inexistente():
    with pytest.raises(KeyError, match="No existe el ejercicio 'nada'"):
        comprobar("nada", lambda x: x)


def test_al_calificar_no_se_comprueba_en_el_cuaderno(monkeypatch):
    monkeypatch.setenv("TRANSFORMADORES_CALIFICANDO", "1")
    r = comprobar("softmax-estable", lambda z: z)
    assert not r.correcto and "la comprobación se hace al calificar" in r.mensaje
