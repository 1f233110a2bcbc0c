"""The accounting page: when and by which run the marts were published, which marts were
held back at an earlier release and why, which targets a budget promises are missing, which
deliveries the marts rest on (the load log), which other deliveries were loaded, and what is
in quarantine."""

from __future__ import annotations

import re

from . import formatting
from .cells import Cijfer, cijfer
from .marts import Row, Snapshot
from .pages import VERANTWOORDING, Page

PATH = "verantwoording.html"
STATUS_LABEL = {"loaded": "geladen", "quarantined": "in quarantaine"}
MART_STATUS_LABEL = {"fresh": "bijgewerkt", "unchanged": "ongewijzigd", "held back": "vastgehouden",
                     "missing": "ontbreekt"}
# The quarantine's reasons (English, for the data steward, in the load log) in Dutch for readers: the start of
# each reason the loaders write (docs/sources.md, "Quarantine") and its Dutch; the English stays beside it.
REDENEN = (
    ("the date of birth lies after the start date", "de geboortedatum ligt na de begindatum"),
    ("the end date lies before the start date", "de einddatum ligt voor de begindatum"),
    ("a symbolic link, not a delivered file", "een snelkoppeling (symbolische link), geen geleverd bestand"),
    ("a folder inside the source folder", "een map in de bronmap: de bestanden daarin zijn niet gelezen"),
    ("not a regular file", "geen gewoon bestand"),
    ("file type", "dit bestandstype wordt niet aangenomen"),
    ("the file is empty", "het bestand is leeg"),
    ("the file has a header but no data lines", "het bestand heeft een kopregel maar geen gegevens"),
    ("the first sheet is empty", "het eerste werkblad is leeg"),
    ("the workbook is damaged", "de werkmap is beschadigd of onvolledig"),
    ("the SPSS file is damaged", "het SPSS-bestand is beschadigd of onvolledig"),
    ("the file is a ZIP archive but not an Excel workbook", "het bestand is een ZIP-archief, geen Excel-werkmap"),
    ("the file cannot be parsed as CSV", "het bestand is geen leesbare CSV"),
    ("the file is text encoded as UTF-16", "de tekst is gecodeerd als UTF-16"),
    ("the header is separated by", "de kopregel heeft een ander scheidingsteken dan ;"),
    ("missing required column", "een verplichte kolom ontbreekt"),
    ("unknown column", "een onbekende kolom"),
    ("duplicate column", "een kolom staat er twee keer in"),
    ("values in a column without a header", "waarden in een kolom zonder kop"),
    ("a line is longer than",
     "een regel is te lang (beschadigd bestand, of een waarde zonder sluitend aanhalingsteken)"),
    ("the line has", "de regel heeft een ander aantal velden dan de kopregel"),
    ("a NUL byte", "een NUL-teken in de waarde"),
    ("no such date in the calendar", "deze datum bestaat niet"),
    ("more than 2 decimals", "meer dan 2 decimalen"),
    ("scientific notation is not accepted", "wetenschappelijke notatie wordt niet aangenomen"),
    ("unknown gemeente", "onbekende gemeente"),
    ("a BSN", "een BSN waar een gepseudonimiseerd nummer hoort (de waarde is gemaskeerd)"),
    ("not a valid", "geen geldige waarde"),
    ("not a number", "geen getal"),
)
ISO_DATUM = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")  # a date the load log's English names
# An unchanged mart is as current as a fresh one: nothing it is built from changed since it was published.
CURRENT = ("fresh", "unchanged")


def reden(reason: str | None) -> tuple[str, list[str]]:
    """A quarantine reason in Dutch and the dates it names (Dutch notation); empty when it has no Dutch yet."""
    reason = reason or ""
    for english, dutch in REDENEN:
        if reason.startswith(english):
            return dutch, [formatting.datum(f"{y}-{m}-{d}") for y, m, d in ISO_DATUM.findall(reason)]
    return "", []


