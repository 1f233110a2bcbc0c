"""The indicator part of a goal page: per indicator the table as the document has it,
the trend chart with its numbers, and the definition and source.

Begroting Y: the last realisatie known when the budget was written (Y-2) and
the streefwaarden for Y to Y+3. Jaarstukken Y: realisatie, streefwaarde and
"doel gehaald" for Y-2 to Y. The chart runs from the indicator's first year
to the last year of the document, without realisaties the document could not
have known.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import charts, formatting
from .cells import Cijfer, cijfer, tekst
from .marts import Row, Snapshot
from .pages import RICHTING_LABEL, Document, by_key, valid_in

SCORECARD = "rpt_indicator_scorecard"
ENQUETE = "rpt_enquete_resultaat"
PROGNOSE = "prognose"
# The marts that hold an indicator's realisaties as measured (survey and registration totals), with the
# columns that are named otherwise than in the scorecard: a year the scorecard does not hold (MTO 2022-2024,
# measured before the indicator entered the catalogue in 2025) is shown from them.
METINGEN = {
    ENQUETE: {"realisatie": "waarde", "niet_representatief": "is_niet_representatief",
              "peildatum_realisatie": "peildatum"},
    "rpt_jeugdhulp_jaar": {"realisatie": "waarde", "peildatum_realisatie": "peildatum",
                           "niet_representatief": None},
}


@dataclass(frozen=True)
class Meting:
    """The row that holds a year's realisatie, and its table (the scorecard or the survey results)."""

    row: Row | None
    table: str

    def kolom(self, name: str) -> str | None:
        return METINGEN.get(self.table, {}).get(name, name)

    def get(self, name: str):
        return (self.row or {}).get(self.kolom(name)) if self.kolom(name) else None

    def cijfer(self, name: str, opmaak, klasse: str = "") -> Cijfer:
        return cijfer(self.row, self.table, self.kolom(name), opmaak, klasse=klasse)


@dataclass
class Rij:
    label: str
    cellen: list[Cijfer]
    klasse: str = ""


@dataclass
class Indicatorblok:
    indicator: Row
    bron: Row
    jaren: list[int]
    rijen: list[Rij]
    grafiek: str | None
    grafiek_kolommen: list[str] = field(default_factory=list)
    grafiek_rijen: list[Rij] = field(default_factory=list)
    enquete_jaren: list[tuple[int, str]] = field(default_factory=list)  # survey pages with its outcome
    legenda: str = ""  # what the chart draws, in words
    uit_meting: list[int] = field(default_factory=list)  # years whose realisatie is the survey's or registration's
    jaren_grafiek: list[int] = field(default_factory=list)

    @property
    def richting(self) -> str:
        return RICHTING_LABEL.get(self.indicator.get("richting"), self.indicator.get("richting") or "")


def table_years(document: Document) -> list[int]:
    y = document.jaar
    return [y - 2, y, y + 1, y + 2, y + 3] if document.is_begroting else [y - 2, y - 1, y]


def shows_target(document: Document, jaar: int) -> bool:
    """A budget's table shows its own targets (Y..Y+3), not those of the realisatie year before."""
    return jaar >= document.jaar if document.is_begroting else True


def chart_end(document: Document) -> int:
    return document.jaar + 3 if document.is_begroting else document.jaar


def knows_realisatie(document: Document, jaar: int) -> bool:
    """One time frame per document, in table and chart alike: a budget for Y is written during Y-1,
    so its peildatum knows realisaties up to Y-2 (the year its table shows); Jaarstukken Y know Y."""
    return jaar <= document.jaar - 2 if document.is_begroting else jaar <= document.jaar


def legend(punten: list[charts.Punt]) -> str:
    """The caption of a chart: only what it draws."""
    parts = []
    if any(p.realisatie is not None for p in punten):
        parts.append("lijn met dichte rondjes: realisatie")
    soorten = {p.streefwaarde_type == PROGNOSE for p in punten if p.streefwaarde is not None}
    if False in soorten:
        parts.append("losse ruiten: streefwaarde uit de begroting")
    if True in soorten:
        parts.append("losse driehoeken: prognose")
    if any(p.ci_ondergrens is not None for p in punten):
        parts.append("band: 95%-betrouwbaarheidsinterval")
    if any(p.niet_representatief for p in punten):
        parts.append("open rondje met n.r.: niet representatief (te weinig respondenten)")
    if not any(p.realisatie is not None for p in punten):
        parts.append("nog geen realisatie bekend in deze periode")
    return "; ".join(parts).capitalize() + "."


