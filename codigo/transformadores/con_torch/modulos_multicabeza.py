"""Módulo de atención multicabeza (capítulo 4): dueño de los parámetros, cálculo en ``atencion_multicabeza``.

Convención de máscaras: True = «puede atender». ``nn.MultiheadAttention`` usa la contraria en
``attn_mask`` y en ``key_padding_mask`` (True = prohibido / ignorar); :func:`mascara_desde_multihead`
convierte las suyas a las nuestras.
"""

from __future__ import annotations

import torch
from torch import nn

from ..errores import ErrorDeForma
from ..validacion.multicabeza import validar_n_cabezas
from .multicabeza import atencion_consultas_agrupadas, atencion_multicabeza

__all__ = ["AtencionMultiCabeza", "mascara_desde_multihead"]


class AtencionMultiCabeza(nn.Module):
    """Atención multicabeza con sus pesos (ec. `atencion-multicabeza`; MQA/GQA con ``n_cabezas_kv``).

    Parámetros
    ----------
    d_modelo : dimensión de las consultas y de la salida; ``d_k = d_v = d_modelo / n_cabezas``.
    n_cabezas : número de cabezas ``h``.
    n_cabezas_kv : grupos de clave/valor (ec. `atencion-consultas-agrupadas`); None = ``n_cabezas``.
    d_z : dimensión de la memoria ``Z`` en la atención cruzada (``kdim = vdim`` de PyTorch); None = ``d_modelo``.
    sesgo : si hay sesgos ``b_q, b_k, b_v, b_o``.

    Atributos: ``W_q`` (h·d_k, d_modelo), ``W_k`` (h_kv·d_k, d_z), ``W_v`` (h_kv·d_v, d_z),
    ``W_o`` (d_modelo, h·d_v) y los sesgos (o None), en la orientación de ``nn.Linear``.
    Se inician como ``nn.MultiheadAttention``: Xavier uniforme y sesgos a cero.

    Formas
    ------
    X : (..., T, d_modelo)    Z : (..., S, d_z)    mascara : difundible a (..., H, T, S)
    salida : (..., T, d_modelo)    pesos : (..., H, T, S)
    """

    def __init__(self, d_modelo, n_cabezas, n_cabezas_kv=None, d_z=None, sesgo=True, device=None, dtype=None):
        super().__init__()
        validar_n_cabezas(n_cabezas, n_cabezas_kv)
        if d_modelo % n_cabezas:
            raise ErrorDeForma(f"'d_modelo' ({d_modelo}) debe ser divisible por 'n_cabezas' ({n_cabezas}).")
        self.d_modelo, self.n_cabezas = d_modelo, n_cabezas
        self.n_cabezas_kv = n_cabezas if n_cabezas_kv is None else n_cabezas_kv
        self.d_z = d_modelo if d_z is None else d_z
        d_kv, fk = self.n_cabezas_kv * (d_modelo // n_cabezas), {"device": device, "dtype": dtype}
        self.W_q = nn.Parameter(torch.empty(d_modelo, d_modelo, **fk))
        self.W_k = nn.Parameter(torch.empty(d_kv, self.d_z, **fk))
        self.W_v = nn.Parameter(torch.empty(d_kv, self.d_z, **fk))
        self.W_o = nn.Parameter(torch.empty(d_modelo, d_modelo, **fk))
        for nombre, n in (("b_q", d_modelo), ("b_k", d_kv), ("b_v", d_kv), ("b_o", d_modelo)):
            self.register_parameter(nombre, nn.Parameter(torch.empty(n, **fk)) if sesgo else None)
        self.reiniciar_parametros()

    def reiniciar_parametros(self) -> None:
        """Xavier uniforme en los pesos y ceros en los sesgos."""
        for W in (self.W_q, self.W_k, self.W_v, self.W_o):
            nn.init.xavier_uniform_(W)
        for b in (self.b_q, self.b_k, self.b_v, self.b_o):
            if b is not None:
                nn.init.zeros_(b)

    def forward(self, X, Z=None, mascara=None, devolver_pesos=False):
        """``Z`` = None es autoatención; la máscara usa True = puede atender."""
        pesos = (self.W_q, self.W_k, self.W_v, self.W_o)
        sesgos = {"b_q": self.b_q, "b_k": self.b_k, "b_v": self.b_v, "b_o": self.b_o}
        if self.n_cabezas_kv == self.n_cabezas:
            return atencion_multicabeza(
                X, *pesos, self.n_cabezas, **sesgos, Z=Z, mascara=mascara, devolver_pesos=devolver_pesos
            )
        return atencion_consultas_agrupadas(
            X, *pesos, self.n_cabezas, self.n_cabezas_kv, **sesgos, Z=Z, mascara=mascara, devolver_pesos=devolver_pesos
        )

    @torch.no_grad()
    def copiar_de_multihead(self, mha: nn.MultiheadAttention) -> AtencionMultiCabeza:
        """Copia los pesos de un ``nn.MultiheadAttention`` de las mismas dimensiones; devuelve ``self``."""
        if mha.embed_dim != self.d_modelo or mha.num_heads != self.n_cabezas or self.n_cabezas_kv != self.n_cabezas:
            raise ErrorDeForma(
                f"'mha' debe tener embed_dim={self.d_modelo} y num_heads={self.n_cabezas} (y este módulo, "
                f"n_cabezas_kv = n_cabezas), pero tiene embed_dim={mha.embed_dim} y num_heads={mha.num_heads}."
            )
        if mha.kdim != self.d_z or mha.vdim != self.d_z or mha.bias_k is not None or mha.add_zero_attn:
            raise ErrorDeForma(
                f"'mha' debe tener kdim = vdim = d_z={self.d_z}, sin add_bias_kv ni add_zero_attn, pero tiene "
                f"kdim={mha.kdim}, vdim={mha.vdim}."
            )
        if (mha.in_proj_bias is None) != (self.b_q is None):
            raise ErrorDeForma("'mha' y este módulo deben coincidir en si tienen sesgos (bias / sesgo).")
        if mha.in_proj_weight is not None:
            W_q, W_k, W_v = mha.in_proj_weight.chunk(3)  # filas [0, E), [E, 2E), [2E, 3E)
        else:
            W_q, W_k, W_v = mha.q_proj_weight, mha.k_proj_weight, mha.v_proj_weight
        for destino, origen in zip((self.W_q, self.W_k, self.W_v, self.W_o), (W_q, W_k, W_v, mha.out_proj.weight)):
            destino.copy_(origen)
        if self.b_q is not None:
            for destino, origen in zip((self.b_q, self.b_k, self.b_v), mha.in_proj_bias.chunk(3)):
                destino.copy_(origen)
            self.b_o.copy_(mha.out_proj.bias)
        return self

    @classmethod
    def desde_multihead(cls, mha: nn.MultiheadAttention) -> AtencionMultiCabeza:
        """Un módulo nuevo con las dimensiones y los pesos de ``mha``."""
        W = mha.out_proj.weight
        modulo = cls(
            mha.embed_dim,
            mha.num_heads,
            d_z=mha.kdim,
            sesgo=mha.in_proj_bias is not None,
            device=W.device,
            dtype=W.dtype,
        )
        return modulo.copiar_de_multihead(mha)

    def extra_repr(self) -> str:
        return f"d_modelo={self.d_modelo}, n_cabezas={self.n_cabezas}, n_cabezas_kv={self.n_cabezas_kv}, d_z={self.d_z}"


def _aditiva(m):
    """Booleana (True = puede atender) → sesgo 0 / -inf; una flotante se deja igual."""
    if m.dtype != torch.bool:
        return m
    return torch.zeros(m.shape, dtype=torch.get_default_dtype(), device=m.device).masked_fill(~m, float("-inf"))


def mascara_desde_multihead(attn_mask=None, key_padding_mask=None, n_cabezas=None):
    """Convierte las máscaras de ``nn.MultiheadAttention`` (True = prohibido) a las nuestras (True = puede atender).

    Parámetros
    ----------
    attn_mask : (T, S) o (B·H, T, S), booleana (True = no puede atender) o flotante (se suma).
    key_padding_mask : (B, S), booleana (True = relleno, se ignora) o flotante (se suma).
    n_cabezas : necesario solo si ``attn_mask`` tiene 3 dimensiones.

    Formas
    ------
    salida : difundible a (B, H, T, S); booleana si las dos lo son, aditiva si alguna es flotante;
        None si no se da ninguna
    """
    partes = []
    if attn_mask is not None:
        permitido = ~attn_mask if attn_mask.dtype == torch.bool else attn_mask
        if permitido.dim() == 3:
            validar_n_cabezas(n_cabezas)
            permitido = permitido.reshape(-1, n_cabezas, *permitido.shape[-2:])  # (B, H, T, S)
        partes.append(permitido)
    if key_padding_mask is not None:
        if key_padding_mask.dtype == torch.bool:
            partes.append(~key_padding_mask[:, None, None, :])  # (B, 1, 1, S)
        else:
            partes.append(key_padding_mask[:, None, None, :])
    if not partes:
        return None
    if all(p.dtype == torch.bool for p in partes):
        return partes[0] if len(partes) == 1 else partes[0] & partes[1]
    return partes[0] if len(partes) == 1 else _aditiva(partes[0]) + _aditiva(partes[1])
