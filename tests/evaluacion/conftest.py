"""Cada prueba de la evaluación usa una carpeta personal temporal: nunca toca el progreso del usuario."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def casa_temporal(tmp_path, monkeypatch):
    casa = tmp_path / "casa"
    casa.mkdir()
    monkeypatch.setenv("HOME", str(casa))
    monkeypatch.delenv("TRANSFORMADORES_PROGRESO", raising=False)
    monkeypatch.delenv("TRANSFORMADORES_CALIFICANDO", raising=False)
    return casa


@pytest.fixture
def sin_vigilancia(monkeypatch):
    """Deja usar las funciones del paquete en la respuesta (las variantes de los errores típicos lo hacen)."""
    import transformadores.evaluacion.comprobador as comprobador

    monkeypatch.setattr(comprobador, "firmas_prohibidas", lambda ej: [])
