"""Run the nightly job once, in this process, and print a summary.

    python -m dagster_project.operations.run

Used by `make run`. The run is recorded in $DAGSTER_HOME, so it also shows in
the Dagster UI (`make dev`). Exits non-zero unless the published release is
current: every mart fresh or unchanged since the run that published it, or
nothing new at all; it fails when nothing was published, or a mart was held
back or is missing.
"""

from __future__ import annotations

import logging
import sys

from dagster import (
    AssetCheckSeverity,
    AssetKey,
    DagsterEvent,
    DagsterEventType,
    DagsterInstance,
    ExecuteInProcessResult,
)

from ..defs.resources import is_disk_full
from ..ingest.landing import not_claimed
from ..publication import targets
from ..publication.postgres import PostgresTarget
from ..settings import WarehousePaths, postgres_settings
from ..sources import CONTRACTS
from .lock import WarehouseBusy


def run_config(paths: WarehousePaths | None = None, log_level: str = "WARNING",
               postgres: PostgresTarget | None = None) -> dict:
    """Run config for the nightly job: console log level and, optionally, other folders and
    a PostgreSQL publication."""
    config: dict = {"loggers": {"console": {"config": {"log_level": log_level}}}}
    warehouse: dict = {}
    if paths is not None:
        warehouse.update(landing_dir=str(paths.landing_dir), warehouse_dir=str(paths.warehouse_dir),
                         published_db=str(paths.published_db))
    if postgres is not None:
        warehouse.update(postgres_url=postgres.url, postgres_schema=postgres.schema,
                         postgres_reader_role=postgres.reader_role, postgres_row_security=postgres.row_security)
    if warehouse:
        config["resources"] = {"warehouse": {"config": warehouse}}
    return config


def _events(events: list[DagsterEvent], event_type: DagsterEventType) -> list[DagsterEvent]:
    return [e for e in events if e.event_type == event_type]


def _causes(error):
    """The chain of a serialized error: the error, then what caused it, outermost first."""
    while error is not None:
        yield error
        error = error.cause or error.context


def failures(events: list[DagsterEvent]) -> list[str]:
    """One line per step (or run) of a run's events that failed: where, and the innermost error message."""
    lines = []
    for event in _events(events, DagsterEventType.STEP_FAILURE) + _events(events, DagsterEventType.RUN_FAILURE):
        error = getattr(event.event_specific_data, "error", None)
        if error is None:
            continue
        innermost = list(_causes(error))[-1]
        message = innermost.message.strip().splitlines()[0] if innermost.message.strip() else innermost.cls_name
        where = event.step_key or "run"
        if any(c.cls_name == WarehouseBusy.__name__ for c in _causes(error)):
            where = "not started"
        elif any(is_disk_full(c.message) for c in _causes(error)):
            message += ("\n    The disk is full: free space where the warehouse writes and run again; "
                        "the published release was not changed.")
        line = f"  {where}: {message}"
        if line not in lines:
            lines.append(line)
    return lines


def _published_lines(published: dict, postgres: dict | None, paths: WarehousePaths) -> list[str]:
    """The published marts with their row counts; the held-back and missing ones with why, the
    unchanged ones (kept as the published release had them) marked."""
    not_fresh = published.get("not_current") or {}
    unchanged = set(published.get("unchanged") or ())
    counts = published["row_counts"]
    postgres_counts = postgres.get("postgres_row_counts") if postgres else None
    lines = [f"Published: {paths.published_db}" + (f" ({len(not_fresh)} marts not fresh, see table "
                                                     "publicatie_mart)" if not_fresh else ""),
             f"  Parquet:    {published['parquet']}"]
    if postgres_counts is not None:
        lines += [f"  PostgreSQL: {postgres['postgres']}", f"  {'':<28} {'DuckDB':>8} {'PostgreSQL':>11}"]
    for table in sorted({*counts, *postgres_counts}) if postgres_counts is not None else counts:
        rows = f"{counts.get(table, ''):>8}"
        rows += f" {postgres_counts.get(table, 'missing'):>11}" if postgres_counts is not None else " rows"
        lines.append(f"  {table:<28} {rows}" + not_fresh_note(not_fresh.get(table))
                     + ("  (unchanged)" if table in unchanged else ""))
    for table, mart in not_fresh.items():
        if table not in counts:
            lines.append(f"  {table:<28}  missing{not_fresh_note(mart)}")
    return lines


