"""The Dagster code location: one graph made from the registry of sources, the
nightly schedule, the delivery sensor. The graph is compared with a snapshot."""

from __future__ import annotations

import os
from pathlib import Path

from dagster import AssetKey, RunRequest, SkipReason, build_sensor_context

from dagster_project.definitions import defs
from dagster_project.defs.automation import new_deliveries
from dagster_project.defs.resources import WarehouseResource

from .conftest import ledger_line, write_csv

SNAPSHOT = Path(__file__).parent / "snapshots" / "asset_graph.txt"


def asset_graph_text(definitions=defs) -> str:
    """Every asset with its upstream assets and its checks (blocking marked), sorted."""
    graph = definitions.resolve_asset_graph()
    lines = []
    for key in sorted(graph.get_all_asset_keys(), key=lambda k: k.to_user_string()):
        node = graph.get(key)
        parents = ", ".join(sorted(p.to_user_string() for p in node.parent_keys))
        lines.append(f"{key.to_user_string()} <- [{parents}]")
        for check in sorted(node.check_keys, key=lambda c: c.name):
            blocking = " (blocking)" if graph.get_check_spec(check).blocking else ""
            lines.append(f"  check {check.name}{blocking}")
    return "\n".join(lines) + "\n"


def test_asset_graph_matches_the_snapshot():
    """A change to the graph (a new source, model, check or dependency) shows as a diff of
    tests/snapshots/asset_graph.txt; regenerate it with UPDATE_SNAPSHOTS=1 and review the diff."""
    text = asset_graph_text()
    if os.environ.get("UPDATE_SNAPSHOTS"):
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(text)
    assert text == SNAPSHOT.read_text()


def test_publish_depends_on_every_mart_and_their_validation():
    graph = defs.resolve_asset_graph()
    marts = {k for k in graph.get_all_asset_keys() if k.path[0] == "marts"}
    assert marts and graph.get(AssetKey("validation_results")).parent_keys == marts
    assert graph.get(AssetKey("published_marts")).parent_keys == marts | {AssetKey("validation_results")}


def test_no_check_stops_the_run():
    """A failed check holds back the marts it judged in the publish step; it never stops the run."""
    graph = defs.resolve_asset_graph()
    gx_checks = [k for k in graph.asset_check_keys if k.name.startswith("gx_")]
    assert gx_checks and all(k.asset_key.path[0] == "marts" for k in gx_checks)
    assert [k for k in graph.asset_check_keys if graph.get_check_spec(k).blocking] == []


def test_every_mart_has_the_bsn_scan():
    graph = defs.resolve_asset_graph()
    marts = {k for k in graph.get_all_asset_keys() if k.path[0] == "marts"}
    bsn_checks = [k for k in graph.asset_check_keys if k.name == "geen_bsn"]
    assert {k.asset_key for k in bsn_checks} == marts


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


def test_sensor_starts_no_run_for_files_the_load_log_knows(paths, ledger_dir):
    from dagster_project.ingest.loading import load_source
    from dagster_project.publication.files import publish_loads
    from dagster_project.sources.financien import GROOTBOEK

    warehouse = WarehouseResource(landing_dir=str(paths.landing_dir), warehouse_dir=str(paths.warehouse_dir),
                                  published_db=str(paths.published_db))
    write_csv(ledger_dir / "a.csv", [ledger_line()])
    load_source(GROOTBOEK, paths)
    publish_loads(paths.build_db, paths.loads_db)
    # A fresh instance (`make dev`): the first tick has no cursor, and nothing is new.
    with build_sensor_context(resources={"warehouse": warehouse}) as context:
        assert isinstance(new_deliveries(context), SkipReason)
    # The same content written again (a new modification time) is not new either.
    write_csv(ledger_dir / "a.csv", [ledger_line()])
    with build_sensor_context(cursor=context.cursor, resources={"warehouse": warehouse}) as context:
        assert isinstance(new_deliveries(context), SkipReason)

    write_csv(ledger_dir / "a.csv", [ledger_line(bedrag="-1,00")])
    with build_sensor_context(cursor=context.cursor, resources={"warehouse": warehouse}) as context:
        request = new_deliveries(context)
    assert isinstance(request, RunRequest) and request.tags["new_files"] == "1"
