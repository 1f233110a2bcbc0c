"""Shared fixtures: temporary landing and warehouse folders, delivery writers,
a PostgreSQL server, and one nightly run on the sample sources (published to
the DuckDB file, Parquet and PostgreSQL) for the end-to-end tests."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest

from dagster_project.publication.postgres import PostgresTarget
from dagster_project.settings import SAMPLE_LANDING_DIR, WarehousePaths

from .postgres_server import PostgresServer, start_server

# Test deliveries are written a moment before they are loaded: nothing is still being written.
os.environ["WAREHOUSE_SETTLE_SECONDS"] = "0"
# Test runs read temporary landing directories, not the embedded sample: they need a secret of their own.
os.environ["WAREHOUSE_PSEUDONIMISERING_SLEUTEL"] = "een-geheim-alleen-voor-de-tests-van-het-warehouse"

LEDGER_HEADER = ("gemeente_code", "jaar", "fase", "programma_code", "doelstelling_code", "doelstelling_naam",
                 "taakveld_code", "kostenplaats", "soort", "reservemutatie", "bedrag")
JEUGDHULP = "Bevorderen vroegtijdige, toegankelijke, passende en effectieve jeugdhulp"


def ledger_line(**overrides) -> dict:
    """A valid 2021 rekening line; override any column."""
    line = dict(gemeente_code="GM0637", jaar="2021", fase="rekening", programma_code="2", doelstelling_code="2.1",
                doelstelling_naam=JEUGDHULP, taakveld_code="6.72", kostenplaats="Jeugdhulp Zorg in Natura",
                soort="lasten", reservemutatie="nee", bedrag="-65.776.123,45")
    line.update(overrides)
    return line


def write_csv(path: Path, lines: list[dict], header=LEDGER_HEADER, encoding="utf-8", separator=";") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = [separator.join(header)] + [separator.join(str(line[c.lower()]) for c in header) for line in lines]
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode(encoding))
    return path


@pytest.fixture
def paths(tmp_path: Path) -> WarehousePaths:
    landing = tmp_path / "landing"
    (landing / "financien" / "grootboek").mkdir(parents=True)
    return WarehousePaths(landing, tmp_path / "warehouse", tmp_path / "warehouse" / "marts.duckdb")


@pytest.fixture
def ledger_dir(paths: WarehousePaths) -> Path:
    return paths.landing_dir / "financien" / "grootboek"


def query(database: Path, sql: str, params=None) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def quarantine(paths: WarehousePaths) -> list[tuple]:
    """Every quarantined problem: (source_row, column_name, value, reason)."""
    return query(paths.build_db, "SELECT source_row, column_name, value, reason FROM raw.quarantine "
                                 "ORDER BY source_row, column_name")


MARTS = ["dim_y", "fct_x"]  # the marts of build_file


def build_file(path: Path, rows: int) -> Path:
    """A build file with raw, staging and marts schemas, like the real one."""
    with duckdb.connect(str(path)) as con:
        for schema in ("raw", "staging", "marts"):
            con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
        con.execute("CREATE OR REPLACE TABLE raw.quarantine AS SELECT 1 AS x")
        con.execute("CREATE OR REPLACE VIEW staging.stg_x AS SELECT 1 AS x")
        con.execute(f"CREATE OR REPLACE TABLE marts.fct_x AS SELECT range AS n FROM range({rows})")
        con.execute("CREATE OR REPLACE TABLE marts.dim_y AS SELECT 'GM0637' AS gemeente_code")
    return path


def run_nightly(paths: WarehousePaths, postgres: PostgresTarget | None = None, instance=None):
    """Run the nightly job in this process against the given folders (and PostgreSQL), recorded
    in `instance` (default: an ephemeral one)."""
    from dagster import DagsterInstance

    from dagster_project.definitions import defs
    from dagster_project.operations.run import run_config

    return defs.resolve_job_def("nightly").execute_in_process(
        run_config=run_config(paths, postgres=postgres), instance=instance or DagsterInstance.ephemeral(),
        raise_on_error=False,
    )


def check_evaluations(result) -> dict[tuple[str, str], bool]:
    """Whether each asset check of a run passed, by (asset, check name)."""
    evaluations = [e.event_specific_data for e in result.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION"]
    return {(e.asset_key.to_user_string(), e.check_name): e.passed for e in evaluations}


@pytest.fixture(scope="session")
def postgres_server() -> PostgresServer:
    """A PostgreSQL server of its own for the test session (tests/postgres_server.py)."""
    server = start_server()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def sample_postgres(postgres_server) -> PostgresTarget:
    """The database the sample run publishes to."""
    return PostgresTarget(postgres_server.create_database("sample"))


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory, sample_postgres):
    """The nightly job once on a copy of the embedded sample sources, publishing to PostgreSQL too."""
    root = tmp_path_factory.mktemp("sample")
    shutil.copytree(SAMPLE_LANDING_DIR, root / "landing")
    paths = WarehousePaths(root / "landing", root / "warehouse", root / "warehouse" / "marts.duckdb")
    return paths, run_nightly(paths, sample_postgres)


@pytest.fixture(scope="session")
def published(sample_run) -> Path:
    """The published marts of the sample run."""
    paths, result = sample_run
    assert result.success
    return paths.published_db


@pytest.fixture(scope="session")
def registraties_handmade(tmp_path_factory):
    """The nightly job once on the hand-made registration cases (tests/registraties_cases.py)."""
    from .registraties_cases import write_handmade

    root = tmp_path_factory.mktemp("registraties")
    paths = WarehousePaths(root / "landing", root / "warehouse", root / "warehouse" / "marts.duckdb")
    write_handmade(paths)
    return paths, run_nightly(paths)


# The slowest modules first (each runs whole in one test process, `make test`): a slow module
# started last would keep one process busy while the other has nothing left to do.
SLOWEST_MODULES = ["test_targets.py", "test_regio.py", "test_faults.py", "test_services.py", "test_upgrade.py",
                   "test_archive.py", "test_rebuild.py", "test_cbs.py", "test_alerts.py", "test_runs.py",
                   "test_release.py", "test_per_gemeente.py"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: i for i, name in enumerate(SLOWEST_MODULES)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: the rest keep their order
