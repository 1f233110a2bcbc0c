"""Load a source folder into its raw table, file by file, all or nothing per file.

The rules (identity by content hash, name order, quarantine, supersession,
files still being written, links and folders) are documented in docs/sources.md.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from ..operations.faults import fault_point
from ..settings import WarehousePaths, duckdb_config, reference_dir, settle_seconds
from ..sql.quoting import quote_name, quote_names
from . import archive
from .contracts import Contract
from .delivery import (
    ChangedWhileReading,
    Entry,
    Snapshot,
    Unreadable,
    content_digest,
    landing_entries,
    remove_leftovers,
    snapshot,
)
from .landing import Landing, survey
from .parsing import CONTROL_CHARACTERS, parse_sql, problems_sql, register_macros
from .reading import Problem, ReadResult, drop_landed, read_file

# A value in the quarantine table is cut off beyond this many characters (the file is kept whole).
MAX_SHOWN_VALUE_CHARS = 200

META_DDL = """
CREATE SCHEMA IF NOT EXISTS raw;
CREATE TABLE IF NOT EXISTS raw.load_log (
    load_id BIGINT PRIMARY KEY,
    run_id VARCHAR,
    source VARCHAR NOT NULL,
    file_name VARCHAR,
    file_path VARCHAR,
    content_sha256 VARCHAR,
    file_bytes BIGINT,
    encoding VARCHAR,
    status VARCHAR NOT NULL,          -- loaded | quarantined
    row_count BIGINT NOT NULL,
    problem_count BIGINT NOT NULL,
    loaded_at TIMESTAMP NOT NULL      -- UTC
);
CREATE TABLE IF NOT EXISTS raw.quarantine (
    load_id BIGINT NOT NULL,
    source VARCHAR NOT NULL,
    file_name VARCHAR,
    source_row BIGINT,
    column_name VARCHAR,
    value VARCHAR,
    reason VARCHAR NOT NULL,
    expected VARCHAR,
    detected_at TIMESTAMP NOT NULL    -- UTC
);
"""


@dataclass(frozen=True)
class FileOutcome:
    file_name: str
    status: str  # loaded | quarantined | unchanged | skipped
    load_id: int | None = None
    rows: int = 0
    problems: int = 0
    first_problem: str | None = None
    note: str | None = None  # why a file was skipped


@dataclass
class SourceReport:
    source: str
    folder: Path
    files: list[FileOutcome] = field(default_factory=list)
    source_problem: str | None = None  # the source as a whole could not be read
    note: str | None = None  # e.g. nothing delivered yet
    landing_unknown: tuple[str, ...] = ()  # entries of the landing directory that no source claims

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    @property
    def rows_loaded(self) -> int:
        return sum(f.rows for f in self.files if f.status == "loaded")


def connect(database: Path) -> duckdb.DuckDBPyConnection:
    database.parent.mkdir(parents=True, exist_ok=True)
    return duckdb.connect(str(database), config=duckdb_config())


def ensure_tables(con: duckdb.DuckDBPyConnection, contract: Contract) -> None:
    con.execute(META_DDL)
    columns = ",\n    ".join(f"{quote_name(c.name)} {c.spec.sql_type}" for c in contract.columns)
    con.execute(
        f"""CREATE TABLE IF NOT EXISTS {contract.raw_table} (
    load_id BIGINT NOT NULL,
    file_name VARCHAR NOT NULL,
    source_row BIGINT NOT NULL,
    loaded_at TIMESTAMP NOT NULL,
    {columns}
)"""
    )
    # A column added to the contract later is added to the raw table of a running warehouse (empty in
    # the rows loaded before).
    present = {row[0] for row in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE schema_name = ? AND table_name = ?",
        contract.raw_table.split(".", 1)).fetchall()}
    for column in contract.columns:
        if column.name not in present:
            con.execute(f"ALTER TABLE {contract.raw_table} ADD COLUMN {quote_name(column.name)} {column.spec.sql_type}")


def register_reference(con: duckdb.DuckDBPyConnection, folder: Path | None = None) -> None:
    """Each seeds/reference/<name>.csv (settings.reference_dir) becomes the temp table ref_<name>, all text."""
    for path in sorted((folder or reference_dir()).glob("*.csv")):
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE ref_{path.stem} AS "
            "SELECT * FROM read_csv(?, header = true, all_varchar = true)",
            [str(path)],
        )


def prepare(con: duckdb.DuckDBPyConnection, contract: Contract) -> None:
    """The tables, macros and reference tables that loading a file of `contract` needs."""
    ensure_tables(con, contract)
    _prepare_reading(con)


def _prepare_reading(con: duckdb.DuckDBPyConnection) -> None:
    register_macros(con)
    con.execute(SHOWN_VALUE_MACROS)
    register_reference(con)


class _Ready:
    """The macros and reference tables of reading and quarantining, made the first time a file is to
    be read or something quarantined: a night on which a source has nothing new needs none of them."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con, self.done = con, False

    def __call__(self) -> None:
        if not self.done:
            _prepare_reading(self.con)
            self.done = True


