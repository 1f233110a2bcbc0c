"""The bare-SQL limit of the nightly: the same steps on the same files, as plain SQL in
one DuckDB connection, with nothing around them (no Dagster, no dbt, no Great
Expectations, no load log, no hashing, no atomic file swaps):

- load: per file `read_csv` (all text), the contract's parse and problem SQL
  (dagster_project/ingest/parsing.py) and an insert into the raw table;
- dbt: the reference tables copied from the nightly's build file, then the SQL that
  dbt compiled for every model in the nightly as `CREATE TABLE AS`, in dependency
  order (every model a table), and every dbt data test (as dbt compiled it for the
  nightly, transform/data_tests.py) as a count query of its own;
- checks: every suite's row conditions as one count query (the query the
  validation runs before GX, which finds the same failures), and the BSN scan of
  every mart (quality/privacy.py);
- publish: one `ATTACH ... (STORAGE_VERSION 'v1.4.0')`, every mart created with its
  primary and foreign keys (as the publish does) and filled, and a Parquet file per
  mart.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from dagster_project.ingest.contracts import Contract
from dagster_project.ingest.loading import ensure_tables, register_reference
from dagster_project.ingest.parsing import parse_sql, problems_sql, register_macros
from dagster_project.publication.files import STORAGE_VERSION, create_with_keys
from dagster_project.publication.keys import read_keys
from dagster_project.quality.privacy import exempt_columns, scan
from dagster_project.quality.validation import RowConditions, load_suites
from dagster_project.settings import EXPECTATIONS_DIR, duckdb_config
from dagster_project.sources import CONTRACTS
from dagster_project.transform import functions
from dagster_project.transform.connection import set_pseudonym_secret
from dagster_project.transform.data_tests import CATALOG_FILE, Catalog
from dagster_project.transform.manifest import MARTS_SCHEMA, build_order, mart_names

from .memory import Usage

PHASES = ("load", "dbt", "checks", "publish")


@dataclass
class Phases:
    """Wall and CPU seconds per phase."""

    wall: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)
    peak_mb: float = 0.0

    def total_wall(self) -> float:
        return sum(self.wall.values())

    def total_cpu(self) -> float:
        return sum(self.cpu.values())


def _timed(phases: Phases, usage: Usage, name: str, work: Callable[[], None]) -> None:
    start = time.time()
    work()
    end = time.time()
    time.sleep(usage.interval * 2)  # let a sample fall after the end
    phases.wall[name] = end - start
    phases.cpu[name] = usage.cpu_between(start, end)


def run(deliveries: dict[Contract, list[Path]], nightly_build: Path, dbt_manifest: Path, warehouse: Path) -> Phases:
    """Every phase bare, in a new warehouse folder; the models as the nightly's dbt compiled them."""
    warehouse.mkdir(parents=True, exist_ok=True)
    manifest = json.loads(dbt_manifest.read_text())
    phases = Phases()
    # The file is named like the nightly's, so that dbt's compiled names ("build"."marts"...) resolve.
    with Usage() as usage, duckdb.connect(str(warehouse / "build.duckdb"), config=duckdb_config()) as con:
        _timed(phases, usage, "load", lambda: _load(con, deliveries))
        _timed(phases, usage, "dbt", lambda: _dbt(con, manifest, nightly_build))
        _timed(phases, usage, "checks", lambda: _checks(con))
        _timed(phases, usage, "publish", lambda: _publish(con, warehouse))
    phases.peak_mb = usage.peak_mb
    return phases


def _load(con: duckdb.DuckDBPyConnection, deliveries: dict[Contract, list[Path]]) -> None:
    register_macros(con)
    register_reference(con)
    for contract in CONTRACTS:  # every raw table, as the nightly's source steps make them
        ensure_tables(con, contract)
    load_id = 0
    for contract, files in deliveries.items():
        columns = ", ".join(f'"{c}"' for c in contract.column_names)
        for path in files:
            load_id += 1
            con.execute("CREATE OR REPLACE TEMP TABLE landed AS SELECT row_number() OVER () AS source_row, * "
                        "FROM read_csv(?, delim = ';', header = true, all_varchar = true)", [str(path)])
            con.execute(f"CREATE OR REPLACE TEMP TABLE parsed AS {parse_sql(contract)}")
            con.execute(f"SELECT count(*) FROM ({problems_sql(contract)})").fetchone()
            con.execute(f"INSERT INTO {contract.raw_table} SELECT ?, ?, source_row, now(), {columns} FROM parsed",
                        [load_id, path.name])


def _dbt(con: duckdb.DuckDBPyConnection, manifest: dict, nightly_build: Path) -> None:
    functions.register(con)  # what dbt's connection has: Student's t quantile, the pseudonyms' secret
    set_pseudonym_secret(con)
    nodes = {node["name"]: node for node in manifest["nodes"].values() if node["resource_type"] in ("model", "seed")}
    con.execute(f"ATTACH '{nightly_build}' AS nightly (READ_ONLY)")
    for name in build_order():
        node = nodes[name]
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {node['schema']}")
        select = f"SELECT * FROM nightly.{node['schema']}.{name}" if node["resource_type"] == "seed" \
            else node["compiled_code"]
        con.execute(f"CREATE OR REPLACE TABLE {node['relation_name']} AS {select}")
    con.execute("DETACH nightly")
    for test in Catalog(nightly_build.parent / CATALOG_FILE).tests(None).values():
        con.execute(f"SELECT count(*) FROM ({test.sql})").fetchall()


def _checks(con: duckdb.DuckDBPyConnection) -> None:
    for suite in load_suites(EXPECTATIONS_DIR):
        types = {row[0]: row[1] for row in con.execute(f"DESCRIBE {suite.query}").fetchall()}
        con.execute(RowConditions.of(suite, types).counts_sql()).fetchall()
    register_macros(con)
    for mart in mart_names():
        scan(con, mart, exempt_columns(mart), macros=False)


def _publish(con: duckdb.DuckDBPyConnection, warehouse: Path) -> None:
    parquet = warehouse / "parquet"
    parquet.mkdir(exist_ok=True)
    con.execute(f"ATTACH '{warehouse / 'marts.duckdb'}' AS pub (STORAGE_VERSION '{STORAGE_VERSION}')")
    keys = read_keys().restricted_to(mart_names())
    for mart in keys.creation_order(mart_names()):
        create_with_keys(con, mart, f"{MARTS_SCHEMA}.{mart}", keys)
        con.execute(f"COPY pub.main.{mart} TO '{parquet / mart}.parquet' (FORMAT parquet)")
    con.execute("DETACH pub")
