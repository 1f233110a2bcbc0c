"""Benchmark: a national-size jeugdhulp registration (about 450.000 youths with care
a year over 2015-2024, several trajectories each) in two exports, loaded and then
run through the whole nightly job: supersession, trajectories, care periods, the
counting rules with breakdowns, the checks (Great Expectations and the BSN scan of
every mart) and the publish.

    python -m benchmarks.registraties_jeugdhulp [youths] [folder]

`youths` is the number of youths in the registration (default 1.400.000, which
gives about 450.000 youths with care in each year). With a folder, the warehouse
is built there and kept (to compare the models of two versions); otherwise in a
temporary one. Targets on the reference machine (2 cores, 24 GB, shared with
other work) are in docs/operations.md; the script prints the measurements per
phase, the slowest dbt models, the scorecard query (benchmarks/scorecard.py) on
the published file, and exits non-zero when a target is missed.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from dagster_project.ingest.loading import load_source
from dagster_project.settings import REFERENCE_DIR, SAMPLE_LANDING_DIR, WarehousePaths
from dagster_project.sources.registraties import JEUGDHULP

from .memory import PeakMemory
from .nightly import measure_nightly
from .scorecard import measure_scorecard

DEFAULT_YOUTHS = 1_400_000
# The load and the nightly job together, and the peak of the process tree in either.
TARGET_SECONDS = 600
TARGET_PEAK_MB = 6144
EXPORTS = (("2015-01-01", "2019-12-31"), ("2020-01-01", "2024-12-31"))
WIJKEN = [row["wijk_naam"] for row in csv.DictReader((REFERENCE_DIR / "wijken.csv").open(encoding="utf-8"))]


def write_export(path: Path, youths: int, begin: str, end: str) -> None:
    """One export of a synthetic registration, written by DuckDB in one statement. Each youth starts care
    between 2012 and 2024 (60% short care, 40% three to ten years) as one to five trajectories at different
    providers, each starting the day after the previous ended; every third one overlaps the next by 20 days,
    and every seventh youth has a gap of three days (a second care period). Care past the end of the export
    is exported as running."""
    wijken = ", ".join("'" + w.replace("'", "''") + "'" for w in WIJKEN)
    duckdb.sql(f"""
        COPY (
            WITH youths AS (
                SELECT
                    i,
                    DATE '2012-01-01' + CAST(hash(i, 1) % (13 * 365) AS INTEGER) AS start,
                    CAST(CASE WHEN hash(i, 2) % 100 < 40 THEN 1100 + hash(i, 3) % 2550
                              ELSE 30 + hash(i, 3) % 670 END AS INTEGER) AS days,
                    CAST(1 + hash(i, 4) % 5 AS INTEGER) AS k,
                    CAST(2 + hash(i, 5) % 16 AS INTEGER) AS start_age
                FROM range(1, {youths} + 1) t(i)
            ),
            trajectories AS (
                SELECT
                    youths.*,
                    j,
                    start + CAST((j - 1) * days / k AS INTEGER)
                        + CASE WHEN i % 7 = 0 AND j = 2 THEN 3 ELSE 0 END AS t_begin,
                    start + CAST(j * days / k AS INTEGER) - 1 + CASE WHEN j % 3 = 0 THEN 20 ELSE 0 END AS t_end
                FROM youths, range(1, 6) r(j)
                WHERE j <= k
            )
            SELECT
                'GM0637' AS gemeente_code, '{begin}' AS periode_begin, '{end}' AS periode_einde,
                'JZ' || lpad(CAST(i AS VARCHAR), 8, '0') AS client_id,
                strftime(start - start_age * 365 - CAST(hash(i, 6) % 365 AS INTEGER), '%Y-%m-%d') AS geboortedatum,
                '' AS geboortemaand,
                CAST(1 + hash(i, 7) % 2 AS VARCHAR) AS geslacht,
                CASE WHEN hash(i, 8) % 25 = 0 THEN ''
                     ELSE [{wijken}][CAST(1 + hash(i, 9) % {len(WIJKEN)} AS BIGINT)] END AS wijk,
                ['45', '45', '54', '43', '44', '41', '50', '46', '48'][CAST(1 + hash(i, j, 10) % 9 AS BIGINT)]
                    AS productcategorie,
                '73' || lpad(CAST(hash(i, j, 11) % 1500 AS VARCHAR), 6, '0') AS aanbieder_agb,
                strftime(t_begin, '%Y-%m-%d') AS begindatum,
                CASE WHEN t_end <= DATE '{end}' THEN strftime(t_end, '%Y-%m-%d') ELSE '' END AS einddatum,
                CASE WHEN t_end <= DATE '{end}' THEN 'Beëindigd volgens plan' ELSE '' END AS reden_einde
            FROM trajectories
            WHERE t_begin <= DATE '{end}' AND t_end >= DATE '{begin}'
        ) TO '{path}' (FORMAT csv, DELIMITER ';', HEADER true)
    """)


def slowest_dbt_nodes(paths: WarehousePaths, count: int = 12) -> None:
    """The slowest models and tests of the run's dbt invocations (dbt's run_results.json)."""
    timings = []
    for results in (paths.warehouse_dir / "dbt_runs").glob("*/*/run_results.json"):
        timings += [(r["execution_time"], r["unique_id"]) for r in json.loads(results.read_text())["results"]]
    print(f"dbt: {len(timings)} nodes, {sum(t for t, _ in timings):.0f} s in all; the slowest:")
    for seconds, node in sorted(timings, reverse=True)[:count]:
        print(f"  {node:<80} {seconds:6.1f} s")


def run(youths: int, root: Path) -> bool:
    paths = WarehousePaths(root / "landing", root / "warehouse", root / "warehouse" / "marts.duckdb")
    folder = paths.landing_dir / JEUGDHULP.folder
    folder.mkdir(parents=True)
    for begin, end in EXPORTS:
        write_export(folder / f"jeugdhulp_{begin[:4]}-{end[:4]}.csv", youths, begin, end)
    # The sample indicator deliveries carry the targets the scorecard checks expect.
    shutil.copytree(SAMPLE_LANDING_DIR / "indicatoren", paths.landing_dir / "indicatoren")
    lines = sum(1 for p in folder.iterdir() for _ in p.open()) - len(EXPORTS)
    size_mb = sum(p.stat().st_size for p in folder.iterdir()) / 2**20

    started = time.perf_counter()
    with PeakMemory() as load_peak:
        outcomes = load_source(JEUGDHULP, paths).files
    load_seconds = time.perf_counter() - started
    print(f"load {lines:,} lines ({size_mb:,.0f} MB, {youths:,} youths, 2 exports): {load_seconds:.0f} s, "
          f"{[o.status for o in outcomes]}, peak resident memory {load_peak.mb:,.0f} MB")

    published, job_seconds, job_peak_mb = measure_nightly(paths, f"{lines:,} jeugdhulp lines")
    slowest_dbt_nodes(paths)
    scorecard_ok = False
    if published:
        with duckdb.connect(str(paths.published_db), read_only=True) as con:
            per_year = con.sql("SELECT jaar, waarde FROM rpt_jeugdhulp_jaar WHERE indeling = 'totaal' "
                               "AND uitkomst = 'jeugdigen' ORDER BY jaar").fetchall()
            [sizes] = con.sql("SELECT (SELECT count(*) FROM fct_jeugdhulp_traject), "
                              "(SELECT count(*) FROM fct_jeugdhulp_zorgperiode)").fetchall()
        print("youths with care per year: " + ", ".join(f"{y}: {int(n):,}" for y, n in per_year))
        print(f"fct_jeugdhulp_traject {sizes[0]:,} rows, fct_jeugdhulp_zorgperiode {sizes[1]:,} rows")
        scorecard_ok = measure_scorecard(paths.published_db)[0]
    seconds, peak = load_seconds + job_seconds, max(load_peak.mb, job_peak_mb)
    ok = (all(o.status == "loaded" for o in outcomes) and published and seconds <= TARGET_SECONDS
          and peak <= TARGET_PEAK_MB)
    print(f"load and nightly job {seconds:.0f} s (target <= {TARGET_SECONDS} s), peak {peak:,.0f} MB "
          f"(target <= {TARGET_PEAK_MB} MB): {'met' if ok else 'MISSED'}; the machine's load average now "
          f"(1, 5, 15 min): {', '.join(f'{n:.1f}' for n in os.getloadavg())}")
    return ok and scorecard_ok


def main() -> int:
    youths = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_YOUTHS
    if len(sys.argv) > 2:
        return 0 if run(youths, Path(sys.argv[2])) else 1
    with tempfile.TemporaryDirectory() as tmp:
        return 0 if run(youths, Path(tmp)) else 1


if __name__ == "__main__":
    sys.exit(main())
