"""The Dagster code location: one graph, the nightly schedule, the delivery sensor."""

from __future__ import annotations

from dagster import AssetKey, RunRequest, SkipReason, build_sensor_context

from dagster_project.definitions import defs
from dagster_project.defs.automation import new_deliveries
from dagster_project.defs.resources import WarehouseResource

from .conftest import ledger_line, write_csv


def test_the_whole_graph_is_one_job():
    job = defs.resolve_job_def("nightly")
    keys = {key.to_user_string() for key in job.asset_layer.selected_asset_keys}
    assert {"finance_ledger", "finance_municipal_totals", "indicator_values", "survey_satisfaction", "survey_ceo",
            "reference/doelstellingen",
            "staging/stg_finance__ledger_lines", "marts/fct_financien", "marts/rpt_financien_doelstelling",
            "published_marts"} <= keys


def test_publish_depends_on_every_mart_and_their_validation():
    graph = defs.resolve_asset_graph()
    marts = {k for k in graph.get_all_asset_keys() if k.path[0] == "marts"}
    assert len(marts) == 26
    assert graph.get(AssetKey("validation_results")).parent_keys == marts
    assert graph.get(AssetKey("published_marts")).parent_keys == marts | {AssetKey("validation_results")}


def test_no_check_stops_the_run():
    """A failed check holds back the marts it judged in the publish step; it never stops the run."""
    graph = defs.resolve_asset_graph()
    gx_checks = [k for k in graph.asset_check_keys if k.name.startswith("gx_")]
    assert len(gx_checks) == 10 and all(k.asset_key.path[0] == "marts" for k in gx_checks)
    assert [k for k in graph.asset_check_keys if graph.get_check_spec(k).blocking] == []


def test_nightly_schedule_runs_at_two_in_amsterdam():
    schedule = defs.resolve_schedule_def("nightly_schedule")
    assert (schedule.cron_schedule, schedule.execution_timezone, schedule.job_name) == (
        "0 2 * * *", "Europe/Amsterdam", "nightly")


def test_sensor_starts_a_run_only_when_deliveries_change(paths, ledger_dir):
    warehouse = WarehouseResource(landing_dir=str(paths.landing_dir), warehouse_dir=str(paths.warehouse_dir),
                                  published_db=str(paths.published_db))

    def evaluate(cursor=None):
        # The resource has a run lifecycle (the warehouse lock), so the context is opened as a context manager;
        # a sensor evaluation never takes the lock.
        with build_sensor_context(cursor=cursor, resources={"warehouse": warehouse}) as context:
            return new_deliveries(context), context.cursor

    write_csv(ledger_dir / "a.csv", [ledger_line()])
    first, cursor = evaluate()
    assert isinstance(first, RunRequest)
    assert not paths.lock_file.exists()

    unchanged, cursor = evaluate(cursor)
    assert isinstance(unchanged, SkipReason)

    write_csv(ledger_dir / "b.csv", [ledger_line(jaar="2020")])
    second, cursor = evaluate(cursor)
    assert isinstance(second, RunRequest) and second.run_key != first.run_key
