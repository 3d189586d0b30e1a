"""Ejercicios del capítulo 13: retorno por obtener, tokens de Decision Transformer y condicionamiento."""

from __future__ import annotations

import numpy as np

from .. import con_numpy as cn
from ..datos.entornos import Rejilla, accion_umbral
from .tipos import Caso, Ejercicio, ErrorTipico, ejercicio_de_valor, normal

__all__ = ["EJERCICIOS"]
F32 = np.float32


# --- retorno-por-obtener -------------------------------------------------------------------------------------------
def _casos_retorno(rng) -> list[Caso]:
    enteras = rng.choice([-1.0, 0.0, 1.0], size=12)  # como las de la rejilla del capítulo
    return [
        Caso("8 recompensas", (normal(rng, 8),)),
        Caso("un lote (3, 10), en float32", (normal(rng, 3, 10, dtype=F32),)),
        Caso("un episodio de la rejilla: 12 recompensas en {-1, 0, 1}", (enteras,)),
        Caso("un solo paso (T = 1)", (normal(rng, 2, 1),)),
        Caso("recompensas grandes (×100), lote (2, 2, 5)", (normal(rng, 2, 2, 5, escala=100),)),
    ]


def _retorno_mal(r, fallo):
    if fallo == "hacia delante":
        return np.cumsum(r, axis=-1)  # lo conseguido hasta t, no lo que falta
    inverso = np.cumsum(r[..., ::-1], axis=-1)
    if fallo == "sin dar la vuelta":
        return inverso
    return inverso[..., ::-1] - r  # "sin la actual": Σ_{t' > t}


# --- decision-transformer-evaluacion: el experimento -----------------------------------------------------------------
_REJILLA = Rejilla()


def _casos_curva(rng) -> list[Caso]:
    return [
        Caso("objetivos 0, 1, …, 10", (np.arange(11.0),)),
        Caso("seis objetivos al azar entre -3 y 12", (rng.uniform(-3, 12, 6).round(1),)),
        Caso("un solo objetivo, 4", (np.array([4.0]),)),
    ]


def _curva(objetivos):
    """Retorno conseguido con cada objetivo por la política de umbral, con el bucle del paquete."""
    e, una = _REJILLA, np.eye(_REJILLA.n_acciones)

    def politica(R, s, a, pasos):
        return una[accion_umbral(e, int(s[-1].argmax()), R[-1])]

    def paso(s, a):
        nuevo, r, terminado = e.paso(int(s.argmax()), int(a.argmax()))
        return e.codificar(nuevo), r, terminado

    s_0 = e.codificar(e.reiniciar()).astype(np.float64)
    return np.array(
        [cn.evaluar_decision_transformer(politica, paso, s_0, 4, R, 3, e.horizonte)[2].sum() for R in objetivos]
    )


def _curva_mal(objetivos, fallo):
    e, salida = _REJILLA, []
    for objetivo in objetivos:
        s, R, total = e.reiniciar(), float(objetivo), 0.0
        for _ in range(e.horizonte + (fallo == "un paso de más")):
            s, r, terminado = e.paso(s, accion_umbral(e, s, R))
            total += r
            if fallo != "sin actualizar":
                R -= r
            if terminado:
                break
        salida.append(R if fallo == "lo que falta" else total)
    return np.array(salida)


EJERCICIOS = (
    Ejercicio(
        "refuerzo-retorno-por-obtener",
        "El retorno por obtener",
        13,
        "funcion",
        "retorno-por-obtener",
        "retorno_por_obtener",
        lambda r: cn.retorno_por_obtener(r),
        _casos_retorno,
        (
            ErrorTipico(
                "hacia delante",
                lambda r: _retorno_mal(r, "hacia delante"),
                "Acumulas de izquierda a derecha: eso es lo conseguido HASTA t. El retorno por obtener suma "
                "desde t hasta el final: R̂_t = r_t + r_{t+1} + … + r_T.",
            ),
            ErrorTipico(
                "sin dar la vuelta",
                lambda r: _retorno_mal(r, "sin dar la vuelta"),
                "Acumulas sobre las recompensas invertidas, pero no vuelves a invertir el resultado: tu primer "
                "valor es r_T y debería ser la suma de todas (R̂_1).",
            ),
            ErrorTipico(
                "sin la recompensa actual",
                lambda r: _retorno_mal(r, "sin la actual"),
                "Te falta la recompensa del propio paso: R̂_t incluye r_t (la suma empieza en t' = t), así que "
                "R̂_T = r_T y no 0.",
            ),
        ),
    ),
    ejercicio_de_valor(
        "refuerzo-forma-tokens",
        "La forma de la secuencia de tokens",
        13,
        "decision-transformer-tokens",
        "forma_tokens",
        lambda: (
            cn.decision_transformer_tokens(
                np.zeros((64, 20)),
                np.zeros((64, 20, 17)),
                np.zeros((64, 20, 6)),
                np.zeros((64, 20), np.int64),
                np.zeros((128, 1)),
                np.zeros(128),
                np.zeros((128, 17)),
                np.zeros(128),
                np.zeros((128, 6)),
                np.zeros(128),
                np.zeros((1000, 128)),
            ).shape
        ),  # fmt: skip
        (
            ("un token por paso", (64, 20, 128), "Cada paso aporta TRES tokens: R̂_t, s_t y a_t."),
            ("sin el retorno", (64, 40, 128), "Te falta el token del retorno por obtener: son R̂_t, s_t y a_t."),
            ("sin intercalar", (64, 20, 3, 128), "Los tres tokens de cada paso se intercalan en una sola secuencia."),
        ),
    ),
    ejercicio_de_valor(
        "refuerzo-retornos-pedidos",
        "Lo que queda por obtener",
        13,
        "decision-transformer-evaluacion",
        "retornos_pedidos",
        lambda: 6.0 - np.concatenate([[0.0], np.cumsum([1.0, 1.0, -1.0, 1.0])]),  # R̂₁ = 6, R̂_{t+1} = R̂_t - r_t
        (
            ("sumar la recompensa", (6, 7, 8, 7, 8), "Tras cobrar r_t se RESTA: R̂_{t+1} = R̂_t - r_t."),
            ("sin actualizar", (6, 6, 6, 6, 6), "El objetivo se actualiza en cada paso: R̂_{t+1} = R̂_t - r_t."),
            ("lo conseguido", (0, 1, 2, 1, 2), "Eso es lo conseguido hasta ahora; se pide lo que aún falta."),
        ),
    ),
    Ejercicio(
        "refuerzo-curva-objetivo",
        "Experimento: ¿obtiene más quien pide más?",
        13,
        "experimento",
        "decision-transformer-evaluacion",
        "curva_de_retornos",
        _curva,
        _casos_curva,
        (
            ErrorTipico(
                "sin actualizar",
                lambda o: _curva_mal(o, "sin actualizar"),
                "No actualizas el retorno por obtener: la política cree que aún le falta todo y avanza hasta la "
                "meta. Tras cada paso, R̂ ← R̂ - r.",
            ),
            ErrorTipico(
                "lo que falta",
                lambda o: _curva_mal(o, "lo que falta"),
                "Devuelves el R̂ que queda al final; se pide el retorno conseguido, la suma de las recompensas.",
            ),
            ErrorTipico(
                "un paso de más",
                lambda o: _curva_mal(o, "un paso de más"),
                "Juegas un paso de más: el episodio dura como mucho horizonte pasos (range(e.horizonte)).",
            ),
        ),
        comparar_dtype=False,
    ),
)
