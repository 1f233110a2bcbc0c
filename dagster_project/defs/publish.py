"""Publish the marts to the analyst-facing file after the build and its checks,
and then to PostgreSQL when it is configured.

The marts that a failed check judged, and the marts built from them, are held
back at their last good release; the others publish fresh (publication/release.py).
"""

from pathlib import Path

from dagster import AssetExecutionContext, Backoff, MaterializeResult, MetadataValue, RetryPolicy, asset

from ..publication.files import PARQUET_DIR, publish
from ..publication.keys import read_keys
from ..publication.postgres import publish_postgres
from ..publication.release import Failure, read_failures, release_graph
from . import checks, dbt
from .resources import WarehouseResource, no_retry_on_a_full_disk


def _run_lineage(context: AssetExecutionContext) -> list[str]:
    """This run and, for a re-execution, the runs it re-executes (their checks still count)."""
    run, ids = context.run, []
    while run is not None:
        ids.append(run.run_id)
        run = context.instance.get_run_by_id(run.parent_run_id) if run.parent_run_id else None
    return ids


def this_runs_failures(context: AssetExecutionContext, validation_dir: Path) -> list[Failure]:
    """The failed checks of this run: dbt tests and Great Expectations suites."""
    found: dict[str, list[Failure]] = {}
    for name in (dbt.FAILURES_FILE, checks.FAILURES_FILE):
        path = next((p for run_id in _run_lineage(context) if (p := validation_dir / run_id / name).exists()), None)
        if path is not None:
            found[name] = read_failures(path)
    if checks.FAILURES_FILE not in found:
        raise RuntimeError("the marts were not validated in this run: materialize validation_results with the "
                           "publish step (the nightly job does)")
    return [failure for failures in found.values() for failure in failures]


@asset(
    deps=[*dbt.mart_asset_keys(), "validation_results"],
    group_name="publish",
    kinds={"duckdb", "parquet", "postgres"},
    description="Copies the marts (only the marts) to the published DuckDB file and Parquet files, atomically, "
                "and then, when configured, to PostgreSQL (swapped in in one transaction); a mart whose checks "
                "failed keeps its last good release (table publicatie_mart says why).",
    retry_policy=RetryPolicy(max_retries=2, delay=10, backoff=Backoff.LINEAR),
)
def published_marts(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    paths = warehouse.paths()
    graph = release_graph()
    keys = read_keys()
    held_back = graph.hold_back(this_runs_failures(context, paths.validation_dir))
    with no_retry_on_a_full_disk():
        release = publish(paths.build_db, paths.published_db, context.run.run_id, graph, held_back, keys)
    for mart in release.not_fresh:
        context.log.warning(f"{mart.mart} {mart.status}"
                            + (f" at run {mart.run_id}" if mart.run_id else "") + f": {mart.reason}")
    context.log.info(f"published {len(release.counts)} marts to {paths.published_db}")
    metadata = {
        "path": MetadataValue.path(str(paths.published_db)),
        "parquet": MetadataValue.path(str(paths.published_db.parent / PARQUET_DIR)),
        "row_counts": MetadataValue.json(release.counts),
        "not_fresh": MetadataValue.json({m.mart: {"status": m.status, "run_id": m.run_id, "reason": m.reason}
                                         for m in release.not_fresh}),
    }
    target = warehouse.postgres_target()
    if target is not None:
        # After the file: PostgreSQL gets exactly the release the file holds.
        with no_retry_on_a_full_disk():
            postgres_counts = publish_postgres(paths.published_db, target, context.run.run_id, keys)
        context.log.info(f"published {len(postgres_counts)} tables to PostgreSQL {target.display()}")
        metadata["postgres"] = target.display()
        metadata["postgres_row_counts"] = MetadataValue.json(postgres_counts)
    return MaterializeResult(metadata=metadata)


ASSETS = [published_marts]
