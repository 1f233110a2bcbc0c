"""Publish the marts to PostgreSQL, the first choice of Metabase and Power BI.

Optional: it runs when a connection URL is configured (WAREHOUSE_POSTGRES_URL or
the `warehouse` resource's `postgres_url`). The source is the published DuckDB
file, so PostgreSQL holds exactly the release that file holds, with the keys
that file holds.

Everything happens in one transaction, so an interrupted or failed publish
leaves nothing behind and the published schema untouched:

1. load every table into a fresh schema `<schema>_load_<id>` with COPY, fed by
   Arrow batches from DuckDB (no row-by-row INSERT), types kept (NUMERIC,
   DATE, BOOLEAN, TIMESTAMPTZ ...);
2. add table and column comments, the primary and foreign keys, statistics,
   and SELECT grants to the read-only role;
3. the switch: lock the published schema's tables in short attempts, each
   bounded well below the server's deadlock_timeout and given up whole when it
   does not succeed in time, so that the publish never holds a lock while
   waiting long enough for anyone's deadlock check (docs/publication.md says
   why no reader can fail on it); then rename the published schema away and
   the new one in, and drop the old one.

A query therefore runs on one release, and a pooled connection gets the new
release at its next query: names are resolved per query, and the old tables
are dropped, so cached plans are re-planned on the new ones.
"""

from __future__ import annotations

import io
import random
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import duckdb
import psycopg
import pyarrow.csv as pacsv
from psycopg import sql

from ..operations.faults import fault_point
from ..settings import duckdb_config
from .keys import Keys
from .row_security import apply_row_security

BATCH_ROWS = 100_000
LOAD_INFIX = "_load_"
OLD_INFIX = "_old_"
# How long one attempt to lock the published tables may take (and so hold up new queries) at
# most; never more than a quarter of the server's deadlock_timeout. Between attempts the publish
# holds no lock on them for a random pause. After LOCK_WAIT_S in all it gives up (readers with a
# transaction open that long) and the next run publishes again.
LOCK_ATTEMPT_MS = 250
LOCK_PAUSE_MS = (50, 250)
LOCK_WAIT_S = 600

# DuckDB type (without parameters) -> PostgreSQL type; DECIMAL keeps its precision and scale.
PG_TYPES = {
    "VARCHAR": "text", "BOOLEAN": "boolean", "DATE": "date", "TIME": "time",
    "TIMESTAMP": "timestamp", "TIMESTAMP WITH TIME ZONE": "timestamptz",
    "TINYINT": "smallint", "SMALLINT": "smallint", "INTEGER": "integer", "BIGINT": "bigint",
    "UTINYINT": "smallint", "USMALLINT": "integer", "UINTEGER": "bigint", "UBIGINT": "numeric(20, 0)",
    "HUGEINT": "numeric(38, 0)", "FLOAT": "real", "DOUBLE": "double precision", "UUID": "uuid",
}


@dataclass(frozen=True)
class PostgresTarget:
    """Where the marts go: a connection URL (libpq syntax), the published schema, the read-only
    role that BI users' logins are members of, and whether each gemeente's logins see only
    that gemeente's rows."""

    url: str
    schema: str = "marts"
    reader_role: str = "marts_reader"
    row_security: bool = False   # per gemeente (row_security.py), for a warehouse a region shares

    def display(self) -> str:
        """The server, database and schema, without a password, for logs and summaries."""
        info = psycopg.conninfo.conninfo_to_dict(self.url)
        host = info.get("host", "localhost")
        return f"{host}:{info.get('port', 5432)}/{info.get('dbname', '')} schema {self.schema}"


def pg_type(duckdb_type: str) -> str:
    if duckdb_type.startswith("DECIMAL"):
        return "numeric" + duckdb_type[len("DECIMAL"):]
    try:
        return PG_TYPES[duckdb_type]
    except KeyError:
        raise ValueError(f"no PostgreSQL type for DuckDB type {duckdb_type}") from None


