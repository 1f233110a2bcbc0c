"""Benchmark: the nightly against its limits, in one run, on the same generated files.

    python -m benchmarks.ratios [ledger lines] [omnibus respondents]

0. The fixed cost of the stack: a trivial one-model dagster-dbt job
   (benchmarks/fixed_cost.py), measured once and used by every target below.
1. A million ledger lines: the full nightly per phase (load, dbt, checks, publish,
   and Dagster's own share) against the same steps as bare SQL (benchmarks/bare.py);
   then a night with nothing new; then one new file of a thousand lines.
2. A million omnibus respondents (about 14 million answer rows), with the sample
   indicator deliveries: the full nightly against bare SQL per phase.

Wall and CPU seconds of the whole process tree (this process and dbt's), and its
peak resident memory, sampled from /proc (benchmarks/memory.py). Prints every
figure with its target and exits non-zero when a target is missed. The targets
(wall seconds; "fixed" is the fixed cost of the stack):
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb
from dagster import DagsterInstance

from dagster_project.definitions import defs
from dagster_project.operations.run import run_config
from dagster_project.settings import SAMPLE_LANDING_DIR, WarehousePaths
from dagster_project.sources import CONTRACTS
from dagster_project.sources.enquetes import OMNIBUS
from dagster_project.sources.financien import GROOTBOEK
from dagster_project.sources.indicatoren import WAARDEN

from . import bare, fixed_cost
from .enquetes_omnibus import write_omnibus
from .financien_grootboek import write_ledger
from .memory import Usage

# The nightly at scale may exceed the bare SQL of the same steps by at most the fixed cost.
TARGET_OVERHEAD_FIXED = 1.0      # (nightly - bare) / fixed
TARGET_SMALL_FILE_SHARE = 0.10   # one small new file: fixed + this share of (full nightly - fixed)
TARGET_NOTHING_NEW_RATIO = 0.3   # nothing new / fixed
__doc__ += f"""
- the nightly at 1M ledger lines and at 1M respondents: nightly <= bare + {TARGET_OVERHEAD_FIXED:g} x fixed;
- one small new file next to 1M ledger lines: <= fixed + {TARGET_SMALL_FILE_SHARE:.0%} of (full nightly - fixed);
- a night with nothing new: <= {TARGET_NOTHING_NEW_RATIO} x fixed.
"""
SOURCE_STEPS = {contract.source for contract in CONTRACTS}
PHASE_OF_STEP = {"warehouse_dbt_assets": "dbt", "validation_results": "checks", "published_marts": "publish"}


@dataclass
class Night:
    """One nightly run: wall and CPU seconds per phase, peak memory of the process tree."""

    phases: bare.Phases
    wall: float
    cpu: float
    success: bool

    @property
    def other_wall(self) -> float:
        return self.wall - self.phases.total_wall()


def nightly(paths: WarehousePaths) -> Night:
    instance = DagsterInstance.ephemeral()
    with Usage() as usage:
        result = defs.resolve_job_def("nightly").execute_in_process(
            run_config=run_config(paths, log_level="ERROR"), instance=instance, raise_on_error=False)
    phases = bare.Phases(peak_mb=usage.peak_mb)
    starts = {}
    for record in instance.all_logs(result.run_id):
        event = record.dagster_event
        if event is None or event.step_key is None:
            continue
        if event.event_type_value == "STEP_START":
            starts[event.step_key] = record.timestamp
        elif event.event_type_value in ("STEP_SUCCESS", "STEP_FAILURE"):
            phase = "load" if event.step_key in SOURCE_STEPS else PHASE_OF_STEP.get(event.step_key, "other")
            start = starts[event.step_key]
            phases.wall[phase] = phases.wall.get(phase, 0) + record.timestamp - start
            phases.cpu[phase] = phases.cpu.get(phase, 0) + usage.cpu_between(start, record.timestamp)
    return Night(phases, usage.wall, usage.cpu, result.success)


def _ratio(a: float, b: float) -> str:
    return f"{a / b:5.2f}x" if b else "  n/a"


@dataclass
class Fixed:
    """The fixed cost of the stack: one trivial dagster-dbt model, wall and CPU seconds."""

    wall: float
    cpu: float
    success: bool

    @classmethod
    def measure(cls, root: Path) -> Fixed:
        job = fixed_cost.trivial_job(root)  # parsed beforehand, as make setup parses the warehouse
        with Usage() as usage:
            ok = fixed_cost.run(job)
        return cls(usage.wall, usage.cpu, ok)


def within_bare_plus_fixed(title: str, night: Night, limit: bare.Phases, fixed: Fixed) -> bool:
    """Print the nightly against bare SQL per phase; whether its overhead is within the fixed cost."""
    print(f"\n{title}")
    print(f"  {'phase':<10} {'nightly wall':>12} {'CPU':>8} {'bare wall':>10} {'CPU':>8} {'ratio wall':>11} {'CPU':>7}")
    for phase in bare.PHASES:
        wall, cpu = night.phases.wall.get(phase, 0), night.phases.cpu.get(phase, 0)
        print(f"  {phase:<10} {wall:10.1f} s {cpu:6.1f} s {limit.wall[phase]:8.1f} s {limit.cpu[phase]:6.1f} s "
              f"{_ratio(wall, limit.wall[phase]):>11} {_ratio(cpu, limit.cpu[phase]):>7}")
    print(f"  {'Dagster':<10} {night.other_wall:10.1f} s {'':>8} {'':>10} {'':>8}")
    print(f"  {'total':<10} {night.wall:10.1f} s {night.cpu:6.1f} s {limit.total_wall():8.1f} s "
          f"{limit.total_cpu():6.1f} s {_ratio(night.wall, limit.total_wall()):>11} "
          f"{_ratio(night.cpu, limit.total_cpu()):>7}")
    overhead = night.wall - limit.total_wall()
    print(f"  overhead over the bare SQL {overhead:.1f} s = {_ratio(overhead, fixed.wall).strip()} the fixed cost "
          f"({fixed.wall:.1f} s)   target <= bare + {TARGET_OVERHEAD_FIXED:g} x fixed = "
          f"{limit.total_wall() + TARGET_OVERHEAD_FIXED * fixed.wall:.1f} s")
    print(f"  peak memory of the process tree: nightly {night.phases.peak_mb:,.0f} MB, bare {limit.peak_mb:,.0f} MB")
    return night.success and overhead <= TARGET_OVERHEAD_FIXED * fixed.wall


def latest_dbt_manifest(paths: WarehousePaths) -> Path:
    return sorted((paths.warehouse_dir / "dbt_runs").iterdir())[-1] / "build" / "manifest.json"


def scenario(root: Path, folder: str) -> tuple[WarehousePaths, Path]:
    """The folders of a scenario, with the landing folder of its source."""
    paths = WarehousePaths(root / "landing", root / "warehouse", root / "warehouse" / "marts.duckdb")
    (paths.landing_dir / folder).mkdir(parents=True)
    return paths, paths.landing_dir / folder


def ledger(root: Path, lines: int, fixed: Fixed) -> list[str]:
    """The ledger scenarios; returns the missed targets."""
    paths, folder = scenario(root, GROOTBOEK.folder)
    big = folder / "financien_2021_rekening.csv"
    write_ledger(big, lines)
    print(f"ledger of {lines:,} lines: {big.stat().st_size / 1e6:.0f} MB")
    full = nightly(paths)
    limit = bare.run({GROOTBOEK: [big]}, paths.build_db, latest_dbt_manifest(paths), root / "bare")
    missed = []
    if not within_bare_plus_fixed(f"Full nightly, {lines:,} ledger lines", full, limit, fixed):
        missed.append("ledger nightly <= bare + fixed")

    again = nightly(paths)
    ratio = again.wall / fixed.wall
    print(f"\nNothing new: nightly {again.wall:.1f} s, {again.cpu:.1f} CPU-s; fixed cost {fixed.wall:.1f} s, "
          f"{fixed.cpu:.1f} CPU-s: {ratio:.2f}x wall, {again.cpu / fixed.cpu:.2f}x CPU   "
          f"target <= {TARGET_NOTHING_NEW_RATIO}x")
    if ratio > TARGET_NOTHING_NEW_RATIO or not again.success:
        missed.append("nothing new <= 0.3 x fixed")

    small = folder / "financien_2022_begroting_primitief.csv"
    duckdb.sql(f"COPY (SELECT * REPLACE (2022 AS jaar, 'begroting primitief' AS fase) FROM read_csv('{big}', "
               f"delim = ';', all_varchar = true) LIMIT 1000) TO '{small}' (DELIMITER ';', HEADER true)")
    one = nightly(paths)
    allowed = fixed.wall + TARGET_SMALL_FILE_SHARE * (full.wall - fixed.wall)
    phases = ", ".join(f"{phase} {one.phases.wall.get(phase, 0):.1f} s" for phase in bare.PHASES)
    print(f"\nOne new file of 1,000 lines: nightly {one.wall:.1f} s, {one.cpu:.1f} CPU-s ({phases}); "
          f"full nightly {full.wall:.1f} s, fixed cost {fixed.wall:.1f} s: "
          f"{(one.wall - fixed.wall) / (full.wall - fixed.wall):.1%} of the full nightly above the fixed cost   "
          f"target <= fixed + {TARGET_SMALL_FILE_SHARE:.0%} of (full - fixed) = {allowed:.1f} s")
    if one.wall > allowed or not one.success:
        missed.append("one small new file <= fixed + 10% of (full - fixed)")
    return missed


def omnibus(root: Path, respondents: int, fixed: Fixed) -> list[str]:
    """The omnibus scenario; returns the missed targets."""
    paths, folder = scenario(root, OMNIBUS.folder)
    survey = folder / "omnibus.csv"
    write_omnibus(survey, respondents)
    # The sample indicator deliveries carry the targets the scorecard checks expect.
    shutil.copytree(SAMPLE_LANDING_DIR / "indicatoren", paths.landing_dir / "indicatoren")
    indicators = sorted((paths.landing_dir / "indicatoren" / "waarden").glob("*.csv"))
    print(f"\nomnibus survey of {respondents:,} respondents: {survey.stat().st_size / 1e6:.0f} MB")
    night = nightly(paths)
    limit = bare.run({OMNIBUS: [survey], WAARDEN: indicators}, paths.build_db, latest_dbt_manifest(paths),
                     root / "bare")
    title = f"Full nightly, {respondents:,} omnibus respondents"
    return [] if within_bare_plus_fixed(title, night, limit, fixed) else ["omnibus nightly <= bare + fixed"]


def main() -> int:
    lines = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    respondents = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    print(f"{os.cpu_count()} cores, load average at the start {os.getloadavg()[0]:.1f} "
          "(other work on the machine shares the cores)")
    with tempfile.TemporaryDirectory() as tmp:
        fixed = Fixed.measure(Path(tmp))
    print(f"fixed cost of the stack (one trivial dagster-dbt model): {fixed.wall:.1f} s, {fixed.cpu:.1f} CPU-s")
    missed = [] if fixed.success else ["the fixed-cost job failed"]
    with tempfile.TemporaryDirectory() as tmp:
        missed += ledger(Path(tmp) / "ledger", lines, fixed)
    with tempfile.TemporaryDirectory() as tmp:
        missed += omnibus(Path(tmp) / "omnibus", respondents, fixed)
    print(f"\nload average at the end {os.getloadavg()[0]:.1f}")
    print("targets: " + ("all met" if not missed else "MISSED: " + "; ".join(missed)))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
