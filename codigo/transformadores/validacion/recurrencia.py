"""Comprobaciones de las redes recurrentes y de secuencia a secuencia (capítulo 1)."""

from __future__ import annotations

from ..errores import ErrorDeForma, Formas
from .atencion import validar_pesos

__all__ = [
    "validar_elman",
    "validar_paso_jacobiano",
    "validar_lstm",
    "validar_objetivos",
    "validar_seq2seq",
    "validar_seq2seq_contexto",
]


def validar_elman(X, W_xh, W_hh, b_h, h_0=None, f: Formas | None = None) -> Formas:
    """X (..., T, d_x), W_xh (d_h, d_x), W_hh (d_h, d_h), b_h (d_h,), h_0 (..., d_h) (ec. `rnn-elman-recurrencia`)."""
    f = validar_pesos(
        Formas() if f is None else f,
        ("X", X, "... T d_x"), ("W_xh", W_xh, "d_h d_x"), ("W_hh", W_hh, "d_h d_h"), ("b_h", b_h, "d_h"),
    )  # fmt: skip
    if h_0 is not None:
        validar_pesos(f, ("h_0", h_0, "... d_h"))
    return f


def validar_paso_jacobiano(k, T: int) -> int:
    """``k`` debe ser un entero entre 0 y T (ec. `rnn-gradiente-desvaneciente`)."""
    if isinstance(k, bool) or not isinstance(k, int) or not 0 <= k <= T:
        raise ErrorDeForma(f"'k' debe ser un entero entre 0 y T={T} (tomado de 'X'), pero se recibió {k!r}.")
    return k


def validar_lstm(X, W_ih, W_hh, b, h_0=None, c_0=None, nombres=("X", "W_ih", "W_hh", "b"), f=None, entrada="T d_x"):
    """X (..., T, d_x), W_ih (4d_h, d_x), W_hh (4d_h, d_h), b (4d_h,), h_0 y c_0 (..., d_h) (ec. `lstm-celda`).

    Las cuatro puertas van apiladas en el orden (i, f, g, o), como en ``nn.LSTM.weight_ih_l0``.
    ``nombres`` y ``entrada`` permiten reutilizarla para el decodificador (``Y_entrada``, ``T_y d_y``).
    """
    nX, nW_ih, nW_hh, nb = nombres
    f = validar_pesos(
        Formas() if f is None else f, (nX, X, f"... {entrada}"), (nW_ih, W_ih, f"4d_h {entrada.split()[1]}")
    )
    if f["4d_h"] % 4:
        raise ErrorDeForma(
            f"'{nW_ih}' apila las cuatro puertas (i, f, g, o): su primera dimensión debe ser múltiplo de 4, "
            f"pero se recibió {tuple(W_ih.shape)}."
        )
    if "d_h" not in f.valores:
        f.fijar("d_h", f["4d_h"] // 4, nW_ih)
    validar_pesos(f, (nW_hh, W_hh, "4d_h d_h"), (nb, b, "4d_h"))
    for nombre, estado in (("h_0", h_0), ("c_0", c_0)):
        if estado is not None:
            validar_pesos(f, (nombre, estado, "... d_h"))
    return f


def validar_objetivos(objetivos, f: Formas) -> None:
    """``objetivos`` (..., T_y) debe contener enteros entre 0 y N_V - 1."""
    f.comprobar("objetivos", objetivos, "... T_y")
    N_V = f["N_V"]
    if not str(objetivos.dtype).replace("torch.", "").startswith(("int", "uint")):
        raise TypeError(
            f"'objetivos' debe ser de enteros (índices del vocabulario), pero se recibió dtype {objetivos.dtype}."
        )
    if bool((objetivos < 0).any()) or bool((objetivos >= N_V).any()):
        raise ErrorDeForma(
            f"'objetivos' debe contener enteros entre 0 y N_V-1={N_V - 1} (N_V tomado de '{f.origen['N_V']}'), "
            f"pero sus valores van de {int(objetivos.min())} a {int(objetivos.max())}."
        )


def validar_seq2seq(X, Y_entrada, objetivos, W_ih_cod, W_hh_cod, b_cod, W_ih_dec, W_hh_dec, b_dec, W_s, b_s):
    """Argumentos de ``seq2seq_log_verosimilitud`` (ec. `seq2seq-factorizacion`).

    Codificador y decodificador comparten ``d_h``: el estado final del primero inicia el segundo.
    """
    f = validar_lstm(X, W_ih_cod, W_hh_cod, b_cod, nombres=("X", "W_ih_cod", "W_hh_cod", "b_cod"))
    validar_lstm(
        Y_entrada, W_ih_dec, W_hh_dec, b_dec, nombres=("Y_entrada", "W_ih_dec", "W_hh_dec", "b_dec"), f=f,
        entrada="T_y d_y",
    )  # fmt: skip
    validar_pesos(f, ("W_s", W_s, "N_V d_h"), ("b_s", b_s, "N_V"))
    validar_objetivos(objetivos, f)
    return f


def validar_seq2seq_contexto(X, Y_entrada, W_xh, W_hh, b_h, W_ih_dec, W_hh_dec, b_dec, W_o, b_o) -> Formas:
    """Argumentos de ``seq2seq_contexto`` (ec. `seq2seq-vector-contexto`)."""
    f = validar_elman(X, W_xh, W_hh, b_h)
    validar_pesos(f, ("Y_entrada", Y_entrada, "... T_y d_y"))
    f.fijar("d_y+d_h", f["d_y"] + f["d_h"], "Y_entrada y W_hh")
    validar_pesos(f, ("W_ih_dec", W_ih_dec, "d_s d_y+d_h"), ("W_hh_dec", W_hh_dec, "d_s d_s"), ("b_dec", b_dec, "d_s"))
    f.fijar("d_s+d_y+d_h", f["d_s"] + f["d_y+d_h"], "W_hh_dec, Y_entrada y W_hh")
    validar_pesos(f, ("W_o", W_o, "N_V d_s+d_y+d_h"), ("b_o", b_o, "N_V"))
    return f
