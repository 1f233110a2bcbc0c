"""The programme report: a static site built from the published marts whenever it does not
hold the release of the published file (a new release, or a report that is missing or was
left behind by a killed or failed build); with WAREHOUSE_PER_GEMEENTE also a report per
gemeente, built the same way from that gemeente's file (publication/per_gemeente.py)."""

from dagster import AssetExecutionContext, MaterializeResult, MetadataValue, asset

from ..publication.per_gemeente import gemeente_paths, release_gemeenten
from ..publication.targets import file_release, report_release
from ..report import build_report
from ..settings import per_gemeente, report_gemeenten
from .publish import published_marts
from .resources import WarehouseResource


@asset(
    deps=[published_marts],
    group_name="publish",
    kinds={"html"},
    output_required=False,
    description="The P&C chapter per programme (goals, indicator tables, trend charts, finance, survey results) "
                "as a static site, from the published marts only; swapped in atomically, and built whenever it "
                "does not hold the release of the published file. With WAREHOUSE_PER_GEMEENTE also one per "
                "gemeente, from that gemeente's file.",
)
def programma_rapport(context: AssetExecutionContext, warehouse: WarehouseResource):
    paths = warehouse.paths()
    release, held = file_release(paths.published_db), report_release(paths.report_dir)
    if release is not None and held == release:
        context.log.info(f"the report holds run {release}, the release of the published file")
        report = None
    else:
        report = build_report(paths.published_db, paths.loads_db, paths.report_dir, report_gemeenten())
        context.log.info(f"report of {report.pages} pages and {report.charts} charts at {report.index}")
    gemeenten = _gemeente_reports(context, paths.published_db, release) if per_gemeente() else {}
    if report is None:
        return
    yield MaterializeResult(metadata={
        "path": MetadataValue.path(str(report.index)),
        "pages": report.pages,
        "charts": report.charts,
        "publicatie_run_id": report.publicatie.run_id or "",
        "held_before": f"run {held}" if held else "no release",
        **({"gemeenten": MetadataValue.json(gemeenten)} if gemeenten else {}),
    })


def _gemeente_reports(context: AssetExecutionContext, published_db, release: str | None) -> dict[str, str]:
    """Build the report of every gemeente whose report does not hold the release, from the gemeente's
    own file and for that gemeente only; without the load log, which names every gemeente's deliveries.
    Returns gemeente -> the report's start page."""
    built = {}
    for code in release_gemeenten(published_db):
        gemeente = gemeente_paths(published_db, code)
        if release is not None and report_release(gemeente.report_dir) == release:
            continue
        report = build_report(gemeente.published_db, None, gemeente.report_dir, [code])
        built[code] = str(report.index)
    if built:
        context.log.info(f"report per gemeente: {', '.join(built)}")
    return built


ASSETS = [programma_rapport]
