"""Un ViT diminuto para los dígitos de 8×8 y su coste frente a una red convolucional (capítulo 10).

:class:`ViTPequeno` es un ViT completo montado con los gemelos de PyTorch del paquete: la
incrustación de parches con token de clase (``incrustar_parches``), bloques Pre-LN
(``bloque_vit``, con los pesos en los módulos ``NormalizacionCapa``, ``AtencionMultiCabeza`` y
``RedPosicional``) y la clasificación desde el token de clase. :func:`entrenar_vit` lo entrena en
los dígitos de scikit-learn (:mod:`transformadores.datos.digitos`) con AdamW y pequeños
desplazamientos de las imágenes.

La segunda mitad mide cómo crece el coste con el lado ``s`` de la imagen: FLOPs calculados a mano
(:func:`flops_vit`, :func:`flops_cnn`), contados por PyTorch (:func:`flops_contados`) y tiempos
(:func:`comparar_tamanos`). Con parches de tamaño fijo, la atención del ViT crece como ``N² ∝ s⁴``;
una convolución, como ``s²``.
"""

from __future__ import annotations

import math
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.attention import SDPBackend, sdpa_kernel
from torch.utils.flop_counter import FlopCounterMode

from ..con_torch.modulos_bloques import NormalizacionCapa, RedPosicional
from ..con_torch.modulos_multicabeza import AtencionMultiCabeza
from ..con_torch.normalizacion import normalizacion_capa
from ..con_torch.vision import bloque_vit, clasificar_imagen, incrustar_parches

__all__ = [
    "CONFIGURACION_DIGITOS",
    "BloqueViT",
    "ViTPequeno",
    "RedConvolucional",
    "desplazar_al_azar",
    "exactitud",
    "entrenar_vit",
    "atencion_del_token_clase",
    "flops_vit",
    "flops_cnn",
    "flops_contados",
    "tiempo_por_imagen",
    "comparar_tamanos",
    "pendiente",
    "tabla_tamanos",
]

# El ViT del capítulo: parches de 2×2 (N = 16), D = 32, 2 bloques de 4 cabezas; 20 épocas de lotes de 128.
CONFIGURACION_DIGITOS = {
    "P": 2, "d_modelo": 32, "n_capas": 2, "n_cabezas": 4, "d_mlp": 64,
    "epocas": 20, "lote": 128, "lr": 8e-3, "desplazamiento": 0, "semilla": 0,
}  # fmt: skip


class BloqueViT(nn.Module):
    """Bloque Pre-LN de ViT (ec. `vit-bloque-codificador`): sus pesos en módulos, el cálculo en ``bloque_vit``.

    Formas
    ------
    z : (B, T, d_modelo)    salida : (B, T, d_modelo)    pesos de atención : (B, H, T, T)
    """

    def __init__(self, d_modelo, n_cabezas, d_mlp):
        super().__init__()
        self.n_cabezas = n_cabezas
        self.norma_1 = NormalizacionCapa(d_modelo, eps=1e-6)
        self.atencion = AtencionMultiCabeza(d_modelo, n_cabezas)
        self.norma_2 = NormalizacionCapa(d_modelo, eps=1e-6)
        self.mlp = RedPosicional(d_modelo, d_mlp, activacion="gelu")

    def forward(self, z):
        a, m = self.atencion, self.mlp
        W_qkv, b_qkv = torch.cat([a.W_q, a.W_k, a.W_v]), torch.cat([a.b_q, a.b_k, a.b_v])  # (3·D, D), (3·D,)
        n1, n2 = self.norma_1, self.norma_2
        return bloque_vit(z, n1.gamma, n1.beta, W_qkv, b_qkv, a.W_o, a.b_o, n2.gamma, n2.beta,
                          m.W_1, m.b_1, m.W_2, m.b_2, self.n_cabezas)  # fmt: skip

    def pesos_atencion(self, z):
        """Los pesos de atención de cada cabeza sobre ``LN(z)``, (B, H, T, T)."""
        return self.atencion(self.norma_1(z), devolver_pesos=True)[1]


