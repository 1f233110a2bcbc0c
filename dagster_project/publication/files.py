"""Publish the marts to the analyst-facing DuckDB file, atomically.

The marts are copied from the build file into a new file next to the
published one, which then replaces it with one rename. A reader that has the
old file open keeps reading the old version; a reader that opens the file
afterwards gets the new one; nobody sees a mix, and a reader never blocks the
writer because the writer never opens the published file.

A mart that did not change since the published release (its fingerprint is the
same, see fingerprint.py) is not copied again: the new file starts as a copy of
the published one, which keeps those marts, and their Parquet files are linked
into the new release. The release still switches as a whole, with one rename.

The file is written in the DuckDB 1.4 storage format so that the DuckDB 1.4
and 1.5 readers of BI tools (Metabase's driver, ODBC, the 1.5 CLI) can open it.
A Parquet copy of each mart is published next to it, swapped in by renaming
a symbolic link. The load log and quarantine are published the same way to a
file of their own after every load, for data stewards.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Collection, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from ..manifest import MARTS_SCHEMA
from ..settings import duckdb_config

STORAGE_VERSION = "v1.4.0"
PUBLICATION_TABLE = "publicatie"
PUBLISHED_FINGERPRINTS = "vingerafdrukken"
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


def _copy_comments(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Copy the table and column comments (the dbt docs, persisted by dbt) from the build file."""
    [comment] = con.execute(
        "SELECT comment FROM duckdb_tables() WHERE database_name = 'build' AND schema_name = ? AND table_name = ?",
        [MARTS_SCHEMA, table],
    ).fetchone()
    if comment:
        con.execute(f"COMMENT ON TABLE pub.main.{table} IS {_sql_string(comment)}")
    for column, comment in con.execute(
        "SELECT column_name, comment FROM duckdb_columns() "
        "WHERE database_name = 'build' AND schema_name = ? AND table_name = ? AND comment IS NOT NULL",
        [MARTS_SCHEMA, table],
    ).fetchall():
        con.execute(f'COMMENT ON COLUMN pub.main.{table}."{column}" IS {_sql_string(comment)}')


@contextmanager
def _atomic_file(target: Path, build_db: Path, base: Path | None = None):
    """A connection with the build file attached read-only as `build` and a new file as
    `pub` (a copy of `base`, if given); when the block succeeds, the new file replaces
    `target` with one rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    for leftover in target.parent.glob(f".{target.name}.*.tmp*"):  # from an interrupted publish
        leftover.unlink()
    staging_file = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    try:
        if base is not None:
            shutil.copyfile(base, staging_file)
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


def publish(build_db: Path, published_db: Path, run_id: str, tables: list[str],
            unchanged: Collection[str] = (), fingerprints: Mapping[str, str] | None = None) -> dict[str, int]:
    """Copy the marts `tables` from the build file's marts schema to `published_db`, with their
    comments; the marts in `unchanged` are kept as the published file has them. `fingerprints`
    (mart -> what it is built from) go into publicatie. Returns row counts."""
    if not tables:
        raise RuntimeError("no marts to publish: nothing published")
    parquet_link = published_db.parent / "parquet"
    parquet_dir = None
    published_at = datetime.now(UTC).replace(tzinfo=None)
    base = published_db if unchanged and _reusable(published_db) else None
    try:
        with _atomic_file(published_db, build_db, base) as con:
            built = {r[0] for r in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = 'build' AND schema_name = ?",
                [MARTS_SCHEMA]).fetchall()}
            if missing := sorted(set(tables) - built):
                raise RuntimeError(f"marts missing in {build_db}: {', '.join(missing)}; nothing published")
            parquet_dir = staging_folder(parquet_link)
            kept = _keep_only(con, set(unchanged) & set(tables) if base else set())
            counts = {}
            for table in tables:
                if table not in kept:
                    con.execute(f"CREATE TABLE pub.main.{table} AS SELECT * FROM build.{MARTS_SCHEMA}.{table}")
                    _copy_comments(con, table)
                parquet_file = parquet_dir / f"{table}.parquet"
                if not (table in kept and _link(parquet_link / parquet_file.name, parquet_file)):
                    con.execute(f"COPY pub.main.{table} TO {_sql_string(str(parquet_file))} (FORMAT parquet)")
                counts[table] = con.execute(f"SELECT count(*) FROM pub.main.{table}").fetchone()[0]
            _write_publication(con, published_at, run_id, counts, fingerprints)
        swap_directory(parquet_dir, parquet_link)
        return counts
    finally:
        if parquet_dir is not None and parquet_dir.exists() and parquet_link.resolve() != parquet_dir.resolve():
            shutil.rmtree(parquet_dir, ignore_errors=True)


def _write_publication(con: duckdb.DuckDBPyConnection, published_at: datetime, run_id: str,
                       counts: Mapping[str, int], fingerprints: Mapping[str, str] | None) -> None:
    con.execute(
        f"CREATE TABLE pub.main.{PUBLICATION_TABLE} AS SELECT ? AS gepubliceerd_op, ? AS run_id, "
        f"? AS tabellen, ? AS {PUBLISHED_FINGERPRINTS}",
        [published_at, run_id, json.dumps(counts), json.dumps(dict(fingerprints)) if fingerprints else None],
    )
    con.execute(f"COMMENT ON TABLE pub.main.{PUBLICATION_TABLE} IS "
                "'When this file was published (UTC), by which run, with the row count of every mart.'")
    con.execute(f"COMMENT ON COLUMN pub.main.{PUBLICATION_TABLE}.{PUBLISHED_FINGERPRINTS} IS "
                "'Per mart a hash of what it is built from (the project and the loaded files); a run with "
                "nothing new keeps this release (docs/operations.md).'")


def _reusable(published_db: Path) -> bool:
    """Whether the published file can be the start of the next one: it exists, opens, and is
    not mostly free space (a publish that keeps marts frees the space of those it replaces)."""
    if not published_db.exists():
        return False
    try:
        with duckdb.connect(str(published_db), read_only=True) as con:
            used, free = con.execute("SELECT used_blocks, free_blocks FROM pragma_database_size()").fetchone()
    except duckdb.Error:
        return False
    return free <= used


def _keep_only(con: duckdb.DuckDBPyConnection, marts: set[str]) -> set[str]:
    """Drop every table of the new file except `marts`; returns the marts it has."""
    tables = {r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = 'pub'").fetchall()}
    for table in sorted(tables - marts):
        con.execute(f"DROP TABLE pub.main.{table}")
    return tables & marts


def _link(source: Path, target: Path) -> bool:
    """Give the new release the previous release's Parquet file of an unchanged mart."""
    try:
        os.link(source, target)
    except OSError:
        return False
    return True


def publish_loads(build_db: Path, loads_db: Path) -> None:
    """Copy the load log and the quarantine to `loads_db`, so that data stewards can see
    what was loaded and quarantined without opening (and locking) the build file."""
    with _atomic_file(loads_db, build_db) as con:
        for table, description in LOAD_TABLES.items():
            con.execute(f"CREATE TABLE pub.main.{table} AS SELECT * FROM build.raw.{table} ORDER BY ALL")
            con.execute(f"COMMENT ON TABLE pub.main.{table} IS {_sql_string(description)}")


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
