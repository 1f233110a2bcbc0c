"""Finance tables, all in x € 1.000 as the documents have them, read from the finance marts:
the programme header, baten/lasten/saldo per doelstelling, begroting against rekening with
the difference, the multi-year view of a budget, the reserve mutations and the reconciliation."""

from __future__ import annotations

from dataclasses import dataclass

from . import formatting
from .cells import Cijfer, cijfer, tekst
from .indicators import Rij
from .marts import Row, Snapshot
from .pages import FASE_LABEL, Document, by_key, goal_order

DOELSTELLING = "rpt_financien_doelstelling"
TOTALEN = "rpt_programma_totalen"
VERGELIJKING = "rpt_financien_vergelijking"
AANSLUITING = "rpt_financien_aansluiting"
GROOTHEDEN = ("baten", "lasten", "saldo")
KOP = (("Uitgaven", "uitgaven"), ("Inkomsten", "inkomsten"), ("Saldo", "saldo"))
TOTAAL = "Totaal programma (inclusief reservemutaties)"


def x1000(value) -> str:
    return formatting.getal(value, 0)


def euros(value) -> str:
    return formatting.getal(value, 2)


def aandeel(value) -> str:
    return formatting.percentage(value, 2)


@dataclass(frozen=True)
class Kolom:
    """A column of a finance table: a phase of a year."""

    label: str
    jaar: int
    fase: str


@dataclass
class Groep:
    """Rows of one goal version in a finance table."""

    doelstelling: Row
    rijen: list[Rij]


def document_columns(document: Document) -> list[Kolom]:
    """Jaarstukken: the three phases of the year. Begroting: rekening Y-2, na wijziging Y-1,
    the budget Y and the multi-year estimates Y+1..Y+3 (begroting primitief of those years)."""
    y = document.jaar
    if not document.is_begroting:
        return [Kolom(FASE_LABEL[f], y, f) for f in ("begroting primitief", "begroting na wijziging", "rekening")]
    return [Kolom(f"Rekening {y - 2}", y - 2, "rekening"),
            Kolom(f"Begroting na wijziging {y - 1}", y - 1, "begroting na wijziging"),
            Kolom(f"Begroting {y}", y, "begroting primitief")] + [
        Kolom(f"Raming {j}", j, "begroting primitief") for j in range(y + 1, y + 4)]


