"""Omnibus survey: the De Jong Gierveld scoring (polarity of all 11 items, "min
of meer", the missing-item rule, adults only), weighted percentages with Kish's
effective n, the t interval for means, small-cell suppression, bad input, the
SPSS and CSV routes, and the figures in the scorecard."""

from __future__ import annotations

import math
import os
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pyreadstat
import pytest
from scipy.stats import t as student_t

from dagster_project.ingest.loading import load_source
from dagster_project.sources.enquetes import OMNIBUS

from .conftest import quarantine, query, run_nightly, write_csv
from .test_enquetes_tevredenheid_ceo import wilson

ITEMS = [f"djg_{i}" for i in range(1, 12)]
HEADER = ("gemeente_code", "jaar", "respondent_id", "leeftijd", "geslacht", "wijk", "weegfactor", "gezondheid",
          *ITEMS, "vrijwilligerswerk")
NEGATIVE = {2, 3, 5, 6, 9, 10}  # emotional loneliness: "ja" is the lonely answer
LABELS = {1: "ja!", 2: "ja", 3: "min of meer", 4: "nee", 5: "nee!"}
# Hand-written from the scale's definition, not from the seed: the lonely answers per polarity.
LONELY = {"negatief": {"ja!", "ja", "min of meer"}, "positief": {"min of meer", "nee", "nee!"}}
NOT_LONELY = {i: ("nee!" if i in NEGATIVE else "ja!") for i in range(1, 12)}
LONELY_ANSWER = {i: ("ja!" if i in NEGATIVE else "nee!") for i in range(1, 12)}


def respondent(respondent_id: str, answers: dict[int, str] | None = None, **overrides) -> dict:
    """A 40-year-old who is not lonely on any item, unless `answers` says otherwise; no weight (unweighted)."""
    line = dict(gemeente_code="GM0637", jaar="2025", respondent_id=respondent_id, leeftijd="40", geslacht="vrouw",
                wijk="Dorp", weegfactor="", gezondheid="goed", vrijwilligerswerk="nee")
    line.update({f"djg_{i}": NOT_LONELY[i] for i in range(1, 12)})
    line.update({f"djg_{i}": answer for i, answer in (answers or {}).items()})
    line.update(overrides)
    return line


def polarity_cases() -> list[tuple[dict, int]]:
    """Every answer on every item, the other ten items not lonely: (line, expected score)."""
    cases = []
    for item in range(1, 12):
        polarity = "negatief" if item in NEGATIVE else "positief"
        for code, label in LABELS.items():
            expected = int(label in LONELY[polarity])
            cases.append((respondent(f"P{item:02d}-{code}", {item: label}), expected))
    return cases


# 2025: one respondent per case; 2026: a weighted set with clean numbers.
SCORING_CASES = [
    *polarity_cases(),
    (respondent("ALL-MIN-OF-MEER", {i: "min of meer" for i in range(1, 12)}), 11),
    (respondent("ALL-LONELY", dict(LONELY_ANSWER)), 11),
    # Interview version: only ja / min of meer / nee.
    (respondent("INTERVIEW", {1: "nee", 2: "ja", 3: "nee", 4: "ja", 5: "min of meer", 6: "nee", 7: "nee", 8: "ja",
                              9: "ja", 10: "nee", 11: "ja"}), 5),  # items 1, 2, 5, 7, 9
    # Missing-item rule: one blank item scores 0, two blank items give no score.
    (respondent("ONE-BLANK", {**LONELY_ANSWER, 4: ""}), 10),
    (respondent("TWO-BLANKS", {**LONELY_ANSWER, 4: "", 9: ""}), None),
]
WEIGHTED = [  # (weight, good health, volunteers, loneliness score)
    (1, True, True, 0), (1, True, False, 1), (1, False, False, 2), (1, False, False, 3),
    (1, True, False, 4), (1, False, True, 5), (1, False, False, 6), (1, False, False, 7),
    (2, True, True, 8), (2, True, False, 9), (2, True, False, 10), (2, True, True, 11),
]


