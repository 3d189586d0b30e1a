"""Visión: parches de ViT y atención en ventanas de Swin (capítulo 10), gemelo PyTorch.

Mismas funciones y firmas que ``con_numpy.vision``. Imágenes de ViT ``(..., C, H, W)``; mapas de
parches de Swin ``(..., H, W, C)``; pesos en la orientación de ``nn.Linear.weight``.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

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

    Equivale a ``F.unfold(x, kernel_size=P, stride=P).transpose(1, 2)``; el aplanado ``(c, i, j)``
    es el de ``Conv2d.weight.reshape(D, -1)``.

    Formas
    ------
    x : (..., C, H, W), con H y W múltiplos de P    salida : (..., N, C·P·P), N = H·W / P²
    """
    f = validar_imagen(x, P)
    C, H, W = f["C"], f["H"], f["W"]
    x = x.reshape(*x.shape[:-3], C, H // P, P, W // P, P)  # (..., C, H/P, P, W/P, P)
    x = x.movedim((-4, -2), (-5, -4))  # (..., H/P, W/P, C, P, P)
    return x.reshape(*x.shape[:-5], f["N"], C * P * P)  # (..., N, C·P·P)


@implementa("vit-incrustacion-parches-cls")
def incrustar_parches(x, P, E, b_E, x_clase, E_pos):
    """Incrustación de parches de ViT con token de clase y posiciones aprendidas (ec. `vit-incrustacion-parches-cls`).

    ``z_0 = [x_clase; x_p^1 E; …; x_p^N E] + E_pos``; ``E`` en la orientación de ``nn.Linear``:
    ``E.reshape(D, C, P, P)`` es el peso de la convolución ``conv_proj`` de ViT.

    Formas
    ------
    x : (..., C, H, W)    E : (D, C·P·P)    b_E : (D,)    x_clase : (D,)    E_pos : (N+1, D)
    salida z_0 : (..., N+1, D); la fila 0 es el token de clase
    """
    validar_incrustacion_parches(x, P, E, b_E, x_clase, E_pos)
    parches = F.linear(dividir_en_parches(x, P), E, b_E)  # (..., N, D)
    clase = x_clase.expand(*parches.shape[:-2], 1, x_clase.shape[-1])  # (..., 1, D)
    return torch.cat([clase, parches], dim=-2) + E_pos  # (..., N+1, D)


@implementa("vit-bloque-codificador")
def bloque_vit(z, gamma_1, beta_1, W_qkv, b_qkv, W_o, b_o, gamma_2, beta_2, W_1, b_1, W_2, b_2, n_cabezas, eps=1e-6):
    """Bloque Pre-LN del codificador de ViT (ec. `vit-bloque-codificador`).

    ``z' = MSA(LN(z)) + z`` y ``z_ℓ = MLP(LN(z')) + z'`` (MLP con GELU); como
    ``nn.TransformerEncoderLayer(norm_first=True, activation="gelu", layer_norm_eps=1e-6)``.

    Formas
    ------
    z : (..., T, D)    gamma_1, beta_1, gamma_2, beta_2 : (D,)    W_qkv : (3·D, D)    b_qkv : (3·D,)
    W_o : (D, D)    b_o : (D,)    W_1 : (d_mlp, D)    b_1 : (d_mlp,)    W_2 : (D, d_mlp)    b_2 : (D,)
    salida : (..., T, D)
    """
    validar_bloque_vit(z, gamma_1, beta_1, W_qkv, b_qkv, gamma_2, beta_2, n_cabezas)
    W_q, W_k, W_v = W_qkv.chunk(3)  # cada una (D, D)
    b_q, b_k, b_v = b_qkv.chunk(3)

    def msa(u):
        return atencion_multicabeza(u, W_q, W_k, W_v, W_o, n_cabezas, b_q, b_k, b_v, b_o)

    def mlp(u):
        return red_posicional(u, W_1, b_1, W_2, b_2, activacion="gelu")

    z = pre_ln(z, msa, gamma_1, beta_1, eps)  # z'_ℓ
    return pre_ln(z, mlp, gamma_2, beta_2, eps)  # z_ℓ


@implementa("vit-salida-clasificacion")
def clasificar_imagen(z_L, gamma, beta, W_cabeza, b_cabeza, eps=1e-6):
    """Probabilidades de cada clase a partir del token de clase (ec. `vit-salida-clasificacion`).

    ``y = LN(z_L^0)`` y ``P(c | x) = softmax(W_cabeza y + b_cabeza)``.

    Formas
    ------
    z_L : (..., N+1, D)    gamma, beta : (D,)    W_cabeza : (n_clases, D)    b_cabeza : (n_clases,)
    salida : (..., n_clases), cada fila suma 1
    """
    validar_clasificacion(z_L, gamma, beta, W_cabeza, b_cabeza)
    validar_positivo("eps", eps)
    y = normalizacion_capa(z_L[..., 0, :], gamma, beta, eps)  # (..., D)
    return softmax(F.linear(y, W_cabeza, b_cabeza))  # (..., n_clases)


def _particionar(x, M):
    *lote, H, W, C = x.shape
    x = x.reshape(*lote, H // M, M, W // M, M, C)  # (..., H/M, M, W/M, M, C)
    x = x.transpose(-4, -3)  # (..., H/M, W/M, M, M, C)
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
    x = x.transpose(-4, -3)  # (..., H/M, M, W/M, M, C)
    return x.reshape(*lote, H, W, C)  # (..., H, W, C)


def indice_posicion_relativa(M):
    """Índice en la tabla ``B̂`` de la posición relativa de cada par de parches de una ventana (en CPU).

    Formas
    ------
    salida : (M², M²), enteros en [0, (2M-1)²)
    """
    validar_longitud("M", M)
    filas, columnas = torch.meshgrid(torch.arange(M), torch.arange(M), indexing="ij")
    coords = torch.stack([filas.flatten(), columnas.flatten()])  # (2, M²)
    relativas = coords[:, :, None] - coords[:, None, :] + (M - 1)  # (2, M², M²), en [0, 2M-2]
    return relativas[0] * (2 * M - 1) + relativas[1]  # (M², M²)


def mascara_ventanas_desplazadas(H, W, M, desplazamiento):
    """Máscara de SW-MSA (en CPU): tras el desplazamiento cíclico, cada parche solo atiende a su región.

    Formas
    ------
    salida : (n_v, M², M²), booleana; True = puede atender
    """
    validar_desplazamiento(H, W, M, desplazamiento)
    s = desplazamiento

    def region(n):
        return (torch.arange(n) >= n - M).long() + (torch.arange(n) >= n - s).long()  # 0, 1 o 2

    etiquetas = 3 * region(H)[:, None] + region(W)[None, :]  # (H, W)
    e = _particionar(etiquetas[:, :, None], M)[..., 0]  # (n_v, M²)
    return e[:, :, None] == e[:, None, :]  # (n_v, M², M²)


@implementa("swin-atencion-ventana")
def atencion_ventanas(x, W_qkv, b_qkv, W_o, b_o, tabla_sesgo, n_cabezas, M, desplazamiento=0):
    """Atención multicabeza en ventanas con sesgo de posición relativa (ec. `swin-atencion-ventana`).

    ``softmax(QKᵀ/√d + B) V`` por ventana; con ``desplazamiento > 0`` es SW-MSA (``torch.roll``
    y máscara entre regiones no contiguas).

    Formas
    ------
    x : (..., H, W, C)    W_qkv : (3·C, C), filas [W_q; W_k; W_v]    b_qkv : (3·C,)
    W_o : (C, C)    b_o : (C,)    tabla_sesgo B̂ : ((2M-1)², n_cabezas)    salida : (..., H, W, C)
    """
    f = validar_atencion_ventanas(x, W_qkv, b_qkv, W_o, b_o, tabla_sesgo, n_cabezas, M, desplazamiento)
    H, W, C, s = f["H"], f["W"], f["C"], desplazamiento
    if s:
        x = torch.roll(x, (-s, -s), dims=(-3, -2))  # desplazamiento cíclico
    # 1) proyectar cada ventana y separar cabezas
    qkv = F.linear(_particionar(x, M), W_qkv, b_qkv)  # (..., n_v, M², 3·C)
    qkv = qkv.reshape(*qkv.shape[:-1], 3, n_cabezas, C // n_cabezas)  # (..., n_v, M², 3, h, d)
    Q, K, V = qkv.movedim((-3, -2), (0, -3))  # cada una (..., n_v, h, M², d)
    # 2) sesgo relativo B (h, M², M²) y, en SW-MSA, -inf entre regiones no contiguas
    indice = indice_posicion_relativa(M).to(tabla_sesgo.device)
    sesgo = tabla_sesgo[indice].movedim(-1, 0).to(x.dtype)  # (h, M², M²)
    if s:
        permitido = mascara_ventanas_desplazadas(H, W, M, s)[:, None].to(x.device)  # (n_v, 1, M², M²)
        sesgo = torch.where(permitido, sesgo, float("-inf"))  # (n_v, h, M², M²)
    # 3) atención con el sesgo aditivo, unir cabezas y proyectar
    salida = atencion_escalada(Q, K, V, mascara=sesgo).transpose(-3, -2)  # (..., n_v, M², h, d)
    salida = F.linear(salida.reshape(*salida.shape[:-2], C), W_o, b_o)  # (..., n_v, M², C)
    salida = revertir_ventanas(salida, H, W)  # (..., H, W, C)
    return torch.roll(salida, (s, s), dims=(-3, -2)) if s else salida


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

    ``pesos_W`` y ``pesos_SW`` son diccionarios con las claves de :func:`bloque_swin`
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

    Orden de concatenación ``x0, x1, x2, x3`` de Swin y torchvision; ``W_red`` sin sesgo.

    Formas
    ------
    x : (..., H, W, C), H y W pares    gamma, beta : (4·C,)    W_red : (2·C, 4·C)
    salida : (..., H/2, W/2, 2·C)
    """
    validar_fusion_parches(x, gamma, beta, W_red)
    validar_positivo("eps", eps)
    x0, x1 = x[..., 0::2, 0::2, :], x[..., 1::2, 0::2, :]  # (..., H/2, W/2, C)
    x2, x3 = x[..., 0::2, 1::2, :], x[..., 1::2, 1::2, :]
    z = torch.cat([x0, x1, x2, x3], dim=-1)  # (..., H/2, W/2, 4·C)
    return F.linear(normalizacion_capa(z, gamma, beta, eps), W_red)  # (..., H/2, W/2, 2·C)


@implementa("swin-complejidad")
def coste_atencion_swin(h, w, C, M):
    """Coste (multiplicaciones-sumas) de MSA global frente a MSA en ventanas (ec. `swin-complejidad`).

    ``Ω(MSA) = 4hwC² + 2(hw)²C`` y ``Ω(W-MSA) = 4hwC² + 2M²hwC``; ``FlopCounterMode`` cuenta el doble.

    Formas
    ------
    devuelve (omega_msa, omega_wmsa) : dos enteros de Python
    """
    for nombre, n in (("h", h), ("w", w), ("C", C), ("M", M)):
        validar_longitud(nombre, n)
    proyecciones = 4 * h * w * C * C
    return proyecciones + 2 * (h * w) ** 2 * C, proyecciones + 2 * M * M * h * w * C
