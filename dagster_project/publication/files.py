"""Publish the marts to the analyst-facing DuckDB file, atomically.

The marts are copied from the build file into a new file next to the
published one, which then replaces it with one rename. A reader that has the
old file open keeps reading the old version; a reader that opens the file
afterwards gets the new one; nobody sees a mix, and a reader never blocks the
writer because the writer only ever opens the published file read-only.

A mart whose checks failed in this run is held back (release.py): the new
file takes it from the current published file, so analysts keep its last good
release next to the fresh marts, and `publicatie_mart` says per mart which run
its data comes from and why it was held back.

The file is written in the DuckDB 1.4 storage format so that the DuckDB 1.4
and 1.5 readers of BI tools (Metabase's driver, ODBC, the 1.5 CLI) can open it.
Every table carries the primary and foreign keys declared in the dbt project
(keys.py), so that BI tools find the star schema by themselves.
A Parquet copy of each mart and of `publicatie` is published next to it, in a
folder whose path never changes (see _swap_parquet). The load log and
quarantine are published the same way to a file of their own after every
load, for data stewards.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from ..faults import fault_point
from ..manifest import MARTS_SCHEMA
from ..settings import duckdb_config
from .keys import NO_KEYS, Keys
from .release import Relationship, ReleaseGraph

STORAGE_VERSION = "v1.4.0"
PUBLICATION_TABLE = "publicatie"
PARQUET_DIR = "parquet"
PARQUET_STAGING_PREFIX = ".parquet."
MART_PUBLICATION_TABLE = "publicatie_mart"
FRESH, HELD_BACK, MISSING = "fresh", "held back", "missing"
MART_PUBLICATION_COLUMNS = {
    "mart": "The mart. Primary key.",
    "status": "fresh (from this release's run), held back (the data of an earlier run) or missing (no good "
              "release yet).",
    "reden": "Why the mart is not fresh: the failed check, the mart it is built from, or the key it would lack.",
    "run_id": "The run that published the data of this mart.",
    "gepubliceerd_op": "When that run published it (UTC).",
    "n_rijen": "The number of rows of the mart in this file; empty when missing.",
}
LOAD_TABLES = {
    "load_log": "One row per load attempt of a delivered file: loaded or quarantined (see docs/sources.md).",
    "quarantine": "One row per problem of a quarantined file: file, line, column, value, reason, expected.",
}


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy_comments(con: duckdb.DuckDBPyConnection, table: str, database: str = "build",
                   schema: str = MARTS_SCHEMA) -> None:
    """Copy the table and column comments (the dbt docs, persisted by dbt) from the build file,
    or for a held-back mart from the previous release."""
    [comment] = con.execute(
        "SELECT comment FROM duckdb_tables() WHERE database_name = ? AND schema_name = ? AND table_name = ?",
        [database, schema, table],
    ).fetchone()
    if comment:
        con.execute(f"COMMENT ON TABLE pub.main.{table} IS {_sql_string(comment)}")
    for column, comment in con.execute(
        "SELECT column_name, comment FROM duckdb_columns() "
        "WHERE database_name = ? AND schema_name = ? AND table_name = ? AND comment IS NOT NULL",
        [database, schema, table],
    ).fetchall():
        con.execute(f'COMMENT ON COLUMN pub.main.{table}."{column}" IS {_sql_string(comment)}')


@contextmanager
def _atomic_file(target: Path, build_db: Path):
    """A connection with the build file attached read-only as `build` and a new file as
    `pub`; when the block succeeds, the new file replaces `target` with one rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    for leftover in target.parent.glob(f".{target.name}.*.tmp*"):  # from an interrupted publish
        leftover.unlink()
    staging_file = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    try:
        with duckdb.connect(config=duckdb_config()) as con:
            con.execute(f"ATTACH {_sql_string(str(build_db))} AS build (READ_ONLY)")
            con.execute(f"ATTACH {_sql_string(str(staging_file))} AS pub (STORAGE_VERSION '{STORAGE_VERSION}')")
            yield con
            con.execute("DETACH pub")
        _fsync(staging_file)
        os.replace(staging_file, target)
        _fsync(target.parent)
    finally:
        staging_file.unlink(missing_ok=True)
        Path(f"{staging_file}.wal").unlink(missing_ok=True)


@dataclass(frozen=True)
class MartRelease:
    """One mart in a release: fresh from this run, held back at an earlier run's data, or missing."""

    mart: str
    status: str                      # fresh | held back | missing
    reason: str | None               # why it is not fresh
    run_id: str | None               # the run its data comes from
    published_at: datetime | None    # when that run published it (UTC)
    rows: int | None


