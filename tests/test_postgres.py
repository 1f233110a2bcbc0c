"""The PostgreSQL publication, on a real server the tests start themselves: the
same release as the DuckDB file, keys and grants, a swap that readers see as
one step (a transaction keeps its release, a pooled connection gets the new one
at its next query), and interrupted or failed publishes that change nothing."""

from __future__ import annotations

import json
import math
import re
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import duckdb
import psycopg
import pytest
from psycopg_pool import ConnectionPool

from dagster_project.publication.files import publish
from dagster_project.publication.keys import ForeignKey, read_keys
from dagster_project.publication.postgres import PostgresTarget, publish_postgres

from .conftest import MARTS, build_file, query
from .test_star_schema import orphan_sql


def fetch(target: PostgresTarget, sql: str, params=None, user: str | None = None) -> list[tuple]:
    url = target.url if user is None else re.sub(r"//[^@]+@", f"//{user}@", target.url)
    with psycopg.connect(url) as con:
        return con.execute(sql, params).fetchall()


@pytest.fixture
def target(postgres_server, request) -> PostgresTarget:
    return PostgresTarget(postgres_server.create_database(re.sub(r"\W", "_", request.node.name)[:60]))


def release(tmp_path: Path, target: PostgresTarget, run_id: str, rows: int, **kwargs) -> dict[str, int]:
    """A build with `rows` rows in fct_x, published to the DuckDB file and to PostgreSQL."""
    build = build_file(tmp_path / "build.duckdb", rows)
    published = tmp_path / "marts.duckdb"
    publish(build, published, run_id, MARTS)
    return publish_postgres(published, target, run_id, **kwargs)


def current(cursor_or_con) -> tuple:
    return cursor_or_con.execute(
        "SELECT (SELECT count(*) FROM marts.fct_x), (SELECT run_id FROM marts.publicatie)", prepare=True,
    ).fetchone()


# -- the sample release ------------------------------------------------------------------------------

def profile_sql(table: str, columns: list[tuple[str, str]]) -> str:
    """Row count, and per column: values, sum (numbers), trues (booleans), a digest of the sorted
    values (text) or the range (dates); the same SQL runs in DuckDB and PostgreSQL."""
    parts = ["count(*)"]
    for name, data_type in columns:
        column = f'"{name}"'
        parts.append(f"count({column})")
        if data_type.startswith(("DECIMAL", "INTEGER", "BIGINT", "DOUBLE", "SMALLINT", "HUGEINT")):
            parts.append(f"sum({column})")
        elif data_type == "BOOLEAN":
            parts.append(f"count(*) FILTER (WHERE {column})")
        elif data_type == "VARCHAR":
            parts.append(f"md5(string_agg({column}, '|' ORDER BY {column}))")
        else:
            parts += [f"min({column})", f"max({column})"]
    return f"SELECT {', '.join(parts)} FROM {table}"


def same(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-9)
    return a == b


def test_the_sample_release_in_postgres_equals_the_duckdb_file(sample_run, sample_postgres, published):
    paths, result = sample_run
    materializations = {e.event_specific_data.materialization.asset_key.to_user_string():
                        e.event_specific_data.materialization for e in result.all_events
                        if e.event_type_value == "ASSET_MATERIALIZATION"}
    materialization = materializations["published_marts"]
    postgres_counts = materializations["published_postgres"].metadata["postgres_row_counts"].value
    assert postgres_counts == {**materialization.metadata["row_counts"].value, "publicatie": 1,
                               "publicatie_mart": len(materialization.metadata["row_counts"].value)}
    tables = [t for (t,) in query(published, "SELECT table_name FROM duckdb_tables() ORDER BY 1")]
    assert [t for (t,) in fetch(sample_postgres, "SELECT tablename FROM pg_tables WHERE schemaname = 'marts' "
                                                 "ORDER BY 1")] == tables
    differences = []
    for table in tables:
        columns = query(published, "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ? "
                                   "ORDER BY column_index", [table])
        in_duckdb = query(published, profile_sql(table, columns))[0]
        in_postgres = fetch(sample_postgres, profile_sql(f"marts.{table}", columns))[0]
        differences += [(table, i) for i, (a, b) in enumerate(zip(in_duckdb, in_postgres, strict=True))
                        if not same(a, b)]
    assert differences == []
    # The published figures themselves, e.g. the 2021 programme header (x € 1.000).
    assert fetch(sample_postgres, "SELECT uitgaven_x1000, inkomsten_x1000, saldo_x1000 "
                                  "FROM marts.rpt_programma_totalen "
                                  "WHERE jaar = 2021 AND fase = 'rekening'") == [(-110262, 2654, -107608)]


