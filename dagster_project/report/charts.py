"""Trend charts, rendered to inline SVG at build time (Vega-Lite through vl-convert:
no browser, no network, no script in the page).

A chart shows what the marts hold for one indicator: the realisaties as a
line, the 95% interval of a survey figure as a band, a realisatie from too
few respondents as an open circle marked "n.r.", and the streefwaarden
(begroting or prognose) as separate markers.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

import vl_convert

from . import formatting, formulas

VEGA_LITE_VERSION = "6.4"
REALISATIE, BEGROTING, PROGNOSE = "Realisatie", "Streefwaarde", "Prognose"
KLEUREN = {REALISATIE: "#1d4f91", BEGROTING: "#c2410c", PROGNOSE: "#7c3aed"}
VORMEN = {REALISATIE: "circle", BEGROTING: "diamond", PROGNOSE: "triangle-up"}
# Vega's d3-format with Dutch separators; `~` drops trailing zeros on the axis.
AS_FORMAAT = {"percentage": ",.1~f", "aantal": ",.0f", "euro": ",.0f", "score_0_11": ",.1~f", "leeftijd": ",.1~f"}
AS_TITEL = {"aantal": "aantal", "score_0_11": "score (0-11)", "leeftijd": "leeftijd"}  # % and € are on the labels
# What an inline chart must never contain: it is put in the page as is.
UNSAFE = re.compile(r"<script|<foreignObject|\son[a-z]+\s*=|javascript:|href=\"(?!#)", re.IGNORECASE)
ARIA = re.compile(r'\s(?:role|aria-[a-z]+)="[^"]*"')
NL_LOCALE = {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["€ ", ""]}


@dataclass(frozen=True)
class Punt:
    """One year of an indicator as the scorecard holds it."""

    jaar: int
    realisatie: Decimal | None = None
    ci_ondergrens: float | None = None
    ci_bovengrens: float | None = None
    niet_representatief: bool = False
    streefwaarde: Decimal | None = None
    streefwaarde_type: str | None = None


def _number(value) -> float | None:
    return None if value is None else float(value)


def _extent(values: list[dict]) -> list[float]:
    """Every number a chart draws: values and interval bounds (zero when it draws none)."""
    return [v[k] for v in values for k in ("waarde", "onder", "boven") if v.get(k) is not None] or [0.0]


def _values(punten: list[Punt]) -> list[dict]:
    """Long format: one row per year and series, so that one legend covers them all."""
    rows = []
    for p in punten:
        if p.realisatie is not None:
            rows.append({"jaar": p.jaar, "reeks": REALISATIE, "waarde": _number(p.realisatie),
                         "onder": _number(p.ci_ondergrens), "boven": _number(p.ci_bovengrens),
                         "nr": bool(p.niet_representatief)})
        if p.streefwaarde is not None:
            reeks = PROGNOSE if p.streefwaarde_type == "prognose" else BEGROTING
            rows.append({"jaar": p.jaar, "reeks": reeks, "waarde": _number(p.streefwaarde),
                         "onder": None, "boven": None, "nr": False})
    return rows


# Counts and amounts from zero, so that 4.437 against 4.548 does not look like a leap; a percentage,
# score or age is read as a level, on an axis around its values.
VANAF_NUL = ("aantal", "euro")
LEGENDA = {"orient": "bottom", "direction": "horizontal"}
# No ARIA attributes of Vega's own (English, unrounded): the figure is one image with a label,
# and its numbers are in the table next to it.
CONFIG = {"aria": False, "font": "Liberation Sans, Arial, Helvetica, sans-serif", "view": {"stroke": None},
          "axis": {"labelFontSize": 12, "titleFontSize": 12, "grid": True, "gridColor": "#e5e7eb"},
          "legend": {"labelFontSize": 12}}


MAX_TICKS = 6
# The least an axis that does not start at zero spans, in the unit: percentage points, score or years.
MIN_SPAN = {"percentage": 10.0, "score_0_11": 1.0, "leeftijd": 1.0}


def ticks(values: list[float], eenheid: str) -> list[float]:
    """The value axis's ticks: a round step (1, 2 or 5 times a power of ten) no finer than the unit's last
    decimal, so that no two labels read the same (never 1.500 / 1.501 / 1.501), from zero for counts and
    amounts (4.437 against 4.548 is no leap), around the values for a percentage, score or age."""
    decimals = formatting.INDICATOR_DECIMALEN.get(eenheid, 1)
    low, high = min(values), max(values)
    if eenheid in VANAF_NUL:
        low, high = min(low, 0.0), max(high, 0.0)
    elif high - low < MIN_SPAN.get(eenheid, 1):  # 45,9% against 46,0% fills no chart from top to bottom
        middle, half = (low + high) / 2, MIN_SPAN.get(eenheid, 1) / 2
        low, high = middle - half, middle + half
        if eenheid == "percentage" and min(values) >= 0 and max(values) <= 100:  # kept within 0-100%
            shift = max(-low, 0.0) - max(high - 100.0, 0.0)
            low, high = low + shift, high + shift
    step = Decimal(1).scaleb(-decimals)
    while True:
        for factor in (1, 2, 5):
            size = float(step * factor)
            first, last = math.floor(low / size + 1e-9), math.ceil(high / size - 1e-9)
            last = max(last, first + 1)
            if last - first <= MAX_TICKS - 1:
                return [round(i * size, decimals) for i in range(first, last + 1)]
        step *= 10


def _y(field: str, eenheid: str, waarden: list[float]) -> dict:
    """The value axis: Dutch number format, % or € on the labels, ticks as `ticks` chooses them."""
    label = {"percentage": "datum.label + '%'", "euro": "'€ ' + datum.label"}.get(eenheid, "datum.label")
    values = ticks(waarden, eenheid)
    return {"field": field, "type": "quantitative", "scale": {"domain": [values[0], values[-1]], "nice": False},
            "axis": {"title": AS_TITEL.get(eenheid), "format": AS_FORMAAT.get(eenheid, ",.1~f"), "labelExpr": label,
                     "values": values}}


def _chart(omschrijving: str, values: list[dict], jaren: list[int], **body) -> dict:
    return {"description": omschrijving, "width": 560, "height": 220, "data": {"values": values},
            **body, "config": CONFIG} | {
        "encoding": {"x": {"field": "jaar", "type": "ordinal", "title": None, "scale": {"domain": jaren},
                           "axis": {"labelAngle": 0}}, **body.get("encoding", {})}}


def spec(punten: list[Punt], jaren: list[int], eenheid: str, omschrijving: str) -> dict:
    """The Vega-Lite specification of one trend chart over `jaren`."""
    values = _values(punten)
    reeksen = [r for r in (REALISATIE, BEGROTING, PROGNOSE) if any(v["reeks"] == r for v in values)]
    kleuren = {"domain": reeksen, "range": [KLEUREN[r] for r in reeksen]}
    kleur = {"field": "reeks", "type": "nominal", "title": None, "scale": kleuren, "legend": LEGENDA}
    vorm = {"field": "reeks", "type": "nominal", "title": None,
            "scale": {"domain": reeksen, "range": [VORMEN[r] for r in reeksen]}}
    realisatie = {"filter": f"datum.reeks === '{REALISATIE}'"}
    y = partial(_y, eenheid=eenheid, waarden=_extent(values))
    return _chart(omschrijving, values, jaren, layer=[
        {"transform": [realisatie, {"filter": "datum.onder != null"}],
         "mark": {"type": "area", "opacity": 0.18, "color": KLEUREN[REALISATIE]},
         "encoding": {"y": y("onder"), "y2": {"field": "boven"}}},
        # Invisible: takes the upper bound of the interval into the y domain.
        {"transform": [realisatie, {"filter": "datum.boven != null"}], "mark": {"type": "point", "opacity": 0},
         "encoding": {"y": y("boven")}},
        {"transform": [realisatie], "mark": {"type": "line", "color": KLEUREN[REALISATIE]},
         "encoding": {"y": y("waarde")}},
        {"mark": {"type": "point", "size": 70, "strokeWidth": 2},
         "encoding": {"y": y("waarde"), "color": kleur, "shape": vorm,
                      "fill": {"condition": {"test": "datum.nr", "value": "white"},
                               "field": "reeks", "type": "nominal", "legend": None, "scale": kleuren}}},
        {"transform": [realisatie, {"filter": "datum.nr"}],
         "mark": {"type": "text", "dy": -12, "fontSize": 11, "color": KLEUREN[REALISATIE]},
         "encoding": {"y": y("waarde"), "text": {"value": "n.r."}}},
    ])


def axis_start(chart: dict) -> float:
    """Where the value axis of a chart begins: zero, or a break stated in the caption."""
    layers = chart.get("layer") or [chart]
    return next(layer["encoding"]["y"]["scale"]["domain"][0] for layer in layers if "y" in layer.get("encoding", {}))


def axis_note(chart: dict, eenheid: str) -> str:
    """The caption's sentence on the value axis: from zero, or where it starts instead."""
    start = axis_start(chart)
    return "De as begint bij nul." if start == 0 else \
        f"De as begint bij {formatting.indicatorwaarde(start, eenheid)}, niet bij nul."


