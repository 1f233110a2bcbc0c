"""Comparisons: when the warehouse holds more than one gemeente, each indicator's realisaties side by side;
and every own gemeente against Nederland, its size class and its region in CBS open data."""

from __future__ import annotations

import json
from functools import partial

from . import charts, formatting
from .cells import Cijfer, cijfer, tekst
from .indicators import SCORECARD, Rij
from .marts import Row, Snapshot
from .pages import VERGELIJKING, Page, by_key, gemeente_naam

PATH = "vergelijking.html"
MAX_LIJNEN = 10  # more gemeenten than this: the table only, a chart would be unreadable


def gemeenten(snapshot: Snapshot) -> list[str]:
    return sorted({r["gemeente_code"] for r in snapshot.rows(SCORECARD)})


def page(snapshot: Snapshot, renderer: charts.Renderer, start: list[tuple[str, str]]) -> Page:
    scorecard = by_key(snapshot.rows(SCORECARD), "gemeente_code", "indicator_code", "jaar")
    codes = gemeenten(snapshot)
    names = {g: gemeente_naam(snapshot, g) for g in codes}
    blokken = []
    for indicator in snapshot.rows("dim_indicator"):
        code, eenheid = indicator["indicator_code"], indicator.get("eenheid")
        jaren = sorted({j for (g, c, j), r in scorecard.items() if c == code and r.get("realisatie") is not None})
        if not jaren:
            continue
        opmaak = partial(formatting.indicatorwaarde, eenheid=eenheid)
        rijen = [Rij(names[g], [cijfer(scorecard.get((g, code, j)), SCORECARD, "realisatie", opmaak) for j in jaren])
                 for g in codes]
        grafiek = None
        if len(codes) <= MAX_LIJNEN:
            reeksen = {names[g]: [(j, (scorecard.get((g, code, j)) or {}).get("realisatie")) for j in jaren]
                       for g in codes}
            grafiek = renderer.svg(charts.comparison_spec(
                reeksen, list(range(jaren[0], jaren[-1] + 1)), eenheid,
                f"Realisaties van {indicator.get('indicator_naam')} per gemeente, {jaren[0]}-{jaren[-1]}."))
        blokken.append({"indicator": indicator, "jaren": jaren, "rijen": rijen, "grafiek": grafiek})
    return Page(PATH, "vergelijking.html", "Vergelijking van gemeenten", VERGELIJKING, start,
                {"blokken": blokken, "gemeenten": [names[g] for g in codes]})


# --- Comparison with CBS open data (rpt_cbs_vergelijking, rpt_cbs_aansluiting; docs/vergelijking.md) ---------

CBS = "rpt_cbs_vergelijking"
AANSLUITING = "rpt_cbs_aansluiting"
CBS_KEY = ("gemeente_code", "maat_code", "jaar")
EIGEN_KLEUR, ANDER_KLEUR = "#1d4ed8", "#9ca3af"
# The rows of the comparison table: label (with the group's name filled in) and column of rpt_cbs_vergelijking.
GROEPEN = (("{gemeente}", "kengetal"), ("Nederland", "nederland_kengetal"), ("Provincie", "provincie_kengetal"),
           ("{grootteklasse}", "grootteklasse_kengetal"), ("{jeugdhulpregio}", "jeugdhulpregio_kengetal"))


# The chapters of the comparison (cbs_tabellen.csv: hoofdstuk), each a page per own gemeente.
HOOFDSTUKKEN = {"jeugdhulp": "Jeugdhulp", "wmo": "Wmo", "financien": "Financiën"}


def cbs_path(gemeente: str, hoofdstuk: str | None = None) -> str:
    return f"vergelijking-cbs-{gemeente}-{hoofdstuk}.html" if hoofdstuk else f"vergelijking-cbs-{gemeente}.html"


def cbs_gemeenten(snapshot: Snapshot) -> list[str]:
    """The warehouse's own gemeenten that CBS figures are compared for."""
    return sorted({r["gemeente_code"] for r in snapshot.rows(CBS) if r.get("is_eigen_gemeente")})


def _kengetal(row: Row | None, kolom: str) -> Cijfer:
    """A kengetal with its provenance; CBS's `.` for a figure that is missing or secret."""
    if row is not None and row.get(kolom) is None and kolom == "kengetal" and row.get("markering"):
        return tekst(row["markering"])
    return cijfer(row, CBS, kolom, partial(formatting.getal, decimalen=1), keys=CBS_KEY)


def _stand_out(spec: dict, naam: str, eenheid: str) -> dict:
    """The gemeente's own line thick and first in colour, the groups thin; one decimal on the axis."""
    encoding = spec["encoding"]
    encoding["strokeWidth"] = {"condition": {"test": f"datum.gemeente === {json.dumps(naam)}", "value": 3.5},
                               "value": 1.5}
    encoding["y"]["axis"] |= {"title": eenheid, "format": ",.1~f"}
    encoding["shape"] = {**encoding["shape"], "legend": {**encoding["shape"]["legend"], "labelLimit": 320,
                                                         "columns": 3}}
    return spec


