"""Ejecuta las celdas de una entrega en un núcleo nuevo, con límites de tiempo, y sobrevive a sus fallos.

Si una celda se cuelga, se interrumpe el núcleo; si no responde, o si el núcleo muere (``os._exit``,
falta de memoria…), se arranca otro y se vuelven a ejecutar las celdas sin la culpable, para poder
calificar lo demás. Todo lo que pasa se anota, en español, en ``Sesion.problemas``.
"""

from __future__ import annotations

import math
import os
import subprocess
import time
from pathlib import Path

from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat.v4 import new_code_cell, new_notebook

__all__ = ["Nucleo", "Sesion"]

MAX_REINICIOS = 3
ESPERA_INTERRUPCION_S = 5


class Nucleo:
    """Un núcleo de Python recién arrancado en ``carpeta``, con el entorno ``entorno``."""

    def __init__(self, carpeta: Path, entorno: dict[str, str]):
        self.cliente = NotebookClient(
            new_notebook(), kernel_name="python3", allow_errors=True, resources={"metadata": {"path": str(carpeta)}}
        )
        self.cliente.shutdown_kernel = "immediate"  # al terminar, sin esperas
        self.cliente.km = self.cliente.create_kernel_manager()
        self.cliente.start_new_kernel(
            env=entorno, cwd=str(carpeta), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self.cliente.start_new_kernel_client()

    def ejecutar(self, codigo: str, limite_s: float) -> tuple[str, str]:
        """``("ok" | "error" | "tiempo" | "muerto", detalle)`` de ejecutar ``codigo`` como una celda."""
        celda = new_code_cell(codigo)
        self.cliente.nb.cells = [celda]  # nbclient guarda la celda ejecutada en su cuaderno
        self.cliente.timeout = max(1, math.ceil(limite_s))
        try:
            self.cliente.execute_cell(celda, 0, store_history=False)
        except CellTimeoutError:
            return "tiempo", f"superó el límite de {self.cliente.timeout} s"
        except DeadKernelError:
            return "muerto", "el núcleo murió"
        except Exception as e:  # un fallo de la comunicación con el núcleo
            return "muerto", f"se perdió el núcleo ({type(e).__name__})"
        for salida in celda.outputs:
            if salida.get("output_type") == "error":
                return "error", f"{salida.get('ename', '?')}: {str(salida.get('evalue', ''))[:200]}"
        return "ok", ""

    def interrumpir(self) -> bool:
        """Interrumpe la celda en curso; True si el núcleo vuelve a responder."""
        try:
            self.cliente.km.interrupt_kernel()
        except Exception:
            return False
        return self.ejecutar("pass", ESPERA_INTERRUPCION_S)[0] == "ok"

    def cerrar(self) -> None:
        try:
            self.cliente._cleanup_kernel()
        except Exception:
            pass


def _primera_linea(codigo: str) -> str:
    linea = next((l.strip() for l in codigo.splitlines() if l.strip()), "")
    return linea if len(linea) <= 50 else linea[:49] + "…"


class Sesion:
    """Las celdas de código de una entrega ejecutándose en un núcleo, con un límite por celda y uno total."""

    def __init__(self, celdas: list[str], carpeta: Path, limite_celda: float, limite_total: float, entorno=None):
        self.celdas, self.carpeta = celdas, carpeta
        self.limite_celda, self.limite_total = limite_celda, limite_total
        self.entorno = dict(os.environ, **(entorno or {}))
        self.excluidas: set[int] = set()
        self.problemas: list[str] = []
        self.nucleo: Nucleo | None = None
        self.vivo = False

    def _anotar(self, texto: str) -> None:
        if texto not in self.problemas:
            self.problemas.append(texto)

    def _celda(self, i: int) -> str:
        return f"La celda de código {i + 1} («{_primera_linea(self.celdas[i])}»)"

    def preparar(self) -> bool:
        """Ejecuta las celdas; True si queda un núcleo vivo con lo que definen (aunque alguna haya fallado)."""
        for _ in range(MAX_REINICIOS + 1):
            self.cerrar()
            try:
                self.nucleo = Nucleo(self.carpeta, self.entorno)
            except Exception as e:
                self._anotar(f"No se pudo arrancar el núcleo ({type(e).__name__}: {e}).")
                return False
            if self._ejecutar_celdas():
                self.vivo = True
                return True
        self._anotar(f"Se abandonó la ejecución tras {MAX_REINICIOS} reinicios del núcleo.")
        return False

    def _ejecutar_celdas(self) -> bool:
        fin = time.monotonic() + self.limite_total
        for i, codigo in enumerate(self.celdas):
            if i in self.excluidas or not codigo.strip():
                continue
            restante = fin - time.monotonic()
            if restante <= 1:
                self._anotar(
                    f"Se agotó el tiempo total del cuaderno ({self.limite_total:g} s): desde la celda "
                    f"de código {i + 1} no se ejecutó nada."
                )
                return True
            estado, detalle = self.nucleo.ejecutar(codigo, min(self.limite_celda, restante))
            if estado == "error":
                self._anotar(f"{self._celda(i)} lanzó {detalle}.")
            elif estado == "tiempo":
                self._anotar(f"{self._celda(i)} {detalle} y se interrumpió (¿un bucle infinito?).")
                if not self.nucleo.interrumpir():
                    self._anotar(f"{self._celda(i)} no respondió a la interrupción: se reinició el núcleo sin ella.")
                    self.excluidas.add(i)
                    return False
            elif estado == "muerto":
                self._anotar(
                    f"{self._celda(i)} mató el núcleo (¿sys.exit, os._exit o falta de memoria?): se reinició sin ella."
                )
                self.excluidas.add(i)
                return False
        return True

    def ejecutar(self, codigo: str, limite_s: float) -> tuple[str, str]:
        """Ejecuta código del calificador en el núcleo; si se cuelga o muere, lo deja vivo otra vez si puede."""
        if not self.vivo:
            return "muerto", "no hay núcleo"
        estado, detalle = self.nucleo.ejecutar(codigo, limite_s)
        if estado == "tiempo" and not self.nucleo.interrumpir():
            self.vivo = self.preparar()
        elif estado == "muerto":
            self.vivo = self.preparar()
        return estado, detalle

    def cerrar(self) -> None:
        if self.nucleo is not None:
            self.nucleo.cerrar()
            self.nucleo = None
