"""The dbt project as Dagster assets: seeds, staging, intermediate and marts, with dbt tests as checks."""

import os
from collections.abc import Mapping
from typing import Any

from dagster import AssetExecutionContext, AssetKey, Backoff, RetryPolicy
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets, get_asset_key_for_model

from ..manifest import mart_names
from .resources import WarehouseResource, dbt_project


class WarehouseDbtTranslator(DagsterDbtTranslator):
    """Group dbt nodes by layer (reference, staging, intermediate, marts)."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "reference"
        return dbt_resource_props["config"].get("schema") or "dbt"


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=WarehouseDbtTranslator(),
    # Another process holding the build file is the failure a retry can help with.
    retry_policy=RetryPolicy(max_retries=2, delay=30, backoff=Backoff.LINEAR),
)
def warehouse_dbt_assets(context: AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    # The dbt profile reads the build file's location from the environment.
    os.environ["WAREHOUSE_BUILD_DB"] = str(warehouse.paths().build_db)
    yield from dbt.cli(["build"], context=context).stream()


def mart_asset_keys() -> list[AssetKey]:
    return [get_asset_key_for_model([warehouse_dbt_assets], name) for name in mart_names()]


ASSETS = [warehouse_dbt_assets]