def test_types_comments_keys_and_no_orphans_in_postgres(sample_postgres):
    types = dict(fetch(sample_postgres, "SELECT column_name, format_type(atttypid, atttypmod) FROM "
                                        "information_schema.columns c JOIN pg_attribute a ON a.attname = c.column_name "
                                        "AND a.attrelid = 'marts.fct_financien'::regclass "
                                        "WHERE table_schema = 'marts' AND table_name = 'fct_financien'"))
    assert (types["bedrag"], types["jaar"], types["is_reservemutatie"]) == ("numeric(18,2)", "integer", "boolean")
    assert fetch(sample_postgres, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                                  "WHERE attrelid = 'marts.rpt_enquete_resultaat'::regclass "
                                  "AND attname = 'peildatum'") == [("date",)]
    [(table_comment, column_comment)] = fetch(
        sample_postgres, "SELECT obj_description('marts.fct_financien'::regclass), "
                         "col_description('marts.fct_financien'::regclass, 1)")
    assert table_comment.startswith("Budgeted and realised baten and lasten") and column_comment
    keys = read_keys()
    primary = {table: tuple(columns) for table, columns in fetch(sample_postgres, """
        SELECT c.conrelid::regclass::text, array_agg(a.attname ORDER BY k.i)
        FROM pg_constraint c, unnest(c.conkey) WITH ORDINALITY k(n, i), pg_attribute a
        WHERE c.contype = 'p' AND c.connamespace = 'marts'::regnamespace
          AND a.attrelid = c.conrelid AND a.attnum = k.n
        GROUP BY c.conrelid, c.conname""")}
    assert primary == {f"marts.{t}": cols for t, cols in
                       {**keys.primary, "publicatie": ("run_id",), "publicatie_mart": ("mart",)}.items()}
    tables = {f"marts.{t}" for (t,) in fetch(sample_postgres,
                                             "SELECT tablename FROM pg_tables WHERE schemaname = 'marts'")}
    assert tables == set(primary), "every published table has a primary key"
    foreign = {ForeignKey(t.removeprefix("marts."), c, p.removeprefix("marts."), pc) for t, c, p, pc in fetch(
        sample_postgres, """
        SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text, pa.attname
        FROM pg_constraint c
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = c.confkey[1]
        WHERE c.contype = 'f' AND c.connamespace = 'marts'::regnamespace""")}
    assert foreign == set(keys.foreign)
    orphans = {f"{fk.table}.{fk.column}": fetch(sample_postgres, orphan_sql(fk, "marts"))[0][0] for fk in keys.foreign}
    assert set(orphans.values()) == {0}, orphans


def test_bi_users_read_through_the_read_only_role(sample_postgres):
    with psycopg.connect(sample_postgres.url, autocommit=True) as con:
        con.execute("DROP ROLE IF EXISTS metabase")
        con.execute("CREATE ROLE metabase LOGIN IN ROLE marts_reader")
    assert fetch(sample_postgres, "SELECT count(*) FROM marts.dim_gemeente", user="metabase") == [(1,)]
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        fetch(sample_postgres, "DELETE FROM marts.dim_gemeente", user="metabase")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        fetch(sample_postgres, "CREATE TABLE marts.mine (x int)", user="metabase")


