"""Run the nightly job once, in this process, and print a summary.

    python -m dagster_project.run

Used by `make run`. The run is recorded in $DAGSTER_HOME, so it also shows in
the Dagster UI (`make dev`). Exits non-zero when the marts were not published.
"""

from __future__ import annotations

import sys

from dagster import DagsterEventType, DagsterInstance, ExecuteInProcessResult

from .settings import WarehousePaths
from .sources import CONTRACTS


def run_config(paths: WarehousePaths | None = None, log_level: str = "WARNING") -> dict:
    """Run config for the nightly job: console log level and, optionally, other folders."""
    config: dict = {"loggers": {"console": {"config": {"log_level": log_level}}}}
    if paths is not None:
        config["resources"] = {"warehouse": {"config": {
            "landing_dir": str(paths.landing_dir),
            "warehouse_dir": str(paths.warehouse_dir),
            "published_db": str(paths.published_db),
        }}}
    return config


def _events(result: ExecuteInProcessResult, event_type: DagsterEventType):
    return [e for e in result.all_events if e.event_type == event_type]


def summarise(result: ExecuteInProcessResult, paths: WarehousePaths, contracts=CONTRACTS) -> tuple[str, bool]:
    lines = [f"Nightly run {result.run_id}: {'succeeded' if result.success else 'FAILED'}", "", "Sources"]
    materialized = {}
    for event in _events(result, DagsterEventType.ASSET_MATERIALIZATION):
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
    lines.append(f"  load log and quarantine: {paths.loads_db}")

    evaluations = [e.event_specific_data for e in _events(result, DagsterEventType.ASSET_CHECK_EVALUATION)]
    failed = [c for c in evaluations if not c.passed]
    lines += ["", f"Checks: {len(evaluations) - len(failed)} passed, {len(failed)} failed"]
    for check in failed:
        lines.append(f"  {check.severity.value:<5} {check.asset_key.to_user_string()}: {check.check_name}")

    published = materialized.get("published_marts")
    lines.append("")
    if published:
        lines.append(f"Published: {paths.published_db}")
        lines.append(f"  Parquet:  {published['parquet']}")
        for table, rows in published["row_counts"].items():
            lines.append(f"  {table:<28} {rows:>8} rows")
    else:
        lines.append(f"NOT published: the last good marts (if any) stay in place at {paths.published_db}")

    report = materialized.get("programma_rapport")
    lines.append("")
    if report:
        lines.append(f"Report: {report['path']} ({report['pages']} pages, {report['charts']} charts)")
    else:
        lines.append(f"Report NOT rebuilt: the last report (if any) stays in place at {paths.report_dir}")
    return "\n".join(lines), bool(published) and result.success


def main() -> int:
    from .definitions import defs
    from .defs.resources import RESOURCES

    result = defs.resolve_job_def("nightly").execute_in_process(
        instance=DagsterInstance.get(),
        # Warnings (quarantined files, failed checks) and errors; the summary follows.
        run_config=run_config(),
        raise_on_error=False,
    )
    text, ok = summarise(result, RESOURCES["warehouse"].paths())
    print(text)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
