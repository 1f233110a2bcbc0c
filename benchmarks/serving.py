"""Benchmark: PostgreSQL publishes while dashboards query, on a server of its own.

    python -m benchmarks.serving [publishes] [fact rows] [scan seconds]

Eleven reader connections query the published schema in a loop, as BI tools do:
three in autocommit, two in transactions of two queries, two with prepared
statements, three from a psycopg connection pool, and one long scan. Each
query joins the fact to its dimension, fact first, as dashboards write them,
and reads the release it comes from, so that a query that sees two releases
is caught. Meanwhile releases are published back to back. The test suite runs
the same load, shorter (tests/test_serving.py).

Targets: 0 reader errors, 0 mixed reads, every publish completes, each within
SWITCH_TARGET_S from its start to the switch, and every query started after a
publish returned sees that release or a later one (pooled and prepared
connections included). Prints the figures and exits non-zero when one is missed.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import psycopg
from psycopg_pool import ConnectionPool

from dagster_project.publication.files import publish
from dagster_project.publication.keys import ForeignKey, Keys
from dagster_project.publication.postgres import PostgresTarget, publish_postgres

SWITCH_TARGET_S = 60
KEYS = Keys({"dim_y": ("gemeente_code",), "fct_x": ("n",)}, (ForeignKey("fct_x", "gemeente_code", "dim_y",
                                                                        "gemeente_code"),))
# Fact first, as a dashboard writes it; every table names the release it belongs to.
RELEASE_QUERY = """
    SELECT p.run_id, d.release AS dim_release, f.release AS fact_release, count(*) AS n
    FROM marts.fct_x f JOIN marts.dim_y d USING (gemeente_code) CROSS JOIN marts.publicatie p
    GROUP BY 1, 2, 3"""


def release_file(folder: Path, number: int, fact_rows: int) -> tuple[str, Path]:
    """Release `r<number>`: a published DuckDB file whose fact has fact_rows + number rows."""
    run_id, build = f"r{number}", folder / f"build_{number}.duckdb"
    with duckdb.connect(str(build)) as con:
        con.execute("CREATE SCHEMA marts")
        con.execute(f"CREATE TABLE marts.dim_y AS SELECT 'GM0637' AS gemeente_code, '{run_id}' AS release")
        con.execute(f"CREATE TABLE marts.fct_x AS SELECT range AS n, 'GM0637' AS gemeente_code, "
                    f"'{run_id}' AS release FROM range({fact_rows + number})")
    published = folder / f"marts_{number}.duckdb"
    publish(build, published, run_id, ["dim_y", "fct_x"], keys=KEYS)
    build.unlink()
    return run_id, published


@dataclass
class Load:
    """What the readers saw and what the publishes took."""

    fact_rows: int
    queries: int = 0
    errors: list[str] = field(default_factory=list)
    mixed: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    publishes: list[float] = field(default_factory=list)
    returned: list[tuple[float, int]] = field(default_factory=list)  # (when a publish returned, release number)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def judge(self, kind: str, started: float, rows: list[tuple]) -> int:
        """Check one query's result: one release throughout, whole, and not older than a release
        whose publish had returned before the query started. Returns the release number seen."""
        with self.lock:
            self.queries += 1
            if len(rows) != 1 or len({rows[0][0], rows[0][1], rows[0][2]}) != 1:
                self.mixed.append(f"{kind}: {rows}")
                return -1
            run_id, _, _, n = rows[0]
            number = int(run_id[1:])
            if n != self.fact_rows + number:
                self.mixed.append(f"{kind}: {run_id} with {n} fact rows")
            newer = [r for t, r in self.returned if t < started and r > number]
            if newer:
                self.stale.append(f"{kind}: saw {run_id} after r{max(newer)} was published")
            return number

    def summary(self) -> str:
        times = ", ".join(f"{s:.1f}" for s in self.publishes)
        return (f"{self.queries:,} reader queries, {len(self.errors)} errors, {len(self.mixed)} mixed reads, "
                f"{len(self.stale)} stale reads; {len(self.publishes)} publishes in {times} s "
                f"(median {statistics.median(self.publishes):.1f} s, max {max(self.publishes):.1f} s)"
                if self.publishes else "no publish completed")


def _reader(load: Load, stop: threading.Event, kind: str, query: Callable[[], list[tuple]]) -> None:
    while not stop.is_set():
        started = time.monotonic()
        try:
            load.judge(kind, started, query())
        except psycopg.Error as error:
            with load.lock:
                load.errors.append(f"{kind}: {type(error).__name__}: {str(error).strip()[:200]}")
            time.sleep(0.05)


def _readers(target: PostgresTarget, pool: ConnectionPool, scan_seconds: float) -> tuple[list, list]:
    """(kind, query function) per reader thread, and the connections to close afterwards."""
    connections, readers = [], []

    def connect(**kwargs) -> psycopg.Connection:
        connections.append(psycopg.connect(target.url, application_name="dashboard", **kwargs))
        return connections[-1]

    for i in range(3):
        con = connect(autocommit=True)
        readers.append((f"autocommit {i}", lambda con=con: con.execute(RELEASE_QUERY).fetchall()))
    for i in range(2):
        con = connect()

        def in_transaction(con=con) -> list[tuple]:
            with con.transaction():
                rows = con.execute(RELEASE_QUERY).fetchall()
                [(again,)] = con.execute("SELECT run_id FROM marts.publicatie").fetchall()
            return rows if rows and rows[0][0] == again else [(again, "transaction", rows)]
        readers.append((f"transaction {i}", in_transaction))
    for i in range(2):
        con = connect(autocommit=True)
        readers.append((f"prepared {i}", lambda con=con: con.execute(RELEASE_QUERY, prepare=True).fetchall()))

    def pooled() -> list[tuple]:
        with pool.connection() as con:
            return con.execute(RELEASE_QUERY, prepare=True).fetchall()
    readers += [(f"pool {i}", pooled) for i in range(3)]
    scan = connect(autocommit=True)
    readers.append(("long scan", lambda: scan.execute(
        f"SELECT r.* FROM ({RELEASE_QUERY}) r, pg_sleep(%s)", [scan_seconds]).fetchall()))
    return readers, connections


def run_load(target: PostgresTarget, folder: Path, publishes: int = 5, fact_rows: int = 20_000,
             scan_seconds: float = 2.0) -> Load:
    """Publish `publishes` releases back to back while the readers run; the first release is
    published before they start."""
    files = [release_file(folder, number, fact_rows) for number in range(publishes + 1)]
    publish_postgres(files[0][1], target, files[0][0])
    load, stop = Load(fact_rows), threading.Event()
    with ConnectionPool(target.url, min_size=3, max_size=3, kwargs={"autocommit": True}, open=True) as pool:
        readers, connections = _readers(target, pool, scan_seconds)
        threads = [threading.Thread(target=_reader, args=(load, stop, kind, query), daemon=True)
                   for kind, query in readers]
        for thread in threads:
            thread.start()
        try:
            time.sleep(scan_seconds)  # the long scan is under way
            for number, (run_id, path) in enumerate(files[1:], start=1):
                started = time.monotonic()
                publish_postgres(path, target, run_id)
                with load.lock:
                    load.publishes.append(time.monotonic() - started)
                    load.returned.append((time.monotonic(), number))
            time.sleep(0.5)
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=scan_seconds + 30)
        _check_next_query(load, pool, connections, publishes)
        for con in connections:
            con.close()
    return load


def _check_next_query(load: Load, pool: ConnectionPool, connections: list, last: int) -> None:
    """Every pooled and kept connection, idle now, sees the last release at its next query."""
    held = [pool.getconn() for _ in range(3)]
    try:
        for con in held + connections:
            if not con.autocommit:
                con.rollback()
            load.judge("next query", time.monotonic(), con.execute(RELEASE_QUERY, prepare=True).fetchall())
            if con.execute("SELECT run_id FROM marts.publicatie").fetchone()[0] != f"r{last}":
                load.stale.append(f"next query of connection {con.info.backend_pid}")
    finally:
        for con in held:
            pool.putconn(con)


def main() -> int:
    from tests.postgres_server import start_server

    publishes = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    fact_rows = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    scan_seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 5.0
    server = start_server()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            target = PostgresTarget(server.create_database("serving"))
            load = run_load(target, Path(tmp), publishes, fact_rows, scan_seconds)
    finally:
        server.stop()
    print(f"PostgreSQL publish under load ({fact_rows:,} fact rows, a {scan_seconds:.0f} s scan): {load.summary()}")
    for problem in (load.errors + load.mixed + load.stale)[:10]:
        print(f"  {problem}")
    ok = (not load.errors and not load.mixed and not load.stale and len(load.publishes) == publishes
          and max(load.publishes) <= SWITCH_TARGET_S)
    print(f"targets (0 errors, 0 mixed, 0 stale, {publishes} publishes each <= {SWITCH_TARGET_S} s): "
          f"{'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
