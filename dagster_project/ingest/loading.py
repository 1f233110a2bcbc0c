"""Load a source folder into its raw table, file by file, all or nothing per file.

The rules (identity by content hash, name order, quarantine, supersession) are
documented in docs/sources.md.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from ..settings import REFERENCE_DIR, WarehousePaths, duckdb_config
from .contracts import Contract
from .parsing import parse_sql, problems_sql, register_macros
from .reading import Problem, ReadResult, read_file

MAX_LISTED_STRUCTURAL_PROBLEMS = 1000

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
    status: str  # loaded | quarantined | unchanged
    load_id: int | None = None
    rows: int = 0
    problems: int = 0
    first_problem: str | None = None


@dataclass
class SourceReport:
    source: str
    folder: Path
    files: list[FileOutcome] = field(default_factory=list)
    source_problem: str | None = None  # the source as a whole could not be read
    note: str | None = None  # e.g. nothing delivered yet

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
    columns = ",\n    ".join(f'"{c.name}" {c.spec.sql_type}' for c in contract.columns)
    con.execute(
        f"""CREATE TABLE IF NOT EXISTS {contract.raw_table} (
    load_id BIGINT NOT NULL,
    file_name VARCHAR NOT NULL,
    source_row BIGINT NOT NULL,
    loaded_at TIMESTAMP NOT NULL,
    {columns}
)"""
    )


def register_reference(con: duckdb.DuckDBPyConnection, reference_dir: Path = REFERENCE_DIR) -> None:
    """Each seeds/reference/<name>.csv becomes the temp table ref_<name>, all text."""
    for path in sorted(reference_dir.glob("*.csv")):
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE ref_{path.stem} AS "
            "SELECT * FROM read_csv(?, header = true, all_varchar = true)",
            [str(path)],
        )


def delivery_files(folder: Path) -> list[Path]:
    """Every file in a source folder, in name order, except hidden and Office lock files.
    A file of a type the contract does not accept is quarantined, not ignored."""
    return sorted(
        (p for p in folder.iterdir() if p.is_file() and not p.name.startswith((".", "~$"))),
        key=lambda p: p.name,
    )


def load_source(contract: Contract, paths: WarehousePaths, run_id: str | None = None) -> SourceReport:
    """Load every new file of one source. Never raises for bad input."""
    folder = paths.landing_dir / contract.folder
    report = SourceReport(contract.source, folder)
    with connect(paths.build_db) as con:
        ensure_tables(con, contract)
        register_macros(con)
        register_reference(con)
        if not folder.exists():
            report.note = f"folder {folder} does not exist: nothing delivered"
            return report
        try:
            files = delivery_files(folder)
        except OSError as error:
            report.source_problem = f"folder {folder} cannot be read: {error}"
            _set_problems(con, [Problem(report.source_problem, "a readable folder")])
            _quarantine(con, contract, None, None, run_id, None, None, 1)
            return report
        for path in files:
            report.files.append(_load_file(con, contract, path, paths, run_id))
    return report


def _load_file(
    con: duckdb.DuckDBPyConnection, contract: Contract, path: Path, paths: WarehousePaths, run_id: str | None,
) -> FileOutcome:
    data = path.read_bytes()  # read once: what is hashed is what is loaded
    digest = hashlib.sha256(data).hexdigest()
    seen = con.execute(
        "SELECT 1 FROM raw.load_log WHERE source = ? AND content_sha256 = ? LIMIT 1", [contract.source, digest],
    ).fetchone()
    if seen:
        return FileOutcome(path.name, "unchanged")

    try:
        result = read_file(path.name, data, contract.column_names)
    except Exception as error:  # a corrupt file must not stop the other files
        result = ReadResult(None, problems=[Problem(
            f"the file cannot be read: {type(error).__name__}: {error}", "a valid CSV or XLSX file",
        )])

    problem_count = 0
    if result.table is not None:
        try:
            problem_count = _check_rows(con, contract, result)
        except duckdb.Error as error:  # a value the checks did not foresee: quarantine, don't stop
            result = ReadResult(None, result.encoding, [Problem(
                f"the file cannot be checked: {error}", "a file that meets the contract")])
    if result.table is not None and problem_count == 0:
        return _append(con, contract, path, len(data), digest, result, run_id)
    if result.table is None:
        problem_count = len(result.problems)
        _set_problems(con, result.problems)

    holds_bsn = con.execute("SELECT coalesce(bool_or(mask_bsns(value) IS DISTINCT FROM value), false) "
                            "FROM problems").fetchone()[0]
    load_id = _quarantine(con, contract, path, len(data), run_id, digest, result.encoding, problem_count)
    if not holds_bsn:  # no second copy of a file with a BSN in it
        paths.quarantine_dir.mkdir(parents=True, exist_ok=True)
        (paths.quarantine_dir / f"{load_id}__{path.name}").write_bytes(data)
    first = con.execute(
        f"SELECT reason FROM raw.quarantine WHERE load_id = {load_id} ORDER BY source_row NULLS FIRST LIMIT 1"
    ).fetchone()[0]
    return FileOutcome(path.name, "quarantined", load_id, problems=problem_count, first_problem=first)


def _check_rows(con: duckdb.DuckDBPyConnection, contract: Contract, result: ReadResult) -> int:
    """Parse and check all rows in SQL: temp tables `parsed` and `problems`; returns the problem count."""
    con.register("landed", result.table)
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE parsed AS {parse_sql(contract)}")
    finally:
        con.unregister("landed")
    con.execute(f"CREATE OR REPLACE TEMP TABLE problems AS {problems_sql(contract)}")
    return con.execute("SELECT count(*) FROM problems").fetchone()[0]


def _set_problems(con: duckdb.DuckDBPyConnection, problems: list[Problem]) -> None:
    """Problems found while reading become the temp table `problems`, like SQL-found ones."""
    listed = problems[:MAX_LISTED_STRUCTURAL_PROBLEMS]
    if len(problems) > len(listed):
        listed.append(Problem(f"... and {len(problems) - len(listed)} more lines with the same kind of problem",
                              listed[-1].expected))
    rows = [{"source_row": p.row, "column_name": p.column, "value": p.value, "reason": p.reason,
             "expected": p.expected} for p in listed]
    table = pa.Table.from_pylist(rows, schema=pa.schema([
        ("source_row", pa.int64()), ("column_name", pa.string()), ("value", pa.string()),
        ("reason", pa.string()), ("expected", pa.string()),
    ]))
    con.register("problem_list", table)
    con.execute("CREATE OR REPLACE TEMP TABLE problems AS SELECT * FROM problem_list")
    con.unregister("problem_list")


def _next_load_id(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("SELECT coalesce(max(load_id), 0) + 1 FROM raw.load_log").fetchone()[0]


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _log(con, load_id, run_id, contract, path, size, digest, encoding, status, rows, problems) -> None:
    con.execute(
        "INSERT INTO raw.load_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [load_id, run_id, contract.source, path.name if path else None, str(path) if path else None, digest,
         size, encoding, status, rows, problems, _now()],
    )


def _append(con, contract: Contract, path: Path, size: int, digest: str, result: ReadResult, run_id) -> FileOutcome:
    columns = ", ".join(f'"{c}"' for c in contract.column_names)
    con.begin()
    try:
        load_id = _next_load_id(con)
        con.execute(
            f"INSERT INTO {contract.raw_table} SELECT ?, ?, source_row, ?, {columns} FROM parsed ORDER BY source_row",
            [load_id, path.name, _now()],
        )
        rows = result.table.num_rows
        _log(con, load_id, run_id, contract, path, size, digest, result.encoding, "loaded", rows, 0)
        con.commit()
    except Exception:
        con.rollback()
        raise
    return FileOutcome(path.name, "loaded", load_id, rows=rows)


def _quarantine(con, contract: Contract, path: Path | None, size: int | None, run_id, digest: str | None,
                encoding: str | None, problem_count: int) -> int:
    """Record a failed load with the problems in the temp table `problems`; a BSN in a value is masked."""
    con.begin()
    try:
        load_id = _next_load_id(con)
        con.execute(
            "INSERT INTO raw.quarantine SELECT ?, ?, ?, source_row, column_name, mask_bsns(value), reason, expected, ? "
            "FROM problems ORDER BY source_row NULLS FIRST, column_name",
            [load_id, contract.source, path.name if path else None, _now()],
        )
        _log(con, load_id, run_id, contract, path, size, digest, encoding, "quarantined", 0, problem_count)
        con.commit()
    except Exception:
        con.rollback()
        raise
    return load_id
