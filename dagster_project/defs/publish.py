"""Publish the marts to the analyst-facing file once the build and its blocking checks passed.

Only the marts that differ from the published release are copied from the build
file; the others stay as they are published (fingerprint.py). The release still
switches as a whole, atomically.
"""

from dagster import AssetExecutionContext, Backoff, MaterializeResult, MetadataValue, RetryPolicy, asset

from ..fingerprint import Built, changed_marts, read_published
from ..manifest import mart_names
from ..publication.files import publish
from .dbt import mart_asset_keys
from .resources import WarehouseResource


@asset(
    deps=mart_asset_keys(),
    group_name="publish",
    kinds={"duckdb", "parquet"},
    description="Copies the marts (only the marts) to the published DuckDB file and Parquet files, atomically; "
                "marts unchanged since the published release stay as they are.",
    retry_policy=RetryPolicy(max_retries=2, delay=10, backoff=Backoff.LINEAR),
)
def published_marts(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    paths = warehouse.paths()
    marts, built = mart_names(), Built.read(paths.build_db).marts()
    changed = changed_marts(built, read_published(paths.published_db))
    unchanged = [mart for mart in marts if mart not in changed]
    counts = publish(paths.build_db, paths.published_db, context.run.run_id, marts, unchanged, built)
    context.log.info(f"published {len(changed)} changed marts to {paths.published_db}, kept {len(unchanged)}")
    return MaterializeResult(metadata={
        "path": MetadataValue.path(str(paths.published_db)),
        "parquet": MetadataValue.path(str(paths.published_db.parent / "parquet")),
        "row_counts": MetadataValue.json(counts),
        "unchanged": MetadataValue.json(unchanged),
    })


ASSETS = [published_marts]
