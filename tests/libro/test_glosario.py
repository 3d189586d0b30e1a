"""El glosario (libro/glosario.md) y el texto del libro dicen lo mismo: un término por concepto.

Cada vez que el texto presenta un término con su original inglés en cursiva, «máscara (*mask*)» o
«(**autoatención**, *self-attention*)», el par debe estar en el glosario; y las variantes que el
glosario desaconseja no aparecen en la prosa.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

RAIZ = Path(__file__).resolve().parents[2]
GLOSARIO = RAIZ / "libro" / "glosario.md"
NO_SON_PROSA = {"glosario.md", "indice-ecuaciones.md"}  # el propio glosario y la página generada del registro
# Un término se presenta en negrita con su original en cursiva: «**término** (*english*)», «**término** (*english*,
# …)» o «(**término**, *english*)». Las glosas sin negrita («de «puntuación» (*score*)») no son presentaciones.
PRESENTACION = re.compile(r"\*\*([^*\n]+)\*\*\s*\(\*([^*\n]+)\*[),]|\(\*\*([^*\n]+)\*\*,\s*\*([^*\n]+)\*")


def _sin_tildes(texto: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", texto.lower()) if unicodedata.category(c) != "Mn")


def _singulares(palabra: str) -> set[str]:
    """La palabra y sus posibles singulares (es/en): «puntuaciones» → «puntuacion», «queries» → «query»."""
    formas = {palabra}
    if palabra.endswith("ies"):
        formas.add(palabra[:-3] + "y")
    if palabra.endswith("es"):
        formas.add(palabra[:-2])
    if palabra.endswith("s"):
        formas.add(palabra[:-1])
    return formas


def _formas(termino: str) -> set[str]:
    """Las formas de un término con partes opcionales entre paréntesis: «(atención) blanda» → {«atencion blanda»,
    «blanda»}; sin tildes ni mayúsculas."""
    completa = re.sub(r"[()]", "", termino)
    corta = re.sub(r"\([^)]*\)", "", termino)
    return {" ".join(_sin_tildes(f).split()) for f in (completa, corta)}


def _coincide(frase: str, termino: str) -> bool:
    """¿Es ``frase`` una forma de ``termino``, admitiendo plurales y sin distinguir tildes ni mayúsculas?"""
    palabras = _sin_tildes(frase.replace("*", "")).split()
    return any(
        len(palabras) == len(buscadas) and all(b in _singulares(p) for p, b in zip(palabras, buscadas))
        for buscadas in (f.split() for f in _formas(termino))
    )


def _tabla() -> list[tuple[str, str, list[str]]]:
    filas = []
    for linea in GLOSARIO.read_text(encoding="utf-8").splitlines():
        celdas = [c.strip() for c in linea.strip().strip("|").split("|")]
        if len(celdas) == 3 and linea.startswith("|") and celdas[0] not in ("español", "---"):
            filas.append((celdas[0], celdas[1].replace("*", ""), re.findall(r"«([^»]+)»", celdas[2])))
    return filas


def _prosa() -> dict[str, str]:
    """Documento → su Markdown sin bloques de código, código en línea ni fórmulas."""
    textos = {}
    for ruta in [*RAIZ.glob("capitulos/*.ipynb"), *RAIZ.glob("ejercicios/*.ipynb"), *RAIZ.glob("libro/*.ipynb")]:
        celdas = json.loads(ruta.read_text(encoding="utf-8"))["cells"]
        textos[ruta.relative_to(RAIZ).as_posix()] = "\n".join(
            "".join(c["source"]) for c in celdas if c["cell_type"] == "markdown"
        )
    for ruta in RAIZ.glob("libro/*.md"):
        if ruta.name not in NO_SON_PROSA:
            textos[ruta.relative_to(RAIZ).as_posix()] = ruta.read_text(encoding="utf-8")
    limpiar = [r"```.*?```", r"`[^`\n]*`", r"\$\$.*?\$\$", r"\$[^$\n]*\$"]
    for patron in limpiar:
        textos = {n: re.sub(patron, " ", t, flags=re.S) for n, t in textos.items()}
    return textos


@pytest.fixture(scope="module")
def tabla():
    return _tabla()


def test_el_glosario_esta_bien_formado(tabla):
    assert len(tabla) >= 45
    espanol, ingles = [e for e, _, _ in tabla], [i for _, i, _ in tabla]
    assert len(set(espanol)) == len(espanol) and len(set(ingles)) == len(ingles)
    clave = [re.sub(r"[-()]", "", _sin_tildes(e)) for e in espanol]
    assert clave == sorted(clave), "el glosario debe estar en orden alfabético"


def test_cada_presentacion_de_un_termino_sigue_el_glosario(tabla):
    por_ingles = {forma: e for e, i, _ in tabla for forma in _formas(i)}
    errores, vistas = [], 0
    for nombre, texto in _prosa().items():
        for m in PRESENTACION.finditer(texto):
            espanol, ingles = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
            vistas += 1
            clave = next((f for f in _singulares(" ".join(_sin_tildes(ingles).split())) if f in por_ingles), None)
            if clave is None:
                errores.append(f"{nombre}: «{ingles}» no está en el glosario (añádelo a libro/glosario.md)")
            elif not _coincide(espanol, por_ingles[clave]):
                errores.append(f"{nombre}: «**{espanol}** (*{ingles}*)»: el glosario dice «{por_ingles[clave]}»")
    assert vistas >= 15, vistas
    assert not errores, "\n".join(errores)


def test_el_texto_no_usa_las_variantes_desaconsejadas(tabla):
    prosa = {n: re.sub(r"\*[^*\n]+\*|«[^»\n]*»", " ", t) for n, t in _prosa().items()}  # sin cursivas ni citas
    hallazgos = [
        f"{nombre}: «{variante}» (decimos «{espanol}»)"
        for espanol, _, variantes in tabla
        for variante in variantes
        for nombre, texto in prosa.items()
        if re.search(rf"(?<!\w){re.escape(variante)}(?!\w)", texto, flags=re.I)
    ]
    assert sum(len(v) for _, _, v in tabla) >= 5
    assert not hallazgos, "\n".join(hallazgos)


def test_las_comprobaciones_detectan_un_termino_cambiado():
    """Las pruebas anteriores pueden fallar: un par que no sigue el glosario no coincide."""
    assert _coincide("**máscara**", "máscara") and _coincide("puntuaciones", "puntuación")
    assert _coincide("blanda", "(atención) blanda") and _coincide("atención blanda", "(atención) blanda")
    assert not _coincide("enmascaramiento", "máscara") and not _coincide("atención dura", "(atención) blanda")
    assert "query" in _singulares("queries") and "clave" in _singulares("claves")
