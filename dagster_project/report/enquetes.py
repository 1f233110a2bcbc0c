"""Survey results of a gemeente per year (rpt_enquete_resultaat): the total and the breakdowns
by age band and wijk, with n, effective n and the 95% interval. A suppressed cell says
"onderdrukt"; it never shows a zero."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import charts, formatting
from .cells import Cijfer, cijfer
from .indicators import Rij, legend
from .marts import Row, Snapshot
from .pages import ENQUETES, Page, by_key, gemeente_naam, grouped

RESULTAAT = "rpt_enquete_resultaat"
INDELINGEN = (("totaal", None), ("leeftijdsklasse", "Naar leeftijd"), ("wijk", "Naar wijk"))
KOLOMMEN = ["Waarde", "95%-interval ondergrens", "95%-interval bovengrens", "Respondenten (n)", "n effectief",
            "Opmerking"]


@dataclass
class Uitkomst:
    titel: str
    omschrijving: str | None
    indicator_code: str | None
    secties: list[tuple[str | None, list[Rij]]]
    grafiek: str | None = None  # the total over the years up to this one
    grafiek_rijen: list[Rij] = field(default_factory=list)  # its numbers
    legenda: str = ""
    eenheid: str = "percentage"


def path(gemeente_code: str, jaar: int) -> str:
    return f"{gemeente_code}/enquetes-{jaar}.html"


def _cells(row: Row) -> list[Cijfer]:
    """The figure as the mart publishes it (`weergave`: rounded once from the exact value, or
    "onderdrukt" with the reason), then the interval, n and effective n."""
    interval = lambda v: formatting.getal(v, 1)  # noqa: E731
    waarde = cijfer(row, RESULTAAT, "weergave", lambda v: v or formatting.LEEG,
                    klasse="onderdrukt" if row.get("is_onderdrukt") else "")
    opmerking = cijfer(row, RESULTAAT, "is_niet_representatief", lambda v: "niet representatief" if v else "",
                       klasse="opmerking")
    return [waarde, cijfer(row, RESULTAAT, "ci_ondergrens", interval),
            cijfer(row, RESULTAAT, "ci_bovengrens", interval),
            cijfer(row, RESULTAAT, "n_respondenten", formatting.getal),
            cijfer(row, RESULTAAT, "n_effectief", interval), opmerking]


def _group_order(row: Row) -> tuple:
    unknown = row.get("groep") == "onbekend"
    return (unknown, row.get("groep_volgorde") if row.get("groep_volgorde") is not None else 0,
            row.get("groep_naam") or "")


class SurveyPages:
    def __init__(self, snapshot: Snapshot, renderer: charts.Renderer) -> None:
        self.snapshot = snapshot
        self.renderer = renderer
        self.results = grouped(snapshot.rows(RESULTAAT), "gemeente_code", "jaar")
        self.outcomes = by_key(snapshot.rows("dim_enquete_uitkomst"), "onderzoek", "uitkomst")
        self.order = {key: i for i, key in enumerate(self.outcomes)}  # the codebook's order
        self.questions = by_key(snapshot.rows("dim_enquete_vraag"), "onderzoek", "vraag")
        self.sources = by_key(snapshot.rows("dim_bron"), "bron_code")
        self.indicators = by_key(snapshot.rows("dim_indicator"), "indicator_code")

    def years(self, gemeente_code: str) -> list[int]:
        return sorted(j for (g, j) in self.results if g == gemeente_code)

    def pages(self, gemeente_code: str, start: list[tuple[str, str]]) -> list[Page]:
        naam = gemeente_naam(self.snapshot, gemeente_code)
        jaren = self.years(gemeente_code)
        kruimels = start + [(naam, f"index.html#{gemeente_code}")]
        return [Page(path(gemeente_code, jaar), "enquetes.html", f"Enquêteresultaten {naam} {jaar}", ENQUETES,
                     kruimels, {"gemeente_code": gemeente_code, "jaar": jaar, "jaren": jaren,
                                "onderzoeken": self.surveys(gemeente_code, jaar), "kolommen": KOLOMMEN})
                for jaar in jaren]

    def surveys(self, gemeente_code: str, jaar: int) -> list[dict]:
        result = []
        for (onderzoek,), rows in sorted(grouped(self.results[(gemeente_code, jaar)], "onderzoek").items()):
            bron = self.sources.get((onderzoek,), {})
            uitkomsten = [self.outcome(gemeente_code, jaar, onderzoek, uitkomst, rows_) for (uitkomst,), rows_ in
                          sorted(grouped(rows, "uitkomst").items(),
                                 key=lambda item: self.order.get((onderzoek, item[0][0]), len(self.order)))]
            only_totals = all(r["indeling"] == "totaal" for r in rows)
            result.append({"onderzoek": onderzoek, "naam": bron.get("bron_naam") or onderzoek,
                           "omschrijving": bron.get("omschrijving"), "alleen_totaal": only_totals,
                           "uitkomsten": uitkomsten})
        return result

    def trend(self, result: Uitkomst, gemeente_code: str, jaar: int, onderzoek: str, uitkomst: str) -> None:
        """A chart of the outcome's total over the survey's years up to the page's year (one time frame)."""
        totals = sorted((r for (g, j), rows in self.results.items() if g == gemeente_code and j <= jaar for r in rows
                         if (r["onderzoek"], r["uitkomst"], r["indeling"]) == (onderzoek, uitkomst, "totaal")
                         and r.get("waarde") is not None), key=lambda r: r["jaar"])
        if len(totals) < 2:
            return
        punten = [charts.Punt(r["jaar"], r["waarde"], r.get("ci_ondergrens"), r.get("ci_bovengrens"),
                              bool(r.get("is_niet_representatief"))) for r in totals]
        jaren = list(range(totals[0]["jaar"], jaar + 1))
        result.legenda = legend(punten)
        chart = charts.spec(punten, jaren, result.eenheid, f"{result.titel}, {jaren[0]}-{jaar}: {result.legenda}")
        result.legenda += " " + charts.axis_note(chart, result.eenheid)
        result.grafiek = self.renderer.svg(chart)
        result.grafiek_rijen = [Rij(str(r["jaar"]), _cells(r)) for r in totals]

    def outcome(self, gemeente_code: str, jaar: int, onderzoek: str, uitkomst: str, rows: list[Row]) -> Uitkomst:
        meta = self.outcomes.get((onderzoek, uitkomst), {})
        question = self.questions.get((onderzoek, uitkomst), {})
        indicator = self.indicators.get((meta.get("indicator_code"),), {})
        titel = question.get("vraagtekst") or indicator.get("indicator_naam") or uitkomst.replace("_", " ").capitalize()
        secties = []
        per_indeling = grouped(rows, "indeling")
        for indeling, label in INDELINGEN:
            cells = sorted(per_indeling.get((indeling,), []), key=_group_order)
            if cells:
                secties.append((label, [Rij(r.get("groep_naam") or r["groep"], _cells(r)) for r in cells]))
        eenheid = indicator.get("eenheid") or ("percentage" if rows[0].get("maat") == "percentage" else "score_0_11")
        result = Uitkomst(titel, meta.get("omschrijving"), meta.get("indicator_code"), secties, eenheid=eenheid)
        self.trend(result, gemeente_code, jaar, onderzoek, uitkomst)
        return result
