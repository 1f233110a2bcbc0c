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


def cbs_path(gemeente: str) -> str:
    return f"vergelijking-cbs-{gemeente}.html"


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
    noemer = maten.get(maat.get("noemer_maat_code"))
    eenheid = f"per {formatting.getal(maat['per_aantal'])} {noemer['maat_naam'].lower()}" if noemer else "aantal"
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


def _aansluiting(snapshot: Snapshot, gemeente: str) -> list[dict]:
    """Per measure with a warehouse counterpart: own figure, CBS's, difference and explanation per year."""
    blokken = []
    rows = [r for r in snapshot.rows(AANSLUITING) if r["gemeente_code"] == gemeente and r.get("cbs_waarde") is not None]
    for maat_code in sorted({r["maat_code"] for r in rows}):
        per_jaar = {r["jaar"]: r for r in rows if r["maat_code"] == maat_code}
        jaren = sorted(per_jaar)
        cel = partial(cijfer, table=AANSLUITING, opmaak=formatting.getal, keys=CBS_KEY)
        blokken.append({"maat_code": maat_code, "indicator_code": per_jaar[jaren[0]]["indicator_code"],
                        "jaren": jaren, "rijen": [
                            Rij("Eigen registratie", [cel(per_jaar[j], kolom="eigen_waarde") for j in jaren]),
                            Rij("CBS", [cel(per_jaar[j], kolom="cbs_waarde") for j in jaren]),
                            Rij("Verschil", [cel(per_jaar[j], kolom="verschil") for j in jaren])],
                        "verklaringen": [(j, per_jaar[j]["verklaring"]) for j in jaren]})
    return blokken


def cbs_page(snapshot: Snapshot, renderer: charts.Renderer, start: list[tuple[str, str]], gemeente: str) -> Page:
    """One gemeente against Nederland, its size class and its jeugdhulpregio, per CBS measure with a kengetal."""
    maten = {m["maat_code"]: m for m in snapshot.rows("dim_cbs_maat")}
    per_maat: dict[str, dict[int, Row]] = {}
    for row in snapshot.rows(CBS):
        if row["gemeente_code"] == gemeente and maten.get(row["maat_code"], {}).get("noemer_maat_code"):
            per_maat.setdefault(row["maat_code"], {})[row["jaar"]] = row
    blokken = [_cbs_blok(snapshot, renderer, gemeente, maten, maten[code], rows)
               for code, rows in sorted(per_maat.items())]
    naam = gemeente_naam(snapshot, gemeente)
    return Page(cbs_path(gemeente), "vergelijking_cbs.html", f"{naam} vergeleken (CBS)", VERGELIJKING, start,
                {"blokken": blokken, "aansluiting": _aansluiting(snapshot, gemeente), "gemeente": naam})
