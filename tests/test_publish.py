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

from .conftest import query

MARTS = ["dim_y", "fct_x"]

VENV = Path(sys.executable).parent.parent
# The CLIs of the DuckDB versions that BI drivers embed today (installed by `make setup`).
DUCKDB_CLIS = {"v1.5.": VENV / "bin" / "duckdb", "v1.4.": VENV / "duckdb-1.4" / "bin" / "duckdb"}


def build_file(path: Path, rows: int) -> Path:
    """A build file with raw, staging and marts schemas, like the real one."""
    with duckdb.connect(str(path)) as con:
        for schema in ("raw", "staging", "marts"):
            con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
        con.execute("CREATE OR REPLACE TABLE raw.quarantine AS SELECT 1 AS x")
        con.execute("CREATE OR REPLACE VIEW staging.stg_x AS SELECT 1 AS x")
        con.execute(f"CREATE OR REPLACE TABLE marts.fct_x AS SELECT range AS n FROM range({rows})")
        con.execute("CREATE OR REPLACE TABLE marts.dim_y AS SELECT 'GM0637' AS gemeente_code")
    return path


@pytest.fixture
def build(tmp_path):
    return build_file(tmp_path / "build.duckdb", rows=3)


def test_only_the_marts_are_published(tmp_path, build):
    published = tmp_path / "out" / "marts.duckdb"
    published.parent.mkdir()
    (published.parent / ".marts.duckdb.0123.tmp").write_bytes(b"left by an interrupted publish")
    assert publish(build, published, run_id="r1", tables=MARTS) == {"dim_y": 1, "fct_x": 3}
    assert query(published, "SELECT schema_name, table_name FROM duckdb_tables() ORDER BY 2") == [
        ("main", "dim_y"), ("main", "fct_x"), ("main", "publicatie")]
    assert query(published, "SELECT run_id, tabellen FROM publicatie") == [("r1", '{"dim_y": 1, "fct_x": 3}')]
    assert sorted(p.name for p in (tmp_path / "out" / "parquet").iterdir()) == ["dim_y.parquet", "fct_x.parquet"]
    assert [p.name for p in (tmp_path / "out").iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize("version", DUCKDB_CLIS)
def test_published_file_opens_read_only_in_duckdb_1_4_and_1_5(tmp_path, build, version):
    cli = DUCKDB_CLIS[version]
    published = tmp_path / "marts.duckdb"
    publish(build, published, run_id="r1", tables=MARTS)
    assert subprocess.run([cli, "--version"], capture_output=True, text=True, check=True).stdout.startswith(version)
    result = subprocess.run([cli, "-readonly", "-csv", str(published), "-c", "SELECT count(*) FROM fct_x"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["count_star()", "3"]


def test_a_reader_never_blocks_a_publish_and_never_sees_a_mix(tmp_path, build):
    published = tmp_path / "marts.duckdb"
    publish(build, published, run_id="r1", tables=MARTS)
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
        assert publish(build, published, run_id="r2", tables=MARTS) == {"dim_y": 1, "fct_x": 5}
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
    publish(build, published, run_id="good", tables=MARTS)
    with duckdb.connect(str(build)) as con:
        con.execute("DROP SCHEMA marts CASCADE")
    with pytest.raises(RuntimeError, match="marts missing .*: dim_y, fct_x; nothing published"):
        publish(build, published, run_id="bad", tables=MARTS)
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
