"""Publish the marts to the analyst-facing DuckDB file, atomically.

The marts are copied from the build file into a new file next to the
published one, which then replaces it with one rename. A reader that has the
old file open keeps reading the old version; a reader that opens the file
afterwards gets the new one; nobody sees a mix, and a reader never blocks the
writer because the writer only ever opens the published file read-only.

A mart whose checks failed in this run is held back (release.py, origins.py): the new
file takes it from the current published file, so analysts keep its last good
release next to the fresh marts, and `publicatie_mart` says per mart which run
its data comes from and why it was held back. A mart that did not change since
the published release (its fingerprint is the same, see transform/fingerprint.py) is
taken from the current published file as well, with status `unchanged`, and its
Parquet file stays as it is. `publicatie.vingerafdrukken` holds per mart the
fingerprint of the data the release has, so that the next run knows what is
published.

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
from collections.abc import Collection, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from .. import __version__
from ..operations.faults import fault_point
from ..settings import duckdb_config
from ..sql.quoting import quote_literal, quote_name, quote_names
from ..transform.manifest import MARTS_SCHEMA
from .keys import NO_KEYS, Keys
from .origins import (
    FRESH,
    MART_PUBLICATION_TABLE,
    PUBLICATION_TABLE,
    PUBLISHED_FINGERPRINTS,
    UNCHANGED,
    MartRelease,
    Origins,
    Previous,
    attach_previous,
    hold,
    settle,
)
from .release import ReleaseGraph

STORAGE_VERSION = "v1.4.0"
PARQUET_DIR = "parquet"
PARQUET_STAGING_PREFIX = ".parquet."
MART_PUBLICATION_COLUMNS = {
    "mart": "The mart. Primary key.",
    "status": "fresh (from this release's run), unchanged (built from the same data as the earlier run that "
              "published it), held back (the data of an earlier run) or missing (no good release yet).",
    "reden": "Why the mart is held back or missing: the failed check, the mart it is built from, or the key it "
             "would lack.",
    "run_id": "The run that published the data of this mart.",
    "gepubliceerd_op": "When that run published it (a timestamp with time zone).",
    "n_rijen": "The number of rows of the mart in this file; empty when missing.",
}
LOAD_TABLES = {
    "load_log": "One row per load attempt of a delivered file: loaded or quarantined (see docs/sources.md).",
    "quarantine": "One row per problem of a quarantined file: file, line, column, value, reason, expected.",
}


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
        con.execute(f"COMMENT ON TABLE pub.main.{table} IS {quote_literal(comment)}")
    for column, comment in con.execute(
        "SELECT column_name, comment FROM duckdb_columns() "
        "WHERE database_name = ? AND schema_name = ? AND table_name = ? AND comment IS NOT NULL",
        [database, schema, table],
    ).fetchall():
        con.execute(f'COMMENT ON COLUMN pub.main.{table}."{column}" IS {quote_literal(comment)}')


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
            con.execute(f"ATTACH {quote_literal(str(build_db))} AS build (READ_ONLY)")
            con.execute(f"ATTACH {quote_literal(str(staging_file))} AS pub (STORAGE_VERSION '{STORAGE_VERSION}')")
            yield con
            con.execute("DETACH pub")
        _fsync(staging_file)
        os.replace(staging_file, target)
        _fsync(target.parent)
    finally:
        staging_file.unlink(missing_ok=True)
        Path(f"{staging_file}.wal").unlink(missing_ok=True)


@dataclass(frozen=True)
class Release:
    run_id: str
    published_at: datetime
    marts: tuple[MartRelease, ...]

    @property
    def counts(self) -> dict[str, int]:
        return {m.mart: m.rows for m in self.marts if m.rows is not None}

    @property
    def not_current(self) -> list[MartRelease]:
        """The marts held back or missing: those whose data is not what this run's sources give."""
        return [m for m in self.marts if m.status not in (FRESH, UNCHANGED)]

    @property
    def fingerprints(self) -> dict[str, str]:
        return {m.mart: m.fingerprint for m in self.marts if m.fingerprint}


