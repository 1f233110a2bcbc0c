"""Scope rules: a delivery may only change what it is about (ingest/scope.py,
docs/sources.md "Scope of a delivery"). A file that reaches beyond its plausible
scope is quarantined at load with a reason that names the rule and the limit."""

from __future__ import annotations

from datetime import date

import pytest

from dagster_project.ingest import scope
from dagster_project.ingest.loading import load_source
from dagster_project.sources import CONTRACTS
from dagster_project.sources.financien import GROOTBOEK
from dagster_project.sources.indicatoren import WAARDEN
from dagster_project.sources.registraties import JEUGDHULP

from .conftest import ledger_line, quarantine, query, run_nightly, write_csv
from .registraties_cases import HEADER, jeugdhulp_dir, traject
from .test_hostile import INDICATOR_HEADER, indicator_line

LOAD_DAY = date(2026, 12, 6)


@pytest.fixture(autouse=True)
def load_day(monkeypatch):
    """The scope limits are relative to the day of the load: fixed, so that the tests do not age."""
    monkeypatch.setattr(scope, "load_date", lambda: LOAD_DAY)


def test_every_source_has_a_scope_rule_and_each_rule_a_source():
    covered = {rule.name for contract in CONTRACTS for rule in scope.scope_rules(contract)}
    assert covered == {rule.name for rule in scope.RULES}
    assert all(scope.scope_rules(contract) for contract in CONTRACTS)


def test_the_calendar_horizon_is_the_same_in_the_loader_and_in_dbt():
    import yaml

    from dagster_project.settings import DBT_PROJECT_DIR

    project = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text())
    assert project["vars"]["jaren_vooruit"] == scope.CALENDAR_YEARS_AHEAD


def future_budget(jaar: str) -> dict:
    return ledger_line(jaar=jaar, fase="begroting primitief", taakveld_code="6.72b")


def test_a_ledger_beyond_the_calendar_is_quarantined_with_the_rule_and_the_limit(paths, ledger_dir):
    write_csv(ledger_dir / "financien_2031.csv", [future_budget("2031")])
    write_csv(ledger_dir / "financien_2030.csv", [future_budget("2030")])
    report = load_source(GROOTBOEK, paths)
    assert [(f.file_name, f.status) for f in report.files] == [
        ("financien_2030.csv", "loaded"), ("financien_2031.csv", "quarantined")]
    assert quarantine(paths) == [(2, "jaar", "2031", 'scope rule "beyond the calendar": year 2031 lies after 2030, '
                                                     "the last year of the calendar (the load year 2026 + 4)")]
    assert query(paths.build_db, "SELECT expected FROM raw.quarantine") == [("a year from 1990 to 2030",)]


def test_a_rekening_for_a_year_that_has_not_begun_is_quarantined(paths, ledger_dir):
    write_csv(ledger_dir / "financien_2027_rekening.csv", [ledger_line(jaar="2027")])
    [outcome] = load_source(GROOTBOEK, paths).files
    assert outcome.status == "quarantined"
    assert outcome.first_problem == ('scope rule "rekening ahead of its year": a rekening for 2027, a year that has '
                                     "not begun on 06-12-2026 (the day of the load)")


def test_a_realisatie_for_a_later_year_is_quarantined_a_begroting_is_not(paths):
    folder = paths.landing_dir / "indicatoren" / "waarden"
    write_csv(folder / "waarden.csv", [
        indicator_line(jaar="2027", waardetype="begroting"),
        indicator_line(jaar="2027", waardetype="realisatie", peildatum="01-12-2026"),
    ], header=INDICATOR_HEADER)
    [outcome] = load_source(WAARDEN, paths).files
    assert outcome.status == "quarantined"
    assert [(row, column, value) for row, column, value, _ in quarantine(paths)] == [(3, "jaar", "2027 realisatie")]


