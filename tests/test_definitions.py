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
            "registraties_jeugdhulp", "registraties_wmo", "reference/doelstellingen",
            "staging/stg_finance__ledger_lines", "marts/fct_financien", "marts/rpt_financien_doelstelling",
            "published_marts"} <= keys


def test_publish_depends_on_every_mart():
    graph = defs.resolve_asset_graph()
    marts = {k for k in graph.get_all_asset_keys() if k.path[0] == "marts"}
    assert len(marts) == 31
    assert graph.get(AssetKey("published_marts")).parent_keys == marts


def test_mart_checks_are_blocking():
    graph = defs.resolve_asset_graph()
    gx_checks = [k for k in graph.asset_check_keys if k.name.startswith("gx_")]
    assert len(gx_checks) == 12
    assert all(graph.get_check_spec(k).blocking for k in gx_checks)
    # The BSN scan hangs on every mart and blocks publishing.
    marts = {k for k in graph.get_all_asset_keys() if k.path[0] == "marts"}
    bsn_checks = [k for k in graph.asset_check_keys if k.name == "geen_bsn"]
    assert {k.asset_key for k in bsn_checks} == marts
    assert all(graph.get_check_spec(k).blocking for k in bsn_checks)


def test_nightly_schedule_runs_at_two_in_amsterdam():
    schedule = defs.resolve_schedule_def("nightly_schedule")
    assert (schedule.cron_schedule, schedule.execution_timezone, schedule.job_name) == (
        "0 2 * * *", "Europe/Amsterdam", "nightly")


def test_sensor_starts_a_run_only_when_deliveries_change(paths, ledger_dir):
    warehouse = WarehouseResource(landing_dir=str(paths.landing_dir), warehouse_dir=str(paths.warehouse_dir),
                                  published_db=str(paths.published_db))
    write_csv(ledger_dir / "a.csv", [ledger_line()])
    context = build_sensor_context(resources={"warehouse": warehouse})
    first = new_deliveries(context)
    assert isinstance(first, RunRequest)

    context = build_sensor_context(cursor=context.cursor, resources={"warehouse": warehouse})
    assert isinstance(new_deliveries(context), SkipReason)

    write_csv(ledger_dir / "b.csv", [ledger_line(jaar="2020")])
    context = build_sensor_context(cursor=context.cursor, resources={"warehouse": warehouse})
    second = new_deliveries(context)
    assert isinstance(second, RunRequest) and second.run_key != first.run_key
