"""Retention: what the warehouse keeps of its runs, so that its disk stops growing apart from
the archive and the data. Removes, when older than its setting:

- Dagster's runs with their event logs (WAREHOUSE_RETENTION_RUN_DAYS), never one the published
  release names (publicatie, publicatie_mart);
- the validation folders of runs and Great Expectations' stored results and data docs pages
  (the same setting);
- the quarantine copies (WAREHOUSE_RETENTION_QUARANTINE_DAYS; the archive keeps the file).

Dagster's delete_run leaves a run's check results, captured logs and (SQLite) event log file: removed too.
dbt's run folders are bounded by number (defs/dbt.py, KEEP_DBT_RUNS); the daemon purges its
own ticks (dagster.yaml, `retention`). The housekeeping job runs this daily (defs/housekeeping.py).
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
from dagster import DagsterInstance, DagsterRunStatus, RunsFilter
from dagster._core.storage.event_log import SqlEventLogStorage, SqliteEventLogStorage
from dagster._core.storage.event_log.schema import AssetCheckExecutionsTable

from ..settings import WarehousePaths

DAY = 86400
FINISHED = [DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED]
# Great Expectations' per-run files under the validation folder.
GX_RUN_FILES = ("gx/uncommitted/validations", "gx/uncommitted/data_docs/local_site/validations")


@dataclass(frozen=True)
class Retention:
    run_days: int = 90
    quarantine_days: int = 365

    @classmethod
    def from_env(cls) -> Retention:
        return cls(int(os.environ.get("WAREHOUSE_RETENTION_RUN_DAYS") or cls.run_days),
                   int(os.environ.get("WAREHOUSE_RETENTION_QUARANTINE_DAYS") or cls.quarantine_days))


def _older(path: Path, cutoff: float) -> bool:
    return path.lstat().st_mtime < cutoff


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _published_runs(published_db: Path) -> set[str]:
    """The runs the published release names: the one that published it, and those of its held-back marts."""
    if not published_db.exists():
        return set()
    with duckdb.connect(str(published_db), read_only=True) as con:
        return {run_id for (run_id,) in con.execute(
            "SELECT run_id FROM publicatie UNION SELECT run_id FROM publicatie_mart").fetchall() if run_id}


def prune_files(paths: WarehousePaths, retention: Retention, now: float, keep_runs: set[str]) -> int:
    """Removes the old run folders, GX results, data docs pages and quarantine copies; returns how many."""
    run_cutoff, quarantine_cutoff = now - retention.run_days * DAY, now - retention.quarantine_days * DAY
    old: list[Path] = []
    if paths.validation_dir.is_dir():
        old += [p for p in paths.validation_dir.iterdir()
                if p.name != "gx" and p.name not in keep_runs and _older(p, run_cutoff)]
        for folder in GX_RUN_FILES:
            old += [p for p in (paths.validation_dir / folder).rglob("*") if p.is_file() and _older(p, run_cutoff)]
    if paths.quarantine_dir.is_dir():
        old += [p for p in paths.quarantine_dir.iterdir() if _older(p, quarantine_cutoff)]
    for path in old:
        _remove(path)
    for folder in GX_RUN_FILES:  # folders emptied above, deepest first
        for directory in sorted((paths.validation_dir / folder).rglob("*"), key=lambda p: -len(p.parts)):
            if directory.is_dir() and not any(directory.iterdir()):
                directory.rmdir()
    return len(old)


def prune_runs(instance: DagsterInstance, retention: Retention, now: float, keep_runs: set[str]) -> int:
    """Deletes the finished Dagster runs (and their event logs) last updated before the cutoff."""
    cutoff = datetime.fromtimestamp(now, UTC) - timedelta(days=retention.run_days)
    records = instance.get_run_records(RunsFilter(statuses=FINISHED, updated_before=cutoff))
    old = [r.dagster_run.run_id for r in records if r.dagster_run.run_id not in keep_runs]
    for run_id in old:
        instance.delete_run(run_id)
        _delete_run_files(instance, run_id)
    return len(old)


def _delete_run_files(instance: DagsterInstance, run_id: str) -> None:
    """What Dagster's delete_run leaves of a run: the results of its checks (a row per check and run,
    hundreds of KB a night), its captured logs (stdout and stderr of the run, dbt's output among them)
    and, on SQLite, its event log file, emptied but not removed."""
    storage = instance.event_log_storage
    if isinstance(storage, SqlEventLogStorage) and storage.has_table(AssetCheckExecutionsTable.name):
        with storage.index_connection() as conn:
            conn.execute(AssetCheckExecutionsTable.delete().where(AssetCheckExecutionsTable.c.run_id == run_id))
    instance.compute_log_manager.delete_logs(prefix=[run_id])
    if isinstance(storage, SqliteEventLogStorage):
        for suffix in ("", "-wal", "-shm"):
            Path(storage.path_for_shard(run_id) + suffix).unlink(missing_ok=True)


def prune(paths: WarehousePaths, instance: DagsterInstance, retention: Retention,
          now: float | None = None) -> dict[str, int]:
    """Applies the retention; returns what was removed."""
    now = time.time() if now is None else now
    keep_runs = _published_runs(paths.published_db)
    return {"files": prune_files(paths, retention, now, keep_runs),
            "runs": prune_runs(instance, retention, now, keep_runs)}
