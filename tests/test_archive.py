"""The archive of deliveries and the restore drill: every loaded and quarantined delivery is
kept read-only by content outside the build file; with the build file, the load log and the
landing folder gone, `python -m dagster_project.ingest.archive restore` rebuilds the load log
and the raw tables with the same load ids and supersession, and the next run publishes marts
identical row for row to the ones before."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import sys

import duckdb
import pytest

from dagster_project.ingest.archive import ArchiveConflict, records
from dagster_project.settings import REPO_ROOT

from .conftest import ledger_line, query, run_nightly, write_csv
from .test_runs import TOTALS_HEADER, totals

LOAD_TABLES = ("load_log", "quarantine")


def _tables(database) -> list[str]:
    return [name for (name,) in query(database, "SELECT table_name FROM information_schema.tables ORDER BY 1")]


def _differences(before, after, table: str) -> tuple[int, int, int]:
    """Rows of `table` only before, only after (as multisets), and the row count after."""
    with duckdb.connect() as con:
        con.execute(f"ATTACH '{before}' AS before (READ_ONLY); ATTACH '{after}' AS after (READ_ONLY)")
        gone, new = (con.execute(f"SELECT count(*) FROM (FROM {a}.{table} EXCEPT ALL FROM {b}.{table})")
                     .fetchall()[0][0] for a, b in (("before", "after"), ("after", "before")))
        return gone, new, con.execute(f"SELECT count(*) FROM after.{table}").fetchall()[0][0]


@pytest.fixture
def archive_dir(tmp_path, monkeypatch):
    folder = tmp_path / "archief"
    monkeypatch.setenv("WAREHOUSE_ARCHIVE_DIR", str(folder))
    return folder


def test_the_restore_drill_rebuilds_the_warehouse_from_the_archive_alone(paths, ledger_dir, archive_dir, tmp_path):
    totals_dir = paths.landing_dir / "financien" / "gemeentetotalen"
    write_csv(ledger_dir / "financien_2021_rekening_20220301.csv", [ledger_line(bedrag="-1.000,00")])
    write_csv(totals_dir / "gemeentetotalen_1.csv", [totals("-497.800.000,00")], header=TOTALS_HEADER)
    (ledger_dir / "link.csv").symlink_to(ledger_dir / "financien_2021_rekening_20220301.csv")
    assert run_nightly(paths).success
    # A correction supersedes the first delivery; a bad file is quarantined.
    write_csv(ledger_dir / "financien_2021_rekening_20220415.csv", [ledger_line(bedrag="-2.000,00")])
    write_csv(ledger_dir / "financien_2022_rekening.csv", [ledger_line(jaar="2022", bedrag="veel")])
    assert run_nightly(paths).success

    kept = records(archive_dir)
    assert [(r["load_id"], r["file_name"], r["status"], r["content_kept"]) for r in kept] == [
        (1, "gemeentetotalen_1.csv", "loaded", True),
        (2, "financien_2021_rekening_20220301.csv", "loaded", True),
        (3, "link.csv", "quarantined", False),
        (4, "financien_2021_rekening_20220415.csv", "loaded", True),
        (5, "financien_2022_rekening.csv", "quarantined", True),
    ]
    for path in (archive_dir / "objects").rglob("*"):
        if path.is_file():  # content-addressed and read-only
            assert hashlib.sha256(path.read_bytes()).hexdigest() == path.name
            assert stat.S_IMODE(path.stat().st_mode) == 0o444

    before = tmp_path / "before"
    before.mkdir()
    shutil.copy(paths.published_db, before / "marts.duckdb")
    shutil.copy(paths.loads_db, before / "loads.duckdb")
    shutil.rmtree(paths.warehouse_dir)  # build file, load log, published release, quarantine copies
    shutil.rmtree(paths.landing_dir)  # the landing folder emptied: the archive alone

    env = {"WAREHOUSE_DIR": str(paths.warehouse_dir), "WAREHOUSE_LANDING_DIR": str(paths.landing_dir),
           "WAREHOUSE_PUBLISHED_DB": str(paths.published_db), "WAREHOUSE_ARCHIVE_DIR": str(archive_dir)}
    restored = subprocess.run([sys.executable, "-m", "dagster_project.ingest.archive", "restore"], cwd=REPO_ROOT,
                              env={**os.environ, **env}, capture_output=True, text=True)
    assert restored.returncode == 0, restored.stderr
    assert restored.stdout.startswith("Restored 5 loads from ")
    for table in LOAD_TABLES:
        assert _differences(before / "loads.duckdb", paths.loads_db, table)[:2] == (0, 0)
    assert (paths.quarantine_dir / "5__financien_2022_rekening.csv").exists()

    assert run_nightly(paths).success
    marts = [t for t in _tables(before / "marts.duckdb") if not t.startswith("publicatie")]
    assert "fct_financien" in marts and _tables(paths.published_db) == _tables(before / "marts.duckdb")
    for mart in marts:
        assert _differences(before / "marts.duckdb", paths.published_db, mart)[:2] == (0, 0), mart
    assert query(paths.build_db, "SELECT file_name, is_current FROM intermediate.int_financien__grootboek_deliveries "
                                 "ORDER BY load_id") == [("financien_2021_rekening_20220301.csv", False),
                                                         ("financien_2021_rekening_20220415.csv", True)]


def test_an_archive_of_another_build_file_is_not_overwritten(paths, ledger_dir, archive_dir):
    write_csv(ledger_dir / "financien_2021_rekening.csv", [ledger_line()])
    from dagster_project.ingest.loading import load_source
    from dagster_project.sources import CONTRACTS

    ledger = next(c for c in CONTRACTS if c.source == "financien_grootboek")
    load_source(ledger, paths)
    # The build file lost without a restore: a new one would give load 1 to another file.
    paths.build_db.unlink()
    (ledger_dir / "financien_2021_rekening.csv").unlink()
    write_csv(ledger_dir / "financien_2022_rekening.csv", [ledger_line(jaar="2022")])
    with pytest.raises(ArchiveConflict, match="holds another load 1 .financien_2021_rekening.csv."):
        load_source(ledger, paths)
    assert [r["file_name"] for r in records(archive_dir)] == ["financien_2021_rekening.csv"]
