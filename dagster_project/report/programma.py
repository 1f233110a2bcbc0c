"""The pages of one programme of one gemeente: the overview, a chapter per P&C document
(header, goals, finance) and a page per doelstelling of that document."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import charts, formatting, vergelijking
from .finance import Finance
from .indicators import Indicators
from .marts import Row, Snapshot
from .pages import (
    DOCUMENT,
    DOCUMENT_FASEN,
    DOELSTELLING,
    PROGRAMMA,
    Document,
    Page,
    document_names,
    gemeente_naam,
    goal_order,
    grouped,
    valid_in,
)


@dataclass
class Programma:
    """A programme of a gemeente over all its versions."""

    gemeente_code: str
    gemeente_naam: str
    code: str
    versies: list[Row]
    documenten: list[Document] = field(default_factory=list)

    @property
    def keys(self) -> set[str]:
        return {v["programma_key"] for v in self.versies}

    @property
    def laatste(self) -> Row:
        return max(self.versies, key=lambda v: v.get("geldig_van_jaar") or 0)

    @property
    def label(self) -> str:
        return self.laatste.get("programma_label") or f"Programma {self.code} {self.laatste.get('programma_naam', '')}"

    @property
    def map(self) -> str:
        return f"{self.gemeente_code}/programma-{self.code}"

    def document_path(self, document: Document) -> str:
        return f"{self.map}/{document.slug}/index.html"

    def goal_path(self, document: Document, doelstelling: Row) -> str:
        return f"{self.map}/{document.slug}/doelstelling-{doelstelling['doelstelling_versie']}.html"


def programmes(snapshot: Snapshot, gemeente_code: str) -> list[Programma]:
    names = document_names(snapshot)
    documents = grouped((r for r in snapshot.rows("rpt_programma_totalen") if r["fase"] in DOCUMENT_FASEN),
                        "gemeente_code", "programma_code")
    result = []
    for (gemeente, code), versions in sorted(grouped(snapshot.rows("dim_programma"), "gemeente_code",
                                                     "programma_code").items()):
        if gemeente != gemeente_code:
            continue
        docs = sorted({Document(r["fase"], r["jaar"], f"{names[r['fase']]} {r['jaar']}")
                       for r in documents.get((gemeente, code), [])}, key=lambda d: (d.is_begroting, d.jaar))
        result.append(Programma(gemeente, gemeente_naam(snapshot, gemeente), code, versions, docs))
    return result


class ProgrammePages:
    """Builds the pages of the programmes of a release."""

    def __init__(self, snapshot: Snapshot, renderer: charts.Renderer) -> None:
        self.snapshot = snapshot
        self.renderer = renderer
        self.finance = Finance(snapshot)
        self.indicators = Indicators(snapshot, renderer)
        self.doelstellingen = snapshot.rows("dim_doelstelling")
        self.crosswalk = snapshot.rows("dim_doelstelling_crosswalk")

    def pages(self, programma: Programma, start: list[tuple[str, str]]) -> list[Page]:
        kruimels = start + [(programma.gemeente_naam, f"index.html#{programma.gemeente_code}"),
                            (programma.label, f"{programma.map}/index.html")]
        pages = [self.overview(programma, kruimels)]
        for document in programma.documenten:
            pages.append(self.chapter(programma, document, kruimels))
            for goal in self.goals(programma, document.jaar):
                pages.append(self.goal(programma, document, goal, kruimels))
        return pages

    def goals(self, programma: Programma, jaar: int) -> list[Row]:
        return sorted((d for d in self.doelstellingen if d["programma_key"] in programma.keys and valid_in(d, jaar)),
                      key=goal_order)

    def goal_trees(self, programma: Programma) -> list[dict]:
        """The goal tree per period in which it did not change."""
        trees: list[dict] = []
        for jaar in sorted({d.jaar for d in programma.documenten}):
            goals = self.goals(programma, jaar)
            keys = [g["doelstelling_key"] for g in goals]
            if trees and trees[-1]["keys"] == keys and trees[-1]["tot"] == jaar - 1:
                trees[-1]["tot"] = jaar
            else:
                trees.append({"van": jaar, "tot": jaar, "keys": keys, "doelstellingen": goals})
        return trees

    def crosswalk_of(self, programma: Programma) -> list[Row]:
        keys = {d["doelstelling_key"] for d in self.doelstellingen if d["programma_key"] in programma.keys}
        return [r for r in self.crosswalk if r["van_doelstelling_key"] in keys
                and r["van_doelstelling_key"] != r["naar_doelstelling_key"]] + \
               [r for r in self.crosswalk if r["van_doelstelling_key"] in keys
                and r["van_doelstelling_key"] == r["naar_doelstelling_key"]]

    def shared_codes(self, goals: list[Row]) -> list[dict]:
        """Goals of one year that share a code (a goal tree in transition), with why: the crosswalk between them."""
        result = []
        for (code,), same in sorted(grouped(goals, "doelstelling_code").items()):
            if len(same) < 2:
                continue
            keys = {g["doelstelling_key"] for g in same}
            result.append({"code": code, "doelstellingen": [
                {"naam": g["doelstelling_naam"], "jaren": formatting.jaren(g.get("geldig_van_jaar"),
                                                                           g.get("geldig_tot_jaar"))} for g in same],
                "toelichting": [r.get("toelichting") for r in self.crosswalk if r.get("toelichting")
                                and r["van_doelstelling_key"] in keys and r["naar_doelstelling_key"] in keys
                                and r["van_doelstelling_key"] != r["naar_doelstelling_key"]]})
        return result

    def overview(self, programma: Programma, kruimels: list) -> Page:
        jaren = sorted({d.jaar for d in programma.documenten})
        return Page(f"{programma.map}/index.html", "programma.html", programma.label, PROGRAMMA, kruimels[:-1], {
            "programma": programma,
            "bomen": self.goal_trees(programma),
            "crosswalk": self.crosswalk_of(programma),
            "kop_jaren": self.finance.kop_jaren(programma.gemeente_code, programma.code, jaren),
            "kop_toelichting": self.finance.kop_toelichting(programma.gemeente_code, programma.code),
        })

    def chapter(self, programma: Programma, document: Document, kruimels: list) -> Page:
        gm, code, jaar = programma.gemeente_code, programma.code, document.jaar
        kop = self.finance.kop(gm, code, jaar, document.fase)
        aansluiting, toelichting = self.finance.aansluiting_rijen(gm, code, jaar, document.fase)
        return Page(programma.document_path(document), "document.html", f"{document.naam}: {programma.label}",
                    DOCUMENT, kruimels, {
                        "programma": programma, "document": document,
                        "kop": self.finance.kop_rijen(kop), "kop_toelichting": (kop or {}).get(
                            "aandeel_saldo_toelichting"),
                        "doelstellingen": self.goals(programma, jaar),
                        "gedeelde_codes": self.shared_codes(self.goals(programma, jaar)),
                        "financien": self.finance.document_tabel(gm, programma.keys, jaar, document.fase) + [
                            self.finance.totaal_rij(gm, code, jaar, document.fase)],
                        "vergelijking": self.finance.vergelijking_groepen(gm, code, programma.keys, document) + [
                            self.finance.totaal_groep(gm, code, document)],
                        "vergelijking_kolommen": self.finance.vergelijking_kolommen(document),
                        "verschil_beschikbaar": self.finance.available["rpt_financien_vergelijking"],
                        "reservemutaties": self.finance.reserve_rijen(gm, programma.keys, jaar, document.fase),
                        "aansluiting": aansluiting, "aansluiting_toelichting": toelichting,
                        "stand": self.finance.stand(gm, document),
                    })

    def goal(self, programma: Programma, document: Document, goal: Row, kruimels: list) -> Page:
        gm = programma.gemeente_code
        key = goal["doelstelling_key"]
        return Page(programma.goal_path(document, goal), "doelstelling.html",
                    f"Doelstelling {goal['doelstelling_code']} {goal['doelstelling_naam']}", DOELSTELLING,
                    kruimels + [(document.naam, programma.document_path(document))], {
                        "programma": programma, "document": document, "doelstelling": goal,
                        "voorgangers": [r for r in self.crosswalk if r["naar_doelstelling_key"] == key
                                        and r["van_doelstelling_key"] != key],
                        "opvolgers": [r for r in self.crosswalk if r["van_doelstelling_key"] == key
                                      and r["naar_doelstelling_key"] != key],
                        "indicatoren": (indicatoren := self.indicators.of_goal(gm, key, document)),
                        "benchmarks": vergelijking.benchmarks(self.snapshot, self.renderer, gm, [
                            blok.indicator["indicator_code"] for blok in indicatoren]),
                        "financien_groepen": self.finance.vergelijking_groepen(
                            gm, programma.code, programma.keys, document, key),
                        "financien_kolommen": self.finance.vergelijking_kolommen(document),
                        "verschil_beschikbaar": self.finance.available["rpt_financien_vergelijking"],
                        "stand": self.finance.stand(gm, document),
                    })