def _settled(entry: Entry, now: float) -> bool:
    """Whether an entry has not changed for `settle_seconds`: no longer being written."""
    return now - entry.modified >= settle_seconds()


def settled_files(folder: Path) -> list[Entry]:
    """The files of a source folder that are not being written any more."""
    now = time.time()
    return [e for e in landing_entries(folder) if e.kind == "file" and _settled(e, now)]


def load_source(contract: Contract, paths: WarehousePaths, run_id: str | None = None,
                contracts: tuple[Contract, ...] | None = None) -> SourceReport:
    """Load every new file of one source. Never raises for bad input. What no contract of
    `contracts` (default: the registry, sources.CONTRACTS) claims in the landing directory is
    recorded in quarantine once."""
    folder = paths.landing_dir / contract.folder
    report = SourceReport(contract.source, folder)
    with connect(paths.build_db) as con:
        ensure_tables(con, contract)
        ready = _Ready(con)
        landing = survey(paths.landing_dir, contracts or _registry())
        report.landing_unknown = landing.unknown
        _record_unknown(con, landing, run_id, ready)
        if not folder.exists():
            report.note = f"folder {folder} does not exist: nothing delivered"
            return report
        try:
            entries = landing_entries(folder)
        except OSError as error:
            report.source_problem = f"folder {folder} cannot be read: {error}"
            ready()
            _set_problems(con, [Problem(report.source_problem, "a readable folder")])
            load_id = _quarantine(con, contract.source, None, None, run_id, None, None, 1)
            archive.keep(con, paths, contract.raw_table, load_id, None)
            return report
        remove_leftovers(paths.incoming_dir)
        started = time.time()
        for entry in entries:
            report.files.append(_load_entry(con, contract, entry, paths, run_id, started, ready))
    return report


def _registry() -> tuple[Contract, ...]:
    from ..sources import CONTRACTS  # the registry is made of contracts: imported when first needed

    return CONTRACTS


def _seen(con: duckdb.DuckDBPyConnection, source: str, digest: str, file_name: str | None = None) -> bool:
    """Whether this content was loaded (or quarantined) before; with `file_name`, under that name."""
    return con.execute(
        "SELECT 1 FROM raw.load_log WHERE source = ? AND content_sha256 = ? AND file_name = coalesce(?, file_name) "
        "LIMIT 1", [source, digest, file_name],
    ).fetchall() != []


# The `source` of what the landing directory holds outside every source folder, in the load log and quarantine.
LANDING = "landing"


def _record_unknown(con, landing: Landing, run_id: str | None, ready: _Ready) -> None:
    """Each entry of the landing directory that no source claims, recorded once in quarantine
    (identified by its name, like a link or a folder inside a source folder), never read."""
    for name in landing.unknown:
        identity = hashlib.sha256(f"unknown\0{name}".encode()).hexdigest()
        if _seen(con, LANDING, identity):
            continue
        ready()
        _set_problems(con, [Problem("no source claims this entry of the landing directory: nothing in it is read",
                                    f"one of the source folders: {', '.join(landing.expected)}", value=name)])
        _quarantine(con, LANDING, landing.directory / name.rstrip("/"), None, run_id, identity, None, 1)


def _load_entry(con, contract: Contract, entry: Entry, paths: WarehousePaths, run_id: str | None,
                started: float, ready: _Ready) -> FileOutcome:
    if entry.kind != "file":
        return _reject_entry(con, contract, entry, paths, run_id, ready)
    if not _settled(entry, started):
        changed = max(started - entry.modified, 0)
        return FileOutcome(entry.name, "skipped", note=f"still being written (changed {changed:.0f} s ago), "
                                                       "skipped: a later run loads it")
    try:
        digest = content_digest(entry.path)
        # Where the name carries data (a CBS table and download date), the same content under another
        # name is another delivery: two tables may well have the same periods.
        if _seen(con, contract.source, digest, entry.name if contract.file_name_pattern else None):
            return FileOutcome(entry.name, "unchanged")
        ready()
        with snapshot(entry.path, paths.incoming_dir, digest) as snap:
            outcome = _load_file(con, contract, entry.path, snap, paths, run_id)
            kept = snap.path if outcome.status == "loaded" else quarantine_copy(paths, outcome.load_id, entry.name)
            archive.keep(con, paths, contract.raw_table, outcome.load_id, kept)
            return outcome
    except ChangedWhileReading:
        return FileOutcome(entry.name, "skipped", note="still being written (it changed while it was read), "
                                                       "skipped: a later run loads it")
    except Unreadable as error:  # e.g. no permission: nothing to record, the next run tries again
        return FileOutcome(entry.name, "skipped", note=f"cannot be read ({error}), skipped")