def test_a_reader_sees_the_keys_in_pg_catalog_and_not_in_information_schema(sample_postgres):
    """As docs/publication.md says: PostgreSQL shows constraints in information_schema only to a
    table's owner; pg_catalog, which JDBC, SQLAlchemy and Npgsql read, shows them to every reader."""
    with psycopg.connect(sample_postgres.url, autocommit=True) as con:
        con.execute("DROP ROLE IF EXISTS superset")
        con.execute("CREATE ROLE superset LOGIN IN ROLE marts_reader")
    owner_sees = fetch(sample_postgres, "SELECT count(*) FROM information_schema.table_constraints WHERE "
                                        "table_schema = 'marts' AND constraint_type IN ('PRIMARY KEY', 'FOREIGN KEY')")
    catalog = ("SELECT count(*) FROM pg_constraint WHERE connamespace = 'marts'::regnamespace "
               "AND contype IN ('p', 'f')")
    assert owner_sees[0][0] > 40
    assert fetch(sample_postgres, catalog, user="superset") == owner_sees
    assert fetch(sample_postgres, "SELECT count(*) FROM information_schema.table_constraints "
                                  "WHERE table_schema = 'marts'", user="superset") == [(0,)]


# -- readers during a publish ------------------------------------------------------------------------

def wait_for(condition, timeout: float = 60, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def test_a_transaction_keeps_its_release_while_a_publish_waits_for_it(tmp_path, target):
    release(tmp_path, target, "r1", rows=3)
    reader = psycopg.connect(target.url)
    reader.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
    assert current(reader) == (3, "r1")

    outcome = {}
    publisher = threading.Thread(target=lambda: outcome.update(counts=release(tmp_path, target, "r2", rows=5)))
    publisher.start()
    try:
        # The publish has loaded r2 and waits for the reader to finish before it swaps.
        wait_for(lambda: fetch(target, "SELECT count(*) FROM pg_locks WHERE NOT granted "
                                       "AND mode = 'AccessExclusiveLock'")[0][0] > 0, what="the swap to wait")
        assert current(reader) == (3, "r1")
        assert reader.execute("SELECT count(*) FROM marts.dim_y").fetchone() == (1,)
        assert current(reader) == (3, "r1")
        reader.commit()  # the transaction ends: the swap goes ahead
        publisher.join(timeout=60)
        assert outcome["counts"]["fct_x"] == 5
        assert current(reader) == (5, "r2")
    finally:
        reader.close()
        publisher.join()


def test_a_pooled_connection_sees_the_new_release_at_its_next_query(tmp_path, target):
    release(tmp_path, target, "r1", rows=3)
    with ConnectionPool(target.url, min_size=1, max_size=1, open=True) as pool, \
            psycopg.connect(target.url, autocommit=True) as kept:
        with pool.connection() as con:
            pid = con.info.backend_pid
            for _ in range(6):  # prepared, as JDBC drivers do after a few executions
                assert current(con) == (3, "r1")
        assert current(kept) == (3, "r1")

        release(tmp_path, target, "r2", rows=5)
        with pool.connection() as con:
            assert con.info.backend_pid == pid
            assert current(con) == (5, "r2")
        assert current(kept) == (5, "r2")


# -- failed and interrupted publishes ----------------------------------------------------------------

def schemas(target: PostgresTarget) -> list[str]:
    return [s for (s,) in fetch(target, "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'marts%' ORDER BY 1")]


def test_a_publish_killed_halfway_leaves_the_published_schema_untouched(tmp_path, target):
    release(tmp_path, target, "r1", rows=3)
    big = tmp_path / "big"
    big.mkdir()
    publish(build_file(big / "build.duckdb", 3_000_000), big / "marts.duckdb", "r2", MARTS)
    name = "publication to be killed"
    publisher = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        from pathlib import Path
        from dagster_project.publication.postgres import PostgresTarget, publish_postgres
        publish_postgres(Path({str(big / 'marts.duckdb')!r}), PostgresTarget({target.url!r}), "r2",
                         application_name={name!r})
    """)])
    try:
        wait_for(lambda: fetch(target, "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s "
                                       "AND query LIKE 'COPY %%fct_x%%'", [name])[0][0] > 0
                 or publisher.poll() is not None, what="the load")
        assert publisher.poll() is None, "the publish ended before it could be killed"
        publisher.send_signal(signal.SIGKILL)
    finally:
        publisher.wait()
    assert publisher.returncode == -signal.SIGKILL
    with psycopg.connect(target.url) as reader:
        assert current(reader) == (3, "r1")
    # The server rolls the killed session's transaction back: nothing of it remains.
    wait_for(lambda: fetch(target, "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s",
                           [name])[0][0] == 0, what="the killed session to end")
    assert schemas(target) == ["marts"]
    assert publish_postgres(big / "marts.duckdb", target, "r2")["fct_x"] == 3_000_000
    with psycopg.connect(target.url) as reader:
        assert current(reader) == (3_000_000, "r2")
    assert schemas(target) == ["marts"]


def test_a_failed_publish_changes_nothing_and_leaves_nothing_behind(tmp_path, target):
    release(tmp_path, target, "r1", rows=3)
    build = build_file(tmp_path / "build.duckdb", 5)
    with duckdb.connect(str(build)) as con:
        con.execute("CREATE TABLE marts.fct_lijst AS SELECT [1, 2] AS waarden")  # no PostgreSQL type
    publish(build, tmp_path / "marts.duckdb", "r2", [*MARTS, "fct_lijst"])
    with pytest.raises(ValueError, match="no PostgreSQL type"):
        publish_postgres(tmp_path / "marts.duckdb", target, "r2")
    with psycopg.connect(target.url) as reader:
        assert current(reader) == (3, "r1")
    assert schemas(target) == ["marts"]


def test_a_view_of_a_user_on_the_marts_stops_the_swap_instead_of_being_dropped(tmp_path, target):
    release(tmp_path, target, "r1", rows=3)
    with psycopg.connect(target.url, autocommit=True) as con:
        con.execute("CREATE VIEW public.mijn_overzicht AS SELECT count(*) AS n FROM marts.fct_x")
    with pytest.raises(RuntimeError, match="view mijn_overzicht depends on table"):
        release(tmp_path, target, "r2", rows=5)
    assert fetch(target, "SELECT n FROM public.mijn_overzicht") == [(3,)]
    assert schemas(target) == ["marts"]


def test_only_the_release_of_its_own_run_is_loaded(tmp_path, target):
    release(tmp_path, target, "r1", rows=3)
    with pytest.raises(RuntimeError, match="holds run r1, not run r2"):
        publish_postgres(tmp_path / "marts.duckdb", target, "r2")
    assert json.loads(fetch(target, "SELECT tabellen FROM marts.publicatie")[0][0]) == {"dim_y": 1, "fct_x": 3}


def test_the_run_summary_shows_the_postgres_schema_and_row_counts(sample_run, sample_postgres):
    from dagster_project.operations.run import summarise

    paths, result = sample_run
    text, ok = summarise(result, paths)
    assert ok
    assert f"  PostgreSQL: 127.0.0.1:{sample_postgres.url.split(':')[2].split('/')[0]}/sample schema marts" in text
    assert re.search(r"^  fct_financien +1009 +1009$", text, re.MULTILINE)
    assert re.search(r"^  publicatie +1$", text, re.MULTILINE)


# -- the README's queries ----------------------------------------------------------------------------

def readme_queries() -> list[str]:
    """Every statement of the README's SQL blocks."""
    text = (Path(__file__).parents[1] / "README.md").read_text()
    blocks = re.findall(r"```sql\n(.*?)```", text, re.DOTALL)
    return [statement.strip() for block in blocks for statement in block.split(";") if statement.strip()
            and not all(line.strip().startswith("--") for line in statement.strip().splitlines())]


def test_every_readme_query_returns_the_same_rows_in_duckdb_and_postgres(published, sample_postgres):
    queries = readme_queries()
    assert len(queries) >= 8
    with duckdb.connect(str(published), read_only=True) as duck, psycopg.connect(sample_postgres.url) as pg:
        pg.execute("SET search_path = marts")
        for statement in queries:
            in_duckdb = duck.execute(statement).fetchall()
            in_postgres = pg.execute(statement).fetchall()
            assert in_duckdb, statement
            assert in_postgres == in_duckdb, statement
