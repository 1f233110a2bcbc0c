"""The programme report: a static site built from the published marts whenever it does not
hold the release of the published file (a new release, or a report that is missing or was
left behind by a killed or failed build)."""

from dagster import AssetExecutionContext, MaterializeResult, MetadataValue, asset

from ..publication.targets import file_release, report_release
from ..report import build_report
from ..settings import report_gemeenten
from .publish import published_marts
from .resources import WarehouseResource


@asset(
    deps=[published_marts],
    group_name="publish",
    kinds={"html"},
    output_required=False,
    description="The P&C chapter per programme (goals, indicator tables, trend charts, finance, survey results) "
                "as a static site, from the published marts only; swapped in atomically, and built whenever it "
                "does not hold the release of the published file.",
)
def programma_rapport(context: AssetExecutionContext, warehouse: WarehouseResource):
    paths = warehouse.paths()
    release, held = file_release(paths.published_db), report_release(paths.report_dir)
    if release is not None and held == release:
        context.log.info(f"the report holds run {release}, the release of the published file")
        return
    report = build_report(paths.published_db, paths.loads_db, paths.report_dir, report_gemeenten())
    context.log.info(f"report of {report.pages} pages and {report.charts} charts at {report.index}")
    yield MaterializeResult(metadata={
        "path": MetadataValue.path(str(report.index)),
        "pages": report.pages,
        "charts": report.charts,
        "publicatie_run_id": report.publicatie.run_id or "",
        "held_before": f"run {held}" if held else "no release",
    })


ASSETS = [programma_rapport]