def _target_lines(materialized: dict, failed_steps: set[str], paths: WarehousePaths,
                  postgres: PostgresTarget | None) -> list[str]:
    """Per target the release it holds now, and what this run did to it."""
    published = materialized.get("published_marts") or {}
    new_release = bool(published) and published.get("new_release") is not False
    caught_up = published.get("caught_up") or {}
    done = {
        targets.FILE: "published by this run" if new_release else
        ("NOT published: it keeps its release" if "published_marts" in failed_steps else "kept: nothing new"),
        targets.PARQUET: "published by this run" if new_release else
        (f"caught up: it {caught_up[targets.PARQUET]}" if targets.PARQUET in caught_up else ""),
        targets.POSTGRES: _step_note(materialized.get("published_postgres"), "published_postgres" in failed_steps,
                                     "published"),
        targets.REPORT: _step_note(materialized.get("programma_rapport"), "programma_rapport" in failed_steps,
                                   "built"),
    }
    states = targets.held(paths, postgres)
    release = states[0].release
    lines, width = ["Targets"], max(12, *(len(state.target) for state in states))
    for state in states:
        behind = "" if state.target == targets.FILE or state.release == release else "  BEHIND the DuckDB file"
        note = done.get(state.target, "")
        lines.append(f"  {state.target:<{width}} {state.describe()}{behind}" + (f"  ({note})" if note else ""))
    return lines


def _step_note(metadata: dict | None, failed: bool, verb: str) -> str:
    if failed:
        return "FAILED, see above: the next run catches it up"
    if metadata is None:
        return ""
    before = metadata.get("held_before")
    return f"{verb} by this run" + (f"; it held {before}" if before else "")


def not_fresh_note(mart: dict | None) -> str:
    if not mart:
        return ""
    if mart["status"] == "held back":
        return f"  held back at run {mart['run_id']}: {mart['reason']}"
    return f": {mart['reason']}"


