"""Publish the marts to the analyst-facing DuckDB file, atomically.

The marts are copied from the build file into a new file next to the
published one, which then replaces it with one rename. A reader that has the
old file open keeps reading the old version; a reader that opens the file
afterwards gets the new one; nobody sees a mix, and a reader never blocks the
writer because the writer never opens the published file.

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
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from ..manifest import MARTS_SCHEMA
from ..settings import duckdb_config
from .keys import NO_KEYS, Keys

STORAGE_VERSION = "v1.4.0"
PUBLICATION_TABLE = "publicatie"
PARQUET_DIR = "parquet"
PARQUET_STAGING_PREFIX = ".parquet."
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


def publish(build_db: Path, published_db: Path, run_id: str, tables: list[str], keys: Keys = NO_KEYS) -> dict[str, int]:
    """Copy the marts `tables` from the build file's marts schema to `published_db`, with their
    comments and the primary and foreign keys among them, and to Parquet. Returns row counts."""
    if not tables:
        raise RuntimeError("no marts to publish: nothing published")
    staging_dir = published_db.parent / f"{PARQUET_STAGING_PREFIX}{uuid.uuid4().hex}"
    published_at = datetime.now(UTC).replace(tzinfo=None)
    try:
        with _atomic_file(published_db, build_db) as con:
            built = {r[0] for r in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = 'build' AND schema_name = ?",
                [MARTS_SCHEMA]).fetchall()}
            if missing := sorted(set(tables) - built):
                raise RuntimeError(f"marts missing in {build_db}: {', '.join(missing)}; nothing published")
            keys = keys.restricted_to(tables)
            staging_dir.mkdir()
            release = {"run_id": run_id, "gepubliceerd_op": published_at.isoformat()}
            for table in keys.creation_order(tables):
                _create_with_keys(con, table, keys)
                _copy_comments(con, table)
                _copy_to_parquet(con, table, staging_dir, release)
            counts = {table: con.execute(f"SELECT count(*) FROM pub.main.{table}").fetchone()[0] for table in tables}
            con.execute(
                f"CREATE TABLE pub.main.{PUBLICATION_TABLE} AS SELECT ? AS gepubliceerd_op, ? AS run_id, "
                "? AS tabellen",
                [published_at, run_id, json.dumps(counts)],
            )
            con.execute(f"COMMENT ON TABLE pub.main.{PUBLICATION_TABLE} IS "
                        "'When this file was published (UTC), by which run, with the row count of every mart.'")
            _copy_to_parquet(con, PUBLICATION_TABLE, staging_dir, release)
        _swap_parquet(staging_dir, published_db.parent / PARQUET_DIR)
        return counts
    finally:
        shutil.rmtree(staging_dir, ignore_errors=True)


def _create_with_keys(con: duckdb.DuckDBPyConnection, table: str, keys: Keys) -> None:
    """Create the table with its primary and foreign keys, then fill it: DuckDB takes
    constraints only in CREATE TABLE. Referenced tables must exist (creation order)."""
    columns = con.execute(
        "SELECT column_name, data_type FROM duckdb_columns() "
        "WHERE database_name = 'build' AND schema_name = ? AND table_name = ? ORDER BY column_index",
        [MARTS_SCHEMA, table],
    ).fetchall()
    definitions = [f'"{name}" {data_type}' for name, data_type in columns]
    if table in keys.primary:
        definitions.append(f"PRIMARY KEY ({_column_list(keys.primary[table])})")
    definitions += [f'FOREIGN KEY ("{fk.column}") REFERENCES {fk.parent} ("{fk.parent_column}")'
                    for fk in keys.foreign_of(table)]
    con.execute(f"CREATE TABLE pub.main.{table} ({', '.join(definitions)})")
    con.execute(f"INSERT INTO pub.main.{table} SELECT * FROM build.{MARTS_SCHEMA}.{table}")


def _column_list(columns) -> str:
    return ", ".join(f'"{c}"' for c in columns)


def _copy_to_parquet(con: duckdb.DuckDBPyConnection, table: str, folder: Path, release: dict[str, str]) -> None:
    """One Parquet file per table; its key-value metadata names the release it belongs to."""
    metadata = ", ".join(f"{key}: {_sql_string(value)}" for key, value in release.items())
    con.execute(f"COPY pub.main.{table} TO {_sql_string(str(folder / f'{table}.parquet'))} "
                f"(FORMAT parquet, KV_METADATA {{{metadata}}})")


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
