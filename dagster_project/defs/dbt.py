"""The dbt project as Dagster assets: seeds, staging, intermediate and marts, with dbt tests as checks.

The step builds only what changed since it was last built (transform/fingerprint.py):
- nothing, when no source loaded a new file and the project did not change since
  the published release: the run says so, and the checks and the publish step
  are skipped (the published release stays as it is), unless a target of the
  release (Parquet, PostgreSQL, the report) does not hold it: then every mart is
  reported unchanged and the publish steps catch that target up;
- the models downstream of the sources that loaded new files (the large facts
  incrementally, a delivered partition at a time);
- everything from scratch, when the project (models, reference data, suites,
  code) changed.
The marts it did not rebuild it reports as unchanged, with their fingerprint as
data version, so that the checks and the publish step run and take each mart
from where it is current.
"""

import json
import os
import shutil
import warnings
from collections.abc import Generator, Iterator, Mapping
from datetime import UTC, datetime
from itertools import groupby
from pathlib import Path
from typing import Any

from dagster import (
    AssetCheckKey,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetKey,
    AssetObservation,
    Backoff,
    BetaWarning,
    DataVersion,
    MetadataValue,
    Output,
    RetryPolicy,
)
from dagster_dbt import DagsterDbtTranslator, dbt_assets, get_asset_key_for_model

from ..operations.faults import fault_point
from ..publication.release import FAILED_TEST_STATUSES, dbt_test_failures, write_failures
from ..publication.targets import behind
from ..settings import DBT_PROJECT_DIR, REFERENCE_DIR, WarehousePaths, reference_dir
from ..transform.data_tests import CATALOG_FILE, Catalog, run_tests
from ..transform.fingerprint import Plan, built_and_tested, record_built
from ..transform.invocation import DbtFailed, DbtSession
from ..transform.manifest import BUILT_TYPES, build_order, manifest, mart_names
from .resources import WarehouseResource, dbt_project, no_retry_on_a_full_disk

FAILURES_FILE = "dbt_failures.json"
# The check on a dbt model or seed that its dbt data tests pass.
DBT_TESTS_CHECK = "dbt_tests"

PUBLISHED_ASSET = AssetKey("published_marts")
# Every model's output carries its fingerprint as data version, by design: not a warning per model per run.
warnings.filterwarnings("ignore", message="Parameter `data_version`", category=BetaWarning)
# dbt's artifacts (manifest, run results, log) of this many runs stay in <warehouse>/dbt_runs/
# (a few MB each: they share the warehouse's disk).
KEEP_DBT_RUNS = 3


