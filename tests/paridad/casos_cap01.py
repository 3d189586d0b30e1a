"""Casos de prueba del capítulo 1: argumentos NumPy (float64) para cada función gemela."""

from __future__ import annotations

# caso → (función, id de la ecuación)
CASOS = {
    "rnn_elman": ("rnn_elman", "rnn-elman-recurrencia"),
    "rnn_elman_h_0": ("rnn_elman", "rnn-elman-recurrencia"),
    "jacobiano_rnn_k0": ("jacobiano_rnn", "rnn-gradiente-desvaneciente"),
    "jacobiano_rnn_k2": ("jacobiano_rnn", "rnn-gradiente-desvaneciente"),
    "jacobiano_rnn_kT": ("jacobiano_rnn", "rnn-gradiente-desvaneciente"),
    "lstm": ("lstm", "lstm-celda"),
    "lstm_estado": ("lstm", "lstm-celda"),
    "seq2seq_log_verosimilitud": ("seq2seq_log_verosimilitud", "seq2seq-factorizacion"),
    "seq2seq_contexto": ("seq2seq_contexto", "seq2seq-vector-contexto"),
}


def _w(rng, *forma, escala=0.5):
    return rng.standard_normal(forma) * escala


def elman(rng, B=2, T=5, d_x=3, d_h=4):
    """X, W_xh, W_hh, b_h."""
    return _w(rng, B, T, d_x, escala=1.0), _w(rng, d_h, d_x), _w(rng, d_h, d_h), _w(rng, d_h)


def lstm(rng, d_x=3, d_h=4):
    """W_ih, W_hh, b con las puertas (i, f, g, o) apiladas."""
    return _w(rng, 4 * d_h, d_x), _w(rng, 4 * d_h, d_h), _w(rng, 4 * d_h)


def seq2seq(rng, B=2, T=5, T_y=4, d_x=3, d_y=2, d_h=4, N_V=6):
    """Argumentos de seq2seq_log_verosimilitud."""
    X, Y = _w(rng, B, T, d_x, escala=1.0), _w(rng, B, T_y, d_y, escala=1.0)
    objetivos = rng.integers(0, N_V, size=(B, T_y))
    return (X, Y, objetivos, *lstm(rng, d_x, d_h), *lstm(rng, d_y, d_h), _w(rng, N_V, d_h), _w(rng, N_V))


def contexto(rng, B=2, T=5, T_y=4, d_x=3, d_y=2, d_h=4, d_s=5, N_V=6):
    """Argumentos de seq2seq_contexto."""
    X, W_xh, W_hh, b_h = elman(rng, B, T, d_x, d_h)
    Y = _w(rng, B, T_y, d_y, escala=1.0)
    dec = (_w(rng, d_s, d_y + d_h), _w(rng, d_s, d_s), _w(rng, d_s))
    return (X, Y, W_xh, W_hh, b_h, *dec, _w(rng, N_V, d_s + d_y + d_h), _w(rng, N_V))


def casos(rng):
    """Diccionario caso → (args, kwargs) con entradas NumPy."""
    X, W_xh, W_hh, b_h = elman(rng)
    salida = (_w(rng, 2, 4), _w(rng, 2))
    return {
        "rnn_elman": ((X, W_xh, W_hh, b_h, *salida), {}),
        "rnn_elman_h_0": ((X, W_xh, W_hh, b_h, *salida), {"h_0": _w(rng, 2, 4)}),
        "jacobiano_rnn_k0": ((X, W_xh, W_hh, b_h), {"h_0": _w(rng, 2, 4)}),
        "jacobiano_rnn_k2": ((X, W_xh, W_hh, b_h), {"k": 2}),
        "jacobiano_rnn_kT": ((X, W_xh, W_hh, b_h), {"k": 5}),
        "lstm": ((X, *lstm(rng)), {}),
        "lstm_estado": ((X, *lstm(rng)), {"h_0": _w(rng, 2, 4), "c_0": _w(rng, 2, 4)}),
        "seq2seq_log_verosimilitud": (seq2seq(rng), {}),
        "seq2seq_contexto": (contexto(rng), {}),
    }
