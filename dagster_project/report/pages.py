"""What every page has: a path in the site, a template, a title, breadcrumbs, a type."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from .marts import Row, Snapshot

# Page types; the browser test takes one screenshot of each.
START, PROGRAMMA, DOCUMENT, DOELSTELLING, ENQUETES, VERANTWOORDING, VERGELIJKING = (
    "start", "programma", "document", "doelstelling", "enquetes", "verantwoording", "vergelijking")
FASE_LABEL = {"begroting primitief": "Begroting primitief", "begroting na wijziging": "Begroting na wijziging",
              "rekening": "Rekening"}
RICHTING_LABEL = {"hoger": "hoger is beter", "lager": "lager is beter"}


@dataclass
class Page:
    path: str
    template: str
    titel: str
    soort: str
    kruimels: list[tuple[str, str]] = field(default_factory=list)  # (label, path) from the start page
    context: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Document:
    """A P&C document: the Programmabegroting (begroting primitief) or the Jaarstukken (rekening) of a year."""

    fase: str
    jaar: int
    naam: str

    @property
    def is_begroting(self) -> bool:
        return self.fase != "rekening"

    @property
    def slug(self) -> str:
        return f"{'begroting' if self.is_begroting else 'jaarstukken'}-{self.jaar}"


DOCUMENT_FASEN = ("begroting primitief", "rekening")


def by_key(rows: Iterable[Row], *keys: str) -> dict[tuple, Row]:
    return {tuple(r.get(k) for k in keys): r for r in rows}


def grouped(rows: Iterable[Row], *keys: str) -> dict[tuple, list[Row]]:
    groups: dict[tuple, list[Row]] = defaultdict(list)
    for row in rows:
        groups[tuple(row.get(k) for k in keys)].append(row)
    return groups


def valid_in(row: Row, jaar: int) -> bool:
    """A version row (geldig_van_jaar .. geldig_tot_jaar, open-ended when empty) applies to the year."""
    van, tot = row.get("geldig_van_jaar"), row.get("geldig_tot_jaar")
    return (van is None or van <= jaar) and (tot is None or jaar <= tot)


def goal_order(row: Row) -> tuple:
    """Goals as the documents list them: by code, then name."""
    return (row.get("doelstelling_code") or "", row.get("doelstelling_naam") or "")


def document_names(snapshot: Snapshot) -> dict[str, str]:
    """The document that publishes each phase (dim_fase.document)."""
    names = {r["fase"]: r.get("document") for r in snapshot.rows("dim_fase")}
    return {fase: names.get(fase) or ("Jaarstukken" if fase == "rekening" else "Programmabegroting")
            for fase in DOCUMENT_FASEN}


def gemeente_naam(snapshot: Snapshot, gemeente_code: str) -> str:
    row = by_key(snapshot.rows("dim_gemeente"), "gemeente_code").get((gemeente_code,))
    return (row or {}).get("gemeente_naam") or gemeente_code
