"""Entradas erróneas del capítulo 2: cada función pública lanza un error claro en español (mensaje por regex)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from transformadores import ErrorDeForma, con_numpy, con_torch

GEMELOS = pytest.mark.parametrize("g", [con_numpy, con_torch], ids=["numpy", "torch"])


def _arr(g, *forma, dtype=None):
    x = np.ones(forma, dtype=dtype or np.float64)
    return torch.from_numpy(x) if g is con_torch else x


@pytest.mark.ecuacion("bahdanau-energia-aditiva")
@GEMELOS
def test_energia_aditiva_rechaza_formas(g):
    s, H, W_a, v_a = _arr(g, 2, 3, 4), _arr(g, 2, 6, 8), _arr(g, 5, 4), _arr(g, 5)
    with pytest.raises(ErrorDeForma, match=r"'U_a' debe tener forma \(d_a, d_h\) con d_a=5 \(tomado de 'W_a'\), d_h=8"):
        g.energia_aditiva(s, H, W_a, _arr(g, 5, 7), v_a)
    with pytest.raises(ErrorDeForma, match=r"lote de 'H' \(3,\) no se pueden difundir con las de 's' \(2,\)"):
        g.energia_aditiva(s, _arr(g, 3, 6, 8), W_a, _arr(g, 5, 8), v_a)


@pytest.mark.ecuacion("bahdanau-pesos-alineamiento")
@GEMELOS
def test_pesos_alineamiento_rechaza_mascara_e_infinitos(g):
    with pytest.raises(ErrorDeForma, match=r"'mascara' debe poder difundirse a la forma de 'e' \(2, 3\), .* \(3, 3\)"):
        g.pesos_alineamiento(_arr(g, 2, 3), _arr(g, 3, 3, dtype=bool))
    with pytest.raises(TypeError, match=r"'mascara' debe ser una máscara booleana"):
        g.pesos_alineamiento(_arr(g, 2, 3), _arr(g, 2, 3))
    e = _arr(g, 2, 3)
    e[0, 0] = np.inf
    with pytest.raises(ErrorDeForma, match=r"'e' contiene NaN o \+inf"):
        g.pesos_alineamiento(e)


@pytest.mark.ecuacion("bahdanau-contexto")
@GEMELOS
def test_contexto_bahdanau_rechaza_formas(g):
    with pytest.raises(ErrorDeForma, match=r"'H' debe tener forma \(\.\.\., T_x, d_h\) con T_x=6 \(tomado de 'alfa'\)"):
        g.contexto_bahdanau(_arr(g, 2, 3, 6), _arr(g, 2, 5, 8))


@pytest.mark.ecuacion("bahdanau-contexto")
@GEMELOS
def test_paso_decodificador_rechaza_formas(g):
    inicio = (_arr(g, 2, 4), _arr(g, 2, 3), _arr(g, 2, 6, 8), _arr(g, 5, 4), _arr(g, 5, 8), _arr(g, 5))
    salida = (_arr(g, 4, 4), _arr(g, 4), _arr(g, 7, 15), _arr(g, 7))
    with pytest.raises(ErrorDeForma, match=r"'W_ih' debe tener forma \(d_s, d_y\+d_h\) con d_s=4 .* d_y\+d_h=11"):
        g.paso_decodificador_bahdanau(*inicio, _arr(g, 4, 10), *salida)
    with pytest.raises(ErrorDeForma, match=r"'mascara' debe poder difundirse a \(\.\.\., T_x\) = \(2, 6\)"):
        g.paso_decodificador_bahdanau(*inicio, _arr(g, 4, 11), *salida, mascara=_arr(g, 2, 5, dtype=bool))


@pytest.mark.ecuacion("luong-puntuacion-dot")
@pytest.mark.ecuacion("luong-puntuacion-general")
@pytest.mark.ecuacion("luong-puntuacion-concat")
@GEMELOS
def test_puntuaciones_luong_rechazan_formas(g):
    h_t, h_s = _arr(g, 2, 3, 4), _arr(g, 2, 6, 5)
    with pytest.raises(ErrorDeForma, match=r"'h_s' debe tener forma \(\.\.\., S, d\) con d=4 \(tomado de 'h_t'\)"):
        g.puntuacion_dot(h_t, h_s)
    with pytest.raises(ErrorDeForma, match=r"'W_a' debe tener forma \(d_t, d_s\) con d_t=4 .*, d_s=5 .* \(5, 4\)"):
        g.puntuacion_general(h_t, h_s, _arr(g, 5, 4))
    with pytest.raises(ErrorDeForma, match=r"'W_a' debe tener forma \(d_a, d_t\+d_s\) con d_t\+d_s=9"):
        g.puntuacion_concat(h_t, h_s, _arr(g, 3, 8), _arr(g, 3))


@pytest.mark.ecuacion("luong-atencion-global")
@GEMELOS
def test_atencion_global_luong_rechaza_argumentos(g):
    h_t, W_s = _arr(g, 2, 3, 4), _arr(g, 7, 6)
    with pytest.raises(ErrorDeForma, match=r"'puntuacion' debe ser una de \('dot', 'general', 'concat'\)"):
        g.atencion_global_luong(h_t, _arr(g, 2, 6, 4), _arr(g, 6, 8), W_s, "coseno")
    with pytest.raises(
        ErrorDeForma, match=r"Con puntuacion='dot', 'h_t' y 'h_s' deben tener la misma última dimensión"
    ):
        g.atencion_global_luong(h_t, _arr(g, 2, 6, 5), _arr(g, 6, 9), W_s)
    with pytest.raises(ErrorDeForma, match=r"Con puntuacion='general' hace falta 'W_a'"):
        g.atencion_global_luong(h_t, _arr(g, 2, 6, 5), _arr(g, 6, 9), W_s, "general")
    with pytest.raises(ErrorDeForma, match=r"'W_c' debe tener forma \(d_c, d_s\+d_t\) con d_s\+d_t=8"):
        g.atencion_global_luong(h_t, _arr(g, 2, 6, 4), _arr(g, 6, 9), W_s)
    with pytest.raises(ErrorDeForma, match=r"'mascara' debe poder difundirse a \(\.\.\., T, S\) = \(2, 3, 6\)"):
        g.atencion_global_luong(h_t, _arr(g, 2, 6, 4), _arr(g, 6, 8), W_s, mascara=_arr(g, 2, 3, 5, dtype=bool))
