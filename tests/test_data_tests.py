"""The dbt data tests grouped per model (transform/data_tests.py) judge as dbt judges."""

from __future__ import annotations

import json
import shutil

import duckdb
import pytest

from dagster_project.transform.data_tests import DATA_TESTS, Catalog, DataTest, run_tests
from dagster_project.transform.invocation import DbtSession


def data_test(name: str, sql: str, judged: str = "model.p.t", **config) -> DataTest:
    return DataTest(f"test.p.{name}", name, judged, sql, **config)


@pytest.mark.parametrize("config, failures, expected", [
    ({}, 0, ("pass", None, 0)),
    ({}, 2, ("fail", "Got 2 results, configured to fail if != 0", 2)),
    ({}, 1, ("fail", "Got 1 result, configured to fail if != 0", 1)),
    ({"severity": "warn"}, 3, ("warn", "Got 3 results, configured to warn if != 0", 3)),
    ({"warn_if": "> 1", "error_if": "> 5"}, 3, ("warn", "Got 3 results, configured to warn if > 1", 3)),
    ({"warn_if": "> 1", "error_if": "> 5"}, 6, ("fail", "Got 6 results, configured to fail if > 5", 6)),
    ({"warn_if": "> 1", "error_if": "> 5"}, 1, ("pass", None, 0)),
])
def test_a_result_is_judged_by_dbts_rules(tmp_path, config, failures, expected):
    """severity, warn_if and error_if as dbt applies them (dbt/task/test.py), in the query itself."""
    with duckdb.connect(str(tmp_path / "build.duckdb")) as con:
        con.execute(f"CREATE TABLE t AS SELECT range AS id FROM range({failures})")
    [result] = list(run_tests(tmp_path / "build.duckdb", [data_test("x", "select * from t", **config)],
                              tmp_path / "test"))
    assert (result["status"], result["message"], result["failures"]) == expected


def test_each_models_tests_run_as_one_query_and_an_error_stays_with_its_test(tmp_path):
    with duckdb.connect(str(tmp_path / "build.duckdb")) as con:
        con.execute("CREATE TABLE t AS SELECT * FROM (VALUES (1, 'a'), (2, NULL), (2, 'c')) v(id, naam)")
        con.execute("CREATE TABLE u AS SELECT 1 AS id")
    tests = [
        data_test("unique_t_id", "select id from t group by id having count(*) > 1"),
        data_test("not_null_t_naam", "select * from t where naam is null"),
        data_test("broken_t", "select no_such_column from t"),
        data_test("limit_t", "select * from t", limit=1),
        data_test("not_null_u_id", "select * from u where id is null", judged="model.p.u"),
        data_test("unique_u_id", "select id from u group by id having count(*) > 1", judged="model.p.u"),
    ]
    results = {r["unique_id"].split(".")[-1]: r for r in run_tests(tmp_path / "build.duckdb", tests,
                                                                    tmp_path / "test")}
    assert {name: (r["status"], r["failures"]) for name, r in results.items()} == {
        "unique_t_id": ("fail", 1), "not_null_t_naam": ("fail", 1), "broken_t": ("error", None),
        "limit_t": ("fail", 1), "not_null_u_id": ("pass", 0), "unique_u_id": ("pass", 0)}
    assert "no_such_column" in results["broken_t"]["message"]
    # One query per judged model; a query that fails is run again test by test.
    queries = {name: (r["adapter_response"]["query"], r["adapter_response"]["tests_in_query"])
               for name, r in results.items()}
    assert queries == {"broken_t": (2, 1), "limit_t": (3, 1), "not_null_t_naam": (4, 1), "unique_t_id": (5, 1),
                       "not_null_u_id": (6, 2), "unique_u_id": (6, 2)}
    written = json.loads((tmp_path / "test" / "run_results.json").read_text())["results"]
    assert {r["unique_id"]: r["status"] for r in written} == {uid: r["status"] for uid, r in (
        (r["unique_id"], r) for r in results.values())}


