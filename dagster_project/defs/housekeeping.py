"""The housekeeping job: the retention of run history, validation results, data docs and
quarantine copies (operations/retention.py), daily after the nightly."""

from dagster import DefaultScheduleStatus, OpExecutionContext, ScheduleDefinition, job, op

from ..operations.retention import Retention, prune
from .resources import WarehouseResource


@op(description="Removes what is older than the retention settings (WAREHOUSE_RETENTION_*).")
def apply_retention(context: OpExecutionContext, warehouse: WarehouseResource) -> None:
    retention = Retention.from_env()
    removed = prune(warehouse.paths(), context.instance, retention)
    context.log.info(f"retention ({retention.run_days} days for runs, {retention.quarantine_days} for quarantine "
                     f"copies): removed {removed['files']} files or folders and {removed['runs']} Dagster runs")


@job(description="Retention of run history, validation results, data docs and quarantine copies.")
def housekeeping():
    apply_retention()


housekeeping_schedule = ScheduleDefinition(
    job=housekeeping,
    cron_schedule="30 6 * * *",
    execution_timezone="Europe/Amsterdam",
    default_status=DefaultScheduleStatus.RUNNING,
)
