"""Visión: parches de ViT y atención jerárquica en ventanas de Swin (capítulo 10).

Las imágenes de ViT van con los canales delante, como en PyTorch: ``(..., C, H, W)``. Los mapas
de parches de Swin van con los canales al final, como en su código: ``(..., H, W, C)``. Los pesos
siguen la orientación de ``nn.Linear.weight`` (salida, entrada) y se aplican como ``x @ W.T + b``.
"""

from __future__ import annotations

import numpy as np

from ..ecuaciones import implementa
from ..validacion.atencion import validar_longitud
from ..validacion.vision import (
    validar_atencion_ventanas,
    validar_bloque_swin,
    validar_bloque_vit,
    validar_clasificacion,
    validar_desplazamiento,
    validar_fusion_parches,
    validar_imagen,
    validar_incrustacion_parches,
    validar_mapa,
    validar_pesos_bloque_swin,
    validar_positivo,
    validar_ventanas,
)
from .atencion import atencion_escalada
from .bloques import pre_ln, red_posicional
from .multicabeza import atencion_multicabeza
from .normalizacion import normalizacion_capa
from .softmax import softmax

__all__ = [
    "dividir_en_parches",
    "incrustar_parches",
    "bloque_vit",
    "clasificar_imagen",
    "particionar_ventanas",
    "revertir_ventanas",
    "indice_posicion_relativa",
    "mascara_ventanas_desplazadas",
    "atencion_ventanas",
    "bloque_swin",
    "bloques_swin",
    "fusionar_parches",
    "coste_atencion_swin",
]


