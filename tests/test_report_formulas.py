"""Spreadsheet formulas from the sources never reach a reader live: on every kind of page and in every
download, a text that a spreadsheet would read as a formula starts with `'` (OWASP's advice on CSV
injection), while the stored value stays as delivered."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import openpyxl
import pytest

from dagster_project.report import formulas, marts, site

from .conftest import query
from .report_html import Element, parse, two_gemeenten

FORMULAS = ['=HYPERLINK("http://example.invalid/x";"klik")', "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
            "-2+3+cmd|' /C notepad'!A0"]
# A figure the report formats itself (`-65.776`, `-4,5%`, `€ -6.820`) or its "no value" (`-`).
FIGURE = re.compile(r"(€ )?-?\d{1,3}(\.\d{3})*(,\d+)?%?|-")
PAGE_KINDS = ("start", "programma", "document", "doelstelling", "enquetes", "verantwoording", "vergelijking")


def live_formulas(texts) -> list[str]:
    """Texts that a spreadsheet would read as a formula: starting with a formula character, not a figure."""
    return [t for t in texts if t and t[0] in formulas.FORMULA_START and not FIGURE.fullmatch(t)]


def text_starts(element: Element) -> list[str]:
    """Where a reader's copy or a spreadsheet's paste starts a cell: every text of the page, stripped."""
    return [child.strip() for e in element.iter() if e.tag not in ("script", "style")
            for child in e.children if isinstance(child, str) and child.strip()]


def hostile(snapshot: marts.Snapshot) -> None:
    """Formulas in a ledger's kostenplaats, the quarantine and the names every kind of page shows."""
    for i, row in enumerate(snapshot.reservemutaties):
        snapshot.reservemutaties[i] = {**row, "kostenplaats": FORMULAS[i % len(FORMULAS)]}
    snapshot.quarantine = [{"source": "financien_grootboek", "file_name": f"f{i}.csv", "source_row": i,
                            "column_name": "kostenplaats", "value": f, "reason": "not a number", "expected": f,
                            "detected_at": None} for i, f in enumerate(FORMULAS)]
    names = {"dim_gemeente": "gemeente_naam", "dim_doelstelling": "doelstelling_naam",
             "dim_indicator": "indicator_naam", "rpt_enquete_resultaat": "groep_naam", "dim_bron": "bron_naam"}
    for table, column in names.items():
        rows = snapshot.rows(table)
        for i, row in enumerate(rows):
            rows[i] = {**row, column: FORMULAS[i % len(FORMULAS)] + f" {i}"}


@pytest.fixture(scope="module")
def hostile_site(sample_run, tmp_path_factory) -> Path:
    """The report of the sample with formulas in its sources, and a second gemeente for the comparison."""
    paths, _ = sample_run
    folder = tmp_path_factory.mktemp("formules")
    copy = two_gemeenten(paths.published_db, folder)
    snapshot = marts.read(copy, paths.loads_db)
    assert snapshot.reservemutaties
    hostile(snapshot)
    pages = site.site_pages(snapshot, paths.loads_db)
    assert {p.soort for p in pages} == set(PAGE_KINDS)
    site.write(folder / "rapport", pages, snapshot)
    return folder / "rapport"


def test_no_page_shows_a_live_formula_and_every_kind_shows_them_neutralised(hostile_site):
    seen = {kind: 0 for kind in PAGE_KINDS}
    for path in sorted(hostile_site.rglob("*.html")):
        tree = parse(path)
        kind = next(c.removeprefix("soort-") for c in tree.find("body").classes() if c.startswith("soort-"))
        texts = text_starts(tree)
        assert live_formulas(texts) == [], path
        seen[kind] += sum(t.startswith("'") and t[1:].split(" ")[0] in {f.split(" ")[0] for f in FORMULAS}
                          for t in texts)
    assert all(seen.values()), seen
    # The kostenplaats of the reserve mutations and the quarantined values, each formula as delivered plus `'`.
    chapter = parse(hostile_site / "GM0637/programma-2/jaarstukken-2021/index.html")
    assert {r.clean_text() for r in chapter.find("table", id="reservemutaties").find_all("td")} & {
        "'" + f for f in FORMULAS}
    quarantined = parse(hostile_site / "verantwoording.html").find("table", id="quarantaine").clean_text()
    assert all("'" + f in quarantined for f in FORMULAS)


def test_no_download_holds_a_live_formula(hostile_site):
    csvs = sorted(hostile_site.rglob("downloads/*.csv"))
    workbooks = sorted(hostile_site.rglob("downloads/*.xlsx"))
    assert len(csvs) > 100 and len(workbooks) > 50
    neutralised = 0
    for path in csvs:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            cells = [cell for row in csv.reader(handle, delimiter=";") for cell in row]
        assert live_formulas(cells) == [], path
        neutralised += sum(cell.startswith("'") and cell[1:] in FORMULAS for cell in cells)
    for path in workbooks:
        workbook = openpyxl.load_workbook(path)
        for sheet in workbook:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (path, cell.coordinate, cell.value)
                    if isinstance(cell.value, str):
                        assert live_formulas([cell.value]) == [], (path, cell.coordinate)
    assert neutralised >= len(FORMULAS) * 2  # the reserve mutations and the quarantine at least


def test_the_stored_value_stays_as_delivered(sample_run, hostile_site):
    """Neutralising is for readers: the published marts and the quarantine keep the value as delivered."""
    paths, _ = sample_run
    assert formulas.neutralise(FORMULAS[0]) == "'" + FORMULAS[0]
    assert formulas.neutralise(formulas.neutralise(FORMULAS[0])) == "'" + FORMULAS[0]  # idempotent
    assert formulas.neutralise("-") == "-" and formulas.neutralise("Centrum") == "Centrum"
    assert all(formulas.neutralise(f).startswith("'") for f in FORMULAS + ["\tx", "\rx", "＝1+1"])
    assert query(paths.published_db, "SELECT count(*) FROM fct_financien WHERE kostenplaats LIKE '''%'") == [(0,)]
