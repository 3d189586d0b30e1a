"""Fixtures comunes: generador aleatorio y dispositivo (CPU, y CUDA/MPS si existen)."""

from __future__ import annotations

import numpy as np
import pytest
from utiles import DISPOSITIVOS


@pytest.fixture
def rng():
    return np.random.default_rng(1234)


@pytest.fixture(params=DISPOSITIVOS)
def dispositivo(request):
    return request.param
