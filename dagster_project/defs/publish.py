"""Publish the marts to the analyst-facing file once the build and its blocking checks passed,
and then to PostgreSQL when it is configured."""

from dagster import AssetExecutionContext, Backoff, MaterializeResult, MetadataValue, RetryPolicy, asset

from ..manifest import mart_names
from ..publication.files import PARQUET_DIR, publish
from ..publication.keys import read_keys
from ..publication.postgres import publish_postgres
from .dbt import mart_asset_keys
from .resources import WarehouseResource


@asset(
    deps=mart_asset_keys(),
    group_name="publish",
    kinds={"duckdb", "parquet", "postgres"},
    description="Copies the marts (only the marts) to the published DuckDB file and Parquet files, "
                "atomically, and then, when configured, to PostgreSQL (swapped in in one transaction).",
    retry_policy=RetryPolicy(max_retries=2, delay=10, backoff=Backoff.LINEAR),
)
def published_marts(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    paths = warehouse.paths()
    run_id = context.run.run_id
    keys = read_keys()
    counts = publish(paths.build_db, paths.published_db, run_id, mart_names(), keys)
    context.log.info(f"published {len(counts)} marts to {paths.published_db}")
    metadata = {
        "path": MetadataValue.path(str(paths.published_db)),
        "parquet": MetadataValue.path(str(paths.published_db.parent / PARQUET_DIR)),
        "row_counts": MetadataValue.json(counts),
    }
    target = warehouse.postgres_target()
    if target is not None:
        # After the file: PostgreSQL gets exactly the release the file holds.
        postgres_counts = publish_postgres(paths.published_db, target, run_id, keys)
        context.log.info(f"published {len(postgres_counts)} tables to PostgreSQL {target.display()}")
        metadata["postgres"] = target.display()
        metadata["postgres_row_counts"] = MetadataValue.json(postgres_counts)
    return MaterializeResult(metadata=metadata)


ASSETS = [published_marts]
