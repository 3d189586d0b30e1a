"""Capítulo 14 frente a PyTorch: FlopCounterMode, Tensor.nbytes, SDPA, torch.softmax y torch.cumsum."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch.utils.flop_counter import FlopCounterMode
from transformadores import con_numpy as cn
from transformadores import con_torch as ct

torch.manual_seed(0)
D64 = {"dtype": torch.float64}
GPU = pytest.mark.skipif(not torch.cuda.is_available(), reason="necesita CUDA")


def _contar(funcion, *args):
    """FLOPs totales y por operación de aten que cuenta FlopCounterMode."""
    with FlopCounterMode(display=False) as contador:
        funcion(*args)
    por_op = {str(op).split(".")[-1]: n for op, n in contador.get_flop_counts()["Global"].items()}
    return contador.get_total_flops(), por_op


def _capa(x, W_qkv, W_o, W_1, W_2, h):
    """Una capa de transformador escrita con F.linear y matmul (sin sesgos, softmax ni LN, que no cuentan)."""
    B, n, d = x.shape
    q, k, v = (t.view(B, n, h, d // h).transpose(1, 2) for t in F.linear(x, W_qkv).split(d, dim=-1))  # (B, h, n, d_k)
    A = torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(d // h), dim=-1)  # (B, h, n, n)
    y = F.linear((A @ v).transpose(1, 2).reshape(B, n, d), W_o)  # (B, n, d)
    return F.linear(F.relu(F.linear(y, W_1)), W_2)


def _pesos_capa(d, d_ff):
    return [torch.randn(*s) for s in [(3 * d, d), (d, d), (d_ff, d), (d, d_ff)]]


@pytest.mark.ecuacion("flops-capa-transformer")
@pytest.mark.parametrize("B, n, d, d_ff, h", [(1, 16, 32, 128, 4), (2, 40, 8, 20, 2), (3, 7, 12, 48, 3)])
def test_flops_capa_frente_a_flop_counter(B, n, d, d_ff, h):
    total, por_op = _contar(_capa, torch.randn(B, n, d), *_pesos_capa(d, d_ff), h)
    flops = ct.flops_capa_transformer(n, d, d_ff, B=B)
    assert total == flops["total"]
    assert por_op.get("bmm", 0) == flops["qk"] + flops["av"]  # los dos productos n×n
    assert por_op["mm"] == flops["qkv"] + flops["salida"] + flops["ffn"]


@pytest.mark.ecuacion("flops-capa-transformer")
def test_flops_lineales_de_transformer_encoder_layer():
    """En ``nn.TransformerEncoderLayer`` las proyecciones y la FFN (``aten.mm``) suman ``24nd²`` con d_ff = 4d."""
    B, n, d = 2, 16, 32
    capa = torch.nn.TransformerEncoderLayer(d, 4, 4 * d, dropout=0.0, batch_first=True, bias=False)
    _, por_op = _contar(capa, torch.randn(B, n, d))
    flops = ct.flops_capa_transformer(n, d, B=B)
    assert por_op["mm"] == flops["qkv"] + flops["salida"] + flops["ffn"] == B * 24 * n * d * d


@pytest.mark.ecuacion("flops-capa-transformer")
@pytest.mark.parametrize("n", [10, 47, 48, 49, 200])
def test_termino_cuadratico_domina_si_n_mayor_que_6d(n):
    f = ct.flops_capa_transformer(n, 8)
    assert (f["qk"] + f["av"] > f["total"] / 2) == (n > 6 * 8)
    assert f["total"] == 24 * n * 64 + 4 * n * n * 8


@pytest.mark.ecuacion("flops-entrenamiento-6n")
def test_regla_6n_frente_a_flop_counter():
    """N = 12·L·d², el paso hacia atrás cuesta el doble que el de delante, y C ≈ 6N por token."""
    L, B, n, d = 3, 2, 8, 16
    capas = [[W.requires_grad_() for W in _pesos_capa(d, 4 * d)] for _ in range(L)]
    N, C_adelante, C_entrenamiento = ct.flops_entrenamiento(L, d, n)
    assert N == sum(W.numel() for pesos in capas for W in pesos) == 12 * L * d * d
    x = torch.randn(B, n, d, requires_grad=True)

    def adelante(x):
        for pesos in capas:
            x = x + _capa(x, *pesos, h=2)
        return x

    adelante_total, _ = _contar(adelante, x)
    entrenamiento_total, _ = _contar(lambda x: adelante(x).sum().backward(), x)
    # Atención completa: el término de contexto es el doble del de Kaplan (que supone atención causal).
    assert adelante_total / (B * n) == C_adelante + 2 * L * n * d
    assert entrenamiento_total == 3 * adelante_total
    assert entrenamiento_total / (B * n) - 3 * 4 * L * n * d == C_entrenamiento == 6 * N


def _rnn(x, W_x, W_h):
    h = torch.zeros(x.shape[-1])
    for t in range(x.shape[0]):
        h = torch.tanh(F.linear(x[t], W_x) + F.linear(h, W_h))
    return h


@pytest.mark.ecuacion("complejidad-por-capa")
@pytest.mark.parametrize("n, d", [(8, 4), (16, 4), (16, 16), (40, 8)])
def test_complejidad_frente_a_flop_counter(n, d):
    """Las constantes que oculta O(·) no cambian con n ni d: FLOPs contados = c · fórmula de la tabla."""
    k, r = 3, 4
    tabla = ct.complejidad_por_capa(n, d, k=k, r=r)
    Q, K, V = (torch.randn(1, n, d) for _ in range(3))
    atencion, _ = _contar(lambda: torch.softmax(Q @ K.transpose(-2, -1), -1) @ V)
    assert atencion == 4 * tabla["autoatencion"][0]  # QKᵀ y AV: 2n²d cada uno
    recurrente, _ = _contar(_rnn, torch.randn(n, d), torch.randn(d, d), torch.randn(d, d))
    assert recurrente == 4 * tabla["recurrente"][0]  # W_x x_t y W_h h_{t-1}: 2d² cada uno, n pasos
    conv, _ = _contar(F.conv1d, torch.randn(1, d, n), torch.randn(d, d, k), None, 1, k // 2)
    assert conv == 2 * tabla["convolucional"][0]
    restringida, _ = _contar(ct.atencion_ventana_deslizante, Q, K, V, r, True)
    assert restringida == 4 * tabla["autoatencion_restringida"][0]


@pytest.mark.ecuacion("complejidad-por-capa")
@pytest.mark.parametrize("n, r", [(16, 4), (33, 5), (64, 8)])
def test_longitud_maxima_del_camino(n, r):
    """Saltos hasta que la última posición ve la primera: 1 con atención completa, ≈ n/r con la restringida."""

    def saltos(mascara):
        alcance, pasos = mascara.clone(), 1
        while not alcance[-1, 0]:
            alcance, pasos = (alcance.double() @ mascara.double()) > 0, pasos + 1
        return pasos

    tabla = ct.complejidad_por_capa(n, 8, r=r)
    assert saltos(ct.mascara_causal(n)) == tabla["autoatencion"][2] == 1
    restringida = saltos(ct.mascara_ventana_deslizante(n, r, causal=True))
    assert restringida == math.ceil((n - 1) / (r - 1))
    assert tabla["autoatencion_restringida"][2] <= restringida <= 2 * tabla["autoatencion_restringida"][2]


@pytest.mark.ecuacion("memoria-atencion-cuadratica")
@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16, torch.float32, torch.float64])
def test_memoria_frente_a_nbytes(dtype):
    B, h, n, m = 2, 3, 7, 5
    assert ct.memoria_atencion(B, h, n, m, dtype) == torch.empty(B, h, n, m, dtype=dtype).nbytes
    assert (
        ct.memoria_atencion(B, h, n, m, str(dtype).removeprefix("torch."))
        == torch.empty(B, h, n, m, dtype=dtype).nbytes
    )
    Q, K, V = (
        torch.randn(B, h, n, 4, dtype=dtype),
        torch.randn(B, h, m, 4, dtype=dtype),
        torch.randn(B, h, m, 4, dtype=dtype),
    )
    _, pesos = ct.atencion_escalada(Q, K, V, devolver_pesos=True)
    assert pesos.nbytes == ct.memoria_atencion(B, h, n, m, dtype)
    if dtype != torch.bfloat16:
        assert cn.memoria_atencion(B, h, n, m, np.dtype(str(dtype).removeprefix("torch."))) == pesos.nbytes


@pytest.mark.ecuacion("memoria-atencion-cuadratica")
def test_memoria_ejemplo_del_libro():
    assert ct.memoria_atencion(1, 16, 8192, dtype=torch.float16) == 2 * 2**30  # 2 GiB por capa
    assert ct.memoria_atencion(1, 16, 2 * 8192, dtype=torch.float16) == 4 * ct.memoria_atencion(1, 16, 8192, dtype=2)


@pytest.mark.gpu
@GPU
@pytest.mark.ecuacion("memoria-atencion-cuadratica")
def test_memoria_maxima_en_gpu():
    """La atención explícita guarda A (B·h·n²·bytes); SDPA (Flash / memory-efficient) no."""
    B, h, n, d = 1, 8, 4096, 64
    Q, K, V = (torch.randn(B, h, n, d, device="cuda", dtype=torch.float16) for _ in range(3))
    A_bytes = ct.memoria_atencion(B, h, n, dtype=torch.float16)

    def pico(funcion):
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
        base = torch.cuda.memory_allocated()
        funcion()
        torch.cuda.synchronize()
        return torch.cuda.max_memory_allocated() - base

    explicita = pico(lambda: torch.softmax(Q @ K.transpose(-2, -1) / 8, -1) @ V)
    fusionada = pico(lambda: F.scaled_dot_product_attention(Q, K, V))
    assert explicita >= A_bytes and fusionada < A_bytes / 4


@pytest.mark.ecuacion("softmax-en-linea")
@pytest.mark.parametrize(
    "dtype, N, tol",
    [(torch.float64, 2000, (1e-12, 1e-15)), (torch.float32, 2000, (1e-5, 1e-6)), (torch.float16, 400, (1e-2, 1e-3))],
)
def test_softmax_en_linea_frente_a_torch(dtype, N, tol):
    z = (torch.randn(3, N, **D64) * 5).to(dtype)
    salida, m, d = ct.softmax_en_linea(z, devolver_normalizador=True)
    assert salida.dtype == dtype
    torch.testing.assert_close(salida, torch.softmax(z, dim=-1), rtol=tol[0], atol=tol[1])
    if dtype == torch.float64:
        torch.testing.assert_close(m + torch.log(d), torch.logsumexp(z, dim=-1))


@pytest.mark.ecuacion("flashattention-teselas")
@pytest.mark.parametrize("T, S, B_r, B_c", [(33, 33, 8, 8), (20, 47, 7, 16), (47, 20, 64, 3), (1, 9, 1, 1)])
@pytest.mark.parametrize("causal", [False, True])
def test_teselas_frente_a_sdpa(T, S, B_r, B_c, causal):
    Q, K, V = torch.randn(2, 3, T, 8, **D64), torch.randn(2, 3, S, 8, **D64), torch.randn(2, 3, S, 5, **D64)
    mascara = ct.mascara_causal(T, S) if causal else None
    esperado = F.scaled_dot_product_attention(Q, K, V, attn_mask=mascara)
    if causal and T == S:
        torch.testing.assert_close(F.scaled_dot_product_attention(Q, K, V, is_causal=True), esperado)
    if causal and T > S:  # las primeras consultas no ven ninguna clave: ceros (SDPA da NaN)
        esperado = esperado.nan_to_num(0.0)
    obtenido = ct.atencion_por_teselas(Q, K, V, B_r=B_r, B_c=B_c, causal=causal)
    torch.testing.assert_close(obtenido, esperado, rtol=1e-10, atol=1e-12)


@pytest.mark.gpu
@GPU
@pytest.mark.ecuacion("flashattention-teselas")
def test_teselas_frente_al_backend_flash():
    from torch.nn.attention import SDPBackend, sdpa_kernel

    Q, K, V = (torch.randn(2, 4, 256, 64, device="cuda", dtype=torch.float16) for _ in range(3))
    with sdpa_kernel(SDPBackend.FLASH_ATTENTION):
        esperado = F.scaled_dot_product_attention(Q, K, V, is_causal=True)
    obtenido = ct.atencion_por_teselas(Q.float(), K.float(), V.float(), B_r=64, B_c=64, causal=True)
    torch.testing.assert_close(obtenido.half(), esperado, rtol=0, atol=2e-3)


@pytest.mark.ecuacion("atencion-lineal-nucleo")
def test_atencion_lineal_frente_a_forma_cuadratica():
    """``(φ(Q)φ(K)ᵀ)V`` normalizada por filas (coste n²) = ``φ(Q)(φ(K)ᵀV)`` (coste n), con φ = F.elu + 1."""
    Q, K, V = torch.randn(2, 9, 4, **D64) * 2, torch.randn(2, 13, 4, **D64) * 2, torch.randn(2, 13, 3, **D64)
    np.testing.assert_allclose(cn.nucleo_elu(Q.numpy()), (F.elu(Q) + 1).numpy(), rtol=1e-12)
    A = (F.elu(Q) + 1) @ (F.elu(K) + 1).transpose(-2, -1)  # (2, 9, 13)
    torch.testing.assert_close(ct.atencion_lineal(Q, K, V), (A @ V) / A.sum(-1, keepdim=True), rtol=1e-10, atol=1e-12)
    assert not torch.allclose(ct.atencion_lineal(Q, K, V), F.scaled_dot_product_attention(Q, K, V), atol=1e-3)


@pytest.mark.ecuacion("atencion-lineal-causal-recurrente")
def test_lineal_causal_bucle_cumsum_y_tril():
    Q, K, V = torch.randn(2, 3, 12, 4, **D64), torch.randn(2, 3, 12, 4, **D64), torch.randn(2, 3, 12, 5, **D64)
    phi_Q, phi_K = F.elu(Q) + 1, F.elu(K) + 1
    A = torch.tril(phi_Q @ phi_K.transpose(-2, -1))
    cuadratica = (A @ V) / A.sum(-1, keepdim=True)
    S = torch.cumsum(phi_K[..., :, None] * V[..., None, :], dim=-3)  # (..., T, d_k, d_v), S_i para cada i
    z = torch.cumsum(phi_K, dim=-2)  # (..., T, d_k)
    con_cumsum = torch.einsum("...tk,...tkv->...tv", phi_Q, S) / (phi_Q * z).sum(-1, keepdim=True)
    salida, S_T, z_T = ct.atencion_lineal_causal(Q, K, V, devolver_estado=True)
    torch.testing.assert_close(salida, cuadratica, rtol=1e-10, atol=1e-12)
    torch.testing.assert_close(con_cumsum, cuadratica, rtol=1e-10, atol=1e-12)
    torch.testing.assert_close(S_T, S[..., -1, :, :])
    torch.testing.assert_close(z_T, z[..., -1, :])


@pytest.mark.ecuacion("atencion-ventana-deslizante")
@pytest.mark.parametrize("w, causal", [(1, False), (4, False), (5, False), (3, True), (8, True), (40, False)])
def test_ventana_frente_a_sdpa_con_banda(w, causal):
    Q, K, V = torch.randn(2, 3, 17, 8, **D64), torch.randn(2, 3, 17, 8, **D64), torch.randn(2, 3, 17, 5, **D64)
    banda = ct.mascara_ventana_deslizante(17, w, causal)
    esperado = F.scaled_dot_product_attention(Q, K, V, attn_mask=banda)
    torch.testing.assert_close(ct.atencion_ventana_deslizante(Q, K, V, w, causal), esperado, rtol=1e-10, atol=1e-12)
    dif = torch.arange(17)[:, None] - torch.arange(17)[None, :]
    assert torch.equal(banda, (dif >= 0) & (dif < w) if causal else dif.abs() <= w // 2)


@pytest.mark.ecuacion("atencion-dispersa-estriada")
@pytest.mark.parametrize("T, l", [(16, 4), (30, 5), (17, None), (9, 1)])
def test_estriada_conecta_en_dos_saltos(T, l):
    local, estriada = ct.mascaras_estriadas(T, l)
    l = math.ceil(math.sqrt(T)) if l is None else l
    causal = ct.mascara_causal(T)
    dos_saltos = (local.double() @ estriada.double()) > 0  # capa 1 estriada, capa 2 local
    assert torch.equal(dos_saltos, causal) and torch.equal((estriada.double() @ local.double()) > 0, causal)
    if l > 1 and T > l + 1:
        assert not torch.equal(local, causal) and not torch.equal(estriada, causal)  # ninguna basta sola
    assert (local.sum(-1) <= l + 1).all() and (estriada.sum(-1) <= (T - 1) // l + 1).all()
    Q, K, V = torch.randn(2, T, 8, **D64), torch.randn(2, T, 8, **D64), torch.randn(2, T, 3, **D64)
    for mascara in (local, estriada):
        esperado = F.scaled_dot_product_attention(Q, K, V, attn_mask=mascara)
        torch.testing.assert_close(ct.atencion_escalada(Q, K, V, mascara), esperado, rtol=1e-10, atol=1e-12)
