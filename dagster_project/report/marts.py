"""Read the published marts (read-only, in one connection, so one consistent release)
and the published load log, into plain rows: dicts by column name.

The report reads columns by name and treats a missing table or column as
"not available", so that a release with more (or fewer) columns still
builds a report.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from ..settings import duckdb_config

# The marts read whole: dimensions and report tables (one row per gemeente, year and cell, not per event).
TABLES = (
    "dim_gemeente", "dim_programma", "dim_doelstelling", "dim_doelstelling_crosswalk", "dim_fase",
    "dim_indicator", "dim_bron", "dim_indicator_doelstelling", "dim_enquete_uitkomst", "dim_enquete_vraag",
    "dim_wijk", "dim_leeftijdsklasse",
    "rpt_programma_totalen", "rpt_financien_doelstelling", "rpt_financien_aansluiting",
    "rpt_financien_vergelijking", "rpt_indicator_scorecard", "rpt_indicator_streefwaarde_dekking",
    "rpt_enquete_resultaat", "rpt_jeugdhulp_jaar", "dim_cbs_maat", "rpt_cbs_vergelijking", "rpt_cbs_aansluiting",
    # Per mart: fresh in this release, unchanged since an earlier one, or held back at an earlier run's data, and why.
    "publicatie_mart",
)
# Facts whose bron_load_id says which deliveries the release rests on.
FACTS_WITH_LOADS = ("fct_financien", "fct_indicatorwaarde", "fct_enquete_respondent")
Row = dict


@dataclass(frozen=True)
class Publicatie:
    """When and by which run the marts were published, and the row count of every mart."""

    gepubliceerd_op: datetime | None
    run_id: str | None
    tabellen: dict[str, int]


@dataclass
class Snapshot:
    """Everything the report shows, as read from one release."""

    path: Path
    publicatie: Publicatie
    tables: dict[str, list[Row]]
    reservemutaties: list[Row]
    bron_load_ids: set[int]
    load_log: list[Row] = field(default_factory=list)
    quarantine: list[Row] = field(default_factory=list)
    # The ledger deliveries the finance facts rest on, per gemeente, jaar and fase: the "stand" of a finance table.
    financien_leveringen: list[Row] = field(default_factory=list)

    def rows(self, table: str) -> list[Row]:
        return self.tables.get(table, [])


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: Iterable = ()) -> list[Row]:
    cursor = con.execute(sql, list(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def _columns(con: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    columns: dict[str, set[str]] = {}
    for table, column in con.execute(
        "SELECT table_name, column_name FROM duckdb_columns() WHERE database_name = current_database() "
        "AND schema_name = 'main'"
    ).fetchall():
        columns.setdefault(table, set()).add(column)
    return columns


def publicatie(rows: list[Row]) -> Publicatie:
    """The publication record: one row with the row counts as JSON (`tabellen`), or one row per mart."""
    if not rows:
        return Publicatie(None, None, {})
    # In UTC without a zone, as the load log's times: releases before 0.2.0 stored them so.
    stamps = [r["gepubliceerd_op"].astimezone(UTC).replace(tzinfo=None) if r["gepubliceerd_op"].tzinfo
              else r["gepubliceerd_op"] for r in rows if r.get("gepubliceerd_op") is not None]
    runs = [r["run_id"] for r in rows if r.get("run_id")]
    tabellen: dict[str, int] = {}
    for row in rows:
        if isinstance(row.get("tabellen"), str):
            tabellen.update(json.loads(row["tabellen"]))
        name = next((row[c] for c in ("mart", "tabel", "table_name") if row.get(c)), None)
        count = next((row[c] for c in ("rijen", "aantal_rijen", "row_count") if row.get(c) is not None), None)
        if name is not None and count is not None:
            tabellen[name] = int(count)
    return Publicatie(max(stamps) if stamps else None, runs[0] if runs else None, dict(sorted(tabellen.items())))


def read(published_db: Path, loads_db: Path | None = None) -> Snapshot:
    """Read one release of the published marts, and the load log if its file exists."""
    if not published_db.exists():
        raise FileNotFoundError(f"no published marts at {published_db}: run the nightly job first")
    with duckdb.connect(str(published_db), read_only=True, config=duckdb_config()) as con:
        columns = _columns(con)
        tables = {t: _rows(con, f'SELECT * FROM "{t}"') for t in TABLES if t in columns}
        reservemutaties = []
        if {"is_reservemutatie", "doelstelling_key"} <= columns.get("fct_financien", set()):
            reservemutaties = _rows(con, "SELECT * FROM fct_financien WHERE is_reservemutatie "
                                         "ORDER BY gemeente_code, jaar, fase, doelstelling_key, kostenplaats, soort")
        load_ids = [f'SELECT DISTINCT bron_load_id FROM "{t}"' for t in FACTS_WITH_LOADS
                    if "bron_load_id" in columns.get(t, set())]
        bron_load_ids = {r[0] for r in con.execute(" UNION ".join(load_ids)).fetchall() if r[0] is not None} \
            if load_ids else set()
        release = publicatie(_rows(con, "SELECT * FROM publicatie") if "publicatie" in columns else [])
        ledgers = _rows(con, "SELECT gemeente_code, jaar, fase, bron_load_id, bron_bestand FROM fct_financien "
                             "GROUP BY ALL ORDER BY ALL") \
            if {"bron_load_id", "bron_bestand", "fase"} <= columns.get("fct_financien", set()) else []
    snapshot = Snapshot(published_db, release, tables, reservemutaties, bron_load_ids, financien_leveringen=ledgers)
    if loads_db is not None and loads_db.exists():
        with duckdb.connect(str(loads_db), read_only=True, config=duckdb_config()) as con:
            columns = _columns(con)
            if "load_log" in columns:
                snapshot.load_log = _rows(con, "SELECT * FROM load_log ORDER BY load_id")
            if "quarantine" in columns:
                snapshot.quarantine = _rows(con, "SELECT * FROM quarantine ORDER BY ALL")
    return snapshot
