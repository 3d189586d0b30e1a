"""Un traductor de juguete con y sin atención, y el explorador de sus alineamientos (capítulos 1 y 2).

La tarea: «traducir» una frase de palabras (``"tres uno cuatro"``) a cifras en orden inverso
(``"4 1 3"``). Es lo bastante pequeña para entrenarla en segundos y lo bastante exigente para que un
único vector de tamaño fijo no baste cuando la frase crece. Los dos modelos usan las funciones del
paquete, así que lo que entrenamos son exactamente las ecuaciones de los capítulos:

- sin atención (capítulo 1): codificador de Elman cuyo último estado es el contexto ``c`` y
  decodificador de Cho et al. condicionado por ``c`` en cada paso (``seq2seq_contexto``,
  ec. `seq2seq-vector-contexto`);
- con atención (capítulo 2): codificador de Elman bidireccional, ``h_j = [→h_j; ←h_j]``, y el
  decodificador de Bahdanau paso a paso (``paso_decodificador_bahdanau``, ecs.
  `bahdanau-energia-aditiva` a `bahdanau-contexto`).

Entrenamos en ``float32`` y con un solo hilo: con modelos tan pequeños, repartir cada operación
entre varios hilos cuesta más de lo que ahorra (y en una máquina compartida, mucho más).
"""

from __future__ import annotations

import contextlib
import math

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import torch

from ..con_torch import paso_decodificador_bahdanau, rnn_elman, seq2seq_contexto
from ..errores import ErrorDeForma
from ..graficos import aplicar_estilo, mapa_calor
from .base import ExploradorPrecalculado, imagen

__all__ = [
    "PALABRAS",
    "FRASES",
    "TraductorJuguete",
    "lote_inversion",
    "entrenar_traductor",
    "exactitud_por_longitud",
    "ExploradorAlineamiento",
]

PALABRAS = ("uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho")
N_SIMBOLOS = len(PALABRAS)
FRASES = ("tres uno cuatro dos cinco", "seis dos ocho uno tres siete", "dos dos cinco uno dos ocho siete cuatro")
INSTANTES = (0, 50, 100, 150, 200, 300, 400)


@contextlib.contextmanager
def _un_hilo():
    """PyTorch con un solo hilo mientras dura el bloque; después, los hilos que hubiera."""
    hilos = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(hilos)


def lote_inversion(n, longitud, generador, n_simbolos=N_SIMBOLOS):
    """``n`` frases aleatorias de ``longitud`` símbolos y su «traducción»: los mismos símbolos al revés.

    Formas
    ------
    salida : (x, y), dos tensores de enteros (n, longitud) con valores en [0, n_simbolos)
    """
    x = torch.randint(0, n_simbolos, (n, longitud), generator=generador)  # (n, L)
    return x, x.flip(-1)


def _parametro(generador, *forma, fan):
    """Inicialización uniforme en ±1/√fan, como ``nn.Linear``."""
    return torch.nn.Parameter((torch.rand(*forma, generator=generador) * 2 - 1) / math.sqrt(fan))


