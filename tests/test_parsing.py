"""Dutch number and format parsing, file decoding and header rules."""

from decimal import Decimal

import duckdb
import pytest

from dagster_project.ingest.contracts import KINDS
from dagster_project.ingest.parsing import register_macros
from dagster_project.ingest.reading import Problem, decode, normalise_header


@pytest.fixture(scope="module")
def con():
    with duckdb.connect() as con:
        register_macros(con)
        yield con


def parse(con, kind: str, text: str):
    spec = KINDS[kind]
    return con.execute(f"SELECT CAST({spec.parse.format(v='$v')} AS {spec.sql_type})", {"v": text}).fetchone()[0]


@pytest.mark.parametrize("text, expected", [
    ("-65.776.123,45", Decimal("-65776123.45")),
    ("364.210", Decimal("364210")),
    ("2.654", Decimal("2654")),
    ("0,5", Decimal("0.5")),
    ("1234,56", Decimal("1234.56")),
    ("-69.000,00", Decimal("-69000")),
    ("€ -110.262", Decimal("-110262")),
    ("1 234,00", Decimal("1234")),
    ("12", Decimal("12")),
])
def test_dutch_amounts_parse(con, text, expected):
    assert parse(con, "bedrag", text) == expected


@pytest.mark.parametrize("text", [
    "1,80535713509409E+17%", "1,8E+17", "22,15%", "12,345", "1.23", "1.2345,00", "1,234.56", "abc", "--5", "1.000.00",
    "99999999999999999999,00",
])
def test_invalid_amounts_are_rejected(con, text):
    assert parse(con, "bedrag", text) is None


@pytest.mark.parametrize("text, reason", [
    ("1,80535713509409E+17%", "scientific notation is not accepted (a spreadsheet export artefact)"),
    ("22,15%", "a percentage is not an amount"),
    ("12,345", "more than 2 decimals"),
    ("12.34", "not a valid amount"),
])
def test_amount_rejections_say_why(con, text, reason):
    expression = KINDS["bedrag"].reason.format(v="$v")
    assert con.execute(f"SELECT {expression}", {"v": text}).fetchone()[0] == reason


@pytest.mark.parametrize("kind, text, expected", [
    ("fase", "Begroting  Primitief", "begroting primitief"),
    ("fase", "REKENING", "rekening"),
    ("fase", "begroting", None),
    ("soort", "Baten", "baten"),
    ("soort", "uitgaven", None),
    ("ja_nee", "Ja", True),
    ("ja_nee", "n", False),
    ("ja_nee", "misschien", None),
    ("jaar", "2021", 2021),
    ("jaar", "21", None),
    ("jaar", "2021,0", None),
    ("gemeente_code", "gm0637", "GM0637"),
    ("gemeente_code", "0637", None),
])
def test_codes_parse(con, kind, text, expected):
    assert parse(con, kind, text) == expected


def test_utf8_with_and_without_bom_is_kept():
    assert decode("Cliëntondersteuning".encode()) == ("Cliëntondersteuning".encode(), "utf-8")
    assert decode(b"\xef\xbb\xbf" + "€".encode()) == ("€".encode(), "utf-8-sig")


def test_windows_1252_is_transcoded():
    assert decode("Geëscaleerde zorg € 5".encode("cp1252")) == ("Geëscaleerde zorg € 5".encode(), "cp1252")


def test_bytes_windows_1252_does_not_define_are_a_problem():
    problem = decode(b"a;b\n1;\x81\n")
    assert isinstance(problem, Problem)
    assert "neither UTF-8 nor Windows-1252" in problem.reason and problem.row == 2


@pytest.mark.parametrize("raw, expected", [
    ("Jaar", "jaar"), (" DOELSTELLING_CODE ", "doelstelling_code"), ("Doelstelling  Naam", "doelstelling_naam"),
])
def test_headers_in_any_case(raw, expected):
    assert normalise_header(raw) == expected
