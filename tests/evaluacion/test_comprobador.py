"""El comprobador de ejercicios: acierta, nombra cada error típico y nunca se rompe."""

from __future__ import annotations

import time

import numpy as np
import pytest
from transformadores.evaluacion import EJERCICIOS, comprobar

PARES = [(e.id, err) for e in EJERCICIOS.values() for err in e.errores]


@pytest.mark.parametrize("ejercicio", sorted(EJERCICIOS))
def test_la_referencia_es_correcta(ejercicio):
    r = comprobar(ejercicio, EJERCICIOS[ejercicio].referencia)
    assert r.correcto and r.puntos == r.maximo == 1 and "✅" in r.mensaje


def test_cada_ejercicio_declara_al_menos_tres_errores_o_dos_en_el_softmax():
    assert all(len(e.errores) >= 2 for e in EJERCICIOS.values())


@pytest.mark.parametrize("ejercicio, error", PARES, ids=[f"{i}:{e.nombre}" for i, e in PARES])
def test_nombra_cada_error_tipico(ejercicio, error):
    r = comprobar(ejercicio, error.funcion)
    assert not r.correcto and r.puntos == 0
    assert f"Diagnóstico ({error.nombre})" in r.mensaje, r.mensaje


@pytest.mark.parametrize(
    "respuesta, patron",
    [
        (lambda z: 1 / 0, r"tu función lanzó ZeroDivisionError"),
        (lambda z: "hola", r"se esperaba un arreglo numérico, pero tu función devolvió un objeto de tipo str"),
        (lambda z: np.full_like(z, np.nan), r"contiene NaN o infinitos"),
        (lambda z: np.zeros(3), r"se esperaba forma \(5,\), pero se recibió \(3,\)"),
        (lambda z: z.astype(np.float16), r"se esperaba dtype float64, pero se recibió float16"),
        (42, r"se esperaba una función, pero se recibió int"),
    ],
)
def test_no_se_rompe_con_respuestas_malas(respuesta, patron):
    r = comprobar("softmax-estable", respuesta, semilla=0)
    assert not r.correcto
    assert pytest.importorskip("re").search(patron, r.mensaje), r.mensaje


def test_respuesta_desconocida_no_se_diagnostica():
    r = comprobar("atencion-escalada", lambda Q, K, V: V[..., :1, :].repeat(Q.shape[-2], axis=-2), semilla=0)
    assert not r.correcto and "Diagnóstico" not in r.mensaje and "falla el caso 1" in r.mensaje


def test_ejercicio_inexistente():
    with pytest.raises(KeyError, match="No existe el ejercicio 'nada'"):
        comprobar("nada", lambda x: x)


def test_casos_nuevos_en_cada_llamada():
    """Sin semilla, los casos cambian: no se puede memorizar la respuesta."""
    vistos = []
    comprobar("softmax-estable", lambda z: vistos.append(z.copy()) or np.zeros_like(z))
    comprobar("softmax-estable", lambda z: vistos.append(z.copy()) or np.zeros_like(z))
    assert not np.array_equal(vistos[0], vistos[1])


def test_es_rapido():
    inicio = time.perf_counter()
    for e in EJERCICIOS.values():
        comprobar(e.id, e.referencia)
    assert time.perf_counter() - inicio < 5.0
