"""Great Expectations suites (expectations/*.json) as Dagster asset checks on the marts.

One step validates the marts that differ from the published release
(fingerprint.py): every mart rebuilt by this run, and a mart built by an earlier
run that was not published. A mart that did not change since the published
release passed its suite then; it is not validated again and its check reports
no result in this run. A blocking suite that fails stops the publish step of the
same run, so the last good published marts stay in place.
"""

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    MetadataValue,
    multi_asset_check,
)
from dagster_dbt import get_asset_key_for_model

from ..fingerprint import Built, changed_marts, read_published
from ..settings import EXPECTATIONS_DIR
from ..validation import Outcome, Validator, load_suites
from .dbt import warehouse_dbt_assets
from .resources import WarehouseResource

SUITES = load_suites(EXPECTATIONS_DIR)


def _spec(suite) -> AssetCheckSpec:
    return AssetCheckSpec(
        f"gx_{suite.name}",
        asset=get_asset_key_for_model([warehouse_dbt_assets], suite.asset),
        description=f"Great Expectations suite {suite.name}: {suite.description}",
        blocking=suite.blocking,
    )


def _result(outcome: Outcome) -> AssetCheckResult:
    spec = _spec(outcome.suite)
    failures = outcome.failed_errors + outcome.failed_warnings
    return AssetCheckResult(
        asset_key=spec.asset_key,
        check_name=spec.name,
        passed=outcome.passed,
        severity=AssetCheckSeverity.ERROR if outcome.failed_errors else AssetCheckSeverity.WARN,
        metadata={
            "rows_validated": outcome.rows,
            "rows_judged_by_gx": outcome.rows_judged,
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


@multi_asset_check(
    name="great_expectations",
    specs=[_spec(suite) for suite in SUITES],
    description="Runs the Great Expectations suites of the marts that differ from the published release.",
    can_subset=True,
)
def great_expectations(context: AssetCheckExecutionContext, warehouse: WarehouseResource):
    paths = warehouse.paths()
    changed = set(changed_marts(Built.read(paths.build_db).marts(), read_published(paths.published_db)))
    validator = Validator(paths.validation_dir, context.run.run_id)
    for suite in SUITES:
        if _spec(suite).key not in context.selected_asset_check_keys:
            continue
        if suite.asset not in changed:
            context.log.info(f"{suite.name}: unchanged since the published release, which passed it; not run again")
            continue
        outcome = validator.run_suite(suite, paths.build_db)
        for failure in outcome.failed_errors + outcome.failed_warnings:
            context.log.warning(f"{suite.name}: {failure}")
        yield _result(outcome)
    validator.finish()


CHECKS = [great_expectations]
