"""Estilos de bibliografía en español para sphinxcontrib-bibtex.

Los estilos de serie escriben «Phuong and Hutter» y «In Advances in…». Registramos dos variantes que
escriben «Phuong y Hutter» y «En Advances in…»; ``_config.yml`` las elige por su nombre:

- ``espanol``: formato de las entradas (la página de bibliografía y las notas al pie), el ``plain`` de pybtex;
- ``autor_anio``: formato de las citas en el texto, el ``author_year`` de sphinxcontrib-bibtex.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pybtex.plugin
from pybtex.style.formatting import toplevel
from pybtex.style.formatting.plain import Style as EstiloPlain
from pybtex.style.formatting.unsrt import date, pages
from pybtex.style.template import names, optional, optional_field, sentence, words
from sphinxcontrib.bibtex.plugin import register_plugin
from sphinxcontrib.bibtex.style.referencing import PersonStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle

__all__ = ["Espanol", "AutorAnio", "registrar"]


class Espanol(EstiloPlain):
    """El estilo ``plain`` de pybtex con «y» entre autores y «En» ante el libro o las actas."""

    def format_names(self, role, as_sentence=True):
        nombres = names(role, sep=", ", sep2=" y ", last_sep=" y ")
        return sentence[nombres] if as_sentence else nombres

    def _en(self, e, *partes):
        """«En <editores>, <libro o actas>, <volumen y serie>, <partes>.»"""
        libro = (
            optional[self.format_editor(e, as_sentence=False)],
            self.format_btitle(e, "booktitle", as_sentence=False),
            self.format_volume_and_series(e, as_sentence=False),
            *partes,
        )
        return words["En", sentence[libro]]

    def get_inproceedings_template(self, e):
        return toplevel[
            sentence[self.format_names("author")],
            self.format_title(e, "title"),
            words[self._en(e, optional[pages]), self.format_address_organization_publisher_date(e)],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]

    def get_incollection_template(self, e):
        return toplevel[
            sentence[self.format_names("author")],
            self.format_title(e, "title"),
            self._en(e, self.format_chapter_and_pages(e)),
            sentence[optional_field("publisher"), optional_field("address"), self.format_edition(e), date],
            self.format_web_refs(e),
        ]


@dataclass
class AutorAnio(AuthorYearReferenceStyle):
    """Citas autor-año con «y» entre autores: [Phuong y Hutter, 2022]."""

    person: PersonStyle = field(default_factory=lambda: PersonStyle(sep2=" y ", last_sep=" y "))


def registrar() -> None:
    """Registra los dos estilos (se puede llamar varias veces)."""
    pybtex.plugin.register_plugin("pybtex.style.formatting", "espanol", Espanol, force=True)
    register_plugin("sphinxcontrib.bibtex.style.referencing", "autor_anio", AutorAnio, force=True)