def _region_bars(rows: list[Row], gemeente: str, omschrijving: str) -> dict:
    """The region's gemeenten in one year as bars, highest first, the gemeente itself in colour."""
    values = [{"gemeente": r["gemeente_naam"], "kengetal": float(r["kengetal"]),
               "eigen": r["gemeente_code"] == gemeente} for r in rows if r.get("kengetal") is not None]
    return {"description": omschrijving, "width": 560, "height": 220,
            "data": {"values": values}, "mark": {"type": "bar"}, "config": charts.CONFIG,
            "encoding": {
                "x": {"field": "gemeente", "type": "nominal", "title": None, "sort": "-y",
                      "axis": {"labelAngle": -40, "labelLimit": 160}},
                "y": {"field": "kengetal", "type": "quantitative", "title": None, "axis": {"format": ",~f"}},
                "color": {"condition": {"test": "datum.eigen", "value": EIGEN_KLEUR}, "value": ANDER_KLEUR}}}


def _cbs_blok(snapshot: Snapshot, renderer: charts.Renderer, gemeente: str, maten: dict[str, Row], maat: Row,
              rows: dict[int, Row]) -> dict:
    jaren = sorted(rows)
    last = rows[jaren[-1]]
    labels = {"gemeente": last["gemeente_naam"], "grootteklasse": f"Gemeenten {last.get('grootteklasse_naam')}",
              "jeugdhulpregio": last.get("jeugdhulpregio_naam") or "Jeugdhulpregio"}
    tabel = [Rij(label.format(**labels), [_kengetal(rows[j], kolom) for j in jaren],
                 "eigen" if kolom == "kengetal" else "") for label, kolom in GROEPEN]
    tabel.append(Rij("Rang in de jeugdhulpregio", [cijfer(rows[j], CBS, "jeugdhulpregio_rang", formatting.getal,
                                                          keys=CBS_KEY) for j in jaren]))
    tabel.append(Rij("Status CBS", [tekst(rows[j].get("cbs_status") or formatting.LEEG) for j in jaren]))
    eenheid = cbs_eenheid(maten, maat)
    reeksen = {label.format(**labels): [(j, rows[j].get(kolom)) for j in jaren] for label, kolom in GROEPEN}
    lijnen = renderer.svg(_stand_out(charts.comparison_spec(
        reeksen, jaren, "aantal", f"{maat['maat_naam']} {eenheid}: {labels['gemeente']} naast Nederland, "
        f"de provincie, gemeenten van dezelfde grootte en de jeugdhulpregio, {jaren[0]}-{jaren[-1]}."),
        labels["gemeente"], eenheid))
    regio = sorted((r for r in snapshot.rows(CBS) if r["maat_code"] == maat["maat_code"] and r["jaar"] == jaren[-1]
                    and r.get("jeugdhulpregio_code") and r["jeugdhulpregio_code"] == last.get("jeugdhulpregio_code")),
                   key=lambda r: (r.get("jeugdhulpregio_rang") is None, r.get("jeugdhulpregio_rang") or 0))
    regio_rijen = [Rij(r["gemeente_naam"], [_kengetal(r, "kengetal"), cijfer(r, CBS, "jeugdhulpregio_rang",
                                                                             formatting.getal, keys=CBS_KEY)],
                       "eigen" if r["gemeente_code"] == gemeente else "") for r in regio]
    balken = renderer.svg(_region_bars(regio, gemeente, f"{maat['maat_naam']} {eenheid} per gemeente van "
                                                        f"{labels['jeugdhulpregio']}, {jaren[-1]}.")) if regio else None
    return {"maat": maat, "eenheid": eenheid, "jaren": jaren, "tabel": tabel, "lijnen": lijnen,
            "regio_jaar": jaren[-1], "regio": regio_rijen, "balken": balken,
            "herberekend": any(r.get("is_herberekend") for r in rows.values())}


def cbs_eenheid(maten: dict[str, Row], maat: Row) -> str:
    """A count per 1.000 of its denominator (`per 1.000 jongeren ...`), else the measure's own unit
    (`euro per inwoner`)."""
    noemer = maten.get(maat.get("noemer_maat_code"))
    if noemer and maat.get("per_aantal"):
        return f"per {formatting.getal(maat['per_aantal'])} {noemer['maat_naam'].lower()}"
    return maat.get("eenheid") or "aantal"


