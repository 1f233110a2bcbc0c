"""Satisfaction surveys (inZet, MTO): the 7.5 rule, n and the Wilson interval,
the SPSS and CSV routes, bad input, and the figures in the scorecard."""

from __future__ import annotations

import math
from decimal import Decimal

import pandas as pd
import pyreadstat
import pytest
from scipy.stats import norm

from dagster_project.ingest.loading import load_source
from dagster_project.sources.enquetes import TEVREDENHEID

from .conftest import quarantine, query, write_csv

HEADER = ("gemeente_code", "onderzoek", "jaar", "respondent_id", "cijfer")


def respondent(respondent_id="R1", cijfer="7,5", **overrides) -> dict:
    line = dict(gemeente_code="GM0637", onderzoek="inzet", jaar="2023", respondent_id=respondent_id, cijfer=cijfer)
    line.update(overrides)
    return line


def survey_dir(paths):
    return paths.landing_dir / "enquetes" / "tevredenheid"


def wilson(p: float, n: float) -> tuple[float, float]:
    """The 95% Wilson score interval for a proportion p from n observations, textbook formula."""
    z = norm.ppf(0.975)
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def test_the_reference_formula_gives_newcombes_example():
    # Newcombe (1998), Statistics in Medicine 17:857-872, example: 81 of 263 gives 0.2553 to 0.3662.
    lower, upper = wilson(81 / 263, 263)
    assert (round(lower, 4), round(upper, 4)) == (0.2553, 0.3662)


@pytest.mark.parametrize("line, problem", [
    (respondent(cijfer="11"), (2, "cijfer", "11", "a grade lies between 1 and 10")),
    (respondent(cijfer="0,5"), (2, "cijfer", "0,5", "a grade lies between 1 and 10")),
    (respondent(respondent_id=""), (2, "respondent_id", None, "missing value")),
    (respondent(onderzoek="ceo"), (2, "onderzoek", "ceo", "not a valid onderzoek")),
    (respondent(cijfer="goed"), (2, "cijfer", "goed", "not a valid number")),
])
def test_bad_survey_input_is_quarantined(paths, line, problem):
    write_csv(survey_dir(paths) / "inzet.csv", [line], header=HEADER)
    load_source(TEVREDENHEID, paths)
    assert quarantine(paths) == [problem]


def test_a_duplicate_respondent_is_quarantined(paths):
    write_csv(survey_dir(paths) / "inzet.csv", [respondent(), respondent(cijfer="8")], header=HEADER)
    load_source(TEVREDENHEID, paths)
    assert quarantine(paths) == [
        (3, "respondent_id", "R1", "a second line for this respondent in this survey and year (first on line 2)")]


def test_spss_and_csv_give_the_same_respondents(paths, tmp_path):
    grades = [7.5, 7.4, 8.0, None, 10.0, 1.0, 6.25]
    ids = [f"R{i}" for i in range(len(grades))]
    write_csv(survey_dir(paths) / "inzet_2023.csv",
              [respondent(i, "" if g is None else str(g).replace(".", ",")) for i, g in zip(ids, grades, strict=True)],
              header=HEADER)
    frame = pd.DataFrame({"gemeente_code": "GM0637", "onderzoek": 1.0, "jaar": 2024.0, "respondent_id": ids,
                          "cijfer": grades})
    pyreadstat.write_sav(frame, survey_dir(paths) / "inzet_2024.sav",
                         variable_value_labels={"onderzoek": {1.0: "inzet", 2.0: "mto"}})
    report = load_source(TEVREDENHEID, paths)
    assert [(f.status, f.rows) for f in report.files] == [("loaded", 7), ("loaded", 7)]
    by_route = query(paths.build_db, "SELECT jaar, list((respondent_id, cijfer) ORDER BY respondent_id) "
                                     "FROM raw.enquetes_tevredenheid GROUP BY jaar ORDER BY jaar")
    assert by_route[0][1] == by_route[1][1]
    assert query(paths.build_db, "SELECT DISTINCT onderzoek FROM raw.enquetes_tevredenheid") == [("inzet",)]


def test_satisfied_is_exactly_7_5_or_more(published):
    assert query(published, "SELECT cijfer, bool_and(is_tevreden), bool_or(is_tevreden) FROM fct_enquete_respondent "
                            "WHERE cijfer IN (7.4, 7.5) GROUP BY cijfer ORDER BY cijfer") == [
        (Decimal("7.4000"), False, False), (Decimal("7.5000"), True, True)]


def test_figures_carry_n_and_the_wilson_interval(published):
    rows = query(published, "SELECT onderzoek, jaar, n_positief, n_respondenten, n_zonder_antwoord, waarde, "
                            "ci_ondergrens, ci_bovengrens FROM rpt_enquete_resultaat "
                            "WHERE onderzoek <> 'omnibus' ORDER BY ALL")
    assert len(rows) == 6 + 6 * 9  # inZet and MTO 3 years each; CEO 6 years × 9 statements
    for survey, year, satisfied, n, missing, value, lower, upper in rows:
        expected_lower, expected_upper = wilson(satisfied / n, n)
        assert float(value) == pytest.approx(100 * satisfied / n, abs=1e-4), (survey, year)
        assert float(lower) == pytest.approx(100 * expected_lower, abs=1e-3)
        assert float(upper) == pytest.approx(100 * expected_upper, abs=1e-3)
        assert missing > 0  # respondents without a grade are not in n