def weighted_line(index: int, weight: int, good: bool, volunteers: bool, score: int) -> dict:
    lonely_items = range(1, score + 1)
    return respondent(f"W{index:02d}", {i: LONELY_ANSWER[i] for i in lonely_items}, jaar="2026",
                      weegfactor=str(weight), gezondheid="zeer goed" if good else "gaat wel",
                      vrijwilligerswerk="ja" if volunteers else "nee")


# Small weighted deliveries for the t interval, one year each: (weight, loneliness score).
# 2027: effective n 8,68 (7,68 degrees of freedom), where the exact upper bound rounds to 5,4782 and
# the four-term Cornish-Fisher expansion gave 5,4781.
T_8_68 = [("1,3933", 2), ("0,63", 2), ("2,34", 3), ("0,91", 3), ("2,75", 5), ("1,88", 0), ("1,39", 2), ("1,1", 9),
          ("1,54", 5), ("1,6", 5)]
# 2028: 10 respondents, effective n 16,5^2 / 65,25 = 4,17: below 5 degrees of freedom.
T_4_17 = [("7,5", 1)] + [("1", score) for score in (0, 2, 3, 4, 5, 6, 7, 8, 11)]
# 2029: 10 respondents, effective n 109^2 / 10009 = 1,19: too little weight for any t interval.
T_1_19 = [("100", 1)] + [("1", score) for score in (0, 2, 3, 4, 5, 6, 7, 8, 11)]
# 2030: 16 unweighted respondents, 5 in good health: 31,25%.
HALF_WAY = [("", 0)] * 16


def small_set(year: int, cases: list[tuple[str, int]]) -> list[dict]:
    return [respondent(f"Y{year}-{index:02d}", {i: LONELY_ANSWER[i] for i in range(1, score + 1)}, jaar=str(year),
                       weegfactor=weight, gezondheid="goed" if index < 5 else "slecht")
            for index, (weight, score) in enumerate(cases)]


@pytest.fixture(scope="module")
def handmade(tmp_path_factory):
    """The nightly job on a landing folder with only the hand-made omnibus file.
    The marts are read from the build file: checks on the empty finance and
    indicator sources decide about publishing, not about the survey logic."""
    from dagster_project.settings import WarehousePaths

    root = tmp_path_factory.mktemp("omnibus")
    paths = WarehousePaths(root / "landing", root / "warehouse", root / "warehouse" / "marts.duckdb")
    lines = [line for line, _ in SCORING_CASES]
    lines.append(respondent("MINOR", dict(LONELY_ANSWER), leeftijd="17"))  # not in the 18+ figures
    lines += [weighted_line(i, *case) for i, case in enumerate(WEIGHTED)]
    for year, cases in {2027: T_8_68, 2028: T_4_17, 2029: T_1_19, 2030: HALF_WAY}.items():
        lines += small_set(year, cases)
    write_csv(paths.landing_dir / "enquetes" / "omnibus" / "omnibus_handmade.csv", lines, header=HEADER)
    run_nightly(paths)
    return paths.build_db


# The scored respondents next to their delivery (the build file keeps the respondent number).
SCORED = """
    FROM raw.enquetes_omnibus s
    JOIN intermediate.int_enquetes__omnibus_scored o ON o.respondent_id = s.respondent_id AND o.jaar = s.jaar
"""


def scores(build_db) -> dict[str, int | None]:
    rows = query(build_db, "SELECT s.respondent_id, o.eenzaamheid_score, "
                           "o.emotionele_eenzaamheid + o.sociale_eenzaamheid" + SCORED)
    for respondent_id, score, subscales in rows:
        assert score == subscales, respondent_id
    return {respondent_id: score for respondent_id, score, _ in rows}


def test_the_de_jong_gierveld_polarity_of_all_11_items(handmade):
    got = scores(handmade)
    expected = {line["respondent_id"]: score for line, score in SCORING_CASES}
    assert {k: got[k] for k in expected} == expected
    # Spelled out for two items: a negative item scores on ja, a positive one on nee; min of meer on both.
    assert (got["P02-2"], got["P02-3"], got["P02-4"]) == (1, 1, 0)
    assert (got["P01-2"], got["P01-3"], got["P01-4"]) == (0, 1, 1)


