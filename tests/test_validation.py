"""The Great Expectations suites catch what they promise to catch."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from dagster_project.quality.validation import load_suites, validate
from dagster_project.settings import EXPECTATIONS_DIR
from dagster_project.transform.manifest import MANIFEST_PATH, mart_names

SUITES = {suite.name: suite for suite in load_suites(EXPECTATIONS_DIR)}


def header(**overrides) -> pd.DataFrame:
    row = dict(gemeente_code="GM0637", jaar=2021, fase="rekening", programma_code="2",
               uitgaven=-110262254.32, inkomsten=2653900.85, saldo=-107608353.47, saldo_verschil=0.0,
               aandeel_uitgaven_pct=22.1499, aandeel_inkomsten_pct=0.5331, aandeel_saldo_pct=None)
    row.update(overrides)
    return pd.DataFrame([row])


def test_every_suite_is_named_after_the_mart_it_validates():
    assert SUITES and set(SUITES) <= set(mart_names())
    assert all(name == suite.asset for name, suite in SUITES.items())


def test_no_suite_repeats_a_dbt_not_null_test():
    """A column that dbt tests for nulls is not checked again by Great Expectations."""
    nodes = json.loads(MANIFEST_PATH.read_text())["nodes"].values()
    tested = {(node["attached_node"].split(".")[-1], node["column_name"]) for node in nodes
              if node["resource_type"] == "test" and (node.get("test_metadata") or {}).get("name") == "not_null"}
    repeated = [(name, e["kwargs"]["column"]) for name, suite in SUITES.items()
                for e in suite.definition["expectations"]
                if e["type"] == "expect_column_values_to_not_be_null" and (name, e["kwargs"]["column"]) in tested]
    assert tested and repeated == []


def test_a_correct_header_passes(tmp_path):
    outcome = validate(SUITES["rpt_programma_totalen"], header(), tmp_path)
    assert outcome.passed and outcome.failed_errors == []


def test_the_published_saldo_percentage_is_caught(tmp_path):
    outcome = validate(SUITES["rpt_programma_totalen"], header(aandeel_saldo_pct=1.80535713509409e17), tmp_path, "run1")
    assert [(f["column"], f["unexpected_count"]) for f in outcome.failed_errors] == [("aandeel_saldo_pct", 1)]
    assert outcome.result_file == tmp_path / "run1" / "rpt_programma_totalen.json"
    assert json.loads(outcome.result_file.read_text())["success"] is False
    assert "programma_totalen" in outcome.data_docs.read_text()


@pytest.mark.parametrize("column", ["aandeel_uitgaven_pct", "aandeel_inkomsten_pct"])
def test_a_share_above_100_is_an_error(tmp_path, column):
    outcome = validate(SUITES["rpt_programma_totalen"], header(**{column: 221.5}), tmp_path)
    assert [f["column"] for f in outcome.failed_errors] == [column]


def test_missing_municipal_totals_only_warn(tmp_path):
    outcome = validate(SUITES["rpt_programma_totalen"],
                       header(aandeel_uitgaven_pct=None, aandeel_inkomsten_pct=None), tmp_path)
    assert outcome.failed_errors == []
    assert [f["column"] for f in outcome.failed_warnings] == ["aandeel_uitgaven_pct"]
    assert not outcome.passed


def test_saldo_must_equal_baten_plus_lasten(tmp_path):
    rows = pd.DataFrame([
        dict(gemeente_code="GM0637", jaar=2021, fase="rekening", doelstelling_key="k1", doelstelling_code="2.1",
             doelstelling_naam="x", saldo_verschil=0.0, saldo_x1000_afrondingsverschil=0),
        dict(gemeente_code="GM0637", jaar=2021, fase="rekening", doelstelling_key="k2", doelstelling_code="2.2",
             doelstelling_naam="y", saldo_verschil=0.01, saldo_x1000_afrondingsverschil=0),
    ])
    outcome = validate(SUITES["rpt_financien_doelstelling"], rows, tmp_path)
    assert [(f["column"], f["unexpected_count"]) for f in outcome.failed_errors] == [("saldo_verschil", 1)]


def test_an_unexplained_difference_between_goals_and_header_is_an_error(tmp_path):
    rows = pd.DataFrame([dict(doelstellingen_saldo=-107608353.47, onverklaard_baten=0.0, onverklaard_lasten=-69000.0,
                              onverklaard_saldo=0.0, toelichting="...")])
    outcome = validate(SUITES["rpt_financien_aansluiting"], rows, tmp_path)
    assert [f["column"] for f in outcome.failed_errors] == ["onverklaard_lasten"]


def test_a_goal_outside_its_years_is_an_error(tmp_path):
    line = dict(financien_regel_key="a", gemeente_code="GM0637", jaar=2025, fase="rekening",
                doelstelling_key="d", taakveld_key="t", bedrag=1.0, soort="lasten",
                is_doelstelling_geldig_in_jaar=False, is_taakveld_geldig_in_jaar=True,
                n_met_zelfde_financien_regel_key=1)
    outcome = validate(SUITES["fct_financien"], pd.DataFrame([line]), tmp_path)
    assert [f["column"] for f in outcome.failed_errors] == ["is_doelstelling_geldig_in_jaar"]


def test_a_large_mart_is_validated_in_batches_and_failures_add_up(tmp_path):
    import duckdb

    from dagster_project.quality.validation import read_batches

    database = tmp_path / "build.duckdb"
    with duckdb.connect(str(database)) as con:
        con.execute("CREATE SCHEMA marts")
        # Seven respondents: grades 11 on rows 1, 4 and 7, and one key twice, in different batches.
        con.execute("""CREATE TABLE marts.fct_enquete_respondent AS
            SELECT 'R' || least(i, 6) AS respondent_key, CASE WHEN i % 3 = 1 THEN 11 ELSE 8 END AS cijfer,
                   1.0 AS weegfactor, true AS is_tevreden
            FROM range(1, 8) t(i)""")
    suite = SUITES["fct_enquete_respondent"]
    query = suite.query.replace("from marts.fct_enquete_respondent",
                                "from (select *, null::int as eenzaamheid_score, null::int as emotionele_eenzaamheid,"
                                " null::int as sociale_eenzaamheid, null::boolean as is_eenzaam"
                                " from marts.fct_enquete_respondent)")
    batches = list(read_batches(database, query, rows=3))
    assert [len(b) for b in batches] == [3, 3, 1]
    outcome = validate(suite, batches, tmp_path / "validation", "run1")
    assert (outcome.rows, outcome.batches) == (7, 3)
    failed = {f["column"]: f["unexpected_count"] for f in outcome.failed_errors}
    assert failed == {"cijfer": 3, "n_met_zelfde_respondent_key": 2}
    assert (tmp_path / "validation" / "run1" / "fct_enquete_respondent.part3.json").exists()


def test_an_empty_mart_is_one_empty_batch(tmp_path):
    import duckdb

    from dagster_project.quality.validation import read_batches

    database = tmp_path / "build.duckdb"
    duckdb.connect(str(database)).close()
    [batch] = list(read_batches(database, "select 1 as a where false"))
    assert list(batch.columns) == ["a"] and len(batch) == 0


def test_a_suite_with_a_column_wide_expectation_is_refused(tmp_path):
    from dagster_project.quality.validation import Suite

    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"name": "bad", "meta": {"asset": "fct_financien", "query": "select 1"},
                                "expectations": [{"type": "expect_column_values_to_be_unique",
                                                  "kwargs": {"column": "a"}}]}))
    with pytest.raises(ValueError, match="expect_column_values_to_be_unique judges a column as a whole"):
        Suite.from_file(path)


@pytest.mark.parametrize("corrupt", ["great_expectations.yml", "uncommitted/config_variables.yml"])
def test_a_gx_file_left_empty_by_a_killed_run_does_not_break_the_next(tmp_path, corrupt):
    from dagster_project.quality.validation import reset_gx_configuration

    validate(SUITES["rpt_programma_totalen"], header(), tmp_path, "killed")
    assert (tmp_path / "gx" / corrupt).is_file()
    (tmp_path / "gx" / corrupt).write_text("")  # GX writes its files in place; a kill can leave one empty
    reset_gx_configuration(tmp_path)
    outcome = validate(SUITES["rpt_programma_totalen"], header(aandeel_uitgaven_pct=221.5), tmp_path, "next")
    assert [f["column"] for f in outcome.failed_errors] == ["aandeel_uitgaven_pct"]
    assert json.loads((tmp_path / "killed" / "rpt_programma_totalen.json").read_text())["success"] is True