@pytest.fixture(scope="module")
def broken_build(sample_run, tmp_path_factory):
    """A copy of the sample's build file in which a dimension has a duplicate and a missing row and a
    fact a missing value: tests of every kind fail (the file keeps its name: dbt's SQL says "build")."""
    paths, result = sample_run
    assert result.success
    folder = tmp_path_factory.mktemp("broken")
    shutil.copyfile(paths.build_db, folder / "build.duckdb")
    with duckdb.connect(str(folder / "build.duckdb")) as con:
        con.execute("INSERT INTO marts.dim_gemeente SELECT * FROM marts.dim_gemeente LIMIT 1")
        con.execute("DELETE FROM marts.dim_taakveld WHERE taakveld_key IN "
                    "(SELECT taakveld_key FROM marts.fct_financien LIMIT 1)")
        con.execute("UPDATE marts.fct_financien SET gemeente_code = NULL WHERE financien_regel_key IN "
                    "(SELECT financien_regel_key FROM marts.fct_financien LIMIT 2)")
    return folder


def test_the_grouped_tests_give_every_test_the_status_and_failures_dbt_gives_it(broken_build):
    """All data tests of the project, on a build with failures: run by dbt one by one, and grouped."""
    dbt = DbtSession(broken_build / "target", broken_build / "build.duckdb")
    by_dbt = dbt.invoke("test", list(DATA_TESTS))
    assert by_dbt.exception is None
    expected = {r["unique_id"]: (r["status"], r["failures"]) for r in json.loads(
        (broken_build / "target" / "test" / "run_results.json").read_text())["results"]}
    tests = Catalog(broken_build / "dbt_tests.json").tests(dbt)
    grouped = {r["unique_id"]: (r["status"], r["failures"])
               for r in run_tests(broken_build / "build.duckdb", tests.values(), broken_build / "grouped")}
    assert len(expected) == len(tests) > 250
    assert grouped == expected
    failed = {uid.split(".")[2].split("_")[0] for uid, (status, _) in grouped.items() if status == "fail"}
    assert {"primary", "foreign", "not"} <= failed  # primary_key, foreign_key, not_null


def test_a_run_compiles_the_tests_once_when_the_project_changed_and_as_make_setup_did(broken_build, monkeypatch):
    from dagster_project.transform import data_tests

    made_by_setup = Catalog(broken_build / "absent.json").tests(None)  # make setup's, for this project
    monkeypatch.setattr(data_tests, "SETUP_CATALOG", broken_build / "no-setup.json")
    kept = broken_build / "compiled" / "dbt_tests.json"
    kept.parent.mkdir()
    kept.write_text(json.dumps({"project": "an earlier version of the project", "tests": {}}))
    dbt = DbtSession(broken_build / "compile-target", broken_build / "build.duckdb")
    compiled = Catalog(kept).tests(dbt)
    assert compiled == made_by_setup
    assert json.loads(kept.read_text())["project"] == Catalog(kept).project
    assert Catalog(kept).tests(None) == compiled  # the next run reads it, with no dbt


def test_a_kept_catalog_without_a_test_the_run_needs_is_compiled_anew(broken_build, monkeypatch):
    """A catalog of the same project that lacks a test (written by hand, or half) is not trusted."""
    from dagster_project.transform import data_tests

    monkeypatch.setattr(data_tests, "SETUP_CATALOG", broken_build / "no-setup.json")
    kept = Catalog(broken_build / "partial" / "dbt_tests.json")
    dbt = DbtSession(broken_build / "partial-target", broken_build / "build.duckdb")
    complete = kept.tests(dbt)
    needed = sorted(complete)[0]
    kept.write({uid: test for uid, test in complete.items() if uid != needed})
    assert needed not in kept.tests(None)  # without the test: read as it is
    assert kept.tests(dbt, needed={needed}) == complete  # needed: compiled anew