def test_an_export_for_a_future_period_is_quarantined_once_per_gemeente(paths):
    """The issue's case: one jeugdhulp export for a 2027 period would, by the day-by-day replacement,
    end every running trajectory of the earlier exports. It never loads."""
    earlier = traject("RUNNING", "2021-02-01", "")
    write_csv(jeugdhulp_dir(paths) / "jeugdhulp_2018-2022.csv", [earlier], header=HEADER)
    future = dict(periode_begin="2027-01-01", periode_einde="2027-12-31")
    write_csv(jeugdhulp_dir(paths) / "jeugdhulp_2027.csv", [
        traject("NEW", "2027-01-05", "", **future), traject("NEW-2", "2027-02-01", "", **future)], header=HEADER)
    report = load_source(JEUGDHULP, paths)
    assert [(f.file_name, f.status) for f in report.files] == [
        ("jeugdhulp_2018-2022.csv", "loaded"), ("jeugdhulp_2027.csv", "quarantined")]
    assert quarantine(paths) == [(2, "periode_einde", "2027-12-31",
                                  'scope rule "period ahead of the load": the period of the export for GM0637 ends '
                                  "on 31-12-2027, after 06-12-2026 (the day of the load); it would end every running "
                                  "trajectory of the earlier exports")]
    assert query(paths.build_db, "SELECT client_id FROM raw.registraties_jeugdhulp") == [("RUNNING",)]


def test_an_export_up_to_the_day_of_the_load_is_in_scope(paths):
    write_csv(jeugdhulp_dir(paths) / "jeugdhulp_2026.csv", [
        traject("NOW", "2026-03-01", "", periode_begin="2026-01-01", periode_einde="2026-12-06")], header=HEADER)
    assert [f.status for f in load_source(JEUGDHULP, paths).files] == ["loaded"]


def test_the_calendar_follows_an_accepted_year_beyond_its_horizon(paths, ledger_dir, monkeypatch):
    """A ledger for 2031 accepted on a day when the calendar reached it (here: loaded on a day in
    2027, or before this scope rule existed) keeps every finance mart fresh: dim_jaar runs on to
    2031, so fct_financien never fails its key to the calendar."""
    monkeypatch.setattr(scope, "load_date", lambda: date(2027, 6, 1))
    write_csv(ledger_dir / "financien_2021_rekening.csv", [ledger_line()])
    write_csv(ledger_dir / "financien_2031.csv", [future_budget("2031")])
    result = run_nightly(paths)
    assert result.success
    assert query(paths.build_db, "SELECT count(*) FROM raw.quarantine") == [(0,)]
    assert query(paths.published_db, "SELECT max(jaar) FROM dim_jaar") == [(2031,)]
    assert query(paths.published_db, "SELECT DISTINCT jaar FROM fct_financien ORDER BY jaar") == [(2021,), (2031,)]
    assert query(paths.published_db, "SELECT mart, status FROM publicatie_mart WHERE status <> 'fresh'") == []


def test_a_cbs_figure_for_a_year_that_has_not_begun_is_quarantined(paths):
    from dagster_project.sources.cbs import OBSERVATIES

    from .test_cbs import OBSERVATIONS, write

    write(paths.landing_dir / OBSERVATIES.folder / "82972NED_2025-05-01_Observations.csv", OBSERVATIONS, [
        ["0", "M004521", "None", "4890", "GM0637", "2023JJ00"],
        ["1", "M004521", "None", "4890", "GM0637", f"{LOAD_DAY.year + 1}JJ00"],
    ])
    assert [f.status for f in load_source(OBSERVATIES, paths).files] == ["quarantined"]
    [(row, column, value, reason)] = query(paths.build_db, "SELECT source_row, column_name, value, reason "
                                                          "FROM raw.quarantine")
    assert (row, column, value) == (3, "perioden", f"{LOAD_DAY.year + 1}JJ00")
    assert reason.startswith('scope rule "CBS period ahead of the load"')
