"""Publishing: only the marts, atomically, readable by DuckDB 1.5 clients, and
never blocked by (nor disturbing) an analyst's open read-only connection."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from dagster_project.publication.files import publish
from dagster_project.publication.release import ReleaseGraph

from .conftest import MARTS, build_file, query

VENV = Path(sys.executable).parent.parent
# The CLIs of the DuckDB versions that BI drivers embed today (installed by `make setup`).
DUCKDB_CLIS = {"v1.5.": VENV / "bin" / "duckdb", "v1.4.": VENV / "duckdb-1.4" / "bin" / "duckdb"}


@pytest.fixture
def build(tmp_path):
    return build_file(tmp_path / "build.duckdb", rows=3)


def test_only_the_marts_are_published(tmp_path, build):
    published = tmp_path / "out" / "marts.duckdb"
    published.parent.mkdir()
    (published.parent / ".marts.duckdb.0123.tmp").write_bytes(b"left by an interrupted publish")
    assert publish(build, published, "r1", MARTS).counts == {"dim_y": 1, "fct_x": 3}
    assert query(published, "SELECT schema_name, table_name FROM duckdb_tables() ORDER BY 2") == [
        ("main", "dim_y"), ("main", "fct_x"), ("main", "publicatie"), ("main", "publicatie_mart")]
    assert query(published, "SELECT run_id, tabellen, is_volledig FROM publicatie") == [
        ("r1", '{"dim_y": 1, "fct_x": 3}', True)]
    assert query(published, "SELECT mart, status, reden, run_id, n_rijen FROM publicatie_mart ORDER BY 1") == [
        ("dim_y", "fresh", None, "r1", 1), ("fct_x", "fresh", None, "r1", 3)]
    assert sorted(p.name for p in (tmp_path / "out" / "parquet").iterdir()) == [
        "dim_y.parquet", "fct_x.parquet", "publicatie.parquet"]
    assert [p.name for p in (tmp_path / "out").iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize("version", DUCKDB_CLIS)
def test_published_file_opens_read_only_in_duckdb_1_4_and_1_5(tmp_path, build, version):
    cli = DUCKDB_CLIS[version]
    published = tmp_path / "marts.duckdb"
    publish(build, published, "r1", MARTS)
    assert subprocess.run([cli, "--version"], capture_output=True, text=True, check=True).stdout.startswith(version)
    result = subprocess.run([cli, "-readonly", "-csv", str(published), "-c", "SELECT count(*) FROM fct_x"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["count_star()", "3"]


def test_a_reader_never_blocks_a_publish_and_never_sees_a_mix(tmp_path, build):
    published = tmp_path / "marts.duckdb"
    publish(build, published, "r1", MARTS)
    # An analyst opens the published file read-only and keeps the connection open.
    reader = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import duckdb, sys
            con = duckdb.connect({str(published)!r}, read_only=True)
            print(con.execute("SELECT count(*) FROM fct_x").fetchone()[0], flush=True)
            sys.stdin.readline()
            print(con.execute("SELECT count(*) FROM fct_x").fetchone()[0], flush=True)
        """)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert reader.stdout.readline().strip() == "3"
        build_file(build, rows=5)  # the nightly build changes
        assert publish(build, published, "r2", MARTS).counts == {"dim_y": 1, "fct_x": 5}
        # The open connection still sees the old version, whole; a new one sees the new version.
        reader.stdin.write("\n")
        reader.stdin.flush()
        assert reader.stdout.readline().strip() == "3"
        assert query(published, "SELECT count(*), (SELECT run_id FROM publicatie) FROM fct_x") == [(5, "r2")]
    finally:
        reader.kill()
        reader.wait()


def test_a_failed_publish_leaves_the_published_file_as_it_was(tmp_path, build):
    published = tmp_path / "marts.duckdb"
    publish(build, published, "good", MARTS)
    with duckdb.connect(str(build)) as con:
        con.execute("DROP SCHEMA marts CASCADE")
    with pytest.raises(RuntimeError, match="marts missing .*: dim_y, fct_x; nothing published"):
        publish(build, published, "bad", MARTS)
    assert query(published, "SELECT run_id FROM publicatie") == [("good",)]
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_load_log_and_quarantine_are_published_for_data_stewards(paths, ledger_dir):
    from dagster_project.ingest.loading import load_source
    from dagster_project.publication.files import publish_loads
    from dagster_project.sources.financien import GROOTBOEK

    from .conftest import ledger_line, write_csv

    write_csv(ledger_dir / "a_good.csv", [ledger_line()])
    write_csv(ledger_dir / "b_bad.csv", [ledger_line(bedrag="1,80535713509409E+17%")])
    load_source(GROOTBOEK, paths)
    publish_loads(paths.build_db, paths.loads_db)
    assert query(paths.loads_db, "SELECT file_name, status FROM load_log") == [
        ("a_good.csv", "loaded"), ("b_bad.csv", "quarantined")]
    assert query(paths.loads_db, "SELECT file_name, source_row, column_name, reason FROM quarantine") == [
        ("b_bad.csv", 2, "bedrag", "scientific notation is not accepted (a spreadsheet export artefact)")]
    # A steward reading it does not block the next load and publish.
    with duckdb.connect(str(paths.loads_db), read_only=True):
        write_csv(ledger_dir / "c_good.csv", [ledger_line(jaar="2020")])
        load_source(GROOTBOEK, paths)
        publish_loads(paths.build_db, paths.loads_db)
    assert query(paths.loads_db, "SELECT count(*) FROM load_log") == [(3,)]