class ViTPequeno(nn.Module):
    """ViT para imágenes de ``canales × lado × lado`` con parches de ``P × P`` (ecs. `vit-parches` a
    `vit-salida-clasificacion`).

    ``E`` (d_modelo, C·P·P) y ``b_E`` proyectan los parches; ``x_clase`` (d_modelo,) es el token de
    clase (empieza en ceros, como en torchvision) y ``E_pos`` (N+1, d_modelo) las posiciones
    aprendidas, iniciadas con desviación ``escala_pos``: ViT usa 0.02, pero con los pocos datos de
    los dígitos el entrenamiento se estanca varias épocas; con 1 arranca enseguida. ``forward``
    devuelve logits; :meth:`probabilidades`, el softmax de la ec. `vit-salida-clasificacion`.

    Formas
    ------
    x : (B, C, lado, lado)    logits : (B, n_clases)
    """

    def __init__(
        self, lado=8, P=2, d_modelo=64, n_capas=3, n_cabezas=4, d_mlp=128, canales=1, n_clases=10, escala_pos=1.0
    ):
        super().__init__()
        if lado % P:
            raise ValueError(f"'lado' ({lado}) debe ser múltiplo de 'P' ({P}).")
        self.lado, self.P, self.N = lado, P, (lado // P) ** 2
        self.d_modelo, self.n_capas, self.n_cabezas, self.d_mlp = d_modelo, n_capas, n_cabezas, d_mlp
        self.canales, self.n_clases = canales, n_clases
        proyeccion = nn.Linear(canales * P * P, d_modelo)
        self.E, self.b_E = proyeccion.weight, proyeccion.bias  # (D, C·P·P), (D,)
        self.x_clase = nn.Parameter(torch.zeros(d_modelo))
        self.E_pos = nn.Parameter(torch.randn(self.N + 1, d_modelo) * escala_pos)  # (N+1, D)
        self.bloques = nn.ModuleList(BloqueViT(d_modelo, n_cabezas, d_mlp) for _ in range(n_capas))
        self.norma = NormalizacionCapa(d_modelo, eps=1e-6)
        cabeza = nn.Linear(d_modelo, n_clases)
        self.W_cabeza, self.b_cabeza = cabeza.weight, cabeza.bias

    def codificar(self, x):
        """``z_L``, la salida de la pila de bloques, (B, N+1, d_modelo)."""
        z = incrustar_parches(x, self.P, self.E, self.b_E, self.x_clase, self.E_pos)  # z_0: (B, N+1, D)
        for bloque in self.bloques:
            z = bloque(z)
        return z

    def forward(self, x):
        y = normalizacion_capa(self.codificar(x)[:, 0], self.norma.gamma, self.norma.beta, self.norma.eps)  # (B, D)
        return F.linear(y, self.W_cabeza, self.b_cabeza)  # (B, n_clases)

    def probabilidades(self, x):
        """``softmax(W_cabeza LN(z_L^0) + b)`` con ``clasificar_imagen``, (B, n_clases)."""
        return clasificar_imagen(self.codificar(x), self.norma.gamma, self.norma.beta, self.W_cabeza, self.b_cabeza)


class RedConvolucional(nn.Module):
    """Red convolucional pequeña: tres convoluciones 3×3 (la 2.ª y la 3.ª de paso 2), media global y lineal.

    Formas
    ------
    x : (B, C, lado, lado), lado múltiplo de 4    logits : (B, n_clases)
    """

    def __init__(self, canales=1, anchos=(32, 64, 64), n_clases=10):
        super().__init__()
        a1, a2, a3 = anchos
        self.anchos = tuple(anchos)
        self.capas = nn.Sequential(
            nn.Conv2d(canales, a1, 3, padding=1), nn.ReLU(),
            nn.Conv2d(a1, a2, 3, stride=2, padding=1), nn.ReLU(),
            nn.Conv2d(a2, a3, 3, stride=2, padding=1), nn.ReLU(),
        )  # fmt: skip
        self.cabeza = nn.Linear(a3, n_clases)

    def forward(self, x):
        return self.cabeza(self.capas(x).mean(dim=(-2, -1)))


def desplazar_al_azar(x, maximo, generador):
    """Desplaza cada imagen hasta ``maximo`` píxeles en cada eje, rellenando con ceros (aumento de datos).

    Formas
    ------
    x : (B, C, H, W)    salida : (B, C, H, W)
    """
    B, _, H, W = x.shape
    m = maximo
    relleno = F.pad(x, (m, m, m, m))  # (B, C, H+2m, W+2m)
    di, dj = torch.randint(0, 2 * m + 1, (2, B), generator=generador)
    filas = (di[:, None] + torch.arange(H))[:, None, :, None]  # (B, 1, H, 1)
    columnas = (dj[:, None] + torch.arange(W))[:, None, None, :]  # (B, 1, 1, W)
    lotes = torch.arange(B)[:, None, None, None]
    return relleno[lotes, torch.arange(x.shape[1])[None, :, None, None], filas, columnas]


@torch.no_grad()
def exactitud(modelo, x, y, lote=512):
    """Fracción de imágenes bien clasificadas (modelo en ``eval()``)."""
    modelo.eval()
    aciertos = sum((modelo(x[i : i + lote]).argmax(-1) == y[i : i + lote]).sum().item() for i in range(0, len(y), lote))
    return aciertos / len(y)


def _epoca(modelo, x, y, lote, desplazamiento, optimizador, calendario, generador):
    """Una pasada por los datos en lotes barajados; devuelve la pérdida media."""
    modelo.train()
    orden, suma = torch.randperm(len(y), generator=generador), 0.0
    for i in range(0, len(y), lote):
        indices = orden[i : i + lote]
        xb = desplazar_al_azar(x[indices], desplazamiento, generador) if desplazamiento else x[indices]
        perdida = F.cross_entropy(modelo(xb), y[indices])
        optimizador.zero_grad()
        perdida.backward()
        optimizador.step()
        calendario.step()
        suma += perdida.item() * len(indices)
    return suma / len(y)


def entrenar_vit(datos, epocas=20, lote=128, lr=8e-3, desplazamiento=0, semilla=0, **config):
    """Entrena un :class:`ViTPequeno` (``**config``) en ``datos`` (:class:`~transformadores.datos.digitos.Digitos`).

    AdamW (``weight_decay = 0.05``) con el calendario de un ciclo (``OneCycleLR``: calentamiento
    durante el 10 % de los pasos hasta ``lr`` y descenso en coseno), lotes barajados y, si
    ``desplazamiento > 0``, imágenes desplazadas al azar hasta ese número de píxeles. Todo depende
    solo de ``semilla`` (con un hilo, el resultado es reproducible).

    Devuelve
    --------
    dict con ``modelo`` (en ``eval()``), ``exactitud`` (en la prueba), ``exactitud_entrenamiento``,
    ``perdidas`` (media por época), ``parametros`` (número) y ``segundos``.
    """
    torch.manual_seed(semilla)
    generador = torch.Generator().manual_seed(semilla)
    modelo = ViTPequeno(**config)
    x, y = torch.from_numpy(datos.x_entrenamiento), torch.from_numpy(datos.y_entrenamiento)
    n_pasos = epocas * math.ceil(len(y) / lote)
    optimizador = torch.optim.AdamW(modelo.parameters(), lr=lr, weight_decay=0.05, foreach=True)
    calendario = torch.optim.lr_scheduler.OneCycleLR(optimizador, lr, total_steps=n_pasos, pct_start=0.1)
    inicio, perdidas = time.perf_counter(), []
    with sdpa_kernel(SDPBackend.MATH):  # con secuencias tan cortas, el camino matemático es el más rápido en CPU
        for _ in range(epocas):
            perdidas.append(_epoca(modelo, x, y, lote, desplazamiento, optimizador, calendario, generador))
    segundos = time.perf_counter() - inicio
    return {
        "modelo": modelo.eval(),
        "exactitud": exactitud(modelo, torch.from_numpy(datos.x_prueba), torch.from_numpy(datos.y_prueba)),
        "exactitud_entrenamiento": exactitud(modelo, x, y),
        "perdidas": perdidas,
        "parametros": sum(p.numel() for p in modelo.parameters()),
        "segundos": segundos,
    }


@torch.no_grad()
def atencion_del_token_clase(modelo, x):
    """Cuánto atiende el token de clase a cada parche, en cada capa y cabeza.

    Formas
    ------
    x : (B, C, lado, lado)    salida : (B, n_capas, H, N+1), cada fila suma 1; la columna 0 es el
    propio token de clase y la ``1 + k``, el parche ``k`` (por filas)
    """
    modelo.eval()
    z = incrustar_parches(x, modelo.P, modelo.E, modelo.b_E, modelo.x_clase, modelo.E_pos)
    filas = []
    for bloque in modelo.bloques:
        filas.append(bloque.pesos_atencion(z)[:, :, 0])  # (B, H, N+1)
        z = bloque(z)
    return torch.stack(filas, dim=1)  # (B, n_capas, H, N+1)


# --- El coste al crecer la imagen: FLOPs (2·m·n·k por producto de matrices) y tiempos ---


def flops_vit(lado, P=4, d_modelo=64, n_capas=3, d_mlp=128, canales=1, n_clases=10):
    """FLOPs de una imagen en :class:`ViTPequeno`, por partes: 2 por cada multiplicación-suma.

    ``parches``: la proyección ``E``; por capa, ``proyecciones`` (Q, K, V y salida: ``8·T·D²``),
    ``atencion`` (``QKᵀ`` y ``AV``: ``4·T²·D``) y ``mlp`` (``4·T·D·d_mlp``), con ``T = N + 1``;
    ``cabeza``: la lineal final. Se omiten normas, softmax, GELU y sumas (términos ``O(T·D)``).
    """
    N, D = (lado // P) ** 2, d_modelo
    T = N + 1
    partes = {
        "parches": 2 * N * canales * P * P * D,
        "proyecciones": n_capas * 8 * T * D * D,
        "atencion": n_capas * 4 * T * T * D,
        "mlp": n_capas * 4 * T * D * d_mlp,
        "cabeza": 2 * D * n_clases,
    }
    return {**partes, "total": sum(partes.values())}


def flops_cnn(lado, canales=1, anchos=(32, 64, 64), n_clases=10):
    """FLOPs de una imagen en :class:`RedConvolucional`: ``2·(salidas)·C_entrada·9`` por convolución."""
    a1, a2, a3 = anchos
    total = 2 * lado * lado * a1 * canales * 9  # conv 1, paso 1
    total += 2 * (lado // 2) ** 2 * a2 * a1 * 9  # conv 2, paso 2
    total += 2 * (lado // 4) ** 2 * a3 * a2 * 9  # conv 3, paso 2
    return total + 2 * a3 * n_clases


def flops_contados(modelo, x):
    """FLOPs que cuenta ``FlopCounterMode`` en ``modelo(x)``, por imagen (SDPA en su versión matemática)."""
    with torch.no_grad(), sdpa_kernel(SDPBackend.MATH), FlopCounterMode(display=False) as contador:
        modelo(x)
    return contador.get_total_flops() // x.shape[0]


@torch.no_grad()
def tiempo_por_imagen(modelo, x, repeticiones=3):
    """Segundos por imagen de ``modelo(x)`` (el mejor de ``repeticiones``, tras una pasada de calentamiento)."""
    modelo.eval()
    modelo(x)
    mejor = math.inf
    for _ in range(repeticiones):
        inicio = time.perf_counter()
        modelo(x)
        mejor = min(mejor, time.perf_counter() - inicio)
    return mejor / x.shape[0]


def comparar_tamanos(lados=(8, 16, 32, 64, 128), P=4, lote=8, repeticiones=3, medir=True, semilla=0):
    """FLOPs (calculados y contados) y tiempos por imagen de la CNN y del ViT para cada ``lado``.

    Devuelve
    --------
    lista de dicts con ``lado``, ``N`` (parches del ViT), ``flops_cnn``, ``flops_vit`` (el dict de
    :func:`flops_vit`), ``contados_cnn``, ``contados_vit`` y, si ``medir``, ``tiempo_cnn`` y ``tiempo_vit``.
    """
    filas = []
    for lado in lados:
        torch.manual_seed(semilla)
        cnn, vit = RedConvolucional().eval(), ViTPequeno(lado=lado, P=P).eval()
        x = torch.rand(lote, 1, lado, lado, generator=torch.Generator().manual_seed(semilla))
        fila = {"lado": lado, "N": vit.N, "flops_cnn": flops_cnn(lado), "flops_vit": flops_vit(lado, P)}
        fila["contados_cnn"], fila["contados_vit"] = flops_contados(cnn, x[:1]), flops_contados(vit, x[:1])
        if medir:
            fila["tiempo_cnn"] = tiempo_por_imagen(cnn, x, repeticiones)
            fila["tiempo_vit"] = tiempo_por_imagen(vit, x, repeticiones)
        filas.append(fila)
    return filas


def pendiente(lados, valores):
    """Pendiente de la recta de mínimos cuadrados de ``log(valores)`` frente a ``log(lados)``."""
    return float(np.polyfit(np.log(lados), np.log(valores), 1)[0])


def tabla_tamanos(filas, tiempos=False) -> str:
    """Tabla de texto: FLOPs (en millones) o, con ``tiempos=True``, milisegundos por imagen."""
    if tiempos:
        cabecera = " lado      N   CNN (ms/imagen)   ViT (ms/imagen)   ViT / CNN"
        cuerpo = [
            f"{f['lado']:5d} {f['N']:6d} {1e3 * f['tiempo_cnn']:17.3f} {1e3 * f['tiempo_vit']:17.3f} "
            f"{f['tiempo_vit'] / f['tiempo_cnn']:11.1f}"
            for f in filas
        ]
        return "\n".join([cabecera, *cuerpo])
    cabecera = " lado      N   CNN (MFLOP)   ViT (MFLOP)   de ellos, atención   ViT / CNN"
    cuerpo = [
        f"{f['lado']:5d} {f['N']:6d} {f['flops_cnn'] / 1e6:13.2f} {f['flops_vit']['total'] / 1e6:13.2f} "
        f"{f['flops_vit']['atencion'] / 1e6:20.2f} {f['flops_vit']['total'] / f['flops_cnn']:11.2f}"
        for f in filas
    ]
    return "\n".join([cabecera, *cuerpo])
