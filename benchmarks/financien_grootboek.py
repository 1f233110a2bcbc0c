"""Benchmark: load a one-million-line finance ledger (CSV and a bad variant).

    python -m benchmarks.financien_grootboek [lines]

Targets on the reference machine (2 cores, 24 GB): a million valid lines load
in under 60 s with a peak resident memory under 4 GB, and a million-line file
with one bad amount is quarantined in the same time. Prints the measurements
and exits non-zero when a target is missed.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from dagster_project.ingest.loading import load_source
from dagster_project.settings import WarehousePaths
from dagster_project.sources.financien import GROOTBOEK

TARGET_SECONDS = 60
TARGET_PEAK_MB = 4096
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


def measure(paths: WarehousePaths, label: str) -> tuple[float, str]:
    started = time.perf_counter()
    report = load_source(GROOTBOEK, paths)
    seconds = time.perf_counter() - started
    [outcome] = [f for f in report.files if f.status != "unchanged"]
    print(f"{label:<34} {seconds:6.1f} s  {outcome.status:<12} rows {outcome.rows:>9,}  problems {outcome.problems}")
    return seconds, outcome.status


def main() -> int:
    lines = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        ledger_dir = root / "landing" / "financien" / "grootboek"
        ledger_dir.mkdir(parents=True)
        paths = WarehousePaths(root / "landing", root / "warehouse", root / "warehouse" / "marts.duckdb")

        write_ledger(ledger_dir / "a_valid.csv", lines)
        print(f"ledger of {lines:,} lines: {(ledger_dir / 'a_valid.csv').stat().st_size / 1e6:.0f} MB")
        valid_seconds, valid_status = measure(paths, "load valid ledger")

        write_ledger(ledger_dir / "b_one_bad_amount.csv", lines, bad_line=lines // 2)
        bad_seconds, bad_status = measure(paths, "quarantine ledger with 1 bad line")

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory: {peak_mb:,.0f} MB")
    ok = (valid_status == "loaded" and bad_status == "quarantined"
          and max(valid_seconds, bad_seconds) < TARGET_SECONDS and peak_mb < TARGET_PEAK_MB)
    print(f"targets (< {TARGET_SECONDS} s per file, < {TARGET_PEAK_MB} MB): {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
