"""The nightly job, its schedule, and a sensor that starts it when new files land."""

import hashlib

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


def landing_fingerprint(warehouse: WarehouseResource, contracts=CONTRACTS) -> tuple[str, int]:
    """A hash over name, size and modification time of every delivery file that is no longer
    being written (a file still being written starts a run once it has settled)."""
    landing = warehouse.paths().landing_dir
    entries = sorted(
        f"{entry.path.relative_to(landing)}|{stat.st_size}|{stat.st_mtime_ns}"
        for contract in contracts
        if (landing / contract.folder).is_dir()
        for entry in settled_files(landing / contract.folder)
        if (stat := entry.path.stat(follow_symlinks=False))
    )
    return hashlib.sha256("\n".join(entries).encode()).hexdigest(), len(entries)


def delivery_sensor(contracts=CONTRACTS):
    """A sensor that watches the landing folders of `contracts`."""

    @sensor(name="new_deliveries", job=nightly_job, minimum_interval_seconds=300,
            default_status=DefaultSensorStatus.RUNNING)
    def new_deliveries(context: SensorEvaluationContext, warehouse: WarehouseResource):
        """Starts the nightly job when files in the landing directory were added or changed."""
        fingerprint, files = landing_fingerprint(warehouse, contracts)
        if fingerprint == context.cursor:
            return SkipReason(f"no new or changed files among {files} in the landing directory")
        context.update_cursor(fingerprint)
        return RunRequest(run_key=fingerprint, tags={"trigger": "new_deliveries"})

    return new_deliveries


new_deliveries = delivery_sensor()

JOBS = [nightly_job]
SCHEDULES = [nightly_schedule]
