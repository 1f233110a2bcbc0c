"""Messages that name the cause of a quarantined file, not its symptoms."""

from __future__ import annotations

from dagster_project.ingest.loading import load_source
from dagster_project.sources.financien import GROOTBOEK

from .conftest import ledger_line, quarantine, write_csv

OPEN_QUOTE_EXPECTED = 'a closing " in the same line for every opening "; a quote inside a value doubled ("")'


def test_a_quote_left_open_names_its_line_and_the_lines_it_swallows(paths, ledger_dir):
    lines = [ledger_line(kostenplaats=f"K{n}") for n in range(2000)]
    lines[4]["kostenplaats"] = '"Jeugd open'
    write_csv(ledger_dir / "financien_2021.csv", lines)
    [outcome] = load_source(GROOTBOEK, paths).files
    assert outcome.problems == 1
    assert quarantine(paths) == [(6, None, '"Jeugd open;lasten;nee;-65.776.123,45',
                                  "a quote opened on line 6 is not closed on that line: the value runs on over the "
                                  "1.995 lines after it (to the end of the file)")]


def test_a_quote_closed_lines_later_counts_the_lines_in_between(paths, ledger_dir):
    lines = [ledger_line(kostenplaats=f"K{n}") for n in range(20)]
    lines[2]["kostenplaats"] = '"Jeugd'
    lines[9]["bedrag"] = '-1,00"'  # closes it in another column: the record that results has 8 fields
    write_csv(ledger_dir / "financien_2021.csv", lines)
    load_source(GROOTBOEK, paths)
    [(row, _, _, reason)] = quarantine(paths)
    assert (row, reason) == (4, "a quote opened on line 4 is not closed on that line: the value runs on over the "
                                "7 lines after it (to line 11, where a quote closes it)")


def test_a_workbook_formula_without_a_saved_result_says_so(paths, ledger_dir):
    import openpyxl

    from .conftest import LEDGER_HEADER

    workbook = openpyxl.Workbook()
    workbook.active.append(list(LEDGER_HEADER))
    workbook.active.append([ledger_line()[h] for h in LEDGER_HEADER])
    workbook.active.append([ledger_line()[h] for h in LEDGER_HEADER[:-1]] + ["=-1500,25*2"])
    workbook.save(ledger_dir / "financien_2021.xlsx")  # openpyxl saves formulas without their result
    [outcome] = load_source(GROOTBOEK, paths).files
    assert outcome.status == "quarantined"
    assert quarantine(paths) == [(3, "bedrag", "=-1500,25*2",
                                  "cell K3 holds a formula without a saved result: Excel computes it when it opens "
                                  "the workbook, but the file holds no value")]