@dataclass(frozen=True)
class Release:
    run_id: str
    published_at: datetime
    marts: tuple[MartRelease, ...]

    @property
    def counts(self) -> dict[str, int]:
        return {m.mart: m.rows for m in self.marts if m.rows is not None}

    @property
    def not_fresh(self) -> list[MartRelease]:
        return [m for m in self.marts if m.status != FRESH]


def publish(build_db: Path, published_db: Path, run_id: str, marts: ReleaseGraph | Sequence[str],
            held_back: dict[str, str] | None = None, keys: Keys = NO_KEYS) -> Release:
    """Publish the marts of the build file to `published_db` and Parquet, with their comments and
    the primary and foreign keys among them, except those in `held_back` (mart -> reason), which
    keep their data of the current published file, if any. `marts` is the release graph
    (publication/release.py), or just the names of the marts."""
    graph = marts if isinstance(marts, ReleaseGraph) else ReleaseGraph.of_tables(marts)
    if not graph.marts:
        raise RuntimeError("no marts to publish: nothing published")
    staging_dir = published_db.parent / f"{PARQUET_STAGING_PREFIX}{uuid.uuid4().hex}"
    published_at = datetime.now(UTC).replace(tzinfo=None)
    try:
        with _atomic_file(published_db, build_db) as con:
            built = {r[0] for r in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = 'build' AND schema_name = ?",
                [MARTS_SCHEMA]).fetchall()}
            if missing := sorted(set(graph.marts) - built):
                raise RuntimeError(f"marts missing in {build_db}: {', '.join(missing)}; nothing published")
            reasons: dict[str, str] = {}
            for mart, reason in (held_back or {}).items():
                _hold(graph, reasons, mart, reason)
            previous = _attach_previous(con, published_db) if reasons else {}
            _settle(con, graph, reasons, previous)
            staging_dir.mkdir()
            tags = {"run_id": run_id, "gepubliceerd_op": published_at.isoformat()}
            release = Release(run_id, published_at, tuple(
                _copy_marts(con, graph, reasons, previous, keys, staging_dir, tags, published_at)))
            if not release.counts:
                raise RuntimeError(f"every mart is held back and {published_db} has none: nothing published")
            _write_publication(con, release)
            _copy_to_parquet(con, PUBLICATION_TABLE, staging_dir, tags)
            fault_point("publish")
        _swap_parquet(staging_dir, published_db.parent / PARQUET_DIR)
        return release
    finally:
        shutil.rmtree(staging_dir, ignore_errors=True)


def _hold(graph: ReleaseGraph, reasons: dict[str, str], mart: str, reason: str) -> None:
    """Hold back `mart` and every mart built from it."""
    for other in sorted(graph.descendants(mart)):
        reasons.setdefault(other, reason if other == mart else f"built from {mart}: {reason}")


