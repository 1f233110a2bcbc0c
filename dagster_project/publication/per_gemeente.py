"""The published DuckDB file and Parquet folder per gemeente: a file a gemeente of the
region may take home, holding only its own microdata (WAREHOUSE_PER_GEMEENTE=true).

    <published folder>/gemeenten/GM0637/marts.duckdb
    <published folder>/gemeenten/GM0637/parquet/
    <published folder>/gemeenten/GM0637/rapport/

Each file is cut from the published file, the release of record: the microdata marts
(microdata.py) with that gemeente's rows only, the public marts (CBS) and the
dimensions whole, with the same keys and comments. Its `publicatie` names the run of
the published file's release, and it and `publicatie_mart` count this file's rows.
Written like the published file (a new file swapped in with one rename), its Parquet
folder anew from it (files.publish_parquet); targets.py compares every one with the
published file, so that a killed or failed run is caught up by the next
(docs/publication.md#one-warehouse-for-a-region). The gemeenten are those of
dim_gemeente, the gemeenten the warehouse serves; the folder of a gemeente no longer
there is removed.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ..operations.faults import fault_point
from ..sql.quoting import quote_literal
from .files import PARQUET_DIR, _atomic_file, _copy_comments, create_with_keys
from .keys import Keys
from .microdata import GEMEENTE_COLUMN, microdata_tables
from .origins import MART_PUBLICATION_TABLE, PUBLICATION_TABLE

GEMEENTEN_DIR = "gemeenten"
REPORT_DIR = "rapport"
GEMEENTE_CODE = re.compile(r"GM[0-9]{4}")


@dataclass(frozen=True)
class GemeentePaths:
    """Where the files of one gemeente are published."""

    code: str
    folder: Path
    file_name: str

    @property
    def published_db(self) -> Path:
        return self.folder / self.file_name

    @property
    def parquet_dir(self) -> Path:
        return self.folder / PARQUET_DIR

    @property
    def report_dir(self) -> Path:
        return self.folder / REPORT_DIR


def gemeente_paths(published_db: Path, code: str) -> GemeentePaths:
    return GemeentePaths(code, published_db.parent / GEMEENTEN_DIR / code, published_db.name)


def release_gemeenten(published_db: Path) -> list[str]:
    """The gemeenten of the published file's dim_gemeente; none when there is no (readable) file."""
    try:
        with duckdb.connect(str(published_db), read_only=True) as con:
            return [code for (code,) in con.execute(
                f"SELECT DISTINCT {GEMEENTE_COLUMN} FROM dim_gemeente ORDER BY 1").fetchall()
                    if GEMEENTE_CODE.fullmatch(code or "")]
    except duckdb.Error:
        return []


def _tables(published_db: Path) -> tuple[list[tuple[str, bool]], Keys]:
    """The tables of the published file (whether each has a gemeente_code) and their keys."""
    with duckdb.connect(str(published_db), read_only=True) as con:
        tables = con.execute(
            "SELECT t.table_name, bool_or(c.column_name = ?) FROM duckdb_tables() t "
            "JOIN duckdb_columns() c USING (database_name, schema_name, table_name) "
            "WHERE t.schema_name = 'main' GROUP BY 1 ORDER BY 1", [GEMEENTE_COLUMN]).fetchall()
        return tables, Keys.of_file(con)


def publish_gemeente(published_db: Path, code: str) -> Path:
    """Write the file of gemeente `code` anew from the published file, atomically; its Parquet
    folder follows (files.publish_parquet). Returns the file."""
    tables, keys = _tables(published_db)
    microdata = set(microdata_tables(tables))
    target = gemeente_paths(published_db, code).published_db
    with _atomic_file(target, published_db) as con:
        for table in keys.creation_order([name for name, _ in tables]):
            where = f" WHERE {GEMEENTE_COLUMN} = {quote_literal(code)}" if table in microdata else ""
            create_with_keys(con, table, f"(SELECT * FROM build.main.{table}{where})", keys)
            _copy_comments(con, table, "build", "main")
        _count_rows(con)
        fault_point("gemeente")
    return target


def _count_rows(con: duckdb.DuckDBPyConnection) -> None:
    """publicatie_mart.n_rijen and publicatie.tabellen: the rows of this file."""
    counts = {mart: con.execute(f"SELECT count(*) FROM pub.main.{mart}").fetchone()[0] for (mart,) in con.execute(
        f"SELECT mart FROM pub.main.{MART_PUBLICATION_TABLE} WHERE n_rijen IS NOT NULL").fetchall()}
    con.executemany(f"UPDATE pub.main.{MART_PUBLICATION_TABLE} SET n_rijen = ? WHERE mart = ?",
                    [[rows, mart] for mart, rows in counts.items()])
    [tabellen] = con.execute(f"SELECT tabellen FROM pub.main.{PUBLICATION_TABLE}").fetchone()
    con.execute(f"UPDATE pub.main.{PUBLICATION_TABLE} SET tabellen = ?",
                [json.dumps({mart: counts.get(mart, rows) for mart, rows in json.loads(tabellen).items()})])


def remove_others(published_db: Path, codes: list[str]) -> list[str]:
    """Remove the folders of gemeenten that are not in `codes` (no longer served): their files
    would stay at an old release. Returns the gemeenten removed; none when `codes` is empty (a file
    without gemeenten is no reason to remove every folder)."""
    if not codes:
        return []
    folder = published_db.parent / GEMEENTEN_DIR
    removed = sorted(p.name for p in folder.glob("GM*") if GEMEENTE_CODE.fullmatch(p.name) and p.name not in codes)
    for code in removed:
        shutil.rmtree(folder / code, ignore_errors=True)
    return removed
