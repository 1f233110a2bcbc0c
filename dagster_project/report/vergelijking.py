"""When the warehouse holds more than one gemeente: each indicator's realisaties side by side."""

from __future__ import annotations

from functools import partial

from . import charts, formatting
from .cells import cijfer
from .indicators import SCORECARD, Rij
from .marts import Snapshot
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
