"""Row-level security on a real PostgreSQL server: a login of one gemeente of the
region sees only its own rows of the microdata marts, every login sees the
public comparison and the dimensions, and neither a view, a function nor the
catalogue gets a reader past the policy."""

from __future__ import annotations

import psycopg
import pytest

from benchmarks.serving import release_file
from dagster_project.publication.postgres import PostgresTarget, publish_postgres
from dagster_project.publication.row_security import apply_row_security, gemeente_role, grant_gemeente

# Roles belong to the server, not to a database: names of their own, made once for every test.
SCHEMA, READER = "marts", "rls_reader"
# Three gemeenten of the jeugdhulpregio Haaglanden (illustrative rows).
ROWS = [("GM0637", 4923), ("GM0503", 3810), ("GM0518", 21450)]
LOGINS = {"rls_zoetermeer": "GM0637", "rls_delft": "GM0503", "rls_den_haag": "GM0518"}


@pytest.fixture
def database(postgres_server, request):
    url = postgres_server.create_database("rls_" + request.node.name[5:40])
    with psycopg.connect(url, autocommit=True) as con:
        con.execute(f"CREATE SCHEMA {SCHEMA}")
        con.execute(f"CREATE TABLE {SCHEMA}.fct_jeugdhulp_traject (gemeente_code text, n int)")
        con.execute(f"CREATE TABLE {SCHEMA}.rpt_cbs_vergelijking (gemeente_code text, kengetal numeric)")
        con.execute(f"CREATE TABLE {SCHEMA}.dim_gemeente (gemeente_code text)")
        con.execute(f"CREATE TABLE {SCHEMA}.fct_cbs_waarneming (regio_code text, waarde numeric)")
        for table in ("fct_jeugdhulp_traject", "rpt_cbs_vergelijking"):
            con.cursor().executemany(f"INSERT INTO {SCHEMA}.{table} VALUES (%s, %s)", ROWS)
        con.cursor().executemany(f"INSERT INTO {SCHEMA}.dim_gemeente VALUES (%s)", [(g,) for g, _ in ROWS])
        # A view the publisher owns: without security_invoker it would read as its owner.
        con.execute(f"CREATE VIEW {SCHEMA}.jeugdhulp_totaal AS SELECT gemeente_code, sum(n) AS n "
                    f"FROM {SCHEMA}.fct_jeugdhulp_traject GROUP BY gemeente_code")
        con.execute(f"ANALYZE {SCHEMA}.fct_jeugdhulp_traject")
        for login in (*LOGINS, "rls_zonder_gemeente"):
            if not con.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [login]).fetchall():
                con.execute(f"CREATE ROLE {login} LOGIN")
        for login, gemeente in LOGINS.items():
            grant_gemeente(con, login, gemeente, READER)
        con.execute(f"GRANT {READER} TO rls_zonder_gemeente")
        con.execute(f"GRANT USAGE ON SCHEMA {SCHEMA} TO {READER}")
        con.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA {SCHEMA} TO {READER}")
        with con.transaction():
            apply_row_security(con, SCHEMA)
    yield postgres_server, url.rsplit("/", 1)[1]
    with psycopg.connect(postgres_server.url(), autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


def connect(database, login: str) -> psycopg.Connection:
    server, name = database
    return psycopg.connect(server.url(name, user=login), autocommit=True)


def gemeenten(con, sql: str) -> list[str]:
    return sorted(row[0] for row in con.execute(sql).fetchall())


def test_a_login_sees_its_own_microdata_and_every_public_figure(database):
    for login, gemeente in LOGINS.items():
        with connect(database, login) as con:
            assert gemeenten(con, f"SELECT gemeente_code FROM {SCHEMA}.fct_jeugdhulp_traject") == [gemeente]
            assert gemeenten(con, f"SELECT gemeente_code FROM {SCHEMA}.rpt_cbs_vergelijking") == sorted(
                g for g, _ in ROWS)
            assert gemeenten(con, f"SELECT gemeente_code FROM {SCHEMA}.dim_gemeente") == sorted(g for g, _ in ROWS)
    with connect(database, "rls_zonder_gemeente") as con:
        assert con.execute(f"SELECT count(*) FROM {SCHEMA}.fct_jeugdhulp_traject").fetchall() == [(0,)]


def test_a_view_of_the_publisher_or_of_the_reader_reads_as_the_reader(database):
    with connect(database, "rls_zoetermeer") as con:
        assert gemeenten(con, f"SELECT gemeente_code FROM {SCHEMA}.jeugdhulp_totaal") == ["GM0637"]
        con.execute(f"CREATE TEMP VIEW alles AS SELECT * FROM {SCHEMA}.fct_jeugdhulp_traject")
        assert gemeenten(con, "SELECT gemeente_code FROM alles") == ["GM0637"]


def test_a_function_of_the_reader_sees_only_the_readers_rows(database):
    with connect(database, "rls_zoetermeer") as con:
        con.execute(f"""CREATE FUNCTION pg_temp.tel() RETURNS bigint LANGUAGE sql SECURITY DEFINER
                        AS 'SELECT count(*) FROM {SCHEMA}.fct_jeugdhulp_traject'""")
        assert con.execute("SELECT pg_temp.tel()").fetchall() == [(1,)]
        # A function in the WHERE clause that leaks its argument sees only rows the policy let through.
        con.execute("""CREATE FUNCTION pg_temp.lek(code text) RETURNS boolean LANGUAGE plpgsql COST 0.0000001
                       AS $$ BEGIN RAISE NOTICE 'gezien: %', code; RETURN true; END $$""")
        seen = []
        con.add_notice_handler(lambda notice: seen.append(notice.message_primary))
        con.execute(f"SELECT * FROM {SCHEMA}.fct_jeugdhulp_traject WHERE pg_temp.lek(gemeente_code)").fetchall()
        assert seen == ["gezien: GM0637"]


def test_the_catalogue_shows_no_rows_of_other_gemeenten(database):
    with connect(database, "rls_zoetermeer") as con:
        # pg_stats would show most common values: hidden for a table whose policy applies to the reader.
        assert con.execute("SELECT count(*) FROM pg_stats WHERE tablename = 'fct_jeugdhulp_traject'").fetchall() == [
            (0,)]
        privileges = con.execute(
            "SELECT DISTINCT privilege_type FROM information_schema.table_privileges "
            "WHERE table_name = 'fct_jeugdhulp_traject' AND grantee = %s", [READER]).fetchall()
        assert privileges == [("SELECT",)]
    with connect(database, "postgres") as con:  # the owner's statistics exist: the filter is what hides them
        assert con.execute("SELECT count(*) FROM pg_stats WHERE tablename = 'fct_jeugdhulp_traject'").fetchall()[0][
            0] > 0


def test_a_reader_cannot_switch_the_policy_off(database):
    with connect(database, "rls_zoetermeer") as con:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            con.execute(f"ALTER TABLE {SCHEMA}.fct_jeugdhulp_traject DISABLE ROW LEVEL SECURITY")
        con.execute("SET row_security = off")
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            con.execute(f"SELECT * FROM {SCHEMA}.fct_jeugdhulp_traject")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            con.execute(f"GRANT {gemeente_role('GM0518')} TO rls_zoetermeer")


def test_applying_twice_changes_nothing_and_a_mart_without_gemeente_stops_it(database):
    server, name = database
    with psycopg.connect(server.url(name), autocommit=True) as con:
        with con.transaction():
            assert apply_row_security(con, SCHEMA) == ["fct_jeugdhulp_traject"]
        assert con.execute("SELECT count(*) FROM pg_policies WHERE schemaname = %s", [SCHEMA]).fetchall() == [(1,)]
        con.execute(f"CREATE TABLE {SCHEMA}.fct_nieuw (client_key text)")
        with pytest.raises(ValueError, match="fct_nieuw"):
            apply_row_security(con, SCHEMA)
    with connect(database, "rls_delft") as con:
        assert gemeenten(con, f"SELECT gemeente_code FROM {SCHEMA}.fct_jeugdhulp_traject") == ["GM0503"]


def test_every_microdata_mart_of_the_sample_release_is_restricted_and_the_comparison_is_not(published, sample_postgres):
    with psycopg.connect(sample_postgres.url) as con:  # one transaction, rolled back: other tests see no policy
        tables = apply_row_security(con, sample_postgres.schema)
        con.rollback()
    assert {"fct_jeugdhulp_traject", "fct_wmo_voorziening", "fct_enquete_respondent", "fct_enquete_antwoord",
            "fct_financien", "rpt_jeugdhulp_jaar", "rpt_cbs_aansluiting"} <= set(tables)
    assert not {"rpt_cbs_vergelijking", "fct_cbs_waarneming"} & set(tables)
    assert all(t.startswith(("fct_", "rpt_")) for t in tables)


def test_a_publish_with_row_security_switches_in_a_release_with_the_policies_in_place(tmp_path, postgres_server):
    """WAREHOUSE_POSTGRES_ROW_SECURITY: the publish applies the policies to the loaded schema before the
    switch, so a gemeente's login never sees a release without them."""
    target = PostgresTarget(postgres_server.create_database("row_security_publish"), row_security=True)
    run_id, path = release_file(tmp_path, 1, 10)
    publish_postgres(path, target, run_id)
    with psycopg.connect(target.url, autocommit=True) as con:
        assert con.execute("SELECT tablename FROM pg_policies WHERE schemaname = 'marts'").fetchall() == [("fct_x",)]
        for login, gemeente in (("delft_login", "GM0503"), ("zoetermeer_login", "GM0637")):
            con.execute(f"DROP ROLE IF EXISTS {login}")
            con.execute(f"CREATE ROLE {login} LOGIN")
            grant_gemeente(con, login, gemeente, target.reader_role)
    for login, rows in (("delft_login", 0), ("zoetermeer_login", 11)):
        with psycopg.connect(target.url.replace("postgres@", f"{login}@")) as con:
            assert con.execute("SELECT count(*) FROM marts.fct_x").fetchone() == (rows,), login
            assert con.execute("SELECT count(*) FROM marts.dim_y").fetchone() == (1,), login
