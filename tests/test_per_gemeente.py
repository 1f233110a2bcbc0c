"""The DuckDB file, Parquet folder and report per gemeente (WAREHOUSE_PER_GEMEENTE): each
holds only its own gemeente's rows of every microdata mart, and every public (CBS) and
reference row; its release is the published file's, and a target left behind is caught up."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from dagster_project.publication import per_gemeente, targets
from dagster_project.publication.files import publish, publish_parquet
from dagster_project.publication.microdata import PUBLIC_TABLES, is_microdata, microdata_tables
from dagster_project.publication.per_gemeente import gemeente_paths, publish_gemeente, release_gemeenten
from dagster_project.report import build_report
from dagster_project.settings import WarehousePaths
from tests.conftest import query

OTHER = "GM0503"  # Delft: a second gemeente of the jeugdhulpregio Haaglanden (rows made from Zoetermeer's)
MARKER = 987654  # the realisaties of the other gemeente in the report test: a figure the sample never shows


def _tables(database: Path) -> dict[str, set[str]]:
    columns: dict[str, set[str]] = {}
    for table, column in query(database, "SELECT table_name, column_name FROM duckdb_columns() "
                                         "WHERE schema_name = 'main' AND NOT internal"):
        columns.setdefault(table, set()).add(column)
    return columns


@pytest.fixture(scope="module")
def region(published, tmp_path_factory) -> Path:
    """The sample's published file with a second gemeente: Delft in dim_gemeente, and a copy of
    Zoetermeer's rows as Delft's in every microdata mart (realisaties of the scorecard: MARKER)."""
    folder = tmp_path_factory.mktemp("regio") / "warehouse"
    folder.mkdir()
    copy = folder / "marts.duckdb"
    with duckdb.connect(str(copy)) as con:
        con.execute(f"ATTACH '{published}' AS sample (READ_ONLY)")
        for table, columns in _tables(published).items():
            other = ""
            if is_microdata(table):
                replace = f"'{OTHER}' AS gemeente_code" + (f", {MARKER} AS realisatie" if "realisatie" in columns
                                                          and table == "rpt_indicator_scorecard" else "")
                other = f" UNION ALL SELECT * REPLACE ({replace}) FROM sample.main.{table}"
            con.execute(f"CREATE TABLE {table} AS SELECT * FROM sample.main.{table}{other}")
        con.execute(f"INSERT INTO dim_gemeente SELECT * REPLACE ('{OTHER}' AS gemeente_code, 'Delft' AS "
                    "gemeente_naam) FROM dim_gemeente WHERE gemeente_code = 'GM0637'")
    for code in release_gemeenten(copy):
        publish_gemeente(copy, code)
        publish_parquet(gemeente_paths(copy, code).published_db)
    return copy


def test_the_list_of_microdata_marts_is_one_and_complete(published):
    """Every fact and report mart of the sample is microdata with a gemeente_code, or declared public;
    a new fact mart without a gemeente_code stops the publication instead of reaching every gemeente."""
    tables = _tables(published)
    microdata = microdata_tables([(t, "gemeente_code" in c) for t, c in sorted(tables.items())])
    assert {"fct_jeugdhulp_traject", "fct_wmo_voorziening", "fct_financien", "fct_enquete_respondent",
            "fct_indicatorwaarde", "rpt_cbs_aansluiting"} <= set(microdata)
    assert not PUBLIC_TABLES & set(microdata) and set(tables) >= PUBLIC_TABLES
    with pytest.raises(ValueError, match="fct_nieuw"):
        microdata_tables([("fct_nieuw", False), ("dim_gemeente", False)])


def check_gemeente_file(whole: Path, code: str) -> None:
    """The file (and Parquet folder) of `code` holds every table of `whole`: of every microdata mart
    exactly the gemeente's rows, of every other mart every row."""
    own = gemeente_paths(whole, code)
    tables = _tables(whole)
    assert set(_tables(own.published_db)) == set(tables)
    with duckdb.connect(str(own.published_db), read_only=True) as con:
        con.execute(f"ATTACH '{whole}' AS whole (READ_ONLY)")
        for table in set(tables) - {"publicatie", "publicatie_mart"}:
            where = " WHERE gemeente_code = $code" if is_microdata(table) else ""
            expected = f"SELECT * FROM whole.main.{table}{where}"
            for one, other in ((expected, f"SELECT * FROM {table}"), (f"SELECT * FROM {table}", expected),
                               (f"SELECT * FROM read_parquet('{own.parquet_dir / table}.parquet')", expected)):
                params = {"code": code} if "$code" in one + other else {}
                assert con.execute(f"SELECT count(*) FROM ({one} EXCEPT ALL {other})", params).fetchone()[0] == 0, \
                    (table, one)
            if is_microdata(table):
                assert con.execute(f"SELECT count(*) FROM {table} WHERE gemeente_code IS DISTINCT FROM ?",
                                   [code]).fetchone()[0] == 0, table


