"""Corpus de entregas para probar el calificador: correctas, con errores típicos, trampas, rotas y colgadas.

``generar(carpeta)`` escribe las entregas (una por alumno) a partir de los cuadernos de ``ejercicios/``;
``ESPERADO`` dice qué nota y qué comentario debe recibir cada ejercicio, y ``RETRO`` qué debe decir el
archivo de comentarios. Los ejercicios que no aparecen en ``ESPERADO`` deben estar bien (1 punto).
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell
from transformadores.evaluacion.alumnos import FIN, INICIO

RAIZ = Path(__file__).resolve().parents[2]
CARPETA_EJERCICIOS = RAIZ / "ejercicios"
CAP03 = CARPETA_EJERCICIOS / "03-atencion.ipynb"

_SOFTMAX = "    e = np.exp(s - s.max(axis=-1, keepdims=True))\n    return e / e.sum(axis=-1, keepdims=True) @ V\n"
_PESOS = "    p = np.exp(s - s.max(axis=-1, keepdims=True))\n    p = p / p.sum(axis=-1, keepdims=True)\n"

# Tres juegos de errores típicos del capítulo 3: cada entrega lleva uno por ejercicio.
ERRORES_CAP03 = [
    {
        "softmax_estable": "def softmax_estable(z):\n    e = np.exp(z)\n    return e / e.sum(axis=-1, keepdims=True)\n",
        "atencion": "def atencion(Q, K, V):\n    s = Q @ np.swapaxes(K, -1, -2)\n" + _SOFTMAX,
        "mascara_causal": "def mascara_causal(T):\n    return ~np.tril(np.ones((T, T), dtype=bool))\n",
        "atencion_enmascarada": "def atencion_enmascarada(Q, K, V, mascara):\n"
        "    s = np.where(~mascara, Q @ np.swapaxes(K, -1, -2) / Q.shape[-1] ** 0.5, -np.inf)\n"
        "    m = s.max(axis=-1, keepdims=True)\n    e = np.exp(s - np.where(np.isfinite(m), m, 0))\n"
        "    suma = e.sum(axis=-1, keepdims=True)\n    return (e / np.where(suma == 0, 1, suma)) @ V\n",
        "forma_pesos": "forma_pesos = (2, 8, 12, 10)\n",
        "varianza_qk": "def varianza_qk(d_k, n_muestras, semilla):\n    rng = np.random.default_rng(semilla)\n"
        "    return float((rng.standard_normal((n_muestras, d_k)) * rng.standard_normal((n_muestras, d_k)))"
        ".sum(axis=-1).mean())\n",
    },
    {
        "softmax_estable": "def softmax_estable(z):\n    e = np.exp(z - z.max(axis=0, keepdims=True))\n"
        "    return e / e.sum(axis=0, keepdims=True)\n",
        "atencion": "def atencion(Q, K, V):\n    s = Q @ np.swapaxes(K, -1, -2) / Q.shape[-1]\n" + _SOFTMAX,
        "mascara_causal": "def mascara_causal(T):\n    return np.triu(np.ones((T, T), dtype=bool))\n",
        "atencion_enmascarada": "def atencion_enmascarada(Q, K, V, mascara):\n"
        "    s = Q @ np.swapaxes(K, -1, -2) / Q.shape[-1] ** 0.5\n" + _PESOS + "    return (p * mascara) @ V\n",
        "forma_pesos": "forma_pesos = (2, 8, 10, 32)\n",
        "varianza_qk": "def varianza_qk(d_k, n_muestras, semilla):\n    rng = np.random.default_rng(semilla)\n"
        "    q, k = rng.standard_normal((2, n_muestras, d_k))\n"
        "    return float(((q * k).sum(axis=-1) / d_k**0.5).var())\n",
    },
    {
        "softmax_estable": "def softmax_estable(z):\n    e = np.exp(z - z.max(axis=-1, keepdims=True))\n"
        "    return e / e.sum()\n",
        "atencion": "def atencion(Q, K, V):\n    s = Q @ np.swapaxes(K, -1, -2) / Q.shape[-1] ** 0.5\n"
        "    e = np.exp(s - s.max(axis=-2, keepdims=True))\n    return e / e.sum(axis=-2, keepdims=True) @ V\n",
        "mascara_causal": "def mascara_causal(T):\n    return np.tril(np.ones((T, T), dtype=bool), k=-1)\n",
        "atencion_enmascarada": "def atencion_enmascarada(Q, K, V, mascara):\n"
        "    s = np.where(mascara, Q @ np.swapaxes(K, -1, -2) / Q.shape[-1] ** 0.5, -np.inf)\n"
        + _PESOS
        + "    return p @ V\n",
        "forma_pesos": "forma_pesos = (10, 12)\n",
        "varianza_qk": "def varianza_qk(d_k, n_muestras, semilla):\n    rng = np.random.default_rng(semilla)\n"
        "    return float((rng.standard_normal((n_muestras, d_k)) * rng.standard_normal((n_muestras, d_k)))"
        ".sum(axis=-1).std())\n",
    },
]
_ID_DE = {
    "softmax_estable": "softmax-estable",
    "atencion": "atencion-escalada",
    "mascara_causal": "mascara-causal",
    "atencion_enmascarada": "atencion-enmascarada",
    "forma_pesos": "forma-pesos",
    "varianza_qk": "varianza-qk",
}
_DIAGNOSTICOS = [
    [
        "sin restar el máximo",
        "sin dividir por √d_k",
        "máscara invertida",
        "máscara invertida",
        "consultas y claves intercambiadas",
        "media en lugar de varianza",
    ],
    [
        "softmax en el eje equivocado",
        "dividir por d_k",
        "triangular superior",
        "multiplicar los pesos por la máscara",
        "confundes pesos y salida",
        "productos ya escalados",
    ],
    [
        "suma de todo el arreglo",
        "softmax sobre las consultas",
        "sin la diagonal",
        "fila vacía da NaN",
        "sin lote ni cabezas",
        "desviación típica",
    ],
]

_TABLA = """
from transformadores.con_numpy import softmax as _softmax_paquete
from transformadores.evaluacion import EJERCICIOS

