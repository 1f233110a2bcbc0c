"""Benchmark: loading a one-million-respondent omnibus survey (the whole nightly
on it is measured against bare SQL by benchmarks/ratios.py).

    python -m benchmarks.enquetes_omnibus [respondents]

Targets on the reference machine (2 cores, 24 GB): the load under 60 s with a
peak under DuckDB's memory limit plus 512 MB. Prints the measurements and
exits non-zero when a target is missed.
"""

from __future__ import annotations

import csv
import shutil
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from dagster_project.ingest.loading import load_source
from dagster_project.settings import REFERENCE_DIR, SAMPLE_LANDING_DIR, WarehousePaths
from dagster_project.sources.enquetes import OMNIBUS

from .memory import PeakMemory, cpu_seconds, load_target_mb

TARGET_LOAD_SECONDS = 60
WIJKEN = [row["wijk_naam"] for row in csv.DictReader((REFERENCE_DIR / "wijken.csv").open(encoding="utf-8"))]
DJG = ["ja!", "ja", "min of meer", "nee", "nee!"]


def write_omnibus(path: Path, respondents: int) -> None:
    """Synthetic labelled answers (with blanks), written by DuckDB in one statement."""
    def pick(options: list[str], salt: int, blank_every: int = 40) -> str:
        values = ", ".join("'" + o.replace("'", "''") + "'" for o in options)
        return (f"CASE WHEN hash(i, {salt}) % {blank_every} = 0 THEN '' "
                f"ELSE [{values}][CAST(1 + hash(i, {salt + 1}) % {len(options)} AS BIGINT)] END")

    items = ",\n".join(f"{pick(DJG, 10 * n)} AS djg_{n}" for n in range(1, 12))
    duckdb.sql(f"""
        COPY (
            SELECT 'GM0637' AS gemeente_code, 2019 + i % 6 AS jaar, 'B' || i AS respondent_id,
                   CAST(16 + hash(i, 1) % 80 AS INTEGER) AS leeftijd, {pick(['man', 'vrouw', 'anders'], 2)} AS geslacht,
                   {pick(WIJKEN, 4, 100)} AS wijk,
                   replace(printf('%.4f', 0.3 + (hash(i, 6) % 3000) / 1000.0), '.', ',') AS weegfactor,
                   {pick(['zeer goed', 'goed', 'gaat wel', 'slecht', 'zeer slecht'], 7)} AS gezondheid,
                   {items},
                   {pick(['ja', 'nee'], 200)} AS vrijwilligerswerk
            FROM range(1, {respondents} + 1) t(i)
        ) TO '{path}' (FORMAT csv, DELIMITER ';', HEADER true)
    """)


def omnibus_landing(root: Path, respondents: int) -> WarehousePaths:
    """Folders under `root` with a synthetic omnibus delivery and the sample indicators."""
    paths = WarehousePaths(root / "landing", root / "warehouse", root / "warehouse" / "marts.duckdb")
    folder = paths.landing_dir / "enquetes" / "omnibus"
    folder.mkdir(parents=True)
    write_omnibus(folder / "omnibus.csv", respondents)
    # The sample indicator deliveries carry the targets the scorecard checks expect.
    shutil.copytree(SAMPLE_LANDING_DIR / "indicatoren", paths.landing_dir / "indicatoren")
    return paths


def main() -> int:
    respondents = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with tempfile.TemporaryDirectory() as tmp:
        paths = omnibus_landing(Path(tmp), respondents)

        started, cpu = time.perf_counter(), cpu_seconds()
        with PeakMemory() as load_peak:
            [outcome] = load_source(OMNIBUS, paths).files
        load_seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
        print(f"load {respondents:,} respondents: {load_seconds:.1f} s ({cpu:.1f} CPU-s), {outcome.status}, "
              f"rows {outcome.rows:,}, peak resident memory {load_peak.mb:,.0f} MB (target < {load_target_mb():,.0f})")
    ok = outcome.status == "loaded" and load_seconds < TARGET_LOAD_SECONDS and load_peak.mb < load_target_mb()
    print(f"targets (load < {TARGET_LOAD_SECONDS} s, < {load_target_mb():,.0f} MB): {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
