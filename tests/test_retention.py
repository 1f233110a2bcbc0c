"""Retention: the housekeeping job removes run folders, Great Expectations' results and data
docs pages, quarantine copies and Dagster runs older than their settings, and keeps the newer
ones and every run the published release names."""

from __future__ import annotations

import os
import shutil
import sqlite3
import time

import duckdb
from dagster import AssetCheckKey, AssetCheckResult, DagsterInstance, asset, asset_check, job, materialize, op

from dagster_project.definitions import defs
from dagster_project.operations.run import run_config
from dagster_project.settings import REPO_ROOT

DAY = 86400


@asset
def thing():
    return 1


@asset_check(asset=thing)
def thing_is_fine():
    return AssetCheckResult(passed=True)


@op
def step():
    pass


@job
def some_job():
    step()


def _file(path, age_days: float, now: float):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("x")
    os.utime(path, (now - age_days * DAY,) * 2)
    return path


def test_housekeeping_removes_what_is_older_than_the_retention(paths, monkeypatch):
    monkeypatch.setenv("WAREHOUSE_RETENTION_RUN_DAYS", "30")
    monkeypatch.setenv("WAREHOUSE_RETENTION_QUARANTINE_DAYS", "60")
    instance = DagsterInstance.ephemeral()
    published_run, old_run = (some_job.execute_in_process(instance=instance).run_id for _ in range(2))
    # Dagster's runs are as old as their last update: the job runs as if 31 days later.
    now = time.time() + 31 * DAY
    validation = paths.validation_dir
    old = [_file(validation / "run-old" / "dbt_failures.json", 31, now),
           _file(validation / "gx/uncommitted/validations/suite/run-old/result.json", 31, now),
           _file(validation / "gx/uncommitted/data_docs/local_site/validations/suite/run-old/page.html", 31, now),
           _file(paths.quarantine_dir / "3__bad.csv", 61, now)]
    kept = [_file(validation / "run-new" / "dbt_failures.json", 29, now),
            _file(validation / published_run / "dbt_failures.json", 400, now),
            _file(validation / "gx/uncommitted/data_docs/local_site/index.html", 400, now),
            _file(validation / "gx/uncommitted/validations/suite/run-new/result.json", 29, now),
            _file(paths.quarantine_dir / "9__bad.csv", 59, now)]
    for folder, age in (("run-old", 31), ("run-new", 29), (published_run, 400)):  # as old as its making
        os.utime(validation / folder, (now - age * DAY,) * 2)
    paths.published_db.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(paths.published_db)) as con:
        con.execute(f"CREATE TABLE publicatie AS SELECT '{published_run}' AS run_id")
        con.execute("CREATE TABLE publicatie_mart AS SELECT 'fct_x' AS mart, NULL::VARCHAR AS run_id")

    monkeypatch.setattr("dagster_project.operations.retention.time.time", lambda: now)
    result = defs.resolve_job_def("housekeeping").execute_in_process(instance=instance, run_config=run_config(paths))
    assert result.success
    assert [p for p in old if p.exists()] == [] and not (validation / "run-old").exists()
    assert not (validation / "gx/uncommitted/validations/suite/run-old").exists()
    assert [p for p in kept if not p.exists()] == []
    remaining = {r.run_id for r in instance.get_runs()}
    assert published_run in remaining and old_run not in remaining


def _run_files(home, run_id: str) -> list:
    """A run's event log file and its captured logs in $DAGSTER_HOME."""
    return [home / "history" / "runs" / f"{run_id}.db", home / "storage" / run_id]


def test_a_removed_run_leaves_nothing_in_dagster_home(paths, tmp_path, monkeypatch):
    """Dagster's delete_run keeps a run's check results, its captured logs and its emptied SQLite event
    log file (megabytes a night together): the retention removes them with the run, and keeps those
    of newer runs."""
    home = tmp_path / "dagster"
    home.mkdir()
    shutil.copy(REPO_ROOT / "deploy" / "dagster.yaml", home)
    with DagsterInstance.from_config(str(home)) as instance:
        old_run, new_run = (materialize([thing, thing_is_fine], instance=instance).run_id for _ in range(2))
        assert all(p.exists() for p in _run_files(home, old_run))
        with sqlite3.connect(home / "history" / "runs.db") as con:  # the old run last updated 31 days ago
            con.execute("UPDATE runs SET update_timestamp = strftime('%Y-%m-%d %H:%M:%f', update_timestamp, "
                        "'-31 days') WHERE run_id = ?", (old_run,))
        monkeypatch.setenv("WAREHOUSE_RETENTION_RUN_DAYS", "30")
        result = defs.resolve_job_def("housekeeping").execute_in_process(instance=instance,
                                                                         run_config=run_config(paths))
        assert result.success
        assert [p for p in _run_files(home, old_run) if p.exists()] == []
        assert [p for p in _run_files(home, new_run) if not p.exists()] == []
        assert {r.run_id for r in instance.get_runs()} == {new_run, result.run_id}
        checks = instance.event_log_storage.get_asset_check_execution_history(
            AssetCheckKey(thing.key, "thing_is_fine"), limit=10)
        assert [c.run_id for c in checks] == [new_run]
