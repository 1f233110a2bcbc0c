"""A night with nothing new changes nothing and publishes nothing; a small delivery
rebuilds, checks and publishes only what it touches; an incremental build gives
exactly the marts of a full rebuild (dagster_project/transform/fingerprint.py, docs/operations.md)."""

from __future__ import annotations

import hashlib
import json
import shutil

import duckdb

from dagster_project.operations.run import summarise
from dagster_project.quality.validation import load_suites
from dagster_project.settings import EXPECTATIONS_DIR, WarehousePaths
from dagster_project.transform.fingerprint import Built, read_published
from dagster_project.transform.manifest import manifest, mart_names, models, upstream_sources

from .conftest import ledger_line, query, run_nightly, write_csv

TOTALS_HEADER = ("gemeente_code", "jaar", "fase", "uitgaven", "inkomsten")


def deliver_finance(paths: WarehousePaths) -> None:
    ledger = paths.landing_dir / "financien" / "grootboek"
    write_csv(ledger / "financien_2021_rekening_1.csv",
              [ledger_line(bedrag="-1.000,00"), ledger_line(soort="baten", bedrag="500,00")])
    write_csv(ledger / "financien_2020_rekening_1.csv", [ledger_line(jaar="2020", bedrag="-700,00")])
    write_csv(paths.landing_dir / "financien" / "gemeentetotalen" / "totalen_1.csv",
              [dict(gemeente_code="GM0637", jaar="2021", fase="rekening", uitgaven="-497.800.000,00",
                    inkomsten="497.800.000,00")], header=TOTALS_HEADER)


def events(result, kind: str) -> list:
    return [e for e in result.all_events if e.event_type_value == kind]


def rebuilt_models(result) -> set[str]:
    """The dbt models and seeds this run built (not the marts it reported unchanged)."""
    return {e.asset_key.path[-1] for e in events(result, "ASSET_MATERIALIZATION")
            if e.asset_key.path[0] in ("staging", "intermediate", "marts", "reference")
            and e.event_specific_data.materialization.metadata.get("rebuilt") is None}


def validated_marts(result) -> set[str]:
    return {e.event_specific_data.asset_key.path[-1] for e in events(result, "ASSET_CHECK_EVALUATION")
            if e.event_specific_data.check_name.startswith("gx_")}


def dbt_tests_run(paths: WarehousePaths) -> set[str]:
    """The data tests of the latest `dbt test` (its run results)."""
    latest = sorted((paths.warehouse_dir / "dbt_runs").iterdir())[-1]
    results = json.loads((latest / "test" / "run_results.json").read_text())["results"]
    return {r["unique_id"].split(".")[2] for r in results}


def dbt_tests_touching(models: set[str]) -> set[str]:
    nodes = manifest()["nodes"]
    return {t["name"] for t in nodes.values() if t["resource_type"] == "test"
            and any(nodes.get(n, {}).get("name") in models for n in t["depends_on"]["nodes"])}


def file_state(path) -> tuple:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


def parquet_state(paths: WarehousePaths) -> dict[str, tuple]:
    return {p.stem: file_state(p) for p in (paths.published_db.parent / "parquet").glob("*.parquet")}


def test_a_night_with_nothing_new_changes_nothing_and_publishes_nothing(paths):
    deliver_finance(paths)
    first = run_nightly(paths)
    assert first.success and rebuilt_models(first) >= set(models())
    published_before = file_state(paths.published_db)
    parquet_before = parquet_state(paths)
    publicatie_before = query(paths.published_db, "SELECT * FROM publicatie")
    built_before = query(paths.build_db, "SELECT * FROM meta.built_nodes ORDER BY node")

    second = run_nightly(paths)
    assert second.success
    assert rebuilt_models(second) == set() and validated_marts(second) == set()
    assert "published_marts" not in {e.asset_key.to_user_string() for e in events(second, "ASSET_MATERIALIZATION")}
    assert {e.step_key for e in events(second, "STEP_SKIPPED")} >= {"validation_results", "published_marts"}
    assert file_state(paths.published_db) == published_before
    assert parquet_state(paths) == parquet_before
    assert query(paths.published_db, "SELECT * FROM publicatie") == publicatie_before
    assert query(paths.build_db, "SELECT * FROM meta.built_nodes ORDER BY node") == built_before
    text, ok = summarise(second, paths)
    assert ok and "Nothing new since the published release" in text


