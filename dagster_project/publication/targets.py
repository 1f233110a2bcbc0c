"""The places a release is published to, and which release each of them holds.

The published DuckDB file is the release of record: the publish writes it
first, and its table `publicatie` names the run of its release. The other
targets hold a copy of a release and say which:

| target     | where it says which release it holds                              |
|------------|-------------------------------------------------------------------|
| Parquet    | `publicatie.parquet` (with every mart file of the release there)   |
| PostgreSQL | table `publicatie` of the published schema                        |
| report     | `publicatie.json` in the report folder                            |

With WAREHOUSE_PER_GEMEENTE, every gemeente's DuckDB file, Parquet folder and
report (per_gemeente.py) are targets of their own, which say it the same way.

A run compares every target with the file, also on a night with nothing new,
and brings each one that differs (behind, empty, new, restored, or left
half-done by a killed or failed publish) up to the file's release
(docs/publication.md#every-target-catches-up).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import duckdb
import psycopg
import pyarrow.parquet as pq

from ..settings import WarehousePaths, per_gemeente
from .files import PARQUET_DIR
from .origins import MART_PUBLICATION_TABLE, PUBLICATION_TABLE
from .per_gemeente import gemeente_paths, release_gemeenten
from .postgres import PostgresTarget, held_release

FILE, PARQUET, POSTGRES, REPORT = "DuckDB file", "Parquet", "PostgreSQL", "report"
REPORT_RELEASE_FILE = "publicatie.json"


@dataclass(frozen=True)
class Held:
    """What a target holds: the run of its release (None: none, or not whole), or why it
    could not be read (a server that cannot be reached)."""

    target: str
    release: str | None
    problem: str | None = None

    def describe(self) -> str:
        if self.problem:
            return f"cannot be read: {self.problem}"
        return f"run {self.release}" if self.release else "no release"


def file_release(published_db: Path) -> str | None:
    """The run of the published file's release; None when there is no (readable) file."""
    if not published_db.exists():
        return None
    try:
        with duckdb.connect(str(published_db), read_only=True) as con:
            row = con.execute(f"SELECT run_id FROM {PUBLICATION_TABLE}").fetchone()
    except duckdb.Error:
        return None
    return row[0] if row else None


def release_marts(published_db: Path) -> list[str]:
    """The marts the published file holds (with rows: not missing)."""
    with duckdb.connect(str(published_db), read_only=True) as con:
        return [m for (m,) in con.execute(
            f"SELECT mart FROM {MART_PUBLICATION_TABLE} WHERE n_rijen IS NOT NULL ORDER BY mart").fetchall()]


def parquet_release(folder: Path, marts: list[str]) -> str | None:
    """The run named by `publicatie.parquet`, if the folder has it and a file for each of `marts`."""
    marker = folder / f"{PUBLICATION_TABLE}.parquet"
    if not marker.is_file() or any(not (folder / f"{mart}.parquet").is_file() for mart in marts):
        return None
    try:
        metadata = pq.read_metadata(marker).metadata or {}
    except OSError:  # a file cut short
        return None
    run_id = metadata.get(b"run_id")
    return run_id.decode() if run_id else None


def report_release(report_dir: Path) -> str | None:
    """The run whose release the report was built from."""
    try:
        return json.loads((report_dir / REPORT_RELEASE_FILE).read_text())["run_id"]
    except (OSError, ValueError, KeyError):
        return None


def postgres_held(target: PostgresTarget) -> Held:
    try:
        return Held(POSTGRES, held_release(target))
    except psycopg.Error as error:
        return Held(POSTGRES, None, str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__)


def gemeente_target(target: str, code: str) -> str:
    """The name of a target of one gemeente: `DuckDB file GM0637`."""
    return f"{target} {code}"


def _file_and_parquet(published_db: Path, parquet_dir: Path, code: str = "") -> list[Held]:
    release = file_release(published_db)
    marts = release_marts(published_db) if release else []
    name = (lambda target: gemeente_target(target, code)) if code else (lambda target: target)
    return [Held(name(FILE), release), Held(name(PARQUET), parquet_release(parquet_dir, marts))]


def gemeenten_held(published_db: Path) -> list[Held]:
    """What the files and report of every gemeente of the release hold (WAREHOUSE_PER_GEMEENTE)."""
    found = []
    for code in release_gemeenten(published_db) if per_gemeente() else []:
        gemeente = gemeente_paths(published_db, code)
        found += [*_file_and_parquet(gemeente.published_db, gemeente.parquet_dir, code),
                  Held(gemeente_target(REPORT, code), report_release(gemeente.report_dir))]
    return found


def held(paths: WarehousePaths, postgres: PostgresTarget | None) -> list[Held]:
    """What every target holds now (PostgreSQL only when configured, the gemeenten only with
    WAREHOUSE_PER_GEMEENTE)."""
    found = _file_and_parquet(paths.published_db, paths.published_db.parent / PARQUET_DIR)
    if postgres is not None:
        found.append(postgres_held(postgres))
    return [*found, Held(REPORT, report_release(paths.report_dir)), *gemeenten_held(paths.published_db)]


def behind(paths: WarehousePaths, postgres: PostgresTarget | None) -> dict[str, str]:
    """Target -> why it does not hold the file's release, for every target that does not."""
    states = held(paths, postgres)
    release = states[0].release
    if release is None:
        return {}  # no release yet: the publish writes every target
    return {state.target: f"holds {state.describe()}, the DuckDB file run {release}"
            for state in states[1:] if state.release != release}