class TraductorJuguete(torch.nn.Module):
    """Codificador-decodificador recurrente para la tarea de inversión, con o sin atención de Bahdanau.

    Parámetros
    ----------
    atencion : ``False``, vector de contexto fijo (capítulo 1); ``True``, atención aditiva (capítulo 2)
    n_simbolos : tamaño de los vocabularios de origen y de destino (el destino añade ``<bos>``)
    d_e, d_h, d_s, d_a : incrustaciones, estado del codificador (por sentido), estado del decodificador, atención
    semilla : semilla de la inicialización
    """

    def __init__(self, atencion=True, n_simbolos=N_SIMBOLOS, d_e=16, d_h=32, d_s=32, d_a=32, semilla=0):
        super().__init__()
        g = torch.Generator().manual_seed(semilla)
        self.atencion, self.n_simbolos, self.d_s = atencion, n_simbolos, d_s
        self.E_x = torch.nn.Parameter(torch.randn(n_simbolos, d_e, generator=g) * 0.5)
        self.E_y = torch.nn.Parameter(torch.randn(n_simbolos + 1, d_e, generator=g) * 0.5)  # la última fila es <bos>

        def elman():  # W_xh, W_hh, b_h
            return torch.nn.ParameterList(
                [_parametro(g, d_h, d_e, fan=d_e), _parametro(g, d_h, d_h, fan=d_h), _parametro(g, d_h, fan=d_h)]
            )

        self.codificador = elman()
        d_c = d_h  # dimensión de lo que lee el decodificador: c (fijo) o c_i (atención)
        if atencion:
            self.codificador_inverso, d_c = elman(), 2 * d_h
            self.W_ini = _parametro(g, d_s, d_h, fan=d_h)  # s_0 = tanh(W_ini ←h_1), como Bahdanau
            self.atencion_aditiva = torch.nn.ParameterList(  # W_a, U_a, v_a
                [_parametro(g, d_a, d_s, fan=d_s), _parametro(g, d_a, d_c, fan=d_c), _parametro(g, d_a, fan=d_a)]
            )
        d_in, d_out = d_e + d_c, d_s + d_e + d_c
        self.decodificador = torch.nn.ParameterList(  # W_ih, W_hh, b, W_o, b_o
            [
                _parametro(g, d_s, d_in, fan=d_in), _parametro(g, d_s, d_s, fan=d_s), _parametro(g, d_s, fan=d_s),
                _parametro(g, n_simbolos, d_out, fan=d_out), _parametro(g, n_simbolos, fan=d_out),
            ]
        )  # fmt: skip

    def _codificar(self, X):
        """Estados del codificador bidireccional ``H = [→h_j; ←h_j]``: (B, L, 2·d_h)."""
        cero_W, cero_b = X.new_zeros(1, self.codificador[1].shape[0]), X.new_zeros(1)  # sin salida y_t
        adelante = rnn_elman(X, *self.codificador, cero_W, cero_b)[1]  # (B, L, d_h)
        atras = rnn_elman(X.flip(-2), *self.codificador_inverso, cero_W, cero_b)[1].flip(-2)  # (B, L, d_h)
        return torch.cat([adelante, atras], dim=-1)  # (B, L, 2·d_h)

    def forward(self, x, y_previos):
        """Probabilidades de cada cifra con forzado del profesor, y los pesos de alineamiento.

        Formas
        ------
        x : (B, L), índices de las palabras    y_previos : (B, T_y), índices de ``<bos>, y_1 … y_{T_y-1}``
        devuelve (p, alfa) : (B, T_y, n_simbolos) y (B, T_y, L) (``None`` sin atención)
        """
        X, Y = self.E_x[x], self.E_y[y_previos]  # (B, L, d_e), (B, T_y, d_e)
        if not self.atencion:  # capítulo 1: el mismo c = h_L en cada paso
            return seq2seq_contexto(X, Y, *self.codificador, *self.decodificador), None
        H = self._codificar(X)  # (B, L, 2·d_h)
        s = torch.tanh(H[:, 0, H.shape[-1] // 2 :] @ self.W_ini.T)  # (B, d_s): s_0 a partir de ←h_1
        pesos = (*self.atencion_aditiva, *self.decodificador)  # W_a, U_a, v_a, W_ih, W_hh, b, W_o, b_o
        probabilidades, alfas = [], []
        for i in range(Y.shape[1]):  # capítulo 2: un contexto c_i distinto en cada paso
            p, s, alfa = paso_decodificador_bahdanau(s, Y[:, i], H, *pesos)
            probabilidades.append(p)
            alfas.append(alfa)
        return torch.stack(probabilidades, 1), torch.stack(alfas, 1)  # (B, T_y, N_V), (B, T_y, L)

    @torch.no_grad()
    @_un_hilo()
    def traducir(self, x):
        """Decodificación voraz: en cada paso, la cifra más probable alimenta el paso siguiente.

        Formas
        ------
        x : (B, L)    devuelve (y, alfa) : (B, L) y (B, L, L) (``None`` sin atención)
        """
        previos = torch.full((x.shape[0], 1), self.n_simbolos)  # (B, 1): <bos>
        for _ in range(x.shape[1]):  # volvemos a decodificar el prefijo entero: cuesta poco y reutiliza forward
            p, alfa = self(x, previos)
            previos = torch.cat([previos, p[:, -1].argmax(-1, keepdim=True)], dim=1)
        return previos[:, 1:], alfa


def entrenar_traductor(modelo, pasos, lr=2e-2, lote=64, longitudes=(3, 8), semilla=1, al_paso=None):
    """Entrena con Adam, tasa de aprendizaje que baja linealmente a 0 y recorte del gradiente a norma 1.

    Cada lote tiene frases de una misma longitud, elegida al azar en ``longitudes`` (ambos extremos
    incluidos). ``al_paso(n)``, si se da, se llama antes del primer paso (``n = 0``) y después de cada
    uno. Devuelve la lista de pérdidas (entropía cruzada media por cifra).
    """
    with _un_hilo():
        return _entrenar(modelo, pasos, lr, lote, longitudes, semilla, al_paso)


def _entrenar(modelo, pasos, lr, lote, longitudes, semilla, al_paso):
    g = torch.Generator().manual_seed(semilla)
    optimizador = torch.optim.Adam(modelo.parameters(), lr=lr)
    programa = torch.optim.lr_scheduler.LambdaLR(optimizador, lambda n: 1 - n / max(pasos, 1))
    perdidas = []
    if al_paso:
        al_paso(0)
    for n in range(1, pasos + 1):
        x, y = lote_inversion(lote, int(torch.randint(longitudes[0], longitudes[1] + 1, (), generator=g)), g)
        previos = torch.cat([torch.full_like(y[:, :1], modelo.n_simbolos), y[:, :-1]], dim=1)  # (B, L)
        p, _ = modelo(x, previos)
        perdida = -torch.log(p.gather(-1, y[..., None]).clamp_min(1e-30)).mean()
        optimizador.zero_grad()
        perdida.backward()
        torch.nn.utils.clip_grad_norm_(modelo.parameters(), 1.0)
        optimizador.step()
        programa.step()
        perdidas.append(float(perdida.detach()))
        if al_paso:
            al_paso(n)
    return perdidas


def exactitud_por_longitud(modelo, longitudes, n=400, semilla=99):
    """Fracción de cifras acertadas y de frases enteras acertadas, con decodificación voraz.

    Formas
    ------
    salida : (cifras, frases), dos arrays (len(longitudes),)
    """
    g = torch.Generator().manual_seed(semilla)
    cifras, frases = [], []
    for longitud in longitudes:
        x, y = lote_inversion(n, longitud, g, modelo.n_simbolos)
        aciertos = modelo.traducir(x)[0] == y  # (n, L)
        cifras.append(float(aciertos.float().mean()))
        frases.append(float(aciertos.all(-1).float().mean()))
    return np.array(cifras), np.array(frases)


def _indices(frase: str) -> list[int]:
    palabras = frase.split()
    desconocidas = [p for p in palabras if p not in PALABRAS]
    if desconocidas or not palabras:
        raise ErrorDeForma(
            f"Cada frase debe ser una lista no vacía de palabras de {PALABRAS}, pero «{frase}» contiene {desconocidas}."
        )
    return [PALABRAS.index(p) for p in palabras]


class ExploradorAlineamiento(ExploradorPrecalculado):
    """Pesos de alineamiento de Bahdanau de un traductor de juguete a lo largo de su entrenamiento.

    Al crearse entrena un :class:`TraductorJuguete` con atención y, en cada instante elegido, guarda
    la traducción voraz y la matriz de alineamiento ``α`` de cada frase. Un control elige la frase y
    el otro el paso de entrenamiento.

    Parámetros
    ----------
    frases : frases de palabras de :data:`PALABRAS`, separadas por espacios
    instantes : pasos de entrenamiento (crecientes, desde 0) en los que se guarda una figura
    semilla : semilla de la inicialización; el resto de argumentos van a :func:`entrenar_traductor`

    Atributos
    ---------
    modelo, perdidas : el traductor entrenado y su curva de pérdida
    alfa : (L, L), la matriz que se muestra ahora (filas: cifras producidas; columnas: palabras)
    traduccion : lista de cifras producidas ahora; paso : el instante que se muestra
    """

    def __init__(self, frases=FRASES, instantes=INSTANTES, semilla=0, **entrenamiento):
        self.frases, self.instantes = tuple(frases), tuple(int(i) for i in instantes)
        if not self.frases or not self.instantes or self.instantes[0] < 0:
            raise ValueError("'frases' e 'instantes' deben tener al menos un elemento, y los instantes ser ≥ 0.")
        if any(b <= a for a, b in zip(self.instantes, self.instantes[1:])):
            raise ValueError(f"'instantes' debe ser estrictamente creciente, pero se recibió {self.instantes}.")
        indices = [torch.tensor([_indices(f)]) for f in self.frases]
        self.modelo = TraductorJuguete(atencion=True, semilla=semilla)
        self._alfas = [[None] * len(self.instantes) for _ in self.frases]  # [frase][instante] -> (L, L)
        self._traducciones = [[None] * len(self.instantes) for _ in self.frases]

        def guardar(n):
            if n in self.instantes:
                j = self.instantes.index(n)
                for i, x in enumerate(indices):
                    y, alfa = self.modelo.traducir(x)
                    self._traducciones[i][j] = [str(c + 1) for c in y[0].tolist()]
                    self._alfas[i][j] = alfa[0].numpy().astype(np.float64)

        self.perdidas = entrenar_traductor(self.modelo, self.instantes[-1], al_paso=guardar, **entrenamiento)
        aplicar_estilo()
        frase = widgets.Dropdown(options=[(f, i) for i, f in enumerate(self.frases)], value=0, description="Frase:")
        paso = widgets.SelectionSlider(options=[(str(n), n) for n in self.instantes], value=self.instantes[-1],
                                       description="Paso:")  # fmt: skip
        figuras = [[self._imagen(i, j) for j in range(len(self.instantes))] for i in range(len(self.frases))]
        self.frase_control, self.paso_control = frase, paso
        self._montar(frase, paso, figuras, "<code>ExploradorAlineamiento(frases=[…])</code>")

    def _al_cambiar(self, i, j):
        self.alfa, self.traduccion, self.paso = self._alfas[i][j], self._traducciones[i][j], self.instantes[j]

    def aciertos(self, i, j) -> int:
        """Cuántas cifras de la frase ``i`` son correctas en el instante ``j``."""
        correcta = [str(PALABRAS.index(p) + 1) for p in reversed(self.frases[i].split())]
        return sum(a == b for a, b in zip(self._traducciones[i][j], correcta))

    def _imagen(self, i, j) -> widgets.HTML:
        palabras, traduccion, alfa = self.frases[i].split(), self._traducciones[i][j], self._alfas[i][j]
        L = len(palabras)
        fig, ax = plt.subplots(figsize=(5.2, 4.2), dpi=72)
        fig.colorbar(mapa_calor(ax, alfa, palabras, traduccion, anotar=False), ax=ax, fraction=0.05, pad=0.03)
        ax.set_xlabel("palabra de origen j")
        ax.set_ylabel("cifra producida en el paso i")
        ax.set_title(f"Paso {self.instantes[j]} de entrenamiento: {self.aciertos(i, j)}/{L} cifras correctas")
        descripcion = (
            f"Mapa de calor de los pesos de alineamiento α_ij del traductor de juguete tras {self.instantes[j]} pasos "
            f"de entrenamiento, para la frase «{self.frases[i]}». Filas: las cifras producidas "
            f"({' '.join(traduccion)}); columnas: las palabras de origen. La traducción correcta invierte el "
            f"orden, así que un modelo bien entrenado concentra el peso en la antidiagonal; aquí acierta "
            f"{self.aciertos(i, j)} de {L} cifras."
        )
        return imagen(fig, descripcion)
