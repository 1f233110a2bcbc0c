"""Indicators: typed values, bad input, recalculation, derived shares and rules,
and the scorecard against every figure the source documents publish."""

from __future__ import annotations

import csv
import re
from decimal import ROUND_HALF_UP, Decimal

import duckdb
import pytest

from dagster_project.ingest.contracts import KINDS
from dagster_project.ingest.loading import load_source
from dagster_project.ingest.parsing import register_macros
from dagster_project.settings import REFERENCE_DIR, REPO_ROOT
from dagster_project.sources.indicatoren import WAARDEN

from .conftest import check_evaluations, quarantine, query, run_nightly, write_csv

HEADER = ("gemeente_code", "indicator_code", "jaar", "waardetype", "waarde", "teller", "noemer", "peildatum",
          "bron_document")
ACCOUNTS_2021 = (REPO_ROOT / "seeds" / "documents" / "jaarstukken_2021_programma_2.txt").read_text()


def value(**overrides) -> dict:
    line = dict(gemeente_code="GM0637", indicator_code="JH_3JAAR", jaar="2023", waardetype="realisatie",
                waarde="45,9%", teller="", noemer="", peildatum="07-11-2024", bron_document="Programmabegroting 2025")
    line.update(overrides)
    return line


def load(paths, *lines) -> list[tuple]:
    write_csv(paths.landing_dir / "indicatoren" / "waarden" / "waarden.csv", list(lines), header=HEADER)
    load_source(WAARDEN, paths)
    return quarantine(paths)


# --- parsing ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def con():
    with duckdb.connect() as con:
        register_macros(con)
        yield con


@pytest.mark.parametrize("text, expected", [
    ("45,9%", Decimal("45.9")), ("4.923", Decimal("4923")), ("€ 1.234", Decimal("1234")), ("7,5", Decimal("7.5")),
    ("2.261", Decimal("2261")), ("1.234,5678", Decimal("1234.5678")), ("-3", Decimal("-3")),
    ("1.5", None), ("1,80535713509409E+17%", None), ("abc", None), ("4,923.5", None),
])
def test_numbers_as_people_type_them(con, text, expected):
    kind = KINDS["getal"]
    assert con.execute(f"SELECT CAST({kind.parse.format(v='$v')} AS {kind.sql_type})", {"v": text}).fetchone()[0] \
        == expected


@pytest.mark.parametrize("text, expected", [("27-01-2022", "2022-01-27"), ("2024-11-07", "2024-11-07"),
                                            ("7-1-2022", "2022-01-07"), ("31-02-2022", None), ("2022/01/27", None)])
def test_peildatum(con, text, expected):
    kind = KINDS["datum"]
    result = con.execute(f"SELECT CAST({kind.parse.format(v='$v')} AS DATE)", {"v": text}).fetchone()[0]
    assert (str(result) if result else None) == expected


# --- loading -----------------------------------------------------------------------------------

def test_no_value_marks_load_as_empty_not_zero(paths):
    assert load(paths, value(waarde="n.b."), value(jaar="2022", waarde="-"), value(jaar="2021", waarde="")) == []
    assert query(paths.build_db, "SELECT jaar, waarde FROM raw.indicatoren_waarden ORDER BY jaar") == [
        (2021, None), (2022, None), (2023, None)]


def test_a_share_can_arrive_as_teller_and_noemer(paths):
    assert load(paths, value(waarde="", teller="2.261", noemer="4.923"),
                value(jaar="2022", waarde="45,9%", teller="2.261", noemer="4.923")) == []


