"""Two nightly runs in a row: a corrected delivery supersedes the earlier one
with its history kept, and a failing blocking check keeps the last good
release of its mart in place while the others publish."""

from __future__ import annotations

from decimal import Decimal

from .conftest import ledger_line, query, run_nightly, write_csv

TOTALS_HEADER = ("gemeente_code", "jaar", "fase", "uitgaven", "inkomsten")


def totals(uitgaven: str) -> dict:
    return dict(gemeente_code="GM0637", jaar="2021", fase="rekening", uitgaven=uitgaven, inkomsten="497.800.000,00")


def published_run(paths) -> str:
    return query(paths.published_db, "SELECT run_id FROM publicatie")[0][0]


def test_a_corrected_file_supersedes_the_earlier_one_and_history_is_kept(paths, ledger_dir):
    write_csv(ledger_dir / "financien_2021_rekening_20220301.csv",
              [ledger_line(bedrag="-1.000,00"), ledger_line(soort="baten", bedrag="500,00")])
    # The municipal totals folder is unusable: the ledger must still load and publish.
    (paths.landing_dir / "financien" / "gemeentetotalen").write_text("not a folder")
    first = run_nightly(paths)
    assert first.success and published_run(paths) == first.run_id
    assert query(paths.published_db, "SELECT sum(bedrag), count(*) FROM fct_financien") == [(Decimal("-500.00"), 2)]

    write_csv(ledger_dir / "financien_2021_rekening_20220415.csv", [ledger_line(bedrag="-2.000,00")])
    # Re-delivering the first file's content under another name changes nothing.
    (ledger_dir / "financien_2021_rekening_kopie.csv").write_bytes(
        (ledger_dir / "financien_2021_rekening_20220301.csv").read_bytes())
    second = run_nightly(paths)
    assert second.success and published_run(paths) == second.run_id
    assert query(paths.published_db, "SELECT sum(bedrag), count(*), any_value(bron_bestand) FROM fct_financien") == [
        (Decimal("-2000.00"), 1, "financien_2021_rekening_20220415.csv")]
    assert query(paths.build_db, """
        SELECT file_name, line_count, is_current, superseded_by_load_id IS NOT NULL
        FROM intermediate.int_financien__grootboek_deliveries ORDER BY load_id""") == [
        ("financien_2021_rekening_20220301.csv", 2, False, True),
        ("financien_2021_rekening_20220415.csv", 1, True, False),
    ]
    assert query(paths.build_db, "SELECT count(*) FROM raw.financien_grootboek") == [(3,)]


def test_a_failing_blocking_check_keeps_the_last_good_mart(paths, ledger_dir):
    totals_dir = paths.landing_dir / "financien" / "gemeentetotalen"
    write_csv(ledger_dir / "financien_2021_rekening.csv", [ledger_line()])
    write_csv(totals_dir / "gemeentetotalen_1.csv", [totals("-497.800.000,00")], header=TOTALS_HEADER)
    good = run_nightly(paths)
    assert good.success and published_run(paths) == good.run_id

    # A valid-looking correction of the municipal totals makes the programme 6.577.612% of the municipality.
    write_csv(totals_dir / "gemeentetotalen_2.csv", [totals("-1.000,00")], header=TOTALS_HEADER)
    bad = run_nightly(paths)
    failed = [(e.event_specific_data.check_name, e.event_specific_data.severity.value)
              for e in bad.all_events
              if e.event_type_value == "ASSET_CHECK_EVALUATION" and not e.event_specific_data.passed]
    # (Without indicator files the coverage of targets warns too; a warning holds nothing back.)
    assert [check for check in failed if check[1] == "ERROR"] == [("gx_rpt_programma_totalen", "ERROR")]
    assert bad.success and published_run(paths) == bad.run_id
    # The report is rebuilt on the new release, with the held-back header as it was.
    assert bad.run_id in (paths.report_dir / "index.html").read_text(encoding="utf-8")
    assert query(paths.published_db, "SELECT round(aandeel_uitgaven_pct, 2) FROM rpt_programma_totalen") == [
        (Decimal("13.21"),)]
    [(status, run_id, reason)] = query(paths.published_db, "SELECT status, run_id, reden FROM publicatie_mart "
                                                           "WHERE mart = 'rpt_programma_totalen'")
    assert (status, run_id) == ("held back", good.run_id)
    assert reason.startswith("Great Expectations suite rpt_programma_totalen failed: A share of the municipal total "
                             "lies between 0 and 100%; more means the municipal totals are wrong (1 row(s), e.g. ")
    # Held back with it: the reconciliation built from it; every other mart is fresh or, as only the
    # totals were delivered again, unchanged since the good run (the ledger's fact among them).
    assert query(paths.published_db, "SELECT mart FROM publicatie_mart WHERE status NOT IN ('fresh', 'unchanged') "
                                     "ORDER BY 1") == [("rpt_financien_aansluiting",), ("rpt_programma_totalen",)]
    assert query(paths.published_db, "SELECT status, run_id FROM publicatie_mart WHERE mart = 'fct_financien'") == [
        ("unchanged", good.run_id)]
