"""El progreso del lector: se guarda en su carpeta personal (aquí, una temporal) y nunca rompe nada."""

from __future__ import annotations

import json

import numpy as np
from transformadores.evaluacion import comprobar, progreso


def _softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def test_se_guarda_en_la_carpeta_personal(casa_temporal):
    assert progreso.ruta() == casa_temporal / ".transformadores" / "progreso.json"
    comprobar("softmax-estable", _softmax)
    datos = json.loads(progreso.ruta().read_text(encoding="utf-8"))
    assert datos["ejercicios"]["softmax-estable"]["superado"] is True
    assert progreso.superados() == {"softmax-estable"}


def test_un_fallo_no_borra_un_acierto_y_cuenta_los_intentos():
    comprobar("softmax-estable", lambda z: z)
    assert progreso.superados() == set()
    comprobar("softmax-estable", _softmax)
    comprobar("softmax-estable", lambda z: z)
    assert progreso.superados() == {"softmax-estable"}
    assert progreso.leer()["softmax-estable"]["intentos"] == 3


def test_mostrar_por_capitulo_y_en_total():
    comprobar("mascara-causal", lambda T: np.tril(np.ones((T, T), bool)))
    texto = repr(progreso.mostrar(capitulo=3))
    assert texto.startswith("Tu progreso en el capítulo 3: 1 de 6 ejercicios superados.")
    assert "✅ mascara-causal" in texto and "⬜ softmax-estable" in texto
    total = repr(progreso.mostrar())
    assert "Tu progreso: 1 de" in total and "Capítulo  3: ■□□□□□ 1 de 6" in total


def test_variable_de_entorno(tmp_path, monkeypatch):
    monkeypatch.setenv("TRANSFORMADORES_PROGRESO", str(tmp_path / "otro.json"))
    comprobar("forma-pesos", (2, 8, 10, 12))
    assert (tmp_path / "otro.json").exists() and progreso.superados() == {"forma-pesos"}


def test_archivo_corrupto_o_ilegible_no_rompe_nada(casa_temporal):
    progreso.ruta().parent.mkdir()
    progreso.ruta().write_text("{esto no es json", encoding="utf-8")
    assert progreso.leer() == {} and "0 de 6" in repr(progreso.mostrar(capitulo=3))
    assert comprobar("softmax-estable", _softmax).correcto  # y lo sobrescribe con uno válido
    assert progreso.superados() == {"softmax-estable"}


def test_sin_poder_escribir_se_sigue_sin_progreso(tmp_path, monkeypatch):
    (tmp_path / "archivo").write_text("")  # la «carpeta» del progreso es un archivo: no se puede crear
    monkeypatch.setenv("TRANSFORMADORES_PROGRESO", str(tmp_path / "archivo" / "progreso.json"))
    assert comprobar("softmax-estable", _softmax).correcto
    assert progreso.superados() == set()


def test_al_calificar_no_se_anota(monkeypatch):
    monkeypatch.setenv("TRANSFORMADORES_CALIFICANDO", "1")
    comprobar("softmax-estable", _softmax)
    assert not progreso.ruta().exists()


def test_reiniciar():
    comprobar("softmax-estable", _softmax)
    progreso.reiniciar()
    assert progreso.superados() == set()
