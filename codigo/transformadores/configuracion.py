"""Configuración de un transformador (capítulos 7–9), compartida por los dos gemelos.

Una :class:`Configuracion` es inmutable, tiene tipos y se valida al crearla: un valor imposible
falla en el acto y en español («d_modelo (512) debe ser divisible por n_cabezas (6)»). El número
de capas decide el tipo de transformador (P&H §3):

- ``n_capas_codificador > 0`` y ``n_capas_decodificador > 0``: codificador-decodificador (Vaswani, Alg. 8);
- solo ``n_capas_codificador``: solo codificador (BERT, Alg. 9);
- solo ``n_capas_decodificador``: solo decodificador (GPT-2, Alg. 10).

:meth:`Configuracion.formas_parametros` da la forma de cada tensor del diccionario de parámetros
que usan las funciones de ``con_numpy`` y ``con_torch`` (y ``parametros()`` de los módulos).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from .errores import ErrorDeForma

__all__ = ["Configuracion", "ACTIVACIONES", "NORMAS", "POSICIONALES"]

ACTIVACIONES = ("relu", "gelu", "gelu_tanh")
NORMAS = ("post", "pre")
POSICIONALES = ("sinusoidal", "aprendida")

_ATENCION = {n: (("d_modelo", "d_modelo") if n[0] == "W" else ("d_modelo",)) for n in
             ("W_q", "b_q", "W_k", "b_k", "W_v", "b_v", "W_o", "b_o")}  # fmt: skip
_NORMA = {"gamma": ("d_modelo",), "beta": ("d_modelo",)}
_FFN = {"W_1": ("d_ffn", "d_modelo"), "b_1": ("d_ffn",), "W_2": ("d_modelo", "d_ffn"), "b_2": ("d_modelo",)}


def _entero_positivo(nombre: str, valor, cero: bool = False) -> None:
    if isinstance(valor, bool) or not isinstance(valor, int):
        raise TypeError(f"{nombre} debe ser un entero, pero se recibió {valor!r} ({type(valor).__name__}).")
    if valor < (0 if cero else 1):
        raise ErrorDeForma(f"{nombre} debe ser un entero {'≥ 0' if cero else 'positivo'}, pero se recibió {valor}.")


def _opcion(nombre: str, valor, opciones: tuple) -> None:
    if valor not in opciones:
        raise ErrorDeForma(f"{nombre} debe ser una de {opciones}, pero se recibió {valor!r}.")


def _booleano(nombre: str, valor) -> None:
    if not isinstance(valor, bool):
        raise TypeError(f"{nombre} debe ser True o False, pero se recibió {valor!r}.")


@dataclass(frozen=True)
class Configuracion:
    """Hiperparámetros de un transformador. Por omisión, el modelo base de Vaswani et al. (2017).

    Atributos
    ---------
    n_vocab : N_V, tamaño del vocabulario (tokens ``0 … N_V-1``).
    l_max : longitud máxima de una secuencia (filas de la tabla de posiciones ``W_P``).
    d_modelo : d_e de P&H, dimensión de cada token en el flujo residual.
    n_cabezas : h; ``d_k = d_v = d_modelo / n_cabezas``.
    d_ffn : d_mlp de P&H, dimensión oculta de la red posicional.
    n_capas_codificador, n_capas_decodificador : L_enc y L_dec; 0 = no hay esa pila.
    activacion : de la red posicional: "relu" (Vaswani), "gelu" (BERT) o "gelu_tanh" (GPT-2).
    norma : "post" (Post-LN: Vaswani, BERT; P&H Algs. 8–9) o "pre" (Pre-LN: GPT-2; P&H Alg. 10).
    norma_final : LayerNorm tras la última capa de cada pila; None = solo con Pre-LN (P&H). Con
        Post-LN y True se reproduce ``nn.Transformer``, que la añade siempre.
    eps : ε de las LayerNorm (P&H lo omite: errata E2).
    p_dropout : dropout de la incrustación y de cada subcapa, solo al entrenar (Vaswani: 0.1).
    atar_pesos : desincrustar con ``W_u = W_E`` (Press y Wolf; Vaswani §3.4).
    posicional : "sinusoidal" (tabla fija de Vaswani) o "aprendida" (GPT, BERT; P&H Alg. 2).
    escalar_incrustacion : multiplicar ``E(x)`` por ``√d_modelo`` (Vaswani) antes de sumar la posición.
    n_clases : N_C de la cabeza de clasificación con el token [CLS] (solo codificador); None = sin ella.

    Ejemplos
    --------
    >>> Configuracion(n_vocab=100, d_modelo=512, n_cabezas=6)
    Traceback (most recent call last):
    ...
    transformadores.errores.ErrorDeForma: d_modelo (512) debe ser divisible por n_cabezas (6): ...
    """

    n_vocab: int
    l_max: int = 512
    d_modelo: int = 512
    n_cabezas: int = 8
    d_ffn: int = 2048
    n_capas_codificador: int = 6
    n_capas_decodificador: int = 6
    activacion: str = "relu"
    norma: str = "post"
    norma_final: bool | None = None
    eps: float = 1e-5
    p_dropout: float = 0.1
    atar_pesos: bool = True
    posicional: str = "sinusoidal"
    escalar_incrustacion: bool = True
    n_clases: int | None = None

    def __post_init__(self) -> None:
        for nombre in ("n_vocab", "l_max", "d_modelo", "n_cabezas", "d_ffn"):
            _entero_positivo(nombre, getattr(self, nombre))
        for nombre in ("n_capas_codificador", "n_capas_decodificador"):
            _entero_positivo(nombre, getattr(self, nombre), cero=True)
        if self.n_capas_codificador == self.n_capas_decodificador == 0:
            raise ErrorDeForma(
                "n_capas_codificador y n_capas_decodificador no pueden ser 0 a la vez: no habría modelo."
            )
        if self.d_modelo % self.n_cabezas:
            raise ErrorDeForma(
                f"d_modelo ({self.d_modelo}) debe ser divisible por n_cabezas ({self.n_cabezas}): cada cabeza "
                f"recibe d_k = d_modelo / n_cabezas componentes."
            )
        _opcion("activacion", self.activacion, ACTIVACIONES)
        _opcion("norma", self.norma, NORMAS)
        _opcion("posicional", self.posicional, POSICIONALES)
        if self.posicional == "sinusoidal" and self.d_modelo % 2:
            raise ErrorDeForma(
                f"d_modelo ({self.d_modelo}) debe ser par con posicional='sinusoidal' (pares seno/coseno)."
            )
        if self.norma_final is not None:
            _booleano("norma_final", self.norma_final)
        for nombre in ("atar_pesos", "escalar_incrustacion"):
            _booleano(nombre, getattr(self, nombre))
        if isinstance(self.eps, bool) or not isinstance(self.eps, (int, float)) or not self.eps >= 0:
            raise ErrorDeForma(f"eps debe ser un número mayor o igual que 0, pero se recibió {self.eps!r}.")
        p = self.p_dropout
        if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0 <= p < 1:
            raise ErrorDeForma(f"p_dropout debe ser una probabilidad en [0, 1), pero se recibió {p!r}.")
        if self.n_clases is not None:
            _entero_positivo("n_clases", self.n_clases)
            if self.n_capas_codificador == 0:
                raise ErrorDeForma(
                    "n_clases necesita un codificador (n_capas_codificador > 0): se clasifica con [CLS]."
                )

    # --- Presets --------------------------------------------------------------------------

    @classmethod
    def vaswani(cls, n_vocab: int, **cambios) -> Configuracion:
        """Transformer base de Vaswani et al.: 6+6 capas, d=512, h=8, d_ffn=2048, ReLU, Post-LN, sinusoidal."""
        return cls(n_vocab=n_vocab, **cambios)

    @classmethod
    def bert(cls, n_vocab: int, **cambios) -> Configuracion:
        """BERT-base (solo codificador, P&H Alg. 9): 12 capas, d=768, h=12, GELU, Post-LN, posiciones aprendidas."""
        valores = {"l_max": 512, "d_modelo": 768, "n_cabezas": 12, "d_ffn": 3072, "n_capas_codificador": 12,
                   "n_capas_decodificador": 0, "activacion": "gelu", "eps": 1e-12, "posicional": "aprendida",
                   "escalar_incrustacion": False}  # fmt: skip
        return cls(n_vocab=n_vocab, **{**valores, **cambios})

    @classmethod
    def gpt2(cls, n_vocab: int, **cambios) -> Configuracion:
        """GPT-2 pequeño (solo decodificador, P&H Alg. 10): 12 capas, d=768, GELU tanh, Pre-LN con LN final."""
        valores = {"l_max": 1024, "d_modelo": 768, "n_cabezas": 12, "d_ffn": 3072, "n_capas_codificador": 0,
                   "n_capas_decodificador": 12, "activacion": "gelu_tanh", "norma": "pre", "posicional": "aprendida",
                   "escalar_incrustacion": False}  # fmt: skip
        return cls(n_vocab=n_vocab, **{**valores, **cambios})

    def reemplazar(self, **cambios) -> Configuracion:
        """Una copia con ``cambios`` (validada de nuevo): ``config.reemplazar(p_dropout=0.0)``."""
        return dataclasses.replace(self, **cambios)

    # --- Derivados ------------------------------------------------------------------------

    @property
    def d_k(self) -> int:
        """Dimensión de cada cabeza: ``d_modelo / n_cabezas``."""
        return self.d_modelo // self.n_cabezas

    @property
    def tipo(self) -> str:
        """ "codificador-decodificador", "solo-codificador" o "solo-decodificador"."""
        if self.n_capas_codificador and self.n_capas_decodificador:
            return "codificador-decodificador"
        return "solo-codificador" if self.n_capas_codificador else "solo-decodificador"

    @property
    def usa_norma_final(self) -> bool:
        """Si cada pila termina con una LayerNorm (por omisión, solo con Pre-LN)."""
        return self.norma == "pre" if self.norma_final is None else self.norma_final

    def esquema_parametros(self) -> dict:
        """El diccionario de parámetros con formas simbólicas, p. ej. ``("d_ffn", "d_modelo")``.

        Claves: ``incrustacion`` {W_E (n_vocab, d_modelo), W_P (l_max, d_modelo)};
        ``codificador`` y ``decodificador`` {``capas``: lista de capas, ``norma_final`` (si
        :attr:`usa_norma_final`)}; ``cabeza_mlm`` {W_f, b_f, gamma, beta} (solo codificador);
        ``clasificador`` {W_c (n_clases, d_modelo), b_c} (si ``n_clases``); ``desincrustacion``
        {W_u (n_vocab, d_modelo)} (si no se atan los pesos). Una capa de codificador (y de un solo
        decodificador, que es la misma con máscara causal) tiene ``autoatencion`` {W_q, b_q, W_k, b_k,
        W_v, b_v, W_o, b_o}, ``norma_autoatencion`` {gamma, beta}, ``ffn`` {W_1, b_1, W_2, b_2} y
        ``norma_ffn``; la de decodificador añade ``atencion_cruzada`` y ``norma_cruzada``.
        """
        capa_cod = {"autoatencion": _ATENCION, "norma_autoatencion": _NORMA, "ffn": _FFN, "norma_ffn": _NORMA}
        capa_dec = {"autoatencion": _ATENCION, "norma_autoatencion": _NORMA, "atencion_cruzada": _ATENCION,
                    "norma_cruzada": _NORMA, "ffn": _FFN, "norma_ffn": _NORMA}  # fmt: skip
        esquema: dict = {"incrustacion": {"W_E": ("n_vocab", "d_modelo"), "W_P": ("l_max", "d_modelo")}}
        final = {"norma_final": _NORMA} if self.usa_norma_final else {}
        if self.n_capas_codificador:
            esquema["codificador"] = {"capas": [capa_cod] * self.n_capas_codificador, **final}
        if self.n_capas_decodificador:
            capa = capa_dec if self.n_capas_codificador else capa_cod
            esquema["decodificador"] = {"capas": [capa] * self.n_capas_decodificador, **final}
        if self.tipo == "solo-codificador":
            esquema["cabeza_mlm"] = {"W_f": ("d_modelo", "d_modelo"), "b_f": ("d_modelo",), **_NORMA}
        if self.n_clases is not None:
            esquema["clasificador"] = {"W_c": ("n_clases", "d_modelo"), "b_c": ("n_clases",)}
        if not self.atar_pesos:
            esquema["desincrustacion"] = {"W_u": ("n_vocab", "d_modelo")}
        return esquema

    def valor_simbolo(self, simbolo: str) -> int:
        """El valor de un símbolo de :meth:`esquema_parametros` (``"d_ffn"`` → ``self.d_ffn``)."""
        return getattr(self, simbolo)

    def formas_parametros(self) -> dict:
        """El diccionario de parámetros con la forma (tupla de enteros) de cada tensor."""

        def resolver(nodo):
            if isinstance(nodo, dict):
                return {k: resolver(v) for k, v in nodo.items()}
            if isinstance(nodo, list):
                return [resolver(v) for v in nodo]
            return tuple(self.valor_simbolo(s) for s in nodo)

        return resolver(self.esquema_parametros())

    def numero_parametros(self) -> int:
        """Número de números entrenables (sin contar ``W_P`` si es sinusoidal, que es fija)."""

        def contar(nodo, ruta=()):
            if isinstance(nodo, dict):
                return sum(contar(v, (*ruta, k)) for k, v in nodo.items())
            if isinstance(nodo, list):
                return sum(contar(v, ruta) for v in nodo)
            fija = ruta == ("incrustacion", "W_P") and self.posicional == "sinusoidal"
            n = 1
            for d in nodo:
                n *= d
            return 0 if fija else n

        return contar(self.formas_parametros())
