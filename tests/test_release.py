"""Blast radius: a failed check holds back only the marts built from what it judged; the
others publish fresh, held-back marts keep their last good release, and `publicatie_mart`
says per mart which run its data comes from and why. Missing targets only warn."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal

import pytest

from dagster_project.ingest.loading import connect, ensure_tables, load_source
from dagster_project.operations.run import summarise
from dagster_project.publication.release import Failure, ReleaseGraph, dbt_test_failures
from dagster_project.settings import DBT_PROJECT_DIR, SAMPLE_LANDING_DIR, WarehousePaths
from dagster_project.sources.indicatoren import WAARDEN

from .conftest import query, run_nightly, write_csv
from .report_html import parse, rows

MANIFEST = json.loads((DBT_PROJECT_DIR / "target" / "manifest.json").read_text())
GRAPH = ReleaseGraph.from_manifest(MANIFEST)
INDICATOR_MARTS = {"fct_indicatorwaarde", "rpt_indicator_scorecard", "rpt_indicator_streefwaarde_dekking"}
FINANCE_MARTS = {"fct_financien", "rpt_financien_doelstelling", "rpt_programma_totalen", "rpt_financien_aansluiting"}
HEADER = ("gemeente_code", "indicator_code", "jaar", "waardetype", "waarde", "teller", "noemer", "peildatum",
          "bron_document")


def uid(name: str) -> str:
    return next(uid for uid, node in {**MANIFEST["nodes"], **MANIFEST["sources"]}.items()
                if node["name"] == name and node["resource_type"] != "test")


# --- the graph --------------------------------------------------------------------------------

def test_a_failed_indicator_check_holds_back_only_the_indicator_marts():
    held = GRAPH.hold_back([Failure(uid("fct_indicatorwaarde"), "a_check", "it failed")])
    assert set(held) == INDICATOR_MARTS
    # The calendar follows the years of the accepted deliveries, so it is built from every source's
    # staging model: a failure there keeps the calendar at its last good release (which still has
    # every year it had), and nothing of another domain.
    held = GRAPH.hold_back([Failure(uid("stg_indicatoren__waarden"), "a_check", "it failed")])
    assert set(held) == INDICATOR_MARTS | {"dim_jaar"}
    assert not FINANCE_MARTS & set(held)
    held = GRAPH.hold_back([Failure(uid("rpt_indicator_scorecard"), "gx_rpt_indicator_scorecard", "it failed")])
    assert held == {"rpt_indicator_scorecard": "it failed",
                    "rpt_indicator_streefwaarde_dekking": "built from rpt_indicator_scorecard: it failed"}


def test_a_failed_check_on_shared_reference_data_holds_back_everything_built_from_it():
    held = GRAPH.hold_back([Failure(uid("doelstellingen"), "unique_doelstellingen", "duplicate goal")])
    assert FINANCE_MARTS | INDICATOR_MARTS | {"dim_doelstelling"} <= set(held)
    assert not {"fct_enquete_respondent", "rpt_enquete_resultaat", "dim_gemeente"} & set(held)


def test_the_relationships_between_marts_come_from_the_dbt_tests():
    pairs = {(r.child, r.column, r.parent) for r in GRAPH.relationships}
    assert {("fct_financien", "doelstelling_key", "dim_doelstelling"),
            ("fct_indicatorwaarde", "jaar", "dim_jaar"),
            ("rpt_indicator_streefwaarde_dekking", "indicator_code", "dim_indicator")} <= pairs
    assert all(r.child in GRAPH.marts and r.parent in GRAPH.marts for r in GRAPH.relationships)


def test_a_failed_dbt_test_judges_the_model_it_is_attached_to():
    test = next(n for n in MANIFEST["nodes"].values() if n["resource_type"] == "test"
                and n.get("attached_node") == uid("fct_indicatorwaarde") and n["column_name"] == "jaar"
                and n["test_metadata"]["name"] == "foreign_key")
    results = {"results": [{"unique_id": test["unique_id"], "status": "fail", "failures": 2, "message": "Got 2"},
                           {"unique_id": uid("fct_financien"), "status": "success", "failures": None}]}
    assert dbt_test_failures(results, MANIFEST) == [
        Failure(uid("fct_indicatorwaarde"), test["name"], f"dbt test {test['name']} failed on 2 row(s)")]


# --- end to end -------------------------------------------------------------------------------

def indicator(indicator_code: str, jaar: int, waardetype: str, waarde: str, peildatum: str = "27-01-2024") -> dict:
    return dict(gemeente_code="GM0637", indicator_code=indicator_code, jaar=str(jaar), waardetype=waardetype,
                waarde=waarde, teller="", noemer="", peildatum=peildatum, bron_document="test")


def deliver_ledger(paths: WarehousePaths, year: int) -> None:
    name = f"financien_GM0637_{year}_rekening.csv"
    shutil.copy(SAMPLE_LANDING_DIR / "financien" / "grootboek" / name, paths.landing_dir / "financien" / "grootboek")


def deliver_indicators(paths: WarehousePaths, name: str, *lines: dict) -> None:
    write_csv(paths.landing_dir / "indicatoren" / "waarden" / name, list(lines), header=HEADER)


def marts(paths: WarehousePaths) -> dict[str, tuple]:
    return {m: (status, reason, run_id) for m, status, reason, run_id in query(
        paths.published_db, "SELECT mart, status, reden, run_id FROM publicatie_mart")}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> WarehousePaths:
    root = tmp_path_factory.mktemp("release")
    (root / "landing" / "financien" / "grootboek").mkdir(parents=True)
    return WarehousePaths(root / "landing", root / "warehouse", root / "warehouse" / "marts.duckdb")


@pytest.fixture(scope="module")
def partial_indicators(warehouse):
    """The finance of 2021 and a partial indicator file: realisaties, and targets for 2025 and 2026 only."""
    deliver_ledger(warehouse, 2021)
    deliver_indicators(warehouse, "indicatoren_GM0637_2025.csv",
                       *(indicator("JH_UNIEK", year, "realisatie", value)
                         for year, value in ((2019, "4.512"), (2020, "4.437"), (2021, "4.548"))),
                       indicator("JH_UNIEK", 2025, "begroting", "4.900"),
                       indicator("JH_UNIEK", 2026, "begroting", "4.800"))
    return run_nightly(warehouse)


@pytest.fixture(scope="module")
def failing_indicator(warehouse, partial_indicators):
    """Then the finance of 2022 and an indicator value that fails a blocking check of fct_indicatorwaarde:
    a percentage of 150 that got past the loader (written straight into raw, as a loader defect would;
    a delivery with it, or with a year beyond the calendar, is quarantined at load)."""
    deliver_ledger(warehouse, 2022)
    deliver_indicators(warehouse, "indicatoren_GM0637_correctie.csv",
                       indicator("JH_UNIEK", 2022, "realisatie", "4.600"))
    load_source(WAARDEN, warehouse)
    with connect(warehouse.build_db) as con:
        [(load_id,)] = con.execute("SELECT max(load_id) FROM raw.load_log WHERE source = ?",
                                   [WAARDEN.source]).fetchall()
        con.execute(f"INSERT INTO {WAARDEN.raw_table} VALUES ({load_id}, 'x.csv', 3, now(), 'GM0637', 'JH_3JAAR', "
                    "2021, 'realisatie', 150, NULL, NULL, DATE '2022-01-27', 'test')")
    return run_nightly(warehouse)


def test_missing_targets_warn_and_never_hold_the_release_back(warehouse, partial_indicators):
    result = partial_indicators
    assert result.success
    assert {status for status, _, _ in marts(warehouse).values()} == {"fresh"}
    missing = query(warehouse.published_db,
                    "SELECT jaar, reden FROM rpt_indicator_streefwaarde_dekking "
                    "WHERE indicator_code = 'JH_UNIEK' AND NOT is_streefwaarde_aanwezig ORDER BY 1")
    assert missing == [(2027, "Programmabegroting 2025 (PB 2025)"), (2028, "Programmabegroting 2025 (PB 2025)")]
    [check] = [e.event_specific_data for e in result.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION"
               and e.event_specific_data.check_name == "gx_rpt_indicator_streefwaarde_dekking"]
    assert not check.passed and check.severity.value == "WARN"
    assert "A target for every year a budget covers" in check.metadata["warnings"].value
    text, ok = summarise(result, warehouse)
    assert ok
    assert "WARN  marts/rpt_indicator_streefwaarde_dekking: gx_rpt_indicator_streefwaarde_dekking" in text
    # The report's verantwoording lists them.
    page = parse(warehouse.report_dir / "verantwoording.html")
    jeugdigen = [r for r in rows(page.find("table", id="ontbrekende-streefwaarden"))
                 if r[1].startswith("Aantal unieke jeugdigen 0-23 jaar")]
    assert [(r[0], r[2], r[3]) for r in jeugdigen] == [("GM0637", year, "Programmabegroting 2025 (PB 2025)")
                                                       for year in ("2027", "2028")]


def test_a_failing_indicator_value_holds_back_the_indicator_marts_and_finance_still_updates(
        warehouse, partial_indicators, failing_indicator):
    result = failing_indicator
    assert result.success
    assert query(warehouse.published_db, "SELECT DISTINCT jaar FROM fct_financien ORDER BY 1") == [(2021,), (2022,)]
    published = marts(warehouse)
    fresh = {m for m, (status, _, run_id) in published.items() if status == "fresh" and run_id == result.run_id}
    unchanged = {m for m, (status, _, run_id) in published.items()
                 if status == "unchanged" and run_id == partial_indicators.run_id}
    assert fresh | unchanged == set(GRAPH.marts) - INDICATOR_MARTS and fresh >= FINANCE_MARTS
    status, reason, run_id = published["fct_indicatorwaarde"]
    assert (status, run_id) == ("held back", partial_indicators.run_id)
    assert reason.startswith("Great Expectations suite fct_indicatorwaarde failed: Percentages lie in [0, 100]")
    assert published["rpt_indicator_scorecard"] == (
        "held back", f"built from fct_indicatorwaarde: {reason}", partial_indicators.run_id)
    # The held-back marts are the last good release, in the same file and in Parquet.
    assert query(warehouse.published_db, "SELECT max(jaar), count(*) FROM fct_indicatorwaarde") == [(2026, 5)]
    parquet = warehouse.published_db.parent / "parquet" / "fct_indicatorwaarde.parquet"
    assert query(warehouse.published_db, f"SELECT max(jaar), count(*) FROM '{parquet}'") == [(2026, 5)]
    assert query(warehouse.published_db, "SELECT run_id, is_volledig FROM publicatie") == [(result.run_id, False)]
    text, ok = summarise(result, warehouse)
    assert not ok
    assert "3 marts not fresh" in text
    assert (f"fct_indicatorwaarde                 5 rows  held back at run {partial_indicators.run_id}: "
            "Great Expectations suite fct_indicatorwaarde failed") in text
    # The report is rebuilt on the new release, and its verantwoording says what was held back and why.
    page = parse(warehouse.report_dir / "verantwoording.html")
    held = {r[0]: r for r in rows(page.find("table", id="marts")) if r[2] not in ("bijgewerkt", "ongewijzigd")}
    assert set(held) == INDICATOR_MARTS
    assert held["fct_indicatorwaarde"][2:4] == ["vastgehouden", partial_indicators.run_id[:8]]
    assert held["fct_indicatorwaarde"][5] == reason


def test_a_first_run_publishes_what_passed_and_says_what_is_missing(tmp_path):
    paths = WarehousePaths(tmp_path / "landing", tmp_path / "warehouse", tmp_path / "warehouse" / "marts.duckdb")
    (paths.landing_dir / "financien" / "grootboek").mkdir(parents=True)
    deliver_ledger(paths, 2021)
    # A percentage of 150 that got past the loader's contract (written straight into raw, as a loader
    # defect would): the blocking suite on fct_indicatorwaarde catches it.
    with connect(paths.build_db) as con:
        ensure_tables(con, WAARDEN)
        con.execute(f"INSERT INTO {WAARDEN.raw_table} VALUES (1, 'x.csv', 2, now(), 'GM0637', 'JH_3JAAR', 2021, "
                    "'realisatie', 150, NULL, NULL, DATE '2022-01-27', 'test')")
    result = run_nightly(paths)
    assert result.success
    published = marts(paths)
    status, reason, run_id = published["fct_indicatorwaarde"]
    assert (status, run_id) == ("missing", None)
    assert reason.startswith("Great Expectations suite fct_indicatorwaarde failed: Percentages lie in [0, 100] "
                             "(1 row(s), e.g. 150")
    assert {m for m, (status, _, _) in published.items() if status == "missing"} == INDICATOR_MARTS
    assert {m for m, (status, _, _) in published.items() if status == "fresh"} == set(GRAPH.marts) - INDICATOR_MARTS
    tables = {t for (t,) in query(paths.published_db, "SELECT table_name FROM duckdb_tables()")}
    assert not tables & INDICATOR_MARTS
    assert query(paths.published_db, "SELECT sum(bedrag) FROM fct_financien") == [(Decimal("-107608353.47"),)]