@pytest.mark.parametrize("line, problem", [
    (value(indicator_code="JH_ONBEKEND"),
     (2, "indicator_code", "JH_ONBEKEND", "indicator JH_ONBEKEND is not in the catalogue")),
    (value(indicator_code="MTO_TEVREDEN", jaar="2021"),
     (2, "indicator_code", "MTO_TEVREDEN", "indicator MTO_TEVREDEN is not valid in 2021 (valid 2025-)")),
    (value(waarde="112%"),
     (2, "waarde", "112%", "outside the range of the unit percentage")),
    (value(indicator_code="JH_UNIEK", waarde="-12"),
     (2, "waarde", "-12", "outside the range of the unit aantal")),
    (value(indicator_code="JH_UNIEK", waarde="4.923,5"),
     (2, "waarde", "4.923,5", "a value in aantal is a whole number")),
    (value(indicator_code="JH_UNIEK", waarde="45%"),
     (2, "waarde", "45%", "indicator JH_UNIEK is measured in aantal, not in percent")),
    (value(waarde="1,80535713509409E+17%"),
     (2, "waarde", "1,80535713509409E+17%", "scientific notation is not accepted (a spreadsheet export artefact)")),
    (value(waarde="", teller="4.923", noemer="2.261"),
     (2, "noemer", "4.923 / 2.261", "the teller must lie between 0 and the noemer")),
    (value(waarde="", teller="1", noemer="0"), (2, "noemer", "1 / 0", "the noemer must be more than 0")),
    (value(waarde="", teller="2.261", noemer=""), (2, "noemer", None, "teller and noemer come together")),
    (value(waarde="50%", teller="2.261", noemer="4.923"),
     (2, "noemer", "2.261 / 4.923", "waarde 50.0000 does not match teller / noemer = 45.93")),
    (value(peildatum=""), (2, "peildatum", None, "missing value")),
    (value(waardetype="schatting"), (2, "waardetype", "schatting", "not a valid waardetype")),
])
def test_bad_values_are_quarantined_with_a_reason(paths, line, problem):
    assert load(paths, line) == [problem]
    assert query(paths.build_db, "SELECT count(*) FROM raw.indicatoren_waarden") == [(0,)]


def test_a_second_value_for_the_same_peildatum_is_quarantined(paths):
    assert load(paths, value(), value(waarde="46%")) == [
        (3, "peildatum", "JH_3JAAR 2023 realisatie 2024-11-07",
         "a second value for this indicator, year, type and peildatum (first on line 2)")]


# --- values computed by a rule ----------------------------------------------------------------

def test_a_computed_count_is_a_whole_number_and_passes_the_checks(paths):
    # Veilig Thuis realisaties 1.201, 1.350, 1.287 and 1.412: mean 1.312,5, a prognose of 1.313 meldingen.
    realisaties = {2020: "1.201", 2021: "1.350", 2022: "1.287", 2023: "1.412"}
    write_csv(paths.landing_dir / "indicatoren" / "waarden" / "veilig_thuis.csv", [
        value(indicator_code="VT_MELDINGEN", jaar=str(year), waarde=waarde, peildatum=f"27-01-{year + 1}",
              bron_document=f"Jaarstukken {year}") for year, waarde in realisaties.items()], header=HEADER)
    result = run_nightly(paths)
    assert query(paths.build_db, """
        SELECT jaar, waarde, is_rekenregel FROM marts.fct_indicatorwaarde
        WHERE indicator_code = 'VT_MELDINGEN' AND waardetype = 'prognose' ORDER BY jaar""") == [
        (year, Decimal("1313"), True) for year in range(2025, 2029)]
    # The blocking checks on the indicator values (counts are whole numbers among them) pass.
    on_values = {name: passed for (asset, name), passed in check_evaluations(result).items()
                 if asset.endswith("fct_indicatorwaarde")}
    assert on_values and all(on_values.values()), on_values


