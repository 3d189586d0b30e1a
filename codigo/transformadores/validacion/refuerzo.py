"""Comprobaciones del aprendizaje por refuerzo como modelado de secuencias (capítulo 13)."""

from __future__ import annotations

from ..errores import ErrorDeForma, Formas, comprobar_booleana, comprobar_flotante
from .atencion import validar_longitud, validar_pesos
from .multimodal import validar_escalar

__all__ = [
    "es_entero",
    "validar_recompensas",
    "validar_tokens_dt",
    "validar_perdida_dt",
    "validar_evaluacion_dt",
    "validar_mu_law",
    "validar_indices_mu_law",
]


def es_entero(x) -> bool:
    """¿Es ``x`` un arreglo o tensor de enteros (no booleano)?"""
    return str(x.dtype).replace("torch.", "").startswith(("int", "uint"))


def validar_recompensas(r, gamma) -> None:
    """Recompensas (..., T) de coma flotante y descuento ``gamma`` en [0, 1]."""
    comprobar_flotante("r", r)
    Formas().comprobar("r", r, "... T")
    g = validar_escalar("gamma", gamma)
    if not 0.0 <= g <= 1.0:
        raise ErrorDeForma(f"'gamma' debe estar en [0, 1], pero se recibió {gamma!r}.")


def validar_tokens_dt(R, s, a, pasos, W_R, b_R, W_s, b_s, W_a, b_a, W_t) -> Formas:
    """Argumentos de ``decision_transformer_tokens`` (ec. `decision-transformer-tokens`)."""
    f = validar_pesos(
        Formas(),
        ("R", R, "... T"), ("s", s, "... T d_s"), ("a", a, "... T d_a"),
        ("W_R", W_R, "d 1"), ("b_R", b_R, "d"), ("W_s", W_s, "d d_s"), ("b_s", b_s, "d"),
        ("W_a", W_a, "d d_a"), ("b_a", b_a, "d"), ("W_t", W_t, "T_max d"),
    )  # fmt: skip
    f.comprobar("pasos", pasos, "... T")
    if not es_entero(pasos) or bool((pasos < 0).any()) or bool((pasos >= f["T_max"]).any()):
        raise ErrorDeForma(
            f"'pasos' debe contener enteros entre 0 y T_max-1={f['T_max'] - 1} (tomado de 'W_t'), "
            f"pero se recibió dtype {pasos.dtype} con valores entre {pasos.min()} y {pasos.max()}."
        )
    return f


def validar_perdida_dt(prediccion, a, mascara) -> Formas:
    """Predicción (..., 3T, d_a) y acciones: enteras (..., T) en [0, d_a) o continuas (..., T, d_a)."""
    f = Formas()
    comprobar_flotante("prediccion", prediccion)
    f.comprobar("prediccion", prediccion, "... 3T d_a")
    if f["3T"] % 3:
        raise ErrorDeForma(
            f"'prediccion' debe tener 3T posiciones (R̂, s, a por paso), pero tiene {f['3T']}, que no es múltiplo de 3."
        )
    f.fijar("T", f["3T"] // 3, "prediccion")
    if es_entero(a):
        f.comprobar("a", a, "... T")
        if bool((a < 0).any()) or bool((a >= f["d_a"]).any()):
            raise ErrorDeForma(f"'a' (acciones discretas) debe contener enteros entre 0 y d_a-1={f['d_a'] - 1}.")
    else:
        comprobar_flotante("a", a)
        f.comprobar("a", a, "... T d_a")
    if mascara is not None:
        comprobar_booleana("mascara", mascara)
        f.comprobar("mascara", mascara, "... T")
        if not bool(mascara.any()):
            raise ErrorDeForma("'mascara' no marca ningún paso real (todo False): la pérdida no está definida.")
    return f


def validar_evaluacion_dt(politica, entorno, s_0, d_a, R_objetivo, K, n_pasos) -> None:
    """Argumentos de ``evaluar_decision_transformer`` (ec. `decision-transformer-evaluacion`)."""
    for nombre, g in (("politica", politica), ("entorno", entorno)):
        if not callable(g):
            raise TypeError(f"'{nombre}' debe ser una función, pero se recibió un objeto de tipo {type(g).__name__}.")
    comprobar_flotante("s_0", s_0)
    Formas().comprobar("s_0", s_0, "d_s")
    validar_longitud("d_a", d_a)
    validar_escalar("R_objetivo", R_objetivo)
    validar_longitud("K", K)
    validar_longitud("n_pasos", n_pasos)


def validar_mu_law(nombre: str, x, mu, M) -> tuple[float, float]:
    """Valores de coma flotante y constantes ``mu`` > 0, ``M`` > 0 (devueltas como números de Python)."""
    comprobar_flotante(nombre, x)
    return validar_escalar("mu", mu, positivo=True), validar_escalar("M", M, positivo=True)


def validar_indices_mu_law(indices, n_intervalos) -> None:
    """Índices enteros en [0, n_intervalos)."""
    validar_longitud("n_intervalos", n_intervalos)
    if not hasattr(indices, "dtype") or not es_entero(indices):
        raise TypeError(f"'indices' debe ser un arreglo o tensor de enteros, pero se recibió {type(indices).__name__}.")
    if bool((indices < 0).any()) or bool((indices >= n_intervalos).any()):
        raise ErrorDeForma(f"'indices' debe contener enteros entre 0 y n_intervalos-1={n_intervalos - 1}.")
