"""Calificación de los cuadernos de un alumno: ejecutar, pasar los casos ocultos, comparar fuera del núcleo."""

from __future__ import annotations

import re
import secrets
import tempfile
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import numpy as np

from . import arnes
from .alumnos import ids_de
from .comprobador import Resultado, evaluar, resultado_fallido
from .ejercicios import EJERCICIOS, Ejercicio, por_capitulo
from .nucleo import Sesion
from .tipos import firmas_prohibidas

__all__ = ["Opciones", "InformeCuaderno", "InformeAlumno", "calificar_alumno", "calificar_cuaderno", "informe_de_fallo"]

_FUENTE_ARNES = Path(arnes.__file__).read_text(encoding="utf-8")


@dataclass(frozen=True)
class Opciones:
    """Cómo se califica: semilla de los casos ocultos, capítulos forzados y límites de tiempo (segundos)."""

    semilla: int = 0
    capitulos: tuple[int, ...] = ()
    limite_total: float = 180.0  # para ejecutar todas las celdas del cuaderno
    limite_celda: float = 30.0
    limite_ejercicio: float = 20.0  # para pasar los casos ocultos de un ejercicio
    limite_caso: float = 5.0


@dataclass
class InformeCuaderno:
    nombre: str
    resultados: list[Resultado]
    problemas: list[str] = field(default_factory=list)


@dataclass
class InformeAlumno:
    alumno: str
    cuadernos: list[InformeCuaderno]
    segundos: float = 0.0

    @property
    def filas(self) -> list[dict]:
        filas = []
        for c in self.cuadernos:
            for r in c.resultados:
                filas.append(
                    dict(
                        alumno=self.alumno,
                        ejercicio=r.ejercicio,
                        puntos=r.puntos,
                        máximo=r.maximo,
                        comentario=r.resumen,
                    )
                )
            if not c.resultados:
                motivo = "; ".join(c.problemas) or "no contiene ejercicios conocidos"
                filas.append(
                    dict(alumno=self.alumno, ejercicio="—", puntos=0, máximo=0, comentario=f"{c.nombre}: {motivo}")
                )
        return filas


def _leer(ruta: Path):
    """``(cuaderno, None)`` o ``(None, motivo)``: archivo vacío, JSON corrupto, algo que no es un cuaderno…"""
    try:
        if ruta.stat().st_size == 0:
            return None, "el archivo está vacío"
        nb = nbformat.read(ruta, as_version=4)
        if not all(isinstance(c.get("source"), str) and "cell_type" in c for c in nb.cells):
            return None, "hay celdas sin tipo o sin código"
        return nb, None
    except Exception as e:
        if type(e).__name__ in ("NotJSONError", "JSONDecodeError", "UnicodeDecodeError"):
            return None, "no es JSON válido"
        return None, "no tiene el formato de un cuaderno de Jupyter"


def ejercicios_de(nb, ruta: Path, opciones: Opciones) -> list[Ejercicio]:
    """Qué ejercicios se califican: los capítulos pedidos, los del cuaderno o los que indica su nombre («03-…»)."""
    if opciones.capitulos:
        return [e for c in opciones.capitulos for e in por_capitulo(c)]
    ids: list = []
    if nb is not None:
        meta = nb.metadata.get("transformadores", {})
        ids = meta.get("ejercicios", []) if isinstance(meta, dict) else []
        if not (isinstance(ids, list) and ids and all(i in EJERCICIOS for i in ids)):
            ids = [i for i in ids_de(nb) if i in EJERCICIOS]
    if ids:
        return [EJERCICIOS[i] for i in ids]
    numero = re.match(r"(\d\d)-", ruta.name)
    return por_capitulo(int(numero.group(1))) if numero else []


def _entorno(carpeta: Path) -> dict[str, str]:
    return {
        "HOME": str(carpeta),
        "TRANSFORMADORES_PROGRESO": str(carpeta / "progreso.json"),
        "TRANSFORMADORES_CALIFICANDO": "1",
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "MPLBACKEND": "Agg",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    }


def _llamada(ej: Ejercicio, entrada: str, salida: str, opciones: Opciones) -> str:
    """Código de la celda que define el arnés (siempre de nuevo: el alumno no puede sustituirlo) y lo ejecuta."""
    argumentos = (
        entrada,
        salida,
        ej.nombre,
        ej.tipo,
        firmas_prohibidas(ej),
        opciones.limite_caso,
        opciones.limite_ejercicio,
    )
    return (
        "def _transformadores_arnes(fuente):\n"
        "    import types\n"
        "    modulo = types.ModuleType('transformadores_arnes')\n"
        "    exec(compile(fuente, '<arnes>', 'exec'), modulo.__dict__)\n"
        "    return modulo\n"
        f"_transformadores_arnes({_FUENTE_ARNES!r}).calificar_en_nucleo(globals(), *{argumentos!r})\n"
    )


