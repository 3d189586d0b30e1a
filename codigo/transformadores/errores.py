"""Errores del paquete y la comprobación de formas con mensajes en español.

Todas las funciones públicas comprueban sus argumentos con :class:`Formas` antes de
calcular nada. Los mensajes nombran el argumento, la forma esperada con los símbolos
ya ligados y lo que se recibió, por ejemplo::

    'K' debe tener forma (..., S, d_k) con d_k=64 (tomado de 'Q'), pero se recibió (2, 5, 32).
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "ErrorDeForma",
    "Formas",
    "comprobar_forma",
    "comprobar_flotante",
    "comprobar_booleana",
    "comprobar_finito",
]


class ErrorDeForma(ValueError):
    """Un argumento no tiene la forma, el tipo de máscara o los valores esperados."""


def _como_tupla(forma: str | tuple) -> tuple:
    if isinstance(forma, str):
        return tuple(int(s) if s.isdigit() else s for s in forma.replace(",", " ").split())
    return tuple(forma)


def _texto_forma(forma: tuple) -> str:
    partes = [str(s) for s in forma]
    return "(" + ", ".join(partes) + ("," if len(partes) == 1 else "") + ")"


def _forma_de(nombre: str, x) -> tuple[int, ...]:
    forma = getattr(x, "shape", None)
    if forma is None:
        raise TypeError(
            f"'{nombre}' debe ser un arreglo de NumPy o un tensor de PyTorch, "
            f"pero se recibió un objeto de tipo {type(x).__name__}."
        )
    return tuple(int(n) for n in forma)


@dataclass
class Formas:
    """Liga los símbolos de las formas (``T``, ``d_k``…) a medida que se comprueban argumentos.

    El primer argumento que usa un símbolo fija su valor; los siguientes deben coincidir.
    Las dimensiones iniciales marcadas con ``...`` (lote, cabezas) deben ser difundibles
    entre sí.

    Ejemplos
    --------
    >>> f = Formas()
    >>> f.comprobar("Q", np.zeros((2, 5, 8)), "... T d_k")   # liga T=5, d_k=8
    >>> f.comprobar("K", np.zeros((2, 7, 8)), "... S d_k")   # liga S=7; d_k debe ser 8
    """

    valores: dict[str, int] = field(default_factory=dict)
    origen: dict[str, str] = field(default_factory=dict)
    lotes: dict[str, tuple[int, ...]] = field(default_factory=dict)

    def __getitem__(self, simbolo: str) -> int:
        return self.valores[simbolo]

    def fijar(self, simbolo: str, valor: int, origen: str) -> None:
        """Liga ``simbolo`` a ``valor`` antes de comprobar argumentos (p. ej. desde un hiperparámetro)."""
        self.valores[simbolo] = int(valor)
        self.origen[simbolo] = origen

    def comprobar(self, nombre: str, x, forma: str | tuple) -> tuple[int, ...]:
        """Comprueba que ``x`` tenga ``forma``; devuelve sus dimensiones iniciales (``...``)."""
        esperada = _como_tupla(forma)
        recibida = _forma_de(nombre, x)
        libre = bool(esperada) and esperada[0] == "..."
        fijas = esperada[1:] if libre else esperada
        if len(recibida) < len(fijas) or (not libre and len(recibida) != len(fijas)):
            self._fallar(nombre, esperada, recibida, "")
        inicio = len(recibida) - len(fijas)
        nuevas: dict[str, int] = {}
        for simbolo, n in zip(fijas, recibida[inicio:]):
            conocido = nuevas.get(simbolo, self.valores.get(simbolo)) if isinstance(simbolo, str) else simbolo
            if conocido is None:
                nuevas[simbolo] = n
            elif conocido != n:
                self._fallar(nombre, esperada, recibida, self._ligaduras(esperada, nuevas))
        for simbolo, n in nuevas.items():
            self.fijar(simbolo, n, nombre)
        lote = recibida[:inicio]
        if libre:
            self._comprobar_lote(nombre, lote)
        return lote

    def _comprobar_lote(self, nombre: str, lote: tuple[int, ...]) -> None:
        for otro, suyo in self.lotes.items():
            a, b = lote[::-1], suyo[::-1]
            if any(x != y and 1 not in (x, y) for x, y in zip(a, b)):
                raise ErrorDeForma(
                    f"Las dimensiones de lote de '{nombre}' {_texto_forma(lote)} no se pueden "
                    f"difundir con las de '{otro}' {_texto_forma(suyo)}."
                )
        self.lotes[nombre] = lote

    def _ligaduras(self, esperada: tuple, nuevas: dict[str, int]) -> str:
        partes = []
        for simbolo in dict.fromkeys(esperada):  # cada símbolo una vez, en orden
            if isinstance(simbolo, str) and simbolo in self.valores and simbolo not in nuevas:
                partes.append(f"{simbolo}={self.valores[simbolo]} (tomado de '{self.origen[simbolo]}')")
        return (" con " + ", ".join(partes)) if partes else ""

    def _fallar(self, nombre, esperada, recibida, ligaduras) -> None:
        if not ligaduras:
            ligaduras = self._ligaduras(esperada, {})
        raise ErrorDeForma(
            f"'{nombre}' debe tener forma {_texto_forma(esperada)}{ligaduras}, "
            f"pero se recibió {_texto_forma(recibida)}."
        )


def comprobar_forma(nombre: str, x, forma: str | tuple) -> tuple[int, ...]:
    """Comprueba la forma de un único argumento (atajo de :meth:`Formas.comprobar`)."""
    return Formas().comprobar(nombre, x, forma)


def _es_tensor(x) -> bool:
    return hasattr(x, "is_floating_point")


def comprobar_flotante(nombre: str, x) -> None:
    """Lanza ``TypeError`` si ``x`` no es un arreglo o tensor de coma flotante."""
    _forma_de(nombre, x)
    flotante = x.is_floating_point() if _es_tensor(x) else x.dtype.kind == "f"
    if not flotante:
        raise TypeError(f"'{nombre}' debe ser de coma flotante (float32, float64…), pero se recibió dtype {x.dtype}.")


def comprobar_booleana(nombre: str, m) -> None:
    """Lanza ``TypeError`` si la máscara ``m`` no es booleana (True = puede atender)."""
    _forma_de(nombre, m)
    booleana = str(m.dtype) in ("bool", "torch.bool")
    if not booleana:
        raise TypeError(
            f"'{nombre}' debe ser una máscara booleana (True = puede atender), pero se recibió dtype {m.dtype}."
        )


def comprobar_finito(nombre: str, x) -> None:
    """Lanza ``ErrorDeForma`` si ``x`` contiene NaN o infinitos (nunca se propagan en silencio)."""
    import numpy as np

    finito = bool(x.isfinite().all()) if _es_tensor(x) else bool(np.isfinite(x).all())
    if not finito:
        raise ErrorDeForma(f"'{nombre}' contiene NaN o infinitos; revisa los datos de entrada.")
