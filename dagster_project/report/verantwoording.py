"""The accounting page: when and by which run the marts were published, which deliveries
they rest on (the load log), which other deliveries were loaded, and what is in quarantine."""

from __future__ import annotations

from . import formatting
from .cells import Cijfer, cijfer
from .marts import Row, Snapshot
from .pages import VERANTWOORDING, Page

PATH = "verantwoording.html"
STATUS_LABEL = {"loaded": "geladen", "quarantined": "in quarantaine"}


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


def page(snapshot: Snapshot, loads_db, start: list[tuple[str, str]]) -> Page:
    release = snapshot.publicatie
    traced = {r.get("source") for r in snapshot.load_log if r.get("load_id") in snapshot.bron_load_ids}
    tabellen = [(name, Cijfer(formatting.getal(count), "publicatie", (("mart", name),), "rijen"))
                for name, count in release.tabellen.items()]
    return Page(PATH, "verantwoording.html", "Verantwoording", VERANTWOORDING, start, {
        "run_id": release.run_id,
        "marts_bestand": str(snapshot.path),
        "loads_bestand": str(loads_db) if loads_db else None,
        "load_log_gelezen": bool(snapshot.load_log),
        "tabellen": tabellen,
        "leveringen": [_delivery(r, _use(r, snapshot, traced)) for r in
                       sorted(snapshot.load_log, key=lambda r: (r.get("source") or "", r.get("load_id") or 0))],
        "quarantaine": [{**r, "gevonden_op": formatting.tijdstip(r.get("detected_at"))} for r in snapshot.quarantine],
    })
