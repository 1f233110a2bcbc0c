"""Publish the marts to the analyst-facing file once the build and its blocking checks passed."""

from dagster import AssetExecutionContext, Backoff, MaterializeResult, MetadataValue, RetryPolicy, asset

from ..manifest import mart_names
from ..publication.files import publish
from .dbt import mart_asset_keys
from .resources import WarehouseResource


@asset(
    deps=mart_asset_keys(),
    group_name="publish",
    kinds={"duckdb", "parquet"},
    description="Copies the marts (only the marts) to the published DuckDB file and Parquet files, atomically.",
    retry_policy=RetryPolicy(max_retries=2, delay=10, backoff=Backoff.LINEAR),
)
def published_marts(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    paths = warehouse.paths()
    counts = publish(paths.build_db, paths.published_db, context.run.run_id, mart_names())
    context.log.info(f"published {len(counts)} marts to {paths.published_db}")
    return MaterializeResult(metadata={
        "path": MetadataValue.path(str(paths.published_db)),
        "parquet": MetadataValue.path(str(paths.published_db.parent / "parquet")),
        "row_counts": MetadataValue.json(counts),
    })


ASSETS = [published_marts]
