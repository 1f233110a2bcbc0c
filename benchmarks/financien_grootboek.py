"""Benchmark: load a one-million-line finance ledger (CSV and a bad variant).

    python -m benchmarks.financien_grootboek [lines]

Targets on the reference machine (2 cores, 24 GB): a million valid lines load
in under 60 s, and a million-line file with one bad amount is quarantined in
the same time; the peak resident memory of each load stays under DuckDB's
memory limit (WAREHOUSE_DUCKDB_MEMORY_LIMIT, 4 GB) plus a margin of 512 MB.
Prints the measurements (wall and CPU seconds) and exits non-zero when a
target is missed.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import duckdb

from dagster_project.ingest.loading import load_source
from dagster_project.settings import WarehousePaths
from dagster_project.sources.financien import GROOTBOEK

from .memory import PeakMemory, cpu_seconds, load_target_mb

TARGET_SECONDS = 60
HEADER = ("gemeente_code;jaar;fase;programma_code;doelstelling_code;doelstelling_naam;taakveld_code;"
          "kostenplaats;soort;reservemutatie;bedrag")


def write_ledger(path: Path, lines: int, bad_line: int | None = None) -> None:
    """A synthetic 2021 rekening ledger, written by DuckDB in one statement."""
    bad = f"CASE WHEN i = {bad_line} THEN '1,80535713509409E+17%' ELSE " if bad_line else ""
    end = " END" if bad_line else ""
    duckdb.sql(f"""
        COPY (
            SELECT 'GM0637' AS gemeente_code, 2021 AS jaar, 'rekening' AS fase, '2' AS programma_code,
                   '2.1' AS doelstelling_code,
                   'Bevorderen vroegtijdige, toegankelijke, passende en effectieve jeugdhulp' AS doelstelling_naam,
                   '6.72' AS taakveld_code, 'Kostenplaats ' || (i % 500) AS kostenplaats,
                   CASE WHEN i % 7 = 0 THEN 'baten' ELSE 'lasten' END AS soort, 'nee' AS reservemutatie,
                   {bad}replace(printf('%.2f', (CASE WHEN i % 7 = 0 THEN 1 ELSE -1 END) * (i % 100000) / 7.0),
                           '.', ','){end} AS bedrag
            FROM range(1, {lines} + 1) t(i)
        ) TO '{path}' (FORMAT csv, DELIMITER ';', HEADER true)
    """)


def measure(paths: WarehousePaths, label: str) -> tuple[float, float, str]:
    started, cpu = time.perf_counter(), cpu_seconds()
    with PeakMemory() as peak:
        report = load_source(GROOTBOEK, paths)
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    [outcome] = [f for f in report.files if f.status != "unchanged"]
    print(f"{label:<34} {seconds:6.1f} s ({cpu:5.1f} CPU-s)  peak {peak.mb:6,.0f} MB  {outcome.status:<12} "
          f"rows {outcome.rows:>9,}  problems {outcome.problems}")
    return seconds, peak.mb, outcome.status


def main() -> int:
    lines = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        ledger_dir = root / "landing" / "financien" / "grootboek"
        ledger_dir.mkdir(parents=True)
        paths = WarehousePaths(root / "landing", root / "warehouse", root / "warehouse" / "marts.duckdb")

        write_ledger(ledger_dir / "a_valid.csv", lines)
        print(f"ledger of {lines:,} lines: {(ledger_dir / 'a_valid.csv').stat().st_size / 1e6:.0f} MB")
        valid_seconds, valid_mb, valid_status = measure(paths, "load valid ledger")

        write_ledger(ledger_dir / "b_one_bad_amount.csv", lines, bad_line=lines // 2)
        bad_seconds, bad_mb, bad_status = measure(paths, "quarantine ledger with 1 bad line")

    target_mb = load_target_mb()
    ok = (valid_status == "loaded" and bad_status == "quarantined"
          and max(valid_seconds, bad_seconds) < TARGET_SECONDS and max(valid_mb, bad_mb) < target_mb)
    print(f"targets (< {TARGET_SECONDS} s per file, < {target_mb:,.0f} MB): {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
