"""The dbt unit tests of the core rules (`unit_tests:` in dbt/models): they test the project,
not the data, so the nightly leaves them out and the test suite runs them, on an empty
build file (dbt's `--empty` builds every model without rows, which gives the unit tests
the column types of their inputs)."""

import json

import duckdb

from dagster_project.ingest.loading import ensure_tables
from dagster_project.sources import CONTRACTS
from dagster_project.transform.invocation import DbtSession
from dagster_project.transform.manifest import manifest


def test_every_unit_test_of_the_project_passes(tmp_path):
    build_db = tmp_path / "build.duckdb"
    with duckdb.connect(str(build_db)) as con:
        for contract in CONTRACTS:
            ensure_tables(con, contract)
    dbt = DbtSession(tmp_path / "dbt", build_db)
    empty = dbt.invoke("build", ["--empty", "--exclude-resource-type", "test",
                                 "--exclude-resource-type", "unit_test"])
    assert empty.success, empty.messages
    units = dbt.invoke("test", ["--select", "test_type:unit"])
    results = {r["unique_id"]: r["status"] for r in
               json.loads((tmp_path / "dbt" / "test" / "run_results.json").read_text())["results"]}
    assert set(results) == set(manifest()["unit_tests"])
    assert {uid: status for uid, status in results.items() if status != "pass"} == {}
    assert units.success