class WarehouseDbtTranslator(DagsterDbtTranslator):
    """Group dbt nodes by layer (reference, staging, intermediate, marts)."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "reference"
        return dbt_resource_props["config"].get("schema") or "dbt"

    def get_asset_check_spec(self, asset_spec, manifest, unique_id, project) -> AssetCheckSpec | None:
        """The dbt data tests of a model or seed are one check on it, `dbt_tests`, whose result lists
        every test (a check per test costs Dagster a planned event and a result per test in every
        run, for 306 tests). It never stops the run: the publish step holds back the marts built
        from what a failed test judged (publication/release.py) and publishes the others."""
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        if spec is None:
            return None
        judged = manifest["nodes"][unique_id]["attached_node"]
        tests = sorted((n for n in manifest["nodes"].values()
                        if n["resource_type"] == "test" and n.get("attached_node") == judged), key=lambda n: n["name"])
        compared = {self.get_asset_spec(manifest, parent, project).key
                    for test in tests for parent in manifest["parent_map"].get(test["unique_id"], [])}
        return AssetCheckSpec(DBT_TESTS_CHECK, asset=spec.asset_key, additional_deps=compared - {spec.asset_key},
                              blocking=False, description=f"The {len(tests)} dbt data tests of this node: "
                              + ", ".join(test["name"] for test in tests))


TRANSLATOR = WarehouseDbtTranslator()


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=TRANSLATOR,
    # Another process holding the build file is the failure a retry can help with.
    retry_policy=RetryPolicy(max_retries=2, delay=30, backoff=Backoff.LINEAR),
)
def warehouse_dbt_assets(context: AssetExecutionContext, warehouse: WarehouseResource):
    paths = warehouse.paths()
    plan = Plan.make(paths.build_db, paths.published_db)
    if plan.nothing_new:
        lagging = behind(paths, warehouse.postgres_target())
        yield AssetObservation(asset_key=PUBLISHED_ASSET, metadata={"nothing_new": True,
                                                                    "behind": MetadataValue.json(lagging)})
        if not lagging:
            context.log.info("Nothing new: no source loaded a new file and the project did not change since the "
                             "published release; dbt, the checks and the publish step are skipped.")
            return
        # Every mart as it is, so that the publish steps run and catch the targets up.
        for target, why in lagging.items():
            context.log.info(f"Nothing new, but the {target} {why}: caught up from the DuckDB file")
        marts = set(mart_names())
        yield from (_unchanged(context, node, plan) for node in build_order() if node in marts)
        return
    # Before the rebuilt marts, which may be built from them (Dagster wants them in that order).
    marts = set(mart_names())
    for node in build_order():
        if node in marts and node not in plan.rebuild:
            yield _unchanged(context, node, plan)
    if plan.rebuild:
        yield from _build(context, paths, plan)


def _build(context: AssetExecutionContext, paths: WarehousePaths, plan: Plan) -> Iterator:
    """dbt of what the plan rebuilds; notes what was built and passed its tests."""
    context.log.info(
        f"dbt build from scratch of {len(plan.rebuild)} models and seeds" if plan.full_refresh else
        f"dbt build of {len(plan.rebuild)} models downstream of {', '.join(plan.changed_sources())}")
    dbt = DbtSession(_target_path(paths), paths.build_db)
    try:
        with no_retry_on_a_full_disk():
            results = yield from _build_and_test(context, dbt, paths, plan)
    finally:
        dbt.cleanup()
    # Only what both invocations saw through: a node built but not (yet) tested is built again.
    record_built(paths.build_db, plan.now, built_and_tested({"results": results}), context.run.run_id)


SEED_PATH_VARIABLE = "WAREHOUSE_DBT_SEED_PATH"


def _point_seeds_at_reference() -> None:
    """dbt's seeds follow WAREHOUSE_REFERENCE_DIR (dbt/dbt_project.yml), as a path relative to the project:
    dbt writes a seed's compiled SQL to <target>/run/<project>/<seed path>, which for an absolute path
    would be the seed file itself. Unset for seeds/reference, as when `make setup` parsed the project:
    dbt's partial parsing holds."""
    os.environ.pop(SEED_PATH_VARIABLE, None)
    if reference_dir() != REFERENCE_DIR:
        os.environ[SEED_PATH_VARIABLE] = os.path.relpath(reference_dir(), DBT_PROJECT_DIR)


def _build_and_test(context: AssetExecutionContext, dbt: DbtSession, paths: WarehousePaths,
                    plan: Plan) -> Generator[Any, None, list[dict]]:
    """Seeds and models first: a failure there is a defect of the project and stops the run.
    Then the data tests, after every model, grouped per model (transform/data_tests.py):
    unlike in one `dbt build`, a failed test does not keep the models after it from being
    built; the publish step holds back what it judged. The unit tests are not run here:
    they test the project, not the data (`make test` runs them). Returns the run results
    of the build and of the data tests."""
    _point_seeds_at_reference()
    build = yield from _reported(context, plan, dbt.stream(
        "build", ["--exclude-resource-type", "test", "--exclude-resource-type", "unit_test", *plan.dbt_args()],
        on_result=lambda _: fault_point("dbt")))
    if not build.success:
        raise DbtFailed("dbt build failed: " + "; ".join(build.messages or [str(build.exception)]))
    selected = plan.tests()
    catalog = Catalog(paths.warehouse_dir / CATALOG_FILE).tests(dbt, needed=selected)
    results = run_tests(paths.build_db, (t for uid, t in catalog.items() if uid in selected), dbt.target / "test")
    for judged, group in groupby(results, key=lambda result: catalog[result["unique_id"]].judged):
        yield from _check_result(context, judged, list(group))
    built, tested = _run_results(dbt.target / "build"), _run_results(dbt.target / "test")
    failures = dbt_test_failures({"results": tested}, manifest())
    for failure in failures:
        context.log.warning(f"{failure.reason}: holds back the marts built from {failure.node}")
    write_failures(paths.validation_dir / context.run.run_id / FAILURES_FILE, failures)
    return built + tested


