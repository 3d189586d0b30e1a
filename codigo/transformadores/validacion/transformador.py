"""Comprobaciones de las capas y los transformadores completos (capítulo 7), compartidas por los dos gemelos.

El diccionario de parámetros se compara con el esquema de la configuración
(:meth:`Configuracion.esquema_parametros`): cada clave que falte o sobre y cada forma que no
cuadre se nombra con su ruta completa, p. ej. ``parametros["codificador"]["capas"][0]["ffn"]["W_1"]``.
"""

from __future__ import annotations

from ..configuracion import _ATENCION, _FFN, _NORMA, Configuracion
from ..errores import ErrorDeForma, Formas, comprobar_booleana, comprobar_flotante
from .multicabeza import validar_mascara_difundible

__all__ = [
    "validar_pila",
    "validar_configuracion",
    "validar_tipo",
    "validar_parametros",
    "validar_capa",
    "validar_entrada_capa",
    "validar_relleno",
    "validar_memoria",
]


def validar_configuracion(config) -> Configuracion:
    """``config`` debe ser una :class:`Configuracion`."""
    if not isinstance(config, Configuracion):
        raise TypeError(
            f"'config' debe ser una Configuracion (transformadores.configuracion), pero se recibió "
            f"{type(config).__name__}."
        )
    return config


def validar_tipo(config, tipo: str, funcion: str) -> None:
    """La configuración debe describir el tipo de transformador que ``funcion`` calcula."""
    validar_configuracion(config)
    if config.tipo != tipo:
        raise ErrorDeForma(
            f"'{funcion}' necesita una configuración de tipo '{tipo}', pero 'config' describe un transformador "
            f"'{config.tipo}' (n_capas_codificador={config.n_capas_codificador}, "
            f"n_capas_decodificador={config.n_capas_decodificador})."
        )


def _ruta(ruta: str, clave) -> str:
    return f"{ruta}[{clave!r}]".replace("'", '"') if isinstance(clave, str) else f"{ruta}[{clave}]"


def _hoja(ruta: str, x, simbolos: tuple, config) -> None:
    comprobar_flotante(ruta, x)
    esperada = tuple(config.valor_simbolo(s) for s in simbolos)
    recibida = tuple(int(n) for n in x.shape)
    if recibida != esperada:
        ligaduras = ", ".join(f"{s}={v}" for s, v in dict(zip(simbolos, esperada)).items())
        raise ErrorDeForma(
            f"'{ruta}' debe tener forma ({', '.join(simbolos)}{',' if len(simbolos) == 1 else ''}) con "
            f"{ligaduras} (de la configuración), pero se recibió {recibida}."
        )


def validar_parametros(parametros, esquema, config, ruta: str = "parametros") -> None:
    """Recorre ``parametros`` junto al ``esquema`` (simbólico) y comprueba claves, longitudes y formas."""
    if isinstance(esquema, dict):
        if not isinstance(parametros, dict):
            raise TypeError(f"'{ruta}' debe ser un diccionario, pero se recibió {type(parametros).__name__}.")
        faltan = [k for k in esquema if k not in parametros]
        sobran = [k for k in parametros if k not in esquema]
        if faltan or sobran:
            raise ErrorDeForma(
                f"'{ruta}' debe tener las claves {list(esquema)} según la configuración, pero "
                + (f"faltan {faltan}" if faltan else "")
                + (" y " if faltan and sobran else "")
                + (f"sobran {sobran}" if sobran else "")
                + "."
            )
        for clave, sub in esquema.items():
            validar_parametros(parametros[clave], sub, config, _ruta(ruta, clave))
    elif isinstance(esquema, list):
        if not isinstance(parametros, (list, tuple)) or len(parametros) != len(esquema):
            recibido = len(parametros) if isinstance(parametros, (list, tuple)) else type(parametros).__name__
            raise ErrorDeForma(f"'{ruta}' debe ser una lista de {len(esquema)} capas, pero se recibió {recibido}.")
        for i, (p, sub) in enumerate(zip(parametros, esquema)):
            validar_parametros(p, sub, config, _ruta(ruta, i))
    else:
        _hoja(ruta, parametros, esquema, config)


