"""Hostile deliveries: links, folders, files that are not what their name says,
other encodings, control characters, impossible values and files still being
written. Each is quarantined (or skipped) with a reason a data steward
understands, never crashes a run, and never changes the published marts."""

from __future__ import annotations

import gzip
import io
import os
import shutil
import time

import duckdb
import openpyxl
import pytest

from dagster_project.ingest import loading, reading
from dagster_project.ingest.loading import load_source
from dagster_project.sources.financien import GEMEENTETOTALEN, GROOTBOEK
from dagster_project.sources.indicatoren import WAARDEN

from .conftest import JEUGDHULP, LEDGER_HEADER, ledger_line, quarantine, query, run_nightly, write_csv

INDICATOR_HEADER = ("gemeente_code", "indicator_code", "jaar", "waardetype", "waarde", "teller", "noemer",
                    "peildatum", "bron_document")
TOTALS_HEADER = ("gemeente_code", "jaar", "fase", "uitgaven", "inkomsten")
AN_HOUR_AGO = time.time() - 3600


def ledger_csv(**overrides) -> bytes:
    return write_csv_bytes([ledger_line(**overrides)])


def write_csv_bytes(lines: list[dict], header=LEDGER_HEADER, line_end="\r\n") -> bytes:
    rows = [";".join(header)] + [";".join(str(line[c]) for c in header) for line in lines]
    return (line_end.join(rows) + line_end).encode()


def ledger_xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(list(LEDGER_HEADER))
    workbook.active.append([ledger_line()[h] for h in LEDGER_HEADER])
    data = io.BytesIO()
    workbook.save(data)
    return data.getvalue()


def indicator_line(**overrides) -> dict:
    line = dict(gemeente_code="GM0637", indicator_code="JH_UNIEK", jaar="2021", waardetype="realisatie",
                waarde="4.548", teller="", noemer="", peildatum="27-01-2022", bron_document="Jaarstukken 2021")
    line.update(overrides)
    return line


def problems(paths) -> list[tuple]:
    return quarantine(paths)


# --- links, folders and other entries ------------------------------------------------------------------

def test_a_link_is_never_followed_nor_copied(paths, ledger_dir, tmp_path):
    outside = tmp_path / "elsewhere" / "financien_2021.csv"
    outside.parent.mkdir()
    outside.write_bytes(ledger_csv())  # a valid delivery, but not in the landing folder
    (ledger_dir / "financien_2021.csv").symlink_to(outside)
    (ledger_dir / "passwd.csv").symlink_to("/etc/passwd")

    report = load_source(GROOTBOEK, paths)
    assert [(f.file_name, f.status) for f in report.files] == [
        ("financien_2021.csv", "quarantined"), ("passwd.csv", "quarantined")]
    reason = "a symbolic link, not a delivered file: links are never followed and nothing was copied"
    assert problems(paths) == [(None, None, str(outside), reason), (None, None, "/etc/passwd", reason)]
    assert query(paths.build_db, "SELECT count(*) FROM raw.financien_grootboek") == [(0,)]
    assert not paths.quarantine_dir.exists() or list(paths.quarantine_dir.iterdir()) == []
    # Recorded once: the next run sees the same links as unchanged.
    assert [f.status for f in load_source(GROOTBOEK, paths).files] == ["unchanged", "unchanged"]


def test_a_folder_inside_a_source_folder_is_recorded_not_read(paths, ledger_dir):
    write_csv(ledger_dir / "archief" / "financien_2020.csv", [ledger_line(jaar="2020")])
    report = load_source(GROOTBOEK, paths)
    assert [(f.file_name, f.status) for f in report.files] == [("archief", "quarantined")]
    assert problems(paths) == [(None, None, "archief/", "a folder inside the source folder: files in it are not read")]
    assert query(paths.build_db, "SELECT expected FROM raw.quarantine") == [("files directly in financien/grootboek/",)]


# --- files that are not what their name says, and other encodings ------------------------------------------

NOT_TEXT = "a text file in UTF-8 or Windows-1252"


