"""Faults, as an operator meets them: a nightly killed with SIGKILL in the middle of a load,
`dbt build`, the checks or the publish; two nightlies started at the same moment; a full disk.
Each time the published marts, loads.duckdb and the Parquet release stay whole and readable,
and the next run recovers by itself.

The nightly runs as a subprocess (`python -m dagster_project.operations.run`) with its paths in the
environment; the test-only hook WAREHOUSE_TEST_KILL_AT (dagster_project/operations/faults.py) kills it
at a named point. The deliveries are small: finance files of the sample."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from dagster_project.operations.faults import KILL_AT
from dagster_project.settings import REPO_ROOT, SAMPLE_LANDING_DIR, WarehousePaths

from .conftest import query

LEDGER = SAMPLE_LANDING_DIR / "financien" / "grootboek"
TOTALS = SAMPLE_LANDING_DIR / "financien" / "gemeentetotalen" / "gemeentetotalen_GM0637.csv"


@dataclass(frozen=True)
class Warehouse:
    paths: WarehousePaths
    dagster_home: Path

    @classmethod
    def create(cls, root: Path, landing: Path, warehouse_dir: Path | None = None,
               published_db: Path | None = None) -> Warehouse:
        from dagster import DagsterInstance
        from dagster._core.instance.ref import InstanceRef

        home = root / "dagster"
        home.mkdir(parents=True)
        shutil.copy(REPO_ROOT / "dagster_project" / "dagster.yaml", home)
        # Set up the instance's storage once, as `make setup` and a first run do, so that two runs
        # started at once meet on the warehouse and not in creating Dagster's own tables.
        DagsterInstance.from_ref(InstanceRef.from_dir(str(home))).dispose()
        warehouse_dir = warehouse_dir or root / "warehouse"
        return cls(WarehousePaths(landing, warehouse_dir, published_db or warehouse_dir / "marts.duckdb"), home)

    def start(self, kill_at: str | None = None, preexec_fn=None, env: dict[str, str] | None = None
              ) -> subprocess.Popen:
        env = {**os.environ, "WAREHOUSE_LANDING_DIR": str(self.paths.landing_dir),
               "WAREHOUSE_DIR": str(self.paths.warehouse_dir), "WAREHOUSE_PUBLISHED_DB": str(self.paths.published_db),
               "DAGSTER_HOME": str(self.dagster_home), **(env or {})}
        env.pop(KILL_AT, None)
        if kill_at:
            env[KILL_AT] = kill_at
        # A session of its own: the kill takes the run's process group (the run and dbt), not pytest.
        return subprocess.Popen([sys.executable, "-m", "dagster_project.operations.run"], cwd=REPO_ROOT, env=env,
                                text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                                preexec_fn=preexec_fn)

    def run(self, kill_at: str | None = None, preexec_fn=None) -> subprocess.CompletedProcess:
        process = self.start(kill_at, preexec_fn)
        stdout, stderr = process.communicate()
        return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def deliver(landing: Path, *files: Path) -> None:
    for file in files:
        folder = landing / file.parent.relative_to(SAMPLE_LANDING_DIR)
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(file, folder / file.name)


def release(paths: WarehousePaths) -> dict:
    """The published release as a reader finds it, after checking that it is whole: every mart
    of `publicatie` readable with its row count, in DuckDB and in Parquet, and the load log readable."""
    [(run_id, tabellen)] = query(paths.published_db, "SELECT run_id, tabellen FROM publicatie")
    counts = json.loads(tabellen)
    assert {t: query(paths.published_db, f"SELECT count(*) FROM {t}")[0][0] for t in counts} == counts
    parquet = paths.published_db.parent / "parquet"
    assert {p.stem: query(paths.published_db, f"SELECT count(*) FROM '{p}'")[0][0]
            for p in parquet.glob("*.parquet") if p.stem != "publicatie"} == counts
    assert query(paths.published_db, f"SELECT run_id FROM '{parquet / 'publicatie.parquet'}'") == [(run_id,)]
    loads = query(paths.loads_db, "SELECT file_name, status FROM load_log ORDER BY file_name, load_id")
    return {"run_id": run_id, "counts": counts, "loads": loads}


def leftovers(paths: WarehousePaths) -> list[str]:
    """What an interrupted run could leave behind for someone to remove by hand."""
    folders = {paths.warehouse_dir, paths.published_db.parent}
    found = [p for folder in folders for p in folder.rglob("*") if ".tmp" in p.name or p.name.endswith(".wal")]
    found += [p for folder in folders for p in folder.glob(".*.duckdb.*")]
    found += list(paths.incoming_dir.glob("*")) if paths.incoming_dir.exists() else []
    # The Parquet files of a release being written wait in a folder of their own until they are swapped in.
    found += list(paths.published_db.parent.glob(".parquet.*"))
    return sorted(str(p) for p in found)


def marts_differ(published: Path, reference: Path) -> dict[str, int]:
    """Per mart, the rows in one file and not in the other (both ways), ignoring nothing."""
    import duckdb

    with duckdb.connect() as con:
        con.execute(f"ATTACH '{published}' AS a (READ_ONLY)")
        con.execute(f"ATTACH '{reference}' AS b (READ_ONLY)")
        marts = [t for (t,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = 'b' "
                                           "AND table_name NOT LIKE 'publicatie%'").fetchall()]
        return {t: n for t in marts if (n := con.execute(
            f"SELECT (SELECT count(*) FROM (FROM a.{t} EXCEPT ALL FROM b.{t})) "
            f"+ (SELECT count(*) FROM (FROM b.{t} EXCEPT ALL FROM a.{t}))").fetchone()[0])}


# --- SIGKILL at every stage, two nightlies at once ------------------------------------------

@pytest.fixture(scope="module")
def first_release(tmp_path_factory):
    """Two nightlies started at the same moment on a new warehouse with the 2021 accounts only."""
    root = tmp_path_factory.mktemp("faults")
    deliver(root / "landing", LEDGER / "financien_GM0637_2021_rekening.csv")
    warehouse = Warehouse.create(root / "w", root / "landing")
    both = [warehouse.start(), warehouse.start()]
    outputs = [process.communicate() for process in both]
    return warehouse, [(p.returncode, out, err) for p, (out, err) in zip(both, outputs, strict=True)]


def test_of_two_nightlies_started_at_once_one_refuses_with_a_clear_message(first_release):
    warehouse, outcomes = first_release
    [(_, published, _)] = [o for o in outcomes if o[0] == 0]
    [(code, refused, _)] = [o for o in outcomes if o[0] != 0]
    assert code == 1
    assert "another run is working on this warehouse" in refused
    assert "This run stops without changing anything" in refused
    assert "Published: " in published and "NOT published" in refused
    assert release(warehouse.paths)["loads"] == [("financien_GM0637_2021_rekening.csv", "loaded")]


def test_a_warehouse_with_only_finance_files_publishes_every_mart(first_release):
    warehouse, outcomes = first_release
    [(_, published, _)] = [o for o in outcomes if o[0] == 0]
    assert "WARN  marts/rpt_indicator_streefwaarde_dekking: gx_rpt_indicator_streefwaarde_dekking" in published
    assert "not fresh" not in published
    assert {s for (s,) in query(warehouse.paths.published_db, "SELECT DISTINCT status FROM publicatie_mart")} == {
        "fresh"}


@pytest.fixture(scope="module")
def killed_at_every_stage(first_release, tmp_path_factory):
    """New deliveries; the nightly killed during the load, dbt, the checks and the publish, then run
    once more. Meanwhile a copy of the warehouse runs the same deliveries without faults."""
    warehouse, _ = first_release
    before = release(warehouse.paths)
    reference_root = tmp_path_factory.mktemp("reference")
    reference = Warehouse.create(reference_root, warehouse.paths.landing_dir)
    shutil.copytree(warehouse.paths.warehouse_dir, reference.paths.warehouse_dir, symlinks=True)
    deliver(warehouse.paths.landing_dir, LEDGER / "financien_GM0637_2022_rekening.csv", TOTALS)
    reference_run = reference.start()
    after_kill = {}
    for point in ("load", "dbt", "checks", "publish"):
        killed = warehouse.run(kill_at=point)
        assert killed.returncode == -signal.SIGKILL, (point, killed.stdout[-3000:], killed.stderr[-3000:])
        after_kill[point] = release(warehouse.paths)
    recovered = warehouse.run()
    reference_run.communicate()
    assert reference_run.returncode == 0
    return warehouse, reference, before, after_kill, recovered


@pytest.mark.parametrize("point", ["load", "dbt", "checks", "publish"])
def test_a_killed_run_leaves_the_last_release_whole(killed_at_every_stage, point):
    _, _, before, after_kill, _ = killed_at_every_stage
    after = after_kill[point]
    assert (after["run_id"], after["counts"]) == (before["run_id"], before["counts"])
    # The load log is the one before the run, or, once the run has loaded the new files, with them.
    new_files = [("financien_GM0637_2022_rekening.csv", "loaded"), ("gemeentetotalen_GM0637.csv", "loaded")]
    assert after["loads"] == (before["loads"] if point == "load" else before["loads"] + new_files)


def test_the_next_run_recovers_by_itself(killed_at_every_stage):
    warehouse, reference, _, _, recovered = killed_at_every_stage
    assert recovered.returncode == 0, recovered.stdout[-3000:]
    assert leftovers(warehouse.paths) == []
    assert release(warehouse.paths)["loads"] == [
        ("financien_GM0637_2021_rekening.csv", "loaded"), ("financien_GM0637_2022_rekening.csv", "loaded"),
        ("gemeentetotalen_GM0637.csv", "loaded")]
    assert marts_differ(warehouse.paths.published_db, reference.paths.published_db) == {}
    assert release(warehouse.paths)["counts"] == release(reference.paths)["counts"]


def test_a_killed_run_is_marked_failed_and_frees_the_instance(killed_at_every_stage):
    from dagster import DagsterInstance, DagsterRunStatus
    from dagster._core.instance.ref import InstanceRef

    warehouse = killed_at_every_stage[0]
    with DagsterInstance.from_ref(InstanceRef.from_dir(str(warehouse.dagster_home))) as instance:
        statuses = [run.status for run in reversed(instance.get_runs())]
    # The first release, its refused twin, four killed runs, the recovery.
    assert statuses.count(DagsterRunStatus.SUCCESS) == 2
    assert DagsterRunStatus.STARTED not in statuses
    assert statuses[-5:-1] == [DagsterRunStatus.FAILURE] * 4


# --- a full disk ------------------------------------------------------------------------------

def _mount_tmpfs(folder: Path, size: str) -> bool:
    folder.mkdir(parents=True)
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                          capture_output=True).returncode == 0


def _fill(folder: Path) -> Path:
    """Take all free space of the file system holding `folder`."""
    filler = folder / "filler"
    stat = os.statvfs(folder)
    with open(filler, "wb") as file:
        os.posix_fallocate(file.fileno(), 0, stat.f_bavail * stat.f_frsize)
    return filler


@pytest.fixture
def small_disks(tmp_path):
    """The warehouse folder and the folder of the published file on small tmpfs mounts."""
    disks = (tmp_path / "warehouse_disk", tmp_path / "publication_disk")
    if not all(_mount_tmpfs(disk, "64m") for disk in disks):
        pytest.skip("mount -t tmpfs is not permitted here; see test_a_file_size_limit_stops_the_run_cleanly")
    yield disks
    for disk in disks:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def test_a_full_disk_stops_the_run_with_a_clear_message_and_the_release_stays(tmp_path, small_disks):
    warehouse_disk, publication_disk = small_disks
    landing = tmp_path / "landing"
    deliver(landing, LEDGER / "financien_GM0637_2021_rekening.csv")
    warehouse = Warehouse.create(tmp_path / "w", landing, warehouse_disk, publication_disk / "marts.duckdb")
    assert warehouse.run().returncode == 0
    good = release(warehouse.paths)

    # The disk of the published file is full: the run stops at the publish.
    deliver(landing, LEDGER / "financien_GM0637_2022_rekening.csv")
    filler = _fill(publication_disk)
    full = warehouse.run()
    assert full.returncode == 1
    assert "published_marts: " in full.stdout and "The disk is full" in full.stdout
    assert "NOT published" in full.stdout
    filler.unlink()
    assert release(warehouse.paths)["run_id"] == good["run_id"] and leftovers(warehouse.paths) == []

    # The warehouse's own disk is full: the run stops at its first write.
    deliver(landing, TOTALS)
    filler = _fill(warehouse_disk)
    full = warehouse.run()
    assert full.returncode == 1
    assert "The disk is full" in full.stdout and "NOT published" in full.stdout
    filler.unlink()
    assert release(warehouse.paths)["run_id"] == good["run_id"]

    # With space again, the next run publishes everything, each file loaded once.
    assert warehouse.run().returncode == 0
    after = release(warehouse.paths)
    assert after["loads"] == [("financien_GM0637_2021_rekening.csv", "loaded"),
                              ("financien_GM0637_2022_rekening.csv", "loaded"),
                              ("gemeentetotalen_GM0637.csv", "loaded")]
    assert leftovers(warehouse.paths) == []
