"""Asset checks on the marts: the Great Expectations suites (expectations/*.json)
and, on every mart, the BSN scan `geen_bsn` (dagster_project/privacy.py).

One step runs every check after `dbt build` and before the publish step, and
reports each on the mart it judges. A check never stops the run: a failed
blocking suite or a BSN found holds back its mart (and the marts built from
it) in the publish step of the same run, which reads the failures this step
writes; a suite's warnings are reported and never hold anything back.
"""

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetSpec,
    MaterializeResult,
    MetadataValue,
    multi_asset,
)
from dagster_dbt import get_asset_key_for_model

from ..faults import fault_point
from ..manifest import mart_names
from ..privacy import BsnScan, exempt_columns, scan_database
from ..publication.release import Failure, release_graph, write_failures
from ..settings import EXPECTATIONS_DIR
from ..validation import Outcome, load_suites, reset_gx_configuration, run_suite
from .dbt import mart_asset_keys, warehouse_dbt_assets
from .resources import WarehouseResource, no_retry_on_a_full_disk

SUITES = load_suites(EXPECTATIONS_DIR)
BSN_CHECK = "geen_bsn"
FAILURES_FILE = "gx_failures.json"


def _mart_key(model: str):
    return get_asset_key_for_model([warehouse_dbt_assets], model)


def _summary(failure: dict) -> str:
    what = failure["why"] or f"{failure['expectation']}({failure['column']})"
    examples = ", ".join([v for v in failure["partial_unexpected_list"] if v not in ("nan", "None", "NaT")][:5])
    return f"{what.rstrip('.')} ({failure['unexpected_count']} row(s){', e.g. ' + examples if examples else ''})"


def _failure(outcome: Outcome, mart_id: str) -> Failure:
    return Failure(mart_id, f"gx_{outcome.suite.name}", f"Great Expectations suite {outcome.suite.name} failed: "
                   + "; ".join(_summary(f) for f in outcome.failed_errors))


def _check_result(outcome: Outcome) -> AssetCheckResult:
    failures = outcome.failed_errors + outcome.failed_warnings
    return AssetCheckResult(
        asset_key=_mart_key(outcome.suite.asset),
        check_name=f"gx_{outcome.suite.name}",
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
            "errors": MetadataValue.md("\n".join(f"- {_summary(f)}" for f in outcome.failed_errors) or "none"),
            "warnings": MetadataValue.md("\n".join(f"- {_summary(f)}" for f in outcome.failed_warnings) or "none"),
            "result_file": MetadataValue.path(str(outcome.result_file)),
            "data_docs": MetadataValue.path(str(outcome.data_docs)),
        },
    )


def _bsn_result(model: str, result: BsnScan) -> AssetCheckResult:
    return AssetCheckResult(
        asset_key=_mart_key(model),
        check_name=BSN_CHECK,
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


@multi_asset(
    specs=[AssetSpec(
        "validation_results", deps=mart_asset_keys(), group_name="publish", kinds={"python"},
        description="Runs the Great Expectations suites and the BSN scan on the built marts and reports each as "
                    "a check on its mart; the results are in warehouse/validation/<run id>/, with the data docs.",
    )],
    check_specs=[AssetCheckSpec(f"gx_{suite.name}", asset=_mart_key(suite.asset),
                                description=f"Great Expectations suite {suite.name}: {suite.description}")
                 for suite in SUITES] + [
        AssetCheckSpec(BSN_CHECK, asset=_mart_key(model),
                       description="No text value of the mart passes the elfproef (a BSN); a mart with one is held "
                                   "back at its last good release.")
        for model in mart_names()],
    # The checks hang on the marts they validate, not on this asset.
    allow_arbitrary_check_specs=True,
)
def validation_results(context: AssetExecutionContext, warehouse: WarehouseResource):
    paths = warehouse.paths()
    run_dir = paths.validation_dir / context.run.run_id
    mart_ids = release_graph().mart_ids
    reset_gx_configuration(paths.validation_dir)
    failures = []
    for suite in SUITES:
        with no_retry_on_a_full_disk():
            outcome = run_suite(suite, paths.build_db, paths.validation_dir, context.run.run_id)
        for failure in outcome.failed_errors + outcome.failed_warnings:
            context.log.warning(f"{suite.name}: {_summary(failure)}")
        if outcome.failed_errors and suite.blocking:
            failures.append(_failure(outcome, mart_ids[suite.asset]))
        yield _check_result(outcome)
        fault_point("checks")
    for model in mart_names():
        result = scan_database(paths.build_db, model, exempt_columns(model))
        if not result.passed:
            context.log.warning(f"{model}: values that pass the elfproef in {', '.join(result.findings)}")
            failures.append(Failure(mart_ids[model], BSN_CHECK, "BSN scan: values that pass the elfproef in "
                                    + ", ".join(result.findings)))
        yield _bsn_result(model, result)
    with no_retry_on_a_full_disk():
        write_failures(run_dir / FAILURES_FILE, failures)
    yield MaterializeResult(asset_key="validation_results", metadata={
        "suites": len(SUITES),
        "bsn_scans": len(mart_names()),
        "failed": MetadataValue.json({f.check: f.reason for f in failures}),
        "results": MetadataValue.path(str(run_dir)),
    })


ASSETS = [validation_results]