@pytest.mark.parametrize("name, content, reason", [
    ("financien_2021.csv", gzip.compress(ledger_csv()),
     f"the file is gzip-compressed (a .gz archive), not {NOT_TEXT}"),
    ("financien_2021.csv", ledger_xlsx(),
     f"the file is a ZIP archive, such as an Excel workbook (.xlsx), not {NOT_TEXT}"),
    ("financien_2021.xlsx", ledger_csv(), "the file is a text file (such as a CSV), not an Excel workbook (.xlsx)"),
    ("financien_2021.xlsx", gzip.compress(ledger_xlsx()),
     "the file is gzip-compressed (a .gz archive), not an Excel workbook (.xlsx)"),
    ("financien_2021.xlsx", ledger_xlsx()[:2000],
     "the workbook is damaged or incomplete: its ZIP structure cannot be read (for example a copy that was cut off)"),
    ("financien_2021.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500),
     "the file is an old-style Office file: an Excel 97-2003 workbook (.xls) or a workbook protected with a password,"
     " not an Excel workbook (.xlsx)"),
    ("financien_2021.csv", ledger_csv().decode().encode("utf-16"),
     f'the file is text encoded as UTF-16 (what Excel calls "Unicode text"), not {NOT_TEXT}'),
    ("financien_2021.csv", ledger_csv().decode().encode("utf-16-le"),
     f'the file is text encoded as UTF-16 (what Excel calls "Unicode text"), not {NOT_TEXT}'),
    ("financien_2021.xlsx", b"", "the file is empty"),
])
def test_a_file_that_is_not_what_its_name_says_gets_one_clear_reason(paths, ledger_dir, name, content, reason):
    (ledger_dir / name).write_bytes(content)
    [outcome] = load_source(GROOTBOEK, paths).files
    assert outcome.status == "quarantined"
    assert problems(paths) == [(None, None, None, reason)]


def test_a_zip_archive_named_xlsx_is_not_a_workbook(paths, ledger_dir):
    import zipfile

    with zipfile.ZipFile(ledger_dir / "financien_2021.xlsx", "w") as archive:
        archive.writestr("financien_2021.csv", ledger_csv())
    load_source(GROOTBOEK, paths)
    assert problems(paths) == [
        (None, None, None, "the file is a ZIP archive but not an Excel workbook (it has no xl/workbook.xml)")]


