"""The jeugdhulp registration end to end: the contract and its bad input,
supersession of exports day by day, the CBS counting rules on hand-computed cases
(both sides of the gap rule, the year boundary, the age limit), suppression, and
the published figures of the sample registration."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from dagster_project.ingest.loading import load_source
from dagster_project.settings import DBT_PROJECT_DIR, REPO_ROOT, SAMPLE_LANDING_DIR, WarehousePaths
from dagster_project.sources.registraties import JEUGDHULP, WMO
from dagster_project.transform.connection import write_run_settings

from .conftest import quarantine, query, write_csv
from .registraties_cases import HEADER, client_key, jeugdhulp_dir, traject


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
    (traject(einddatum="2021-01-31"),
     (2, "einddatum", "2021-01-31", "the end date lies before the start date 2021-02-01")),
    (traject(begindatum="2023-01-02", einddatum=""),
     (2, "begindatum", "2023-01-02 - ",
      "no day of this line lies in the period of the export, 2018-01-01 - 2022-12-31")),
    (traject(begindatum="2016-01-01", einddatum="2017-12-31"),
     (2, "begindatum", "2016-01-01 - 2017-12-31",
      "no day of this line lies in the period of the export, 2018-01-01 - 2022-12-31")),
    (traject(periode_einde="2017-12-31", begindatum="2017-02-01", einddatum="2017-03-01"),
     (2, "periode_einde", "2018-01-01 - 2017-12-31", "the period of the export ends before it begins")),
    (traject(geboortedatum=""), (2, "geboortedatum", None, "missing date of birth")),
    (traject(geboortemaand="2010-07"),
     (2, "geboortedatum", "2010-06-15 / 2010-07", "geboortedatum and geboortemaand disagree")),
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


# --- supersession of exports -------------------------------------------------------------------------------

def dbt_build(paths: WarehousePaths, select: str, tmp: Path) -> None:
    """Load both registrations and build `select` (and what it needs) with dbt into the build file."""
    load_source(JEUGDHULP, paths)
    load_source(WMO, paths)
    write_run_settings(tmp / "target", paths.build_db)
    dbt = Path(sys.executable).parent / "dbt"
    subprocess.run([str(dbt), "build", "--select", select, "--indirect-selection", "cautious",
                    "--profiles-dir", str(DBT_PROJECT_DIR),
                    "--target-path", str(tmp / "target"), "--log-path", str(tmp / "logs"), "--quiet"],
                   cwd=DBT_PROJECT_DIR, check=True)


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
        traject("SAMEDAY", "2020-03-01", ""),
    ])
    export("b_2021-2022.csv", paths, "2021-01-01", "2022-12-31", [
        traject("ACROSS", "2019-06-01", "2022-03-31", aanbieder_agb="73000001"),
        traject("EARLY", "2016-04-01", ""),
        # Cut off at this export's first day, where a second line of the same provider and form starts.
        traject("SAMEDAY", "2020-03-01", "2021-06-30"),
        traject("SAMEDAY", "2021-01-01", "2021-02-28"),
    ])
    export("c_2018-2020_correctie.csv", paths, "2018-01-01", "2020-12-31", [
        traject("ACROSS", "2019-06-01", ""),
        traject("STOPPED", "2019-06-01", ""),
        traject("CORRECTED", "2019-01-01", "2019-08-31"),
        traject("EARLY", "2016-04-01", ""),
        traject("SAMEDAY", "2020-03-01", ""),
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
        FROM intermediate.int_registraties__geldigheid g
        JOIN intermediate.int_registraties__leveringen l USING (load_id)
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
    # Glued across the boundary although another line starts on the day the cut-off piece does.
    ("SAMEDAY", [(date(2020, 3, 1), date(2021, 6, 30))]),
])
def test_a_later_export_replaces_the_days_it_covers(superseded, client_id, expected):
    assert [(b, e) for b, e, _ in trajectories(superseded, client_id)] == expected


def test_years_are_counted_only_where_the_exports_cover_them_in_full(superseded):
    years = query(superseded.build_db, "SELECT list(jaar ORDER BY jaar) "
                                       "FROM intermediate.int_registraties__telbare_jaren "
                                       "WHERE registratie = 'jeugdhulp'")
    assert years == [([2018, 2019, 2020, 2021, 2022],)]


# --- the counting rules, hand-computed ---------------------------------------------------------------------

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
def test_counting_rules(registraties_handmade, client_id, expected):
    paths, _ = registraties_handmade
    assert years(paths, client_id) == expected


def test_trajectories_and_care_periods(registraties_handmade):
    paths, _ = registraties_handmade

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
    running = query(paths.build_db, "SELECT begindatum, einddatum, duur_dagen, is_lopend FROM "
                                    "marts.fct_jeugdhulp_zorgperiode WHERE client_key = ?", [client_key("RUNNING")])
    assert running == [(date(2019, 6, 1), None, (date(2022, 12, 31) - date(2019, 6, 1)).days + 1, True)]


def test_small_cells_are_suppressed_and_never_zero(registraties_handmade):
    paths, _ = registraties_handmade
    rows = query(paths.build_db, """
        SELECT indeling, groep, waarde, teller, n_jeugdigen, weergave, is_onderdrukt FROM marts.rpt_jeugdhulp_jaar
        WHERE jaar = 2022 AND uitkomst = 'jeugdigen'""")
    cells = {(indeling, groep): tuple(figures) for indeling, groep, *figures in rows}
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


# --- the sample registration -------------------------------------------------------------------------------

def sample_generator():
    path = REPO_ROOT / "seeds" / "generators" / "registraties.py"
    spec = importlib.util.spec_from_file_location("sample_registraties", path)
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


def test_the_two_rejected_sample_exports_are_quarantined(sample_run):
    paths, _ = sample_run
    assert query(paths.loads_db, """
        SELECT file_name, column_name, reason FROM quarantine WHERE source = 'registraties_jeugdhulp'
        ORDER BY file_name""") == [
        ("jeugdhulp_GM0637_2021-2024_20250113.csv", "geboortedatum",
         "the date of birth lies after the start date 2020-05-30"),
        ("jeugdhulp_GM0637_2021-2024_20250120.csv", "einddatum", "the end date lies before the start date 2021-11-23"),
    ]