def _entry_problem(contract: Contract, entry: Entry) -> Problem:
    if entry.kind == "link":
        return Problem("a symbolic link, not a delivered file: links are never followed and nothing was copied",
                       "the file itself, in the source folder", value=entry.target)
    if entry.kind == "folder":
        return Problem("a folder inside the source folder: files in it are not read",
                       f"files directly in {contract.folder}/", value=entry.name + "/")
    return Problem("not a regular file (a named pipe, socket or device)", "a regular file")


def _reject_entry(con, contract: Contract, entry: Entry, paths: WarehousePaths, run_id: str | None,
                  ready: _Ready) -> FileOutcome:
    """A link, folder or special file: recorded once in quarantine (identified by kind, name and
    target), never read, never copied."""
    identity = hashlib.sha256(f"{entry.kind}\0{entry.name}\0{entry.target or ''}".encode()).hexdigest()
    if _seen(con, contract.source, identity):
        return FileOutcome(entry.name, "unchanged")
    ready()
    problem = _entry_problem(contract, entry)
    _set_problems(con, [problem])
    load_id = _quarantine(con, contract.source, entry.path, None, run_id, identity, None, 1)
    archive.keep(con, paths, contract.raw_table, load_id, None)
    return FileOutcome(entry.name, "quarantined", load_id, problems=1, first_problem=problem.reason)


def _load_file(con, contract: Contract, path: Path, snap: Snapshot, paths: WarehousePaths, run_id) -> FileOutcome:
    try:
        result, problem_count = _read_and_check(con, contract, path.name, snap, paths.incoming_dir)
        if not result.problems and problem_count == 0:
            return _append(con, contract, path, snap, result, run_id)
        if result.problems:
            problem_count = len(result.problems)
            _set_problems(con, result.problems)
        holds_bsn = con.execute("SELECT coalesce(bool_or(mask_bsns(value) IS DISTINCT FROM value), false) "
                                "FROM problems").fetchall()[0][0]
        load_id = _quarantine(con, contract.source, path, snap.size, run_id, snap.digest, result.encoding,
                              problem_count)
    finally:
        drop_landed(con)
        con.execute("DROP TABLE IF EXISTS parsed")
    if holds_bsn:  # no second copy of a file with a BSN in it
        snap.path.unlink(missing_ok=True)
    else:
        paths.quarantine_dir.mkdir(parents=True, exist_ok=True)
        snap.path.replace(quarantine_copy(paths, load_id, path.name))
    first = con.execute(
        f"SELECT reason FROM raw.quarantine WHERE load_id = {load_id} ORDER BY source_row NULLS FIRST LIMIT 1"
    ).fetchall()[0][0]
    return FileOutcome(path.name, "quarantined", load_id, problems=problem_count, first_problem=first)


def quarantine_copy(paths: WarehousePaths, load_id: int, file_name: str) -> Path:
    """Where the copy of a quarantined file is kept."""
    return paths.quarantine_dir / f"{load_id}__{file_name}"


def _read_and_check(con, contract: Contract, name: str, snap: Snapshot, scratch_dir: Path) -> tuple[ReadResult, int]:
    """Read the file and check its rows; problems found while reading are in the result, the number
    found by the row checks (listed in the temp table `problems`) is returned next to it."""
    if contract.file_name_pattern and not re.fullmatch(contract.file_name_pattern, name, re.IGNORECASE):
        return ReadResult(None, [Problem("the file name does not say what the file holds", contract.file_name_expected
                                         or contract.file_name_pattern, value=name)]), 0
    try:
        result = read_file(con, name, snap, contract.column_names, scratch_dir, contract.optional_column_names)
    except Exception as error:  # a corrupt file must not stop the other files
        return ReadResult(None, [Problem(
            f"the file cannot be read: {type(error).__name__}: {error}", "a valid CSV, XLSX or SAV file")]), 0
    if result.problems:
        return result, 0
    try:
        return result, _check_rows(con, contract, result)
    except duckdb.Error as error:  # a value the checks did not foresee: quarantine, don't stop
        return ReadResult(result.encoding, [Problem(
            f"the file cannot be checked: {error}", "a file that meets the contract")]), 0