class Indicators:
    """Indicator blocks of goal pages, for one release."""

    def __init__(self, snapshot: Snapshot, renderer: charts.Renderer) -> None:
        self.renderer = renderer
        self.catalogue = snapshot.rows("dim_indicator")
        self.bronnen = by_key(snapshot.rows("dim_bron"), "bron_code")
        self.links = snapshot.rows("dim_indicator_doelstelling")
        self.scorecard = by_key(snapshot.rows(SCORECARD), "gemeente_code", "indicator_code", "jaar")
        self.years: dict[tuple, list[int]] = {}
        for (g, c, j), r in sorted(self.scorecard.items()):
            if r.get("realisatie") is not None or r.get("streefwaarde") is not None:
                self.years.setdefault((g, c), []).append(j)
        outcomes = {(r["onderzoek"], r["uitkomst"]): r.get("indicator_code")
                    for r in snapshot.rows("dim_enquete_uitkomst")}
        self.survey_indicators = set(outcomes.values())
        # The survey pages that hold an indicator's outcome: (gemeente, indicator) -> {jaar: onderzoek}.
        self.survey_years: dict[tuple, dict[int, str]] = {}
        # Survey totals by (gemeente, indicator, jaar): the realisatie of a year the scorecard does not hold
        # (MTO 2022-2024, measured before the indicator entered the catalogue in 2025).
        self.measured: dict[tuple, tuple[Row, str]] = {}  # (gemeente, indicator, jaar) -> (row, mart)
        for r in snapshot.rows("rpt_enquete_resultaat"):
            indicator = outcomes.get((r["onderzoek"], r["uitkomst"]))
            if indicator:
                self.survey_years.setdefault((r["gemeente_code"], indicator), {})[r["jaar"]] = r["onderzoek"]
        for table in METINGEN:
            for r in snapshot.rows(table):
                indicator = r.get("indicator_code") or outcomes.get((r.get("onderzoek"), r.get("uitkomst")))
                if indicator and r.get("indeling") == "totaal" and r.get("waarde") is not None:
                    self.measured[(r["gemeente_code"], indicator, r["jaar"])] = (r, table)
        for g, c, j in self.measured:
            self.years[(g, c)] = sorted(set(self.years.get((g, c), [])) | {j})

    def of_goal(self, gemeente_code: str, doelstelling_key: str, document: Document) -> list[Indicatorblok]:
        codes = {r["indicator_code"] for r in self.links
                 if r["gemeente_code"] == gemeente_code and r["doelstelling_key"] == doelstelling_key
                 and valid_in(r, document.jaar)}
        return [self._block(gemeente_code, row, document) for row in self.catalogue if row["indicator_code"] in codes]

    def _row(self, gemeente_code: str, code: str, jaar: int) -> Row | None:
        return self.scorecard.get((gemeente_code, code, jaar))

    def _measured(self, gemeente_code: str, code: str, jaar: int) -> Meting:
        """Where the realisatie of a year is: the scorecard, or else the survey's total."""
        row = self._row(gemeente_code, code, jaar)
        if (row is None or row.get("realisatie") is None) and (gemeente_code, code, jaar) in self.measured:
            return Meting(*self.measured[(gemeente_code, code, jaar)])
        return Meting(row, SCORECARD)

    def _block(self, gemeente_code: str, indicator: Row, document: Document) -> Indicatorblok:
        code, eenheid = indicator["indicator_code"], indicator.get("eenheid")
        jaren = table_years(document)
        rows = {j: self._row(gemeente_code, code, j) for j in jaren}
        metingen = {j: self._measured(gemeente_code, code, j) for j in jaren}
        realisatie = [self._realisatie(metingen[j], eenheid) if knows_realisatie(document, j) else tekst("-")
                      for j in jaren]
        rijen = [Rij("Realisatie", realisatie)]
        for soort in ("begroting", PROGNOSE):
            if any(r and r.get("streefwaarde") is not None and self._type(r) == soort and shows_target(document, j)
                   for j, r in rows.items()):
                label = ("Prognose" if soort == PROGNOSE else "Begroting") + \
                    (f" PB {document.jaar}" if document.is_begroting else "")
                rijen.append(Rij(label, [self._value(rows[j], "streefwaarde", eenheid)
                                         if rows[j] and self._type(rows[j]) == soort and shows_target(document, j)
                                         else tekst("-") for j in jaren]))
        if not document.is_begroting:
            rijen.append(Rij("Doel gehaald", [cijfer(rows[j], SCORECARD, "doel_gehaald", formatting.ja_nee)
                                              for j in jaren], "doel"))
        if code in self.survey_indicators:
            rijen += self._survey_rows(metingen, jaren, document)
        rijen.append(Rij("Peildatum", [metingen[j].cijfer("peildatum_realisatie", formatting.datum)
                                       if knows_realisatie(document, j) else tekst("-") for j in jaren], "klein"))
        block = Indicatorblok(indicator, self.bronnen.get((indicator.get("bron_code"),), {}), jaren, rijen, None)
        surveys = self.survey_years.get((gemeente_code, code), {})
        block.enquete_jaren = sorted((j, o) for j, o in surveys.items() if knows_realisatie(document, j))
        self._chart(block, gemeente_code, document)
        block.uit_meting = [j for j in block.jaren_grafiek if knows_realisatie(document, j)
                            and self._measured(gemeente_code, code, j).table != SCORECARD]
        return block

    @staticmethod
    def _type(row: Row) -> str:
        return PROGNOSE if row.get("streefwaarde_type") == PROGNOSE else "begroting"

    @staticmethod
    def _value(row: Row | None, kolom: str, eenheid: str) -> Cijfer:
        return cijfer(row, SCORECARD, kolom, lambda v: formatting.indicatorwaarde(v, eenheid))

    @staticmethod
    def _realisatie(meting: Meting, eenheid: str) -> Cijfer:
        return meting.cijfer("realisatie", lambda v: formatting.indicatorwaarde(v, eenheid),
                             "nr" if meting.get("niet_representatief") else "")

    def _survey_rows(self, metingen: dict[int, Meting], jaren: list[int], document: Document) -> list[Rij]:
        def known(kolom, opmaak):
            return [metingen[j].cijfer(kolom, opmaak) if knows_realisatie(document, j) else tekst("-")
                    for j in jaren]
        interval = lambda v: formatting.getal(v, 1)  # noqa: E731
        return [Rij("95%-interval ondergrens", known("ci_ondergrens", interval), "klein"),
                Rij("95%-interval bovengrens", known("ci_bovengrens", interval), "klein"),
                Rij("Respondenten (n)", known("n_respondenten", formatting.getal), "klein")]

    def _chart(self, block: Indicatorblok, gemeente_code: str, document: Document) -> None:
        code, eenheid = block.indicator["indicator_code"], block.indicator.get("eenheid")
        years_with_data = self.years.get((gemeente_code, code), [])
        end = chart_end(document)
        if not years_with_data or years_with_data[0] > end:
            return
        jaren = block.jaren_grafiek = list(range(years_with_data[0], end + 1))
        punten, rijen = [], []
        survey = code in self.survey_indicators
        for j in jaren:
            row, meting = self._row(gemeente_code, code, j), self._measured(gemeente_code, code, j)
            if meting.row is None:
                continue
            known = knows_realisatie(document, j)
            target = row or {}
            punten.append(charts.Punt(
                j, meting.get("realisatie") if known else None,
                meting.get("ci_ondergrens") if known else None, meting.get("ci_bovengrens") if known else None,
                bool(meting.get("niet_representatief")) and known, target.get("streefwaarde"),
                target.get("streefwaarde_type")))
            cells = [self._realisatie(meting, eenheid) if known else tekst("-")]
            if survey:
                cells += [meting.cijfer(k, lambda v: formatting.getal(v, 1)) if known else tekst("-")
                          for k in ("ci_ondergrens", "ci_bovengrens")]
                cells.append(meting.cijfer("n_respondenten", formatting.getal) if known else tekst("-"))
            cells += [self._value(row, "streefwaarde", eenheid),
                      tekst("prognose" if self._type(target) == PROGNOSE else "begroting")
                      if target.get("streefwaarde") is not None else tekst("-")]
            rijen.append(Rij(str(j), cells))
        chart = charts.spec(punten, jaren, eenheid, f"Trend van {block.indicator.get('indicator_naam')}, "
                                                     f"{jaren[0]}-{jaren[-1]}: {legend(punten)}")
        block.legenda = legend(punten) + " " + charts.axis_note(chart, eenheid)
        block.grafiek = self.renderer.svg(chart)
        block.grafiek_kolommen = ["Jaar", "Realisatie"] + (
            ["95%-interval ondergrens", "95%-interval bovengrens", "Respondenten (n)"] if survey else []) + [
            "Streefwaarde", "Soort streefwaarde"]
        block.grafiek_rijen = rijen