def publish(build_db: Path, published_db: Path, run_id: str, marts: ReleaseGraph | Sequence[str],
            held_back: dict[str, str] | None = None, keys: Keys = NO_KEYS, unchanged: Collection[str] = (),
            fingerprints: Mapping[str, str] | None = None) -> Release:
    """Publish the marts of the build file to `published_db` and Parquet, with their comments and
    the primary and foreign keys among them, except those in `held_back` (mart -> reason), which
    keep their data of the current published file, if any, and those in `unchanged` (built from
    what the published file has), which the current published file gives as they are. `marts`
    is the release graph (publication/release.py), or just the names of the marts;
    `fingerprints` says what each mart of the build file is built from."""
    graph = marts if isinstance(marts, ReleaseGraph) else ReleaseGraph.of_tables(marts)
    if not graph.marts:
        raise RuntimeError("no marts to publish: nothing published")
    staging_dir = published_db.parent / f"{PARQUET_STAGING_PREFIX}{uuid.uuid4().hex}"
    published_at = datetime.now(UTC)
    try:
        with _atomic_file(published_db, build_db) as con:
            built = {r[0] for r in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = 'build' AND schema_name = ?",
                [MARTS_SCHEMA]).fetchall()}
            if missing := sorted(set(graph.marts) - built):
                raise RuntimeError(f"marts missing in {build_db}: {', '.join(missing)}; nothing published")
            reasons: dict[str, str] = {}
            for mart, reason in (held_back or {}).items():
                hold(graph, reasons, mart, reason)
            previous = attach_previous(con, published_db) if reasons or unchanged else Previous()
            kept = {m for m in unchanged if m in previous.marts and m in graph.marts}
            settle(con, graph, reasons, kept, previous)
            kept -= set(reasons)
            staging_dir.mkdir()
            parquet = published_db.parent / PARQUET_DIR
            in_place = {m for m in kept if not parquet.is_symlink() and (parquet / f"{m}.parquet").exists()}
            tags = {"run_id": run_id, "gepubliceerd_op": published_at.isoformat()}
            release = Release(run_id, published_at, tuple(_copy_marts(
                con, graph, Origins(reasons, kept, previous, fingerprints or {}), keys, staging_dir, in_place,
                tags, published_at)))
            if not release.counts:
                raise RuntimeError(f"every mart is held back and {published_db} has none: nothing published")
            _write_publication(con, release)
            _copy_to_parquet(con, PUBLICATION_TABLE, staging_dir, tags)
            fault_point("publish")
        _swap_parquet(staging_dir, parquet, in_place)
        return release
    finally:
        shutil.rmtree(staging_dir, ignore_errors=True)


def _copy_marts(con, graph: ReleaseGraph, sources: Origins, keys: Keys, parquet_dir: Path,
                parquet_in_place: Collection[str], tags: dict[str, str],
                published_at: datetime) -> list[MartRelease]:
    """Create every mart of the release in `pub`, with its keys, and its Parquet copy in
    `parquet_dir` (but for the marts whose published Parquet file stays); referenced marts first."""
    tables = {mart: sources.table(mart) for mart in graph.marts}
    present = [mart for mart, table in tables.items() if table]
    keys = keys.restricted_to(present)
    for mart in keys.creation_order(present):
        create_with_keys(con, mart, tables[mart], keys)
        _copy_comments(con, mart, *tables[mart].split(".")[:2])
        if mart not in parquet_in_place:
            _copy_to_parquet(con, mart, parquet_dir, tags)
    rows = {mart: con.execute(f"SELECT count(*) FROM pub.main.{mart}").fetchone()[0] for mart in present}
    return [sources.release(mart, rows.get(mart), tags["run_id"], published_at) for mart in graph.marts]


