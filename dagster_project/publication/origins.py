"""Where a release takes each mart from: this build (fresh), or the current published file
(unchanged since the run that published it, or held back at its last good data), or
nowhere (missing).

`hold` holds back a mart and every mart built from it; `settle` holds back more until no
mart of the release refers to a key the release lacks, so that every foreign key of the
published file holds. `Origins` then gives each mart's source table and its row of
`publicatie_mart`.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from ..sql.quoting import quote_literal, quote_name
from ..transform.manifest import MARTS_SCHEMA
from .release import Relationship, ReleaseGraph

PUBLICATION_TABLE = "publicatie"
PUBLISHED_FINGERPRINTS = "vingerafdrukken"
MART_PUBLICATION_TABLE = "publicatie_mart"
FRESH, UNCHANGED, HELD_BACK, MISSING = "fresh", "unchanged", "held back", "missing"


@dataclass(frozen=True)
class MartRelease:
    """One mart in a release: fresh from this run, unchanged since an earlier run, held back at an
    earlier run's data, or missing."""

    mart: str
    status: str                      # fresh | unchanged | held back | missing
    reason: str | None               # why it is not fresh
    run_id: str | None               # the run its data comes from
    published_at: datetime | None    # when that run published it (with time zone)
    rows: int | None
    fingerprint: str | None = None   # what its data is built from (transform/fingerprint.py)


def hold(graph: ReleaseGraph, reasons: dict[str, str], mart: str, reason: str) -> None:
    """Hold back `mart` and every mart built from it."""
    for other in sorted(graph.descendants(mart)):
        reasons.setdefault(other, reason if other == mart else f"built from {mart}: {reason}")


@dataclass(frozen=True)
class Previous:
    """The current published file, attached as `previous`: per mart in it the run that published
    its data and when, and the fingerprints of its release."""

    marts: Mapping[str, tuple] = field(default_factory=dict)         # mart -> (run_id, published_at)
    fingerprints: Mapping[str, str] = field(default_factory=dict)   # mart -> fingerprint


