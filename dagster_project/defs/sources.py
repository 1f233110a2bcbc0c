"""The source assets, generated from the one registry of sources (`sources.CONTRACTS`):
one asset per contract, loading its new files."""

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    Backoff,
    MaterializeResult,
    MetadataValue,
    RetryPolicy,
    asset,
)

from ..ingest.contracts import Contract
from ..ingest.loading import SourceReport, load_source
from ..publication.files import publish_loads
from ..sources import CONTRACTS
from .resources import WarehouseResource, no_retry_on_a_full_disk

# A locked or briefly unavailable build file is worth another try; bad input is not
# (it is quarantined and never raises).
SOURCE_RETRY = RetryPolicy(max_retries=3, delay=20, backoff=Backoff.EXPONENTIAL)


def report_metadata(report: SourceReport) -> dict:
    quarantined = [f for f in report.files if f.status == "quarantined"]
    skipped = [f for f in report.files if f.status == "skipped"]
    return {
        "folder": MetadataValue.path(str(report.folder)),
        "files_loaded": report.count("loaded"),
        "files_quarantined": len(quarantined),
        "files_unchanged": report.count("unchanged"),
        "files_skipped": len(skipped),
        "rows_loaded": report.rows_loaded,
        "skipped": MetadataValue.md("\n".join(f"- `{f.file_name}`: {f.note}" for f in skipped) or "none"),
        "source_problem": report.source_problem or "",
        "note": report.note or "",
        "landing_unknown": MetadataValue.json(list(report.landing_unknown)),
        "quarantined": MetadataValue.md(
            "\n".join(f"- `{f.file_name}` (load {f.load_id}): {f.problems} problem(s), first: {f.first_problem}"
                      for f in quarantined) or "none"
        ),
    }


def source_asset(contract: Contract, contracts: tuple[Contract, ...] = CONTRACTS):
    check_name = "no_quarantined_files"

    @asset(
        name=contract.source,
        group_name="sources",
        kinds={"python", "duckdb"},
        description=f"{contract.description}\n\nLoads new files from `{contract.folder}/` into "
                    f"`{contract.raw_table}`; bad files go to quarantine (see docs/sources.md).",
        retry_policy=SOURCE_RETRY,
        check_specs=[AssetCheckSpec(check_name, asset=contract.source,
                                    description="Warns when this run quarantined a file of this source.")],
    )
    def _load(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
        paths = warehouse.paths()
        with no_retry_on_a_full_disk():
            report = load_source(contract, paths, context.run.run_id, contracts)
            # The load log and quarantine change only when a file was loaded or quarantined.
            if report.count("loaded") or report.count("quarantined") or report.source_problem \
                    or not paths.loads_db.exists():
                publish_loads(paths.build_db, paths.loads_db)
        for outcome in report.files:
            if outcome.status == "quarantined":
                context.log.warning(
                    f"{contract.source}: {outcome.file_name} quarantined (load {outcome.load_id}): "
                    f"{outcome.problems} problem(s), first: {outcome.first_problem}. "
                    f"All problems: table quarantine in {paths.loads_db}."
                )
        for outcome in report.files:
            if outcome.status == "skipped":
                context.log.info(f"{contract.source}: {outcome.file_name} {outcome.note}")
        if report.source_problem:
            context.log.warning(f"{contract.source}: {report.source_problem}")
        if report.note:
            context.log.info(f"{contract.source}: {report.note}")
        quarantined = report.count("quarantined")
        return MaterializeResult(
            metadata=report_metadata(report),
            check_results=[AssetCheckResult(
                check_name=check_name,
                passed=quarantined == 0 and not report.source_problem,
                severity=AssetCheckSeverity.WARN,
                metadata={"files_quarantined": quarantined, "source_problem": report.source_problem or ""},
            )],
        )

    return _load


def source_assets(contracts=CONTRACTS) -> list:
    return [source_asset(contract, tuple(contracts)) for contract in contracts]
