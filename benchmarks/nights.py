"""Benchmark: bounded disk. Thirty consecutive nights with one new delivery each, on the sample.

    python -m benchmarks.nights [nights] [retention days]

Night 1 loads the sample sources; every later night delivers one file: a correction of the
ledger's 2025 rekening (it supersedes the one before), every fifth night one that breaks its
contract (quarantined, with a copy). Each night runs the nightly job and the housekeeping job on
a Dagster instance of its own ($DAGSTER_HOME with deploy/dagster.yaml), then measures the disk
use of every folder of the warehouse and of $DAGSTER_HOME, and moves the clocks one day back:
the files' times and the Dagster runs' times (what the retention reads), so the nights are days
apart without waiting. The retention runs with its settings shortened to `retention days`
(default 7) for runs and quarantine copies alike, so that thirty nights pass it several times.

Target: apart from the archive and the data (the build file, the load log, the published file,
Parquet and report), the warehouse stops growing: over the last ten nights no folder uses more
than over the ten nights before (plus 5% and 256 KB for pages a file keeps). Prints the table and
exits non-zero when a folder keeps growing.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from dagster import DagsterInstance

from dagster_project.definitions import defs
from dagster_project.operations.run import run_config
from dagster_project.settings import REPO_ROOT, SAMPLE_LANDING_DIR, WarehousePaths
from dagster_project.sources.financien import GROOTBOEK

DAY = 86400
# What may grow with every delivery: the deliveries themselves and the data built from them
# (the report is a link, rapport, to the folder of its release, .rapport.<id>).
DATA = ("archive", "build.duckdb", "loads.duckdb", "marts.duckdb", "parquet", "rapport", ".rapport.*")
SLACK_SHARE, SLACK_BYTES = 0.05, 256 * 1024
LEDGER = SAMPLE_LANDING_DIR / GROOTBOEK.folder / "financien_GM0637_2025_rekening.csv"


def disk_use(path: Path) -> int:
    """Bytes allocated on disk (as du counts them) for a file or a folder."""
    if not path.is_dir() or path.is_symlink():
        return path.lstat().st_blocks * 512
    return sum(os.lstat(Path(folder) / name).st_blocks * 512
               for folder, folders, files in os.walk(path) for name in files + folders)


def deliver(landing: Path, night: int, day: datetime) -> Path:
    """The night's delivery: the 2025 rekening corrected (its last amount by a cent per night), or broken."""
    lines = LEDGER.read_text(encoding="utf-8").splitlines()
    head, amount = lines[-1].rsplit(";", 1)
    sign, cents = ("-" if amount.startswith("-") else ""), int(amount.lstrip("-").replace(".", "").replace(",", ""))
    euros = f"{(cents + night) // 100:,}".replace(",", ".")
    lines[-1] = f"{head};{sign}{euros},{(cents + night) % 100:02d}"
    if night % 5 == 0:  # a taakveld that does not exist: the file is quarantined
        lines[1] = lines[1].replace(";6.1;", ";6.99;")
    target = landing / GROOTBOEK.folder / f"financien_GM0637_2025_rekening_{day:%Y%m%d}.csv"
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def age_one_day(paths: WarehousePaths, dagster_home: Path) -> None:
    """Move the clocks of what the retention reads one day back: the times of the warehouse's files
    (the archive's too) and of $DAGSTER_HOME's, and the Dagster runs' times."""
    for root in (paths.warehouse_dir, dagster_home):
        for folder, _, files in os.walk(root):
            for name in [*files, "."]:
                path = Path(folder) / name
                info = path.lstat()
                os.utime(path, (info.st_atime - DAY, info.st_mtime - DAY), follow_symlinks=False)
    with sqlite3.connect(dagster_home / "history" / "runs.db") as con:
        con.execute("""UPDATE runs SET
            create_timestamp = strftime('%Y-%m-%d %H:%M:%f', create_timestamp, '-1 day'),
            update_timestamp = strftime('%Y-%m-%d %H:%M:%f', update_timestamp, '-1 day'),
            start_time = start_time - 86400, end_time = end_time - 86400""")


def night(instance: DagsterInstance, paths: WarehousePaths) -> tuple[bool, bool, float]:
    """The nightly job and the housekeeping job: (nightly succeeded, housekeeping succeeded, seconds)."""
    started = time.perf_counter()
    nightly = defs.resolve_job_def("nightly").execute_in_process(
        run_config=run_config(paths, log_level="ERROR"), instance=instance, raise_on_error=False)
    housekeeping = defs.resolve_job_def("housekeeping").execute_in_process(
        run_config=run_config(paths, log_level="ERROR"), instance=instance, raise_on_error=False)
    return nightly.success, housekeeping.success, time.perf_counter() - started


