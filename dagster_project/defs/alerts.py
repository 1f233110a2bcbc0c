"""Run-status sensors of the daemon that send an alert (operations/alerts.py) when a nightly run failed,
held marts back or quarantined a file."""

from dagster import (
    DagsterRunStatus,
    DefaultSensorStatus,
    RunStatusSensorContext,
    SkipReason,
    run_status_sensor,
)

from ..operations.alerts import AlertSettings, run_alert, send
from .automation import nightly_job
from .resources import WarehouseResource


def _run_paths(context: RunStatusSensorContext, warehouse: WarehouseResource):
    """The folders the run worked on: the resource's, with the run's own config over them."""
    config = (context.dagster_run.run_config.get("resources") or {}).get("warehouse", {}).get("config") or {}
    return warehouse.model_copy(update=config).paths()


def alert(context: RunStatusSensorContext, warehouse: WarehouseResource):
    settings = AlertSettings.from_env()
    if not (settings.email or settings.webhook_url):
        return SkipReason("no alert configured (WAREHOUSE_ALERT_SMTP_HOST with WAREHOUSE_ALERT_TO, "
                          "or WAREHOUSE_ALERT_WEBHOOK_URL)")
    message = run_alert(context.instance, context.dagster_run, _run_paths(context, warehouse), settings.dagster_url)
    if message is None:
        return SkipReason(f"run {context.dagster_run.run_id} needs nobody: it succeeded, held no mart back and "
                          "quarantined no file")
    sent = send(message, settings)
    context.log.info(f"alert for run {context.dagster_run.run_id} sent by {' and '.join(sent)}: {message.subject}")
    return None


def _sensor(name: str, status: DagsterRunStatus):
    @run_status_sensor(name=name, run_status=status, monitored_jobs=[nightly_job],
                       default_status=DefaultSensorStatus.RUNNING,
                       description=f"Sends an alert when a nightly run ends with {status.value} and needs a person.")
    def _alert(context: RunStatusSensorContext, warehouse: WarehouseResource):
        return alert(context, warehouse)

    return _alert


SENSORS = [_sensor("alert_on_failure", DagsterRunStatus.FAILURE),
           _sensor("alert_on_success", DagsterRunStatus.SUCCESS)]
