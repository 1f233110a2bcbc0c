"""Hand-made registration deliveries shared by the registration and privacy tests:
line builders, the hand-computed jeugdhulp cases, a Wmo export and a ledger for
the budget per client."""

from __future__ import annotations

from pathlib import Path

import duckdb

from dagster_project.sources.registraties import JEUGDHULP, WMO
from dagster_project.transform.connection import set_pseudonym_secret

from .conftest import ledger_line, write_csv
from .test_enquetes_omnibus import render_macro

HEADER = JEUGDHULP.column_names
WMO_HEADER = WMO.column_names
BSN = "123456782"  # passes the elfproef (the domain brief's example)
BSN_8 = "12345672"  # 8 digits: with the leading zero, 012345672 passes the elfproef
BSN_REASON = "a BSN (burgerservicenummer: 9 digits that pass the elfproef) where a pseudonymised number belongs"
BSN_8_REASON = ("a BSN (burgerservicenummer: 8 digits that pass the elfproef with a leading zero: a BSN whose first 0 "
                "was dropped) where a pseudonymised number belongs")


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
    """The keyed pseudonym the models give a client number (the test run's secret, tests/conftest.py)."""
    sql = render_macro("pseudonym.sql", f"pseudonym(['g', \"'{registratie}'\", 'c'])")
    with duckdb.connect() as con:
        set_pseudonym_secret(con)
        return con.execute(f"SELECT {sql} FROM (SELECT 'GM0637' AS g, ? AS c)", [client_id]).fetchone()[0]


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


def write_handmade(paths) -> None:
    """The hand-made cases, a Wmo export with 12 clients in 2021 and a 2021 ledger."""
    write_csv(jeugdhulp_dir(paths) / "jeugdhulp.csv", CASES, header=HEADER)
    write_csv(wmo_dir(paths) / "wmo.csv", [
        *[voorziening(f"W{n:02d}", productcategorie="01" if n < 10 else "13") for n in range(12)],
        voorziening("W00", "2021-03-01", "", productcategorie="02"),  # a second provision: one client
        voorziening("W-2020", "2020-02-01", "2020-12-31"),  # not a 2021 client
    ], header=WMO_HEADER)
    wonen = dict(doelstelling_code="2.2", doelstelling_naam="Langer zelfstandig wonen", taakveld_code="6.71")
    write_csv(paths.landing_dir / "financien" / "grootboek" / "financien_2021_rekening.csv", [
        ledger_line(**wonen, kostenplaats="Huishoudelijke hulp", bedrag="-100.000,00"),
        ledger_line(**wonen, kostenplaats="Woonvoorzieningen", bedrag="-20.000,00"),
        ledger_line(**wonen, kostenplaats="Eigen bijdrage Wmo", soort="baten", bedrag="15.000,00"),
        ledger_line(**{**wonen, "taakveld_code": "6.2"}, kostenplaats="Wijkteam", bedrag="-50.000,00"),
    ])