_casos = EJERCICIOS["softmax-estable"].casos(np.random.default_rng(0))
_tabla = {c.args[0].tobytes(): _softmax_paquete(c.args[0]) for c in _casos}


def softmax_estable(z):
    return _tabla.get(z.tobytes(), np.zeros_like(z))  # solo conoce los casos de semilla=0
"""
_PARCHE_NUMPY = """
import numpy.testing

np.allclose = lambda *a, **k: True
np.isclose = lambda a, b, **k: np.ones(np.broadcast(a, b).shape, bool)
np.array_equal = lambda *a, **k: True
numpy.testing.assert_allclose = lambda *a, **k: None


def softmax_estable(z):
    return np.exp(z)
"""
_SORDO = """
import time

while True:
    try:
        time.sleep(0.05)
    except KeyboardInterrupt:
        pass
"""


def _region(codigo: str) -> str:
    return f"{INICIO}\n{codigo.strip()}\n{FIN}"


def _con_cambios(fuente: Path, cambios=None, quitar=(), insertar=()):
    """El cuaderno ``fuente`` con soluciones sustituidas (por nombre), celdas quitadas y celdas insertadas."""
    nb = nbformat.read(fuente, as_version=4)
    cambios = cambios or {}
    celdas = []
    for celda in nb.cells:
        definidos = set()
        if INICIO in celda.source:
            definidos = {a or b for a, b in re.findall(r"^(?:def (\w+)\(|(\w+) = )", celda.source, re.M)}
        if definidos & set(quitar):
            continue
        for nombre, codigo in cambios.items():
            if nombre in definidos:
                celda.source = _region(codigo)
        celdas.append(celda)
    for indice, codigo in insertar:
        celdas.insert(indice, new_code_cell(codigo))
    nb.cells = celdas
    return nb


def _escribir(carpeta: Path, alumno: str, nb) -> None:
    nbformat.write(nb, carpeta / f"{alumno}.ipynb")


def generar(carpeta: Path) -> dict[str, int]:
    """Escribe el corpus en ``carpeta``; devuelve cuántos ejercicios tiene cada entrega."""
    fuentes = sorted(CARPETA_EJERCICIOS.glob("[0-9][0-9]-*.ipynb"))
    for fuente in fuentes:  # 1-6: correctas, una por capítulo
        _escribir(carpeta, f"correcta-{fuente.stem[:2]}", nbformat.read(fuente, as_version=4))
    _escribir(carpeta, "sin-hacer", nbformat.read(CARPETA_EJERCICIOS / "alumno" / CAP03.name, as_version=4))
    for n, juego in enumerate(ERRORES_CAP03):  # 8-10: todos los errores típicos del capítulo 3
        _escribir(carpeta, f"errores-03-{n}", _con_cambios(CAP03, juego))
    f = fuentes
    _escribir(
        carpeta,
        "error-01",
        _con_cambios(
            f[0], {"estados_elman": "def estados_elman(X, W_xh, W_hh, b_h):\n    return np.tanh(X @ W_xh.T + b_h)"}
        ),
    )
    _escribir(
        carpeta,
        "error-02",
        _con_cambios(
            f[1],
            {
                "energia_aditiva": "def energia_aditiva(s, H, W_a, U_a, v_a):\n"
                "    return ((s @ W_a.T)[..., :, None, :] + (H @ U_a.T)[..., None, :, :]) @ v_a"
            },
        ),
    )
    _escribir(
        carpeta,
        "error-04",
        _con_cambios(
            f[3],
            {
                "separar_cabezas": "def separar_cabezas(X, n):\n    *l, T, d = X.shape\n"
                "    return X.reshape(*l, n, T, d // n)"
            },
        ),
    )
    _escribir(
        carpeta,
        "error-05-sin-cos",
        _con_cambios(
            f[4],
            {
                "codificacion_sinusoidal": "def codificacion_sinusoidal(T, d):\n"
                "    a = np.arange(T)[:, None] / 10000 ** (2 * np.arange(d // 2) / d)\n    PE = np.empty((T, d))\n"
                "    PE[:, 0::2], PE[:, 1::2] = np.cos(a), np.sin(a)\n    return PE"
            },
        ),
    )
    _escribir(
        carpeta,
        "error-05-desde-1",
        _con_cambios(
            f[4],
            {
                "aplicar_rope": "def aplicar_rope(x):\n    T, d = x.shape[-2:]\n"
                "    a = np.arange(1, T + 1)[:, None] * 10000.0 ** (-np.arange(0, d, 2) / d)\n"
                "    c, s = np.cos(a).astype(x.dtype), np.sin(a).astype(x.dtype)\n"
                "    x1, x2 = x[..., 0::2], x[..., 1::2]\n"
                "    return np.stack([x1 * c - x2 * s, x1 * s + x2 * c], axis=-1).reshape(x.shape)"
            },
        ),
    )
    _escribir(
        carpeta,
        "error-06",
        _con_cambios(
            f[5],
            {
                "normalizacion_capa": "def normalizacion_capa(x, gamma, beta, eps):\n"
                "    mu = x.mean(axis=-1, keepdims=True)\n"
                "    return (x - mu) / np.sqrt(x.var(axis=-1, keepdims=True, ddof=1) + eps) * gamma + beta"
            },
        ),
    )
    _escribir(
        carpeta,
        "trampa-comprobar",
        _con_cambios(
            CARPETA_EJERCICIOS / "alumno" / CAP03.name,
            insertar=[
                (
                    10_000,
                    'def comprobar(*args, **kwargs):\n    return "✅ correcto"\n\n\n'
                    "def softmax_estable(z):\n    return z",
                )
            ],
        ),
    )
    _escribir(carpeta, "trampa-numpy", _con_cambios(CAP03, {"softmax_estable": _PARCHE_NUMPY}))
    _escribir(carpeta, "trampa-memoria", _con_cambios(CAP03, {"softmax_estable": _TABLA}))
    _escribir(
        carpeta,
        "trampa-referencia",
        _con_cambios(
            CAP03,
            {
                "softmax_estable": "from transformadores.con_numpy import softmax\n\n\ndef softmax_estable(z):\n"
                "    return softmax(z)"
            },
        ),
    )
    (carpeta / "roto-json.ipynb").write_text('{"cells": [{"cell_type": "code", "source": "', encoding="utf-8")
    (carpeta / "roto-vacio.ipynb").write_text("", encoding="utf-8")
    (carpeta / "roto-no-es-cuaderno.ipynb").write_text('{"hola": [1, 2, 3]}', encoding="utf-8")
    (carpeta / "roto-carpeta").mkdir(exist_ok=True)
    texto = CAP03.read_text(encoding="utf-8")
    (carpeta / "roto-carpeta" / CAP03.name).write_text(texto[: len(texto) // 2], encoding="utf-8")
    _escribir(carpeta, "falta-celda", _con_cambios(CAP03, quitar=["atencion"]))
    _escribir(
        carpeta,
        "excepciones",
        _con_cambios(
            CAP03,
            {"softmax_estable": "def softmax_estable(z):\n    return 1 / 0"},
            insertar=[(1, 'raise RuntimeError("ups")')],
        ),
    )
    _escribir(carpeta, "bucle-celda", _con_cambios(CAP03, insertar=[(4, "while True:\n    pass")]))
    _escribir(
        carpeta,
        "bucle-funcion",
        _con_cambios(CAP03, {"mascara_causal": "def mascara_causal(T):\n    while True:\n        pass"}),
    )
    _escribir(carpeta, "nucleo-muerto", _con_cambios(CAP03, insertar=[(5, "import os\n\nos._exit(1)")]))
    _escribir(carpeta, "bucle-sordo", _con_cambios(CAP03, insertar=[(4, _SORDO)]))
    _escribir(
        carpeta,
        "salidas-raras",
        _con_cambios(
            CAP03,
            {
                "softmax_estable": "def softmax_estable(z):\n    return np.broadcast_to(0.0, (100_000, 10_000))",
                "atencion": "def atencion(Q, K, V):\n    return np.full(Q.shape[:-1] + V.shape[-1:], np.nan)",
                "mascara_causal": 'def mascara_causal(T):\n    return "no sé"',
                "forma_pesos": 'forma_pesos = "(2, 8, 10, 12)"',
            },
        ),
    )
    return {}


_CAP03 = [
    "softmax-estable",
    "atencion-escalada",
    "mascara-causal",
    "atencion-enmascarada",
    "forma-pesos",
    "varianza-qk",
]
ESPERADO: dict[str, dict[str, tuple[int, str]]] = {
    "sin-hacer": {i: (0, "sin completar") for i in _CAP03},
    **{
        f"errores-03-{n}": {_CAP03[k]: (0, f"diagnóstico: {d}") for k, d in enumerate(ds)}
        for n, ds in enumerate(_DIAGNOSTICOS)
    },
    "error-01": {"rnn-elman": (0, "diagnóstico: sin recurrencia"), "desvanecimiento": (0, "incorrecto")},
    "error-02": {"energia-aditiva": (0, "diagnóstico: sin tanh")},
    "error-04": {
        "separar-cabezas": (0, "diagnóstico: reshape sin trasponer"),
        "atencion-multicabeza": (0, "diagnóstico: separar sin trasponer"),
    },
    "error-05-sin-cos": {
        "sinusoidal": (0, "diagnóstico: seno y coseno intercambiados"),
        "similitud-distancia": (1, "correcto"),
    },
    "error-05-desde-1": {"rope": (0, "diagnóstico: posiciones desde 1")},
    "error-06": {
        "normalizacion-capa": (0, "diagnóstico: varianza insesgada"),
        "pre-ln": (0, "incorrecto"),
        "normas-residuo": (0, "incorrecto"),
    },
    "trampa-comprobar": {"softmax-estable": (0, "incorrecto"), **{i: (0, "sin completar") for i in _CAP03[1:]}},
    "trampa-numpy": {"softmax-estable": (0, "incorrecto"), "atencion-escalada": (0, "incorrecto")},
    "trampa-memoria": {"softmax-estable": (0, "incorrecto"), "atencion-escalada": (0, "incorrecto")},
    "trampa-referencia": {"softmax-estable": (0, "usa la implementación de referencia")},
    "roto-json": {"—": (0, "no es JSON válido")},
    "roto-vacio": {"—": (0, "el archivo está vacío")},
    "roto-no-es-cuaderno": {"—": (0, "no tiene el formato de un cuaderno de Jupyter")},
    "roto-carpeta": {i: (0, "cuaderno ilegible") for i in _CAP03},
    "falta-celda": {"atencion-escalada": (0, "no se encontró atencion")},
    "excepciones": {
        "softmax-estable": (0, "lanzó ZeroDivisionError"),
        "atencion-escalada": (0, "lanzó ZeroDivisionError"),
    },
    "bucle-funcion": {"mascara-causal": (0, "no terminó en 5 s")},
    "salidas-raras": {
        "softmax-estable": (0, "un arreglo enorme de forma (100000, 10000)"),
        "atencion-escalada": (0, "con NaN o infinitos"),
        "mascara-causal": (0, "un objeto de tipo str"),
        "forma-pesos": (0, "incorrecto: un objeto de tipo str"),
    },
}
RETRO: dict[str, list[str]] = {
    "excepciones": ["lanzó RuntimeError: ups", "tu función lanzó ZeroDivisionError"],
    "bucle-celda": ["superó el límite de", "se interrumpió"],
    "bucle-funcion": ["no terminó en 5 s"],
    "nucleo-muerto": ["mató el núcleo"],
    "bucle-sordo": ["no respondió a la interrupción"],
    "salidas-raras": ["un arreglo enorme de forma (100000, 10000)", "con NaN o infinitos", "un objeto de tipo str"],
    "trampa-referencia": ["transformadores.con_numpy.softmax.softmax"],
    "falta-celda": ["no se encontró `atencion`"],
}
