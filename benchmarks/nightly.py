"""The whole nightly job once, timed, for the benchmarks that measure it end to end
(benchmarks/publication.py, benchmarks/registraties_jeugdhulp.py). The ledger and
the survey are measured against bare SQL by benchmarks/ratios.py."""

from __future__ import annotations

import time

from dagster import DagsterInstance

from dagster_project.definitions import defs
from dagster_project.operations.run import run_config
from dagster_project.settings import WarehousePaths

from .memory import PeakMemory


def measure_nightly(paths: WarehousePaths, what: str) -> tuple[bool, float, float]:
    """Run the nightly job once on `paths`; print its slowest steps and a summary.
    Returns (succeeded and published, seconds, peak MB of the process tree)."""
    started = time.perf_counter()
    with PeakMemory() as peak:
        result = defs.resolve_job_def("nightly").execute_in_process(
            run_config=run_config(paths, log_level="ERROR"), instance=DagsterInstance.ephemeral(),
            raise_on_error=False)
    seconds = time.perf_counter() - started
    steps = {e.step_key: e.event_specific_data.duration_ms / 1000 for e in result.all_events
             if e.event_type_value == "STEP_SUCCESS"}
    published = paths.published_db.exists()
    for step, duration in sorted(steps.items(), key=lambda s: -s[1])[:6]:
        print(f"  {step:<60} {duration:6.1f} s")
    print(f"nightly job on {what}: {seconds:.0f} s, published: {published}, "
          f"peak resident memory of the process tree (sampled): {peak.mb:,.0f} MB")
    return result.success and published, seconds, peak.mb