def test_a_small_delivery_rebuilds_checks_and_publishes_only_what_it_touches(paths):
    deliver_finance(paths)
    assert run_nightly(paths).success
    published_before = read_published(paths.published_db)
    parquet_before = parquet_state(paths)
    [first_run] = query(paths.published_db, "SELECT run_id FROM publicatie")[0]
    write_csv(paths.landing_dir / "financien" / "grootboek" / "financien_2019_rekening_1.csv",
              [ledger_line(jaar="2019", bedrag="-300,00")])

    result = run_nightly(paths)
    assert result.success
    downstream = {name for name, sources in upstream_sources().items() if "financien_grootboek" in sources}
    assert downstream >= {"stg_financien__grootboek", "fct_financien", "rpt_financien_doelstelling"}
    assert "dim_jaar" in downstream  # the calendar follows the years of the deliveries
    assert rebuilt_models(result) == downstream
    changed = {mart for mart in mart_names() if mart in downstream}
    suites = {suite.asset for suite in load_suites(EXPECTATIONS_DIR)}
    assert {"fct_financien", "rpt_programma_totalen"} <= changed & suites < suites
    assert validated_marts(result) == changed & suites
    # dbt runs the tests that touch a rebuilt model, also against a dimension it did not rebuild.
    assert dbt_tests_run(paths) == dbt_tests_touching(downstream)
    assert "foreign_key_fct_financien_jaar__jaar__ref_dim_jaar_" in dbt_tests_run(paths)
    assert {e.event_specific_data.asset_key.path[-1] for e in events(result, "ASSET_CHECK_EVALUATION")
            if e.event_specific_data.check_name == "geen_bsn"} == changed
    published_after = read_published(paths.published_db)
    assert {m for m in mart_names() if published_after[m] != published_before[m]} == changed
    assert published_after == Built.read(paths.build_db).marts()
    # The unchanged marts are kept: from the run that published them, their Parquet files untouched.
    statuses = dict(query(paths.published_db, "SELECT mart, status || ' ' || run_id FROM publicatie_mart"))
    assert statuses == {m: f"fresh {result.run_id}" if m in changed else f"unchanged {first_run}"
                        for m in mart_names()}
    assert query(paths.published_db, "SELECT is_volledig FROM publicatie") == [(True,)]
    parquet_after = parquet_state(paths)
    assert {m for m in mart_names() if parquet_after[m] != parquet_before[m]} == changed
    text, ok = summarise(result, paths)
    assert ok and "not fresh" not in text and "(unchanged)" in text
    assert query(paths.published_db, "SELECT jaar, sum(bedrag) FROM fct_financien GROUP BY jaar ORDER BY jaar") == [
        (2019, -300), (2020, -700), (2021, -500)]


def marts_of(build_db) -> dict[str, list[tuple]]:
    with duckdb.connect(str(build_db), read_only=True) as con:
        return {mart: con.execute(f"SELECT * FROM marts.{mart} ORDER BY ALL").fetchall() for mart in mart_names()}


def test_an_incremental_build_gives_exactly_the_marts_of_a_full_rebuild(paths, tmp_path):
    deliver_finance(paths)
    assert run_nightly(paths).success
    ledger = paths.landing_dir / "financien" / "grootboek"
    # A correction of 2021 (supersedes its partition), a new year, and a corrected total.
    write_csv(ledger / "financien_2021_rekening_2.csv", [ledger_line(bedrag="-2.000,00"),
                                                         ledger_line(kostenplaats="Wmo", bedrag="-10,00")])
    write_csv(ledger / "financien_2022_begroting_primitief_1.csv",
              [ledger_line(jaar="2022", fase="begroting primitief", bedrag="-5,00")])
    assert run_nightly(paths).success
    incremental = paths.warehouse_dir / "dbt_runs"
    [latest] = sorted(incremental.iterdir())[-1:]
    # The SQL dbt ran (run/), not the model's compiled select (compiled/): which one rglob finds first
    # depends on the file system's order.
    [executed] = [p for p in latest.rglob("fct_financien.sql") if "run" in p.relative_to(latest).parts]
    assert "delete from" in executed.read_text(), "fct_financien was not incremental"

    # The same raw data, built from scratch.
    full = WarehousePaths(paths.landing_dir, tmp_path / "full", tmp_path / "full" / "marts.duckdb")
    full.warehouse_dir.mkdir()
    shutil.copy(paths.build_db, full.build_db)
    with duckdb.connect(str(full.build_db)) as con:
        con.execute("DROP TABLE meta.built_nodes")
    assert run_nightly(full).success
    assert marts_of(full.build_db) == marts_of(paths.build_db)
    assert query(full.published_db, "SELECT count(*), sum(bedrag) FROM fct_financien") == [(4, -2715)]
