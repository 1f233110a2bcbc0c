"""Publish the marts to the analyst-facing file and Parquet after the build and
its checks, and from the file to PostgreSQL when it is configured.

The marts that a failed check judged, and the marts built from them, are held
back at their last good release; the marts that did not change since the
published release (transform/fingerprint.py) are kept as they are published; the others
publish fresh (publication/release.py). The release still switches as a whole,
atomically. A run in which no mart changed publishes no new release, but brings
every target that does not hold the file's release up to it
(publication/targets.py); PostgreSQL is a step of its own, so that a server that
is down fails the run without keeping the report from being built.
"""

from pathlib import Path

from dagster import AssetExecutionContext, Backoff, MaterializeResult, MetadataValue, RetryPolicy, asset

from ..publication.files import PARQUET_DIR, UNCHANGED, publish, publish_parquet
from ..publication.keys import read_keys
from ..publication.per_gemeente import gemeente_paths, publish_gemeente, release_gemeenten, remove_others
from ..publication.postgres import publish_postgres
from ..publication.release import Failure, read_failures, release_graph
from ..publication.targets import FILE, PARQUET, behind, file_release, gemeente_target, postgres_held
from ..settings import per_gemeente
from ..transform.fingerprint import Built, changed_marts, read_published
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
    kinds={"duckdb", "parquet"},
    description="Copies the marts (only the marts) to the published DuckDB file and Parquet files, atomically; "
                "a mart whose checks failed keeps its last good release, a mart unchanged since the published "
                "release stays as it is (table publicatie_mart says which). When no mart changed, it writes the "
                "Parquet folder anew from the file if the folder does not hold the file's release.",
    retry_policy=RetryPolicy(max_retries=2, delay=10, backoff=Backoff.LINEAR),
)
def published_marts(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    paths = warehouse.paths()
    graph = release_graph()
    held_back = graph.hold_back(this_runs_failures(context, paths.validation_dir))
    built = Built.read(paths.build_db).marts()
    changed = changed_marts(built, read_published(paths.published_db))
    current = file_release(paths.published_db)
    if not changed and not held_back and current:
        return _catch_up_parquet(context, paths, current)
    unchanged = [mart for mart in graph.marts if mart not in changed]
    with no_retry_on_a_full_disk():
        release = publish(paths.build_db, paths.published_db, context.run.run_id, graph, held_back, read_keys(),
                          unchanged, built)
    for mart in release.not_current:
        context.log.warning(f"{mart.mart} {mart.status}"
                            + (f" at run {mart.run_id}" if mart.run_id else "") + f": {mart.reason}")
    kept = [m.mart for m in release.marts if m.status == UNCHANGED]
    context.log.info(f"published {len(release.counts)} marts to {paths.published_db}, "
                     f"{len(kept)} of them unchanged since the published release")
    gemeenten = _catch_up_gemeenten(context, paths)
    return MaterializeResult(metadata={
        **({"gemeenten": MetadataValue.json(gemeenten)} if gemeenten else {}),
        "release": release.run_id,
        "path": MetadataValue.path(str(paths.published_db)),
        "parquet": MetadataValue.path(str(paths.published_db.parent / PARQUET_DIR)),
        "row_counts": MetadataValue.json(release.counts),
        "not_current": MetadataValue.json({m.mart: {"status": m.status, "run_id": m.run_id, "reason": m.reason}
                                           for m in release.not_current}),
        "unchanged": MetadataValue.json(kept),
    })


def _catch_up_parquet(context: AssetExecutionContext, paths, release: str) -> MaterializeResult:
    """No mart changed: the file keeps its release; the Parquet folder is written anew from it
    when it does not hold that release."""
    metadata = {"release": release, "path": MetadataValue.path(str(paths.published_db)), "new_release": False}
    lagging = behind(paths, None)
    if PARQUET in lagging:
        with no_retry_on_a_full_disk():
            publish_parquet(paths.published_db)
        context.log.info(f"Parquet caught up: it {lagging[PARQUET]}")
        metadata["caught_up"] = MetadataValue.json({PARQUET: lagging[PARQUET]})
    if gemeenten := _catch_up_gemeenten(context, paths):
        metadata["gemeenten"] = MetadataValue.json(gemeenten)
    return MaterializeResult(metadata=metadata)


def _catch_up_gemeenten(context: AssetExecutionContext, paths) -> dict[str, str]:
    """With WAREHOUSE_PER_GEMEENTE: write the file and Parquet folder of every gemeente that does
    not hold the published file's release anew from it; remove the folders of gemeenten no longer
    served. Returns target -> what it held, for the targets written."""
    if not per_gemeente():
        return {}
    lagging, written = behind(paths, None), {}
    codes = release_gemeenten(paths.published_db)
    for code in codes:
        file, parquet = gemeente_target(FILE, code), gemeente_target(PARQUET, code)
        with no_retry_on_a_full_disk():
            if file in lagging:
                publish_gemeente(paths.published_db, code)
            if file in lagging or parquet in lagging:
                publish_parquet(gemeente_paths(paths.published_db, code).published_db)
        written.update({target: lagging[target] for target in (file, parquet) if target in lagging})
    for code in remove_others(paths.published_db, codes):
        context.log.info(f"removed the files of {code}: not a gemeente of the release (dim_gemeente)")
    if written:
        context.log.info(f"published per gemeente: {', '.join(sorted(written))}")
    return written


class PostgresUnavailable(RuntimeError):
    """The PostgreSQL server could not be reached: it keeps its release until a later run."""


@asset(
    deps=[published_marts],
    group_name="publish",
    kinds={"postgres"},
    output_required=False,
    description="When PostgreSQL is configured: loads the release of the published DuckDB file into PostgreSQL "
                "and switches it in in one short transaction, whenever PostgreSQL holds another release (a new "
                "release, or a database that is new, emptied, restored or behind after a failed night).",
)
def published_postgres(context: AssetExecutionContext, warehouse: WarehouseResource):
    target = warehouse.postgres_target()
    if target is None:
        context.log.info("no PostgreSQL publication configured (WAREHOUSE_POSTGRES_URL)")
        return
    paths = warehouse.paths()
    release = file_release(paths.published_db)
    state = postgres_held(target)
    if state.problem:
        raise PostgresUnavailable(f"PostgreSQL {target.display()} cannot be reached ({state.problem}); it keeps "
                                  f"its release and the next run catches it up")
    if state.release == release:
        context.log.info(f"PostgreSQL {target.display()} holds run {release}, the release of the DuckDB file")
        return
    with no_retry_on_a_full_disk():
        counts = publish_postgres(paths.published_db, target, release)
    context.log.info(f"published {len(counts)} tables to PostgreSQL {target.display()} (it held {state.describe()})")
    yield MaterializeResult(metadata={
        "release": release,
        "held_before": state.describe(),
        "postgres": target.display(),
        "postgres_row_counts": MetadataValue.json(counts),
    })


ASSETS = [published_marts, published_postgres]
