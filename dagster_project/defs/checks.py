"""Asset checks on the marts: the Great Expectations suites (expectations/*.json)
and, on every mart, the BSN scan (dagster_project/privacy.py).

A blocking check that fails stops the publish step of the same run, so the
last good published marts stay in place.
"""

from dagster import AssetCheckExecutionContext, AssetCheckResult, AssetCheckSeverity, MetadataValue, asset_check
from dagster_dbt import get_asset_key_for_model

from ..manifest import mart_names
from ..privacy import exempt_columns, scan_database
from ..settings import EXPECTATIONS_DIR
from ..validation import Suite, load_suites, run_suite
from .dbt import warehouse_dbt_assets
from .resources import WarehouseResource


def suite_check(suite: Suite):
    @asset_check(
        asset=get_asset_key_for_model([warehouse_dbt_assets], suite.asset),
        name=f"gx_{suite.name}",
        description=f"Great Expectations suite {suite.name}: {suite.description}",
        blocking=suite.blocking,
    )
    def _check(context: AssetCheckExecutionContext, warehouse: WarehouseResource) -> AssetCheckResult:
        paths = warehouse.paths()
        outcome = run_suite(suite, paths.build_db, paths.validation_dir, context.run.run_id)
        failures = outcome.failed_errors + outcome.failed_warnings
        for failure in failures:
            context.log.warning(f"{suite.name}: {failure}")
        return AssetCheckResult(
            passed=outcome.passed,
            severity=AssetCheckSeverity.ERROR if outcome.failed_errors else AssetCheckSeverity.WARN,
            metadata={
                "rows_validated": outcome.rows,
                "batches": outcome.batches,
                "expectations": outcome.evaluated,
                "failed_errors": len(outcome.failed_errors),
                "failed_warnings": len(outcome.failed_warnings),
                "unexpected_counts": MetadataValue.json(
                    {f"{f['expectation']}({f['column']})": f["unexpected_count"] for f in failures}
                ),
                "result_file": MetadataValue.path(str(outcome.result_file)),
                "data_docs": MetadataValue.path(str(outcome.data_docs)),
            },
        )

    return _check


def bsn_check(model: str, skipped: dict[str, str]):
    @asset_check(
        asset=get_asset_key_for_model([warehouse_dbt_assets], model),
        name="geen_bsn",
        description="No text value of the mart passes the elfproef (a BSN); blocks publishing when one does.",
        blocking=True,
    )
    def _check(warehouse: WarehouseResource) -> AssetCheckResult:
        result = scan_database(warehouse.paths().build_db, model, skipped)
        return AssetCheckResult(
            passed=result.passed,
            severity=AssetCheckSeverity.ERROR,
            description=None if result.passed else "values that pass the elfproef in: " + ", ".join(result.findings),
            metadata={
                "columns_scanned": MetadataValue.json(result.columns),
                "columns_skipped": MetadataValue.json(result.skipped),
                "bsn_values": MetadataValue.json(
                    {column: {"values": n, "example": example} for column, (n, example) in result.findings.items()}),
            },
        )

    return _check


CHECKS = [suite_check(suite) for suite in load_suites(EXPECTATIONS_DIR)] + [
    bsn_check(model, exempt_columns(model)) for model in mart_names()
]
