"""Publish the marts to the analyst-facing DuckDB file, atomically.

The marts are copied from the build file into a new file next to the
published one, which then replaces it with one rename. A reader that has the
old file open keeps reading the old version; a reader that opens the file
afterwards gets the new one; nobody sees a mix, and a reader never blocks the
writer because the writer never opens the published file.

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
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from ..manifest import MARTS_SCHEMA
from ..settings import duckdb_config

STORAGE_VERSION = "v1.4.0"
PUBLICATION_TABLE = "publicatie"
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


def publish(build_db: Path, published_db: Path, run_id: str, tables: list[str]) -> dict[str, int]:
    """Copy the marts `tables` from the build file's marts schema to `published_db`, with their
    comments. Returns row counts."""
    if not tables:
        raise RuntimeError("no marts to publish: nothing published")
    parquet_link = published_db.parent / "parquet"
    parquet_dir = None
    published_at = datetime.now(UTC).replace(tzinfo=None)
    try:
        with _atomic_file(published_db, build_db) as con:
            built = {r[0] for r in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = 'build' AND schema_name = ?",
                [MARTS_SCHEMA]).fetchall()}
            if missing := sorted(set(tables) - built):
                raise RuntimeError(f"marts missing in {build_db}: {', '.join(missing)}; nothing published")
            parquet_dir = staging_folder(parquet_link)
            counts = {}
            for table in tables:
                con.execute(f"CREATE TABLE pub.main.{table} AS SELECT * FROM build.{MARTS_SCHEMA}.{table}")
                _copy_comments(con, table)
                con.execute(f"COPY pub.main.{table} TO {_sql_string(str(parquet_dir / f'{table}.parquet'))} "
                            "(FORMAT parquet)")
                counts[table] = con.execute(f"SELECT count(*) FROM pub.main.{table}").fetchone()[0]
            con.execute(
                f"CREATE TABLE pub.main.{PUBLICATION_TABLE} AS SELECT ? AS gepubliceerd_op, ? AS run_id, "
                "? AS tabellen",
                [published_at, run_id, json.dumps(counts)],
            )
            con.execute(f"COMMENT ON TABLE pub.main.{PUBLICATION_TABLE} IS "
                        "'When this file was published (UTC), by which run, with the row count of every mart.'")
        swap_directory(parquet_dir, parquet_link)
        return counts
    finally:
        if parquet_dir is not None and parquet_dir.exists() and parquet_link.resolve() != parquet_dir.resolve():
            shutil.rmtree(parquet_dir, ignore_errors=True)


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