def test_every_rule_rounds_a_count_to_a_whole_number():
    def read(name: str) -> list[dict]:
        with (REFERENCE_DIR / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    whole = {unit["eenheid"] for unit in read("eenheden") if unit["is_geheel_getal"] == "true"}
    units = {indicator["indicator_code"]: indicator["eenheid"] for indicator in read("indicatoren")}
    rules = read("indicator_rekenregels")
    assert rules and all(rule["decimalen"] in "01234" and len(rule["decimalen"]) == 1 for rule in rules)
    assert [rule["indicator_code"] for rule in rules if units[rule["indicator_code"]] in whole
            and rule["decimalen"] != "0"] == []


# --- the scorecard on the sample sources --------------------------------------------------------

def scorecard(published, code: str, year: int) -> dict:
    columns = ("realisatie", "streefwaarde", "streefwaarde_type", "doel_gehaald", "verschil_vorig_jaar_pct",
               "doelstelling_code", "eenheid", "richting", "bron")
    [row] = query(published, f"SELECT {', '.join(columns)} FROM rpt_indicator_scorecard "
                             "WHERE gemeente_code = 'GM0637' AND indicator_code = ? AND jaar = ?", [code, year])
    return dict(zip(columns, row, strict=True))


def test_ceo_2023_and_its_targets(published):
    card = scorecard(published, "CEO_PAST", 2023)
    assert (card["realisatie"], card["eenheid"], card["bron"]) == (
        78, "percentage", "Cliëntervaringsonderzoek Wmo (CEO)")
    for year in range(2025, 2029):
        assert scorecard(published, "CEO_PAST", year)["streefwaarde"] == 80


def test_share_derived_from_teller_and_noemer(published):
    assert round(scorecard(published, "JH_3JAAR", 2023)["realisatie"], 1) == Decimal("45.9")
    # As typed from the budget, and as counted from the registration (which is current).
    assert query(published, "SELECT teller, noemer, is_afgeleid_uit_teller_noemer, is_microdata, is_actueel "
                            "FROM fct_indicatorwaarde WHERE indicator_code = 'JH_3JAAR' AND jaar = 2023 "
                            "AND waardetype = 'realisatie' ORDER BY is_microdata") == [
        (Decimal("2261"), Decimal("4923"), True, False, False), (Decimal("2261"), Decimal("4923"), True, True, True)]


def test_recalculation_keeps_every_value_and_the_registration_is_current(published):
    # Typed in: the original 2019 figure and its recalculation (later peildatum); counted from the registration:
    # the recalculated figure, current before any typed-in value.
    assert query(published, """
        SELECT round(waarde, 1), peildatum = DATE '2019-12-31', is_microdata, is_actueel FROM fct_indicatorwaarde
        WHERE indicator_code = 'JH_3JAAR' AND jaar = 2019 AND waardetype = 'realisatie'
        ORDER BY is_microdata, peildatum""") == [
        (Decimal("51.2"), False, False, False), (Decimal("47.8"), False, False, False),
        (Decimal("47.8"), True, True, True)]
    assert round(scorecard(published, "JH_3JAAR", 2019)["realisatie"], 1) == Decimal("47.8")


def test_youths_2021_and_the_change_from_2020(published):
    card = scorecard(published, "JH_UNIEK", 2021)
    assert card["realisatie"] == 4548 and round(card["verschil_vorig_jaar_pct"], 1) == 2.5


def test_verwijsindex_2021(published):
    assert scorecard(published, "VERWIJSINDEX", 2021)["realisatie"] == 1309
    assert scorecard(published, "VERWIJSINDEX", 2021)["doel_gehaald"] is False


def test_veilig_thuis_prognose_is_the_mean_of_2020_2023(published):
    realisaties = [r for (r,) in query(published, """
        SELECT waarde FROM fct_indicatorwaarde WHERE indicator_code = 'VT_MELDINGEN'
        AND waardetype = 'realisatie' AND is_actueel AND jaar BETWEEN 2020 AND 2023""")]
    assert len(realisaties) == 4
    prognose = (sum(realisaties) / 4).quantize(Decimal(1), ROUND_HALF_UP)  # a count: a whole number
    for year in range(2025, 2029):
        card = scorecard(published, "VT_MELDINGEN", year)
        assert (card["streefwaarde"], card["streefwaarde_type"]) == (prognose, "prognose")
        assert card["doelstelling_code"] == "2.1"  # Veilig Thuis sits under 2.1 in the 2025 budget
    assert scorecard(published, "VT_MELDINGEN", 2021)["doelstelling_code"] == "2.3"


def test_direction_decides_doel_gehaald(published):
    lower = scorecard(published, "JH_3JAAR", 2021)  # lager is beter: 46,5% against 52%
    higher = scorecard(published, "VT_ADVIEZEN", 2021)  # hoger is beter: 760 against 700
    assert (lower["richting"], lower["realisatie"] < lower["streefwaarde"], lower["doel_gehaald"]) == (
        "lager", True, True)
    assert (higher["richting"], higher["realisatie"] > higher["streefwaarde"], higher["doel_gehaald"]) == (
        "hoger", True, True)
    worse = scorecard(published, "JH_LEEFTIJD_INSTROOM", 2021)  # lager is beter, and it rose above the target
    assert (worse["realisatie"] > worse["streefwaarde"], worse["doel_gehaald"]) == (True, False)


def test_missing_values_give_no_verdict(published):
    card = scorecard(published, "INZET_TEVREDEN", 2021)  # inZet started in May 2021: 'n.b.'
    assert (card["realisatie"], card["streefwaarde"], card["doel_gehaald"]) == (None, 80, None)
    assert scorecard(published, "MZ_ONDERSTEUND", 2021)["verschil_vorig_jaar_pct"] is None  # 2020 was 'n.b.'


# The indicators behind each "Doel gehaald" of the Jaarstukken 2021, in document order per goal,
# with a word of the toelichting that identifies them.
DOEL_GEHAALD_2021 = {
    "2.1": [("JH_LEEFTIJD_INSTROOM", "instromen"), ("JH_LEEFTIJD_UITSTROOM", "uitstromen"),
            ("VERWIJSINDEX", "Verwijsindex"), ("JH_3JAAR", "3 jaar of langer")],
    "2.2": [("WMO_BUDGET_CLIENT", "kosten per cliënt"), ("CEO_PAST", "CEO"), ("CEO_KWALITEIT", "CEO")],
    "2.3": [("VT_ADVIEZEN", "adviezen"), ("VT_MELDINGEN", "meldingen")],
    "2.4": [("VRIJWILLIGERS", "vrijwilligers"), ("MZ_ONDERSTEUND_GEMEENTE", "mantelzorgers"),
            ("MZ_ONDERSTEUND", "mantelzorgers"), ("EENZAAMHEID", "eenzaamheid")],
}


def published_doel_gehaald_2021() -> dict[str, list[tuple[str, str]]]:
    sections = re.split(r"^Doelstelling (\d\.\d) .*$", ACCOUNTS_2021.split("Gerealiseerde baten")[0], flags=re.M)
    outcomes = {}
    for code, text in zip(sections[1::2], sections[2::2], strict=True):
        if code not in outcomes:  # the heading appears twice (title and navigation)
            outcomes[code] = []
        outcomes[code] += re.findall(r"Doel gehaald: (Ja|Nee)\s*\nToelichting: (.*)", text)
    return outcomes


def test_doel_gehaald_2021_reproduces_the_jaarstukken(published):
    published_outcomes = published_doel_gehaald_2021()
    assert sum(len(v) for v in published_outcomes.values()) == 13
    for goal, indicators in DOEL_GEHAALD_2021.items():
        assert len(published_outcomes[goal]) == len(indicators), goal
        for (code, keyword), (outcome, toelichting) in zip(indicators, published_outcomes[goal], strict=True):
            assert keyword in toelichting, (code, toelichting)
            card = scorecard(published, code, 2021)
            assert (code, card["doelstelling_code"], card["doel_gehaald"]) == (code, goal, outcome == "Ja")


def test_the_indicator_page_is_generated_from_the_catalogue():
    from dagster_project.generate.indicator_docs import PAGE, render

    assert PAGE.read_text(encoding="utf-8") == render(), "run `make docs` after changing the catalogue"