def _check_rows(con: duckdb.DuckDBPyConnection, contract: Contract, result: ReadResult) -> int:
    """Parse and check all `result.rows` rows of `landed` in SQL: temp tables `parsed` and `problems`;
    returns the problem count."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE parsed AS {parse_sql(contract)}")
    drop_landed(con)  # the text is in `parsed` now: never hold a file twice
    con.execute(f"CREATE OR REPLACE TEMP TABLE problems AS {problems_sql(contract, result.control)}")
    return con.execute("SELECT count(*) FROM problems").fetchall()[0][0]


def _set_problems(con: duckdb.DuckDBPyConnection, problems: list[Problem]) -> None:
    """Problems found while reading become the temp table `problems`, like SQL-found ones."""
    rows = [{"source_row": p.row, "column_name": p.column, "value": p.value, "reason": p.reason,
             "expected": p.expected} for p in problems]
    table = pa.Table.from_pylist(rows, schema=pa.schema([
        ("source_row", pa.int64()), ("column_name", pa.string()), ("value", pa.string()),
        ("reason", pa.string()), ("expected", pa.string()),
    ]))
    con.register("problem_list", table)
    con.execute("CREATE OR REPLACE TEMP TABLE problems AS SELECT * FROM problem_list")
    con.unregister("problem_list")


def _next_load_id(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("SELECT coalesce(max(load_id), 0) + 1 FROM raw.load_log").fetchall()[0][0]


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _log(con, load_id, run_id, source: str, path, size, digest, encoding, status, rows, problems) -> None:
    con.execute(
        "INSERT INTO raw.load_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [load_id, run_id, source, path.name if path else None, str(path) if path else None, digest,
         size, encoding, status, rows, problems, _now()],
    )


def _append(con, contract: Contract, path: Path, snap: Snapshot, result: ReadResult, run_id) -> FileOutcome:
    columns = quote_names(contract.column_names)
    con.begin()
    try:
        load_id = _next_load_id(con)
        rows = con.execute(
            f"INSERT INTO {contract.raw_table} BY NAME SELECT ? AS load_id, ? AS file_name, source_row, "
            f"? AS loaded_at, {columns} FROM parsed ORDER BY source_row",
            [load_id, path.name, _now()],
        ).fetchall()[0][0]
        fault_point("load")
        # The rows and their load_log row commit together: a killed load leaves neither.
        _log(con, load_id, run_id, contract.source, path, snap.size, snap.digest, result.encoding, "loaded", rows, 0)
        con.commit()
    except Exception:
        con.rollback()
        raise
    return FileOutcome(path.name, "loaded", load_id, rows=rows)


# How a value is shown in the quarantine table: cut off when long, control characters as their
# Unicode pictures (NUL as ␀, ESC as ␛), so that the table can be printed and exported.
SHOWN_VALUE_MACROS = f"""
CREATE OR REPLACE TEMP MACRO cut_value(v) AS CASE
    WHEN length(v) > {MAX_SHOWN_VALUE_CHARS}
        THEN left(v, {MAX_SHOWN_VALUE_CHARS}) || '… (' || length(v) || ' characters)'
    ELSE v END;
CREATE OR REPLACE TEMP MACRO shown_value(v) AS CASE
    WHEN regexp_matches(v, '{CONTROL_CHARACTERS}')
        THEN replace(translate(cut_value(v), {" || ".join(f"chr({i})" for i in range(1, 32))},
                               '{"".join(map(chr, range(0x2401, 0x2420)))}'), chr(0), '\u2400')
    ELSE cut_value(v) END;
"""


def _quarantine(con, source: str, path: Path | None, size: int | None, run_id, digest: str | None,
                encoding: str | None, problem_count: int) -> int:
    """Record a failed load with the problems in the temp table `problems`; a BSN in a value is masked."""
    con.begin()
    try:
        load_id = _next_load_id(con)
        con.execute(
            "INSERT INTO raw.quarantine SELECT ?, ?, ?, source_row, column_name, shown_value(mask_bsns(value)), "
            "reason, "
            "expected, ? FROM problems ORDER BY source_row NULLS FIRST, column_name",
            [load_id, source, path.name if path else None, _now()],
        )
        _log(con, load_id, run_id, source, path, size, digest, encoding, "quarantined", 0, problem_count)
        con.commit()
    except Exception:
        con.rollback()
        raise
    return load_id