def test_subscales_split_emotional_and_social_items(handmade):
    rows = dict(query(handmade, "SELECT s.respondent_id, "
                                "(o.emotionele_eenzaamheid, o.sociale_eenzaamheid, o.djg_ontbrekende_items)" + SCORED
                      + "WHERE s.respondent_id IN ('ALL-LONELY', 'ONE-BLANK', 'TWO-BLANKS', 'P06-1', 'P07-5')"))
    assert rows == {"ALL-LONELY": (6, 5, 0), "ONE-BLANK": (6, 4, 1), "TWO-BLANKS": (None, None, 2),
                    "P06-1": (1, 0, 0), "P07-5": (0, 1, 0)}


def result(build_db, year: int, outcome: str, indeling: str = "totaal", groep: str = "totaal") -> dict:
    rows = query(build_db, """
        SELECT n_respondenten, n_zonder_antwoord, n_effectief, waarde, ci_ondergrens, ci_bovengrens, is_onderdrukt
        FROM intermediate.int_enquetes__resultaten
        WHERE onderzoek = 'omnibus' AND jaar = ? AND uitkomst = ? AND indeling = ? AND groep = ?""",
                 [year, outcome, indeling, groep])
    assert len(rows) == 1
    keys = ("n", "zonder_antwoord", "n_eff", "waarde", "lower", "upper", "onderdrukt")
    return dict(zip(keys, rows[0], strict=True))


def test_adults_only_and_unscored_respondents_out_of_the_loneliness_figures(handmade):
    scored = [score for _, score in SCORING_CASES if score is not None]
    got = result(handmade, 2025, "eenzaamheid_score")
    # The 17-year-old is outside the population; TWO-BLANKS has no score.
    assert (got["n"], got["zonder_antwoord"]) == (len(scored), 1)
    assert got["n_eff"] == got["n"]  # 2025 came without weights: every respondent counts once
    assert got["waarde"] == pytest.approx(sum(scored) / len(scored))
    assert result(handmade, 2025, "eenzaam")["waarde"] == pytest.approx(
        100 * sum(s >= 3 for s in scored) / len(scored))
    # Health counts every age: the minor is in.
    assert result(handmade, 2025, "gezondheid_goed")["n"] == len(SCORING_CASES) + 1


def test_a_weighted_percentage_and_its_effective_n(handmade):
    # Weights 1 (8x) and 2 (4x): sum 16, sum of squares 24, effective n 16^2/24 = 10.667.
    # Good health: weights 1+1+1+2+2+2+2 = 11 of 16 = 68.75% (unweighted 7 of 12 would be 58.3%).
    got = result(handmade, 2026, "gezondheid_goed")
    assert got["n"] == 12
    assert got["n_eff"] == pytest.approx(256 / 24)
    assert got["waarde"] == pytest.approx(68.75)
    lower, upper = wilson(0.6875, 256 / 24)
    assert (got["lower"], got["upper"]) == (pytest.approx(100 * lower), pytest.approx(100 * upper))
    # Volunteers: weights 1+1+2+2 = 6 of 16.
    assert result(handmade, 2026, "vrijwilligerswerk")["waarde"] == pytest.approx(37.5)


def t_interval(weights: list[float], values: list[float]) -> tuple[float, float, float, float]:
    """Weighted mean, Kish's effective n and the 95% t interval, written out: (mean, n_eff, lower, upper)."""
    total = sum(weights)
    mean = sum(w * x for w, x in zip(weights, values, strict=True)) / total
    n_eff = total ** 2 / sum(w * w for w in weights)
    variance = sum(w * (x - mean) ** 2 for w, x in zip(weights, values, strict=True)) / total * n_eff / (n_eff - 1)
    half = student_t.ppf(0.975, n_eff - 1) * math.sqrt(variance / n_eff)
    return mean, n_eff, mean - half, mean + half