def publish_postgres(published_db: Path, target: PostgresTarget, run_id: str | None = None,
                     lock_wait_s: float = LOCK_WAIT_S,
                     application_name: str = "warehouse publication") -> dict[str, int]:
    """Load the tables of the published DuckDB file into `target` with the keys among them, and
    switch them in; with `run_id`, only if the file holds that run's release. Returns the row
    count of every table, as read back from PostgreSQL."""
    load_schema = f"{target.schema}{LOAD_INFIX}{uuid.uuid4().hex[:12]}"
    with duckdb.connect(str(published_db), read_only=True, config=duckdb_config()) as source:
        run_id = _check_release(source, published_db, run_id)
        tables = _tables(source)
        keys = Keys.of_file(source).restricted_to(tables)
        with psycopg.connect(target.url, application_name=application_name) as pg:
            # One publisher at a time per schema; released at commit or rollback.
            pg.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"warehouse publication {target.schema}"])
            _drop_leftovers(pg, target.schema)
            pg.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(load_schema)))
            for table in tables:
                _load_table(source, pg, load_schema, table)
            _add_keys(pg, load_schema, keys)
            _grant(pg, load_schema, target.reader_role)
            if target.row_security:
                apply_row_security(pg, load_schema)
            pg.execute(sql.SQL("COMMENT ON SCHEMA {} IS {}").format(
                sql.Identifier(load_schema),
                sql.Literal(f"The published marts of the sociaal domein warehouse, run {run_id}. "
                            "Table publicatie says when.")))
            fault_point("postgres")
            _swap(pg, load_schema, target.schema, lock_wait_s)
        return published_counts(target, tables)


def held_release(target: PostgresTarget, connect_timeout_s: int = 10) -> str | None:
    """The run whose release the published schema holds; None when it holds none (a new or
    emptied database). Raises psycopg.OperationalError when the server cannot be reached."""
    with psycopg.connect(target.url, connect_timeout=connect_timeout_s) as pg:
        table = pg.execute("SELECT to_regclass(%s)", [f'"{target.schema}".publicatie']).fetchone()[0]
        if table is None:
            return None
        row = pg.execute(sql.SQL("SELECT run_id FROM {}.publicatie").format(sql.Identifier(target.schema))).fetchone()
        return row[0] if row else None