def comparison_spec(reeksen: dict[str, list[tuple[int, Decimal]]], jaren: list[int], eenheid: str,
                    omschrijving: str) -> dict:
    """One line per gemeente: the realisaties of one indicator."""
    # The names are drawn as text in the chart, where the templates' neutralising does not reach.
    reeksen = {formulas.neutralise(naam): punten for naam, punten in reeksen.items()}
    values = [{"jaar": jaar, "gemeente": naam, "waarde": _number(waarde)}
              for naam, punten in reeksen.items() for jaar, waarde in punten if waarde is not None]
    # A shape per line as well as a colour, and one legend of the shapes: told apart without colour too.
    series = {"field": "gemeente", "type": "nominal", "title": None, "sort": list(reeksen)}
    return _chart(omschrijving, values, jaren, mark={"type": "line", "point": True}, encoding={
        "y": _y("waarde", eenheid, _extent(values)), "color": {**series, "legend": None},
        "shape": {**series, "legend": LEGENDA}})


class Renderer:
    """Renders specifications to SVG, each distinct one once, with ids unique in a page."""

    def __init__(self) -> None:
        self._cache: dict[str, str] = {}
        self._count = 0

    def svg(self, chart: dict) -> str:
        key = json.dumps(chart, sort_keys=True)
        if key not in self._cache:
            svg = vl_convert.vegalite_to_svg(chart, vl_version=VEGA_LITE_VERSION, format_locale=NL_LOCALE,
                                             allowed_base_urls=[])
            if UNSAFE.search(svg):
                raise ValueError("a rendered chart contains script, an event handler or an external reference")
            # One image for assistive technology: the page labels it and links its numbers table; Vega's
            # own roles for its groups and marks (English, unlabelled) are taken out.
            svg = ARIA.sub("", svg).replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)
            self._cache[key] = svg
        self._count += 1
        return _unique_ids(self._cache[key], f"g{self._count}-")

    @property
    def rendered(self) -> int:
        return len(self._cache)


def _unique_ids(svg: str, prefix: str) -> str:
    """Prefix the ids (clip paths, gradients) of an SVG so that several charts can share a page."""
    ids = set(re.findall(r'\bid="([^"]+)"', svg))
    for name in ids:
        svg = svg.replace(f'id="{name}"', f'id="{prefix}{name}"').replace(f"url(#{name})", f"url(#{prefix}{name})")
        svg = svg.replace(f'href="#{name}"', f'href="#{prefix}{name}"')
    return svg

