"""The one Definitions object of the warehouse, made from the registry of sources."""

from dagster import Definitions, in_process_executor

from .defs import alerts, automation, checks, dbt, housekeeping, publish, report, sources
from .defs.resources import RESOURCES
from .sources import CONTRACTS


def build_definitions(contracts=CONTRACTS) -> Definitions:
    """The assets, checks, jobs (nightly, housekeeping), schedules and sensors (new deliveries, alerts) for
    the sources in `contracts`."""
    return Definitions(
        assets=[*sources.source_assets(contracts), *dbt.ASSETS, *checks.ASSETS, *publish.ASSETS, *report.ASSETS],
        jobs=[*automation.JOBS, housekeeping.housekeeping],
        schedules=[*automation.SCHEDULES, housekeeping.housekeeping_schedule],
        sensors=[automation.delivery_sensor(contracts), *alerts.SENSORS],
        resources=RESOURCES,
        # One DuckDB build file takes one writer at a time: run steps one after another.
        executor=in_process_executor,
    )


defs = build_definitions()
