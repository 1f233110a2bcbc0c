"""Registrations: the jeugdhulp and Wmo contracts and their bad input, the BSN guard
(loaders, quarantine, surveys, and the scan of every mart), supersession of exports
day by day, the CBS counting rules on hand-computed cases, suppression, the Wmo
budget per client, and the published figures of the sample registration."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from dagster_project.ingest.loading import load_source
from dagster_project.settings import DBT_PROJECT_DIR, REPO_ROOT, SAMPLE_LANDING_DIR, WarehousePaths
from dagster_project.sources.registraties import JEUGDHULP, WMO

from .conftest import ledger_line, quarantine, query, run_nightly, write_csv
from .test_omnibus import render_macro

HEADER = JEUGDHULP.column_names
WMO_HEADER = WMO.column_names
BSN = "123456782"  # passes the elfproef (the domain brief's example)
BSN_8 = "12345672"  # 8 digits: with the leading zero, 012345672 passes the elfproef


def traject(client_id="J1", begindatum="2021-02-01", einddatum="2021-06-30", **overrides) -> dict:
    """A line of a jeugdhulp export for 2018-2022; override any column."""
    line = dict(gemeente_code="GM0637", periode_begin="2018-01-01", periode_einde="2022-12-31", client_id=client_id,
                geboortedatum="2010-06-15", geboortemaand="", geslacht="2", wijk="Centrum", productcategorie="45",
                aanbieder_agb="73000001", begindatum=begindatum, einddatum=einddatum, reden_einde="")
    line.update(overrides)
    return line


def voorziening(client_id="W1", begindatum="2021-02-01", einddatum="2021-10-31", **overrides) -> dict:
    line = dict(gemeente_code="GM0637", periode_begin="2020-01-01", periode_einde="2022-12-31", client_id=client_id,
                geboortedatum="1950-03-01", geboortemaand="", geslacht="1", wijk="Dorp", productcategorie="01",
                begindatum=begindatum, einddatum=einddatum)
    line.update(overrides)
    return line


def jeugdhulp_dir(paths) -> Path:
    return paths.landing_dir / "registraties" / "jeugdhulp"


def wmo_dir(paths) -> Path:
    return paths.landing_dir / "registraties" / "wmo"


def client_key(client_id: str, registratie: str = "jeugdhulp") -> str:
    """The keyed pseudonym the models give a client number (the sample secret)."""
    sql = render_macro("pseudonym.sql", f"pseudonym(['g', \"'{registratie}'\", 'c'])", env_var=lambda _, d: d)
    with duckdb.connect() as con:
        return con.execute(f"SELECT {sql} FROM (SELECT 'GM0637' AS g, ? AS c)", [client_id]).fetchone()[0]


# --- the contract ------------------------------------------------------------------------------------------

def test_a_good_export_lands_with_its_lineage(paths):
    write_csv(jeugdhulp_dir(paths) / "jeugdhulp.csv", [
        traject("J1"), traject("J2", geboortedatum="", geboortemaand="2012-08", productcategorie="54", wijk="",
                               einddatum="", reden_einde="Beëindigd volgens plan")], header=HEADER)
    assert [f.status for f in load_source(JEUGDHULP, paths).files] == ["loaded"]
    assert query(paths.build_db, """
        SELECT source_row, client_id, geboortedatum, geboortemaand, productcategorie, einddatum
        FROM raw.registraties_jeugdhulp ORDER BY source_row""") == [
        (2, "J1", date(2010, 6, 15), None, "45", date(2021, 6, 30)),
        (3, "J2", None, date(2012, 8, 1), "54", None)]


@pytest.mark.parametrize("line, problem", [
    (traject(geboortedatum="2021-03-01"),
     (2, "geboortedatum", "2021-03-01", "the date of birth lies after the start date 2021-02-01")),
    (traject(einddatum="2021-01-31"), (2, "einddatum", "2021-01-31", "the end date lies before the start date 2021-02-01")),
    (traject(begindatum="2023-01-02", einddatum=""),
     (2, "begindatum", "2023-01-02 - ", "no day of this line lies in the period of the export, 2018-01-01 - 2022-12-31")),
    (traject(begindatum="2016-01-01", einddatum="2017-12-31"),
     (2, "begindatum", "2016-01-01 - 2017-12-31",
      "no day of this line lies in the period of the export, 2018-01-01 - 2022-12-31")),
    (traject(periode_einde="2017-12-31", begindatum="2017-02-01", einddatum="2017-03-01"),
     (2, "periode_einde", "2018-01-01 - 2017-12-31", "the period of the export ends before it begins")),
    (traject(geboortedatum=""), (2, "geboortedatum", None, "missing date of birth")),
    (traject(geboortemaand="2010-07"), (2, "geboortedatum", "2010-06-15 / 2010-07", "geboortedatum and geboortemaand disagree")),
    (traject(productcategorie="99"),
     (2, "productcategorie", "99", "not a code of seeds/reference/jeugdhulp_productcategorieen.csv")),
    (traject(aanbieder_agb="7300001"), (2, "aanbieder_agb", "7300001", "not a valid agb_code")),
    (traject(wijk="Atlantis"), (2, "wijk", "Atlantis", "not a wijk of this gemeente (seeds/reference/wijken.csv)")),
    (traject(client_id=""), (2, "client_id", None, "missing value")),
    (traject(geboortemaand="2010-13", geboortedatum=""), (2, "geboortemaand", "2010-13", "not a valid maand")),
])
def test_bad_registration_input_is_quarantined(paths, line, problem):
    write_csv(jeugdhulp_dir(paths) / "jeugdhulp.csv", [line], header=HEADER)
    assert [f.status for f in load_source(JEUGDHULP, paths).files] == ["quarantined"]
    assert quarantine(paths) == [problem]


def test_one_period_per_gemeente_in_an_export(paths):
    write_csv(jeugdhulp_dir(paths) / "jeugdhulp.csv", [traject("J1"), traject("J2", periode_einde="2021-12-31")],
              header=HEADER)
    load_source(JEUGDHULP, paths)
    assert quarantine(paths) == [(3, "periode_begin", "2018-01-01 - 2021-12-31",
                                  "a second period for GM0637 in this file (line 2 has 2018-01-01 - 2022-12-31)")]


def test_bad_wmo_input_is_quarantined(paths):
    write_csv(wmo_dir(paths) / "wmo.csv", [
        voorziening("W1", productcategorie="15"), voorziening("W2", einddatum="2021-01-01")], header=WMO_HEADER)
    load_source(WMO, paths)
    assert quarantine(paths) == [
        (2, "productcategorie", "15", "not a code of seeds/reference/wmo_productcategorieen.csv"),
        (3, "einddatum", "2021-01-01", "the end date lies before the start date 2021-02-01")]


# --- the BSN guard -----------------------------------------------------------------------------------------

BSN_REASON = "a BSN (burgerservicenummer: 9 digits that pass the elfproef) where a pseudonymised number belongs"


def assert_no_full_number(database: Path, number: str) -> None:
    """No column of the quarantine (or the load log) holds the number, whole or in a longer text."""
    for table in ("quarantine", "load_log"):
        schema = "raw." if database.name == "build.duckdb" else ""
        rows = query(database, f"SELECT * FROM {schema}{table}")
        assert not any(number in str(value) for row in rows for value in row), table


@pytest.mark.parametrize("number, masked", [(BSN, "*****6782"), (BSN_8, "****5672"), ("123.456.782", "*****6782")])
def test_a_bsn_as_client_number_quarantines_the_file_masked(paths, number, masked):
    from dagster_project.publish import publish_loads

    write_csv(jeugdhulp_dir(paths) / "jeugdhulp.csv", [traject("J1"), traject(number)], header=HEADER)
    [outcome] = load_source(JEUGDHULP, paths).files
    assert (outcome.status, outcome.first_problem) == ("quarantined", BSN_REASON)
    assert quarantine(paths) == [(3, "client_id", masked, BSN_REASON)]
    publish_loads(paths.build_db, paths.loads_db)
    for database in (paths.build_db, paths.loads_db):
        assert_no_full_number(database, number.replace(".", ""))
    assert not paths.quarantine_dir.exists() or not any(paths.quarantine_dir.iterdir())  # no second copy


def test_a_bsn_in_the_wmo_registration_quarantines_the_file(paths):
    write_csv(wmo_dir(paths) / "wmo.csv", [voorziening(BSN)], header=WMO_HEADER)
    load_source(WMO, paths)
    assert quarantine(paths) == [(2, "client_id", "*****6782", BSN_REASON)]


def test_a_pseudonym_of_nine_digits_that_fails_the_elfproef_loads(paths):
    write_csv(jeugdhulp_dir(paths) / "jeugdhulp.csv", [traject("123456789"), traject("00000000")], header=HEADER)
    assert [f.status for f in load_source(JEUGDHULP, paths).files] == ["loaded"]


def test_a_bsn_inside_a_broken_line_is_masked_too(paths):
    path = jeugdhulp_dir(paths) / "jeugdhulp.csv"
    write_csv(path, [traject("J1")], header=HEADER)
    path.write_bytes(path.read_bytes() + f"GM0637;2018-01-01;2022-12-31;{BSN};2010-06-15\r\n".encode())
    load_source(JEUGDHULP, paths)
    [(row, _, value, reason)] = quarantine(paths)
    assert row == 3 and "*****6782" in value and BSN not in value and "fields instead of" in reason


@pytest.mark.parametrize("survey", ["satisfaction", "ceo", "omnibus"])
def test_a_bsn_as_survey_respondent_number_quarantines_the_file(paths, survey):
    from dagster_project.sources import surveys

    from .test_omnibus import HEADER as OMNIBUS_HEADER
    from .test_omnibus import respondent
    from .test_surveys import CEO_HEADER, HEADER as SATISFACTION_HEADER
    from .test_surveys import ceo_line
    from .test_surveys import respondent as graded

    contract, header, line = {
        "satisfaction": (surveys.SATISFACTION, SATISFACTION_HEADER, graded(BSN)),
        "ceo": (surveys.CEO, CEO_HEADER, ceo_line(BSN)),
        "omnibus": (surveys.OMNIBUS, OMNIBUS_HEADER, respondent(BSN)),
    }[survey]
    write_csv(paths.landing_dir / contract.folder / "survey.csv", [line], header=header)
    load_source(contract, paths)
    assert quarantine(paths) == [(2, "respondent_id", "*****6782", BSN_REASON)]
    assert_no_full_number(paths.build_db, BSN)


def test_the_mart_scan_finds_a_bsn_in_any_text_column_and_masks_it():
    from dagster_project.privacy import scan

    with duckdb.connect() as con:
        con.execute("CREATE SCHEMA marts")
        con.execute(f"""CREATE TABLE marts.t AS SELECT * FROM (VALUES
            ('a', '73000001', 'x', 1), ('{BSN}', '{BSN}', ' 1234 56 782', {BSN}), ('c', '12345678', 'rekening 2021', 2))
            v(code, agb, tekst, getal)""")
        result = scan(con, "t", skipped={"agb": "an AGB code"})
    assert result.columns == ["code", "tekst"] and list(result.skipped) == ["agb"]
    assert result.findings == {"code": (1, "*****6782"), "tekst": (1, "*****6782")} and not result.passed


# --- supersession of exports -------------------------------------------------------------------------------

def dbt_build(paths: WarehousePaths, select: str, tmp: Path) -> None:
    """Load both registrations and build `select` (and what it needs) with dbt into the build file."""
    load_source(JEUGDHULP, paths)
    load_source(WMO, paths)
    env = {**os.environ, "WAREHOUSE_BUILD_DB": str(paths.build_db)}
    dbt = Path(sys.executable).parent / "dbt"
    subprocess.run([str(dbt), "build", "--select", select, "--indirect-selection", "cautious",
                    "--profiles-dir", str(DBT_PROJECT_DIR),
                    "--target-path", str(tmp / "target"), "--log-path", str(tmp / "logs"), "--quiet"],
                   cwd=DBT_PROJECT_DIR, env=env, check=True)


def export(name: str, paths, begin: str, end: str, lines: list[dict]) -> None:
    write_csv(jeugdhulp_dir(paths) / name, [{**line, "periode_begin": begin, "periode_einde": end} for line in lines],
              header=HEADER)


@pytest.fixture(scope="module")
def superseded(tmp_path_factory):
    """Three exports in load order: 2018-2020, 2021-2022, and a corrected re-export of 2018-2020."""
    root = tmp_path_factory.mktemp("supersession")
    paths = WarehousePaths(root / "landing", root / "warehouse", root / "warehouse" / "marts.duckdb")
    export("a_2018-2020.csv", paths, "2018-01-01", "2020-12-31", [
        traject("ACROSS", "2019-06-01", ""),  # runs into the next export's period
        traject("STOPPED", "2019-06-01", ""),  # running here, absent from the next export: ended 2020-12-31
        traject("CORRECTED", "2019-01-01", "2019-05-31"),  # the re-export corrects the end
        traject("DELETED", "2018-03-01", "2018-06-30"),  # the re-export no longer has it
        traject("EARLY", "2016-04-01", ""),  # started before any period
    ])
    export("b_2021-2022.csv", paths, "2021-01-01", "2022-12-31", [
        traject("ACROSS", "2019-06-01", "2022-03-31", aanbieder_agb="73000001"),
        traject("EARLY", "2016-04-01", ""),
    ])
    export("c_2018-2020_correctie.csv", paths, "2018-01-01", "2020-12-31", [
        traject("ACROSS", "2019-06-01", ""),
        traject("STOPPED", "2019-06-01", ""),
        traject("CORRECTED", "2019-01-01", "2019-08-31"),
        traject("EARLY", "2016-04-01", ""),
    ])
    dbt_build(paths, "+int_registraties__jeugdhulp_jeugdigen", root)
    return paths


def trajectories(paths, client_id: str) -> list[tuple]:
    return query(paths.build_db, """
        SELECT begindatum, einddatum, aantal_regels FROM intermediate.int_registraties__jeugdhulp_trajecten
        WHERE client_key = ? ORDER BY begindatum""", [client_key(client_id)])


def test_each_day_belongs_to_the_latest_export_that_covers_it(superseded):
    validity = query(superseded.build_db, """
        SELECT l.file_name, g.geldig_van, g.geldig_tot
        FROM intermediate.int_registraties__geldigheid g JOIN intermediate.int_registraties__leveringen l USING (load_id)
        ORDER BY l.file_name, g.geldig_van NULLS FIRST""")
    assert validity == [
        # The first export counts only where no export covers the days (before 2018).
        ("a_2018-2020.csv", None, date(2017, 12, 31)),
        ("b_2021-2022.csv", None, date(2017, 12, 31)),
        ("b_2021-2022.csv", date(2021, 1, 1), None),  # its period and, for running care, after it
        ("c_2018-2020_correctie.csv", None, date(2020, 12, 31)),
    ]


@pytest.mark.parametrize("client_id, expected", [
    # One trajectory across the boundary of two exports, glued again.
    ("ACROSS", [(date(2019, 6, 1), date(2022, 3, 31))]),
    # Running at the end of its export's period and absent from the next export: it ended then.
    ("STOPPED", [(date(2019, 6, 1), date(2020, 12, 31))]),
    ("CORRECTED", [(date(2019, 1, 1), date(2019, 8, 31))]),
    ("DELETED", []),
    # A start before every period stays, and the care still runs.
    ("EARLY", [(date(2016, 4, 1), None)]),
])
def test_a_later_export_replaces_the_days_it_covers(superseded, client_id, expected):
    assert [(b, e) for b, e, _ in trajectories(superseded, client_id)] == expected


def test_years_are_counted_only_where_the_exports_cover_them_in_full(superseded):
    assert query(superseded.build_db, "SELECT list(jaar ORDER BY jaar) FROM intermediate.int_registraties__telbare_jaren "
                                      "WHERE registratie = 'jeugdhulp'") == [([2018, 2019, 2020, 2021, 2022],)]


# --- the counting rules, hand-computed ---------------------------------------------------------------------

CASES = [
    # Overlapping trajectories at two providers: one period, two trajectories.
    traject("OVERLAP", "2021-02-01", "2021-06-30"),
    traject("OVERLAP", "2021-03-15", "2021-09-30", aanbieder_agb="73000002", productcategorie="54"),
    # A trajectory starting the day after another ends: one period.
    traject("NEXT-DAY", "2021-01-10", "2021-04-30"),
    traject("NEXT-DAY", "2021-05-01", "2021-08-31", aanbieder_agb="73000002"),
    # Two days after: two periods (one day without care in between).
    traject("TWO-DAYS", "2021-01-10", "2021-04-30", geboortedatum="2009-03-01"),
    traject("TWO-DAYS", "2021-05-02", "2021-08-31", aanbieder_agb="73000002", geboortedatum="2009-03-01"),
    # Two lines of one trajectory at the same provider overlap: one trajectory.
    traject("RENEWAL", "2020-01-01", "2020-04-15", aanbieder_agb="73000003"),
    traject("RENEWAL", "2020-04-01", "2020-10-31", aanbieder_agb="73000003"),
    traject("RUNNING", "2019-06-01", ""),
    # Three years exactly on the last day, and one day short.
    traject("THREE-YEARS", "2018-03-01", "2021-02-28"),
    traject("ONE-DAY-SHORT", "2018-03-01", "2021-02-27"),
    # 23 on 2021-07-15: counted in 2021 until the day before; no uitstroom at 23, not counted in 2022.
    traject("TURNS-23", "2020-01-01", "2022-03-31", geboortedatum="1998-07-15", productcategorie="44"),
    traject("AGED-23", "2021-03-01", "2021-05-01", geboortedatum="1995-01-01"),
    traject("JB-ONLY", "2021-01-01", "2021-12-31", productcategorie="48"),
    traject("NEW-YEAR", "2020-12-31", "2021-01-01", productcategorie="46"),
    traject("BIRTHDAY", "2021-05-10", "", geboortedatum="2011-05-10"),
    traject("MONTH-ONLY", "2021-08-15", "2021-12-31", geboortedatum="", geboortemaand="2012-08"),
    # A BSN typed where a reason belongs reaches a mart: the scan of the marts must stop publishing.
    traject("REASON", "2019-01-01", "2019-03-31", reden_einde=BSN),
    # Twelve youths in Dorp in 2022, so that one cell is published.
    *[traject(f"DORP-{n:02d}", "2022-02-01", "2022-03-31", wijk="Dorp") for n in range(12)],
]


@pytest.fixture(scope="module")
def handmade(tmp_path_factory):
    """The nightly job on the hand-made cases, a Wmo export with 12 clients in 2021 and a 2021 ledger."""
    root = tmp_path_factory.mktemp("registraties")
    paths = WarehousePaths(root / "landing", root / "warehouse", root / "warehouse" / "marts.duckdb")
    write_csv(jeugdhulp_dir(paths) / "jeugdhulp.csv", CASES, header=HEADER)
    write_csv(wmo_dir(paths) / "wmo.csv", [
        *[voorziening(f"W{n:02d}", productcategorie="01" if n < 10 else "13") for n in range(12)],
        voorziening("W00", "2021-03-01", "", productcategorie="02"),  # a second provision: one client
        voorziening("W-2020", "2020-02-01", "2020-12-31"),  # not a 2021 client
    ], header=WMO_HEADER)
    wonen = dict(doelstelling_code="2.2", doelstelling_naam="Langer zelfstandig wonen", taakveld_code="6.71")
    write_csv(paths.landing_dir / "finance" / "ledger" / "financien_2021_rekening.csv", [
        ledger_line(**wonen, kostenplaats="Huishoudelijke hulp", bedrag="-100.000,00"),
        ledger_line(**wonen, kostenplaats="Woonvoorzieningen", bedrag="-20.000,00"),
        ledger_line(**wonen, kostenplaats="Eigen bijdrage Wmo", soort="baten", bedrag="15.000,00"),
        ledger_line(**{**wonen, "taakveld_code": "6.2"}, kostenplaats="Wijkteam", bedrag="-50.000,00"),
    ])
    result = run_nightly(paths)
    return paths, result


def years(paths, client_id: str) -> dict[int, tuple]:
    rows = query(paths.build_db, """
        SELECT jaar, is_instroom, is_uitstroom, is_drie_jaar_of_langer, leeftijd_instroom, leeftijd_uitstroom
        FROM intermediate.int_registraties__jeugdhulp_jeugdigen WHERE client_key = ?""", [client_key(client_id)])
    return {year: tuple(rest) for year, *rest in rows}


@pytest.mark.parametrize("client_id, expected", [
    # year: (instroom, uitstroom, three years or more, age at instroom, age at uitstroom)
    ("OVERLAP", {2021: (True, True, False, 10, 11)}),
    ("NEXT-DAY", {2021: (True, True, False, 10, 11)}),
    ("TWO-DAYS", {2021: (True, True, False, 11, 12)}),  # counted once; the first instroom, the last uitstroom
    ("RUNNING", {2019: (True, False, False, 8, None), 2020: (False, False, False, None, None),
                 2021: (False, False, False, None, None), 2022: (False, False, True, None, None)}),
    ("THREE-YEARS", {2018: (True, False, False, 7, None), 2019: (False, False, False, None, None),
                     2020: (False, False, False, None, None), 2021: (False, True, True, None, 10)}),
    ("ONE-DAY-SHORT", {2018: (True, False, False, 7, None), 2019: (False, False, False, None, None),
                       2020: (False, False, False, None, None), 2021: (False, True, False, None, 10)}),
    ("TURNS-23", {2020: (True, False, False, 21, None), 2021: (False, False, False, None, None)}),
    ("AGED-23", {}),
    ("JB-ONLY", {}),
    ("NEW-YEAR", {2020: (True, False, False, 10, None), 2021: (False, True, False, None, 10)}),
    ("BIRTHDAY", {2021: (True, False, False, 10, None), 2022: (False, False, False, None, None)}),
    ("MONTH-ONLY", {2021: (True, True, False, 9, 9)}),  # born 2012-08: the first of the month
])
def test_counting_rules(handmade, client_id, expected):
    paths, _ = handmade
    assert years(paths, client_id) == expected


def test_trajectories_and_care_periods(handmade):
    paths, _ = handmade

    def shape(client_id):
        [(trajecten, perioden, regels)] = query(paths.build_db, """
            SELECT count(*), count(DISTINCT zorgperiode_key), sum(aantal_regels)
            FROM marts.fct_jeugdhulp_traject WHERE client_key = ?""", [client_key(client_id)])
        return trajecten, perioden, regels

    assert shape("OVERLAP") == (2, 1, 2)
    assert shape("NEXT-DAY") == (2, 1, 2)
    assert shape("TWO-DAYS") == (2, 2, 2)
    assert shape("RENEWAL") == (1, 1, 2)
    assert shape("JB-ONLY") == (1, 0, 1)  # in the trajectories, without a care period
    assert query(paths.build_db, "SELECT begindatum, einddatum, duur_dagen, is_lopend FROM marts.fct_jeugdhulp_zorgperiode "
                                 "WHERE client_key = ?", [client_key("RUNNING")]) == [
        (date(2019, 6, 1), None, (date(2022, 12, 31) - date(2019, 6, 1)).days + 1, True)]


def test_small_cells_are_suppressed_and_never_zero(handmade):
    paths, _ = handmade
    cells = {(indeling, groep): (waarde, teller, n, weergave, onderdrukt) for indeling, groep, waarde, teller, n, weergave,
             onderdrukt in query(paths.build_db, """
        SELECT indeling, groep, waarde, teller, n_jeugdigen, weergave, is_onderdrukt FROM marts.rpt_jeugdhulp_jaar
        WHERE jaar = 2022 AND uitkomst = 'jeugdigen'""")}
    # 2022: the twelve in Dorp, RUNNING and BIRTHDAY in Centrum; TURNS-23 is 23 and no longer counted.
    assert cells[("wijk", "WK063702")] == (Decimal("12.0000"), None, 12, "12", False)
    assert cells[("totaal", "totaal")] == (Decimal("14.0000"), None, 14, "14", False)
    assert cells[("wijk", "WK063701")] == (None, None, None, "onderdrukt (minder dan 10 jeugdigen)", True)
    assert all(row[0] is None for row in cells.values() if row[4])
    # A share is suppressed when its teller is small, even with a large noemer: 1 of 14.
    assert query(paths.build_db, "SELECT waarde, teller, noemer, is_onderdrukt FROM marts.rpt_jeugdhulp_jaar "
                                 "WHERE jaar = 2022 AND uitkomst = 'drie_jaar_of_langer' AND indeling = 'totaal'") == [
        (None, None, None, True)]
    # A suppressed total is no indicator value: 2021 has 10 youths, 5 instromers and 7 uitstromers.
    assert query(paths.build_db, "SELECT indicator_code, jaar, waarde FROM marts.fct_indicatorwaarde "
                                 "WHERE indicator_code LIKE 'JH%' ORDER BY ALL") == [
        ("JH_INSTROOM", 2022, Decimal("12.0000")), ("JH_LEEFTIJD_INSTROOM", 2022, Decimal("11.0000")),
        ("JH_LEEFTIJD_UITSTROOM", 2022, Decimal("11.0000")), ("JH_UITSTROOM", 2022, Decimal("12.0000")),
        ("JH_UNIEK", 2021, Decimal("10.0000")), ("JH_UNIEK", 2022, Decimal("14.0000"))]


def test_wmo_budget_per_client_joins_the_ledger_and_the_registration(handmade):
    paths, _ = handmade
    # 2021: W00..W11 (W00 twice); lasten on 6.71 only, without the baten: 120.000 / 12.
    assert query(paths.build_db, "SELECT groep, clienten, lasten_maatwerk, budget_per_client, is_onderdrukt "
                                 "FROM marts.rpt_wmo_jaar WHERE jaar = 2021 ORDER BY groep") == [
        ("begeleiding", None, None, None, True),
        ("huishoudelijke ondersteuning", 10, None, None, False),
        ("totaal", 12, Decimal("120000.00"), Decimal("10000.00"), False),
        ("woningaanpassing", None, None, None, True)]
    assert query(paths.build_db, "SELECT waarde, is_microdata, is_actueel FROM marts.fct_indicatorwaarde "
                                 "WHERE indicator_code = 'WMO_BUDGET_CLIENT'") == [(Decimal("10000.0000"), True, True)]
    # 2020 has clients but no rekening: no budget per client.
    assert query(paths.build_db, "SELECT clienten, budget_per_client FROM marts.rpt_wmo_jaar "
                                 "WHERE jaar = 2020 AND indeling = 'totaal'") == [(None, None)]


def test_a_bsn_in_a_mart_stops_publishing(handmade):
    paths, result = handmade
    failed = {(e.event_specific_data.asset_key.path[-1], e.event_specific_data.check_name)
              for e in result.all_events
              if e.event_type_value == "ASSET_CHECK_EVALUATION" and not e.event_specific_data.passed}
    assert ("fct_jeugdhulp_traject", "geen_bsn") in failed
    assert [check for check in failed if check[1] == "geen_bsn"] == [("fct_jeugdhulp_traject", "geen_bsn")]
    [evaluation] = [e.event_specific_data for e in result.all_events
                    if e.event_type_value == "ASSET_CHECK_EVALUATION"
                    and e.event_specific_data.check_name == "geen_bsn"
                    and e.event_specific_data.asset_key.path[-1] == "fct_jeugdhulp_traject"]
    assert evaluation.metadata["bsn_values"].value == {"reden_einde": {"values": 1, "example": "*****6782"}}
    assert "aanbieder_agb" in evaluation.metadata["columns_skipped"].value
    assert not paths.published_db.exists()


# --- the sample registration -------------------------------------------------------------------------------

def sample_generator():
    spec = importlib.util.spec_from_file_location("sample_registraties", REPO_ROOT / "seeds" / "make_sample_registraties.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_the_sample_figures_match_an_independent_count(published):
    generator = sample_generator()
    folder = SAMPLE_LANDING_DIR / "registraties" / "jeugdhulp"
    exports = [folder / f"jeugdhulp_GM0637_{b.year}-{e.year}_{stamp}.csv" for b, e, stamp in generator.EXPORTS]
    counted = generator.figures(generator.read_exports(exports))
    got = {(jaar, uitkomst): (waarde, teller) for jaar, uitkomst, waarde, teller in query(published, """
        SELECT jaar, uitkomst, waarde, teller FROM rpt_jeugdhulp_jaar WHERE indeling = 'totaal'""")}
    assert {jaar for jaar, _ in got} == set(range(2015, 2025))
    for year, t in counted.items():
        assert got[(year, "jeugdigen")][0] == t["jeugdigen"]
        assert got[(year, "instroom")][0] == t["instroom"]
        assert got[(year, "uitstroom")][0] == t["uitstroom"]
        assert got[(year, "drie_jaar_of_langer")][1] == t["drie"]
        assert float(got[(year, "leeftijd_instroom")][0]) == pytest.approx(t["leeftijd_instroom"], abs=1e-4)
        assert float(got[(year, "leeftijd_uitstroom")][0]) == pytest.approx(t["leeftijd_uitstroom"], abs=1e-4)


def scorecard(published, code: str, year: int) -> tuple:
    return query(published, "SELECT realisatie, realisatie_teller, realisatie_noemer, streefwaarde, doel_gehaald "
                            "FROM rpt_indicator_scorecard WHERE indicator_code = ? AND jaar = ?", [code, year])[0]


def test_the_published_youth_figures_come_from_the_registration(published):
    assert scorecard(published, "JH_UNIEK", 2021)[0] == 4548
    assert scorecard(published, "JH_UNIEK", 2020)[0] == 4437
    assert round(100 * (Decimal(4548) / Decimal(4437) - 1), 1) == Decimal("2.5")
    realisatie, teller, noemer, _, _ = scorecard(published, "JH_3JAAR", 2023)
    assert (teller, noemer, round(realisatie, 1)) == (2261, 4923, Decimal("45.9"))
    for code in ("JH_UNIEK", "JH_3JAAR", "JH_INSTROOM", "JH_UITSTROOM", "JH_LEEFTIJD_INSTROOM", "WMO_BUDGET_CLIENT"):
        assert query(published, "SELECT bool_and(is_microdata) FROM fct_indicatorwaarde WHERE indicator_code = ? "
                                "AND waardetype = 'realisatie' AND is_actueel AND jaar BETWEEN 2019 AND 2024",
                     [code]) == [(True,)], code


def test_2019_is_the_recalculated_share_and_the_typed_history_stays(published):
    assert query(published, """
        SELECT round(waarde, 1), is_microdata, is_actueel FROM fct_indicatorwaarde
        WHERE indicator_code = 'JH_3JAAR' AND jaar = 2019 AND waardetype = 'realisatie'
        ORDER BY is_microdata, peildatum""") == [
        (Decimal("51.2"), False, False), (Decimal("47.8"), False, False), (Decimal("47.8"), True, True)]


def test_the_ages_of_2021_miss_their_targets_as_the_jaarstukken_say(published):
    for code, target in (("JH_LEEFTIJD_INSTROOM", Decimal("10.5")), ("JH_LEEFTIJD_UITSTROOM", Decimal("14.0"))):
        realisatie, _, _, streefwaarde, gehaald = scorecard(published, code, 2021)
        assert (streefwaarde, realisatie > streefwaarde, gehaald) == (target, True, False)
    # Instroom age rose in 2021 (the toelichting: "steeg voor het eerst in een aantal jaar").
    assert scorecard(published, "JH_LEEFTIJD_INSTROOM", 2021)[0] > scorecard(published, "JH_LEEFTIJD_INSTROOM", 2020)[0]


def test_wmo_budget_2021_is_below_its_target_with_fewer_clients(published):
    realisatie, _, _, streefwaarde, gehaald = scorecard(published, "WMO_BUDGET_CLIENT", 2021)
    assert (realisatie <= streefwaarde, gehaald) == (True, True)
    clients = dict(query(published, "SELECT jaar, clienten FROM rpt_wmo_jaar WHERE indeling = 'totaal'"))
    assert clients[2021] < clients[2020]  # "Het aantal cliënten daalt"
    assert scorecard(published, "WMO_BUDGET_CLIENT", 2021)[0] > scorecard(published, "WMO_BUDGET_CLIENT", 2020)[0]


def test_the_two_rejected_sample_exports_are_quarantined(sample_run):
    paths, _ = sample_run
    assert query(paths.loads_db, """
        SELECT file_name, column_name, reason FROM quarantine WHERE source = 'registraties_jeugdhulp'
        ORDER BY file_name""") == [
        ("jeugdhulp_GM0637_2021-2024_20250113.csv", "geboortedatum", "the date of birth lies after the start date 2020-05-30"),
        ("jeugdhulp_GM0637_2021-2024_20250120.csv", "einddatum", "the end date lies before the start date 2021-11-23"),
    ]


def test_no_published_mart_holds_a_value_that_passes_the_elfproef(published):
    from dagster_project.privacy import exempt_columns, scan

    exempt = exempt_columns(DBT_PROJECT_DIR / "target" / "manifest.json")
    with duckdb.connect(str(published), read_only=True) as con:
        tables = [t for (t,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE table_name <> 'publicatie'")]
        scans = [scan(con, table, exempt.get(table), schema="main") for table in tables]
    assert len(scans) == 31 and sum(len(s.columns) for s in scans) > 100
    assert [s.table for s in scans if not s.passed] == []
