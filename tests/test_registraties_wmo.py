"""The Wmo maatwerk registration: bad input, unique clients per year and kind of
provision with small cells suppressed, and WMO_BUDGET_CLIENT = maatwerk lasten of
the rekening / clients, on hand-made data and on the sample."""

from __future__ import annotations

from decimal import Decimal

from dagster_project.ingest.loading import load_source
from dagster_project.sources.registraties import WMO

from .conftest import quarantine, query, write_csv
from .registraties_cases import WMO_HEADER, voorziening, wmo_dir
from .test_registraties_jeugdhulp import scorecard


def test_bad_wmo_input_is_quarantined(paths):
    write_csv(wmo_dir(paths) / "wmo.csv", [
        voorziening("W1", productcategorie="15"), voorziening("W2", einddatum="2021-01-01")], header=WMO_HEADER)
    load_source(WMO, paths)
    assert quarantine(paths) == [
        (2, "productcategorie", "15", "not a code of seeds/reference/wmo_productcategorieen.csv"),
        (3, "einddatum", "2021-01-01", "the end date lies before the start date 2021-02-01")]


def test_an_old_client_loads_and_a_birth_year_typed_wrong_is_quarantined(paths):
    write_csv(wmo_dir(paths) / "wmo.csv", [voorziening("W1", geboortedatum="1921-04-30")], header=WMO_HEADER)
    assert [f.status for f in load_source(WMO, paths).files] == ["loaded"]
    write_csv(wmo_dir(paths) / "wmo_2.csv", [voorziening("W1", geboortedatum="1821-04-30")], header=WMO_HEADER)
    load_source(WMO, paths)
    assert quarantine(paths) == [
        (2, "geboortedatum", "1821-04-30", "the year of birth lies outside 1900-2099 (a typing error?)")]


def test_wmo_budget_per_client_joins_the_ledger_and_the_registration(registraties_handmade):
    paths, _ = registraties_handmade
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


def test_wmo_budget_2021_is_below_its_target_with_fewer_clients(published):
    realisatie, _, _, streefwaarde, gehaald = scorecard(published, "WMO_BUDGET_CLIENT", 2021)
    assert (realisatie <= streefwaarde, gehaald) == (True, True)
    clients = dict(query(published, "SELECT jaar, clienten FROM rpt_wmo_jaar WHERE indeling = 'totaal'"))
    assert clients[2021] < clients[2020]  # "Het aantal cliënten daalt"
    assert scorecard(published, "WMO_BUDGET_CLIENT", 2021)[0] > scorecard(published, "WMO_BUDGET_CLIENT", 2020)[0]