def _calificar_ejercicio(sesion: Sesion, ej: Ejercicio, alumno: str, carpeta: Path, opciones: Opciones) -> Resultado:
    rng = np.random.default_rng([opciones.semilla, zlib.crc32(alumno.encode()), zlib.crc32(ej.id.encode())])
    casos = ej.casos(rng)  # casos ocultos: la semilla se elige al calificar
    token = secrets.token_hex(8)
    entrada, salida = str(carpeta / f"entrada-{token}"), str(carpeta / f"salida-{token}")
    arreglos: dict = {}
    datos = {
        "casos": [
            [arnes.codificar(a, arreglos, f"c{i}_{j}") for j, a in enumerate(c.args)] for i, c in enumerate(casos)
        ]
    }
    arnes.guardar(entrada, datos, arreglos)
    estado, _ = sesion.ejecutar(_llamada(ej, entrada, salida, opciones), opciones.limite_ejercicio + 15)
    try:
        respuesta, salidas_npz = arnes.cargar(salida)
    except Exception:
        if estado == "tiempo":
            return resultado_fallido(
                ej,
                f"tu respuesta no terminó a tiempo ({opciones.limite_ejercicio:g} s).",
                "tiempo agotado al comprobarla",
            )
        if estado == "muerto":
            return resultado_fallido(
                ej, "el núcleo murió mientras se comprobaba tu respuesta.", "el núcleo murió al comprobarla"
            )
        return resultado_fallido(
            ej,
            "no se pudieron leer las salidas de tu respuesta (¿modificaste numpy o el entorno?).",
            "salidas ilegibles",
        )
    return _interpretar(ej, casos, respuesta, salidas_npz)


def _interpretar(ej: Ejercicio, casos, respuesta: dict, salidas_npz: dict) -> Resultado:
    estado = respuesta.get("estado") if isinstance(respuesta, dict) else None
    if estado == "no_encontrado":
        return resultado_fallido(
            ej,
            f"no se encontró `{ej.nombre}` en el cuaderno (¿borraste o renombraste su celda, o falló al ejecutarse?).",
            f"no se encontró {ej.nombre}",
            "sin completar",
        )
    if estado == "no_invocable":
        tipo = str(respuesta.get("tipo", "?"))[:40]
        return resultado_fallido(
            ej, f"`{ej.nombre}` debería ser una función, pero es un {tipo}.", f"{ej.nombre} no es una función"
        )
    if estado != "ok":
        motivo = str(respuesta.get("mensaje", ""))[:200] if isinstance(respuesta, dict) else ""
        return resultado_fallido(ej, f"no se pudo ejecutar tu respuesta ({motivo}).", "error al calificar")
    try:
        salidas = [arnes.decodificar(d, salidas_npz) for d in respuesta["salidas"]]
        usadas = [str(u)[:100] for u in respuesta.get("usadas", [])]
    except Exception:
        return resultado_fallido(ej, "las salidas de tu respuesta están dañadas.", "salidas ilegibles")
    if len(salidas) != len(casos):
        return resultado_fallido(ej, "faltan salidas de tu respuesta.", "salidas incompletas")
    return evaluar(ej, casos, salidas, usadas)


def calificar_cuaderno(alumno: str, ruta: Path, opciones: Opciones) -> InformeCuaderno:
    """Ejecuta un cuaderno en un núcleo nuevo y califica sus ejercicios con casos ocultos."""
    nb, error = _leer(ruta)
    ejercicios = ejercicios_de(nb, ruta, opciones)
    if nb is None:
        problema = f"No se pudo leer el cuaderno: {error}."
        resultados = [resultado_fallido(ej, problema, f"cuaderno ilegible: {error}") for ej in ejercicios]
        return InformeCuaderno(ruta.name, resultados, [problema])
    celdas = [c.source for c in nb.cells if c.cell_type == "code"]
    resultados: list[Resultado] = []
    with tempfile.TemporaryDirectory(prefix="calificar-") as tmp:
        carpeta = Path(tmp)
        sesion = Sesion(celdas, carpeta, opciones.limite_celda, opciones.limite_total, _entorno(carpeta))
        try:
            vivo = sesion.preparar()
            fin = time.monotonic() + len(ejercicios) * (opciones.limite_ejercicio + 15) + 60
            for ej in ejercicios:
                if not vivo or not sesion.vivo:
                    resultados.append(
                        resultado_fallido(
                            ej, "no se pudo ejecutar el cuaderno para calificarlo.", "el cuaderno no se pudo ejecutar"
                        )
                    )
                elif time.monotonic() > fin:
                    resultados.append(resultado_fallido(ej, "se agotó el tiempo de calificación.", "tiempo agotado"))
                else:
                    resultados.append(_calificar_ejercicio(sesion, ej, alumno, carpeta, opciones))
        finally:
            sesion.cerrar()
    return InformeCuaderno(ruta.name, resultados, sesion.problemas)


def calificar_alumno(alumno: str, rutas: list[Path], opciones: Opciones) -> InformeAlumno:
    """Califica todos los cuadernos de un alumno (se ejecuta en un proceso aparte)."""
    inicio = time.perf_counter()
    cuadernos = [calificar_cuaderno(alumno, r, opciones) for r in rutas]
    return InformeAlumno(alumno, cuadernos, time.perf_counter() - inicio)


def informe_de_fallo(alumno: str, rutas: list[Path], opciones: Opciones, motivo: str) -> InformeAlumno:
    """Un informe sin puntos cuando el propio calificador falla con este alumno."""
    cuadernos = []
    for ruta in rutas:
        resultados = [resultado_fallido(ej, motivo + ".", motivo) for ej in ejercicios_de(None, ruta, opciones)]
        cuadernos.append(InformeCuaderno(ruta.name, resultados, [motivo]))
    return InformeAlumno(alumno, cuadernos)