def summarise(result: ExecuteInProcessResult, paths: WarehousePaths, contracts=CONTRACTS,
              postgres: PostgresTarget | None = None) -> tuple[str, bool]:
    """The run summary, and whether the published release is current (fresh or unchanged marts only)
    and every target holds it."""
    lines = [f"Nightly run {result.run_id}: {'succeeded' if result.success else 'FAILED'}", ""]
    failure_lines = failures(result.all_events)
    failed_steps = {e.step_key for e in _events(result.all_events, DagsterEventType.STEP_FAILURE)}
    if failure_lines:
        lines += ["Failed", *failure_lines, ""]
    lines.append("Sources")
    materialized = {}
    for event in _events(result.all_events, DagsterEventType.ASSET_MATERIALIZATION):
        materialization = event.event_specific_data.materialization
        materialized[materialization.asset_key.to_user_string()] = {
            k: v.value for k, v in materialization.metadata.items()
        }
    for source in (contract.source for contract in contracts):
        meta = materialized.get(source)
        if meta is None:
            lines.append(f"  {source:<26} not run")
            continue
        skipped = f", skipped {meta['files_skipped']}" if meta.get("files_skipped") else ""
        lines.append(
            f"  {source:<26} loaded {meta['files_loaded']}, quarantined {meta['files_quarantined']}, "
            f"unchanged {meta['files_unchanged']}{skipped}, rows loaded {meta['rows_loaded']}"
        )
        for listing in ("quarantined", "skipped"):
            if meta.get(f"files_{listing}"):
                lines.append("    " + str(meta[listing]).replace("\n", "\n    "))
        if meta.get("source_problem"):
            lines.append(f"    {meta['source_problem']}")
    unknown = next((meta["landing_unknown"] for meta in materialized.values() if meta.get("landing_unknown")), None)
    if unknown:
        lines.append(f"  landing directory: {not_claimed(unknown, sorted(c.folder + '/' for c in contracts))}")
    lines.append(f"  load log and quarantine: {paths.loads_db}")

    evaluations = [e.event_specific_data for e in _events(result.all_events, DagsterEventType.ASSET_CHECK_EVALUATION)]
    failed = [c for c in evaluations if not c.passed]
    errors = sum(c.severity == AssetCheckSeverity.ERROR for c in failed)
    lines += ["", f"Checks: {len(evaluations) - len(failed)} passed, {errors} failed, {len(failed) - errors} warned"]
    for check in failed:
        lines.append(f"  {check.severity.value:<5} {check.asset_key.to_user_string()}: {check.check_name}")
        for key in ("errors", "warnings"):
            details = check.metadata.get(key)
            if details is not None and details.value != "none":
                lines.append("        " + details.value.replace("\n", "\n        "))

    published = materialized.get("published_marts")
    observations = _events(result.all_events, DagsterEventType.ASSET_OBSERVATION)
    nothing_new = any(e.asset_key == AssetKey("published_marts") and e.event_specific_data.asset_observation
                      .metadata.get("nothing_new") for e in observations)
    lines.append("")
    if published and published.get("new_release") is not False:
        lines += _published_lines(published, materialized.get("published_postgres"), paths)
    elif nothing_new and "published_marts" not in failed_steps:
        lines.append("Nothing new since the published release: no source loaded a new file and the project did not "
                     f"change; dbt and the checks were skipped. The release stays: {paths.published_db}")
    else:
        lines.append(f"NOT published: the DuckDB file keeps its release (if any) at {paths.published_db}")

    report = materialized.get("programma_rapport")
    lines.append("")
    if report:
        lines.append(f"Report: {report['path']} ({report['pages']} pages, {report['charts']} charts)")
    elif "programma_rapport" in failed_steps or not result.success and not nothing_new:
        lines.append(f"Report NOT rebuilt: the last report (if any) stays in place at {paths.report_dir}")
    else:
        lines.append(f"Report: {paths.report_dir / 'index.html'} (holds the release already)")
    lines += ["", *_target_lines(materialized, failed_steps, paths, postgres if postgres else _postgres_of(result))]
    complete = (bool(published) and not published.get("not_current")) or nothing_new
    return "\n".join(lines), complete and result.success


def _postgres_of(result: ExecuteInProcessResult) -> PostgresTarget | None:
    """The PostgreSQL target of the run's config, or of the environment."""
    config = (result.dagster_run.run_config.get("resources", {}).get("warehouse", {}).get("config", {}))
    url = config.get("postgres_url") or postgres_settings()["url"]
    if not url:
        return None
    defaults = postgres_settings()
    return PostgresTarget(url, config.get("postgres_schema", defaults["schema"]),
                          config.get("postgres_reader_role", defaults["reader_role"]),
                          config.get("postgres_row_security", defaults["row_security"]))


def main() -> int:
    from ..definitions import defs
    from ..defs.resources import RESOURCES

    # Dagster warns for every check of a mart this run did not rebuild that it "emitted no
    # result": by design (docs/operations.md), so not worth a line each.
    logging.getLogger("dagster._core.execution.plan.active").setLevel(logging.ERROR)
    result = defs.resolve_job_def("nightly").execute_in_process(
        instance=DagsterInstance.get(),
        # Warnings (quarantined files, failed checks) and errors; the summary follows.
        run_config=run_config(),
        raise_on_error=False,
    )
    text, ok = summarise(result, RESOURCES["warehouse"].paths(), postgres=RESOURCES["warehouse"].postgres_target())
    print(text)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
