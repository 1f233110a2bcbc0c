"""A figure in the report together with where it comes from.

Every number the report shows is a `Cijfer`: its text in Dutch notation and
the mart, row key and column it was read from. The page carries that
provenance as data attributes, so a test can check every figure against the
marts, and a controller can see where a figure comes from.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from . import formatting
from .marts import Row

# The columns that identify one row of each table the report shows figures from.
KEYS = {
    "rpt_indicator_scorecard": ("gemeente_code", "indicator_code", "jaar"),
    "rpt_financien_doelstelling": ("gemeente_code", "jaar", "fase", "doelstelling_key"),
    "rpt_financien_vergelijking": ("gemeente_code", "jaar", "programma_code", "doelstelling_key", "grootheid"),
    "rpt_programma_totalen": ("gemeente_code", "jaar", "fase", "programma_code"),
    "rpt_financien_aansluiting": ("gemeente_code", "jaar", "fase", "programma_code"),
    "rpt_enquete_resultaat": ("gemeente_code", "onderzoek", "uitkomst", "jaar", "indeling", "groep"),
    "rpt_jeugdhulp_jaar": ("gemeente_code", "jaar", "uitkomst", "indeling", "groep"),
    "fct_financien": ("financien_regel_key",),
    "load_log": ("load_id",),
}


@dataclass(frozen=True)
class Cijfer:
    """A figure as shown, and its source: table, key and column (in `database`: marts or loads)."""

    tekst: str
    bron: str | None = None
    sleutel: tuple[tuple[str, object], ...] = ()
    kolom: str | None = None
    database: str = "marts"
    klasse: str = ""
    schaal: int = 1  # the figure is the column's value divided by this (1000: a total in euros shown x € 1.000)

    @property
    def sleutel_json(self) -> str:
        return json.dumps(dict(self.sleutel), default=str, ensure_ascii=False)

    @property
    def is_leeg(self) -> bool:
        return self.tekst == formatting.LEEG


def cijfer(row: Row | None, table: str, kolom: str, opmaak: Callable[[object], str], *,
           klasse: str = "", keys: Iterable[str] | None = None, database: str = "marts", schaal: int = 1) -> Cijfer:
    """The figure in `kolom` of a row of `table` (divided by `schaal`), formatted; `-` when there is no row or
    no value."""
    if row is None:
        return Cijfer(formatting.LEEG)
    key = tuple((k, row[k]) for k in (keys or KEYS[table]))
    value = row.get(kolom)
    if value is not None and schaal != 1:
        value = formatting.to_decimal(value) / schaal
    return Cijfer(opmaak(value), table, key, kolom, database, klasse, schaal)


def tekst(value: str) -> Cijfer:
    """A cell without a figure (a label or `-`)."""
    return Cijfer(value)
