"""The archive of deliveries: every file the loader loaded or quarantined, kept by content
(sha256) and read-only, outside the build file, with one record per load; and the restore
that rebuilds the build file's raw tables and the load log from the archive alone.

    <archive>/objects/<sha256[:2]>/<sha256>   the delivered bytes (mode 0444)
    <archive>/loads/<load_id>.json             the load log row; for a loaded file the time
                                               its rows were loaded, for a quarantined one
                                               its quarantine rows (values masked as stored)

A quarantined file with a BSN in it is not kept (there is never a second copy of such a
file); its record is. Restore, and the archiving of a warehouse built before the archive
(docs/operations.md, "Archive and restore"):

    python -m dagster_project.ingest.archive restore
    python -m dagster_project.ingest.archive backfill
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from datetime import datetime
from pathlib import Path

import duckdb

from ..settings import WarehousePaths
from ..sql.quoting import quote_names

READ_ONLY = 0o444
LOAD_LOG_COLUMNS = ("load_id", "run_id", "source", "file_name", "file_path", "content_sha256", "file_bytes",
                    "encoding", "status", "row_count", "problem_count", "loaded_at")
QUARANTINE_COLUMNS = ("source_row", "column_name", "value", "reason", "expected", "detected_at")


class ArchiveConflict(RuntimeError):
    """The archive holds another load under this load id: it belongs to another build file."""


def _object(archive: Path, digest: str) -> Path:
    return archive / "objects" / digest[:2] / digest


def _record(archive: Path, load_id: int) -> Path:
    return archive / "loads" / f"{load_id:010d}.json"


def _write_read_only(path: Path, data: bytes | Path) -> None:
    """`data`, or a copy of the file `data`, at `path`, read-only; whole or absent."""
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(f".{path.name}.{os.getpid()}.part")
    if isinstance(data, Path):
        shutil.copyfile(data, part)
    else:
        part.write_bytes(data)
    part.chmod(READ_ONLY)
    os.replace(part, path)


def _json_value(value):
    return value.isoformat() if isinstance(value, datetime) else value


def keep(con: duckdb.DuckDBPyConnection, paths: WarehousePaths, raw_table: str, load_id: int,
         content: Path | None) -> None:
    """Archive load `load_id` just committed on `con`: its record and, when `content` (the
    private copy of the file, or its quarantine copy) exists, the file itself."""
    archive = paths.archive_dir
    row = con.execute(f"SELECT {', '.join(LOAD_LOG_COLUMNS)} FROM raw.load_log WHERE load_id = ?",
                      [load_id]).fetchall()[0]
    record = {column: _json_value(value) for column, value in zip(LOAD_LOG_COLUMNS, row, strict=True)}
    if record["status"] == "loaded":
        [(rows_loaded_at,)] = con.execute(f"SELECT any_value(loaded_at) FROM {raw_table} WHERE load_id = ?",
                                          [load_id]).fetchall()
        record["rows_loaded_at"] = _json_value(rows_loaded_at)
    else:
        rows = con.execute(f"SELECT {', '.join(QUARANTINE_COLUMNS)} FROM raw.quarantine WHERE load_id = ? "
                           "ORDER BY source_row NULLS FIRST, column_name", [load_id]).fetchall()
        record["quarantine"] = [[_json_value(v) for v in r] for r in rows]
    if content is not None and content.is_file() and record["content_sha256"]:
        target = _object(archive, record["content_sha256"])
        if not target.exists():
            _write_read_only(target, content)
    record["content_kept"] = _object(archive, record["content_sha256"] or "-").exists()
    path = _record(archive, load_id)
    if path.exists():
        earlier = json.loads(path.read_text())
        if (earlier["source"], earlier["content_sha256"]) != (record["source"], record["content_sha256"]):
            raise ArchiveConflict(f"the archive {archive} holds another load {load_id} ({earlier['file_name']}): "
                                  "it belongs to another build file; restore from it first (docs/operations.md)")
        return
    _write_read_only(path, json.dumps(record, indent=1).encode())


def records(archive: Path) -> list[dict]:
    """Every archived load, in load order."""
    return [json.loads(p.read_text()) for p in sorted((archive / "loads").glob("*.json"))]


def restore(paths: WarehousePaths) -> int:
    """Rebuild the raw tables, the load log and the quarantine of a new build file from the
    archive alone, load by load in the original order with the same load ids and times; then
    the published load log. Returns the number of loads restored."""
    from ..publication.files import publish_loads
    from ..sources import CONTRACTS
    from .loading import connect, prepare

    if paths.build_db.exists():
        raise FileExistsError(f"{paths.build_db} exists: restore writes a new build file; move it away first")
    contracts = {c.source: c for c in CONTRACTS}
    loads = records(paths.archive_dir)
    with connect(paths.build_db) as con:
        for contract in contracts.values():
            prepare(con, contract)
        for record in loads:
            if record["status"] == "loaded":
                _restore_rows(con, contracts[record["source"]], record, paths)
            else:
                _restore_quarantine(con, record, paths)
            con.execute(f"INSERT INTO raw.load_log VALUES ({', '.join('?' * len(LOAD_LOG_COLUMNS))})",
                        [record[c] for c in LOAD_LOG_COLUMNS])
    publish_loads(paths.build_db, paths.loads_db)
    return len(loads)


def _restore_rows(con: duckdb.DuckDBPyConnection, contract, record: dict, paths: WarehousePaths) -> None:
    """A loaded file read again from the archive, as the loader read it, its rows with their load id and time."""
    # The loader imports this module for keep(): its reading is imported when a restore runs.
    from .delivery import snapshot
    from .loading import _read_and_check
    from .reading import drop_landed

    digest = record["content_sha256"]
    with snapshot(_object(paths.archive_dir, digest), paths.incoming_dir, digest) as snap:
        result, problems = _read_and_check(con, contract, record["file_name"], snap, paths.incoming_dir)
        if result.problems or problems:
            raise RuntimeError(f"load {record['load_id']} ({record['file_name']}) no longer meets its contract: "
                               "restore with the release that loaded it")
        con.execute(f"INSERT INTO {contract.raw_table} BY NAME SELECT ? AS load_id, ? AS file_name, source_row, "
                    f"? AS loaded_at, {quote_names(contract.column_names)} FROM parsed ORDER BY source_row",
                    [record["load_id"], record["file_name"], record["rows_loaded_at"]])
        drop_landed(con)
        con.execute("DROP TABLE IF EXISTS parsed")


def _restore_quarantine(con: duckdb.DuckDBPyConnection, record: dict, paths: WarehousePaths) -> None:
    """A quarantined load's problems as recorded, and its quarantine copy when the file was kept."""
    from .loading import quarantine_copy

    for row in record["quarantine"]:
        con.execute("INSERT INTO raw.quarantine VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [record["load_id"], record["source"], record["file_name"], *row])
    if record["content_kept"]:
        paths.quarantine_dir.mkdir(parents=True, exist_ok=True)
        copy = quarantine_copy(paths, record["load_id"], record["file_name"])
        shutil.copyfile(_object(paths.archive_dir, record["content_sha256"]), copy)


def backfill(paths: WarehousePaths) -> tuple[int, list[str]]:
    """Archive the loads of the load log that the archive lacks (a warehouse built before the
    archive, version 0.1.0), taking each file from where it was loaded or from its quarantine
    copy when its content is still the same. Returns how many were archived and the loaded
    files no longer found (those a restore cannot rebuild)."""
    from ..sources import CONTRACTS
    from .delivery import content_digest
    from .loading import connect, quarantine_copy

    tables = {c.source: c.raw_table for c in CONTRACTS}
    missing: list[str] = []
    with connect(paths.build_db) as con:
        loads = con.execute("SELECT load_id, source, file_name, file_path, content_sha256, status "
                            "FROM raw.load_log ORDER BY load_id").fetchall()
        todo = [load for load in loads if not _record(paths.archive_dir, load[0]).exists()]
        for load_id, source, file_name, file_path, digest, status in todo:
            places = [Path(file_path)] if file_path else []
            places += [quarantine_copy(paths, load_id, file_name)] if file_name else []
            content = next((p for p in places if p.is_file() and content_digest(p) == digest), None)
            keep(con, paths, tables[source], load_id, content)
            if content is None and status == "loaded":
                missing.append(f"load {load_id} ({source}: {file_name})")
    return len(todo), missing


def main(argv: list[str]) -> int:
    paths = WarehousePaths.from_env()
    if argv == ["restore"]:
        count = restore(paths)
        print(f"Restored {count} loads from {paths.archive_dir} into {paths.build_db} and {paths.loads_db}; "
              "the next nightly run rebuilds and publishes the marts.")
        return 0
    if argv == ["backfill"]:
        count, missing = backfill(paths)
        print(f"Archived {count} earlier loads in {paths.archive_dir}."
              + "".join(f"\n  not found with the content it had when loaded: {m}" for m in missing))
        return 1 if missing else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
