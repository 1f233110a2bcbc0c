"""Serving under load: PostgreSQL publishes back to back while eleven dashboard connections
(autocommit, transactions, prepared statements, a connection pool, a long scan) query the
marts, on a real server (benchmarks/serving.py has the load; `make bench` runs it longer)."""

from __future__ import annotations

from benchmarks.serving import SWITCH_TARGET_S, run_load
from dagster_project.publication.postgres import PostgresTarget


def test_publishes_under_dashboard_load_fail_no_reader_and_mix_no_releases(tmp_path, postgres_server):
    target = PostgresTarget(postgres_server.create_database("serving"))
    load = run_load(target, tmp_path, publishes=5, fact_rows=20_000, scan_seconds=1.5)
    print(load.summary())
    assert load.errors == []
    assert load.mixed == []
    assert load.stale == []
    assert len(load.publishes) == 5
    assert max(load.publishes) <= SWITCH_TARGET_S
    # The readers really ran during the publishes: far more queries than publishes.
    assert load.queries > 200, load.summary()
