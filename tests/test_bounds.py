"""Bounded reading: a workbook that unpacks beyond MAX_WORKBOOK_BYTES or spans more than
MAX_WORKBOOK_CELLS cells, and a CSV of more than MAX_CSV_LINES lines, are quarantined at once,
from the ZIP directory and the line count, before anything is unpacked or parsed."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from dagster_project.ingest import reading
from dagster_project.ingest.loading import load_source
from dagster_project.sources.financien import GROOTBOEK

from .conftest import LEDGER_HEADER, ledger_line, quarantine, query, write_csv
from .test_hostile import ledger_xlsx
from .workbooks import write_workbook

# 300.000 rows of 40 cells: 0,9 MB on disk, 183 MB unpacked (the bomb: 0,77 MB, 197 MB).
BOMB_ROWS, BOMB_COLUMNS = 300_000, 40


def bomb(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return write_workbook(folder / "financien_bom.xlsx", LEDGER_HEADER, BOMB_ROWS, BOMB_COLUMNS)


def test_a_decompression_bomb_is_quarantined_from_the_zip_directory(paths, ledger_dir):
    path = bomb(ledger_dir)
    assert path.stat().st_size < 2 << 20
    [outcome] = load_source(GROOTBOEK, paths).files
    assert outcome.status == "quarantined"
    assert outcome.first_problem.startswith("the workbook unpacks to 183,")
    assert outcome.first_problem.endswith(" MB, more than the limit of 100,0 MB (a decompression bomb, or a delivery "
                                          "too large for a workbook)")
    assert query(paths.build_db, "SELECT expected FROM raw.quarantine") == [
        ("a workbook of at most 100,0 MB unpacked and 3.000.000 cells; a larger delivery as CSV",)]


def test_a_sheet_that_spans_too_many_cells_is_quarantined_from_its_dimension(paths, ledger_dir):
    write_workbook(ledger_dir / "financien_2021.xlsx", LEDGER_HEADER, 10, 11, dimension="A1:AN1000000")
    [outcome] = load_source(GROOTBOEK, paths).files
    assert outcome.first_problem == "the first sheet spans 40.000.000 cells, more than the limit of 3.000.000"


def test_a_workbook_within_the_bounds_loads(paths, ledger_dir):
    (ledger_dir / "financien_2021.xlsx").write_bytes(ledger_xlsx())
    assert [f.status for f in load_source(GROOTBOEK, paths).files] == ["loaded"]


def test_a_csv_over_the_line_limit_is_quarantined_with_its_count(paths, ledger_dir, monkeypatch):
    monkeypatch.setattr(reading, "MAX_CSV_LINES", 3)
    write_csv(ledger_dir / "financien_2021.csv", [ledger_line(kostenplaats=f"K{n}") for n in range(4)])
    [outcome] = load_source(GROOTBOEK, paths).files
    assert outcome.status == "quarantined"
    assert quarantine(paths) == [(None, None, None, "the file has 5 lines, more than the limit of 3")]


PEAK = textwrap.dedent("""
    import json, os, resource, sys
    from pathlib import Path
    os.environ["WAREHOUSE_SETTLE_SECONDS"] = "0"
    from dagster_project.ingest.loading import load_source
    from dagster_project.settings import WarehousePaths
    from dagster_project.sources.financien import GROOTBOEK
    root = Path(sys.argv[1])
    paths = WarehousePaths(root / "landing", root / "warehouse", root / "warehouse" / "marts.duckdb")
    report = load_source(GROOTBOEK, paths)
    print(json.dumps({"peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "files": {f.file_name: f.status for f in report.files}}))
""")


def _peak(root: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", PEAK, str(root)], capture_output=True, text=True, check=True,
                          cwd=Path(__file__).parent.parent)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_decompression_bomb_adds_less_than_100_mb_to_the_peak_memory_of_a_load(tmp_path):
    """The loader's peak memory (its process's maximum resident size) with the bomb next to a valid
    workbook stays within 100 MB of the load of the valid workbook alone."""
    for name in ("without", "with"):
        ledger_dir = tmp_path / name / "landing" / "financien" / "grootboek"
        ledger_dir.mkdir(parents=True)
        (ledger_dir / "financien_2021.xlsx").write_bytes(ledger_xlsx())
    bomb(tmp_path / "with" / "landing" / "financien" / "grootboek")
    without, with_bomb = _peak(tmp_path / "without"), _peak(tmp_path / "with")
    assert without["files"] == {"financien_2021.xlsx": "loaded"}
    assert with_bomb["files"] == {"financien_2021.xlsx": "loaded", "financien_bom.xlsx": "quarantined"}
    assert with_bomb["peak_mb"] - without["peak_mb"] < 100, (with_bomb, without)