def _run_results(target: Path) -> list[dict]:
    """The results of a dbt invocation (none when dbt could not start)."""
    path = target / "run_results.json"
    return json.loads(path.read_text())["results"] if path.exists() else []


def _metadata(result: Mapping) -> dict:
    return {"unique_id": result["unique_id"], "status": result["status"],
            "Execution Duration": round(result.get("execution_time") or 0, 3)}


def _reported(context: AssetExecutionContext, plan: Plan, results: Generator) -> Generator:
    """Report every model or seed of a dbt invocation as dbt finishes building it (a
    materialization); returns the invocation."""
    while True:
        try:
            result = next(results)
        except StopIteration as done:
            return done.value
        node = manifest()["nodes"].get(result["unique_id"], {})
        if node.get("resource_type") in BUILT_TYPES and result["status"] == "success":
            yield _output(context, plan, node["name"], result)


def _output(context: AssetExecutionContext, plan: Plan, name: str, result: Mapping) -> Output:
    key = TRANSLATOR.get_asset_spec(manifest(), result["unique_id"], dbt_project).key
    return Output(None, output_name=context.assets_def.get_output_name_for_asset_key(key),
                  data_version=DataVersion(plan.now.nodes[name]),
                  metadata={**_metadata(result), "fingerprint": plan.now.nodes[name]})


def _check_result(context: AssetExecutionContext, judged: str, results: list[dict]) -> Iterator[AssetCheckResult]:
    """The `dbt_tests` check of the node the tests judged: passed when every test passed, a warning
    when some only warned; its metadata gives every test's status and failing rows."""
    key = AssetCheckKey(TRANSLATOR.get_asset_spec(manifest(), judged, dbt_project).key, DBT_TESTS_CHECK)
    if key not in context.selected_asset_check_keys:
        return
    name = {result["unique_id"]: result["unique_id"].split(".")[2] for result in results}
    failed = [r for r in results if r["status"] in FAILED_TEST_STATUSES]
    warned = [r for r in results if r["status"] == "warn"]
    yield AssetCheckResult(
        asset_key=key.asset_key, check_name=DBT_TESTS_CHECK, passed=not failed and not warned,
        severity=AssetCheckSeverity.ERROR if failed else AssetCheckSeverity.WARN,
        description="; ".join(f"{name[r['unique_id']]}: {r['message']}" for r in failed + warned) or None,
        metadata={"tests": len(results), "failed": len(failed), "warned": len(warned),
                  "results": MetadataValue.json({name[r["unique_id"]]: {"status": r["status"],
                                                                        "failures": r["failures"]} for r in results}),
                  "Execution Duration": round(sum(r["execution_time"] for r in results), 3)})


def _unchanged(context: AssetExecutionContext, mart: str, plan: Plan) -> Output:
    """A mart this run does not rebuild: its data is what its fingerprint says."""
    fingerprint = plan.now.nodes[mart]
    key = get_asset_key_for_model([warehouse_dbt_assets], mart)
    return Output(None, output_name=context.assets_def.get_output_name_for_asset_key(key),
                  data_version=DataVersion(fingerprint),
                  metadata={"rebuilt": False, "built_in_run": plan.built.run_ids.get(mart, ""),
                            "fingerprint": fingerprint})


def _target_path(paths: WarehousePaths) -> Path:
    """A new folder for this invocation's dbt artifacts; the oldest beyond KEEP_DBT_RUNS go."""
    runs = paths.warehouse_dir / "dbt_runs"
    runs.mkdir(parents=True, exist_ok=True)
    for old in sorted(runs.iterdir())[:-(KEEP_DBT_RUNS - 1)]:
        shutil.rmtree(old, ignore_errors=True)
    return runs / datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def mart_asset_keys() -> list[AssetKey]:
    return [get_asset_key_for_model([warehouse_dbt_assets], name) for name in mart_names()]


ASSETS = [warehouse_dbt_assets]