@pytest.mark.parametrize("code", ["GM0637", OTHER])
def test_a_gemeente_file_holds_its_own_microdata_and_every_public_row(region, code):
    check_gemeente_file(region, code)
    assert query(gemeente_paths(region, code).published_db,
                 "SELECT count(*) FROM rpt_indicator_scorecard")[0][0] > 0


def test_a_gemeente_file_names_the_release_and_counts_its_own_rows(region):
    own = gemeente_paths(region, OTHER)
    release = targets.file_release(region)
    assert release and targets.file_release(own.published_db) == release
    counts = dict(query(own.published_db, "SELECT mart, n_rijen FROM publicatie_mart WHERE n_rijen IS NOT NULL"))
    rows = query(own.published_db, "SELECT count(*) FROM fct_jeugdhulp_traject")[0][0]
    assert counts["fct_jeugdhulp_traject"] == rows
    assert counts["fct_jeugdhulp_traject"] < query(region, "SELECT count(*) FROM fct_jeugdhulp_traject")[0][0]
    marts = targets.release_marts(own.published_db)
    assert targets.parquet_release(own.parquet_dir, marts) == release
    metadata = pq.read_metadata(own.parquet_dir / "publicatie.parquet").metadata
    assert metadata[b"run_id"].decode() == release


def test_the_report_of_a_gemeente_shows_no_other_gemeentes_microdata(region, tmp_path):
    everyone = build_report(region, None, tmp_path / "alle" / "rapport")
    pages = [p.read_text(encoding="utf-8") for p in (tmp_path / "alle" / "rapport").rglob("*.html")]
    assert any(f"{MARKER:_}".replace("_", ".") in page for page in pages)  # the check below can fail
    own = gemeente_paths(region, "GM0637")
    report = build_report(own.published_db, None, own.report_dir, ["GM0637"])
    assert report.publicatie.run_id == everyone.publicatie.run_id
    pages = {p.relative_to(own.report_dir.resolve()).as_posix(): p.read_text(encoding="utf-8")
             for p in own.report_dir.resolve().rglob("*.html")}
    assert pages and not any(f"{MARKER:_}".replace("_", ".") in page for page in pages.values())
    assert "index.html" in pages and not any(OTHER.lower() in path.lower() for path in pages)


def _region_build(path: Path, gemeenten: dict[str, int]) -> Path:
    """A build file like the real one, with a microdata fact, a public CBS fact and a dimension."""
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE SCHEMA marts")
        con.execute("CREATE TABLE marts.dim_gemeente AS SELECT * FROM (VALUES "
                    + ", ".join(f"('{g}')" for g in gemeenten) + ") AS t(gemeente_code)")
        con.execute("CREATE TABLE marts.fct_jeugdhulp_traject AS SELECT * FROM (VALUES "
                    + ", ".join(f"('{g}', {n})" for g, n in gemeenten.items()) + ") AS t(gemeente_code, n)")
        con.execute("CREATE TABLE marts.fct_cbs_waarneming AS SELECT 'NL01' AS regio_code, 1.5 AS waarde")
    return path