def test_a_weighted_mean_with_its_t_interval(handmade):
    mean, _, lower, upper = t_interval([w for w, *_ in WEIGHTED], [score for *_, score in WEIGHTED])
    got = result(handmade, 2026, "eenzaamheid_score")
    assert mean == 6.5 and got["waarde"] == pytest.approx(6.5)  # (28 + 76) / 16
    assert (got["lower"], got["upper"]) == (pytest.approx(lower, abs=1e-9), pytest.approx(upper, abs=1e-9))


@pytest.mark.parametrize("year, cases, n_eff", [(2027, T_8_68, 8.68), (2028, T_4_17, 4.17)])
def test_the_t_interval_is_exact_at_few_degrees_of_freedom(handmade, year, cases, n_eff):
    mean, expected_n_eff, lower, upper = t_interval([float(w.replace(",", ".")) for w, _ in cases],
                                                    [score for _, score in cases])
    assert round(expected_n_eff, 2) == n_eff
    got = result(handmade, year, "eenzaamheid_score")
    assert (got["n"], got["n_eff"], got["waarde"]) == (10, pytest.approx(expected_n_eff), pytest.approx(mean))
    assert (got["lower"], got["upper"]) == (pytest.approx(lower, abs=1e-9), pytest.approx(upper, abs=1e-9))


def published_cell(build_db, year: int, outcome: str) -> tuple:
    [row] = query(build_db, """
        SELECT n_effectief, waarde, ci_ondergrens, ci_bovengrens, weergave, is_onderdrukt, is_niet_representatief
        FROM marts.rpt_enquete_resultaat
        WHERE onderzoek = 'omnibus' AND jaar = ? AND uitkomst = ? AND indeling = 'totaal'""", [year, outcome])
    return row


def test_the_published_upper_bound_at_8_68_effective_respondents(handmade):
    # Exact: 5,478171 -> 5,4782. The Cornish-Fisher expansion gave 5,478146 -> 5,4781.
    n_eff, _, _, upper, _, _, _ = published_cell(handmade, 2027, "eenzaamheid_score")
    assert (n_eff, upper) == (Decimal("8.7"), Decimal("5.4782"))


def test_no_t_interval_without_a_degree_of_freedom(handmade):
    # 10 respondents, but one carries nearly all the weight: effective n 1,19. No interval, so no figure.
    for outcome in ("eenzaamheid_score", "gezondheid_goed"):
        assert result(handmade, 2029, outcome) == dict(n=None, zonder_antwoord=None, n_eff=None, waarde=None,
                                                       lower=None, upper=None, onderdrukt=True)
        assert published_cell(handmade, 2029, outcome) == (
            None, None, None, None, "onderdrukt (effectieve n kleiner dan 2)", True, True)


def test_weergave_rounds_half_away_from_zero(handmade):
    # 5 of 16 in good health: 31,25%, shown as 31,3% (not 31,2%, the float rounding half to even).
    _, waarde, _, _, weergave, _, _ = published_cell(handmade, 2030, "gezondheid_goed")
    assert (waarde, weergave) == (Decimal("31.2500"), "31,3%")


def test_small_cells_are_suppressed_not_zero(handmade):
    # 2026 has 12 respondents in Dorp and none elsewhere; 2025 has 1 minor (age band 0-17).
    assert result(handmade, 2026, "gezondheid_goed", "wijk", "WK063702")["onderdrukt"] is False
    minor = result(handmade, 2025, "gezondheid_goed", "leeftijdsklasse", "0-17")
    assert minor == dict(n=None, zonder_antwoord=None, n_eff=None, waarde=None, lower=None, upper=None,
                         onderdrukt=True)


def test_every_suppressed_cell_is_niet_representatief(handmade):
    # 2029: 7 outcomes in 3 cells (total, wijk, age band); 2025: the minor's age band in health and volunteering.
    suppressed = 7 * 3 + 2
    assert query(handmade, """
        SELECT count(*), count(*) FILTER (WHERE is_niet_representatief)
        FROM marts.rpt_enquete_resultaat WHERE is_onderdrukt""") == [(suppressed, suppressed)]