def marts_file(path: Path, **tables: str) -> Path:
    """A build file whose marts schema holds `tables` (name -> SELECT)."""
    with duckdb.connect(str(path)) as con:
        con.execute("DROP SCHEMA IF EXISTS marts CASCADE")
        con.execute("CREATE SCHEMA marts")
        for name, select in tables.items():
            con.execute(f"CREATE TABLE marts.{name} AS {select}")
    return path


def star_graph() -> ReleaseGraph:
    """Marts dim_y and fct_x as a dbt manifest has them, fct_x.gemeente_code referring to dim_y."""
    test = {"name": "relationships_fct_x_gemeente_code", "resource_type": "test", "attached_node": "model.p.fct_x",
            "test_metadata": {"name": "relationships", "kwargs": {
                "column_name": "gemeente_code", "to": "ref('dim_y')", "field": "gemeente_code"}},
            "config": {"where": None}, "depends_on": {"nodes": ["model.p.dim_y", "model.p.fct_x"]}}
    nodes = {f"model.p.{name}": {"name": name, "resource_type": "model", "config": {"schema": "marts"},
                                 "description": f"mart {name}", "columns": {}} for name in ("dim_y", "fct_x")}
    return ReleaseGraph.from_manifest({"nodes": {**nodes, "test.p.rel": test}, "sources": {},
                                       "child_map": {"model.p.dim_y": ["test.p.rel"], "model.p.fct_x": ["test.p.rel"]}})


def parquet_rows(published: Path, mart: str) -> int:
    return query(published, f"SELECT count(*) FROM '{published.parent / 'parquet' / mart}.parquet'")[0][0]


def test_a_held_back_mart_keeps_its_last_good_release_next_to_the_fresh_ones(tmp_path, build):
    published = tmp_path / "out" / "marts.duckdb"
    first = publish(build, published, "r1", MARTS)
    build_file(build, rows=5)
    with duckdb.connect(str(build)) as con:
        con.execute("UPDATE marts.dim_y SET gemeente_code = 'GM0638'")
    second = publish(build, published, "r2", MARTS, held_back={"fct_x": "suite x failed"})
    assert second.counts == {"dim_y": 1, "fct_x": 3}
    assert query(published, "SELECT (SELECT count(*) FROM fct_x), (SELECT gemeente_code FROM dim_y)") == [(3, "GM0638")]
    assert parquet_rows(published, "fct_x") == 3 and parquet_rows(published, "dim_y") == 1
    assert query(published, "SELECT mart, status, reden, run_id, gepubliceerd_op, n_rijen FROM publicatie_mart "
                            "ORDER BY 1") == [("dim_y", "fresh", None, "r2", second.published_at, 1),
                                              ("fct_x", "held back", "suite x failed", "r1", first.published_at, 3)]
    assert query(published, "SELECT run_id, is_volledig FROM publicatie") == [("r2", False)]
    # Held back again: it still comes from the run that published it.
    publish(build, published, "r3", MARTS, held_back={"fct_x": "suite x failed again"})
    assert query(published, "SELECT run_id, gepubliceerd_op, reden FROM publicatie_mart WHERE mart = 'fct_x'") == [
        ("r1", first.published_at, "suite x failed again")]
    publish(build, published, "r4", MARTS)
    assert query(published, "SELECT count(*) FROM fct_x") == [(5,)]
    assert query(published, "SELECT DISTINCT status FROM publicatie_mart") == [("fresh",)]


def test_a_first_release_without_a_good_mart_publishes_the_rest_and_says_it_is_missing(tmp_path, build):
    published = tmp_path / "marts.duckdb"
    release = publish(build, published, "r1", MARTS, held_back={"fct_x": "suite x failed"})
    assert release.counts == {"dim_y": 1}
    assert {r[0] for r in query(published, "SELECT table_name FROM duckdb_tables()")} == {
        "dim_y", "publicatie", "publicatie_mart"}
    assert query(published, "SELECT mart, status, reden, run_id, n_rijen FROM publicatie_mart ORDER BY 1") == [
        ("dim_y", "fresh", None, "r1", 1), ("fct_x", "missing", "suite x failed", None, None)]
    assert sorted(p.name for p in (tmp_path / "parquet").iterdir()) == ["dim_y.parquet", "publicatie.parquet"]