def published_counts(target: PostgresTarget, tables: list[str] | None = None) -> dict[str, int]:
    """Row counts of the published schema's tables (all of them when `tables` is None)."""
    with psycopg.connect(target.url) as pg:
        if tables is None:
            tables = [r[0] for r in pg.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY 1", [target.schema])]
        return {t: pg.execute(sql.SQL("SELECT count(*) FROM {}.{}").format(
            sql.Identifier(target.schema), sql.Identifier(t))).fetchone()[0] for t in tables}


def _check_release(source: duckdb.DuckDBPyConnection, published_db: Path, run_id: str | None) -> str:
    """The run of the file's release; refuse any but `run_id` when given (e.g. a file this
    process still had open from before the swap)."""
    found = source.execute("SELECT run_id FROM publicatie").fetchone()[0]
    if run_id is not None and found != run_id:
        raise RuntimeError(f"{published_db} holds run {found}, not run {run_id}: not loaded into PostgreSQL")
    return found


def _tables(source: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in source.execute(
        "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' ORDER BY 1").fetchall()]


def _drop_leftovers(pg: psycopg.Connection, schema: str) -> None:
    """Schemas a publish of an earlier version or a manual intervention left behind."""
    for (name,) in pg.execute(
        "SELECT nspname FROM pg_namespace WHERE starts_with(nspname, %s) OR starts_with(nspname, %s)",
        [schema + LOAD_INFIX, schema + OLD_INFIX],
    ).fetchall():
        _drop_schema(pg, name)


def _load_table(source: duckdb.DuckDBPyConnection, pg: psycopg.Connection, schema: str, table: str) -> None:
    columns = source.execute(
        "SELECT column_name, data_type, comment FROM duckdb_columns() "
        "WHERE schema_name = 'main' AND table_name = ? ORDER BY column_index", [table]).fetchall()
    name = sql.Identifier(schema, table)
    pg.execute(sql.SQL("CREATE TABLE {} ({})").format(name, sql.SQL(", ").join(
        sql.SQL("{} {}").format(sql.Identifier(c), sql.SQL(pg_type(t))) for c, t, _ in columns)))
    batches = source.sql(f'SELECT * FROM main."{table}"').to_arrow_reader(BATCH_ROWS)
    options = pacsv.WriteOptions(include_header=False)
    with pg.cursor().copy(sql.SQL("COPY {} FROM STDIN (FORMAT csv)").format(name)) as copy:
        for batch in batches:  # Arrow writes the CSV of a whole batch at once
            buffer = io.BytesIO()
            pacsv.write_csv(batch, buffer, write_options=options)
            copy.write(buffer.getbuffer())
    comment = source.execute(
        "SELECT comment FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = ?", [table]).fetchone()[0]
    if comment:
        pg.execute(sql.SQL("COMMENT ON TABLE {} IS {}").format(name, sql.Literal(comment)))
    for column, _, column_comment in columns:
        if column_comment:
            pg.execute(sql.SQL("COMMENT ON COLUMN {} IS {}").format(
                sql.Identifier(schema, table, column), sql.Literal(column_comment)))
    pg.execute(sql.SQL("ANALYZE {}").format(name))


def _add_keys(pg: psycopg.Connection, schema: str, keys: Keys) -> None:
    """Primary keys first: a foreign key refers to one."""
    for table, columns in sorted(keys.primary.items()):
        pg.execute(sql.SQL("ALTER TABLE {} ADD PRIMARY KEY ({})").format(
            sql.Identifier(schema, table), sql.SQL(", ").join(map(sql.Identifier, columns))))
    for fk in keys.foreign:
        pg.execute(sql.SQL("ALTER TABLE {} ADD FOREIGN KEY ({}) REFERENCES {} ({})").format(
            sql.Identifier(schema, fk.table), sql.Identifier(fk.column),
            sql.Identifier(schema, fk.parent), sql.Identifier(fk.parent_column)))


def _grant(pg: psycopg.Connection, schema: str, role: str) -> None:
    """SELECT on the schema's tables for the read-only role (created, without login, if it does
    not exist: BI logins become members of it)."""
    if not pg.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role]).fetchone():
        pg.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(role)))
    pg.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(sql.Identifier(schema), sql.Identifier(role)))
    pg.execute(sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA {} TO {}").format(
        sql.Identifier(schema), sql.Identifier(role)))


