"""Experimento del capítulo 9: un pequeño modelo de lenguaje en español, carácter a carácter.

Entrenamos un ``TransformadorSoloDecodificador`` diminuto (GPT-2 en miniatura: Pre-LN, GELU, posiciones
aprendidas) sobre la prosa del propio libro (:mod:`transformadores.datos.texto_libro`) con
``paso_entrenamiento_decodificador`` y el Adam de Vaswani. Medimos la perplejidad en el texto de
entrenamiento y en bloques reservados, frente a la de un modelo de unigramas (la frecuencia de
cada carácter), y generamos texto con varias temperaturas.

Los pesos entrenados (menos de 1 MB) se guardan en ``experimentos/pesos/lenguaje.pt`` junto con la
historia de la pérdida; :func:`entrenar_lenguaje` los reproduce (≈ 1 minuto con un hilo).
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch

from ..con_torch import TransformadorSoloDecodificador, optimizador_vaswani, paso_entrenamiento_decodificador
from ..configuracion import Configuracion
from ..datos.texto_libro import Vocabulario, corpus_libro, dividir_texto

__all__ = [
    "ConfigLenguaje",
    "preparar_datos",
    "crear_modelo",
    "entrenar_lenguaje",
    "perplejidad",
    "perplejidad_unigramas",
    "generar_texto",
    "guardar_modelo",
    "cargar_modelo",
    "RUTA_PESOS",
]

RUTA_PESOS = Path(__file__).with_name("pesos") / "lenguaje.pt"


@dataclass(frozen=True)
class ConfigLenguaje:
    """Hiperparámetros del experimento.

    Atributos
    ---------
    d_modelo, n_cabezas, d_ffn, n_capas, longitud : el modelo (``l_max = longitud``).
    pasos, lote, calentamiento, factor : entrenamiento con ventanas aleatorias de ``longitud`` caracteres
        y el calendario de Vaswani.
    cada_validacion : uno de cada ``cada_validacion`` bloques de 2000 caracteres no se ve al entrenar.
    semilla : fija la iniciación y el orden de las ventanas.
    """

    d_modelo: int = 64
    n_cabezas: int = 4
    d_ffn: int = 256
    n_capas: int = 2
    longitud: int = 64
    pasos: int = 360
    lote: int = 32
    calentamiento: int = 60
    factor: float = 1.0
    cada_validacion: int = 10
    semilla: int = 0


def preparar_datos(config: ConfigLenguaje = ConfigLenguaje(), texto: str | None = None):
    """``(vocabulario, entrenamiento, validacion)``: el texto del libro codificado y dividido."""
    texto = corpus_libro() if texto is None else texto
    vocabulario = Vocabulario()
    entrenamiento, validacion = dividir_texto(vocabulario.codificar(texto), config.cada_validacion)
    return vocabulario, entrenamiento, validacion


def _configuracion(config: ConfigLenguaje, n_vocab: int) -> Configuracion:
    return Configuracion.gpt2(
        n_vocab, l_max=config.longitud, d_modelo=config.d_modelo, n_cabezas=config.n_cabezas, d_ffn=config.d_ffn,
        n_capas_decodificador=config.n_capas, p_dropout=0.0,
    )  # fmt: skip


def crear_modelo(config: ConfigLenguaje, n_vocab: int) -> TransformadorSoloDecodificador:
    """El modelo sin entrenar, en ``float32``, con la iniciación fijada por ``config.semilla``."""
    generador = torch.Generator().manual_seed(config.semilla)
    return TransformadorSoloDecodificador(_configuracion(config, n_vocab), rng=generador, dtype=torch.float32)


def _ventanas(ids, n, longitud, rng):
    inicios = rng.integers(0, len(ids) - longitud + 1, n)
    return torch.from_numpy(np.stack([ids[i : i + longitud] for i in inicios]))  # (n, longitud)


def entrenar_lenguaje(config: ConfigLenguaje = ConfigLenguaje(), datos=None, cada: int = 20):
    """Entrena el modelo con ``config.pasos`` pasos de Alg. 13 de P&H y devuelve ``(modelo, historia)``.

    ``historia`` tiene ``paso``, ``perdida`` (media de los ``cada`` pasos anteriores), ``validacion``
    (pérdida en los bloques reservados) y ``segundos`` (el tiempo de entrenamiento).
    """
    vocabulario, entrenamiento, validacion = preparar_datos(config) if datos is None else datos
    modelo = crear_modelo(config, len(vocabulario))
    optimizador, calendario = optimizador_vaswani(modelo, config.calentamiento, config.factor)
    rng = np.random.default_rng(config.semilla)
    historia = {"paso": [], "perdida": [], "validacion": [], "segundos": 0.0}
    recientes, inicio = [], time.perf_counter()
    for paso in range(1, config.pasos + 1):
        x = _ventanas(entrenamiento, config.lote, config.longitud, rng)
        recientes.append(paso_entrenamiento_decodificador(modelo, optimizador, x, calendario=calendario))
        if paso % cada == 0 or paso == config.pasos:
            historia["paso"].append(paso)
            historia["perdida"].append(float(np.mean(recientes)))
            historia["validacion"].append(float(np.log(perplejidad(modelo, validacion, config.longitud))))
            recientes = []
    historia["segundos"] = time.perf_counter() - inicio
    return modelo, historia


@torch.no_grad()
def perplejidad(modelo, ids, longitud: int | None = None) -> float:
    """``exp`` de la entropía cruzada media por carácter en ventanas consecutivas de ``ids``.

    Cada ventana predice sus ``longitud - 1`` caracteres siguientes (el primero solo sirve de contexto).

    Formas
    ------
    ids : (n,), enteros    devuelve : un número ≥ 1
    """
    longitud = modelo.config.l_max if longitud is None else longitud
    n = (len(ids) // longitud) * longitud
    if n == 0:
        raise ValueError(f"'ids' debe tener al menos longitud={longitud} tokens, pero tiene {len(ids)}.")
    x = torch.from_numpy(np.asarray(ids[:n])).reshape(-1, longitud)  # (m, longitud)
    estaba = modelo.training
    modelo.eval()
    total = 0.0
    for bloque in x.split(64):
        logits = modelo(bloque, solo_logits=True)[:, :-1]  # (b, longitud - 1, N_V)
        total += torch.nn.functional.cross_entropy(
            logits.reshape(-1, logits.shape[-1]), bloque[:, 1:].reshape(-1), reduction="sum"
        ).item()
    modelo.train(estaba)
    return float(np.exp(total / (x.shape[0] * (longitud - 1))))


def perplejidad_unigramas(entrenamiento, evaluacion, n_vocab: int) -> float:
    """Perplejidad en ``evaluacion`` del modelo que ignora el contexto: ``P(c)`` = frecuencia de ``c`` (suavizada)."""
    cuentas = np.bincount(entrenamiento, minlength=n_vocab) + 1.0  # suavizado de Laplace
    log_p = np.log(cuentas / cuentas.sum())
    return float(np.exp(-log_p[evaluacion].mean()))


@torch.no_grad()
def generar_texto(modelo, vocabulario, inicio: str, n: int, tau: float = 1.0, k=None, p=None, semilla: int = 0):
    """``inicio`` seguido de ``n`` caracteres generados con el Alg. 14 de P&H (caché K/V, semilla fija)."""
    x = torch.from_numpy(vocabulario.codificar(inicio))[None]  # (1, T)
    n = min(n, modelo.config.l_max - x.shape[1])
    modelo.eval()
    y = modelo.generar(x, n, tau=tau, k=k, p=p, rng=torch.Generator().manual_seed(semilla))  # (1, n)
    return inicio + vocabulario.decodificar(y[0].numpy())


def guardar_modelo(modelo, historia, config: ConfigLenguaje, ruta: Path | str = RUTA_PESOS) -> None:
    """Guarda pesos, historia y configuración en un solo archivo (``torch.save``)."""
    Path(ruta).parent.mkdir(parents=True, exist_ok=True)
    estado = {k: v.detach().clone() for k, v in modelo.state_dict().items()}
    torch.save({"pesos": estado, "historia": json.dumps(historia), "config": asdict(config)}, ruta)


def cargar_modelo(ruta: Path | str = RUTA_PESOS, n_vocab: int | None = None):
    """``(modelo, historia, config)`` desde el archivo que escribió :func:`guardar_modelo`."""
    guardado = torch.load(ruta, weights_only=True)
    config = ConfigLenguaje(**guardado["config"])
    n_vocab = guardado["pesos"]["incrustacion.W_E"].shape[0] if n_vocab is None else n_vocab
    modelo = crear_modelo(config, n_vocab)
    modelo.load_state_dict(guardado["pesos"])
    modelo.eval()
    return modelo, json.loads(guardado["historia"]), config


if __name__ == "__main__":  # python -m transformadores.experimentos.lenguaje: reproduce los pesos guardados
    torch.set_num_threads(1)
    configuracion = ConfigLenguaje()
    modelo, historia = entrenar_lenguaje(configuracion)
    guardar_modelo(modelo, historia, configuracion)
    print(f"{historia['segundos']:.1f} s; pérdida de validación {historia['validacion'][-1]:.3f}")