def test_a_fresh_mart_never_refers_to_a_key_that_a_held_back_dimension_lacks(tmp_path):
    build, published, graph = tmp_path / "build.duckdb", tmp_path / "marts.duckdb", star_graph()
    marts_file(build, dim_y="SELECT 'GM0637' AS gemeente_code", fct_x="SELECT 'GM0637' AS gemeente_code")
    publish(build, published, "r1", graph)
    # A new gemeente in both; the dimension's check fails.
    marts_file(build, dim_y="SELECT unnest(['GM0637', 'GM0638']) AS gemeente_code",
               fct_x="SELECT unnest(['GM0637', 'GM0638']) AS gemeente_code")
    release = publish(build, published, "r2", graph, held_back={"dim_y": "suite y failed"})
    assert [(m.mart, m.status, m.run_id) for m in release.marts] == [("dim_y", "held back", "r1"),
                                                                     ("fct_x", "held back", "r1")]
    assert "fct_x.gemeente_code refers to dim_y.gemeente_code values that dim_y of this release lacks" in \
        release.marts[1].reason
    # Without the new gemeente in the fact, the fact publishes fresh next to the held-back dimension.
    marts_file(build, dim_y="SELECT unnest(['GM0637', 'GM0638']) AS gemeente_code",
               fct_x="SELECT 'GM0637' AS gemeente_code UNION ALL SELECT NULL")
    release = publish(build, published, "r3", graph, held_back={"dim_y": "suite y failed"})
    assert [(m.mart, m.status, m.rows) for m in release.marts] == [("dim_y", "held back", 1), ("fct_x", "fresh", 2)]


def test_a_held_back_mart_never_refers_to_a_key_that_a_fresh_dimension_lacks(tmp_path):
    build, published, graph = tmp_path / "build.duckdb", tmp_path / "marts.duckdb", star_graph()
    marts_file(build, dim_y="SELECT unnest(['GM0637', 'GM0638']) AS gemeente_code",
               fct_x="SELECT 'GM0638' AS gemeente_code")
    publish(build, published, "r1", graph)
    marts_file(build, dim_y="SELECT 'GM0637' AS gemeente_code", fct_x="SELECT 'GM0637' AS gemeente_code")
    release = publish(build, published, "r2", graph, held_back={"fct_x": "suite x failed"})
    assert [(m.mart, m.status) for m in release.marts] == [("dim_y", "held back"), ("fct_x", "held back")]
    assert release.marts[0].reason.startswith("fct_x.gemeente_code refers to dim_y.gemeente_code values that the "
                                              "fresh dim_y lacks")
    assert query(published, "SELECT gemeente_code FROM dim_y ORDER BY 1") == [("GM0637",), ("GM0638",)]


def test_a_fact_that_refers_to_a_missing_dimension_is_missing_too(tmp_path):
    build, published, graph = tmp_path / "build.duckdb", tmp_path / "marts.duckdb", star_graph()
    marts_file(build, dim_y="SELECT 'GM0637' AS gemeente_code", fct_x="SELECT 'GM0637' AS gemeente_code")
    with pytest.raises(RuntimeError, match="nothing published"):
        publish(build, published, "r1", graph, held_back={"dim_y": "suite y failed"})
    assert not published.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_leftovers_of_an_interrupted_publish_are_cleared_by_the_next(tmp_path, build):
    published = tmp_path / "marts.duckdb"
    publish(build, published, "r1", MARTS)
    for leftover in (".marts.duckdb.0123.tmp", ".marts.duckdb.0123.tmp.wal"):
        (tmp_path / leftover).write_bytes(b"x")
    (tmp_path / ".parquet.0123").mkdir()
    publish(build, published, "r2", MARTS)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_parquet_is_a_fixed_folder_updated_file_by_file(tmp_path, build):
    out = tmp_path / "out"
    out.mkdir()
    # The earlier layout: `parquet` a link to a release folder, and a leftover of an interrupted publish.
    (out / ".parquet.old").mkdir()
    (out / ".parquet.old" / "fct_x.parquet").write_bytes(b"old release")
    (out / "parquet").symlink_to(".parquet.old")
    (out / ".parquet.interrupted").mkdir()
    publish(build, out / "marts.duckdb", "r1", MARTS)
    folder = out / "parquet"
    assert folder.is_dir() and not folder.is_symlink()
    assert sorted(p.name for p in out.iterdir()) == ["marts.duckdb", "parquet"]
    inode = folder.stat().st_ino

    with duckdb.connect(str(build)) as con:  # the next release drops dim_y and adds dim_z
        con.execute("DROP TABLE marts.dim_y")
        con.execute("CREATE TABLE marts.dim_z AS SELECT 1 AS z")
    publish(build, out / "marts.duckdb", "r2", ["dim_z", "fct_x"])
    assert folder.stat().st_ino == inode
    assert sorted(p.name for p in folder.iterdir()) == ["dim_z.parquet", "fct_x.parquet", "publicatie.parquet"]
    assert query(out / "marts.duckdb", f"SELECT run_id, tabellen FROM '{folder / 'publicatie.parquet'}'") == [
        ("r2", '{"dim_z": 1, "fct_x": 3}')]
    # Every file names its release.
    assert query(out / "marts.duckdb", f"""
        SELECT DISTINCT decode(value) FROM parquet_kv_metadata('{folder}/*.parquet')
        WHERE decode(key) = 'run_id'""") == [("r2",)]
