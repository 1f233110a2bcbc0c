"""Every target catches up by itself: a warehouse whose first run had no PostgreSQL, a night
with the server down, a run killed during the PostgreSQL publish, the Parquet folder or the
report, and a Parquet folder emptied by hand are each brought up to the DuckDB file's release
by the next run, with nothing new delivered. One warehouse goes through these nights in order
(finance files of the sample); the runs that are killed run as a subprocess."""

from __future__ import annotations

import re
import signal
import socket

import psycopg
import pytest

from dagster_project.operations.run import summarise
from dagster_project.publication import targets
from dagster_project.publication.postgres import PostgresTarget

from .conftest import run_nightly
from .test_faults import LEDGER, Warehouse, deliver, leftovers


def nightly(warehouse: Warehouse, postgres: PostgresTarget | None) -> tuple[str, bool]:
    """The nightly in this process; its summary and whether it ended current."""
    result = run_nightly(warehouse.paths, postgres)
    return summarise(result, warehouse.paths, postgres=postgres)


def killed(warehouse: Warehouse, postgres: PostgresTarget, point: str) -> None:
    process = warehouse.start(kill_at=point, env={"WAREHOUSE_POSTGRES_URL": postgres.url})
    stdout, stderr = process.communicate()
    assert process.returncode == -signal.SIGKILL, (point, stdout[-3000:], stderr[-3000:])


def held(warehouse: Warehouse, postgres: PostgresTarget) -> dict[str, str | None]:
    return {state.target: state.release for state in targets.held(warehouse.paths, postgres)}


def all_hold_the_file(warehouse: Warehouse, postgres: PostgresTarget) -> bool:
    releases = held(warehouse, postgres)
    return releases[targets.FILE] is not None and set(releases.values()) == {releases[targets.FILE]}


def closed_port() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"postgresql://postgres@127.0.0.1:{s.getsockname()[1]}/nowhere"


@pytest.fixture(scope="module")
def nights(tmp_path_factory, postgres_server):
    """The nights, in order, with what each left: summary, success, and the releases held after it."""
    root = tmp_path_factory.mktemp("targets")
    deliver(root / "landing", LEDGER / "financien_GM0637_2021_rekening.csv")
    warehouse = Warehouse.create(root / "w", root / "landing")
    postgres = PostgresTarget(postgres_server.create_database("targets"))
    down = PostgresTarget(closed_port())
    seen = {}

    seen["first, without PostgreSQL"] = (*nightly(warehouse, None), held(warehouse, None))
    seen["PostgreSQL turned on"] = (*nightly(warehouse, postgres), held(warehouse, postgres))

    deliver(warehouse.paths.landing_dir, LEDGER / "financien_GM0637_2022_rekening.csv")
    seen["server down"] = (*nightly(warehouse, down), held(warehouse, postgres))
    seen["server back"] = (*nightly(warehouse, postgres), held(warehouse, postgres))

    (warehouse.paths.published_db.parent / "parquet" / "fct_financien.parquet").unlink()
    seen["Parquet emptied by hand"] = (*nightly(warehouse, postgres), held(warehouse, postgres))

    for point, delivery in (("postgres", "financien_GM0637_2021_begroting_primitief.csv"),
                            ("parquet", "financien_GM0637_2021_begroting_na_wijziging.csv"),
                            ("report", "financien_GM0637_2022_begroting_primitief.csv")):
        deliver(warehouse.paths.landing_dir, LEDGER / delivery)
        killed(warehouse, postgres, point)
        seen[f"killed at {point}"] = (None, None, held(warehouse, postgres))
        seen[f"after the kill at {point}"] = (*nightly(warehouse, postgres), held(warehouse, postgres))
    return warehouse, postgres, seen


def test_postgres_turned_on_after_the_first_run_gets_the_release_with_nothing_new(nights):
    warehouse, postgres, seen = nights
    text, ok, releases = seen["PostgreSQL turned on"]
    assert ok, text
    first = seen["first, without PostgreSQL"][2][targets.FILE]
    assert releases == dict.fromkeys([targets.FILE, targets.PARQUET, targets.POSTGRES, targets.REPORT], first)
    assert "Nothing new since the published release" in text
    assert re.search(r"PostgreSQL +run \S+ +\(published by this run; it held no release\)", text), text
    with psycopg.connect(postgres.url) as con:
        assert con.execute("SELECT count(*) FROM pg_roles WHERE rolname = 'marts_reader'").fetchone() == (1,)
        assert con.execute("SELECT count(*) FROM marts.fct_financien").fetchone()[0] > 0


def test_a_night_with_the_server_down_fails_with_a_clear_line_and_the_others_publish(nights):
    _, _, seen = nights
    text, ok, releases = seen["server down"]
    assert not ok
    before = seen["PostgreSQL turned on"][2][targets.FILE]
    assert releases[targets.FILE] != before
    assert releases[targets.PARQUET] == releases[targets.REPORT] == releases[targets.FILE]
    assert releases[targets.POSTGRES] == before
    assert "NOT published" not in text
    assert re.search(r"published_postgres: .*PostgreSQL 127\.0\.0\.1:\d+/nowhere schema marts cannot be reached", text)
    assert re.search(r"PostgreSQL +cannot be read: .*\(FAILED, see above: the next run catches it up\)", text), text


def test_the_next_run_catches_postgres_up_with_nothing_new(nights):
    _, _, seen = nights
    text, ok, releases = seen["server back"]
    assert ok, text
    assert len(set(releases.values())) == 1
    assert releases[targets.FILE] == seen["server down"][2][targets.FILE]
    assert re.search(r"PostgreSQL +run \S+ +\(published by this run; it held run \S+\)", text), text


def test_a_parquet_folder_emptied_by_hand_is_written_anew(nights):
    _, _, seen = nights
    text, ok, releases = seen["Parquet emptied by hand"]
    assert ok, text
    assert releases == seen["server back"][2]
    assert re.search(r"Parquet +run \S+ +\(caught up: it holds no release", text), text


@pytest.mark.parametrize("point, target", [("postgres", targets.POSTGRES), ("parquet", targets.PARQUET),
                                           ("report", targets.REPORT)])
def test_a_kill_during_a_targets_publish_is_caught_up_by_the_next_run(nights, point, target):
    warehouse, postgres, seen = nights
    after_kill = seen[f"killed at {point}"][2]
    assert after_kill[target] != after_kill[targets.FILE], after_kill
    text, ok, releases = seen[f"after the kill at {point}"]
    assert ok, text
    assert "Nothing new since the published release" in text
    assert releases[targets.FILE] == after_kill[targets.FILE]
    assert len(set(releases.values())) == 1, releases


def test_the_summary_says_per_target_which_release_it_holds(nights):
    warehouse, postgres, seen = nights
    text = seen["after the kill at report"][0]
    assert all_hold_the_file(warehouse, postgres)
    release = held(warehouse, postgres)[targets.FILE]
    for target in (targets.FILE, targets.PARQUET, targets.POSTGRES, targets.REPORT):
        assert re.search(rf"^  {re.escape(target)} +run {release}", text, re.MULTILINE), (target, text)
    assert leftovers(warehouse.paths) == []
