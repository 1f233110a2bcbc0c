"""Benchmark: publishing the marts of a one-million-respondent omnibus survey
(13 million coded answers) to the DuckDB file with its primary and foreign keys,
and from there to PostgreSQL (a server of its own on a temporary directory).

    python -m benchmarks.publication [respondents]

Targets on the reference machine (2 cores, 24 GB): each publish under 600 s
and 4 GB peak resident memory. DuckDB keeps an index per key column, so the
foreign keys of the 13-million-row answer fact dominate its publish.
Prints the measurements and exits non-zero when a target is missed.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from dagster_project.ingest.loading import load_source
from dagster_project.publication.files import publish
from dagster_project.publication.keys import read_keys
from dagster_project.publication.postgres import PostgresTarget, publish_postgres
from dagster_project.sources.enquetes import OMNIBUS
from dagster_project.transform.manifest import mart_names
from tests.postgres_server import start_server

from .enquetes_omnibus import omnibus_landing
from .memory import PeakMemory
from .nightly import measure_nightly

TARGET_DUCKDB_SECONDS = 600
TARGET_POSTGRES_SECONDS = 600
TARGET_PEAK_MB = 4096


def main() -> int:
    respondents = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    server = start_server()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            paths = omnibus_landing(Path(tmp), respondents)
            load_source(OMNIBUS, paths)
            built, _, _ = measure_nightly(paths, f"{respondents:,} omnibus respondents")

            started = time.perf_counter()
            with PeakMemory() as duckdb_peak:
                counts = publish(paths.build_db, paths.published_db, "benchmark", mart_names(), keys=read_keys()).counts
            duckdb_seconds = time.perf_counter() - started
            print(f"DuckDB publish with keys, {sum(counts.values()):,} rows ({counts['fct_enquete_antwoord']:,} "
                  f"answers): {duckdb_seconds:.1f} s, peak resident memory {duckdb_peak.mb:,.0f} MB")

            target = PostgresTarget(server.create_database("benchmark"))
            started = time.perf_counter()
            with PeakMemory() as postgres_peak:
                loaded = publish_postgres(paths.published_db, target, "benchmark")
            postgres_seconds = time.perf_counter() - started
            print(f"PostgreSQL publish, {sum(loaded.values()):,} rows: {postgres_seconds:.1f} s, "
                  f"peak resident memory {postgres_peak.mb:,.0f} MB (this process and the server)")
    finally:
        server.stop()
    ok = (built and loaded == {**counts, "publicatie": 1}
          and duckdb_seconds < TARGET_DUCKDB_SECONDS and postgres_seconds < TARGET_POSTGRES_SECONDS
          and max(duckdb_peak.mb, postgres_peak.mb) < TARGET_PEAK_MB)
    print(f"targets (DuckDB < {TARGET_DUCKDB_SECONDS} s, PostgreSQL < {TARGET_POSTGRES_SECONDS} s, "
          f"< {TARGET_PEAK_MB} MB): {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
