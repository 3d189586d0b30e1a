"""El comprobador: acierta con la referencia, nombra cada error típico y no revela las predicciones."""

from __future__ import annotations

import time

import numpy as np
import pytest
from transformadores.ecuaciones import registro
from transformadores.evaluacion import EJERCICIOS, comprobar, por_capitulo
from transformadores.evaluacion.tipos import TIPOS

PARES = [(e.id, err) for e in EJERCICIOS.values() for err in e.errores]
CAPITULOS = sorted({e.capitulo for e in EJERCICIOS.values()})


def _respuesta(ej, funcion):
    """Los ejercicios de predicción reciben un valor; los demás, una función."""
    return funcion() if ej.tipo == "valor" else funcion


@pytest.mark.parametrize("ejercicio", sorted(EJERCICIOS))
@pytest.mark.parametrize("semilla", [0, 1, None])
def test_la_referencia_es_correcta(ejercicio, semilla, sin_vigilancia):
    ej = EJERCICIOS[ejercicio]
    r = comprobar(ejercicio, _respuesta(ej, ej.referencia), semilla=semilla)
    assert r.correcto and r.puntos == r.maximo == 1 and r.mensaje.startswith("✅"), r.mensaje
    assert r.estado == "correcto" and r.resumen == "correcto"


@pytest.mark.parametrize("ejercicio, error", PARES, ids=[f"{i}:{e.nombre}" for i, e in PARES])
@pytest.mark.parametrize("semilla", [0, 1])
def test_nombra_cada_error_tipico(ejercicio, error, semilla, sin_vigilancia):
    ej = EJERCICIOS[ejercicio]
    r = comprobar(ejercicio, _respuesta(ej, error.funcion), semilla=semilla)
    assert not r.correcto and r.puntos == 0 and r.mensaje.startswith("❌")
    assert f"Diagnóstico ({error.nombre})" in r.mensaje, r.mensaje
    assert r.diagnostico == error.nombre and f"diagnóstico: {error.nombre}" in r.resumen


def test_cada_ejercicio_declara_al_menos_tres_errores_distintos():
    for e in EJERCICIOS.values():
        nombres = [err.nombre for err in e.errores]
        assert len(nombres) >= 3 and len(set(nombres)) == len(nombres), e.id


def test_la_referencia_sale_del_registro():
    tabla = registro()
    del_inventario = {entrada.capitulo for entrada in tabla.values()}
    for e in EJERCICIOS.values():
        assert e.ecuacion in tabla and tabla[e.ecuacion].numpy is not None, e.id
        # Los capítulos sin ecuaciones propias (modelo real, límites…) se apoyan en las de otros capítulos.
        assert tabla[e.ecuacion].capitulo == e.capitulo or e.capitulo not in del_inventario, e.id
        assert e.tipo in TIPOS and e.nombre.isidentifier()


def test_parte_i_tiene_suficientes_ejercicios_de_los_tres_tipos():
    assert len(EJERCICIOS) >= 27
    for capitulo in CAPITULOS:
        lista = por_capitulo(capitulo)
        assert len(lista) >= 3, capitulo
        assert {e.tipo for e in lista} == set(TIPOS), capitulo


@pytest.mark.parametrize("ejercicio", [e.id for e in EJERCICIOS.values() if e.prohibidas != ()])
def test_usar_la_referencia_del_paquete_no_puntua(ejercicio):
    ej = EJERCICIOS[ejercicio]

    def envoltorio(*args):
        return ej.referencia(*args)

    r = comprobar(ejercicio, envoltorio, semilla=0)
    assert not r.correcto and "usas la implementación de referencia del paquete" in r.mensaje, r.mensaje


@pytest.mark.parametrize("ejercicio", [e.id for e in EJERCICIOS.values() if e.tipo == "valor"])
def test_una_prediccion_equivocada_no_revela_la_respuesta(ejercicio):
    ej = EJERCICIOS[ejercicio]
    correcta = np.asarray(ej.referencia())
    r = comprobar(ejercicio, correcta + 1)
    assert not r.correcto
    numeros = ", ".join(str(v) for v in correcta.ravel().tolist())
    assert numeros not in r.mensaje and str(correcta.tolist()) not in r.mensaje


def test_una_prediccion_se_acepta_como_tupla_lista_o_arreglo():
    for respuesta in [(2, 8, 10, 12), [2, 8, 10, 12], np.array([2, 8, 10, 12]), np.array([2.0, 8, 10, 12])]:
        assert comprobar("forma-pesos", respuesta).correcto
    assert comprobar("pe-posicion-cero", (0, 1, 0, 1, 0, 1)).correcto


def test_casos_nuevos_en_cada_llamada_y_reproducibles_con_semilla():
    vistos = []
    for semilla in (None, None, 3, 3):
        comprobar("softmax-estable", lambda z: vistos.append(z.copy()) or np.zeros_like(z), semilla=semilla)
    assert not np.array_equal(vistos[0], vistos[5])  # el primer caso de dos llamadas sin semilla
    assert all(np.array_equal(a, b) for a, b in zip(vistos[10:15], vistos[15:20]))


def test_mensaje_de_fallo_con_forma_dtype_y_mayor_error():
    r = comprobar("softmax-estable", lambda z: np.exp(z) / np.exp(z).sum(), semilla=0)
    assert "falla el caso 2 de 5" in r.mensaje
    assert "Esperado: forma (2, 3, 4), dtype float32." in r.mensaje
    assert "Recibido: forma (2, 3, 4), dtype float32, los valores difieren: el mayor error absoluto es" in r.mensaje
    assert r.mensaje.endswith("Puntuación: 0/1.")


def test_conservar_el_dtype_de_la_entrada():
    def softmax_float64(z):
        e = np.exp(z.astype(np.float64) - z.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)

    r = comprobar("softmax-estable", softmax_float64)
    assert not r.correcto and "(el dtype debe ser float32, como la entrada)" in r.mensaje


def test_es_rapido(sin_vigilancia):
    inicio = time.perf_counter()
    for e in EJERCICIOS.values():
        comprobar(e.id, _respuesta(e, e.referencia))
    assert time.perf_counter() - inicio < 10.0