def sizes(paths: WarehousePaths, dagster_home: Path) -> dict[str, int]:
    """Disk use per folder (or file) of the warehouse, and of $DAGSTER_HOME as dagster/<name>."""
    measured: dict[str, int] = {}
    for name, path in [*((p.name, p) for p in paths.warehouse_dir.iterdir()),
                       *((f"dagster/{p.name}", p) for p in dagster_home.iterdir())]:
        folder = re.sub(r"[0-9a-f]{32}$", "*", name)  # the folders of releases together
        measured[folder] = measured.get(folder, 0) + disk_use(path)
    return measured


def print_night(number: int, row: dict[str, int], took: float) -> None:
    bounded = sum(v for k, v in row.items() if k not in DATA)
    print(f"night {number}: {took:.0f} s, bounded {bounded / 1024:,.0f} KB, data and archive "
          f"{(sum(row.values()) - bounded) / 1024:,.0f} KB", flush=True)


def print_table(table: list[dict[str, int]], seconds: list[float]) -> None:
    columns = sorted({name for row in table for name in row}, key=lambda n: (n in DATA, n))
    print("\nDisk use per night in KB (the data and the archive last; bounded = everything else)")
    print("night " + " ".join(f"{c[-16:]:>16}" for c in columns) + f" {'bounded':>9} {'seconds':>7}")
    for number, (row, took) in enumerate(zip(table, seconds, strict=True), start=1):
        bounded = sum(v for k, v in row.items() if k not in DATA)
        print(f"{number:>5} " + " ".join(f"{row.get(c, 0) / 1024:16,.0f}" for c in columns)
              + f" {bounded / 1024:9,.0f} {took:7.0f}")


def still_growing(table: list[dict[str, int]]) -> list[str]:
    """The folders outside the data that use more over the last ten nights than over the ten before."""
    before, last = table[-20:-10], table[-10:]
    growing = []
    for name in sorted({n for row in table for n in row} - set(DATA)):
        peak_before = max(row.get(name, 0) for row in before)
        peak_last = max(row.get(name, 0) for row in last)
        if peak_last > peak_before * (1 + SLACK_SHARE) + SLACK_BYTES:
            growing.append(f"{name} ({peak_before / 1024:,.0f} KB, then {peak_last / 1024:,.0f} KB)")
    return growing


def main() -> int:
    nights = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    retention_days = sys.argv[2] if len(sys.argv) > 2 else "7"
    if nights < 20:
        raise SystemExit("the target compares the last ten nights with the ten before: at least 20 nights")
    os.environ.update(WAREHOUSE_RETENTION_RUN_DAYS=retention_days, WAREHOUSE_RETENTION_QUARANTINE_DAYS=retention_days,
                      WAREHOUSE_SETTLE_SECONDS="0",
                      WAREHOUSE_PSEUDONIMISERING_SLEUTEL="een-geheim-alleen-voor-de-benchmark-van-de-schijf")
    print(f"{os.cpu_count()} cores, load average at the start {os.getloadavg()[0]:.1f}; {nights} nights, "
          f"retention {retention_days} days for runs and quarantine copies")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        paths = WarehousePaths(root / "landing", root / "warehouse", root / "warehouse" / "marts.duckdb")
        shutil.copytree(SAMPLE_LANDING_DIR, paths.landing_dir)
        dagster_home = root / "dagster"
        dagster_home.mkdir()
        shutil.copy(REPO_ROOT / "deploy" / "dagster.yaml", dagster_home / "dagster.yaml")
        table, seconds, failed = [], [], []
        with DagsterInstance.from_config(str(dagster_home)) as instance:
            first_day = datetime.now(UTC) - timedelta(days=nights)
            for number in range(1, nights + 1):
                if number > 1:
                    deliver(paths.landing_dir, number, first_day + timedelta(days=number))
                nightly_ok, housekeeping_ok, took = night(instance, paths)
                if not (nightly_ok and housekeeping_ok):
                    failed.append(f"night {number}: nightly {nightly_ok}, housekeeping {housekeeping_ok}")
                table.append(sizes(paths, dagster_home))
                seconds.append(took)
                print_night(number, table[-1], took)
                age_one_day(paths, dagster_home)
    print_table(table, seconds)
    growing = still_growing(table)
    print(f"\nload average at the end {os.getloadavg()[0]:.1f}")
    for line in failed:
        print(f"FAILED {line}")
    print("target (nothing but the data and the archive grows over the last ten nights): "
          + ("met" if not growing else "MISSED: still growing: " + "; ".join(growing)))
    return 1 if growing or failed else 0


if __name__ == "__main__":
    sys.exit(main())