class Finance:
    """The finance tables of one release."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.available = {t: bool(snapshot.rows(t)) for t in (DOELSTELLING, TOTALEN, VERGELIJKING, AANSLUITING)}
        self.per_doelstelling = by_key(snapshot.rows(DOELSTELLING), "gemeente_code", "jaar", "fase", "doelstelling_key")
        self.totalen = by_key(snapshot.rows(TOTALEN), "gemeente_code", "jaar", "fase", "programma_code")
        self.vergelijking = by_key(snapshot.rows(VERGELIJKING), "gemeente_code", "jaar", "programma_code",
                                   "doelstelling_key", "grootheid")
        self.aansluiting = by_key(snapshot.rows(AANSLUITING), "gemeente_code", "jaar", "fase", "programma_code")
        self.doelstellingen = by_key(snapshot.rows("dim_doelstelling"), "doelstelling_key")
        self.reservemutaties = snapshot.reservemutaties
        loaded = {r.get("load_id"): r.get("loaded_at") for r in snapshot.load_log}
        self.leveringen: dict[tuple, list[str]] = {}
        for r in snapshot.financien_leveringen:
            when = loaded.get(r["bron_load_id"])
            self.leveringen.setdefault((r["gemeente_code"], r["jaar"], r["fase"]), []).append(
                f"{r['bron_bestand']}" + (f", geladen op {formatting.tijdstip(when)}" if when else ""))

    # -- where the figures stand ---------------------------------------------------------------
    def stand(self, gemeente_code: str, document: Document) -> list[tuple[str, str]]:
        """Per column of the document's finance tables: the ledger delivery its figures come from."""
        return [(c.label if c.label.endswith(str(c.jaar)) else f"{c.label} {c.jaar}",
                 "; ".join(self.leveringen.get((gemeente_code, c.jaar, c.fase), [])) or "geen grootboek")
                for c in document_columns(document)]

    # -- the programme header ------------------------------------------------------------------
    def kop(self, gemeente_code: str, programma_code: str, jaar: int, fase: str) -> Row | None:
        return self.totalen.get((gemeente_code, jaar, fase, programma_code))

    def kop_rijen(self, row: Row | None) -> list[Rij]:
        """Uitgaven, inkomsten, saldo (x € 1.000) with their share of the municipal total."""
        return [Rij(label, [cijfer(row, TOTALEN, f"{name}_x1000", x1000),
                            cijfer(row, TOTALEN, f"aandeel_{name}_pct", aandeel)]) for label, name in KOP]

    def kop_jaren(self, gemeente_code: str, programma_code: str, jaren: list[int]) -> list[dict]:
        """Per year the header of each phase side by side: bedrag and aandeel per phase."""
        fasen = list(FASE_LABEL)
        result = []
        for jaar in jaren:
            rows = [self.kop(gemeente_code, programma_code, jaar, f) for f in fasen]
            rijen = [Rij(label, [c for row in rows for c in (cijfer(row, TOTALEN, f"{name}_x1000", x1000),
                                                               cijfer(row, TOTALEN, f"aandeel_{name}_pct", aandeel))])
                     for label, name in KOP]
            result.append({"jaar": jaar, "rijen": rijen})
        return result

    def kop_toelichting(self, gemeente_code: str, programma_code: str) -> list[str]:
        """Why a share of the saldo is missing, each reason once."""
        return sorted({r["aandeel_saldo_toelichting"] for (g, _, _, p), r in self.totalen.items()
                       if (g, p) == (gemeente_code, programma_code) and r.get("aandeel_saldo_toelichting")})

    # -- per doelstelling ----------------------------------------------------------------------
    def document_tabel(self, gemeente_code: str, programma_keys: set[str], jaar: int, fase: str) -> list[Rij]:
        """The document table: baten, lasten, saldo per goal version, x € 1.000."""
        rows = sorted((r for (g, j, f, _), r in self.per_doelstelling.items()
                       if g == gemeente_code and j == jaar and f == fase and self._in(r, programma_keys)),
                      key=goal_order)
        return [Rij(self._label(r), [cijfer(r, DOELSTELLING, f"{k}_x1000", x1000) for k in GROOTHEDEN]) for r in rows]

    def vergelijking_groepen(self, gemeente_code: str, programma_code: str, programma_keys: set[str],
                             document: Document, doelstelling_key: str | None = None) -> list[Groep]:
        """Per goal version: baten, lasten and saldo in each column of the document, plus (jaarstukken)
        the difference rekening - begroting na wijziging from rpt_financien_vergelijking."""
        columns = document_columns(document)
        keys = {k for (g, j, f, k) in self.per_doelstelling
                if g == gemeente_code and any((j, f) == (c.jaar, c.fase) for c in columns)
                and self._in(self.doelstellingen.get((k,), {}), programma_keys)}
        if doelstelling_key is not None:
            keys &= {doelstelling_key}
        groups = []
        for key in sorted(keys, key=lambda k: (goal_order(self.doelstellingen.get((k,), {})),
                                               self.doelstellingen.get((k,), {}).get("geldig_van_jaar") or 0)):
            rijen = []
            for grootheid in GROOTHEDEN:
                cells = [cijfer(self.per_doelstelling.get((gemeente_code, c.jaar, c.fase, key)), DOELSTELLING,
                                f"{grootheid}_x1000", x1000) for c in columns]
                if not document.is_begroting:
                    row = self.vergelijking.get((gemeente_code, document.jaar, programma_code, key, grootheid))
                    cells.append(cijfer(row, VERGELIJKING, "verschil_x1000", x1000))
                rijen.append(Rij(grootheid, cells))
            groups.append(Groep(self.doelstellingen.get((key,), {"doelstelling_key": key}), rijen))
        return groups

    def totaal(self, gemeente_code: str, programma_code: str, jaar: int, fase: str, grootheid: str) -> Cijfer:
        """The programme's total of the goals (reserve mutations included), in euros in
        rpt_financien_aansluiting, shown x € 1.000 like the goals above it."""
        row = self.aansluiting.get((gemeente_code, jaar, fase, programma_code))
        return cijfer(row, AANSLUITING, f"doelstellingen_{grootheid}", x1000, schaal=1000)

    def totaal_rij(self, gemeente_code: str, programma_code: str, jaar: int, fase: str) -> Rij:
        return Rij(TOTAAL, [self.totaal(gemeente_code, programma_code, jaar, fase, g) for g in GROOTHEDEN], "totaal")

    def totaal_groep(self, gemeente_code: str, programma_code: str, document: Document) -> Groep:
        """The total of the goals in each column of a document (the difference column has none in the marts)."""
        columns = document_columns(document)
        rijen = [Rij(g, [self.totaal(gemeente_code, programma_code, c.jaar, c.fase, g) for c in columns] +
                     ([] if document.is_begroting else [tekst(formatting.LEEG)])) for g in GROOTHEDEN]
        return Groep({"doelstelling_code": "", "doelstelling_naam": TOTAAL}, rijen)

    def vergelijking_kolommen(self, document: Document) -> list[str]:
        labels = [c.label for c in document_columns(document)]
        return labels if document.is_begroting else labels + ["Verschil"]

    # -- reserve mutations and reconciliation ----------------------------------------------------
    def reserve_rijen(self, gemeente_code: str, programma_keys: set[str], jaar: int, fase: str) -> list[dict]:
        """The ledger lines that are reserve mutations, in euros, as delivered."""
        return [{"doelstelling": self._label(self.doelstellingen.get((r["doelstelling_key"],), {})),
                 "kostenplaats": r.get("kostenplaats"), "soort": r.get("soort"),
                 "bedrag": cijfer(r, "fct_financien", "bedrag", euros),
                 "bron": f"{r.get('bron_bestand')}, regel {r.get('bron_regel')}"}
                for r in self.reservemutaties
                if r["gemeente_code"] == gemeente_code and r["jaar"] == jaar and r["fase"] == fase
                and self._programma_key(r) in programma_keys]

    def _programma_key(self, line: Row) -> str | None:
        """A ledger line's programme, through its goal (fct_financien refers to the goal only)."""
        return self.doelstellingen.get((line["doelstelling_key"],), {}).get("programma_key")

    def aansluiting_rijen(self, gemeente_code: str, programma_code: str, jaar: int, fase: str) -> tuple[list[Rij], str]:
        """Goals (including reserve mutations) - reserve mutations - header = onverklaard, in euros."""
        row = self.aansluiting.get((gemeente_code, jaar, fase, programma_code))
        if row is None:
            return [], ""

        def cells(*columns):
            return [cijfer(row, AANSLUITING, c, euros) if c else tekst("") for c in columns]
        rijen = [
            Rij("Doelstellingen (inclusief reservemutaties)",
                cells("doelstellingen_baten", "doelstellingen_lasten", "doelstellingen_saldo")),
            Rij("Reservemutaties", cells("reservemutaties_baten", "reservemutaties_lasten", None)),
            Rij("Programmakop (exclusief reservemutaties)",
                cells("programma_inkomsten", "programma_uitgaven", "programma_saldo")),
            Rij("Onverklaard", cells("onverklaard_baten", "onverklaard_lasten", "onverklaard_saldo"), "totaal"),
        ]
        return rijen, row.get("toelichting") or ""

    # -- helpers -------------------------------------------------------------------------------
    def _in(self, row: Row, programma_keys: set[str]) -> bool:
        key = row.get("programma_key")
        if key is None and row.get("doelstelling_key"):
            key = self.doelstellingen.get((row["doelstelling_key"],), {}).get("programma_key")
        return key in programma_keys

    @staticmethod
    def _label(row: Row) -> str:
        return f"{row.get('doelstelling_naam', '')} ({row.get('doelstelling_code', '')})"
