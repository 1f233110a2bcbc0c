"""The accounting page: when and by which run the marts were published, which marts were
held back at an earlier release and why, which targets a budget promises are missing, which
deliveries the marts rest on (the load log), which other deliveries were loaded, and what is
in quarantine."""

from __future__ import annotations

from . import formatting
from .cells import Cijfer, cijfer
from .marts import Row, Snapshot
from .pages import VERANTWOORDING, Page

PATH = "verantwoording.html"
STATUS_LABEL = {"loaded": "geladen", "quarantined": "in quarantaine"}
MART_STATUS_LABEL = {"fresh": "bijgewerkt", "unchanged": "ongewijzigd", "held back": "vastgehouden",
                     "missing": "ontbreekt"}
# An unchanged mart is as current as a fresh one: nothing it is built from changed since it was published.
CURRENT = ("fresh", "unchanged")


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
        "marts_bestand": str(snapshot.path),
        "loads_bestand": str(loads_db) if loads_db else None,
        "load_log_gelezen": bool(snapshot.load_log),
        "marts": marts,
        "vastgehouden": [m for m in marts if m["is_vastgehouden"]],
        "ontbrekende_streefwaarden": _missing_targets(snapshot),
        "leveringen": [_delivery(r, _use(r, snapshot, traced)) for r in
                       sorted(snapshot.load_log, key=lambda r: (r.get("source") or "", r.get("load_id") or 0))],
        "quarantaine": [{**r, "gevonden_op": formatting.tijdstip(r.get("detected_at"))} for r in snapshot.quarantine],
    })
