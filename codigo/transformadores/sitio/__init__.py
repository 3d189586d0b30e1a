"""Piezas del sitio web del libro que se generan o se ajustan al construirlo.

- :mod:`.indice`: el índice de ecuaciones (``libro/indice-ecuaciones.md``), generado a partir del registro.
- :mod:`.extension`: una extensión de Sphinx con los retoques del sitio (textos en español, scripts duplicados).
"""