def test_microdata_figures_reach_the_scorecard_and_win_over_copied_figures(published):
    assert query(published, """
        SELECT realisatie, n_respondenten, ci_ondergrens < realisatie AND realisatie < ci_bovengrens,
               niet_representatief, doel_gehaald
        FROM rpt_indicator_scorecard WHERE indicator_code = 'INZET_TEVREDEN' AND jaar = 2022""") == [
        (Decimal("78.0000"), 300, True, False, False)]
    assert query(published, """
        SELECT is_microdata, is_actueel FROM fct_indicatorwaarde
        WHERE indicator_code = 'INZET_TEVREDEN' AND jaar = 2022 AND waardetype = 'realisatie'
        ORDER BY is_microdata""") == [(False, False), (True, True)]
    # MTO microdata exist from 2022, the MTO indicator only from 2025: the figures stay in rpt_enquete_resultaat.
    assert query(published, "SELECT count(*) FROM fct_indicatorwaarde WHERE indicator_code = 'MTO_TEVREDEN' "
                            "AND waardetype = 'realisatie'") == [(0,)]


# --- Wmo CEO ---------------------------------------------------------------------------------

CEO_HEADER = ("gemeente_code", "jaar", "respondent_id", "wist_waar", "snel_geholpen", "serieus_genomen",
              "samen_oplossingen", "kwaliteit_goed", "past_bij_hulpvraag", "beter_dingen_doen", "beter_redden",
              "betere_kwaliteit_van_leven")


def ceo_line(respondent_id="C1", answer="mee eens", **overrides) -> dict:
    line = {c: answer for c in CEO_HEADER[3:]}
    line.update(gemeente_code="GM0637", jaar="2023", respondent_id=respondent_id, **overrides)
    return line


def test_ceo_answers_as_codes_labels_and_blanks(paths):
    from dagster_project.sources.enquetes import CEO

    write_csv(paths.landing_dir / "enquetes" / "ceo" / "ceo.csv", [
        ceo_line("C1", "Helemaal mee eens"), ceo_line("C2", "2"), ceo_line("C3", "weet niet / n.v.t."),
        ceo_line("C4", "n.v.t."), ceo_line("C5", ""), ceo_line("C6", "-"),
    ], header=CEO_HEADER)
    assert [f.status for f in load_source(CEO, paths).files] == ["loaded"]
    assert query(paths.build_db, "SELECT respondent_id, past_bij_hulpvraag FROM raw.enquetes_ceo ORDER BY 1") == [
        ("C1", 1), ("C2", 2), ("C3", 6), ("C4", 6), ("C5", None), ("C6", None)]


def test_an_unknown_ceo_answer_is_quarantined(paths):
    from dagster_project.sources.enquetes import CEO

    write_csv(paths.landing_dir / "enquetes" / "ceo" / "ceo.csv", [ceo_line(past_bij_hulpvraag="misschien")],
              header=CEO_HEADER)
    load_source(CEO, paths)
    assert quarantine(paths) == [
        (2, "past_bij_hulpvraag", "misschien",
         "not a known answer on the scale eens_oneens (seeds/reference/enquete_antwoord_labels.csv)")]


def test_ceo_2023_published_78_percent_comes_from_the_microdata(published):
    assert query(published, """
        SELECT realisatie, n_respondenten, niet_representatief FROM rpt_indicator_scorecard
        WHERE indicator_code = 'CEO_PAST' AND jaar = 2023""") == [(Decimal("78.0000"), 300, False)]
    assert query(published, "SELECT bron_document FROM fct_indicatorwaarde WHERE indicator_code = 'CEO_PAST' "
                            "AND jaar = 2023 AND waardetype = 'realisatie' AND is_actueel") == [
        ("Microdata ceo 2023 (past_bij_hulpvraag)",)]


def test_weet_niet_and_blanks_are_out_of_the_ceo_denominator(published):
    # 2023 came as an SPSS file with value labels: every respondent is there, also those with blanks.
    [(respondents, valid, agree, weet_niet)] = query(published, """
        SELECT count(*), count(*) FILTER (WHERE is_geldig), count(*) FILTER (WHERE is_positief),
               count(*) FILTER (WHERE antwoord_code = 6)
        FROM fct_enquete_antwoord WHERE onderzoek = 'ceo' AND jaar = 2023 AND vraag = 'past_bij_hulpvraag'""")
    assert (respondents, valid, agree) == (320, 300, 234) and weet_niet > 0
    assert query(published, "SELECT n_respondenten, n_zonder_antwoord, n_positief FROM rpt_enquete_resultaat "
                            "WHERE onderzoek = 'ceo' AND jaar = 2023 AND uitkomst = 'past_bij_hulpvraag'") == [
        (300, 20, 234)]


def test_the_low_ceo_response_of_2021_is_flagged(published):
    assert query(published, "SELECT n_respondenten, niet_representatief FROM rpt_indicator_scorecard "
                            "WHERE indicator_code = 'CEO_PAST' AND jaar = 2021") == [(50, True)]