def render_macro(file_name: str, call: str, **context) -> str:
    """The SQL a dbt macro file renders for `call`."""
    import jinja2

    macro = (Path(__file__).parents[1] / "dbt" / "macros" / file_name).read_text()
    return jinja2.Environment().from_string(macro + "{{ " + call + " }}").render(**context)


# --- loading -----------------------------------------------------------------------------------

def omnibus_dir(paths):
    return paths.landing_dir / "enquetes" / "omnibus"


@pytest.mark.parametrize("overrides, problem", [
    (dict(djg_3="misschien"),
     (2, "djg_3", "misschien", "not a known answer on the scale djg (seeds/reference/enquete_antwoord_labels.csv)")),
    (dict(gezondheid="prima"),
     (2, "gezondheid", "prima",
      "not a known answer on the scale gezondheid (seeds/reference/enquete_antwoord_labels.csv)")),
    (dict(weegfactor="-1,2"), (2, "weegfactor", "-1,2", "a weight factor is greater than 0")),
    (dict(weegfactor="0"), (2, "weegfactor", "0", "a weight factor is greater than 0")),
    (dict(leeftijd="130"), (2, "leeftijd", "130", "not a valid leeftijd")),
    (dict(wijk="Atlantis"), (2, "wijk", "Atlantis", "not a wijk of this gemeente (seeds/reference/wijken.csv)")),
])
def test_bad_omnibus_input_is_quarantined(paths, overrides, problem):
    write_csv(omnibus_dir(paths) / "omnibus.csv", [respondent("R1", **overrides)], header=HEADER)
    load_source(OMNIBUS, paths)
    assert quarantine(paths) == [problem]


def test_weights_for_every_respondent_or_for_none(paths):
    write_csv(omnibus_dir(paths) / "omnibus_2025.csv", [respondent("R1", weegfactor="1"), respondent("R2")],
              header=HEADER)
    write_csv(omnibus_dir(paths) / "omnibus_2026.csv", [respondent("R1", jaar="2026", weegfactor=""),
                                                        respondent("R2", jaar="2026", weegfactor="-")], header=HEADER)
    assert [f.status for f in load_source(OMNIBUS, paths).files] == ["quarantined", "loaded"]
    assert quarantine(paths) == [
        (3, "weegfactor", None, "missing weight factor, while other respondents of this year have one")]


def test_a_missing_respondent_id_is_quarantined(paths):
    write_csv(omnibus_dir(paths) / "omnibus.csv", [respondent("")], header=HEADER)
    load_source(OMNIBUS, paths)
    assert quarantine(paths) == [(2, "respondent_id", None, "missing value")]


def test_a_duplicate_omnibus_respondent_is_quarantined(paths):
    write_csv(omnibus_dir(paths) / "omnibus.csv", [respondent("R1"), respondent("R1")], header=HEADER)
    load_source(OMNIBUS, paths)
    assert quarantine(paths) == [
        (3, "respondent_id", "R1", "a second line for this respondent in this year (first on line 2)")]


def test_wijk_by_name_or_code_and_blanks_load(paths):
    write_csv(omnibus_dir(paths) / "omnibus.csv", [
        respondent("R1", wijk="buytenwegh/de  leyens"), respondent("R2", wijk="WK063709"),
        respondent("R3", wijk="", geslacht="", gezondheid="", vrijwilligerswerk="", djg_1=""),
    ], header=HEADER)
    assert [f.status for f in load_source(OMNIBUS, paths).files] == ["loaded"]


