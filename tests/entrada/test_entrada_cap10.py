"""Entradas erróneas del capítulo 10 (visión): errores claros en español (mensaje por regex)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from transformadores import ErrorDeForma, con_numpy, con_torch

GEMELOS = pytest.mark.parametrize("g", [con_numpy, con_torch], ids=["numpy", "torch"])


def _arr(g, *forma, dtype=None):
    x = np.ones(forma, dtype=dtype or np.float64)
    return torch.from_numpy(x) if g is con_torch else x


def _swin(g, C=6, n_cabezas=2, M=4):
    return _arr(g, 3 * C, C), _arr(g, 3 * C), _arr(g, C, C), _arr(g, C), _arr(g, (2 * M - 1) ** 2, n_cabezas)


@pytest.mark.ecuacion("vit-parches")
@GEMELOS
def test_parches_rechaza_tamanos(g):
    with pytest.raises(
        ErrorDeForma, match=r"'x' debe tener W múltiplo de P=4, pero se recibió la forma \(2, 3, 8, 10\)"
    ):
        g.dividir_en_parches(_arr(g, 2, 3, 8, 10), 4)
    with pytest.raises(ErrorDeForma, match=r"'x' debe tener forma \(\.\.\., C, H, W\), pero se recibió \(8, 8\)"):
        g.dividir_en_parches(_arr(g, 8, 8), 4)
    with pytest.raises(ErrorDeForma, match=r"'P' debe ser un entero positivo, pero se recibió 0"):
        g.dividir_en_parches(_arr(g, 3, 8, 8), 0)
    with pytest.raises(TypeError, match=r"'x' debe ser de coma flotante"):
        g.dividir_en_parches(_arr(g, 3, 8, 8, dtype=np.int64), 4)


@pytest.mark.ecuacion("vit-incrustacion-parches-cls")
@GEMELOS
def test_incrustacion_rechaza_formas(g):
    x = _arr(g, 2, 3, 8, 8)  # N = 4 con P = 4
    with pytest.raises(ErrorDeForma, match=r"'E' debe tener forma \(D, C·P·P\) con C·P·P=48 \(tomado de 'x'\)"):
        g.incrustar_parches(x, 4, _arr(g, 5, 47), _arr(g, 5), _arr(g, 5), _arr(g, 5, 5))
    with pytest.raises(ErrorDeForma, match=r"'E_pos' debe tener forma \(N\+1, D\) con N\+1=5 \(tomado de 'x'\)"):
        g.incrustar_parches(x, 4, _arr(g, 5, 48), _arr(g, 5), _arr(g, 5), _arr(g, 4, 5))
    with pytest.raises(ErrorDeForma, match=r"'x_clase' debe tener forma \(D,\) con D=5 \(tomado de 'E'\)"):
        g.incrustar_parches(x, 4, _arr(g, 5, 48), _arr(g, 5), _arr(g, 6), _arr(g, 5, 5))


@pytest.mark.ecuacion("vit-salida-clasificacion")
@GEMELOS
def test_clasificacion_rechaza_formas(g):
    z = _arr(g, 2, 5, 8)
    with pytest.raises(ErrorDeForma, match=r"'W_cabeza' debe tener forma \(n_clases, D\) con D=8 \(tomado de 'z_L'\)"):
        g.clasificar_imagen(z, _arr(g, 8), _arr(g, 8), _arr(g, 3, 7), _arr(g, 3))
    with pytest.raises(ErrorDeForma, match=r"'eps' debe ser un número positivo, pero se recibió 0"):
        g.clasificar_imagen(z, _arr(g, 8), _arr(g, 8), _arr(g, 3, 8), _arr(g, 3), eps=0)


@pytest.mark.ecuacion("swin-atencion-ventana")
@GEMELOS
def test_ventanas_rechazan_formas(g):
    with pytest.raises(ErrorDeForma, match=r"'x' debe tener H múltiplo de M=4, pero se recibió la forma \(6, 8, 3\)"):
        g.particionar_ventanas(_arr(g, 6, 8, 3), 4)
    with pytest.raises(ErrorDeForma, match=r"'ventanas' debe tener forma \(\.\.\., n_v, M², C\) con M² un cuadrado"):
        g.revertir_ventanas(_arr(g, 4, 15, 3), 8, 8)
    with pytest.raises(ErrorDeForma, match=r"n_v=\(H/M\)·\(W/M\), pero se recibió \(3, 16, 3\)"):
        g.revertir_ventanas(_arr(g, 3, 16, 3), 8, 8)
    with pytest.raises(ErrorDeForma, match=r"'M' debe ser un entero positivo, pero se recibió -1"):
        g.indice_posicion_relativa(-1)
    with pytest.raises(ErrorDeForma, match=r"'W' debe ser múltiplo de M=4, pero se recibió W=10"):
        g.mascara_ventanas_desplazadas(8, 10, 4, 2)
    with pytest.raises(ErrorDeForma, match=r"'desplazamiento' debe ser un entero entre 0 y M-1=3, pero se recibió 4"):
        g.mascara_ventanas_desplazadas(8, 8, 4, 4)


@pytest.mark.ecuacion("swin-atencion-ventana")
@GEMELOS
def test_atencion_ventanas_rechaza_argumentos(g):
    x = _arr(g, 2, 8, 8, 6)
    W_qkv, b_qkv, W_o, b_o, tabla = _swin(g)
    with pytest.raises(ErrorDeForma, match=r"'tabla_sesgo' debe tener forma \(\(2M-1\)², n_cabezas\) con \(2M-1\)²=49"):
        g.atencion_ventanas(x, W_qkv, b_qkv, W_o, b_o, _arr(g, 36, 2), 2, 4)
    with pytest.raises(ErrorDeForma, match=r"'W_qkv' debe tener forma \(3·C, C\) con 3·C=18 \(tomado de 'x'\)"):
        g.atencion_ventanas(x, _arr(g, 12, 6), b_qkv, W_o, b_o, tabla, 2, 4)
    with pytest.raises(ErrorDeForma, match=r"'x' debe tener C múltiplo de n_cabezas=4"):
        g.atencion_ventanas(x, W_qkv, b_qkv, W_o, b_o, _arr(g, 49, 4), 4, 4)
    with pytest.raises(ErrorDeForma, match=r"'desplazamiento' debe ser un entero entre 0 y M-1=3, pero se recibió 2.0"):
        g.atencion_ventanas(x, W_qkv, b_qkv, W_o, b_o, tabla, 2, 4, 2.0)


@pytest.mark.ecuacion("swin-fusion-parches")
@GEMELOS
def test_fusion_rechaza_formas(g):
    with pytest.raises(ErrorDeForma, match=r"'x' debe tener W múltiplo de 2, pero se recibió la forma \(4, 5, 3\)"):
        g.fusionar_parches(_arr(g, 4, 5, 3), _arr(g, 12), _arr(g, 12), _arr(g, 6, 12))
    with pytest.raises(ErrorDeForma, match=r"'W_red' debe tener forma \(2·C, 4·C\) con 2·C=6 \(tomado de 'x'\)"):
        g.fusionar_parches(_arr(g, 4, 4, 3), _arr(g, 12), _arr(g, 12), _arr(g, 12, 6))


@pytest.mark.ecuacion("swin-complejidad")
@GEMELOS
def test_complejidad_rechaza_enteros_no_positivos(g):
    with pytest.raises(ErrorDeForma, match=r"'C' debe ser un entero positivo, pero se recibió 96.0"):
        g.coste_atencion_swin(56, 56, 96.0, 7)


@pytest.mark.ecuacion("vit-bloque-codificador")
@GEMELOS
def test_bloque_vit_rechaza_pesos(g):
    D = 8
    ln, W_o, mlp = (_arr(g, D), _arr(g, D)), (_arr(g, D, D), _arr(g, D)), (_arr(g, 16, D), _arr(g, 16), _arr(g, D, 16))
    with pytest.raises(ErrorDeForma, match=r"'W_qkv' debe tener forma \(3·D, D\) con 3·D=24 \(tomado de 'z'\)"):
        g.bloque_vit(_arr(g, 2, 5, D), *ln, _arr(g, D, D), _arr(g, 3 * D), *W_o, *ln, *mlp, _arr(g, D), 2)
    with pytest.raises(ErrorDeForma, match=r"'beta_2' debe tener forma \(D,\) con D=8 \(tomado de 'z'\)"):
        g.bloque_vit(
            _arr(g, 2, 5, D), *ln, _arr(g, 3 * D, D), _arr(g, 3 * D), *W_o, ln[0], _arr(g, 7), *mlp, _arr(g, D), 2
        )
    with pytest.raises(ErrorDeForma, match=r"'z' debe tener D múltiplo de n_cabezas=3"):
        g.bloque_vit(_arr(g, 2, 5, D), *ln, _arr(g, 3 * D, D), _arr(g, 3 * D), *W_o, *ln, *mlp, _arr(g, D), 3)
    with pytest.raises(ErrorDeForma, match=r"'W_2' debe tener forma"):  # lo comprueba red_posicional
        g.bloque_vit(
            _arr(g, 2, 5, D), *ln, _arr(g, 3 * D, D), _arr(g, 3 * D), *W_o, *ln, *mlp[:2], _arr(g, D, 15), _arr(g, D), 2
        )


def _pesos_swin(g, C=6, M=4):
    W_qkv, b_qkv, W_o, b_o, tabla = _swin(g, C, 2, M)
    nombres = "gamma_1 beta_1 W_qkv b_qkv W_o b_o tabla_sesgo gamma_2 beta_2 W_1 b_1 W_2 b_2".split()
    valores = (_arr(g, C), _arr(g, C), W_qkv, b_qkv, W_o, b_o, tabla, _arr(g, C), _arr(g, C))
    return dict(zip(nombres, (*valores, _arr(g, 12, C), _arr(g, 12), _arr(g, C, 12), _arr(g, C))))


@pytest.mark.ecuacion("swin-bloques-consecutivos")
@GEMELOS
def test_bloques_swin_rechazan_pesos(g):
    x = _arr(g, 8, 8, 6)
    incompletos = {k: v for k, v in _pesos_swin(g).items() if k != "tabla_sesgo"}
    with pytest.raises(ErrorDeForma, match=r"'pesos_SW' debe tener exactamente las claves .* faltan \['tabla_sesgo'\]"):
        g.bloques_swin(x, _pesos_swin(g), incompletos, 2, 4)
    with pytest.raises(TypeError, match=r"'pesos_W' debe ser un diccionario nombre → pesos, pero se recibió tuple"):
        g.bloques_swin(x, tuple(_pesos_swin(g).values()), _pesos_swin(g), 2, 4)
    with pytest.raises(ErrorDeForma, match=r"'z' debe tener H múltiplo de M=4, pero se recibió la forma \(6, 8, 6\)"):
        g.bloques_swin(_arr(g, 6, 8, 6), _pesos_swin(g), _pesos_swin(g), 2, 4)
    with pytest.raises(ErrorDeForma, match=r"'gamma_1' debe tener forma \(C,\) con C=6 \(tomado de 'z'\)"):
        g.bloque_swin(x, **{**_pesos_swin(g), "gamma_1": _arr(g, 5)}, n_cabezas=2, M=4)