def _attach_previous(con: duckdb.DuckDBPyConnection, published_db: Path) -> dict[str, tuple]:
    """Attach the current published file as `previous`; per mart in it: (run_id, published_at)."""
    if not published_db.exists():
        return {}
    con.execute(f"ATTACH {_sql_string(str(published_db))} AS previous (READ_ONLY)")
    tables = {r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = 'previous'").fetchall()}
    if MART_PUBLICATION_TABLE in tables:
        return {mart: (run, at) for mart, run, at in con.execute(
            f"SELECT mart, run_id, gepubliceerd_op FROM previous.main.{MART_PUBLICATION_TABLE} "
            "WHERE n_rijen IS NOT NULL").fetchall()}
    # A file published before per-mart provenance existed: every mart comes from its one run.
    run, at = con.execute(f"SELECT run_id, gepubliceerd_op FROM previous.main.{PUBLICATION_TABLE}").fetchone()
    return {table: (run, at) for table in tables - {PUBLICATION_TABLE}}


def _source(mart: str, reasons: dict[str, str], previous: dict[str, tuple]) -> str | None:
    """Where the release takes `mart` from: this build, the previous release, or nowhere."""
    if mart not in reasons:
        return f"build.{MARTS_SCHEMA}.{mart}"
    return f"previous.main.{mart}" if mart in previous else None


def _settle(con: duckdb.DuckDBPyConnection, graph: ReleaseGraph, reasons: dict[str, str],
            previous: dict[str, tuple]) -> None:
    """Hold back more marts until no mart of the release refers to a key that the release lacks:
    a fresh mart that refers to a held-back or missing one is held back; a held-back mart that
    refers to a key the fresh mart lacks holds that mart back too. Each step holds back one
    more mart, so this ends."""
    changed = True
    while changed:
        changed = False
        for rel in graph.relationships:
            if rel.child not in reasons and rel.parent not in reasons:
                continue  # both fresh: dbt's relationships test judged them in this build
            if _orphans(con, rel, reasons, previous) == 0:
                continue
            lacks = f"{rel.child}.{rel.column} refers to {rel.parent}.{rel.field} values"
            if rel.child not in reasons:
                _hold(graph, reasons, rel.child, f"{lacks} that {rel.parent} of this release lacks "
                                                 f"({rel.parent} is not fresh: {reasons[rel.parent]})")
            elif rel.parent not in reasons:
                _hold(graph, reasons, rel.parent, f"{lacks} that the fresh {rel.parent} lacks "
                                                  f"({rel.child} is not fresh: {reasons[rel.child]})")
            else:
                continue
            changed = True


def _orphans(con: duckdb.DuckDBPyConnection, rel: Relationship, reasons: dict[str, str],
             previous: dict[str, tuple]) -> int:
    child, parent = _source(rel.child, reasons, previous), _source(rel.parent, reasons, previous)
    if child is None or rel.column not in _columns(con, child):
        return 0
    where = f"AND ({rel.where})" if rel.where else ""
    refers = f'SELECT count(*) FROM {child} AS c WHERE c."{rel.column}" IS NOT NULL {where}'
    if parent is None or rel.field not in _columns(con, parent):
        return con.execute(refers).fetchone()[0]
    # Compared as text: a key's type may differ between the previous release and this build.
    lacking = f'SELECT 1 FROM {parent} AS p WHERE p."{rel.field}"::VARCHAR = c."{rel.column}"::VARCHAR'
    return con.execute(f"{refers} AND NOT EXISTS ({lacking})").fetchone()[0]


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    return {r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {table}").fetchall()}


def _copy_marts(con, graph: ReleaseGraph, reasons: dict[str, str], previous: dict[str, tuple], keys: Keys,
                parquet_dir: Path, tags: dict[str, str], published_at: datetime) -> list[MartRelease]:
    """Create every mart of the release in `pub`, with its keys, and its Parquet copy in
    `parquet_dir`; referenced marts first."""
    sources = {mart: _source(mart, reasons, previous) for mart in graph.marts}
    present = [mart for mart, source in sources.items() if source]
    keys = keys.restricted_to(present)
    for mart in keys.creation_order(present):
        _create_with_keys(con, mart, sources[mart], keys)
        _copy_comments(con, mart, *sources[mart].split(".")[:2])
        _copy_to_parquet(con, mart, parquet_dir, tags)
    marts = []
    for mart in graph.marts:
        if sources[mart] is None:
            marts.append(MartRelease(mart, MISSING, reasons[mart], None, None, None))
            continue
        rows = con.execute(f"SELECT count(*) FROM pub.main.{mart}").fetchone()[0]
        if mart in reasons:
            marts.append(MartRelease(mart, HELD_BACK, reasons[mart], *previous[mart], rows))
        else:
            marts.append(MartRelease(mart, FRESH, None, tags["run_id"], published_at, rows))
    return marts


def _create_with_keys(con: duckdb.DuckDBPyConnection, table: str, source: str, keys: Keys) -> None:
    """Create the table with its primary and foreign keys, then fill it from `source`: DuckDB
    takes constraints only in CREATE TABLE. Referenced tables must exist (creation order)."""
    definitions = [f'"{name}" {data_type}' for name, data_type, *_ in con.execute(
        f"DESCRIBE SELECT * FROM {source}").fetchall()]
    if table in keys.primary:
        definitions.append(f"PRIMARY KEY ({_column_list(keys.primary[table])})")
    definitions += [f'FOREIGN KEY ("{fk.column}") REFERENCES {fk.parent} ("{fk.parent_column}")'
                    for fk in keys.foreign_of(table)]
    con.execute(f"CREATE TABLE pub.main.{table} ({', '.join(definitions)})")
    con.execute(f"INSERT INTO pub.main.{table} SELECT * FROM {source}")


def _column_list(columns) -> str:
    return ", ".join(f'"{c}"' for c in columns)


def _copy_to_parquet(con: duckdb.DuckDBPyConnection, table: str, folder: Path, tags: dict[str, str]) -> None:
    """One Parquet file per table; its key-value metadata names the release it belongs to."""
    metadata = ", ".join(f"{key}: {_sql_string(value)}" for key, value in tags.items())
    con.execute(f"COPY pub.main.{table} TO {_sql_string(str(folder / f'{table}.parquet'))} "
                f"(FORMAT parquet, KV_METADATA {{{metadata}}})")


def _write_publication(con: duckdb.DuckDBPyConnection, release: Release) -> None:
    con.execute(
        f"CREATE TABLE pub.main.{PUBLICATION_TABLE} AS SELECT ?::TIMESTAMP AS gepubliceerd_op, ? AS run_id, "
        "? AS tabellen, ? AS is_volledig",
        [release.published_at, release.run_id, json.dumps(release.counts), not release.not_fresh],
    )
    con.execute(f"COMMENT ON TABLE pub.main.{PUBLICATION_TABLE} IS 'When this file was published (UTC), by which "
                f"run, with the row count of every mart; is_volledig: every mart is fresh from that run "
                f"(else see {MART_PUBLICATION_TABLE}).'")
    con.execute(f"""CREATE TABLE pub.main.{MART_PUBLICATION_TABLE} (
        mart VARCHAR NOT NULL PRIMARY KEY, status VARCHAR NOT NULL, reden VARCHAR, run_id VARCHAR,
        gepubliceerd_op TIMESTAMP, n_rijen BIGINT)""")
    con.executemany(f"INSERT INTO pub.main.{MART_PUBLICATION_TABLE} VALUES (?, ?, ?, ?, ?, ?)",
                    [[m.mart, m.status, m.reason, m.run_id, m.published_at, m.rows] for m in release.marts])
    con.execute(f"COMMENT ON TABLE pub.main.{MART_PUBLICATION_TABLE} IS 'One row per mart: fresh from this "
                "release''s run, held back at the data of an earlier run (reden says why), or missing (no good "
                "release of it yet); run_id and gepubliceerd_op say which run published its data and when.'")
    for column, comment in MART_PUBLICATION_COLUMNS.items():
        con.execute(f"COMMENT ON COLUMN pub.main.{MART_PUBLICATION_TABLE}.{column} IS {_sql_string(comment)}")


def publish_loads(build_db: Path, loads_db: Path) -> None:
    """Copy the load log and the quarantine to `loads_db`, so that data stewards can see
    what was loaded and quarantined without opening (and locking) the build file."""
    with _atomic_file(loads_db, build_db) as con:
        for table, description in LOAD_TABLES.items():
            con.execute(f"CREATE TABLE pub.main.{table} AS SELECT * FROM build.raw.{table} ORDER BY ALL")
            con.execute(f"COMMENT ON TABLE pub.main.{table} IS {_sql_string(description)}")


def _swap_parquet(staging_dir: Path, folder: Path) -> None:
    """Move the new release's Parquet files into `folder`, a real directory whose path never
    changes (BI folder connectors keep it), each with one atomic rename: the marts first, then
    publicatie.parquet, then the files of marts no longer published go. A reader opening a
    file gets a whole file, old or new; publicatie.parquet and each file's key-value metadata
    (run_id) tell which release it is."""
    for leftover in folder.parent.glob(f"{PARQUET_STAGING_PREFIX}*"):  # interrupted publishes
        if leftover != staging_dir:
            shutil.rmtree(leftover, ignore_errors=True)
    if folder.is_symlink():  # the earlier layout: a link to a release folder
        folder.unlink()
    folder.mkdir(exist_ok=True)
    new = sorted(staging_dir.glob("*.parquet"), key=lambda p: p.name == f"{PUBLICATION_TABLE}.parquet")
    for path in new:
        _fsync(path)
        os.replace(path, folder / path.name)
    for old in folder.glob("*.parquet"):
        if old.name not in {p.name for p in new}:
            old.unlink()
    _fsync(folder)


def staging_folder(link: Path) -> Path:
    """A new, empty folder next to `link` to build the next release in."""
    folder = link.with_name(f".{link.name}.{uuid.uuid4().hex}")
    folder.mkdir(parents=True)
    return folder


def swap_directory(new_dir: Path, link: Path) -> None:
    """Point the symbolic link `link` at `new_dir` with one rename, then remove older releases
    (keeping the previous one for readers that are still in it) and leftovers of interrupted ones."""
    if link.exists() and not link.is_symlink():
        shutil.rmtree(link)
    previous = link.resolve() if link.is_symlink() else None
    temporary_link = link.with_name(f".{link.name}.{uuid.uuid4().hex}.link")
    temporary_link.symlink_to(new_dir.name)
    os.replace(temporary_link, link)
    _fsync(link.parent)
    for old in link.parent.glob(f".{link.name}.*"):
        if old.is_symlink():
            old.unlink()
        elif old.is_dir() and old.resolve() not in (new_dir.resolve(), previous):
            shutil.rmtree(old, ignore_errors=True)
