"""The dbt project as Dagster assets: seeds, staging, intermediate and marts, with dbt tests as checks."""

import os
from collections.abc import Mapping
from typing import Any

from dagster import AssetCheckSpec, AssetExecutionContext, AssetKey, Backoff, RetryPolicy
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets, get_asset_key_for_model

from ..faults import fault_point
from ..manifest import manifest, mart_names
from ..publication.release import dbt_test_failures, write_failures
from ..settings import WarehousePaths
from .resources import WarehouseResource, dbt_project, no_retry_on_a_full_disk

FAILURES_FILE = "dbt_failures.json"


class WarehouseDbtTranslator(DagsterDbtTranslator):
    """Group dbt nodes by layer (reference, staging, intermediate, marts)."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "reference"
        return dbt_resource_props["config"].get("schema") or "dbt"

    def get_asset_check_spec(self, asset_spec, manifest, unique_id, project) -> AssetCheckSpec | None:
        """dbt tests are checks that never stop the run: the publish step holds back the marts
        built from what a failed test judged (publication/release.py) and publishes the others."""
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        if spec is None:
            return None
        return AssetCheckSpec(spec.name, asset=spec.asset_key, description=spec.description,
                              additional_deps=spec.additional_deps, metadata=spec.metadata, blocking=False)


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=WarehouseDbtTranslator(),
    # Another process holding the build file is the failure a retry can help with.
    retry_policy=RetryPolicy(max_retries=2, delay=30, backoff=Backoff.LINEAR),
)
def warehouse_dbt_assets(context: AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    paths = warehouse.paths()
    # The dbt profile reads the build file's location from the environment.
    os.environ["WAREHOUSE_BUILD_DB"] = str(paths.build_db)
    with no_retry_on_a_full_disk():
        yield from _build_and_test(context, dbt, paths)


def _build_and_test(context: AssetExecutionContext, dbt: DbtCliResource, paths: WarehousePaths):
    # Seeds, models and unit tests: a failure here is a defect of the project and stops the run.
    for event in dbt.cli(["build", "--exclude-resource-type", "test"], context=context).stream():
        yield event
        fault_point("dbt")
    # Then the data tests, after every model: unlike in one `dbt build`, a failed test does not
    # keep the models after it from being built; the publish step holds back what it judged.
    tests = dbt.cli(["test", "--exclude-resource-type", "unit_test"], context=context, raise_on_error=False)
    yield from tests.stream()
    if tests.process.wait() not in (0, 1):  # 1: some tests failed; anything else: dbt itself failed
        raise tests.get_error() or RuntimeError(f"dbt test ended with exit code {tests.process.returncode}")
    failures = dbt_test_failures(tests.get_artifact("run_results.json"), manifest())
    for failure in failures:
        context.log.warning(f"{failure.reason}: holds back the marts built from {failure.node}")
    write_failures(paths.validation_dir / context.run.run_id / FAILURES_FILE, failures)


def mart_asset_keys() -> list[AssetKey]:
    return [get_asset_key_for_model([warehouse_dbt_assets], name) for name in mart_names()]


ASSETS = [warehouse_dbt_assets]
