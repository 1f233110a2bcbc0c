"""The nightly job, its schedule, and a sensor that starts it when new files land."""

import hashlib

import duckdb
from dagster import (
    AssetSelection,
    DefaultScheduleStatus,
    DefaultSensorStatus,
    RunRequest,
    ScheduleDefinition,
    SensorEvaluationContext,
    SkipReason,
    define_asset_job,
    sensor,
)

from ..ingest.loading import settled_files
from ..sources import CONTRACTS
from .resources import WarehouseResource

nightly_job = define_asset_job(
    "nightly",
    selection=AssetSelection.all(),
    description="Load new deliveries, build and test the marts, validate them and publish them.",
)

nightly_schedule = ScheduleDefinition(
    job=nightly_job,
    cron_schedule="0 2 * * *",
    execution_timezone="Europe/Amsterdam",
    default_status=DefaultScheduleStatus.RUNNING,
)


def _landing_files(warehouse: WarehouseResource, contracts):
    """(source, path) of every delivery of `contracts` in the landing directory that is no longer
    being written (a file still being written starts a run once it has settled)."""
    landing = warehouse.paths().landing_dir
    for contract in contracts:
        if (landing / contract.folder).is_dir():
            for entry in settled_files(landing / contract.folder):
                yield contract.source, entry.path


def landing_fingerprint(warehouse: WarehouseResource, contracts=CONTRACTS) -> tuple[str, int]:
    """A hash over name, size and modification time of every settled delivery file."""
    landing = warehouse.paths().landing_dir
    entries = sorted(
        f"{path.relative_to(landing)}|{stat.st_size}|{stat.st_mtime_ns}"
        for _, path in _landing_files(warehouse, contracts)
        if (stat := path.stat(follow_symlinks=False))
    )
    return hashlib.sha256("\n".join(entries).encode()).hexdigest(), len(entries)


def unseen_files(warehouse: WarehouseResource, contracts=CONTRACTS) -> list[str]:
    """Delivery files whose content the load log does not know (loaded or quarantined): what a
    run would load. Read from the published load log, so the build file is never locked."""
    loads_db = warehouse.paths().loads_db
    seen: set[tuple[str, str]] = set()
    if loads_db.exists():
        with duckdb.connect(str(loads_db), read_only=True) as con:
            seen = set(con.execute("SELECT source, content_sha256 FROM load_log").fetchall())
    return [path.name for source, path in _landing_files(warehouse, contracts)
            if path.is_file() and not path.is_symlink() and (source, _sha256(path)) not in seen]


def _sha256(path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def delivery_sensor(contracts=CONTRACTS):
    """A sensor that watches the landing folders of `contracts`."""

    @sensor(name="new_deliveries", job=nightly_job, minimum_interval_seconds=300,
            default_status=DefaultSensorStatus.RUNNING)
    def new_deliveries(context: SensorEvaluationContext, warehouse: WarehouseResource):
        """Starts the nightly job when files in the landing directory were added or changed and
        the load log does not know their content. On the first tick (no cursor yet) that means:
        no run when everything delivered was loaded before."""
        fingerprint, files = landing_fingerprint(warehouse, contracts)
        if fingerprint == context.cursor:
            return SkipReason(f"no new or changed files among {files} in the landing directory")
        context.update_cursor(fingerprint)
        unseen = unseen_files(warehouse, contracts)
        if not unseen:
            return SkipReason(f"the load log has the content of all {files} files in the landing directory")
        return RunRequest(run_key=fingerprint, tags={"trigger": "new_deliveries", "new_files": str(len(unseen))})

    return new_deliveries


new_deliveries = delivery_sensor()

JOBS = [nightly_job]
SCHEDULES = [nightly_schedule]
