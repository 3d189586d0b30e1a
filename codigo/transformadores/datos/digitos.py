"""Dígitos manuscritos de 8×8 píxeles de scikit-learn, listos para un modelo de PyTorch (capítulos 10 y 12).

Son las 1797 imágenes de ``sklearn.datasets.load_digits`` (vienen con scikit-learn: no se descarga
nada). Cada píxel es un entero entre 0 y 16; aquí lo dividimos entre 16 para dejarlo en ``[0, 1]``.
La partición en entrenamiento y prueba es **estratificada** (cada clase conserva su proporción en
las dos partes) y depende solo de ``semilla``: dos llamadas con la misma semilla dan los mismos
conjuntos en cualquier máquina.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errores import ErrorDeForma

__all__ = ["Digitos", "cargar_digitos", "N_CLASES", "LADO"]

N_CLASES = 10
LADO = 8


@dataclass(frozen=True)
class Digitos:
    """Las dos particiones de los dígitos.

    Formas
    ------
    x_entrenamiento : (n_e, 1, 8, 8), float32 en [0, 1]    y_entrenamiento : (n_e,), int64 en [0, 10)
    x_prueba : (n_p, 1, 8, 8), float32 en [0, 1]           y_prueba : (n_p,), int64 en [0, 10)
    """

    x_entrenamiento: np.ndarray
    y_entrenamiento: np.ndarray
    x_prueba: np.ndarray
    y_prueba: np.ndarray

    def __repr__(self) -> str:
        return (
            f"Digitos(entrenamiento={len(self.y_entrenamiento)}, prueba={len(self.y_prueba)}, "
            f"imagen={self.x_prueba.shape[1:]})"
        )


def cargar_digitos(proporcion_prueba=0.25, semilla=0) -> Digitos:
    """Carga los dígitos de scikit-learn y los parte en entrenamiento y prueba, estratificados por clase.

    Parámetros
    ----------
    proporcion_prueba : fracción de las imágenes que se reserva para la prueba, en (0, 1).
    semilla : entero que fija la partición.

    Devuelve
    --------
    :class:`Digitos`, con imágenes ``(n, 1, 8, 8)`` (un canal, como espera ``nn.Conv2d``) en ``[0, 1]``.
    """
    if not isinstance(proporcion_prueba, (float, int)) or not 0 < proporcion_prueba < 1:
        raise ErrorDeForma(f"'proporcion_prueba' debe estar en (0, 1), pero se recibió {proporcion_prueba!r}.")
    if isinstance(semilla, bool) or not isinstance(semilla, (int, np.integer)) or semilla < 0:
        raise ErrorDeForma(f"'semilla' debe ser un entero ≥ 0, pero se recibió {semilla!r}.")
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    datos = load_digits()
    x = (datos.images / 16.0).astype(np.float32)[:, None]  # (1797, 1, 8, 8), en [0, 1]
    y = datos.target.astype(np.int64)  # (1797,)
    x_e, x_p, y_e, y_p = train_test_split(x, y, test_size=proporcion_prueba, stratify=y, random_state=int(semilla))
    return Digitos(x_e, y_e, x_p, y_p)