def test_spss_and_csv_give_the_same_answers(paths):
    lines = [dict(line, weegfactor="1,5") for line, _ in SCORING_CASES[:20]]
    lines += [weighted_line(i, *case) for i, case in enumerate(WEIGHTED)]
    for line in lines:
        line["jaar"] = "2027"
    write_csv(omnibus_dir(paths) / "omnibus_2027.csv", lines, header=HEADER)
    codes = {"djg": {v: k for k, v in LABELS.items()}, "gezondheid": {"zeer goed": 1, "goed": 2, "gaat wel": 3},
             "ja_nee": {"ja": 1, "nee": 2}, "geslacht": {"man": 1, "vrouw": 2}}
    scale = {**{item: "djg" for item in ITEMS}, "gezondheid": "gezondheid", "vrijwilligerswerk": "ja_nee",
             "geslacht": "geslacht"}
    frame = pd.DataFrame(lines)
    for column, name in scale.items():
        frame[column] = frame[column].map(lambda v, name=name: codes[name].get(v)).astype(float)
    frame["jaar"] = 2028.0
    frame["leeftijd"] = frame["leeftijd"].astype(float)
    frame["weegfactor"] = frame["weegfactor"].str.replace(",", ".").astype(float)
    labels = {column: {float(code): label for label, code in codes[name].items()} for column, name in scale.items()}
    pyreadstat.write_sav(frame, omnibus_dir(paths) / "omnibus_2028.sav", variable_value_labels=labels)
    report = load_source(OMNIBUS, paths)
    assert [(f.status, f.rows) for f in report.files] == [("loaded", len(lines)), ("loaded", len(lines))]
    columns = ", ".join(c for c in HEADER if c != "jaar")
    by_route = query(paths.build_db, f"SELECT jaar, list(({columns}) ORDER BY respondent_id) "
                                     "FROM raw.enquetes_omnibus GROUP BY jaar ORDER BY jaar")
    assert by_route[0][1] == by_route[1][1]


# --- the sample run ----------------------------------------------------------------------------

def test_omnibus_indicators_come_from_the_microdata(published):
    # The microdata reproduce the figures of the sample's Jaarstukken deliveries to their published precision.
    delivered = dict(query(published, """
        SELECT indicator_code || jaar, waarde FROM fct_indicatorwaarde
        WHERE indicator_code IN ('EENZAAMHEID', 'GEZONDHEID', 'VRIJWILLIGERS') AND waardetype = 'realisatie'
          AND NOT is_microdata"""))
    rows = query(published, """
        SELECT indicator_code, jaar, realisatie, n_respondenten, n_effectief, ci_ondergrens, ci_bovengrens, bron
        FROM rpt_indicator_scorecard
        WHERE indicator_code IN ('EENZAAMHEID', 'GEZONDHEID', 'VRIJWILLIGERS') AND realisatie IS NOT NULL""")
    assert len(rows) == 18
    for code, year, value, n, n_eff, lower, upper, source in rows:
        decimals = 1 if code == "EENZAAMHEID" else 0
        assert round(value, decimals) == delivered[f"{code}{year}"], (code, year)
        assert 1500 <= n <= 2500 and 0 < n_eff < n and lower < value < upper and source == "Omnibusenquête"


def test_weighted_figures_have_an_effective_n_below_n_and_unweighted_ones_equal(published):
    assert query(published, """
        SELECT onderzoek, bool_and(n_effectief < n_respondenten), bool_and(n_effectief = n_respondenten)
        FROM rpt_enquete_resultaat WHERE NOT is_onderdrukt GROUP BY onderzoek ORDER BY onderzoek""") == [
        ("ceo", False, True), ("inzet", False, True), ("mto", False, True), ("omnibus", True, False)]


def test_published_breakdowns_suppress_small_cells(published):
    suppressed = query(published, """
        SELECT DISTINCT indeling, groep, weergave, waarde, n_respondenten, is_niet_representatief
        FROM rpt_enquete_resultaat WHERE is_onderdrukt""")
    assert suppressed == [("leeftijdsklasse", "0-17", "onderdrukt (minder dan 10 respondenten)", None, None, True)]
    assert query(published, "SELECT min(n_respondenten) >= 10 FROM rpt_enquete_resultaat WHERE waarde IS NOT NULL") \
        == [(True,)]
    # The wijk cells add up to the total (unknown wijk included).
    assert query(published, """
        SELECT count(*) FROM (
            SELECT jaar, uitkomst, sum(n_respondenten) FILTER (WHERE indeling = 'wijk') AS wijken,
                   sum(n_respondenten) FILTER (WHERE indeling = 'totaal') AS totaal
            FROM rpt_enquete_resultaat WHERE onderzoek = 'omnibus' GROUP BY ALL)
        WHERE wijken <> totaal""") == [(0,)]


