"""Benchmark: a dashboard's query on the scorecard (rpt_indicator_scorecard), each
from a fresh read-only connection to the published DuckDB file, as a BI tool or
the report opens it: connect, read one gemeente's indicators with their goals
and streefwaarden for the last years, close.

    python -m benchmarks.scorecard [published DuckDB file] [queries]

Without a file it runs the nightly job on the embedded sample first. The
national jeugdhulp benchmark (benchmarks/registraties_jeugdhulp.py) measures the
same on its national-size published file. Target: p95 <= TARGET_P95_MS
(docs/operations.md); exits non-zero when it is missed.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from dagster_project.settings import SAMPLE_LANDING_DIR, WarehousePaths

TARGET_P95_MS = 50
QUERIES = 200
# What a dashboard asks: one gemeente's indicators per doelstelling over the last five years.
QUERY = """
    SELECT doelstelling_code, doelstelling_naam, indicator_code, indicator_naam, jaar, realisatie,
        streefwaarde, streefwaarde_type, doel_gehaald, verschil_vorig_jaar, eenheid, bron
    FROM rpt_indicator_scorecard
    WHERE gemeente_code = $gemeente
      AND jaar >= (SELECT max(jaar) - 4 FROM rpt_indicator_scorecard WHERE gemeente_code = $gemeente)
    ORDER BY doelstelling_code, indicator_code, jaar
"""


def measure_scorecard(published_db: Path, queries: int = QUERIES) -> tuple[bool, float]:
    """Time `queries` scorecard queries, each on a fresh connection; print the figures.
    Returns (p95 within target, p95 in ms)."""
    with duckdb.connect(str(published_db), read_only=True) as con:
        [(gemeente, rows)] = con.sql("SELECT arg_max(gemeente_code, n), sum(n) FROM (SELECT gemeente_code, count(*) "
                                     "AS n FROM rpt_indicator_scorecard GROUP BY gemeente_code)").fetchall()
    timings, answered = [], 0
    for _ in range(queries):
        started = time.perf_counter()
        with duckdb.connect(str(published_db), read_only=True) as con:
            answered = len(con.execute(QUERY, {"gemeente": gemeente}).fetchall())
        timings.append((time.perf_counter() - started) * 1000)
    p95 = statistics.quantiles(timings, n=20)[-1]
    ok = answered > 0 and p95 <= TARGET_P95_MS
    size_mb = published_db.stat().st_size / 2**20
    print(f"scorecard query from a fresh connection ({size_mb:,.0f} MB published file, {rows:,} scorecard rows, "
          f"{answered} rows answered, {queries} queries): median {statistics.median(timings):.1f} ms, "
          f"p95 {p95:.1f} ms (target <= {TARGET_P95_MS} ms: {'met' if ok else 'MISSED'})")
    return ok, p95


def main() -> int:
    if len(sys.argv) > 1:
        queries = int(sys.argv[2]) if len(sys.argv) > 2 else QUERIES
        return 0 if measure_scorecard(Path(sys.argv[1]), queries)[0] else 1
    from .nightly import measure_nightly

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        paths = WarehousePaths(SAMPLE_LANDING_DIR, root / "warehouse", root / "warehouse" / "marts.duckdb")
        published, _, _ = measure_nightly(paths, "the embedded sample")
        return 0 if published and measure_scorecard(paths.published_db)[0] else 1


if __name__ == "__main__":
    sys.exit(main())
