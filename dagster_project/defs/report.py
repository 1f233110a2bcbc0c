"""The programme report: a static site built from the published marts after every publish."""

from dagster import AssetExecutionContext, MaterializeResult, MetadataValue, asset

from ..report import build_report
from ..settings import report_gemeenten
from .publish import published_marts
from .resources import WarehouseResource


@asset(
    deps=[published_marts],
    group_name="publish",
    kinds={"html"},
    description="The P&C chapter per programme (goals, indicator tables, trend charts, finance, survey results) "
                "as a static site, from the published marts only; swapped in atomically.",
)
def programma_rapport(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    paths = warehouse.paths()
    report = build_report(paths.published_db, paths.loads_db, paths.report_dir, report_gemeenten())
    context.log.info(f"report of {report.pages} pages and {report.charts} charts at {report.index}")
    return MaterializeResult(metadata={
        "path": MetadataValue.path(str(report.index)),
        "pages": report.pages,
        "charts": report.charts,
        "publicatie_run_id": report.publicatie.run_id or "",
    })


ASSETS = [programma_rapport]