def _aansluiting(snapshot: Snapshot, gemeente: str, maat_codes: set[str]) -> list[dict]:
    """Per measure with a warehouse counterpart: own figure, CBS's, difference and explanation per year.
    A count in whole numbers; euros per inhabitant with two decimals (CBS's in whole euros)."""
    maten = {m["maat_code"]: m for m in snapshot.rows("dim_cbs_maat")}
    blokken = []
    rows = [r for r in snapshot.rows(AANSLUITING) if r["gemeente_code"] == gemeente and r.get("cbs_waarde") is not None
            and r["maat_code"] in maat_codes]
    for maat_code in sorted({r["maat_code"] for r in rows}):
        per_jaar = {r["jaar"]: r for r in rows if r["maat_code"] == maat_code}
        jaren = sorted(per_jaar)
        maat = maten.get(maat_code, {})
        decimalen = 0 if (maat.get("eenheid") or "aantal") == "aantal" else 2
        cel = partial(cijfer, table=AANSLUITING, opmaak=partial(formatting.getal, decimalen=decimalen), keys=CBS_KEY)
        eigen = "Eigen grootboek (rekening)" if maat.get("taakveld_code") else "Eigen registratie"
        blokken.append({"maat_code": maat_code, "maat_naam": maat.get("maat_naam") or maat_code,
                        "indicator_code": per_jaar[jaren[0]]["indicator_code"], "eenheid": cbs_eenheid(maten, maat),
                        "jaren": jaren, "rijen": [
                            Rij(eigen, [cel(per_jaar[j], kolom="eigen_waarde") for j in jaren]),
                            Rij("CBS", [cel(per_jaar[j], kolom="cbs_waarde") for j in jaren]),
                            Rij("Verschil", [cel(per_jaar[j], kolom="verschil") for j in jaren])],
                        "verklaringen": [(j, per_jaar[j]["verklaring"]) for j in jaren]})
    return blokken


def _per_maat(snapshot: Snapshot, gemeente: str, maten: dict[str, Row]) -> dict[str, dict[int, Row]]:
    """The gemeente's rows of rpt_cbs_vergelijking per measure with a kengetal (a denominator) and year."""
    per_maat: dict[str, dict[int, Row]] = {}
    for row in snapshot.rows(CBS):
        if row["gemeente_code"] == gemeente and maten.get(row["maat_code"], {}).get("noemer_maat_code"):
            per_maat.setdefault(row["maat_code"], {})[row["jaar"]] = row
    return per_maat


def cbs_pages(snapshot: Snapshot, renderer: charts.Renderer, start: list[tuple[str, str]], gemeente: str) -> list[Page]:
    """One gemeente against Nederland, its size class and its jeugdhulpregio: a page per chapter (jeugdhulp, Wmo,
    finance) with each CBS measure with a kengetal and the reconciliation, and an overview that links them."""
    maten = {m["maat_code"]: m for m in snapshot.rows("dim_cbs_maat")}
    per_maat = _per_maat(snapshot, gemeente, maten)
    naam = gemeente_naam(snapshot, gemeente)
    overzicht = cbs_path(gemeente)
    kruimels = start + [(f"{naam} vergeleken (CBS)", overzicht)]
    pages, hoofdstukken = [], []
    for hoofdstuk, titel in HOOFDSTUKKEN.items():
        codes = sorted(c for c in per_maat if maten[c].get("hoofdstuk") == hoofdstuk)
        if not codes:
            continue
        blokken = [_cbs_blok(snapshot, renderer, gemeente, maten, maten[c], per_maat[c]) for c in codes]
        path = cbs_path(gemeente, hoofdstuk)
        pages.append(Page(path, "vergelijking_cbs.html", f"{titel}: {naam} vergeleken (CBS)", VERGELIJKING,
                          kruimels, {"blokken": blokken, "aansluiting": _aansluiting(snapshot, gemeente, set(codes)),
                                     "gemeente": naam, "hoofdstukken": None}))
        hoofdstukken.append({"titel": titel, "path": path, "maten": [maten[c] for c in codes]})
    pages.insert(0, Page(overzicht, "vergelijking_cbs.html", f"{naam} vergeleken (CBS)", VERGELIJKING, start,
                         {"blokken": [], "aansluiting": [], "gemeente": naam, "hoofdstukken": hoofdstukken}))
    return pages


def benchmarks(snapshot: Snapshot, renderer: charts.Renderer, gemeente: str, indicator_codes: list[str]) -> dict:
    """Per indicator of a goal page with a CBS counterpart (cbs_maten.csv: indicator_code): its comparison."""
    maten = {m["maat_code"]: m for m in snapshot.rows("dim_cbs_maat")}
    per_maat = _per_maat(snapshot, gemeente, maten)
    return {maten[c]["indicator_code"]: _cbs_blok(snapshot, renderer, gemeente, maten, maten[c], rows)
            | {"pagina": cbs_path(gemeente, maten[c].get("hoofdstuk"))}
            for c, rows in sorted(per_maat.items()) if maten[c].get("indicator_code") in indicator_codes}