def create_with_keys(con: duckdb.DuckDBPyConnection, table: str, source: str, keys: Keys) -> None:
    """Create the table with its primary and foreign keys, then fill it from `source`: DuckDB
    takes constraints only in CREATE TABLE. Referenced tables must exist (creation order)."""
    definitions = [f"{quote_name(name)} {data_type}" for name, data_type, *_ in con.execute(
        f"DESCRIBE SELECT * FROM {source}").fetchall()]
    if table in keys.primary:
        definitions.append(f"PRIMARY KEY ({quote_names(keys.primary[table])})")
    definitions += [f"FOREIGN KEY ({quote_name(fk.column)}) REFERENCES {fk.parent} ({quote_name(fk.parent_column)})"
                    for fk in keys.foreign_of(table)]
    con.execute(f"CREATE TABLE pub.main.{table} ({', '.join(definitions)})")
    con.execute(f"INSERT INTO pub.main.{table} SELECT * FROM {source}")


def _copy_to_parquet(con: duckdb.DuckDBPyConnection, table: str, folder: Path, tags: dict[str, str],
                     database: str = "pub") -> None:
    """One Parquet file per table; its key-value metadata names the release it belongs to."""
    metadata = ", ".join(f"{key}: {quote_literal(value)}" for key, value in tags.items())
    con.execute(f"COPY {database}.main.{table} TO {quote_literal(str(folder / f'{table}.parquet'))} "
                f"(FORMAT parquet, KV_METADATA {{{metadata}}})")


def publish_parquet(published_db: Path) -> str:
    """Write the Parquet folder anew from the published file (a folder behind it, emptied, or
    left half-done by a killed publish): every mart with the run that published its data, then
    publicatie.parquet. Returns the run of the release."""
    staging_dir = published_db.parent / f"{PARQUET_STAGING_PREFIX}{uuid.uuid4().hex}"
    staging_dir.mkdir(parents=True)
    try:
        with duckdb.connect(config=duckdb_config()) as con:
            con.execute(f"ATTACH {quote_literal(str(published_db))} AS published (READ_ONLY)")
            run_id, at = con.execute(f"SELECT run_id, gepubliceerd_op FROM published.main.{PUBLICATION_TABLE}"
                                     ).fetchone()
            for mart, mart_run, mart_at in con.execute(
                    f"SELECT mart, run_id, gepubliceerd_op FROM published.main.{MART_PUBLICATION_TABLE} "
                    "WHERE n_rijen IS NOT NULL ORDER BY mart").fetchall():
                _copy_to_parquet(con, mart, staging_dir, {"run_id": mart_run, "gepubliceerd_op": mart_at.isoformat()},
                                 "published")
            _copy_to_parquet(con, PUBLICATION_TABLE, staging_dir, {"run_id": run_id, "gepubliceerd_op": at.isoformat()},
                             "published")
        _swap_parquet(staging_dir, published_db.parent / PARQUET_DIR)
        return run_id
    finally:
        shutil.rmtree(staging_dir, ignore_errors=True)