@implementa("vit-parches")
def dividir_en_parches(x, P):
    """Divide la imagen en parches de ``P×P`` y aplana cada uno (ec. `vit-parches`).

    Los parches se recorren por filas (de izquierda a derecha y de arriba abajo) y cada uno se
    aplana en el orden ``(c, i, j)``: el mismo de ``Conv2d.weight.reshape(D, -1)``, de modo que
    proyectar los parches equivale a una convolución con ``kernel_size = stride = P``.

    Formas
    ------
    x : (..., C, H, W), con H y W múltiplos de P    salida : (..., N, C·P·P), N = H·W / P²
    """
    f = validar_imagen(x, P)
    C, H, W = f["C"], f["H"], f["W"]
    x = x.reshape(*x.shape[:-3], C, H // P, P, W // P, P)  # (..., C, H/P, P, W/P, P)
    x = np.moveaxis(x, (-4, -2), (-5, -4))  # (..., H/P, W/P, C, P, P)
    return x.reshape(*x.shape[:-5], f["N"], C * P * P)  # (..., N, C·P·P)


@implementa("vit-incrustacion-parches-cls")
def incrustar_parches(x, P, E, b_E, x_clase, E_pos):
    """Incrustación de parches de ViT con token de clase y posiciones aprendidas (ec. `vit-incrustacion-parches-cls`).

    ``z_0 = [x_clase; x_p^1 E; …; x_p^N E] + E_pos``. Aquí ``E`` tiene la orientación de
    ``nn.Linear`` (la traspuesta de la del artículo) y lleva sesgo ``b_E``, como la convolución
    ``conv_proj`` de ViT.

    Formas
    ------
    x : (..., C, H, W)    E : (D, C·P·P)    b_E : (D,)    x_clase : (D,)    E_pos : (N+1, D)
    salida z_0 : (..., N+1, D); la fila 0 es el token de clase
    """
    validar_incrustacion_parches(x, P, E, b_E, x_clase, E_pos)
    parches = dividir_en_parches(x, P) @ E.T + b_E  # (..., N, D)
    clase = np.broadcast_to(x_clase, (*parches.shape[:-2], 1, x_clase.shape[-1]))  # (..., 1, D)
    return np.concatenate([clase, parches], axis=-2) + E_pos  # (..., N+1, D)


@implementa("vit-bloque-codificador")
def bloque_vit(z, gamma_1, beta_1, W_qkv, b_qkv, W_o, b_o, gamma_2, beta_2, W_1, b_1, W_2, b_2, n_cabezas, eps=1e-6):
    """Bloque Pre-LN del codificador de ViT (ec. `vit-bloque-codificador`).

    ``z' = MSA(LN(z)) + z`` y ``z_ℓ = MLP(LN(z')) + z'``, con la MLP de dos capas y GELU. Se
    compone de :func:`pre_ln`, :func:`atencion_multicabeza` y :func:`red_posicional`. ``W_qkv``
    apila ``[W_q; W_k; W_v]`` como ``in_proj_weight`` de ``nn.MultiheadAttention``.

    Formas
    ------
    z : (..., T, D)    gamma_1, beta_1, gamma_2, beta_2 : (D,)    W_qkv : (3·D, D)    b_qkv : (3·D,)
    W_o : (D, D)    b_o : (D,)    W_1 : (d_mlp, D)    b_1 : (d_mlp,)    W_2 : (D, d_mlp)    b_2 : (D,)
    salida : (..., T, D)
    """
    validar_bloque_vit(z, gamma_1, beta_1, W_qkv, b_qkv, gamma_2, beta_2, n_cabezas)
    W_q, W_k, W_v = np.split(W_qkv, 3)  # cada una (D, D)
    b_q, b_k, b_v = np.split(b_qkv, 3)

    def msa(u):
        return atencion_multicabeza(u, W_q, W_k, W_v, W_o, n_cabezas, b_q, b_k, b_v, b_o)

    def mlp(u):
        return red_posicional(u, W_1, b_1, W_2, b_2, activacion="gelu")

    z = pre_ln(z, msa, gamma_1, beta_1, eps)  # z'_ℓ
    return pre_ln(z, mlp, gamma_2, beta_2, eps)  # z_ℓ


@implementa("vit-salida-clasificacion")
def clasificar_imagen(z_L, gamma, beta, W_cabeza, b_cabeza, eps=1e-6):
    """Probabilidades de cada clase a partir del token de clase (ec. `vit-salida-clasificacion`).

    ``y = LN(z_L^0)`` y ``P(c | x) = softmax(W_cabeza y + b_cabeza)``. ``eps=1e-6`` como la
    LayerNorm de ViT (torchvision y el código original).

    Formas
    ------
    z_L : (..., N+1, D)    gamma, beta : (D,)    W_cabeza : (n_clases, D)    b_cabeza : (n_clases,)
    salida : (..., n_clases), cada fila suma 1
    """
    validar_clasificacion(z_L, gamma, beta, W_cabeza, b_cabeza)
    validar_positivo("eps", eps)
    y = normalizacion_capa(z_L[..., 0, :], gamma, beta, eps)  # (..., D)
    return softmax(y @ W_cabeza.T + b_cabeza)  # (..., n_clases)


def _particionar(x, M):
    *lote, H, W, C = x.shape
    x = x.reshape(*lote, H // M, M, W // M, M, C)  # (..., H/M, M, W/M, M, C)
    x = np.swapaxes(x, -4, -3)  # (..., H/M, W/M, M, M, C)
    return x.reshape(*lote, (H // M) * (W // M), M * M, C)  # (..., n_v, M², C)


def particionar_ventanas(x, M):
    """Parte el mapa de parches en ventanas de ``M×M`` que no se solapan (Swin, §3.2).

    Formas
    ------
    x : (..., H, W, C), de cualquier tipo    salida : (..., n_v, M², C), n_v = (H/M)·(W/M)
    """
    validar_mapa(x, M, flotante=False)
    return _particionar(x, M)


def revertir_ventanas(ventanas, H, W):
    """Inversa de :func:`particionar_ventanas`: recompone el mapa ``H×W``.

    Formas
    ------
    ventanas : (..., n_v, M², C)    salida : (..., H, W, C)
    """
    M = validar_ventanas(ventanas, H, W)
    *lote, _, _, C = ventanas.shape
    x = ventanas.reshape(*lote, H // M, W // M, M, M, C)  # (..., H/M, W/M, M, M, C)
    x = np.swapaxes(x, -4, -3)  # (..., H/M, M, W/M, M, C)
    return x.reshape(*lote, H, W, C)  # (..., H, W, C)


def indice_posicion_relativa(M):
    """Índice en la tabla ``B̂`` de la posición relativa de cada par de parches de una ventana.

    Para los parches ``a = (i, j)`` y ``b = (k, l)``: ``(i-k+M-1)·(2M-1) + (j-l+M-1)``, como
    ``relative_position_index`` del código de Swin.

    Formas
    ------
    salida : (M², M²), enteros en [0, (2M-1)²)
    """
    validar_longitud("M", M)
    filas, columnas = np.meshgrid(np.arange(M), np.arange(M), indexing="ij")
    coords = np.stack([filas.ravel(), columnas.ravel()])  # (2, M²)
    relativas = coords[:, :, None] - coords[:, None, :] + (M - 1)  # (2, M², M²), en [0, 2M-2]
    return relativas[0] * (2 * M - 1) + relativas[1]  # (M², M²)


def mascara_ventanas_desplazadas(H, W, M, desplazamiento):
    """Máscara de SW-MSA: tras el desplazamiento cíclico, cada parche solo atiende a su región.

    El mapa desplazado se divide en 3×3 regiones (cortes en ``H-M`` y ``H-s`` y lo mismo en
    columnas); dos parches de una misma ventana pueden atenderse si eran contiguos en la imagen
    original, es decir, si están en la misma región. Con ``desplazamiento=0``, todo True.

    Formas
    ------
    salida : (n_v, M², M²), booleana; True = puede atender
    """
    validar_desplazamiento(H, W, M, desplazamiento)
    s = desplazamiento

    def region(n):
        return (np.arange(n) >= n - M).astype(np.int64) + (np.arange(n) >= n - s)  # 0, 1 o 2

    etiquetas = 3 * region(H)[:, None] + region(W)[None, :]  # (H, W)
    e = _particionar(etiquetas[:, :, None], M)[..., 0]  # (n_v, M²)
    return e[:, :, None] == e[:, None, :]  # (n_v, M², M²)


@implementa("swin-atencion-ventana")
def atencion_ventanas(x, W_qkv, b_qkv, W_o, b_o, tabla_sesgo, n_cabezas, M, desplazamiento=0):
    """Atención multicabeza en ventanas con sesgo de posición relativa (ec. `swin-atencion-ventana`).

    En cada ventana, ``softmax(QKᵀ/√d + B) V`` con ``B[a, b] = B̂[índice(a, b)]``. Con
    ``desplazamiento = s > 0`` es SW-MSA: el mapa se desplaza ``(-s, -s)`` (``np.roll``), se
    enmascaran los pares de regiones no contiguas y al final se deshace el desplazamiento.

    Formas
    ------
    x : (..., H, W, C)    W_qkv : (3·C, C), filas [W_q; W_k; W_v]    b_qkv : (3·C,)
    W_o : (C, C)    b_o : (C,)    tabla_sesgo B̂ : ((2M-1)², n_cabezas)    salida : (..., H, W, C)
    """
    f = validar_atencion_ventanas(x, W_qkv, b_qkv, W_o, b_o, tabla_sesgo, n_cabezas, M, desplazamiento)
    H, W, C, s = f["H"], f["W"], f["C"], desplazamiento
    if s:
        x = np.roll(x, (-s, -s), axis=(-3, -2))  # desplazamiento cíclico
    # 1) proyectar cada ventana y separar cabezas
    qkv = _particionar(x, M) @ W_qkv.T + b_qkv  # (..., n_v, M², 3·C)
    qkv = qkv.reshape(*qkv.shape[:-1], 3, n_cabezas, C // n_cabezas)  # (..., n_v, M², 3, h, d)
    Q, K, V = np.moveaxis(qkv, (-3, -2), (0, -3))  # cada una (..., n_v, h, M², d)
    # 2) sesgo relativo B (h, M², M²) y, en SW-MSA, -inf entre regiones no contiguas
    sesgo = np.moveaxis(tabla_sesgo[indice_posicion_relativa(M)], -1, 0).astype(x.dtype)  # (h, M², M²)
    if s:
        permitido = mascara_ventanas_desplazadas(H, W, M, s)[:, None]  # (n_v, 1, M², M²)
        sesgo = sesgo + np.where(permitido, 0.0, -np.inf).astype(x.dtype)  # (n_v, h, M², M²)
    # 3) atención con el sesgo aditivo, unir cabezas y proyectar
    salida = np.swapaxes(atencion_escalada(Q, K, V, mascara=sesgo), -3, -2)  # (..., n_v, M², h, d)
    salida = salida.reshape(*salida.shape[:-2], C) @ W_o.T + b_o  # (..., n_v, M², C)
    salida = revertir_ventanas(salida, H, W)  # (..., H, W, C)
    return np.roll(salida, (s, s), axis=(-3, -2)) if s else salida


def bloque_swin(z, gamma_1, beta_1, W_qkv, b_qkv, W_o, b_o, tabla_sesgo, gamma_2, beta_2, W_1, b_1, W_2, b_2,
                n_cabezas, M, desplazamiento=0, eps=1e-5):  # fmt: skip
    """Un bloque de Swin: ``ẑ = (S)W-MSA(LN(z)) + z`` y ``MLP(LN(ẑ)) + ẑ`` (MLP con GELU).

    Formas
    ------
    z : (..., H, W, C)    pesos : los de :func:`atencion_ventanas` y :func:`red_posicional`; LN de (C,)
    salida : (..., H, W, C)
    """
    validar_bloque_swin(z, gamma_1, beta_1, gamma_2, beta_2, M)

    def msa(u):
        return atencion_ventanas(u, W_qkv, b_qkv, W_o, b_o, tabla_sesgo, n_cabezas, M, desplazamiento)

    def mlp(u):
        return red_posicional(u, W_1, b_1, W_2, b_2, activacion="gelu")

    z = pre_ln(z, msa, gamma_1, beta_1, eps)  # ẑ
    return pre_ln(z, mlp, gamma_2, beta_2, eps)  # z


@implementa("swin-bloques-consecutivos")
def bloques_swin(z, pesos_W, pesos_SW, n_cabezas, M, eps=1e-5):
    """Par de bloques consecutivos de Swin: W-MSA y después SW-MSA (ec. `swin-bloques-consecutivos`).

    El segundo desplaza las ventanas ``⌊M/2⌋`` parches: la información cruza los bordes de las del
    primero. ``pesos_W`` y ``pesos_SW`` son diccionarios con las claves de :func:`bloque_swin`
    (``gamma_1, beta_1, W_qkv, b_qkv, W_o, b_o, tabla_sesgo, gamma_2, beta_2, W_1, b_1, W_2, b_2``).

    Formas
    ------
    z : (..., H, W, C)    salida : (..., H, W, C)
    """
    validar_pesos_bloque_swin("pesos_W", pesos_W)
    validar_pesos_bloque_swin("pesos_SW", pesos_SW)
    z = bloque_swin(z, **pesos_W, n_cabezas=n_cabezas, M=M, desplazamiento=0, eps=eps)  # W-MSA
    return bloque_swin(z, **pesos_SW, n_cabezas=n_cabezas, M=M, desplazamiento=M // 2, eps=eps)  # SW-MSA


@implementa("swin-fusion-parches")
def fusionar_parches(x, gamma, beta, W_red, eps=1e-5):
    """Fusión de parches de Swin: 2×2 vecinos → un parche con el doble de canales (ec. `swin-fusion-parches`).

    ``x'_{i,j} = W_red LN([x_{2i,2j}; x_{2i+1,2j}; x_{2i,2j+1}; x_{2i+1,2j+1}])``, en el orden de
    concatenación de Swin y torchvision (``x0, x1, x2, x3``); ``W_red`` no tiene sesgo.

    Formas
    ------
    x : (..., H, W, C), H y W pares    gamma, beta : (4·C,)    W_red : (2·C, 4·C)
    salida : (..., H/2, W/2, 2·C)
    """
    validar_fusion_parches(x, gamma, beta, W_red)
    validar_positivo("eps", eps)
    x0, x1 = x[..., 0::2, 0::2, :], x[..., 1::2, 0::2, :]  # (..., H/2, W/2, C)
    x2, x3 = x[..., 0::2, 1::2, :], x[..., 1::2, 1::2, :]
    z = np.concatenate([x0, x1, x2, x3], axis=-1)  # (..., H/2, W/2, 4·C)
    return normalizacion_capa(z, gamma, beta, eps) @ W_red.T  # (..., H/2, W/2, 2·C)


@implementa("swin-complejidad")
def coste_atencion_swin(h, w, C, M):
    """Coste (multiplicaciones-sumas) de MSA global frente a MSA en ventanas (ec. `swin-complejidad`).

    ``Ω(MSA) = 4hwC² + 2(hw)²C`` y ``Ω(W-MSA) = 4hwC² + 2M²hwC``: ``4hwC²`` son las proyecciones
    Q, K, V y la de salida; el segundo término, ``QKᵀ`` y ``AV``. Se omiten el softmax y los sesgos.
    Un contador de FLOPs que cuenta ``2·m·n·k`` por producto de matrices da el doble.

    Formas
    ------
    devuelve (omega_msa, omega_wmsa) : dos enteros de Python
    """
    for nombre, n in (("h", h), ("w", w), ("C", C), ("M", M)):
        validar_longitud(nombre, n)
    proyecciones = 4 * h * w * C * C
    return proyecciones + 2 * (h * w) ** 2 * C, proyecciones + 2 * M * M * h * w * C
