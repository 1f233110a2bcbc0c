"""Loading deliveries: good files land in raw, every kind of bad input is
quarantined with file, row, column, value and reason, and nothing stops the
other files or sources."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest

from dagster_project.ingest.loading import load_source
from dagster_project.sources.financien import GEMEENTETOTALEN, GROOTBOEK

from .conftest import LEDGER_HEADER, ledger_line, query, write_csv


def quarantine(paths, file_name):
    return query(paths.build_db,
                 "SELECT source_row, column_name, value, reason, expected FROM raw.quarantine "
                 "WHERE file_name = ? ORDER BY source_row NULLS FIRST, column_name", [file_name])


def raw_lines(paths):
    return query(paths.build_db, "SELECT file_name, source_row, jaar, fase, doelstelling_naam, bedrag, reservemutatie "
                                 "FROM raw.financien_grootboek ORDER BY load_id, source_row")


def test_a_good_file_lands_in_raw_with_its_lineage(paths, ledger_dir):
    write_csv(ledger_dir / "good.csv", [ledger_line(), ledger_line(soort="baten", bedrag="364.210,00")])
    report = load_source(GROOTBOEK, paths, run_id="r1")
    assert [(f.file_name, f.status, f.rows) for f in report.files] == [("good.csv", "loaded", 2)]
    assert query(paths.build_db, "SELECT load_id, file_name, source_row, loaded_at IS NOT NULL, bedrag "
                                 "FROM raw.financien_grootboek ORDER BY source_row") == [
        (1, "good.csv", 2, True, Decimal("-65776123.45")), (1, "good.csv", 3, True, Decimal("364210.00"))]
    assert query(paths.build_db, "SELECT run_id, status, row_count, content_sha256 IS NOT NULL FROM raw.load_log") == [
        ("r1", "loaded", 2, True)]


def test_windows_1252_bom_and_header_case_are_accepted(paths, ledger_dir):
    write_csv(ledger_dir / "a_cp1252.csv", [ledger_line(kostenplaats="Cliëntondersteuning € extra")], encoding="cp1252")
    write_csv(ledger_dir / "b_bom.csv", [ledger_line(jaar="2020")], encoding="utf-8-sig")
    write_csv(ledger_dir / "c_upper.csv", [ledger_line(jaar="2022", fase="Begroting Na Wijziging")],
              header=tuple(h.upper() for h in LEDGER_HEADER))
    report = load_source(GROOTBOEK, paths)
    assert [f.status for f in report.files] == ["loaded"] * 3
    assert query(paths.build_db,
                 "SELECT kostenplaats FROM raw.financien_grootboek WHERE file_name = 'a_cp1252.csv'") == [
        ("Cliëntondersteuning € extra",)]
    assert query(paths.build_db, "SELECT encoding FROM raw.load_log ORDER BY load_id") == [
        ("cp1252",), ("utf-8-sig",), ("utf-8",)]
    assert query(paths.build_db, "SELECT fase FROM raw.financien_grootboek WHERE jaar = 2022") == [
        ("begroting na wijziging",)]


def test_xlsx_with_numeric_and_text_amounts_is_accepted(paths, ledger_dir):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([h.title() for h in LEDGER_HEADER])
    line = ledger_line()
    sheet.append([*[line[h] for h in LEDGER_HEADER[:-1]], -65776123.45])
    sheet.append([*[ledger_line(soort="baten")[h] for h in LEDGER_HEADER[:-1]], "364.210,00"])
    sheet.append([*[ledger_line(soort="baten")[h] for h in LEDGER_HEADER[:-1]], 69000])
    sheet["B2"] = 2021  # a numeric year cell
    workbook.save(ledger_dir / "ledger.xlsx")
    report = load_source(GROOTBOEK, paths)
    assert [(f.status, f.rows) for f in report.files] == [("loaded", 3)]
    assert [r[5] for r in raw_lines(paths)] == [Decimal("-65776123.45"), Decimal("364210.00"), Decimal("69000.00")]


def test_xlsx_with_a_bad_cell_names_the_sheet_row(paths, ledger_dir):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(LEDGER_HEADER))
    sheet.append([ledger_line()[h] for h in LEDGER_HEADER])
    sheet.append([*[ledger_line()[h] for h in LEDGER_HEADER[:-1]], 1.80535713509409e17])
    workbook.save(ledger_dir / "ledger.xlsx")
    load_source(GROOTBOEK, paths)
    assert quarantine(paths, "ledger.xlsx") == [
        (3, "bedrag", "1,80535713509409e+17", "scientific notation is not accepted (a spreadsheet export artefact)",
         "an amount in euros with decimal comma and optional thousands dots, such as -65.776.123,45")]


@pytest.mark.parametrize("name, content, expected", [
    ("wrong_separator.csv", ",".join(LEDGER_HEADER) + "\nGM0637,2021\n",
     [(1, None, ",".join(LEDGER_HEADER), "the header is separated by ',', not by ';'", "fields separated by ';'")]),
    ("empty.csv", "", [(None, None, None, "the file is empty", "a header line and at least one data line")]),
    ("header_only.csv", ";".join(LEDGER_HEADER) + "\r\n",
     [(None, None, None, "the file has a header but no data lines", "at least one data line")]),
])
def test_whole_file_problems(paths, ledger_dir, name, content, expected):
    (ledger_dir / name).write_text(content)
    report = load_source(GROOTBOEK, paths)
    assert report.files[0].status == "quarantined"
    assert quarantine(paths, name) == expected


def test_wrong_encoding_is_quarantined(paths, ledger_dir):
    path = write_csv(ledger_dir / "bad_encoding.csv", [ledger_line()])
    path.write_bytes(path.read_bytes().replace(b"Jeugdhulp Zorg", b"Jeugdhulp \x81Zorg"))
    load_source(GROOTBOEK, paths)
    [(row, column, value, reason, expected)] = quarantine(paths, "bad_encoding.csv")
    assert row == 2 and reason.startswith("byte b'\\x81'") and "Windows-1252" in expected


def test_missing_and_unknown_columns(paths, ledger_dir):
    header = tuple(h for h in LEDGER_HEADER if h != "reservemutatie") + ("opmerking",)
    write_csv(ledger_dir / "columns.csv", [dict(ledger_line(), opmerking="x")], header=header)
    load_source(GROOTBOEK, paths)
    problems = quarantine(paths, "columns.csv")
    assert [(p[1], p[3]) for p in problems] == [("opmerking", "unknown column"),
                                                ("reservemutatie", "missing required column")]
    assert all(p[0] == 1 and p[4].startswith("columns: gemeente_code, jaar") for p in problems)


def test_duplicate_column(paths, ledger_dir):
    write_csv(ledger_dir / "dup.csv", [dict(ledger_line())], header=LEDGER_HEADER + ("jaar",))
    load_source(GROOTBOEK, paths)
    assert [(p[1], p[3]) for p in quarantine(paths, "dup.csv")] == [("jaar", "duplicate column")]


def test_truncated_file_lists_the_broken_line(paths, ledger_dir):
    path = write_csv(ledger_dir / "truncated.csv", [ledger_line(), ledger_line(soort="baten", bedrag="364.210,00")])
    path.write_bytes(path.read_bytes()[:-40])  # cut off in the middle of the last line
    load_source(GROOTBOEK, paths)
    [(row, column, value, reason, expected)] = quarantine(paths, "truncated.csv")
    assert row == 3 and value.startswith("GM0637;2021;rekening")
    assert reason == "the line has 8 fields instead of 11 (truncated or corrupt file)"


def test_every_bad_value_is_listed_and_the_file_is_not_loaded(paths, ledger_dir):
    write_csv(ledger_dir / "values.csv", [
        ledger_line(),
        ledger_line(bedrag="1,80535713509409E+17%"),
        ledger_line(bedrag="12,3x", soort="uitgaven"),
        ledger_line(jaar="2025", doelstelling_code="2.2", doelstelling_naam="Langer zelfstandig wonen"),
        ledger_line(reservemutatie="", taakveld_code="6.99"),
    ])
    report = load_source(GROOTBOEK, paths)
    assert report.files[0].status == "quarantined" and report.files[0].problems == 7
    assert raw_lines(paths) == []
    problems = quarantine(paths, "values.csv")
    assert [(p[0], p[1], p[2], p[3]) for p in problems] == [
        (3, "bedrag", "1,80535713509409E+17%", "scientific notation is not accepted (a spreadsheet export artefact)"),
        (4, "bedrag", "12,3x", "not a valid amount"),
        (4, "soort", "uitgaven", "not a valid soort"),
        (5, "doelstelling_naam", "2.2 Langer zelfstandig wonen",
         'doelstelling 2.2 "Langer zelfstandig wonen" is not a goal of programma 2 of GM0637 in 2025'),
        (5, "taakveld_code", "6.72", "taakveld 6.72 is not an Iv3 taakveld in 2025"),
        (6, "reservemutatie", None, "missing value"),
        (6, "taakveld_code", "6.99", "taakveld 6.99 is not an Iv3 taakveld in 2021"),
    ]
    assert problems[3][4] == (
        'one of: 2.1 "' + ledger_line()["doelstelling_naam"] + '"; 2.2 "Bevorderen meedoen aan de '
        'samenleving en zelfstandig wonen"; 2.3 "Bevorderen gezondheid, veiligheid en welbevinden"')


def test_goal_names_match_ignoring_case_and_spaces(paths, ledger_dir):
    write_csv(ledger_dir / "names.csv", [ledger_line(doelstelling_naam="  bevorderen  VROEGTIJDIGE, toegankelijke, "
                                                                        "passende en effectieve jeugdhulp")])
    assert load_source(GROOTBOEK, paths).files[0].status == "loaded"


def test_a_bad_file_does_not_stop_the_others_and_is_kept(paths, ledger_dir):
    write_csv(ledger_dir / "a.csv", [ledger_line()])
    (ledger_dir / "b.csv").write_text("")
    write_csv(ledger_dir / "c.csv", [ledger_line(jaar="2020")])
    report = load_source(GROOTBOEK, paths)
    assert [(f.file_name, f.status) for f in report.files] == [
        ("a.csv", "loaded"), ("b.csv", "quarantined"), ("c.csv", "loaded")]
    [kept] = list(paths.quarantine_dir.iterdir())
    assert kept.name == f"{report.files[1].load_id}__b.csv"


def test_redelivery_of_the_same_content_is_a_no_op(paths, ledger_dir):
    path = write_csv(ledger_dir / "2021.csv", [ledger_line()])
    load_source(GROOTBOEK, paths)
    (ledger_dir / "2021_copy.csv").write_bytes(path.read_bytes())
    report = load_source(GROOTBOEK, paths)
    assert [f.status for f in report.files] == ["unchanged", "unchanged"]
    assert len(raw_lines(paths)) == 1
    assert query(paths.build_db, "SELECT count(*) FROM raw.load_log") == [(1,)]


def test_redelivering_a_quarantined_file_does_not_quarantine_it_twice(paths, ledger_dir):
    write_csv(ledger_dir / "bad.csv", [ledger_line(bedrag="x")])
    load_source(GROOTBOEK, paths)
    assert [f.status for f in load_source(GROOTBOEK, paths).files] == ["unchanged"]
    assert query(paths.build_db, "SELECT count(*) FROM raw.quarantine") == [(1,)]


def test_a_whole_source_problem_is_recorded_and_other_sources_still_load(paths):
    totals = paths.landing_dir / "financien" / "gemeentetotalen"
    totals.parent.mkdir(parents=True, exist_ok=True)
    totals.write_text("not a folder")  # the source folder is unusable
    ledger = write_csv(paths.landing_dir / "financien" / "grootboek" / "a.csv", [ledger_line()])
    report = load_source(GEMEENTETOTALEN, paths)
    assert report.source_problem.startswith(f"folder {totals} cannot be read")
    assert query(paths.build_db, "SELECT source, file_name, reason FROM raw.quarantine") == [
        ("financien_gemeentetotalen", None, report.source_problem)]
    assert load_source(GROOTBOEK, paths).files[0].status == "loaded" and ledger.exists()


def test_municipal_totals_reject_a_second_line_for_the_same_year_and_phase(paths):
    header = ("gemeente_code", "jaar", "fase", "uitgaven", "inkomsten")
    line = dict(gemeente_code="GM0637", jaar="2021", fase="rekening", uitgaven="-497.800.000,00",
                inkomsten="497.800.000,00")
    write_csv(paths.landing_dir / "financien" / "gemeentetotalen" / "t.csv", [line, line], header=header)
    load_source(GEMEENTETOTALEN, paths)
    assert quarantine(paths, "t.csv") == [(3, "fase", "GM0637 2021 rekening",
                                           "a second line for this municipality, year and phase (first on line 2)",
                                           "one line per gemeente_code, jaar, fase")]


def test_a_file_of_another_type_is_quarantined_and_hidden_files_are_ignored(paths, ledger_dir):
    (ledger_dir / "financien_2021.xls").write_bytes(b"\xd0\xcf\x11\xe0 old excel")
    (ledger_dir / ".DS_Store").write_bytes(b"\x00")
    (ledger_dir / "~$financien_2021.xlsx").write_bytes(b"lock")
    report = load_source(GROOTBOEK, paths)
    assert [(f.file_name, f.status) for f in report.files] == [("financien_2021.xls", "quarantined")]
    assert quarantine(paths, "financien_2021.xls") == [
        (None, None, None, "file type '.xls' is not accepted", "a .csv, .xlsx or .sav file")]


def test_an_unforeseen_error_while_checking_quarantines_the_file_and_the_rest_loads(paths, ledger_dir, monkeypatch):
    import duckdb

    from dagster_project.ingest import loading

    real_check = loading._check_rows

    def failing_for_a(con, contract, result):
        if result.rows == 2:
            raise duckdb.ConversionException("Could not convert string 'x' to INT32")
        return real_check(con, contract, result)

    monkeypatch.setattr(loading, "_check_rows", failing_for_a)
    write_csv(ledger_dir / "a.csv", [ledger_line(), ledger_line()])
    write_csv(ledger_dir / "b.csv", [ledger_line()])
    report = load_source(GROOTBOEK, paths)
    assert [(f.file_name, f.status) for f in report.files] == [("a.csv", "quarantined"), ("b.csv", "loaded")]
    assert quarantine(paths, "a.csv")[0][3] == "the file cannot be checked: Could not convert string 'x' to INT32"
