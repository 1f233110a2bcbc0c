"""Benchmark: the whole nightly job on a one-million-line ledger.

    python -m benchmarks.nightly [lines]

Loads the ledger, builds and tests the marts with dbt, runs the Great
Expectations suites and publishes, in this process. Target on the reference
machine (2 cores, 24 GB): under 10 minutes with a peak resident memory of
the whole process tree (this process and dbt) under 8 GB. Prints the
measurements and exits non-zero when a target is missed.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from dagster import DagsterInstance

from dagster_project.definitions import defs
from dagster_project.run import run_config
from dagster_project.settings import WarehousePaths

from .financien_grootboek import write_ledger
from .memory import PeakMemory

TARGET_SECONDS = 600
TARGET_PEAK_MB = 8192


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


def main() -> int:
    lines = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        paths = WarehousePaths(root / "landing", root / "warehouse", root / "warehouse" / "marts.duckdb")
        (paths.landing_dir / "financien" / "grootboek").mkdir(parents=True)
        write_ledger(paths.landing_dir / "financien" / "grootboek" / "ledger.csv", lines)
        published, seconds, peak_mb = measure_nightly(paths, f"{lines:,} ledger lines")
    ok = published and seconds < TARGET_SECONDS and peak_mb < TARGET_PEAK_MB
    print(f"targets (< {TARGET_SECONDS} s, < {TARGET_PEAK_MB} MB): {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