def _swap(pg: psycopg.Connection, load_schema: str, schema: str, lock_wait_s: float) -> None:
    """Rename the published schema away and the loaded one in, and drop the old one."""
    old_tables = sorted((r[0] for r in pg.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = %s", [schema]).fetchall()), key=_lock_order)
    if old_tables:
        _lock(pg, [sql.Identifier(schema, t) for t in old_tables], lock_wait_s)
    exists = pg.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [schema]).fetchone()
    if exists:
        old_schema = load_schema.replace(LOAD_INFIX, OLD_INFIX, 1)
        pg.execute(sql.SQL("ALTER SCHEMA {} RENAME TO {}").format(sql.Identifier(schema), sql.Identifier(old_schema)))
    pg.execute(sql.SQL("ALTER SCHEMA {} RENAME TO {}").format(sql.Identifier(load_schema), sql.Identifier(schema)))
    if exists:
        _drop_schema(pg, old_schema)


def _lock_order(table: str) -> tuple[int, str]:
    """Facts first, then reports, dimensions and the rest: the order in which dashboards name them
    (`from fct_x join dim_y`), so that a query waiting behind the publish mostly holds nothing the
    publish still needs."""
    return next((i for i, prefix in enumerate(("fct_", "rpt_", "dim_")) if table.startswith(prefix)), 3), table


def _lock(pg: psycopg.Connection, tables: list[sql.Composable], lock_wait_s: float) -> None:
    """ACCESS EXCLUSIVE on the published tables, so that no query runs on them while the schemas
    are renamed. Each attempt is one LOCK statement bounded by a statement timeout far below the
    server's deadlock_timeout, and rolled back whole (a savepoint) when it times out: a reader
    never waits on the publish long enough to run a deadlock check, and the publish never waits
    while holding a lock longer than that either. Gives up after lock_wait_s in all."""
    deadline = time.monotonic() + lock_wait_s
    [deadlock_ms] = pg.execute("SELECT setting::int FROM pg_settings WHERE name = 'deadlock_timeout'").fetchone()
    attempt_ms = max(10, min(LOCK_ATTEMPT_MS, deadlock_ms // 4))
    statement = sql.SQL("LOCK TABLE {} IN ACCESS EXCLUSIVE MODE").format(sql.SQL(", ").join(tables))
    while True:
        try:
            with pg.transaction():  # a savepoint: a timed-out attempt leaves the load intact
                pg.execute(sql.SQL("SET LOCAL statement_timeout = {}").format(sql.Literal(f"{attempt_ms}ms")))
                pg.execute(statement)
                pg.execute("SET LOCAL statement_timeout = 0")
            return
        except psycopg.errors.QueryCanceled:
            if time.monotonic() >= deadline:
                raise RuntimeError(f"readers kept the published tables busy for {lock_wait_s:.0f} s (a transaction "
                                   f"left open?): {_lock_holders(pg, tables)}; PostgreSQL keeps its release and "
                                   "the next run publishes again") from None
            time.sleep(random.uniform(*LOCK_PAUSE_MS) / 1000)


def _lock_holders(pg: psycopg.Connection, tables: list[sql.Composable]) -> str:
    """Who holds locks on the published tables: pid, login, application and since when."""
    rows = pg.execute(
        "SELECT DISTINCT a.pid, a.usename, a.application_name, a.state, a.xact_start "
        "FROM pg_locks l JOIN pg_stat_activity a USING (pid) "
        "WHERE l.granted AND a.pid <> pg_backend_pid() AND l.relation = ANY(%s::regclass[])",
        [[t.as_string(pg) for t in tables]]).fetchall()
    return "; ".join(f"pid {pid} ({user}, {app or 'no application name'}, {state}"
                     + (f", transaction since {start:%Y-%m-%d %H:%M:%S %Z}" if start else "") + ")"
                     for pid, user, app, state, start in rows) or "none left"


def _drop_schema(pg: psycopg.Connection, schema: str) -> None:
    """Drop a schema of the publication and its tables, but nothing that depends on them
    outside it (a view of a user makes the publish fail with its name, it is not dropped)."""
    for table, constraint in pg.execute(
        "SELECT conrelid::regclass::text, conname FROM pg_constraint "
        "WHERE contype = 'f' AND connamespace = %s::regnamespace", [schema]).fetchall():
        pg.execute(sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(sql.SQL(table), sql.Identifier(constraint)))
    tables = [r[0] for r in pg.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", [schema]).fetchall()]
    try:
        if tables:
            pg.execute(sql.SQL("DROP TABLE {}").format(sql.SQL(", ").join(sql.Identifier(schema, t) for t in tables)))
        pg.execute(sql.SQL("DROP SCHEMA {}").format(sql.Identifier(schema)))
    except psycopg.errors.DependentObjectsStillExist as error:
        raise RuntimeError(
            f"objects of your own depend on the published tables, so they cannot be replaced: "
            f"{error.diag.message_detail}. Define them on the marts in the BI tool instead (a view binds "
            f"to a table, not to its name, and would keep showing an old release)."
        ) from error