def test_no_direct_identifiers_or_exact_ages_are_published(published):
    columns = {r[0] for r in query(published, "SELECT DISTINCT column_name FROM duckdb_columns()")}
    assert not columns & {"respondent_id", "leeftijd", "bsn"}


def sample_figures(path) -> dict[str, float]:
    """The weighted omnibus figures of one sample file, recomputed with pandas from the
    delivered text or SPSS labels and the scale's definition, not from the warehouse."""
    import numpy as np

    if path.suffix == ".sav":
        frame, _ = pyreadstat.read_sav(path, apply_value_formats=True)
        frame = frame.astype(object).where(frame.notna(), "").astype(str)
        frame["weegfactor"] = frame["weegfactor"].str.replace(".", ",", regex=False)
    else:
        frame = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False)
    as_number = {**{label: code for code, label in LABELS.items()}, **{str(c): c for c in LABELS}, "": np.nan}
    items = pd.DataFrame({i: frame[f"djg_{i}"].map(as_number) for i in range(1, 12)})
    lonely = sum(((items[i] <= 3) if i in NEGATIVE else (items[i] >= 3)).astype(int) for i in range(1, 12))
    weight = frame["weegfactor"].str.replace(",", ".", regex=False).astype(float)
    scored = (items.isna().sum(axis=1) <= 1) & (frame["leeftijd"].astype(float) >= 18)
    health = frame["gezondheid"].str.replace(".0", "", regex=False)
    volunteer = frame["vrijwilligerswerk"].str.replace(".0", "", regex=False)

    def share(answered, yes):
        return 100 * weight[answered & yes].sum() / weight[answered].sum()

    return {
        "gezondheid_goed": share(health != "", health.isin(["zeer goed", "goed", "1", "2"])),
        "vrijwilligerswerk": share(volunteer != "", volunteer.isin(["ja", "1"])),
        "eenzaamheid_score": (weight * lonely)[scored].sum() / weight[scored].sum(),
        "eenzaam": share(scored, lonely >= 3),
        "ernstig_eenzaam": share(scored, lonely >= 9),
    }


def test_the_sample_figures_match_an_independent_computation(published):
    from dagster_project.settings import SAMPLE_LANDING_DIR

    files = sorted((SAMPLE_LANDING_DIR / "enquetes" / "omnibus").glob("omnibus_*.*"))
    assert {f.suffix for f in files} == {".csv", ".sav"} and len(files) == 6
    for path in files:
        year = int(path.stem.rsplit("_", 1)[1])
        got = dict(query(published, """
            SELECT uitkomst, waarde FROM rpt_enquete_resultaat
            WHERE onderzoek = 'omnibus' AND jaar = ? AND indeling = 'totaal'""", [year]))
        for outcome, value in sample_figures(path).items():
            assert float(got[outcome]) == pytest.approx(value, abs=1e-4), (year, outcome)


def test_respondent_keys_are_keyed_pseudonyms(published):
    import hashlib

    natural_key = "GM0637|ceo|2023|CEO2023-0001"
    keys = {k for (k,) in query(published, "SELECT respondent_key FROM fct_enquete_respondent WHERE jaar = 2023")}
    # Not a plain hash of the guessable respondent number...
    assert hashlib.md5(natural_key.encode()).hexdigest() not in keys
    assert hashlib.sha256(natural_key.encode()).hexdigest() not in keys
    # ...but one with the secret (here the test run's, tests/conftest.py).
    secret = os.environ["WAREHOUSE_PSEUDONIMISERING_SLEUTEL"]
    assert hashlib.sha256(f"{secret}|{natural_key}".encode()).hexdigest() in keys