def test_a_gemeente_left_behind_is_caught_up_and_a_killed_write_leaves_the_old_file(tmp_path, monkeypatch):
    monkeypatch.setenv("WAREHOUSE_PER_GEMEENTE", "true")
    paths = WarehousePaths(tmp_path / "landing", tmp_path / "warehouse", tmp_path / "warehouse" / "marts.duckdb")
    build = _region_build(tmp_path / "build.duckdb", {"GM0637": 3, "GM0503": 5, "GM0603": 7})
    marts = ["dim_gemeente", "fct_cbs_waarneming", "fct_jeugdhulp_traject"]
    publish(build, paths.published_db, "run-1", marts)
    lagging = targets.behind(paths, None)
    assert {targets.gemeente_target(t, "GM0603") for t in (targets.FILE, targets.PARQUET, targets.REPORT)} \
        <= set(lagging)
    for code in release_gemeenten(paths.published_db):
        publish_gemeente(paths.published_db, code)
        publish_parquet(gemeente_paths(paths.published_db, code).published_db)
    assert not [t for t in targets.behind(paths, None) if "GM" in t and targets.REPORT not in t]
    rijswijk = gemeente_paths(paths.published_db, "GM0603")
    assert query(rijswijk.published_db, "SELECT gemeente_code, n FROM fct_jeugdhulp_traject") == [("GM0603", 7)]

    publish(build, paths.published_db, "run-2", marts)
    assert targets.gemeente_target(targets.FILE, "GM0603") in targets.behind(paths, None)

    def killed(point):
        raise KeyboardInterrupt(point)

    monkeypatch.setattr(per_gemeente, "fault_point", killed)
    with pytest.raises(KeyboardInterrupt, match="gemeente"):
        publish_gemeente(paths.published_db, "GM0603")
    assert targets.file_release(rijswijk.published_db) == "run-1"  # whole, at its old release
    assert [p.name for p in rijswijk.folder.iterdir() if p.name.startswith(".")] == []
    monkeypatch.undo()
    monkeypatch.setenv("WAREHOUSE_PER_GEMEENTE", "true")
    publish_gemeente(paths.published_db, "GM0603")
    assert targets.file_release(rijswijk.published_db) == "run-2"

    (rijswijk.folder / "../GM9999").resolve().mkdir()
    assert per_gemeente.remove_others(paths.published_db, release_gemeenten(paths.published_db)) == ["GM9999"]
    assert sorted(p.name for p in rijswijk.folder.parent.iterdir()) == ["GM0503", "GM0603", "GM0637"]


def test_the_nightly_publishes_and_catches_up_every_gemeente(sample_run, tmp_path, monkeypatch):
    """On a copy of the sample's warehouse, a night with nothing new writes the gemeente's file,
    Parquet folder and report, because they do not hold the release; the next night leaves them."""
    from tests.conftest import run_nightly

    sample, _ = sample_run
    shutil.copytree(sample.landing_dir, tmp_path / "landing")
    shutil.copytree(sample.warehouse_dir, tmp_path / "warehouse", symlinks=True)
    paths = WarehousePaths(tmp_path / "landing", tmp_path / "warehouse", tmp_path / "warehouse" / "marts.duckdb")
    monkeypatch.setenv("WAREHOUSE_PER_GEMEENTE", "true")
    assert targets.gemeente_target(targets.FILE, "GM0637") in targets.behind(paths, None)
    result = run_nightly(paths)
    assert result.success
    assert targets.behind(paths, None) == {}
    own = gemeente_paths(paths.published_db, "GM0637")
    assert (own.report_dir / "index.html").is_file()
    release = targets.file_release(paths.published_db)
    assert [s.release for s in targets.gemeenten_held(paths.published_db)] == [release] * 3
