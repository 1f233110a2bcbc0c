"""The one Definitions object of the warehouse."""

from dagster import Definitions, in_process_executor

from .defs import automation, checks, dbt, finance, indicators, publish, registraties, surveys
from .defs.resources import RESOURCES

defs = Definitions(
    assets=[*finance.ASSETS, *indicators.ASSETS, *surveys.ASSETS, *registraties.ASSETS, *dbt.ASSETS,
            *publish.ASSETS],
    asset_checks=checks.CHECKS,
    jobs=automation.JOBS,
    schedules=automation.SCHEDULES,
    sensors=automation.SENSORS,
    resources=RESOURCES,
    # One DuckDB build file takes one writer at a time: run steps one after another.
    executor=in_process_executor,
)
