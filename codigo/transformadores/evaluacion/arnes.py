"""Arnés que ejecuta la respuesta del lector: límite de tiempo, vigilancia y serialización segura.

Este módulo solo usa la biblioteca estándar y NumPy, porque el calificador envía su código fuente
al núcleo del alumno (``calificar_en_nucleo``) y allí no se puede confiar en nada más. Lo usan
también ``comprobar`` (en el mismo proceso) y el calificador (al leer las salidas, sin ``pickle``:
JSON y ``.npz`` con ``allow_pickle=False``).
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
import warnings
import zipfile

import numpy as np

LIMITE_ELEMENTOS = 10_000_000  # una salida mayor no se copia ni se guarda: solo se informa de su forma
LIMITE_BYTES = 200_000_000  # tamaño máximo de un archivo de salidas que el calificador acepta leer


class TiempoAgotado(BaseException):
    """La respuesta superó su límite de tiempo (BaseException: un ``except Exception`` no la atrapa)."""


class Fallo:
    """Una llamada que no devolvió nada: ``tipo`` es el de la excepción, o ``"tiempo"``."""

    __slots__ = ("tipo", "mensaje")

    def __init__(self, tipo: str, mensaje: str = ""):
        self.tipo, self.mensaje = tipo, mensaje

    def __repr__(self) -> str:
        return f"Fallo({self.tipo!r}, {self.mensaje!r})"


class Opaco:
    """Una salida que no se puede comparar ni copiar (un objeto no numérico o un arreglo enorme)."""

    __slots__ = ("descripcion", "forma")

    def __init__(self, descripcion: str, forma: tuple | None = None):
        self.descripcion, self.forma = descripcion, forma


def _texto(e: BaseException) -> str:
    try:
        return str(e)[:300]
    except BaseException:  # un __str__ malicioso o roto
        return "(mensaje ilegible)"


def con_limite(funcion, args, limite_s: float | None):
    """``funcion(*args)``; lanza ``TiempoAgotado`` si tarda más de ``limite_s`` segundos.

    Usa ``SIGALRM``: solo vigila en el hilo principal de sistemas POSIX (en otro caso, sin límite).
    """
    principal = threading.current_thread() is threading.main_thread()
    if not limite_s or not principal or not hasattr(signal, "setitimer"):
        return funcion(*args)
    estado = {"dentro": True}

    def manejador(signum, frame):
        if estado["dentro"]:
            raise TiempoAgotado

    inicio = time.monotonic()
    anterior = signal.signal(signal.SIGALRM, manejador)
    pendiente, _ = signal.setitimer(signal.ITIMER_REAL, limite_s)
    try:
        return funcion(*args)
    finally:
        estado["dentro"] = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, anterior)
        if pendiente:  # había un temporizador exterior: lo reponemos con lo que le quedaba
            signal.setitimer(signal.ITIMER_REAL, max(pendiente - (time.monotonic() - inicio), 1e-3))


class vigilar:
    """Contexto que anota qué funciones prohibidas (``(archivo, línea, nombre)``) se ejecutan dentro."""

    def __init__(self, firmas):
        self._firmas = {(a, int(l)): n for a, l, n in firmas}
        self.usadas: set[str] = set()

    def _perfil(self, frame, evento, arg):
        if evento == "call":
            c = frame.f_code
            nombre = self._firmas.get((c.co_filename, c.co_firstlineno))
            if nombre:
                self.usadas.add(nombre)

    def __enter__(self):
        if self._firmas:
            self._anterior = sys.getprofile()
            sys.setprofile(self._perfil)
        return self

    def __exit__(self, *exc):
        if self._firmas:
            sys.setprofile(self._anterior)
        return False


def _copias(args) -> tuple:
    return tuple(a.copy() if isinstance(a, np.ndarray) else a for a in args)


def llamar(funcion, args, limite_s: float | None):
    """El valor de ``funcion(*copias de args)`` o un ``Fallo``; nunca propaga lo que lance la respuesta."""
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return con_limite(funcion, _copias(args), limite_s)
    except TiempoAgotado:
        return Fallo("tiempo", f"no terminó en {limite_s:g} s")
    except (Exception, SystemExit, GeneratorExit) as e:
        return Fallo(type(e).__name__, _texto(e))


def ejecutar_casos(funcion, casos_args, firmas=(), limite_caso=5.0, limite_total=30.0):
    """Llama a ``funcion`` en cada caso; tras un tiempo agotado no ejecuta los siguientes.

    Devuelve ``(salidas, usadas)``: una salida (o ``Fallo``) por caso y los nombres de las
    funciones prohibidas que se ejecutaron.
    """
    salidas, fin = [], time.monotonic() + limite_total
    with vigilar(firmas) as v:
        for args in casos_args:
            restante = fin - time.monotonic()
            if restante <= 0 or (salidas and isinstance(salidas[-1], Fallo) and salidas[-1].tipo == "tiempo"):
                salidas.append(Fallo("tiempo", "no se ejecutó: se agotó el tiempo en un caso anterior"))
                continue
            salidas.append(llamar(funcion, args, min(limite_caso, restante)))
    return salidas, sorted(v.usadas)


def a_numpy(x):
    """Tensor de PyTorch (o similar) → arreglo de NumPy; cualquier otra cosa, tal cual."""
    if hasattr(x, "detach") and hasattr(x, "numpy"):
        try:
            return x.detach().cpu().numpy()
        except Exception:
            return Opaco(f"un tensor de tipo {getattr(x, 'dtype', '?')}")
    return x


def codificar(x, arreglos: dict, clave: str, profundidad: int = 0) -> dict:
    """Descriptor JSON de ``x``; los arreglos van a ``arreglos`` (luego a un ``.npz``)."""
    x = a_numpy(x)
    if x is None or x is Ellipsis:
        return {"t": "ninguno"}
    if isinstance(x, Fallo):
        return {"t": "fallo", "tipo": x.tipo, "mensaje": x.mensaje}
    if isinstance(x, Opaco):
        return {"t": "opaco", "descripcion": x.descripcion, "forma": x.forma}
    if isinstance(x, (bool, int, float, str)) and type(x) in (bool, int, float, str):
        return {"t": "py", "v": x}
    if isinstance(x, (list, tuple)) and (len(x) > 64 or profundidad >= 3):
        try:
            x = np.asarray(x)
        except Exception:
            return {"t": "opaco", "descripcion": f"un objeto de tipo {type(x).__name__}", "forma": None}
    if isinstance(x, (list, tuple)):
        elementos = [codificar(y, arreglos, f"{clave}_{i}", profundidad + 1) for i, y in enumerate(x)]
        return {"t": "tupla" if isinstance(x, tuple) else "lista", "e": elementos}
    if isinstance(x, (np.generic, np.ndarray)):
        x = np.asarray(x)  # también quita subclases (matrix, masked…)
    if isinstance(x, np.ndarray):
        if x.size > LIMITE_ELEMENTOS:
            return {"t": "opaco", "descripcion": f"un arreglo enorme de forma {x.shape}", "forma": list(x.shape)}
        if x.dtype.kind not in "biuf":
            return {"t": "opaco", "descripcion": f"un arreglo de tipo {x.dtype}", "forma": list(x.shape)}
        arreglos[clave] = x
        return {"t": "arreglo", "k": clave}
    return {"t": "opaco", "descripcion": f"un objeto de tipo {type(x).__name__}", "forma": None}


def decodificar(d: dict, arreglos):
    """Inversa de :func:`codificar`."""
    t = d["t"]
    if t == "ninguno":
        return None
    if t == "fallo":
        return Fallo(str(d["tipo"]), str(d.get("mensaje", "")))
    if t == "opaco":
        forma = d.get("forma")
        return Opaco(str(d["descripcion"]), None if forma is None else tuple(int(n) for n in forma))
    if t == "py":
        return d["v"]
    if t in ("tupla", "lista"):
        elementos = [decodificar(e, arreglos) for e in d["e"]]
        return tuple(elementos) if t == "tupla" else elementos
    if t == "arreglo":
        return arreglos[d["k"]]
    raise ValueError(f"descriptor desconocido: {t!r}")


def guardar(base: str, datos: dict, arreglos: dict) -> None:
    """Escribe ``base.npz`` y después, de forma atómica, ``base.json`` (su presencia indica que está completo)."""
    with open(base + ".npz", "wb") as f:
        np.savez(f, **arreglos)
    with open(base + ".json.tmp", "w", encoding="utf-8") as f:
        json.dump(datos, f)
    os.replace(base + ".json.tmp", base + ".json")


def cargar(base: str):
    """Lee lo que escribió :func:`guardar` sin ``pickle`` y con límites de tamaño; ``(datos, arreglos)``."""
    if os.path.getsize(base + ".json") > LIMITE_BYTES or os.path.getsize(base + ".npz") > LIMITE_BYTES:
        raise ValueError("archivo de salidas demasiado grande")
    with zipfile.ZipFile(base + ".npz") as z:
        if sum(i.file_size for i in z.infolist()) > LIMITE_BYTES:
            raise ValueError("archivo de salidas demasiado grande")
    with open(base + ".json", encoding="utf-8") as f:
        datos = json.load(f)
    with np.load(base + ".npz", allow_pickle=False) as npz:
        arreglos = {k: npz[k] for k in npz.files}
    return datos, arreglos


def calificar_en_nucleo(espacio, entrada, salida, nombre, tipo, firmas, limite_caso, limite_total) -> str:
    """Se ejecuta DENTRO del núcleo del alumno: corre su respuesta en los casos de ``entrada``.

    ``espacio`` es el espacio de nombres del cuaderno. Escribe en ``salida`` el estado, las salidas
    (codificadas) y las funciones prohibidas que se usaron. Las respuestas esperadas no están aquí:
    las calcula el calificador fuera de este núcleo.
    """
    resultado: dict = {"estado": "ok", "salidas": [], "usadas": []}
    arreglos: dict = {}
    try:
        datos, entradas = cargar(entrada)
        casos = [tuple(decodificar(a, entradas) for a in args) for args in datos["casos"]]
        objeto = espacio.get(nombre)
        if nombre not in espacio:
            resultado["estado"] = "no_encontrado"
        elif tipo == "valor":
            resultado["salidas"] = [codificar(objeto, arreglos, "s0")]
        elif not callable(objeto):
            resultado = {"estado": "no_invocable", "tipo": type(objeto).__name__, "salidas": [], "usadas": []}
        else:
            salidas, usadas = ejecutar_casos(objeto, casos, firmas, limite_caso, limite_total)
            resultado["salidas"] = [codificar(s, arreglos, f"s{i}") for i, s in enumerate(salidas)]
            resultado["usadas"] = usadas
    except BaseException as e:  # también una interrupción del calificador
        resultado, arreglos = {"estado": "error_arnes", "mensaje": f"{type(e).__name__}: {_texto(e)}"}, {}
    guardar(salida, resultado, arreglos)
    return resultado["estado"]