def validar_capa(capa, config, cruzada: bool) -> None:
    """Una capa de codificador (``cruzada=False``) o de decodificador con atención cruzada."""
    validar_configuracion(config)
    esquema = {"autoatencion": _ATENCION, "norma_autoatencion": _NORMA}
    if cruzada:
        esquema |= {"atencion_cruzada": _ATENCION, "norma_cruzada": _NORMA}
    validar_parametros(capa, esquema | {"ffn": _FFN, "norma_ffn": _NORMA}, config, "capa")


def validar_entrada_capa(X, capa, config, mascara, cruzada: bool, Z=None) -> Formas:
    """X (..., T, d_modelo), Z (..., S, d_modelo) y la máscara difundible a (..., H, T, T) o (..., H, T, S)."""
    validar_capa(capa, config, cruzada)
    comprobar_flotante("X", X)
    f = Formas()
    f.fijar("d_modelo", config.d_modelo, "config")
    f.comprobar("X", X, "... T d_modelo")
    if Z is not None:
        comprobar_flotante("Z", Z)
        f.comprobar("Z", Z, "... S d_modelo")
    if mascara is not None:
        f.fijar("H", config.n_cabezas, "config")
        f.fijar("S", f["T"], "X")
        lote = tuple(f.lotes["X"])
        validar_mascara_difundible(mascara, f, lote, ("H", "T", "S"))
    return f


def validar_relleno(nombre: str, relleno, nombre_x: str, x) -> None:
    """``relleno`` booleana (True = token real) con la forma de los tokens ``x`` (..., T)."""
    if relleno is None:
        return
    comprobar_booleana(nombre, relleno)
    if tuple(relleno.shape) != tuple(x.shape):
        raise ErrorDeForma(
            f"'{nombre}' debe tener la forma de '{nombre_x}' {tuple(x.shape)} (True = token real), "
            f"pero se recibió {tuple(relleno.shape)}."
        )


def validar_memoria(Z, mascara_Z, config) -> None:
    """Memoria del codificador Z (..., S, d_modelo) y su relleno (..., S) para la atención cruzada."""
    f = Formas()
    f.fijar("d_modelo", config.d_modelo, "config")
    comprobar_flotante("Z", Z)
    f.comprobar("Z", Z, "... S d_modelo")
    if mascara_Z is not None:
        comprobar_booleana("mascara_Z", mascara_Z)
        if tuple(mascara_Z.shape[-1:]) != (f["S"],):
            raise ErrorDeForma(
                f"'mascara_Z' debe tener forma (..., S) con S={f['S']} (tomado de 'Z'), pero se recibió "
                f"{tuple(mascara_Z.shape)}."
            )


def validar_pila(parametros, config, pila: str, nombre_x: str, x, relleno, Z="sin comprobar") -> None:
    """Argumentos de una pila (``"codificador"`` o ``"decodificador"``) de los dos gemelos.

    Con ``pila="decodificador"``, ``Z`` debe ser None en un transformador solo decodificador y la
    memoria del codificador en uno codificador-decodificador.
    """
    validar_configuracion(config)
    validar_parametros(parametros, config.esquema_parametros(), config)
    if pila not in parametros:
        raise ErrorDeForma(f"'config' no tiene {pila} (n_capas_{pila}=0): no se puede calcular esta pila.")
    validar_relleno(f"relleno_{nombre_x}", relleno, nombre_x, x)
    if pila == "decodificador" and (Z is None) != (config.tipo == "solo-decodificador"):
        raise ErrorDeForma(
            f"'Z' debe ser None con un transformador solo decodificador y la memoria del codificador con uno "
            f"codificador-decodificador; 'config' es '{config.tipo}' y 'Z' es {'None' if Z is None else 'un tensor'}."
        )