def test_a_damaged_workbook_and_a_cut_off_spss_file_say_so(paths, ledger_dir):
    import zipfile

    from dagster_project.settings import SAMPLE_LANDING_DIR
    from dagster_project.sources.enquetes import CEO

    with zipfile.ZipFile(ledger_dir / "financien_2021.xlsx", "w") as archive:
        archive.writestr("xl/workbook.xml", "<niet-af")
    sav = (SAMPLE_LANDING_DIR / "enquetes" / "ceo" / "ceo_GM0637_2023.sav").read_bytes()
    ceo = paths.landing_dir / CEO.folder
    ceo.mkdir(parents=True)
    (ceo / "ceo_2023.sav").write_bytes(sav[: len(sav) // 2])
    assert [f.status for f in load_source(GROOTBOEK, paths).files + load_source(CEO, paths).files] == [
        "quarantined", "quarantined"]
    [(workbook,), (spss,)] = query(paths.build_db, "SELECT reason FROM raw.quarantine ORDER BY load_id")
    assert workbook.startswith("the workbook is damaged or not a real Excel workbook (")
    assert spss.startswith("the SPSS file is damaged or incomplete (")


# --- values ------------------------------------------------------------------------------------------------

def test_a_nul_byte_in_a_text_field_quarantines_and_supersedes_nothing(paths, ledger_dir):
    write_csv(ledger_dir / "financien_2021_a.csv", [ledger_line()])
    (ledger_dir / "financien_2021_b.csv").write_bytes(ledger_csv(kostenplaats="Jeugdhulp\x00Zorg", bedrag="-1,00"))
    report = load_source(GROOTBOEK, paths)
    assert [(f.file_name, f.status) for f in report.files] == [
        ("financien_2021_a.csv", "loaded"), ("financien_2021_b.csv", "quarantined")]
    assert problems(paths) == [
        (2, "kostenplaats", "Jeugdhulp\u2400Zorg", "a NUL byte in the value (shown as ␀): a damaged file or not a "
                                                   "text export")]
    assert query(paths.build_db, "SELECT DISTINCT file_name FROM raw.financien_grootboek") == [
        ("financien_2021_a.csv",)]


def test_other_control_characters_are_shown_as_symbols(paths, ledger_dir):
    (ledger_dir / "financien_2021.csv").write_bytes(ledger_csv(kostenplaats="Jeugdhulp\x1b[31mZorg"))
    load_source(GROOTBOEK, paths)
    assert problems(paths) == [
        (2, "kostenplaats", "Jeugdhulp␛[31mZorg", "a control character in the value (shown as a symbol such as ␛)")]


def test_a_very_long_value_is_quarantined_and_shown_cut_off(paths, ledger_dir):
    (ledger_dir / "financien_2021.csv").write_bytes(ledger_csv(kostenplaats="x" * 5000))
    load_source(GROOTBOEK, paths)
    [(row, column, value, reason)] = problems(paths)
    assert (row, column, reason) == (2, "kostenplaats", "the value is 5000 characters long")
    assert value == "x" * 200 + "… (5000 characters)"
    assert query(paths.build_db, "SELECT expected FROM raw.quarantine") == [
        ("text without control characters, at most 1000 characters",)]


def test_a_line_longer_than_the_reader_takes_is_a_file_problem(paths, ledger_dir):
    (ledger_dir / "financien_2021.csv").write_bytes(ledger_csv(kostenplaats="x" * (20 << 20)))
    [outcome] = load_source(GROOTBOEK, paths).files
    assert outcome.status == "quarantined"
    assert problems(paths) == [
        (None, None, None, "a line is longer than 4 MB: a damaged file, or a value missing its closing quote")]


# --- line breaks inside quoted values ----------------------------------------------------------------------
# A quoted value may hold a line break (Alt+Enter in an Excel cell): the record runs on over the next line, and
# every row keeps the number of the line on which its record starts, as an editor shows the file.

@pytest.mark.parametrize("line_end", ["\r\n", "\n"])
def test_a_line_break_inside_quotes_leaves_later_problems_on_their_own_line(paths, ledger_dir, line_end):
    lines = [ledger_line(kostenplaats=f"K{n}") for n in range(5)]
    lines[1]["kostenplaats"] = f'"Jeugdhulp{line_end}Zorg in Natura"'  # lines 3 and 4
    lines[3]["bedrag"] = "12,3x"  # line 6
    (ledger_dir / "financien_2021.csv").write_bytes(write_csv_bytes(lines, line_end=line_end))
    [outcome] = load_source(GROOTBOEK, paths).files
    assert outcome.status == "quarantined"
    assert problems(paths) == [(6, "bedrag", "12,3x", "not a valid amount")]


def test_several_line_breaks_inside_quotes_each_count_as_a_line(paths, ledger_dir):
    lines = [ledger_line(kostenplaats=f"K{n}") for n in range(8)]
    lines[0]["kostenplaats"] = '"Jeugdhulp\r\nZorg\r\nin Natura"'  # lines 2-4
    lines[2]["bedrag"] = "-1,00x"  # line 6
    lines[3]["kostenplaats"] = '"Wmo\r\n\r\nHulp"'  # lines 7-9, one of them blank
    lines[4]["doelstelling_naam"] = '"' + JEUGDHULP.replace(" passende", "\r\npassende") + '"'  # lines 10-11
    lines[6]["soort"] = "uitgaven"  # line 13
    (ledger_dir / "financien_2021.csv").write_bytes(write_csv_bytes(lines))
    load_source(GROOTBOEK, paths)
    assert [(row, column, value) for row, column, value, _ in problems(paths)] == [
        (6, "bedrag", "-1,00x"), (13, "soort", "uitgaven")]


def test_a_line_break_inside_quotes_is_loaded_as_whitespace_with_the_line_its_row_starts_on(paths, ledger_dir):
    lines = [ledger_line(kostenplaats=f"K{n}") for n in range(4)]
    lines[0]["kostenplaats"] = '"\r\n Jeugdhulp\r\nZorg \r\n"'  # lines 2-5: line breaks around it are trimmed
    lines[2]["doelstelling_naam"] = '"' + JEUGDHULP.replace(" passende", "\r\npassende") + '"'  # lines 8-9
    data = write_csv_bytes(lines)
    blank = data.index(b"\r\n", data.index(b";K1;"))
    (ledger_dir / "financien_2021.csv").write_bytes(data[:blank] + b"\r\n" + data[blank:])  # line 7 is blank
    [outcome] = load_source(GROOTBOEK, paths).files
    assert outcome.status == "loaded"
    assert query(paths.build_db, "SELECT source_row, kostenplaats FROM raw.financien_grootboek "
                                 "ORDER BY source_row") == [
        (2, "Jeugdhulp\r\nZorg"), (6, "K1"), (8, "K2"), (10, "K3")]


def test_a_broken_line_after_a_line_break_inside_quotes_is_named_by_its_own_line(paths, ledger_dir):
    lines = [ledger_line(kostenplaats=f"K{n}") for n in range(6)]
    lines[1]["kostenplaats"] = '"Jeugdhulp\r\nZorg"'  # lines 3-4: a value, not a quote left open
    data = write_csv_bytes(lines).replace(b"K4;lasten;nee;", b"K4;")  # line 7 has 9 fields
    (ledger_dir / "financien_2021.csv").write_bytes(data)
    load_source(GROOTBOEK, paths)
    assert [(row, reason) for row, _, _, reason in problems(paths)] == [
        (7, "the line has 9 fields instead of 11 (truncated or corrupt file)")]


def many_blocks(paths, ledger_dir, monkeypatch, broken: set[int]) -> list[int]:
    """A file of 600 records read in blocks of 2 KB: every 7th has a line break inside quotes (every 11th
    two), the records in `broken` have 9 fields. The lines its records start on, counted here."""
    monkeypatch.setattr(reading, "MAX_LINE_BYTES", 2048)
    records, starts, line = [], [], 2
    for n in range(600):
        breaks = (n % 7 == 0) + (n % 11 == 0)
        value = '"K' + "\r\nverder" * breaks + f' {n}"'
        records.append(";".join(str(ledger_line(kostenplaats=value)[c]) for c in LEDGER_HEADER[:-2 if n in broken
                                                                                                else None]))
        starts.append(line)
        line += 1 + breaks
    (ledger_dir / "financien_2021.csv").write_bytes(("\r\n".join([";".join(LEDGER_HEADER), *records]) + "\r\n")
                                                    .encode())
    return starts


def test_rows_read_in_many_blocks_keep_the_line_their_record_starts_on(paths, ledger_dir, monkeypatch):
    starts = many_blocks(paths, ledger_dir, monkeypatch, broken=set())
    [outcome] = load_source(GROOTBOEK, paths).files
    assert outcome.status == "loaded"
    assert [row for (row,) in query(paths.build_db, "SELECT source_row FROM raw.financien_grootboek "
                                                    "ORDER BY source_row")] == starts


def test_broken_lines_read_in_many_blocks_are_named_by_the_line_they_start_on(paths, ledger_dir, monkeypatch):
    broken = {0, 1, 77, 78, 300, 301, 302, 598, 599}
    starts = many_blocks(paths, ledger_dir, monkeypatch, broken)
    load_source(GROOTBOEK, paths)
    assert [(row, reason) for row, _, _, reason in problems(paths)] == [
        (starts[n], "the line has 9 fields instead of 11 (truncated or corrupt file)") for n in sorted(broken)]


@pytest.mark.parametrize("overrides, problem", [
    (dict(jaar="2150"), (2, "jaar", "2150", "year 2150 lies outside 1990-2099 (a typing error?)")),
    (dict(jaar="1021"), (2, "jaar", "1021", "year 1021 lies outside 1990-2099 (a typing error?)")),
    (dict(bedrag="1.234,567"), (2, "bedrag", "1.234,567", "more than 2 decimals")),
    (dict(gemeente_code="GM9999"),
     (2, "gemeente_code", "GM9999", "unknown gemeente: GM9999 is not in seeds/reference/gemeenten.csv")),
])
def test_impossible_ledger_values(paths, ledger_dir, overrides, problem):
    (ledger_dir / "financien.csv").write_bytes(ledger_csv(**overrides))
    load_source(GROOTBOEK, paths)
    assert problems(paths) == [problem]


def test_an_unknown_gemeente_in_the_totals_is_an_unknown_gemeente(paths):
    line = dict(gemeente_code="gm0999", jaar="2021", fase="rekening", uitgaven="-1,00", inkomsten="1,00")
    write_csv(paths.landing_dir / "financien" / "gemeentetotalen" / "t.csv", [line], header=TOTALS_HEADER)
    load_source(GEMEENTETOTALEN, paths)
    assert problems(paths) == [
        (2, "gemeente_code", "gm0999", "unknown gemeente: GM0999 is not in seeds/reference/gemeenten.csv")]


@pytest.mark.parametrize("peildatum, reason", [
    ("31-02-2022", "no such date in the calendar (such as 31 February)"),
    ("2022-13-01", "no such date in the calendar (such as 31 February)"),
    ("27-01-2202", "the year of the date lies outside 1990-2099 (a typing error?)"),
    ("27/01/2022", "not a valid datum"),
])
def test_impossible_dates(paths, peildatum, reason):
    write_csv(paths.landing_dir / "indicatoren" / "waarden" / "v.csv", [indicator_line(peildatum=peildatum)],
              header=INDICATOR_HEADER)
    load_source(WAARDEN, paths)
    assert problems(paths) == [(2, "peildatum", peildatum, reason)]


def test_an_xlsx_amount_with_three_decimals_is_quarantined(paths, ledger_dir):
    workbook = openpyxl.Workbook()
    workbook.active.append(list(LEDGER_HEADER))
    workbook.active.append([*[ledger_line()[h] for h in LEDGER_HEADER[:-1]], 1234.567])
    workbook.save(ledger_dir / "financien.xlsx")
    load_source(GROOTBOEK, paths)
    assert problems(paths) == [(2, "bedrag", "1234,567", "more than 2 decimals")]


def test_spreadsheet_formula_text_is_stored_verbatim(paths, ledger_dir):
    formula = '=HYPERLINK("http://voorbeeld.nl/?d="&A1;"klik")'
    write_csv(ledger_dir / "financien.csv", [ledger_line(kostenplaats='"' + formula.replace('"', '""') + '"')])
    [outcome] = load_source(GROOTBOEK, paths).files
    assert outcome.status == "loaded"
    assert query(paths.build_db, "SELECT kostenplaats FROM raw.financien_grootboek") == [(formula,)]


# --- files still being written --------------------------------------------------------------------------

def test_a_file_still_being_written_is_skipped_and_loaded_by_a_later_run(paths, ledger_dir, monkeypatch):
    monkeypatch.setenv("WAREHOUSE_SETTLE_SECONDS", "600")
    old = write_csv(ledger_dir / "financien_2020.csv", [ledger_line(jaar="2020")])
    os.utime(old, (AN_HOUR_AGO, AN_HOUR_AGO))
    fresh = write_csv(ledger_dir / "financien_2021.csv", [ledger_line()])

    report = load_source(GROOTBOEK, paths)
    assert [(f.file_name, f.status) for f in report.files] == [
        ("financien_2020.csv", "loaded"), ("financien_2021.csv", "skipped")]
    assert report.files[1].note.startswith("still being written (changed ")
    assert query(paths.build_db, "SELECT file_name FROM raw.load_log") == [("financien_2020.csv",)]

    os.utime(fresh, (AN_HOUR_AGO, AN_HOUR_AGO))  # the copy has finished long ago
    assert [f.status for f in load_source(GROOTBOEK, paths).files] == ["unchanged", "loaded"]


def test_a_file_that_changes_while_it_is_read_is_skipped(paths, ledger_dir, monkeypatch):
    write_csv(ledger_dir / "financien_2021.csv", [ledger_line()])
    # The content hashed first is not the content copied next: the file is still growing.
    monkeypatch.setattr(loading, "content_digest", lambda path: "0" * 64)
    [outcome] = load_source(GROOTBOEK, paths).files
    assert (outcome.status, outcome.note) == (
        "skipped", "still being written (it changed while it was read), skipped: a later run loads it")
    assert query(paths.build_db, "SELECT count(*) FROM raw.load_log") == [(0,)]
    assert list((paths.warehouse_dir / "incoming").iterdir()) == []


def test_leftovers_of_a_killed_run_are_removed(paths, ledger_dir):
    incoming = paths.warehouse_dir / "incoming"
    incoming.mkdir(parents=True)
    (incoming / "999999999-0123.part").write_bytes(b"half a file")  # no such process
    write_csv(ledger_dir / "financien_2021.csv", [ledger_line()])
    load_source(GROOTBOEK, paths)
    assert list(incoming.iterdir()) == []


# --- the whole nightly ---------------------------------------------------------------------------------------

def first_line_changed(path, column: int, value: bytes) -> bytes:
    """The header and first line of a sample delivery, with one field of that line replaced."""
    header, line = path.read_bytes().splitlines(keepends=True)[:2]
    fields = line.split(b";")
    fields[column] = value
    return header + b";".join(fields)


def hostile_files(landing) -> dict[str, bytes]:
    """Bad deliveries for each of the six sources (folder-relative path -> content)."""
    ceo = landing / "enquetes" / "ceo" / "ceo_GM0637_2019.csv"
    omnibus = landing / "enquetes" / "omnibus" / "omnibus_GM0637_2019.csv"
    return {
        "financien/grootboek/zz_financien_2021_rekening_nul.csv": ledger_csv(kostenplaats="Jeugd\x00hulp"),
        "financien/grootboek/zz_financien_2021_rekening_gm9999.csv": ledger_csv(gemeente_code="GM9999"),
        "financien/gemeentetotalen/zz_gemeentetotalen_utf16.csv": write_csv_bytes(
            [dict(gemeente_code="GM0637", jaar="2021", fase="rekening", uitgaven="-1,00", inkomsten="1,00")],
            header=TOTALS_HEADER).decode().encode("utf-16"),
        "indicatoren/waarden/zz_indicatoren_datum.csv": write_csv_bytes(
            [indicator_line(peildatum="31-02-2022", waarde="1")], header=INDICATOR_HEADER),
        "enquetes/tevredenheid/zz_inzet_2024.csv": gzip.compress(b"gemeente_code;onderzoek;jaar;respondent_id\n"),
        "enquetes/tevredenheid/zz_mto_2024.xlsx": ledger_xlsx()[:3000],
        "enquetes/ceo/zz_ceo_2024.xlsx": first_line_changed(ceo, 2, b"CEO2024-0001"),
        "enquetes/ceo/zz_ceo_2024_lang.csv": first_line_changed(ceo, 2, b"x" * 2000),
        "enquetes/omnibus/zz_omnibus_2150.csv": first_line_changed(omnibus, 1, b"2150"),
    }


def mart_differences(published, before) -> dict[str, int]:
    with duckdb.connect(str(published), read_only=True) as con:
        con.execute(f"ATTACH '{before}' AS before (READ_ONLY)")
        tables = [t for (t,) in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()").fetchall()]
        return {t: con.execute(f"SELECT count(*) FROM ((SELECT * FROM {t} EXCEPT ALL SELECT * FROM before.{t}) "
                               f"UNION ALL (SELECT * FROM before.{t} EXCEPT ALL SELECT * FROM {t}))").fetchone()[0]
                for t in tables if not t.startswith("publicatie")}


def test_hostile_files_in_every_source_never_change_the_published_marts(sample_run, tmp_path, monkeypatch):
    from dagster_project.operations.run import summarise
    from dagster_project.settings import WarehousePaths

    clean, _ = sample_run
    paths = WarehousePaths(tmp_path / "landing", tmp_path / "warehouse", tmp_path / "warehouse" / "marts.duckdb")
    shutil.copytree(clean.landing_dir, paths.landing_dir)
    shutil.copytree(clean.warehouse_dir, paths.warehouse_dir, symlinks=True, ignore=shutil.ignore_patterns("dagster"))
    for delivered in paths.landing_dir.rglob("*"):
        os.utime(delivered, (AN_HOUR_AGO, AN_HOUR_AGO))
    before = tmp_path / "before.duckdb"
    shutil.copy(paths.published_db, before)

    monkeypatch.setenv("WAREHOUSE_SETTLE_SECONDS", "600")
    for relative, content in hostile_files(paths.landing_dir).items():
        (paths.landing_dir / relative).write_bytes(content)
        os.utime(paths.landing_dir / relative, (AN_HOUR_AGO, AN_HOUR_AGO))
    (paths.landing_dir / "financien" / "grootboek" / "zz_link.csv").symlink_to("/etc/passwd")
    (paths.landing_dir / "financien" / "gemeentetotalen" / "oud").mkdir()
    # A valid correction still being copied in: loading it would change the 2021 figures.
    write_csv(paths.landing_dir / "financien" / "grootboek" / "zz_financien_2021_rekening_nieuw.csv", [ledger_line()])

    result = run_nightly(paths)
    assert result.success
    # Besides the sample's own rejected exports, which the clean run quarantined already.
    sample_rejects = query(clean.loads_db, "SELECT DISTINCT file_name FROM quarantine ORDER BY 1")
    quarantined = query(paths.loads_db, "SELECT DISTINCT file_name FROM quarantine ORDER BY 1")
    assert quarantined == sorted([(p.rsplit("/", 1)[1],) for p in hostile_files(paths.landing_dir)]
                                 + [("zz_link.csv",), ("oud",)] + sample_rejects)
    assert query(paths.loads_db, "SELECT count(*) FROM quarantine WHERE reason IS NULL OR reason = ''") == [(0,)]
    assert list(paths.quarantine_dir.glob("*zz_link.csv")) == []
    summary, _ = summarise(result, paths)
    assert "zz_financien_2021_rekening_nieuw.csv`: still being written" in summary
    assert set(mart_differences(paths.published_db, before).values()) == {0}