def _use(row: Row, snapshot: Snapshot, traced_sources: set[str]) -> str:
    """Whether the facts of the release rest on a delivery (their bron_load_id names it)."""
    published_at, loaded_at = snapshot.publicatie.gepubliceerd_op, row.get("loaded_at")
    if row.get("status") == "quarantined":
        return "nee: in quarantaine"
    if published_at and loaded_at and loaded_at > published_at:
        return "nee: geladen na deze publicatie"
    if row.get("load_id") in snapshot.bron_load_ids:
        return "ja"
    if row.get("source") in traced_sources:
        return "nee: niet (meer) in de feiten, bijvoorbeeld vervangen door een latere levering"
    return "niet per levering vastgelegd"


def _delivery(row: Row, use: str) -> dict:
    return {
        "bron": row.get("source"), "bestand": row.get("file_name"),
        "status": STATUS_LABEL.get(row.get("status"), row.get("status")), "gebruik": use,
        "rijen": cijfer(row, "load_log", "row_count", formatting.getal, database="loads"),
        "problemen": cijfer(row, "load_log", "problem_count", formatting.getal, database="loads"),
        "geladen_op": formatting.tijdstip(row.get("loaded_at")), "run_id": row.get("run_id"),
        "sha256": (row.get("content_sha256") or "")[:12],
    }


def _marts(snapshot: Snapshot) -> list[dict]:
    """Every mart of the release with its row count, the run its data comes from and, when held back or
    missing, the reason."""
    status = {r["mart"]: r for r in snapshot.rows("publicatie_mart")}
    names = sorted(set(snapshot.publicatie.tabellen) | set(status))
    return [{
        "naam": name,
        "rijen": Cijfer(formatting.getal(snapshot.publicatie.tabellen[name]), "publicatie", (("mart", name),), "rijen")
        if name in snapshot.publicatie.tabellen else None,
        "status": MART_STATUS_LABEL.get(status.get(name, {}).get("status"), ""),
        "is_vastgehouden": status.get(name, {}).get("status", "fresh") not in CURRENT,
        "run_id": status.get(name, {}).get("run_id"),
        "gepubliceerd_op": formatting.tijdstip(status[name]["gepubliceerd_op"]) if name in status else "",
        "reden": status.get(name, {}).get("reden") or "",
    } for name in names]


def _missing_targets(snapshot: Snapshot) -> list[Row]:
    """The targets a budget promises that the warehouse does not have (a warning, never a block)."""
    missing = (r for r in snapshot.rows("rpt_indicator_streefwaarde_dekking") if not r.get("is_streefwaarde_aanwezig"))
    return sorted(missing,
                  key=lambda r: (r.get("gemeente_code") or "", r.get("indicator_code") or "", r.get("jaar") or 0))


def page(snapshot: Snapshot, loads_db, start: list[tuple[str, str]]) -> Page:
    release = snapshot.publicatie
    traced = {r.get("source") for r in snapshot.load_log if r.get("load_id") in snapshot.bron_load_ids}
    marts = _marts(snapshot)
    return Page(PATH, "verantwoording.html", "Verantwoording", VERANTWOORDING, start, {
        "run_id": release.run_id,
        # The file names only: where the server keeps them is not for readers.
        "marts_bestand": snapshot.path.name,
        "loads_bestand": loads_db.name if loads_db else None,
        "load_log_gelezen": bool(snapshot.load_log),
        "marts": marts,
        "vastgehouden": [m for m in marts if m["is_vastgehouden"]],
        "ontbrekende_streefwaarden": _missing_targets(snapshot),
        "leveringen": [_delivery(r, _use(r, snapshot, traced)) for r in
                       sorted(snapshot.load_log, key=lambda r: (r.get("source") or "", r.get("load_id") or 0))],
        # The reason in Dutch for readers, the English of the load log as it is there for the data steward.
        "quarantaine": [{**r, "gevonden_op": formatting.tijdstip(r.get("detected_at")),
                         "reden": reden(r.get("reason"))[0], "reden_data": reden(r.get("reason"))[1]}
                        for r in snapshot.quarantine],
    })
