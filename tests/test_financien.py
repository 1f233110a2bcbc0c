"""End to end: the nightly job on the embedded sample sources reproduces the
published 2021 figures exactly, read from the source document itself."""

from __future__ import annotations

import re
from decimal import Decimal

from dagster_project.settings import REPO_ROOT

from .conftest import query

DOCUMENT = (REPO_ROOT / "seeds" / "documents" / "jaarstukken_2021_programma_2.txt").read_text()


def dutch_int(text: str) -> int:
    return int(text.replace(".", ""))


def published_goal_table() -> list[tuple]:
    """(code, name, baten, lasten, saldo) from "Gerealiseerde baten, lasten en saldo per doelstelling"."""
    table = DOCUMENT.split("Rekening 2021", 1)[1].split("Toelichting financiën", 1)[0]
    rows = re.findall(r"^(.+) \((\d\.\d)\) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+)$", table, re.MULTILINE)
    return sorted((code, name, dutch_int(b), dutch_int(lasten), dutch_int(s)) for name, code, b, lasten, s in rows)


def published_header() -> dict[str, int]:
    """Uitgaven, inkomsten and saldo (x EUR 1.000) from the programme header."""
    return {label.lower(): dutch_int(value)
            for label, value in re.findall(r"^(Uitgaven|Inkomsten|Saldo)\n\n.*\n€ (-?[\d.]+)$", DOCUMENT, re.MULTILINE)}


def published_shares() -> dict[str, str]:
    return dict(re.findall(r"^(Uitgaven|Inkomsten|Saldo)\n\n(.+)%$", DOCUMENT, re.MULTILINE))


def test_the_document_is_read_as_expected():
    assert len(published_goal_table()) == 5
    assert published_header() == {"uitgaven": -110262, "inkomsten": 2654, "saldo": -107608}
    assert published_shares() == {"Uitgaven": "22,15", "Inkomsten": "0,53", "Saldo": "1,80535713509409E+17"}


