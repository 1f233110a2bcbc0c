"""Row-level security in PostgreSQL: one warehouse shared by the gemeenten of a
region, each login seeing only its own gemeente's rows of the marts built from
microdata (registrations, surveys, finance), every login seeing the public
figures (CBS open data) and the dimensions (which marts are which: microdata.py).
Documented in docs/publication.md.

A gemeente is a group role `gemeente_<code>` (`gemeente_gm0637`); a login of a
gemeente is a member of it and of the reader role. The policy on each table
lets a row through when the current user is a member of its gemeente's role.
Apply it to the published schema after every publish: the policies are
recreated, so a second call changes nothing.
"""

from __future__ import annotations

import psycopg
from psycopg import sql

from .microdata import GEMEENTE_COLUMN, microdata_tables

POLICY = "gemeente_eigen_rijen"
ROLE_PREFIX = "gemeente_"

# The row's gemeente role exists and the current user is a member of it (directly or through other roles).
_OWN_ROWS = sql.SQL(
    "EXISTS (SELECT 1 FROM pg_catalog.pg_roles AS r WHERE r.rolname = {prefix} || lower({column}) "
    "AND pg_catalog.pg_has_role(current_user, r.oid, 'MEMBER'))"
)


def gemeente_role(gemeente_code: str) -> str:
    """The group role of a gemeente: `GM0637` -> `gemeente_gm0637`."""
    return ROLE_PREFIX + gemeente_code.lower()


def restricted_tables(con: psycopg.Connection, schema: str) -> list[str]:
    """The tables of `schema` that hold a gemeente's own data (microdata.py: an error for one that
    cannot be restricted)."""
    rows = con.execute(
        "SELECT t.table_name, bool_or(c.column_name = %s) FROM information_schema.tables t "
        "JOIN information_schema.columns c USING (table_schema, table_name) "
        "WHERE t.table_schema = %s AND t.table_type = 'BASE TABLE' GROUP BY t.table_name ORDER BY 1",
        [GEMEENTE_COLUMN, schema],
    ).fetchall()
    return microdata_tables(rows)


def apply_row_security(con: psycopg.Connection, schema: str) -> list[str]:
    """Enable row-level security with the gemeente policy on every restricted table of `schema`, and
    make every view of the schema check the policies as its reader (not as its owner). Returns the
    restricted tables. Runs in the connection's transaction; the caller commits."""
    tables = restricted_tables(con, schema)
    for table in tables:
        name = sql.Identifier(schema, table)
        con.execute(sql.SQL("ALTER TABLE {} ENABLE ROW LEVEL SECURITY").format(name))
        con.execute(sql.SQL("DROP POLICY IF EXISTS {} ON {}").format(sql.Identifier(POLICY), name))
        con.execute(sql.SQL("CREATE POLICY {} ON {} FOR SELECT USING ({})").format(
            sql.Identifier(POLICY), name,
            _OWN_ROWS.format(prefix=sql.Literal(ROLE_PREFIX), column=sql.Identifier(GEMEENTE_COLUMN))))
    for (view,) in con.execute("SELECT table_name FROM information_schema.views WHERE table_schema = %s",
                               [schema]).fetchall():
        con.execute(sql.SQL("ALTER VIEW {} SET (security_invoker = true)").format(sql.Identifier(schema, view)))
    return tables


def grant_gemeente(con: psycopg.Connection, login: str, gemeente_code: str, reader_role: str) -> None:
    """Let `login` read the published schema (through `reader_role`) and its gemeente's rows."""
    role = gemeente_role(gemeente_code)
    for name in (role, reader_role):
        if not con.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name]).fetchall():
            con.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(name)))
    con.execute(sql.SQL("GRANT {}, {} TO {}").format(sql.Identifier(role), sql.Identifier(reader_role),
                                                      sql.Identifier(login)))
