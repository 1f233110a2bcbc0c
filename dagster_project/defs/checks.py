"""Asset checks on the marts: the Great Expectations suites (expectations/*.json)
and, on every mart, the BSN scan `geen_bsn` (dagster_project/quality/privacy.py).

One step runs the checks after dbt and before the publish step, and reports
each on the mart it judges. It checks the marts that differ from the published
release (transform/fingerprint.py): every mart rebuilt by this run, and a mart built by an
earlier run that was not published. A mart that did not change since the
published release passed its checks then; it is not checked again and reports
no check result in this run. A check never stops the run: a failed blocking
suite or a BSN found holds back its mart (and the marts built from it) in the
publish step of the same run, which reads the failures this step writes; a
suite's warnings are reported and never hold anything back.
"""

from dagster import (
    AssetCheckKey,
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

from ..operations.faults import fault_point
from ..publication.release import Failure, release_graph, write_failures
from ..quality.privacy import BsnScan, exempt_columns, scan_database
from ..quality.validation import Outcome, Validator, load_suites
from ..settings import EXPECTATIONS_DIR
from ..transform.fingerprint import Built, changed_marts, read_published
from ..transform.manifest import mart_names
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
            "rows_judged_by_gx": outcome.rows_judged,
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
            **({"data_docs": MetadataValue.path(str(outcome.data_docs))} if outcome.data_docs else {}),
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
        description="Runs the Great Expectations suites and the BSN scan on the marts that differ from the "
                    "published release and reports each as a check on its mart; the results are in "
                    "warehouse/validation/<run id>/, with the data docs.",
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
    # A mart that did not change reports no check result (the outputs of the checks are optional).
    can_subset=True,
)
def validation_results(context: AssetExecutionContext, warehouse: WarehouseResource):
    paths = warehouse.paths()
    run_dir = paths.validation_dir / context.run.run_id
    changed = changed_marts(Built.read(paths.build_db).marts(), read_published(paths.published_db))
    for model in sorted(set(mart_names()) - set(changed)):
        context.log.info(f"{model}: unchanged since the published release, which passed its checks; not checked again")
    failures: list[Failure] = []
    yield from _run_suites(context, paths, set(changed), failures)
    yield from _scan_for_bsn(context, paths, changed, failures)
    with no_retry_on_a_full_disk():
        write_failures(run_dir / FAILURES_FILE, failures)
    yield MaterializeResult(asset_key="validation_results", metadata={
        "checked": MetadataValue.json(changed),
        "failed": MetadataValue.json({f.check: f.reason for f in failures}),
        "results": MetadataValue.path(str(run_dir)),
    })


def _selected(context: AssetExecutionContext, model: str, check: str) -> bool:
    return AssetCheckKey(_mart_key(model), check) in context.selected_asset_check_keys


def _run_suites(context: AssetExecutionContext, paths, changed: set[str], failures: list[Failure]):
    """The suites of the changed marts: DuckDB finds the failing rows, GX judges them."""
    mart_ids = release_graph().mart_ids
    validator = Validator(paths.validation_dir, context.run.run_id)
    suites = [suite for suite in SUITES
              if suite.asset in changed and _selected(context, suite.asset, f"gx_{suite.name}")]
    with no_retry_on_a_full_disk():
        for outcome in validator.run_suites(suites, paths.build_db):
            suite = outcome.suite
            for failure in outcome.failed_errors + outcome.failed_warnings:
                context.log.warning(f"{suite.name}: {_summary(failure)}")
            if outcome.failed_errors and suite.blocking:
                failures.append(_failure(outcome, mart_ids[suite.asset]))
            yield _check_result(outcome)
            fault_point("checks")
    with no_retry_on_a_full_disk():
        validator.finish()


def _scan_for_bsn(context: AssetExecutionContext, paths, changed: list[str], failures: list[Failure]):
    mart_ids = release_graph().mart_ids
    models = {model: exempt_columns(model) for model in changed if _selected(context, model, BSN_CHECK)}
    for result in scan_database(paths.build_db, models):
        if not result.passed:
            context.log.warning(f"{result.table}: values that pass the elfproef in {', '.join(result.findings)}")
            failures.append(Failure(mart_ids[result.table], BSN_CHECK, "BSN scan: values that pass the elfproef in "
                                    + ", ".join(result.findings)))
        yield _bsn_result(result.table, result)


ASSETS = [validation_results]
