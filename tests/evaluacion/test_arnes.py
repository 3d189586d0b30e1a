"""El arnés: serialización sin pickle, límites de tamaño, límite de tiempo y vigilancia de la referencia."""

from __future__ import annotations

import numpy as np
import pytest
from transformadores import con_numpy as cn
from transformadores.evaluacion import arnes


def _ida_y_vuelta(tmp_path, valor):
    arreglos: dict = {}
    d = arnes.codificar(valor, arreglos, "x")
    arnes.guardar(str(tmp_path / "s"), {"d": d}, arreglos)
    datos, leidos = arnes.cargar(str(tmp_path / "s"))
    return arnes.decodificar(datos["d"], leidos)


@pytest.mark.parametrize("valor", [3, 2.5, None, True, "texto", (1, 2), [np.eye(2), np.zeros(3, np.float32)]])
def test_ida_y_vuelta(tmp_path, valor):
    vuelta = _ida_y_vuelta(tmp_path, valor)
    if isinstance(valor, list):
        assert all(np.array_equal(a, b) and a.dtype == b.dtype for a, b in zip(valor, vuelta))
    else:
        assert vuelta == valor and type(vuelta) is type(valor)


def test_objetos_y_arreglos_enormes_se_describen_sin_copiarlos(tmp_path):
    vuelta = _ida_y_vuelta(tmp_path, np.broadcast_to(1.0, (10**5, 10**4)))
    assert isinstance(vuelta, arnes.Opaco) and vuelta.forma == (10**5, 10**4)
    assert _ida_y_vuelta(tmp_path, object()).descripcion == "un objeto de tipo object"
    assert "tipo object" in _ida_y_vuelta(tmp_path, np.array([None, 1], dtype=object)).descripcion


def test_cargar_no_acepta_pickle(tmp_path):
    base = str(tmp_path / "s")
    np.savez(base + ".npz", x=np.array([{"a": 1}], dtype=object))  # solo se puede leer con pickle
    (tmp_path / "s.json").write_text("{}")
    with pytest.raises(ValueError):
        arnes.cargar(base)


def test_cargar_rechaza_archivos_enormes(tmp_path, monkeypatch):
    monkeypatch.setattr(arnes, "LIMITE_BYTES", 100)
    arnes.guardar(str(tmp_path / "s"), {}, {"x": np.zeros(1000)})
    with pytest.raises(ValueError, match="demasiado grande"):
        arnes.cargar(str(tmp_path / "s"))


def test_limite_de_tiempo_y_excepciones():
    def lenta():
        while True:
            pass

    assert arnes.llamar(lenta, (), 0.2).tipo == "tiempo"
    assert arnes.llamar(lambda: 1 / 0, (), None).tipo == "ZeroDivisionError"
    assert arnes.llamar(lambda x: x * 2, (np.ones(2),), 1.0).tolist() == [2.0, 2.0]


def test_tras_un_tiempo_agotado_no_ejecuta_los_demas_casos():
    llamadas = []

    def lenta(x):
        llamadas.append(x)
        while True:
            pass

    salidas, _ = arnes.ejecutar_casos(lenta, [(1,), (2,), (3,)], limite_caso=0.2)
    assert llamadas == [1] and all(s.tipo == "tiempo" for s in salidas)


def test_vigilar_detecta_la_referencia_aunque_se_llame_con_otro_nombre():
    codigo = cn.softmax.__code__
    firma = [(codigo.co_filename, codigo.co_firstlineno, "softmax")]
    otro_nombre = cn.softmax
    with arnes.vigilar(firma) as v:
        otro_nombre(np.ones(3))
    assert v.usadas == {"softmax"}
    with arnes.vigilar(firma) as v:
        cn.log_softmax(np.ones(3))
    assert v.usadas == set()