def _write_publication(con: duckdb.DuckDBPyConnection, release: Release) -> None:
    con.execute(f"""CREATE TABLE pub.main.{PUBLICATION_TABLE} (
        run_id VARCHAR NOT NULL PRIMARY KEY, gepubliceerd_op TIMESTAMPTZ NOT NULL, versie VARCHAR NOT NULL,
        tabellen VARCHAR NOT NULL, is_volledig BOOLEAN NOT NULL, {PUBLISHED_FINGERPRINTS} VARCHAR)""")
    con.execute(f"INSERT INTO pub.main.{PUBLICATION_TABLE} VALUES (?, ?, ?, ?, ?, ?)",
                [release.run_id, release.published_at, __version__, json.dumps(release.counts),
                 not release.not_current, json.dumps(release.fingerprints) if release.fingerprints else None])
    con.execute(f"COMMENT ON TABLE pub.main.{PUBLICATION_TABLE} IS 'The release: which run published it and when "
                f"(a timestamp with time zone), the version of the warehouse that built it, the row count of every "
                f"mart; is_volledig: every mart is fresh from that run or unchanged since the run that published it "
                f"(else see {MART_PUBLICATION_TABLE}).'")
    con.execute(f"COMMENT ON COLUMN pub.main.{PUBLICATION_TABLE}.versie IS 'The version of the warehouse "
                "(CHANGELOG.md) that published this release.'")
    con.execute(f"COMMENT ON COLUMN pub.main.{PUBLICATION_TABLE}.{PUBLISHED_FINGERPRINTS} IS "
                "'Per mart a hash of what its data is built from (the project and the loaded files); a run with "
                "nothing new keeps this release (docs/operations.md).'")
    con.execute(f"""CREATE TABLE pub.main.{MART_PUBLICATION_TABLE} (
        mart VARCHAR NOT NULL PRIMARY KEY, status VARCHAR NOT NULL, reden VARCHAR, run_id VARCHAR,
        gepubliceerd_op TIMESTAMPTZ, n_rijen BIGINT)""")
    con.executemany(f"INSERT INTO pub.main.{MART_PUBLICATION_TABLE} VALUES (?, ?, ?, ?, ?, ?)",
                    [[m.mart, m.status, m.reason, m.run_id, m.published_at, m.rows] for m in release.marts])
    con.execute(f"COMMENT ON TABLE pub.main.{MART_PUBLICATION_TABLE} IS 'One row per mart: fresh from this "
                "release''s run, unchanged since the earlier run that published it, held back at the data of an "
                "earlier run (reden says why), or missing (no good release of it yet); run_id and "
                "gepubliceerd_op say which run published its data and when.'")
    for column, comment in MART_PUBLICATION_COLUMNS.items():
        con.execute(f"COMMENT ON COLUMN pub.main.{MART_PUBLICATION_TABLE}.{column} IS {quote_literal(comment)}")


def publish_loads(build_db: Path, loads_db: Path) -> None:
    """Copy the load log and the quarantine to `loads_db`, so that data stewards can see
    what was loaded and quarantined without opening (and locking) the build file."""
    with _atomic_file(loads_db, build_db) as con:
        for table, description in LOAD_TABLES.items():
            con.execute(f"CREATE TABLE pub.main.{table} AS SELECT * FROM build.raw.{table} ORDER BY ALL")
            con.execute(f"COMMENT ON TABLE pub.main.{table} IS {quote_literal(description)}")


def _swap_parquet(staging_dir: Path, folder: Path, in_place: Collection[str] = ()) -> None:
    """Move the new release's Parquet files into `folder`, a real directory whose path never
    changes (BI folder connectors keep it), each with one atomic rename: the marts first, then
    publicatie.parquet, then the files of marts no longer published go. The files of the marts
    `in_place` (unchanged) stay as they are. A reader opening a file gets a whole file, old or
    new; publicatie.parquet and each file's key-value metadata (run_id) tell which release it is."""
    for leftover in folder.parent.glob(f"{PARQUET_STAGING_PREFIX}*"):  # interrupted publishes
        if leftover != staging_dir:
            shutil.rmtree(leftover, ignore_errors=True)
    if folder.is_symlink():  # the earlier layout: a link to a release folder
        folder.unlink()
    folder.mkdir(exist_ok=True)
    new = sorted(staging_dir.glob("*.parquet"), key=lambda p: p.name == f"{PUBLICATION_TABLE}.parquet")
    for path in new:
        if path.name == f"{PUBLICATION_TABLE}.parquet":
            fault_point("parquet")
        _fsync(path)
        os.replace(path, folder / path.name)
    keep = {p.name for p in new} | {f"{mart}.parquet" for mart in in_place}
    for old in folder.glob("*.parquet"):
        if old.name not in keep:
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
