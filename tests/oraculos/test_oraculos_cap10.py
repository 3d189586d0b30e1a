"""Gemelos del capítulo 10 (visión) frente a PyTorch: ``F.unfold``, ``nn.Conv2d``, ``nn.LayerNorm``,
``nn.MultiheadAttention``, SDPA, ``F.pixel_unshuffle``, ``FlopCounterMode`` y una réplica del
código original de Swin (torchvision no está instalado: sus funciones se reproducen aquí).
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.attention import SDPBackend, sdpa_kernel
from torch.utils.flop_counter import FlopCounterMode
from transformadores import con_numpy as cn
from transformadores import con_torch as ct

D64 = {"dtype": torch.float64}
TOL = {"rtol": 1e-10, "atol": 1e-12}


def _generador():
    return torch.Generator().manual_seed(10)


@pytest.mark.ecuacion("vit-parches")
@pytest.mark.parametrize("C, H, W, P", [(3, 32, 32, 16), (2, 12, 20, 4), (1, 6, 6, 1)])
def test_parches_frente_a_unfold_y_conv2d(C, H, W, P):
    g = _generador()
    x = torch.randn(2, C, H, W, generator=g, **D64)
    esperado = F.unfold(x, kernel_size=P, stride=P).transpose(1, 2)  # (B, N, C·P·P)
    torch.testing.assert_close(ct.dividir_en_parches(x, P), esperado, **TOL)
    np.testing.assert_allclose(cn.dividir_en_parches(x.numpy(), P), esperado.numpy(), **TOL)
    # proyectar los parches con Conv2d.weight.reshape(D, -1) es la convolución de paso P
    conv = nn.Conv2d(C, 5, kernel_size=P, stride=P, **D64)
    por_conv = conv(x).flatten(2).transpose(1, 2)  # (B, N, D)
    por_parches = ct.dividir_en_parches(x, P) @ conv.weight.reshape(5, -1).T + conv.bias
    torch.testing.assert_close(por_parches, por_conv)


@pytest.mark.ecuacion("vit-parches")
def test_vit_b16_tiene_196_parches():
    x = torch.zeros(1, 3, 224, 224)
    assert ct.dividir_en_parches(x, 16).shape == (1, 196, 768)


def _vit_entrada(x, conv_proj, class_token, pos_embedding):
    """Réplica de ``torchvision.models.VisionTransformer._process_input`` + inicio de ``forward``."""
    n = x.shape[0]
    x = conv_proj(x).reshape(n, conv_proj.out_channels, -1).permute(0, 2, 1)  # (n, N, D)
    x = torch.cat([class_token.expand(n, -1, -1), x], dim=1)
    return x + pos_embedding


@pytest.mark.ecuacion("vit-incrustacion-parches-cls")
def test_incrustacion_frente_a_conv_proj_de_vit():
    g = _generador()
    C, P, D, H, W = 3, 4, 8, 12, 16
    conv_proj = nn.Conv2d(C, D, kernel_size=P, stride=P, **D64)
    class_token = torch.randn(1, 1, D, generator=g, **D64)
    pos_embedding = torch.randn(1, (H // P) * (W // P) + 1, D, generator=g, **D64)
    x = torch.randn(3, C, H, W, generator=g, **D64)
    esperado = _vit_entrada(x, conv_proj, class_token, pos_embedding)
    E = conv_proj.weight.reshape(D, -1)  # (D, C·P·P), el mismo orden de aplanado
    obtenido = ct.incrustar_parches(x, P, E, conv_proj.bias, class_token.view(D), pos_embedding[0])
    torch.testing.assert_close(obtenido, esperado, **TOL)
    args = [t.detach().numpy() for t in (x, E, conv_proj.bias, class_token.view(D), pos_embedding[0])]
    np.testing.assert_allclose(cn.incrustar_parches(args[0], P, *args[1:]), esperado.detach().numpy(), **TOL)


@pytest.mark.ecuacion("vit-salida-clasificacion")
def test_clasificacion_frente_a_layernorm_y_linear():
    g = _generador()
    D, n_clases = 8, 10
    ln, cabeza = nn.LayerNorm(D, eps=1e-6, **D64), nn.Linear(D, n_clases, **D64)
    with torch.no_grad():
        ln.weight.copy_(torch.rand(D, generator=g) + 0.5)
        ln.bias.copy_(torch.randn(D, generator=g))
    z_L = torch.randn(4, 17, D, generator=g, **D64) * 3
    esperado = torch.softmax(cabeza(ln(z_L[:, 0])), dim=-1)  # como VisionTransformer: heads(ln(x)[:, 0])
    obtenido = ct.clasificar_imagen(z_L, ln.weight, ln.bias, cabeza.weight, cabeza.bias)
    assert obtenido.shape == (4, n_clases)
    torch.testing.assert_close(obtenido, esperado, **TOL)
    args = [t.detach().numpy() for t in (z_L, ln.weight, ln.bias, cabeza.weight, cabeza.bias)]
    np.testing.assert_allclose(cn.clasificar_imagen(*args), esperado.detach().numpy(), **TOL)


@pytest.mark.ecuacion("vit-bloque-codificador")
def test_bloque_vit_frente_a_transformer_encoder_layer():
    """ViT = ``nn.TransformerEncoderLayer(norm_first=True, activation="gelu")`` con LN de eps 1e-6."""
    g = _generador()
    D, h, d_mlp = 12, 3, 24
    capa = nn.TransformerEncoderLayer(
        D, h, d_mlp, dropout=0.0, activation="gelu", layer_norm_eps=1e-6, batch_first=True, norm_first=True, **D64
    ).eval()
    with torch.no_grad():
        for norma in (capa.norm1, capa.norm2):
            norma.weight.copy_(torch.rand(D, generator=g) + 0.5)
            norma.bias.copy_(torch.randn(D, generator=g))
        capa.self_attn.in_proj_bias.copy_(torch.randn(3 * D, generator=g))
        z = torch.randn(2, 17, D, generator=g, **D64)
        esperado = capa(z)
        pesos = (
            capa.norm1.weight, capa.norm1.bias, capa.self_attn.in_proj_weight, capa.self_attn.in_proj_bias,
            capa.self_attn.out_proj.weight, capa.self_attn.out_proj.bias, capa.norm2.weight, capa.norm2.bias,
            capa.linear1.weight, capa.linear1.bias, capa.linear2.weight, capa.linear2.bias,
        )  # fmt: skip
        torch.testing.assert_close(ct.bloque_vit(z, *pesos, h), esperado, **TOL)
        numpy = cn.bloque_vit(z.numpy(), *(p.numpy() for p in pesos), h)
    np.testing.assert_allclose(numpy, esperado.numpy(), **TOL)


# --- Réplica del código original de Swin (microsoft/Swin-Transformer, swin_transformer.py) ---


def _window_partition(x, ws):
    B, H, W, C = x.shape
    x = x.view(B, H // ws, ws, W // ws, ws, C)
    return x.permute(0, 1, 3, 2, 4, 5).contiguous().view(-1, ws, ws, C)


def _window_reverse(windows, ws, H, W):
    B = int(windows.shape[0] / (H * W / ws / ws))
    x = windows.view(B, H // ws, W // ws, ws, ws, -1)
    return x.permute(0, 1, 3, 2, 4, 5).contiguous().view(B, H, W, -1)


def _relative_position_index(ws):
    coords = torch.stack(torch.meshgrid([torch.arange(ws), torch.arange(ws)], indexing="ij"))
    coords_flatten = torch.flatten(coords, 1)
    relative_coords = (coords_flatten[:, :, None] - coords_flatten[:, None, :]).permute(1, 2, 0).contiguous()
    relative_coords[:, :, 0] += ws - 1
    relative_coords[:, :, 1] += ws - 1
    relative_coords[:, :, 0] *= 2 * ws - 1
    return relative_coords.sum(-1)


def _attn_mask(H, W, ws, shift):
    img_mask = torch.zeros((1, H, W, 1))
    cortes = (slice(0, -ws), slice(-ws, -shift), slice(-shift, None))
    cnt = 0
    for h in cortes:
        for w in cortes:
            img_mask[:, h, w, :] = cnt
            cnt += 1
    mask_windows = _window_partition(img_mask, ws).view(-1, ws * ws)
    attn_mask = mask_windows.unsqueeze(1) - mask_windows.unsqueeze(2)
    return attn_mask.masked_fill(attn_mask != 0, -100.0).masked_fill(attn_mask == 0, 0.0)


def _swin_msa(x, qkv, proj, tabla, n_heads, ws, shift):
    """``SwinTransformerBlock.forward`` sin normas ni MLP: (S)W-MSA de la implementación original."""
    B, H, W, C = x.shape
    if shift > 0:
        x = torch.roll(x, shifts=(-shift, -shift), dims=(1, 2))
    x_windows = _window_partition(x, ws).view(-1, ws * ws, C)
    B_, N, _ = x_windows.shape
    t = qkv(x_windows).reshape(B_, N, 3, n_heads, C // n_heads).permute(2, 0, 3, 1, 4)
    q, k, v = t[0], t[1], t[2]
    attn = (q * (C // n_heads) ** -0.5) @ k.transpose(-2, -1)
    bias = tabla[_relative_position_index(ws).view(-1)].view(N, N, -1).permute(2, 0, 1)
    attn = attn + bias.unsqueeze(0)
    if shift > 0:
        mask = _attn_mask(H, W, ws, shift).to(x.dtype)
        nW = mask.shape[0]
        attn = attn.view(B_ // nW, nW, n_heads, N, N) + mask.unsqueeze(1).unsqueeze(0)
        attn = attn.view(-1, n_heads, N, N)
    out = proj((attn.softmax(dim=-1) @ v).transpose(1, 2).reshape(B_, N, C))
    x = _window_reverse(out.view(-1, ws, ws, C), ws, H, W)
    return torch.roll(x, shifts=(shift, shift), dims=(1, 2)) if shift > 0 else x


def _capas_swin(C, n_heads, M, g):
    qkv, proj = nn.Linear(C, 3 * C, **D64), nn.Linear(C, C, **D64)
    tabla = torch.randn((2 * M - 1) ** 2, n_heads, generator=g, **D64)
    return qkv, proj, tabla


@pytest.mark.ecuacion("swin-atencion-ventana")
@pytest.mark.parametrize("H, W, M, desplazamiento", [(8, 8, 4, 0), (8, 8, 4, 2), (14, 21, 7, 3), (12, 6, 3, 1)])
def test_ventanas_frente_al_codigo_de_swin(H, W, M, desplazamiento):
    """Con -100 (Swin) o -inf (nosotros) en la máscara, el resultado es el mismo (e^-100 ≈ 4e-44)."""
    g = _generador()
    C, n_heads = 12, 3
    qkv, proj, tabla = _capas_swin(C, n_heads, M, g)
    x = torch.randn(2, H, W, C, generator=g, **D64)
    with torch.no_grad():
        esperado = _swin_msa(x, qkv, proj, tabla, n_heads, M, desplazamiento)
        pesos = (qkv.weight, qkv.bias, proj.weight, proj.bias, tabla)
        obtenido = ct.atencion_ventanas(x, *pesos, n_heads, M, desplazamiento)
        torch.testing.assert_close(obtenido, esperado, **TOL)
        numpy = cn.atencion_ventanas(x.numpy(), *(p.numpy() for p in pesos), n_heads, M, desplazamiento)
    np.testing.assert_allclose(numpy, esperado.numpy(), **TOL)


@pytest.mark.ecuacion("swin-atencion-ventana")
def test_indice_y_mascara_frente_al_codigo_de_swin():
    for M in (1, 2, 7):
        torch.testing.assert_close(ct.indice_posicion_relativa(M), _relative_position_index(M))
    permitido = ct.mascara_ventanas_desplazadas(14, 21, 7, 3)
    torch.testing.assert_close(permitido, _attn_mask(14, 21, 7, 3) == 0)
    torch.testing.assert_close(ct.particionar_ventanas(torch.randn(2, 8, 12, 3), 4).shape, torch.Size([2, 6, 16, 3]))


@pytest.mark.ecuacion("swin-atencion-ventana")
def test_ventanas_frente_a_sdpa_con_sesgo():
    """W-MSA = SDPA por ventana con ``attn_mask`` flotante igual al sesgo relativo B."""
    g = _generador()
    C, n_heads, M = 8, 2, 4
    qkv, proj, tabla = _capas_swin(C, n_heads, M, g)
    x = torch.randn(8, 8, C, generator=g, **D64)
    with torch.no_grad():
        ventanas = ct.particionar_ventanas(x, M)  # (n_v, M², C)
        q, k, v = qkv(ventanas).view(4, M * M, 3, n_heads, C // n_heads).permute(2, 0, 3, 1, 4)
        B = tabla[ct.indice_posicion_relativa(M)].permute(2, 0, 1)  # (h, M², M²)
        a = F.scaled_dot_product_attention(q, k, v, attn_mask=B)  # (n_v, h, M², d)
        esperado = ct.revertir_ventanas(proj(a.transpose(1, 2).reshape(4, M * M, C)), 8, 8)
        obtenido = ct.atencion_ventanas(x, qkv.weight, qkv.bias, proj.weight, proj.bias, tabla, n_heads, M)
    torch.testing.assert_close(obtenido, esperado, **TOL)


@pytest.mark.ecuacion("swin-atencion-ventana")
def test_una_ventana_sin_sesgo_es_la_multicabeza_global():
    """Con M = H = W y B = 0, W-MSA es la atención multicabeza global de ``nn.MultiheadAttention``."""
    g = _generador()
    C, n_heads, M = 8, 2, 4
    mha = nn.MultiheadAttention(C, n_heads, batch_first=True, **D64).eval()
    x = torch.randn(3, M, M, C, generator=g, **D64)
    with torch.no_grad():
        mha.in_proj_bias.copy_(torch.randn(3 * C, generator=g))
        secuencia = x.reshape(3, M * M, C)
        esperado, _ = mha(secuencia, secuencia, secuencia)
        tabla = torch.zeros((2 * M - 1) ** 2, n_heads, **D64)
        pesos = (mha.in_proj_weight, mha.in_proj_bias, mha.out_proj.weight, mha.out_proj.bias, tabla)
        obtenido = ct.atencion_ventanas(x, *pesos, n_heads, M)
    torch.testing.assert_close(obtenido.reshape(3, M * M, C), esperado, **TOL)


@pytest.mark.ecuacion("swin-fusion-parches")
@pytest.mark.parametrize("H, W, C", [(8, 8, 4), (6, 10, 3)])
def test_fusion_frente_a_pixel_unshuffle(H, W, C):
    """Camino independiente: ``F.pixel_unshuffle`` da los canales en orden (c, i, j); los
    reordenamos a (j, i, c), que es el orden x0=(0,0), x1=(1,0), x2=(0,1), x3=(1,1) de Swin."""
    g = _generador()
    x = torch.randn(2, H, W, C, generator=g, **D64)
    norma, reduccion = nn.LayerNorm(4 * C, **D64), nn.Linear(4 * C, 2 * C, bias=False, **D64)
    with torch.no_grad():
        norma.weight.copy_(torch.rand(4 * C, generator=g) + 0.5)
        norma.bias.copy_(torch.randn(4 * C, generator=g))
        u = F.pixel_unshuffle(x.permute(0, 3, 1, 2), 2)  # (B, C·4, H/2, W/2), canal c·4 + 2i + j
        u = u.view(2, C, 2, 2, H // 2, W // 2).permute(0, 4, 5, 3, 2, 1).reshape(2, H // 2, W // 2, 4 * C)
        esperado = reduccion(norma(u))  # como torchvision.models.swin_transformer.PatchMerging
        pesos = (norma.weight, norma.bias, reduccion.weight)
        torch.testing.assert_close(ct.fusionar_parches(x, *pesos), esperado, **TOL)
        numpy = cn.fusionar_parches(x.numpy(), *(p.numpy() for p in pesos))
    np.testing.assert_allclose(numpy, esperado.numpy(), **TOL)


def _flops(x, pesos, n_cabezas, M, desplazamiento=0):
    with sdpa_kernel(SDPBackend.MATH), FlopCounterMode(display=False) as contador:
        ct.atencion_ventanas(x, *pesos, n_cabezas, M, desplazamiento)
    return contador.get_total_flops()


@pytest.mark.ecuacion("swin-complejidad")
@pytest.mark.parametrize("h, w, C, M", [(8, 8, 8, 4), (12, 6, 6, 3), (8, 16, 4, 2)])
def test_complejidad_frente_a_flops_contados(h, w, C, M):
    """``FlopCounterMode`` cuenta 2·m·n·k por producto de matrices: el doble de las Ω del artículo."""
    g = _generador()
    qkv, proj, _ = _capas_swin(C, 2, M, g)
    x = torch.randn(1, h, w, C, generator=g, **D64)
    omega_msa, omega_wmsa = ct.coste_atencion_swin(h, w, C, M)
    with torch.no_grad():
        sesgo_global = torch.zeros((2 * h - 1) ** 2, 2, **D64)
        pesos = (qkv.weight, qkv.bias, proj.weight, proj.bias)
        assert _flops(x, (*pesos, torch.zeros((2 * M - 1) ** 2, 2, **D64)), 2, M) == 2 * omega_wmsa
        assert _flops(x, (*pesos, torch.zeros((2 * M - 1) ** 2, 2, **D64)), 2, M, M // 2) == 2 * omega_wmsa
        if h == w:  # una sola ventana que cubre el mapa: MSA global
            assert _flops(x, (*pesos, sesgo_global), 2, h) == 2 * omega_msa
    assert cn.coste_atencion_swin(h, w, C, M) == (omega_msa, omega_wmsa)


class _BloqueSwin(nn.Module):
    """Réplica de ``SwinTransformerBlock`` del código original (sin dropout ni drop path)."""

    def __init__(self, C, n_heads, ws, shift, g):
        super().__init__()
        self.n_heads, self.ws, self.shift = n_heads, ws, shift
        self.norm1, self.norm2 = nn.LayerNorm(C, **D64), nn.LayerNorm(C, **D64)
        self.qkv, self.proj, tabla = _capas_swin(C, n_heads, ws, g)
        self.tabla = nn.Parameter(tabla)
        self.fc1, self.fc2 = nn.Linear(C, 4 * C, **D64), nn.Linear(4 * C, C, **D64)
        with torch.no_grad():
            for norma in (self.norm1, self.norm2):
                norma.weight.copy_(torch.rand(C, generator=g) + 0.5)
                norma.bias.copy_(torch.randn(C, generator=g))

    def forward(self, x):
        x = x + _swin_msa(self.norm1(x), self.qkv, self.proj, self.tabla, self.n_heads, self.ws, self.shift)
        return x + self.fc2(F.gelu(self.fc1(self.norm2(x))))

    def pesos(self):
        return {
            "gamma_1": self.norm1.weight, "beta_1": self.norm1.bias, "W_qkv": self.qkv.weight, "b_qkv": self.qkv.bias,
            "W_o": self.proj.weight, "b_o": self.proj.bias, "tabla_sesgo": self.tabla,
            "gamma_2": self.norm2.weight, "beta_2": self.norm2.bias, "W_1": self.fc1.weight, "b_1": self.fc1.bias,
            "W_2": self.fc2.weight, "b_2": self.fc2.bias,
        }  # fmt: skip


@pytest.mark.ecuacion("swin-bloques-consecutivos")
@pytest.mark.parametrize("H, W, M", [(8, 8, 4), (14, 7, 7)])
def test_bloques_consecutivos_frente_al_codigo_de_swin(H, W, M):
    """W-MSA (shift_size = 0) seguido de SW-MSA (shift_size = M // 2), como en cada etapa de Swin."""
    g = _generador()
    C, n_heads = 8, 2
    primero, segundo = _BloqueSwin(C, n_heads, M, 0, g), _BloqueSwin(C, n_heads, M, M // 2, g)
    x = torch.randn(2, H, W, C, generator=g, **D64)
    with torch.no_grad():
        esperado = segundo(primero(x))
        obtenido = ct.bloques_swin(x, primero.pesos(), segundo.pesos(), n_heads, M)
        torch.testing.assert_close(obtenido, esperado, **TOL)
        a_np = [{k: v.numpy() for k, v in b.pesos().items()} for b in (primero, segundo)]
        numpy = cn.bloques_swin(x.numpy(), *a_np, n_heads, M)
        # el segundo bloque solo, con su desplazamiento
        intermedio = primero(x)
        torch.testing.assert_close(
            ct.bloque_swin(intermedio, **segundo.pesos(), n_cabezas=n_heads, M=M, desplazamiento=M // 2),
            esperado,
            **TOL,
        )
    np.testing.assert_allclose(numpy, esperado.numpy(), **TOL)
