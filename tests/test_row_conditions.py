"""The suites' expectations as row conditions in DuckDB find exactly the rows GX counts as
unexpected: GX on all rows and GX on the rows DuckDB found give the same unexpected counts
(docs/validation.md)."""

from __future__ import annotations

import json
import subprocess
import sys

import duckdb
import pytest

from dagster_project.quality import validation
from dagster_project.quality.validation import Suite, Validator, expectation_key, read_batches
from dagster_project.settings import REPO_ROOT

ROWS = """
    SELECT * FROM (VALUES
        (1, 1.0,          1,    1.5000, true,  'a',  NULL),
        (2, 'NaN'::DOUBLE, NULL, 100.0,  false, 'b',  'x'),
        (3, NULL,         5,    NULL,   NULL,  NULL, 'y'),
        (4, 11.0,         10,   -3.0,   true,  'c',  NULL),
        (5, 0.0,          11,   99.9999, false, 'a', NULL),
        (6, -0.5,         0,    100.0001, true, 'b', 'z')
    ) AS t(id, f, i, d, b, s, n)
"""
EXPECTATIONS = [
    ("expect_column_values_to_not_be_null", {"column": "f"}),
    ("expect_column_values_to_not_be_null", {"column": "i"}),
    ("expect_column_values_to_be_null", {"column": "n"}),
    ("expect_column_values_to_be_between", {"column": "f", "min_value": 0, "max_value": 10}),
    ("expect_column_values_to_be_between", {"column": "i", "min_value": 0, "strict_min": True}),
    ("expect_column_values_to_be_between", {"column": "i", "max_value": 10, "strict_max": True}),
    ("expect_column_values_to_be_between", {"column": "d", "min_value": 0, "max_value": 100}),
    ("expect_column_values_to_be_in_set", {"column": "b", "value_set": [True]}),
    ("expect_column_values_to_be_in_set", {"column": "s", "value_set": ["a", "b"]}),
    ("expect_column_values_to_not_be_in_set", {"column": "i", "value_set": [5, 10]}),
]


@pytest.fixture
def build_db(tmp_path):
    path = tmp_path / "build.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE SCHEMA marts")
        con.execute(f"CREATE TABLE marts.t AS SELECT id, f, i, CAST(d AS DECIMAL(18, 4)) AS d, b, s, n FROM ({ROWS})")
    return path


def suite(expectations=EXPECTATIONS) -> Suite:
    definition = {"name": "row_conditions", "meta": {"query": "select * from marts.t"},
                  "expectations": [{"type": kind, "kwargs": kwargs} for kind, kwargs in expectations]}
    return Suite("row_conditions", "row_conditions", True, "select * from marts.t", "", definition)


def test_duckdb_and_gx_count_the_same_unexpected_rows(build_db, tmp_path):
    everything = Validator(tmp_path / "all").validate(suite(), read_batches(build_db, "select * from marts.t"))
    found = Validator(tmp_path / "found").run_suite(suite(), build_db)
    expected = {expectation_key(kind, kwargs): count for (kind, kwargs), count in zip(EXPECTATIONS, [
        2, 1, 3, 2, 1, 2, 2, 2, 1, 2], strict=True)}
    assert everything.unexpected == expected
    assert found.unexpected == expected
    assert [f["unexpected_count"] for f in found.failed_errors] == \
        [f["unexpected_count"] for f in everything.failed_errors]
    # Every row fails something here but id 1; GX saw only the failing rows and their columns.
    assert (found.rows, found.rows_judged) == (6, 5)


def test_a_passing_suite_gives_gx_no_rows(build_db, tmp_path):
    outcome = Validator(tmp_path).run_suite(suite([("expect_column_values_to_not_be_null", {"column": "id"})]),
                                            build_db)
    assert outcome.passed and (outcome.rows, outcome.rows_judged) == (6, 0)
    # Its result file has the shape of GX's and says that GX judged no row; no data docs page.
    result = json.loads(outcome.result_file.read_text())
    assert result["success"] is True and result["statistics"]["evaluated_expectations"] == 1
    assert [r["result"]["unexpected_count"] for r in result["results"]] == [0]
    assert result["meta"]["warehouse"]["rows_judged_by_gx"] == 0 and outcome.data_docs is None


def test_a_run_whose_suites_all_pass_never_imports_great_expectations(build_db, tmp_path):
    """GX's import and context take seconds: a run without a failing row does without them."""
    script = f"""
import sys
from pathlib import Path
from tests.test_row_conditions import suite
from dagster_project.quality.validation import Validator
validator = Validator(Path({str(tmp_path / "results")!r}))
passing = suite([("expect_column_values_to_not_be_null", {{"column": "id"}})])
assert [o.passed for o in validator.run_suites([passing, passing], Path({str(build_db)!r}))] == [True, True]
validator.finish()
print("great_expectations" in sys.modules)
failing = suite([("expect_column_values_to_not_be_null", {{"column": "f"}})])
assert [o.passed for o in validator.run_suites([failing], Path({str(build_db)!r}))] == [False]
print("great_expectations" in sys.modules)
"""
    ran = subprocess.run([sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True, text=True)
    assert ran.stdout.split() == ["False", "True"], ran.stderr


def test_a_wrong_row_condition_fails_the_suite(build_db, tmp_path, monkeypatch):
    real = validation.row_condition
    monkeypatch.setattr(validation, "row_condition",
                        lambda e, types: '"id" = 1' if e["kwargs"] == {"column": "f"} else real(e, types))
    outcome = Validator(tmp_path).run_suite(suite([("expect_column_values_to_not_be_null", {"column": "f"})]),
                                            build_db)
    assert [f["why"] for f in outcome.failed_errors if "DuckDB counts" in (f["why"] or "")] == [
        "DuckDB counts 1 rows failing this expectation and Great Expectations 0: its row condition "
        "(dagster_project/quality/validation.py) does not match GX"]


def test_an_expectation_without_a_row_condition_is_validated_on_all_rows(build_db, tmp_path):
    outcome = Validator(tmp_path).run_suite(
        suite([("expect_column_values_to_match_regex", {"column": "s", "regex": "^[ab]$"})]), build_db)
    assert (outcome.rows, outcome.rows_judged) == (6, 6)
    assert [f["unexpected_count"] for f in outcome.failed_errors] == [1]
