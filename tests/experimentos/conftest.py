"""Los experimentos entrenan con un solo hilo de PyTorch, como los cuadernos (la máquina tiene 2 núcleos)."""

from __future__ import annotations

import pytest
import torch


@pytest.fixture(autouse=True)
def un_hilo():
    previos = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(previos)
