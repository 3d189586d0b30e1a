"""Experimento del capítulo 13: un Decision Transformer diminuto en la rejilla de ``datos.entornos``.

1. Un conjunto **fuera de línea** de episodios de tres políticas de comportamiento de distinta calidad
   (aleatoria, a medias y buena): el modelo nunca juega mientras aprende.
2. Un :class:`DecisionTransformer`: cada paso aporta tres tokens, ``(R̂_t, s_t, a_t)``
   (ec. `decision-transformer-tokens`), un decodificador causal los procesa y la acción ``a_t`` se
   predice en la posición del token ``s_t`` (ec. `decision-transformer-perdida`).
3. En la evaluación pedimos un **retorno objetivo** y descontamos lo que se va consiguiendo
   (ec. `decision-transformer-evaluacion`): ¿obtiene más quien pide más?
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ..con_torch.mascaras import mascara_causal
from ..con_torch.modulos_bloques import ConexionResidual, NormalizacionCapa, RedPosicional
from ..con_torch.modulos_multicabeza import AtencionMultiCabeza
from ..con_torch.refuerzo import (
    decision_transformer_perdida,
    decision_transformer_tokens,
    evaluar_decision_transformer,
    retorno_por_obtener,
)
from ..datos.entornos import POLITICAS, Rejilla, Trayectoria, conjunto_fuera_de_linea

__all__ = [
    "ConfigRefuerzo",
    "DecisionTransformer",
    "DatosRefuerzo",
    "preparar_datos",
    "lote_de_ventanas",
    "entrenar_decision_transformer",
    "politica_decision_transformer",
    "jugar_con_objetivo",
    "jugar_en_paralelo",
    "evaluar_objetivos",
    "retornos_por_politica",
    "tabla_objetivos",
]


@dataclass(frozen=True)
class ConfigRefuerzo:
    """Hiperparámetros del experimento.

    Atributos
    ---------
    n_por_politica : episodios de cada política de comportamiento en el conjunto fuera de línea.
    K : pasos de contexto (el modelo ve ``3K`` tokens).
    d_modelo, n_cabezas, n_capas, d_ff : el decodificador causal (Pre-LN).
    pasos, lote, tasa : entrenamiento con AdamW sobre ventanas de ``K`` pasos tomadas al azar.
    semilla : fija los datos, la iniciación y el orden de los lotes.
    """

    n_por_politica: int = 300
    K: int = 6
    d_modelo: int = 32
    n_cabezas: int = 2
    n_capas: int = 2
    d_ff: int = 64
    pasos: int = 300
    lote: int = 64
    tasa: float = 2e-3
    semilla: int = 0


class BloqueCausal(nn.Module):
    """``X ← X + MultiCabeza(LN(X))`` con máscara causal y ``X ← X + FFN(LN(X))`` (Pre-LN, como GPT-2)."""

    def __init__(self, d_modelo, n_cabezas, d_ff):
        super().__init__()
        self.atencion = AtencionMultiCabeza(d_modelo, n_cabezas)
        self.red = RedPosicional(d_modelo, d_ff, activacion="gelu")
        self.residuo_atencion = ConexionResidual(d_modelo, pre_ln=True)
        self.residuo_red = ConexionResidual(d_modelo, pre_ln=True)

    def forward(self, X, mascara):
        X = self.residuo_atencion(X, lambda u: self.atencion(u, mascara=mascara))  # (B, 3K, d)
        return self.residuo_red(X, self.red)  # (B, 3K, d)


class DecisionTransformer(nn.Module):
    """Decision Transformer para estados y acciones discretos (Chen et al., 2021).

    Tokens ``u^R_t = W_R R̂_t + ω_t``, ``u^s_t = W_s s_t + ω_t``, ``u^a_t = W_a a_t + ω_t`` intercalados
    (ec. `decision-transformer-tokens`), una normalización de capa, ``n_capas`` bloques causales y una
    cabeza lineal que da los logits de la acción en cada posición; solo se leen los de los tokens ``s_t``.

    Parámetros
    ----------
    d_s : dimensión de los estados (one-hot)    n_acciones : número de acciones
    T_max : pasos temporales distintos (el horizonte)    escala_retorno : ``R̂`` se divide por ella

    Formas
    ------
    R : (B, K), retornos por obtener    s : (B, K, d_s)    a : (B, K, n_acciones), one-hot (ceros si se desconoce)
    pasos : (B, K), enteros en [0, T_max)    salida : (B, 3K, n_acciones), logits
    """

    def __init__(self, d_s, n_acciones, T_max, d_modelo=32, n_cabezas=2, n_capas=2, d_ff=64, escala_retorno=1.0):
        super().__init__()
        self.n_acciones, self.escala_retorno = n_acciones, float(escala_retorno)
        self.W_R, self.W_s, self.W_a = nn.Linear(1, d_modelo), nn.Linear(d_s, d_modelo), nn.Linear(n_acciones, d_modelo)
        self.W_t = nn.Embedding(T_max, d_modelo)  # ω_t: un vector por paso temporal, no por token
        self.norma_entrada = NormalizacionCapa(d_modelo)
        self.bloques = nn.ModuleList(BloqueCausal(d_modelo, n_cabezas, d_ff) for _ in range(n_capas))
        self.norma_final = NormalizacionCapa(d_modelo)
        self.cabeza = nn.Linear(d_modelo, n_acciones)

    def forward(self, R, s, a, pasos):
        lineales = [(m.weight, m.bias) for m in (self.W_R, self.W_s, self.W_a)]
        X = decision_transformer_tokens(R / self.escala_retorno, s, a, pasos, *lineales[0], *lineales[1],
                                        *lineales[2], self.W_t.weight)  # (B, 3K, d)  # fmt: skip
        X = self.norma_entrada(X)
        causal = mascara_causal(X.shape[-2]).to(X.device)  # (3K, 3K)
        for bloque in self.bloques:
            X = bloque(X, causal)
        return self.cabeza(self.norma_final(X))  # (B, 3K, n_acciones)


@dataclass(frozen=True)
class DatosRefuerzo:
    """Las trayectorias fuera de línea, rellenadas hasta el horizonte ``H``.

    Formas
    ------
    estados, acciones : (N, H), enteros    retornos : (N, H), float32, ``R̂_t`` (ec. `retorno-por-obtener`)
    longitudes : (N,)    politicas : lista de N nombres
    """

    estados: np.ndarray
    acciones: np.ndarray
    retornos: np.ndarray
    longitudes: np.ndarray
    politicas: list


def preparar_datos(trayectorias: list[Trayectoria], horizonte: int) -> DatosRefuerzo:
    """Rellena cada trayectoria hasta ``horizonte`` pasos (recompensa 0) y calcula sus retornos por obtener."""
    N = len(trayectorias)
    estados, acciones = np.zeros((N, horizonte), np.int64), np.zeros((N, horizonte), np.int64)
    recompensas = np.zeros((N, horizonte), np.float32)
    for i, tr in enumerate(trayectorias):
        n = len(tr)
        estados[i, :n], acciones[i, :n], recompensas[i, :n] = tr.estados, tr.acciones, tr.recompensas
    retornos = retorno_por_obtener(torch.from_numpy(recompensas)).numpy()  # (N, H): el relleno suma 0
    longitudes = np.array([len(tr) for tr in trayectorias])
    return DatosRefuerzo(estados, acciones, retornos, longitudes, [tr.politica for tr in trayectorias])


def lote_de_ventanas(datos: DatosRefuerzo, entorno: Rejilla, K, lote, rng):
    """Un lote de ventanas de ``K`` pasos que empiezan en un paso al azar de una trayectoria al azar.

    Las ventanas que se salen del episodio se rellenan por la derecha; ``mascara`` marca los pasos reales.

    Formas
    ------
    devuelve R (B, K), s (B, K, d_s), a_onehot (B, K, n_acciones), pasos (B, K), a (B, K), mascara (B, K)
    """
    H = datos.estados.shape[1]
    i = rng.integers(len(datos.longitudes), size=lote)  # (B,) trayectorias
    inicio = (rng.random(lote) * datos.longitudes[i]).astype(np.int64)  # (B,) en [0, n_i)
    t = inicio[:, None] + np.arange(K)  # (B, K) pasos absolutos
    mascara = t < datos.longitudes[i][:, None]  # (B, K)
    t = np.minimum(t, H - 1)
    a = np.where(mascara, datos.acciones[i[:, None], t], 0)  # (B, K)
    R = np.where(mascara, datos.retornos[i[:, None], t], 0.0).astype(np.float32)
    s = entorno.codificar(np.where(mascara, datos.estados[i[:, None], t], 0)) * mascara[..., None]
    a_onehot = F.one_hot(torch.from_numpy(a), entorno.n_acciones).float() * torch.from_numpy(mascara)[..., None]
    return (torch.from_numpy(R), torch.from_numpy(s), a_onehot, torch.from_numpy(t),
            torch.from_numpy(a), torch.from_numpy(mascara))  # fmt: skip


@contextmanager
def _un_hilo():
    """Un solo hilo de PyTorch: con un modelo tan pequeño, más hilos solo compiten."""
    antes = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(antes)


def entrenar_decision_transformer(config: ConfigRefuerzo = ConfigRefuerzo(), entorno: Rejilla | None = None):
    """Genera los datos, crea y entrena el modelo; devuelve ``(modelo, perdidas, trayectorias)``.

    ``entorno`` = None es la :class:`Rejilla` por omisión.
    """
    entorno = Rejilla() if entorno is None else entorno
    rng = np.random.default_rng(config.semilla)
    trayectorias = conjunto_fuera_de_linea(entorno, config.n_por_politica, rng)
    datos = preparar_datos(trayectorias, entorno.horizonte)
    torch.manual_seed(config.semilla)
    modelo = DecisionTransformer(
        entorno.n_estados, entorno.n_acciones, entorno.horizonte, config.d_modelo, config.n_cabezas,
        config.n_capas, config.d_ff, escala_retorno=entorno.retorno_maximo,
    )  # fmt: skip
    optimizador = torch.optim.AdamW(modelo.parameters(), lr=config.tasa, weight_decay=1e-4)
    perdidas = []
    with _un_hilo():
        modelo.train()
        for _ in range(config.pasos):
            R, s, a_onehot, pasos, a, mascara = lote_de_ventanas(datos, entorno, config.K, config.lote, rng)
            perdida = decision_transformer_perdida(modelo(R, s, a_onehot, pasos), a, mascara)
            optimizador.zero_grad()
            perdida.backward()
            optimizador.step()
            perdidas.append(perdida.item())
    return modelo.eval(), perdidas, trayectorias


def _elegir(logits, generador, voraz):
    """Acción de cada fila de ``logits`` (..., d_a): la más probable o una muestra de ``softmax(logits)``."""
    if voraz:
        return logits.argmax(-1)
    probs = torch.softmax(logits, -1).reshape(-1, logits.shape[-1])
    return torch.multinomial(probs, 1, generator=generador).reshape(logits.shape[:-1])


def politica_decision_transformer(modelo: DecisionTransformer, generador=None, voraz=False):
    """La política ``(R̂ (k,), s (k, d_s), a (k-1, d_a), pasos (k,)) -> a_t (d_a,)`` que pide la evaluación.

    Añade un token de acción vacío (ceros) para ``a_t``, que aún no conocemos (la máscara causal impide
    que cuente), lee los logits en el último token ``s`` y **muestrea** la acción (con ``generador``,
    reproducible), como el código de Decision Transformer para Atari; con ``voraz``, elige la más
    probable. Devuelve la acción en one-hot.
    """

    def politica(R, s, a, pasos):
        a = torch.cat([a, torch.zeros(1, modelo.n_acciones, dtype=a.dtype)])  # (k, d_a)
        logits = modelo(R[None], s[None], a[None], pasos[None])[0, -2]  # (d_a,): el token s_t es el penúltimo
        return F.one_hot(_elegir(logits, generador, voraz), modelo.n_acciones).to(s.dtype)

    return politica


def jugar_con_objetivo(modelo, entorno: Rejilla, R_objetivo, K, generador=None, voraz=False) -> Trayectoria:
    """Un episodio condicionado por ``R_objetivo`` con ``evaluar_decision_transformer`` del paquete.

    Es la ec. `decision-transformer-evaluacion` tal cual: un episodio, paso a paso. El entorno se
    envuelve para que estados y acciones viajen en one-hot.
    """

    def paso(s_t, a_t):
        nuevo, r, terminado = entorno.paso(int(s_t.argmax()), int(a_t.argmax()))
        return torch.from_numpy(entorno.codificar(nuevo)), r, terminado

    s_0 = torch.from_numpy(entorno.codificar(entorno.reiniciar()))
    politica = politica_decision_transformer(modelo, generador, voraz)
    with _un_hilo():
        estados, acciones, recompensas, _ = evaluar_decision_transformer(
            politica, paso, s_0, entorno.n_acciones, float(R_objetivo), K, entorno.horizonte
        )
    return Trayectoria(estados.argmax(-1).numpy(), acciones.argmax(-1).numpy(), recompensas.numpy(), "DT")


@torch.no_grad()
def jugar_en_paralelo(modelo, entorno: Rejilla, objetivos, K, generador=None, voraz=False) -> list[Trayectoria]:
    """Un episodio por cada retorno objetivo de ``objetivos``, todos a la vez (en un lote).

    La misma recurrencia que ``evaluar_decision_transformer`` (``R̂₁ = R_objetivo``, ``R̂_{t+1} = R̂_t - r_t``,
    contexto de los ``K`` últimos pasos), pero con un lote de episodios en cada llamada al modelo: con
    cientos de episodios, es decenas de veces más rápido. Los episodios que ya han terminado siguen en el
    lote, pero lo que hagan después no cuenta.

    Formas
    ------
    objetivos : (n,)    devuelve una lista de n :class:`Trayectoria`
    """
    n, H = len(objetivos), entorno.horizonte
    estados, acciones = np.zeros((n, H), np.int64), np.zeros((n, H), np.int64)
    recompensas, R = np.zeros((n, H), np.float32), np.zeros((n, H), np.float32)
    R[:, 0] = objetivos  # R̂₁ = R_objetivo
    s, activos, longitudes = np.full(n, entorno.reiniciar()), np.ones(n, bool), np.zeros(n, np.int64)
    with _un_hilo():
        for t in range(H):
            estados[:, t] = s
            v = slice(max(0, t + 1 - K), t + 1)  # ventana de contexto: los K últimos pasos
            a_ctx = F.one_hot(torch.from_numpy(acciones[:, v]), entorno.n_acciones).float()  # (n, k, d_a)
            a_ctx[:, -1] = 0.0  # a_t aún no existe
            pasos = torch.arange(v.start, t + 1).expand(n, -1)  # (n, k)
            logits = modelo(torch.from_numpy(R[:, v]), torch.from_numpy(entorno.codificar(estados[:, v])), a_ctx,
                            pasos)[:, -2]  # (n, d_a), en los tokens s_t  # fmt: skip
            acciones[:, t] = _elegir(logits, generador, voraz).numpy()
            for i in np.nonzero(activos)[0]:
                s[i], recompensas[i, t], terminado = entorno.paso(s[i], acciones[i, t])
                longitudes[i] += 1
                activos[i] = not terminado
            if t + 1 < H:
                R[:, t + 1] = R[:, t] - recompensas[:, t]  # R̂_{t+1} = R̂_t - r_t
            if not activos.any():
                break
    return [Trayectoria(estados[i, :m], acciones[i, :m], recompensas[i, :m], "DT") for i, m in enumerate(longitudes)]


def evaluar_objetivos(modelo, entorno: Rejilla, objetivos, K, n_episodios, semilla=0):
    """``n_episodios`` por objetivo (muestreando las acciones); devuelve ``(retornos, trayectorias)``.

    Formas
    ------
    retornos : (n_objetivos, n_episodios)    trayectorias : lista de listas [objetivo][episodio]
    """
    generador = torch.Generator().manual_seed(semilla)
    todos = np.repeat(np.asarray(objetivos, np.float32), n_episodios)  # (n_objetivos · n_episodios,)
    jugadas = jugar_en_paralelo(modelo, entorno, todos, K, generador)
    trayectorias = [jugadas[i * n_episodios : (i + 1) * n_episodios] for i in range(len(objetivos))]
    retornos = np.array([[tr.retorno for tr in fila] for fila in trayectorias])
    return retornos, trayectorias


def retornos_por_politica(trayectorias: list[Trayectoria]) -> dict[str, float]:
    """Retorno medio de cada política de comportamiento en los datos."""
    return {p: float(np.mean([t.retorno for t in trayectorias if t.politica == p])) for p in POLITICAS}


def tabla_objetivos(objetivos, retornos) -> str:
    """Tabla de texto: objetivo → retorno conseguido (media ± desviación típica) y episodios que llegan a la meta."""
    filas = [" objetivo   retorno conseguido (media ± desv.)   mínimo   máximo"]
    for R, fila in zip(objetivos, retornos):
        filas.append(f"{R:9g}   {fila.mean():18.2f} ± {fila.std():4.2f}   {fila.min():10.0f}   {fila.max():6.0f}")
    return "\n".join(filas)
