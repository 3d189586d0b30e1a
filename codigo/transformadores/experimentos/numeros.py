"""Experimento del capítulo 8: un codificador-decodificador diminuto aprende a escribir números en palabras.

Entrenamos el :class:`~transformadores.con_torch.TransformadorCodificadorDecodificador` del paquete con
forzado del profesor (:func:`~transformadores.con_torch.paso_entrenamiento_seq2seq`), Adam y el
calendario con calentamiento de Vaswani (:func:`~transformadores.con_torch.optimizador_vaswani`).
La entrada son las cuatro cifras de un número (``"1234"``) y la salida, sus palabras («mil
doscientos treinta y cuatro»). Medimos la exactitud de la frase completa, con decodificación
voraz, en números que el modelo **nunca** vio al entrenar.

También hay un experimento corto de modelado de lenguaje enmascarado (MLM) sobre las mismas frases:
:func:`entrenar_mlm_numeros` entrena un solo codificador con
:func:`~transformadores.con_torch.paso_entrenamiento_mlm` y compara su exactitud en los tokens
enmascarados con la de predecir siempre la palabra más frecuente.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import torch

from ..con_torch.modulos_transformador import TransformadorCodificadorDecodificador, TransformadorSoloCodificador
from ..con_torch.pasos_entrenamiento import optimizador_vaswani, paso_entrenamiento_mlm, paso_entrenamiento_seq2seq
from ..configuracion import Configuracion
from ..datos.numeros import NUMERO_MAXIMO, datos_numeros, en_palabras, vocabulario_numeros

__all__ = [
    "ConfigNumeros",
    "particion_numeros",
    "entrenar_numeros",
    "traducir",
    "exactitud_numeros",
    "ConfigMLM",
    "entrenar_mlm_numeros",
]

RELLENO, BOS, EOS = 0, 1, 2


@dataclass(frozen=True)
class ConfigNumeros:
    """Hiperparámetros del experimento de números en palabras.

    Atributos
    ---------
    n_prueba : números reservados (nunca vistos al entrenar) para medir la exactitud.
    d_modelo, n_cabezas, d_ffn, n_capas : el modelo (``n_capas`` en el codificador y en el decodificador).
    pasos, lote, calentamiento, factor : Adam de Vaswani con su calendario, lotes al azar del entrenamiento.
    semilla : fija la partición, la iniciación y los lotes.
    """

    n_prueba: int = 2000
    d_modelo: int = 48
    n_cabezas: int = 4
    d_ffn: int = 96
    n_capas: int = 2
    pasos: int = 350
    lote: int = 64
    calentamiento: int = 60
    factor: float = 1.0
    semilla: int = 0


def particion_numeros(n_prueba, semilla=0):
    """``(entrenamiento, prueba)``: los enteros 0…9999 barajados y separados; no comparten ninguno."""
    numeros = np.random.default_rng(semilla).permutation(NUMERO_MAXIMO + 1)
    return np.sort(numeros[n_prueba:]), np.sort(numeros[:n_prueba])


def _config_modelo(c: ConfigNumeros, n_vocab: int) -> Configuracion:
    return Configuracion(
        n_vocab=n_vocab, l_max=8, d_modelo=c.d_modelo, n_cabezas=c.n_cabezas, d_ffn=c.d_ffn,
        n_capas_codificador=c.n_capas, n_capas_decodificador=c.n_capas, p_dropout=0.0,
    )  # fmt: skip


def entrenar_numeros(c: ConfigNumeros = ConfigNumeros()):
    """Entrena el modelo; devuelve ``(modelo, historial)`` con la pérdida media por token de cada paso."""
    vocabulario = vocabulario_numeros()
    entrenamiento, _ = particion_numeros(c.n_prueba, c.semilla)
    z, x = (torch.from_numpy(a) for a in datos_numeros(entrenamiento, vocabulario))
    modelo = TransformadorCodificadorDecodificador(
        _config_modelo(c, len(vocabulario)), rng=torch.Generator().manual_seed(c.semilla)
    )
    optimizador, calendario = optimizador_vaswani(modelo, c.calentamiento, c.factor)
    generador = torch.Generator().manual_seed(c.semilla + 1)
    historial = []
    for _ in range(c.pasos):
        i = torch.randint(0, len(z), (c.lote,), generator=generador)
        historial.append(paso_entrenamiento_seq2seq(modelo, optimizador, z[i], x[i], ignorar=RELLENO,
                                                    calendario=calendario))  # fmt: skip
    return modelo.eval(), np.array(historial)


def traducir(modelo, numeros):
    """Decodificación voraz: la frase que el modelo escribe para cada entero de ``numeros``."""
    vocabulario = vocabulario_numeros()
    z, _ = datos_numeros(numeros, vocabulario)
    with torch.no_grad():
        salida = modelo.generar(torch.from_numpy(z), BOS, EOS, longitud_max=8).numpy()
    frases = []
    for fila in salida:
        palabras = []
        for t in fila[1:]:
            if t == EOS:
                break
            palabras.append(vocabulario[t])
        frases.append(" ".join(palabras))
    return frases


def exactitud_numeros(modelo, numeros):
    """Fracción de ``numeros`` cuya frase generada coincide exactamente con :func:`en_palabras`."""
    frases = traducir(modelo, numeros)
    return float(np.mean([f == en_palabras(int(n)) for f, n in zip(frases, numeros)]))


@dataclass(frozen=True)
class ConfigMLM:
    """Hiperparámetros del experimento de MLM sobre las frases de números (tokens = palabras)."""

    d_modelo: int = 64
    n_cabezas: int = 4
    d_ffn: int = 128
    n_capas: int = 2
    pasos: int = 200
    lote: int = 64
    p_mask: float = 0.15
    calentamiento: int = 50
    n_prueba: int = 2000
    semilla: int = 0


def entrenar_mlm_numeros(c: ConfigMLM = ConfigMLM()):
    """Entrena un solo codificador con MLM (P&H) sobre ``[bos, palabras…, eos]`` y lo evalúa.

    La exactitud se mide en los números de prueba (nunca vistos), enmascarando cada posición real
    con probabilidad ``p_mask``. La referencia unigrama predice siempre la palabra más frecuente
    del entrenamiento (entre las que pueden enmascararse). Devuelve un diccionario con
    ``exactitud_modelo``, ``exactitud_unigrama``, ``n_enmascarados``, ``segundos`` e ``historial``.
    """
    inicio = time.perf_counter()
    vocabulario = vocabulario_numeros() + ["[MASK]"]
    id_mascara = len(vocabulario) - 1
    entrenamiento, prueba = particion_numeros(c.n_prueba, c.semilla)
    x = torch.from_numpy(datos_numeros(entrenamiento, vocabulario)[1])
    x_prueba = torch.from_numpy(datos_numeros(prueba, vocabulario)[1])
    config = Configuracion.bert(
        len(vocabulario), l_max=8, d_modelo=c.d_modelo, n_cabezas=c.n_cabezas, d_ffn=c.d_ffn,
        n_capas_codificador=c.n_capas, p_dropout=0.0,
    )  # fmt: skip
    modelo = TransformadorSoloCodificador(config, rng=torch.Generator().manual_seed(c.semilla))
    optimizador, calendario = optimizador_vaswani(modelo, c.calentamiento)
    generador = torch.Generator().manual_seed(c.semilla + 1)
    rng = torch.Generator().manual_seed(c.semilla + 2)
    historial = []
    for _ in range(c.pasos):
        i = torch.randint(0, len(x), (c.lote,), generator=generador)
        historial.append(paso_entrenamiento_mlm(modelo, optimizador, x[i], id_mascara, c.p_mask,
                                                relleno=x[i] != RELLENO, calendario=calendario, rng=rng))  # fmt: skip
    modelo.eval()
    # Evaluación: máscara fija sobre los números de prueba (solo palabras, ni bos ni eos ni relleno).
    palabras = x_prueba > EOS
    seleccion = torch.rand(x_prueba.shape, generator=torch.Generator().manual_seed(c.semilla + 3)) < c.p_mask
    seleccion &= palabras
    x_tilde = torch.where(seleccion, id_mascara, x_prueba)
    with torch.no_grad():
        logits = modelo(x_tilde, x_prueba != RELLENO, solo_logits=True)
    prediccion = logits.argmax(-1)
    cuentas = torch.bincount(x[x > EOS], minlength=len(vocabulario))
    mas_frecuente = int(cuentas.argmax())
    objetivos = x_prueba[seleccion]
    return {
        "exactitud_modelo": float((prediccion[seleccion] == objetivos).float().mean()),
        "exactitud_unigrama": float((objetivos == mas_frecuente).float().mean()),
        "palabra_mas_frecuente": vocabulario[mas_frecuente],
        "n_enmascarados": int(seleccion.sum()),
        "segundos": time.perf_counter() - inicio,
        "historial": np.array(historial),
    }