def test_all_sample_files_load_and_every_check_passes(sample_run):
    paths, result = sample_run
    assert result.success
    evaluations = [e.event_specific_data for e in result.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION"]
    assert len(evaluations) > 50
    # Only the warning that the two rejected sample exports of the jeugdhulp registration were quarantined.
    assert [(c.asset_key.to_user_string(), c.check_name, c.severity.value) for c in evaluations if not c.passed] == [
        ("registraties_jeugdhulp", "no_quarantined_files", "WARN")]
    statuses = query(paths.loads_db, "SELECT source, status, count(*) FROM load_log GROUP BY ALL ORDER BY 1, 2")
    assert statuses == [("cbs_observaties", "loaded", 5), ("cbs_perioden", "loaded", 5),
                        ("enquetes_ceo", "loaded", 6), ("enquetes_omnibus", "loaded", 6),
                        ("enquetes_tevredenheid", "loaded", 6), ("financien_gemeentetotalen", "loaded", 1),
                        ("financien_grootboek", "loaded", 24), ("indicatoren_waarden", "loaded", 4),
                        ("registraties_jeugdhulp", "loaded", 2), ("registraties_jeugdhulp", "quarantined", 2),
                        ("registraties_wmo", "loaded", 1)]


def test_goal_table_2021_reproduces_the_jaarstukken(published):
    rows = query(published, """
        SELECT doelstelling_code, doelstelling_naam, baten_x1000, lasten_x1000, saldo_x1000
        FROM rpt_financien_doelstelling
        WHERE gemeente_code = 'GM0637' AND jaar = 2021 AND fase = 'rekening'
        ORDER BY doelstelling_code, doelstelling_naam""")
    assert rows == published_goal_table()


def test_programme_header_2021_reproduces_the_jaarstukken(published):
    [(uitgaven, inkomsten, saldo, share_uitgaven, share_inkomsten, share_saldo, why)] = query(published, """
        SELECT uitgaven_x1000, inkomsten_x1000, saldo_x1000, round(aandeel_uitgaven_pct, 2),
               round(aandeel_inkomsten_pct, 2), aandeel_saldo_pct, aandeel_saldo_toelichting
        FROM rpt_programma_totalen
        WHERE gemeente_code = 'GM0637' AND jaar = 2021 AND fase = 'rekening' AND programma_code = '2'""")
    assert {"uitgaven": uitgaven, "inkomsten": inkomsten, "saldo": saldo} == published_header()
    shares = published_shares()
    assert f"{share_uitgaven:.2f}".replace(".", ",") == shares["Uitgaven"]
    assert f"{share_inkomsten:.2f}".replace(".", ",") == shares["Inkomsten"]
    # The published saldo share is a division by a zero municipal saldo: not a share, not published.
    assert share_saldo is None and why == "gemeentelijk saldo is 0: een aandeel daarvan bestaat niet"


def test_the_reserve_mutation_is_the_named_difference(published):
    [(res_baten, res_lasten, open_baten, open_lasten, open_saldo, why)] = query(published, """
        SELECT reservemutaties_baten, reservemutaties_lasten, onverklaard_baten, onverklaard_lasten,
               onverklaard_saldo, toelichting
        FROM rpt_financien_aansluiting WHERE jaar = 2021 AND fase = 'rekening'""")
    assert (res_baten, res_lasten) == (Decimal("69000.00"), Decimal("-69000.00"))
    assert (open_baten, open_lasten, open_saldo) == (0, 0, 0)
    assert why == ("De doelstellingentabel bevat reservemutaties die de programmakop niet bevat: "
                   "baten 69, lasten -69 (x € 1.000).")


def test_goal_2_2_is_two_goals_and_the_2025_tree_is_used_from_2025(published):
    names = query(published, """
        SELECT DISTINCT r.jaar >= 2025, r.doelstelling_code, r.doelstelling_naam
        FROM rpt_financien_doelstelling r WHERE r.doelstelling_code = '2.2' ORDER BY ALL""")
    assert names == [
        (False, "2.2", "Bevorderen meedoen aan de samenleving en zelfstandig wonen"),
        (False, "2.2", "Langer zelfstandig wonen"),
        (True, "2.2", "Bevorderen meedoen aan de samenleving en zelfstandig wonen"),
    ]
    assert query(published, "SELECT count(DISTINCT doelstelling_key) FROM dim_doelstelling "
                            "WHERE doelstelling_code = '2.2'") == [(2,)]


def test_every_year_and_phase_of_the_sample_is_in_the_marts(published):
    phases = dict(query(published, "SELECT fase, list(DISTINCT jaar ORDER BY jaar) FROM rpt_programma_totalen "
                                   "GROUP BY fase"))
    assert phases == {"begroting primitief": list(range(2019, 2029)),
                      "begroting na wijziging": list(range(2019, 2026)),
                      "rekening": list(range(2019, 2026))}


def test_the_published_file_holds_only_marts(published):
    tables = {r[0] for r in query(published, "SELECT table_name FROM duckdb_tables()")}
    assert tables == {"dim_doelstelling", "dim_doelstelling_crosswalk", "dim_fase", "dim_gemeente", "dim_jaar",
                      "dim_programma", "dim_taakveld", "dim_taakveld_crosswalk", "fct_financien",
                      "rpt_financien_aansluiting", "rpt_financien_doelstelling", "rpt_financien_vergelijking",
                      "rpt_programma_totalen",
                      "dim_indicator", "dim_bron", "dim_indicator_doelstelling", "fct_indicatorwaarde",
                      "rpt_indicator_scorecard", "rpt_indicator_streefwaarde_dekking", "fct_enquete_respondent",
                      "rpt_enquete_resultaat", "fct_enquete_antwoord",
                      "dim_enquete_vraag", "dim_enquete_antwoord", "dim_enquete_uitkomst", "dim_wijk",
                      "dim_leeftijdsklasse", "dim_productcategorie", "fct_jeugdhulp_traject",
                      "fct_jeugdhulp_zorgperiode", "fct_wmo_voorziening", "rpt_jeugdhulp_jaar", "rpt_wmo_jaar",
                      "dim_cbs_maat", "dim_cbs_regio", "fct_cbs_waarneming", "rpt_cbs_vergelijking",
                      "rpt_cbs_aansluiting", "publicatie", "publicatie_mart"}
    assert query(published, "SELECT DISTINCT schema_name FROM duckdb_tables()") == [("main",)]


def test_the_run_summary_names_files_checks_and_published_marts(sample_run):
    from dagster_project.operations.run import summarise

    paths, result = sample_run
    text, ok = summarise(result, paths)
    assert ok
    assert f"{'financien_grootboek':<26} loaded 24, quarantined 0, unchanged 0" in text
    assert "Checks: " in text and ", 0 failed, 1 warned" in text
    assert "WARN  registraties_jeugdhulp: no_quarantined_files" in text
    assert f"{'registraties_jeugdhulp':<26} loaded 2, quarantined 2, unchanged 0" in text
    assert f"Published: {paths.published_db}" in text
    assert "rpt_financien_doelstelling" in text and f"load log and quarantine: {paths.loads_db}" in text