def attach_previous(con: duckdb.DuckDBPyConnection, published_db: Path) -> Previous:
    """Attach the current published file as `previous`, if there is one."""
    if not published_db.exists():
        return Previous()
    con.execute(f"ATTACH {quote_literal(str(published_db))} AS previous (READ_ONLY)")
    tables = {r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = 'previous'").fetchall()}
    fingerprints = _previous_fingerprints(con)
    if MART_PUBLICATION_TABLE in tables:
        return Previous({mart: (run, _utc(at)) for mart, run, at in con.execute(
            f"SELECT mart, run_id, gepubliceerd_op FROM previous.main.{MART_PUBLICATION_TABLE} "
            "WHERE n_rijen IS NOT NULL").fetchall()}, fingerprints)
    # A file published before per-mart provenance existed: every mart comes from its one run.
    run, at = con.execute(f"SELECT run_id, gepubliceerd_op FROM previous.main.{PUBLICATION_TABLE}").fetchone()
    return Previous({table: (run, _utc(at)) for table in tables - {PUBLICATION_TABLE}}, fingerprints)


def _utc(moment: datetime | None) -> datetime | None:
    """A publication time with its time zone: files published before 0.2.0 stored UTC without one."""
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


def _previous_fingerprints(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    if not con.execute("SELECT 1 FROM duckdb_columns() WHERE database_name = 'previous' AND table_name = ? "
                       "AND column_name = ?", [PUBLICATION_TABLE, PUBLISHED_FINGERPRINTS]).fetchone():
        return {}
    [value] = con.execute(f"SELECT {PUBLISHED_FINGERPRINTS} FROM previous.main.{PUBLICATION_TABLE}").fetchone()
    return json.loads(value) if value else {}


@dataclass(frozen=True)
class Origins:
    """Where the release takes each mart from: the build, or the previous release (held back or unchanged)."""

    reasons: Mapping[str, str]          # held back: mart -> why
    kept: Collection[str]               # unchanged: taken as the previous release has them
    previous: Previous
    fingerprints: Mapping[str, str]     # of the build

    def table(self, mart: str) -> str | None:
        return _source(mart, self.reasons, self.kept, self.previous)

    def release(self, mart: str, rows: int | None, run_id: str, published_at: datetime) -> MartRelease:
        if mart in self.reasons:
            if rows is None:
                return MartRelease(mart, MISSING, self.reasons[mart], None, None, None)
            return MartRelease(mart, HELD_BACK, self.reasons[mart], *self.previous.marts[mart], rows,
                               self.previous.fingerprints.get(mart))
        if mart in self.kept:
            return MartRelease(mart, UNCHANGED, None, *self.previous.marts[mart], rows,
                               self.previous.fingerprints.get(mart, self.fingerprints.get(mart)))
        return MartRelease(mart, FRESH, None, run_id, published_at, rows, self.fingerprints.get(mart))


def _source(mart: str, reasons: Mapping[str, str], kept: Collection[str], previous: Previous) -> str | None:
    """Where the release takes `mart` from: this build, the previous release, or nowhere."""
    if mart not in reasons and mart not in kept:
        return f"build.{MARTS_SCHEMA}.{mart}"
    return f"previous.main.{mart}" if mart in previous.marts else None


def settle(con: duckdb.DuckDBPyConnection, graph: ReleaseGraph, reasons: dict[str, str], kept: Collection[str],
            previous: Previous) -> None:
    """Hold back more marts until no mart of the release refers to a key that the release lacks:
    a mart from this build that refers to one from the previous release (held back, unchanged) or
    a missing one is held back; a mart from the previous release that refers to a key the mart
    from this build lacks holds that mart back too. Each step holds back one more mart, so this
    ends."""
    def why(mart: str) -> str:
        return f"is not fresh: {reasons[mart]}" if mart in reasons else "is unchanged since an earlier run"

    changed = True
    while changed:
        changed = False
        for rel in graph.relationships:
            child_kept, parent_kept = (m in reasons or m in kept for m in (rel.child, rel.parent))
            if child_kept == parent_kept:
                continue  # both fresh, judged by dbt's relationships test in this build, or both of one release
            if _orphans(con, rel, reasons, kept, previous) == 0:
                continue
            lacks = f"{rel.child}.{rel.column} refers to {rel.parent}.{rel.field} values"
            if not child_kept:
                hold(graph, reasons, rel.child, f"{lacks} that {rel.parent} of this release lacks "
                                                 f"({rel.parent} {why(rel.parent)})")
            else:
                hold(graph, reasons, rel.parent, f"{lacks} that the fresh {rel.parent} lacks "
                                                  f"({rel.child} {why(rel.child)})")
            changed = True


def _orphans(con: duckdb.DuckDBPyConnection, rel: Relationship, reasons: Mapping[str, str], kept: Collection[str],
             previous: Previous) -> int:
    child, parent = (_source(m, reasons, kept, previous) for m in (rel.child, rel.parent))
    if child is None or rel.column not in _columns(con, child):
        return 0
    where = f"AND ({rel.where})" if rel.where else ""
    refers = f"SELECT count(*) FROM {child} AS c WHERE c.{quote_name(rel.column)} IS NOT NULL {where}"
    if parent is None or rel.field not in _columns(con, parent):
        return con.execute(refers).fetchone()[0]
    # Compared as text: a key's type may differ between the previous release and this build.
    parent_key, child_key = quote_name(rel.field), quote_name(rel.column)
    lacking = f"SELECT 1 FROM {parent} AS p WHERE p.{parent_key}::VARCHAR = c.{child_key}::VARCHAR"
    return con.execute(f"{refers} AND NOT EXISTS ({lacking})").fetchone()[0]


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    return {r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {table}").fetchall()}
