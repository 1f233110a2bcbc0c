"""Upgrade: a warehouse built by the previous release (0.1.0, the code of commit ca0af94) is
run by this one without losing a load: the load log keeps its loads with their ids and times,
a new delivery gets the next id, the release publishes, and the archive upgrade step
(`python -m dagster_project.ingest.archive backfill`) archives the earlier loads so that the
warehouse can be restored from the archive."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from dagster_project.ingest.archive import records
from dagster_project.settings import REPO_ROOT, WarehousePaths

from .conftest import ledger_line, query, run_nightly, write_csv
from .test_runs import TOTALS_HEADER, totals

PREVIOUS_RELEASE = "ca0af94"  # version 0.1.0
BIN = Path(sys.executable).parent


def _previous_release(root: Path) -> Path:
    """The previous release's code, with the dbt manifest its `make setup` makes."""
    code = root / "release-0.1.0"
    code.mkdir()
    archive = subprocess.run(["git", "-C", str(REPO_ROOT), "archive", PREVIOUS_RELEASE], capture_output=True,
                             check=True)
    subprocess.run(["tar", "-x", "-C", str(code)], input=archive.stdout, check=True)
    # Its own module paths: 0.1.0 had dbt_codegen and run at the top of dagster_project/.
    subprocess.run([sys.executable, "-m", "dagster_project.dbt_codegen"], cwd=code, check=True)
    subprocess.run([str(BIN / "dbt"), "parse", "--profiles-dir", ".", "--quiet"], cwd=code / "dbt", check=True)
    return code


def test_a_warehouse_of_the_previous_release_upgrades_without_losing_a_load(paths, ledger_dir, tmp_path,
                                                                            monkeypatch):
    monkeypatch.setenv("WAREHOUSE_ARCHIVE_DIR", str(tmp_path / "archief"))
    write_csv(ledger_dir / "financien_2021_rekening_20220301.csv", [ledger_line(bedrag="-1.000,00")])
    write_csv(paths.landing_dir / "financien" / "gemeentetotalen" / "gemeentetotalen_1.csv",
              [totals("-497.800.000,00")], header=TOTALS_HEADER)
    write_csv(ledger_dir / "financien_2022_rekening.csv", [ledger_line(jaar="2022", bedrag="veel")])
    env = {**os.environ, "WAREHOUSE_LANDING_DIR": str(paths.landing_dir), "WAREHOUSE_DIR": str(paths.warehouse_dir),
           "WAREHOUSE_PUBLISHED_DB": str(paths.published_db), "DAGSTER_HOME": str(tmp_path / "dagster")}
    (tmp_path / "dagster").mkdir()
    code = _previous_release(tmp_path)
    # Its dbt runs in a process of its own, which would import the installed (this) dagster_project for the
    # profile's plugins: the previous release's own package comes first.
    old = subprocess.run([sys.executable, "-m", "dagster_project.run"], cwd=code, env={**env, "PYTHONPATH": str(code)},
                         capture_output=True, text=True)
    assert "Published: " in old.stdout, old.stdout + old.stderr
    loads_before = query(paths.build_db, "FROM raw.load_log ORDER BY load_id")
    assert [(load[0], load[3], load[8]) for load in loads_before] == [
        (1, "gemeentetotalen_1.csv", "loaded"), (2, "financien_2021_rekening_20220301.csv", "loaded"),
        (3, "financien_2022_rekening.csv", "quarantined")]
    assert not (tmp_path / "archief").exists()  # the previous release kept no archive

    write_csv(ledger_dir / "financien_2021_rekening_20220415.csv", [ledger_line(bedrag="-2.000,00")])
    new = run_nightly(WarehousePaths(paths.landing_dir, paths.warehouse_dir, paths.published_db))
    assert new.success
    loads_after = query(paths.build_db, "FROM raw.load_log ORDER BY load_id")
    assert loads_after[:3] == loads_before  # every earlier load kept as it was
    assert [(load[0], load[3]) for load in loads_after[3:]] == [(4, "financien_2021_rekening_20220415.csv")]
    assert query(paths.published_db, "SELECT run_id FROM publicatie") == [(new.run_id,)]
    assert query(paths.published_db, "SELECT sum(bedrag)::INTEGER FROM fct_financien") == [(-2000,)]

    # The upgrade step: archive the loads of the previous release.
    backfill = subprocess.run([sys.executable, "-m", "dagster_project.ingest.archive", "backfill"], cwd=REPO_ROOT,
                              env={**env, "WAREHOUSE_ARCHIVE_DIR": str(tmp_path / "archief")},
                              capture_output=True, text=True)
    assert (backfill.returncode, backfill.stdout.strip()) == (0, f"Archived 3 earlier loads in {tmp_path / 'archief'}.")
    assert [(r["load_id"], r["content_kept"]) for r in records(tmp_path / "archief")] == [
        (1, True), (2, True), (3, True), (4, True)]
