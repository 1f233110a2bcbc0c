"""Write the sample finance deliveries for gemeente Zoetermeer (GM0637), Programma 2.

Output (see docs/sources.md, "Sample sources"):

    seeds/sample_landing/financien/grootboek/financien_GM0637_<jaar>_<fase_slug>.csv|.xlsx
    seeds/sample_landing/financien/gemeentetotalen/gemeentetotalen_GM0637.csv

The 2021 rekening ledger is a published fact: summed per doelstelling and soort
it reproduces the table "Gerealiseerde baten, lasten en saldo per doelstelling"
of seeds/documents/jaarstukken_2021_programma_2.txt to the thousand euros, and
its cost centres follow "Financiën op hoofdlijnen". Every other year and phase
is illustrative and derived from the 2021 lines with fixed growth rates, so the
output is deterministic: running the script twice gives byte-identical files.

Usage:  python seeds/generators/financien.py   (standard library + openpyxl)
"""

from __future__ import annotations

import csv
import io
import random
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl

SEEDS_DIR = Path(__file__).resolve().parent.parent
REFERENCE_DIR = SEEDS_DIR / "reference"
FINANCE_DIR = SEEDS_DIR / "sample_landing" / "financien"
LEDGER_DIR = FINANCE_DIR / "grootboek"
TOTALS_DIR = FINANCE_DIR / "gemeentetotalen"

GEMEENTE = "GM0637"
PROGRAMMA = "2"
COLUMNS = [
    "gemeente_code", "jaar", "fase", "programma_code", "doelstelling_code",
    "doelstelling_naam", "taakveld_code", "kostenplaats", "soort",
    "reservemutatie", "bedrag",
]
TOTALS_COLUMNS = ["gemeente_code", "jaar", "fase", "uitgaven", "inkomsten"]

PRIMITIEF, NA_WIJZIGING, REKENING = "begroting primitief", "begroting na wijziging", "rekening"
FASE_YEARS = {
    PRIMITIEF: range(2019, 2029),
    NA_WIJZIGING: range(2019, 2026),
    REKENING: range(2019, 2026),
}
BASE_YEAR = 2021          # the published rekening
NEW_TREE_YEAR = 2025      # new goal tree and new Iv3 taakvelden
CENT = Decimal("0.01")

# doelstelling versions (seeds/reference/doelstellingen.csv)
D21, D22_OLD, D22_NEW, D23, D24 = "2.1-2019", "2.2-2019", "2.2-2021", "2.3-2019", "2.4-2019"
GOAL_ORDER = [D21, D22_NEW, D22_OLD, D23, D24]
# from 2025 on the old 2.2 and 2.4 are absorbed by the new 2.2
GOAL_FROM_2025 = {D21: D21, D22_OLD: D22_NEW, D22_NEW: D22_NEW, D23: D23, D24: D22_NEW}

# growth classes: yearly growth range of the trend
GROWTH = {
    "zorg": (0.04, 0.07),     # jeugdhulp and Wmo maatwerk
    "overig": (0.02, 0.03),   # everything else
}


@dataclass(frozen=True)
class BaseLine:
    """One kostenplaats line of the 2021 rekening, with its later mapping."""

    goal: str                 # doelstelling_versie
    taakveld: str             # Iv3 taakveld up to 2024
    taakveld_2025: str | tuple  # taakveld from 2025, or ((code, share, kostenplaats), ...) for a split
    kostenplaats: str
    soort: str
    bedrag_2021: str          # euros, signed
    growth: str = "overig"
    only_2021_rekening: bool = False  # a one-off booking (correction)


# fmt: off
# The 2021 rekening, split over kostenplaatsen following "Financiën op hoofdlijnen"
# (EUR mln). Per doelstelling the lines sum to the cent to GOAL_TOTALS_2021 below.
LINES_2021: list[BaseLine] = [
    # 2.1 jeugdhulp: preventie 7,0; POH-jeugd/SMW 1,3; jeugdhulp ZIN + PGB 51,1; GR VT + SJH 1,2
    BaseLine(D21, "6.1",  "6.1",  "Preventie jeugd en opvoedondersteuning", "lasten", "-7012345.67"),
    BaseLine(D21, "6.2",  "6.2b", "POH-jeugd en schoolmaatschappelijk werk", "lasten", "-1284560.20"),
    BaseLine(D21, "6.72", (("6.72a", "0.40", "Jeugdhulp Zorg in Natura: begeleiding"),
                           ("6.72b", "0.35", "Jeugdhulp Zorg in Natura: behandeling"),
                           ("6.73a", "0.25", "Jeugdhulp Zorg in Natura: verblijf")),
             "Jeugdhulp Zorg in Natura", "lasten", "-47236912.38", "zorg"),
    BaseLine(D21, "6.72", "6.74a", "Jeugdhulp PGB", "lasten", "-3871204.55", "zorg"),
    BaseLine(D21, "6.82", "6.82a", "GR Veilig Thuis Haaglanden", "lasten", "-712430.18"),
    BaseLine(D21, "6.72", "6.74a", "GR Servicebureau Jeugdhulp Haaglanden", "lasten", "-498215.67"),
    BaseLine(D21, "6.82", (("6.82a", "0.80", "Jeugdbescherming"),
                           ("6.82b", "0.20", "Jeugdreclassering")),
             "Jeugdbescherming en jeugdreclassering", "lasten", "-2105318.43", "zorg"),
    BaseLine(D21, "7.1",  "7.1",  "Jeugdgezondheidszorg (JGZ)", "lasten", "-1687240.15"),
    BaseLine(D21, "6.1",  "6.1",  "Jongerenwerk", "lasten", "-812650.37"),
    BaseLine(D21, "6.1",  "6.1",  "Kinderopvang sociaal-medische indicatie (SMI)", "lasten", "-143870.52"),
    BaseLine(D21, "6.2",  "6.2b", "Apparaatskosten toegang jeugd", "lasten", "-411375.33"),
    BaseLine(D21, "6.72", "6.74a", "Jeugdhulp: terugvorderingen en bijdragen", "baten", "212480.35"),
    BaseLine(D21, "6.1",  "6.1",  "Preventie jeugd: bijdragen derden", "baten", "151729.65"),

    # 2.2 Langer zelfstandig wonen: 30,7 lasten for the five Wmo lines; 1,1 baten eigen bijdrage
    BaseLine(D22_OLD, "6.71", "6.71a", "Huishoudelijke hulp", "lasten", "-9846215.33", "zorg"),
    BaseLine(D22_OLD, "6.71", "6.71b", "Vervoersvoorzieningen Wmo", "lasten", "-3218470.61", "zorg"),
    BaseLine(D22_OLD, "6.71", "6.71b", "Woonvoorzieningen en woningaanpassingen", "lasten", "-1904388.27", "zorg"),
    BaseLine(D22_OLD, "6.71", (("6.71b", "0.60", "Maatwerk begeleiding"),
                               ("6.71c", "0.40", "Maatwerk dagbesteding")),
             "Maatwerk begeleiding en dagbesteding", "lasten", "-6413902.74", "zorg"),
    BaseLine(D22_OLD, "6.2",  "6.2a", "Gebiedsgerichte ondersteuning inZet", "lasten", "-9317523.18", "zorg"),
    BaseLine(D22_OLD, "6.81", (("6.81a", "0.55", "Beschermd wonen"),
                               ("6.81b", "0.45", "Maatschappelijke opvang")),
             "Beschermd wonen en maatschappelijke opvang", "lasten", "-579257.38", "zorg"),
    BaseLine(D22_OLD, "6.2",  "6.2a", "Apparaatskosten Wmo en welzijn", "lasten", "-486122.59"),
    BaseLine(D22_OLD, "6.71", "6.71a", "Eigen bijdrage Wmo", "baten", "1113406.28"),
    BaseLine(D22_OLD, "6.71", "6.71b", "Wmo: terugontvangsten hulpmiddelen", "baten", "304918.61"),
    BaseLine(D22_OLD, "6.81", "6.81a", "Beschermd wonen: bijdrage centrumgemeente", "baten", "291555.66"),

    # 2.3 gezondheid: GGD Haaglanden 1,5; negative baten from a correction
    BaseLine(D23, "7.1",  "7.1",  "GGD Haaglanden", "lasten", "-1498316.42"),
    BaseLine(D23, "7.1",  "7.1",  "Gezondheidsbeleid en preventieakkoord", "lasten", "-141207.85"),
    BaseLine(D23, "6.81", "6.81b", "Aanpak huiselijk geweld en kindermishandeling", "lasten", "-85515.73"),
    BaseLine(D23, "7.1",  "7.1",  "GGD Haaglanden: correctie afrekening vorig jaar", "baten", "-26412.37",
             only_2021_rekening=True),
    BaseLine(D23, "7.1",  "7.1",  "Gezondheidsbeleid: bijdragen derden", "baten", "7262.37"),

    # 2.4 meedoen: mantelzorg/vrijwilligers 1,0; ouderenzorg 0,8; integratie 0,7; bemoeizorg 0,7 / 0,4 baten;
    # cliëntondersteuning 0,6; materiële dienstverlening 0,7; gebiedsgerichte ondersteuning 2,5
    BaseLine(D24, "6.1",  "6.1",  "Mantelzorg- en vrijwilligersondersteuning", "lasten", "-1003420.16"),
    BaseLine(D24, "6.1",  "6.1",  "Ouderenzorg en ouderenwerk", "lasten", "-812305.44"),
    BaseLine(D24, "6.1",  "6.1",  "Integratie en participatie nieuwkomers", "lasten", "-697210.83"),
    BaseLine(D24, "6.81", "6.81b", "Bemoeizorg (geëscaleerde zorg 18+)", "lasten", "-704118.29"),
    BaseLine(D24, "6.2",  "6.2a", "Cliëntondersteuning", "lasten", "-598734.62"),
    BaseLine(D24, "6.2",  "6.2a", "Materiële dienstverlening", "lasten", "-701563.91"),
    BaseLine(D24, "6.2",  "6.2a", "Gebiedsgerichte ondersteuning inZet", "lasten", "-2487630.45", "zorg"),
    BaseLine(D24, "6.1",  "6.1",  "Welzijnswerk en buurthuizen", "lasten", "-1612480.27"),
    BaseLine(D24, "6.1",  "6.1",  "Eenzaamheid en Eten & Ontmoeten", "lasten", "-448917.36"),
    BaseLine(D24, "6.1",  "6.1",  "Wijkgericht werken", "lasten", "-603112.58"),
    BaseLine(D24, "6.2",  "6.2a", "Apparaatskosten Wmo en welzijn", "lasten", "-1325716.86"),
    BaseLine(D24, "6.81", "6.81b", "Bemoeizorg: bijdragen", "baten", "402316.84"),
    BaseLine(D24, "6.1",  "6.1",  "Integratie: rijksbijdrage", "baten", "118225.19"),
    BaseLine(D24, "6.1",  "6.1",  "Welzijnswerk: huuropbrengsten", "baten", "78418.27"),
]
# fmt: on

# Exact euro totals per doelstelling of the 2021 rekening (excluding the reserve mutation).
GOAL_TOTALS_2021 = {
    (D21, "baten"): Decimal("364210.00"), (D21, "lasten"): Decimal("-65776123.45"),
    (D22_OLD, "baten"): Decimal("1709880.55"), (D22_OLD, "lasten"): Decimal("-31765880.10"),
    (D23, "baten"): Decimal("-19150.00"), (D23, "lasten"): Decimal("-1725040.00"),
    (D24, "baten"): Decimal("598960.30"), (D24, "lasten"): Decimal("-10995210.77"),
}

# Reserve mutations (reservemutatie = ja): an onttrekking (baten) and toevoeging (lasten)
# of equal size on the new goal 2.2. Only the 2021 rekening one is published.
RESERVE_KOSTENPLAATS = "Reserve sociaal domein: toevoeging en onttrekking"
RESERVE_MUTATIONS = {
    (2021, REKENING): Decimal("69000.00"),
    (2022, REKENING): Decimal("412500.00"),
    (2024, NA_WIJZIGING): Decimal("250000.00"),
}

# Published figures of the 2021 rekening, x EUR 1.000, per doelstelling (code, name):
# baten, lasten, saldo (table "Gerealiseerde baten, lasten en saldo per doelstelling").
PUBLISHED_2021 = {
    ("2.1", "Bevorderen vroegtijdige, toegankelijke, passende en effectieve jeugdhulp"): (364, -65776, -65412),
    ("2.2", "Bevorderen meedoen aan de samenleving en zelfstandig wonen"): (69, -69, 0),
    ("2.2", "Langer zelfstandig wonen"): (1710, -31766, -30056),
    ("2.3", "Bevorderen gezondheid, veiligheid en welbevinden"): (-19, -1725, -1744),
    ("2.4", "Meedoen naar vermogen, ongeacht aard van de beperking"): (599, -10995, -10396),
}
# Programme header 2021 (excluding reserve mutations), x EUR 1.000: uitgaven, inkomsten, saldo.
PUBLISHED_2021_PROGRAMME = (-110262, 2654, -107608)
# Municipal totals: 2021 rekening as chosen for the published shares; other years grow.
MUNICIPAL_2021 = Decimal("497800000.00")
MUNICIPAL_GROWTH = Decimal("1.04")
MUNICIPAL_FASE_FACTOR = {PRIMITIEF: Decimal("0.975"), NA_WIJZIGING: Decimal("0.995"), REKENING: Decimal("1")}


# --------------------------------------------------------------------------- reference

def read_reference() -> tuple[dict, dict]:
    """Goal versions {versie: (code, naam, van, tot)} and taakvelden {code: (van, tot)}."""
    def years(row):
        return int(row["geldig_van_jaar"]), int(row["geldig_tot_jaar"] or 9999)

    with open(REFERENCE_DIR / "doelstellingen.csv", encoding="utf-8", newline="") as f:
        goals = {
            r["doelstelling_versie"]: (r["doelstelling_code"], r["doelstelling_naam"], *years(r))
            for r in csv.DictReader(f)
            if r["gemeente_code"] == GEMEENTE and r["programma_code"] == PROGRAMMA
        }
    with open(REFERENCE_DIR / "taakvelden.csv", encoding="utf-8", newline="") as f:
        taakvelden = {r["taakveld_code"]: years(r) for r in csv.DictReader(f)}
    return goals, taakvelden


GOALS, TAAKVELDEN = read_reference()


# --------------------------------------------------------------------------- amounts

def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def to_thousands(value: Decimal) -> int:
    """Round euros to thousands of euros, half away from zero (ROUND_HALF_UP in decimal)."""
    return int((value / 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def format_nl(value: Decimal) -> str:
    """-65776123.45 -> '-65.776.123,45' (thousands dot, decimal comma, 2 decimals)."""
    text = f"{cents(value):,.2f}"                 # '-65,776,123.45'
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def parse_nl(text: str) -> Decimal:
    return Decimal(text.strip().replace(".", "").replace(",", "."))


def factor(seed: str, low: float, high: float) -> Decimal:
    """A deterministic pseudo-random factor in [low, high], 4 decimals."""
    return Decimal(f"{random.Random(seed).uniform(low, high):.4f}")


def trend(line: BaseLine, year: int) -> Decimal:
    """The line's amount in `year` on its growth path through the 2021 rekening."""
    low, high = GROWTH[line.growth]
    value = Decimal(line.bedrag_2021)
    step = 1 if year > BASE_YEAR else -1
    for y in range(BASE_YEAR + step, year + step, step):
        # growth into year t (from t-1) is keyed on t, so both directions use the same rates
        t = max(y, y - step)
        g = 1 + factor(f"growth|{line.kostenplaats}|{line.soort}|{t}", low, high)
        value = value * g if step > 0 else value / g
    return value


def fase_factor(line: BaseLine, year: int, fase: str) -> Decimal:
    """Budgets lie below the trend (na wijziging a bit above primitief); rekening around it."""
    if (year, fase) == (BASE_YEAR, REKENING):
        return Decimal(1)
    key = f"{line.kostenplaats}|{line.soort}|{year}"
    primitief = factor(f"primitief|{year}", 0.955, 0.980)
    if fase == PRIMITIEF:
        return primitief * factor(f"noise-p|{key}", 0.995, 1.005)
    if fase == NA_WIJZIGING:
        return (primitief + factor(f"wijziging|{year}", 0.015, 0.035)) * factor(f"noise-w|{key}", 0.995, 1.005)
    return factor(f"rekening|{year}", 0.990, 1.015) * factor(f"noise-r|{key}", 0.985, 1.015)


# --------------------------------------------------------------------------- ledger lines

@dataclass
class LedgerLine:
    goal: str
    taakveld: str
    kostenplaats: str
    soort: str
    reservemutatie: bool
    bedrag: Decimal


def split(line: BaseLine, amount: Decimal, year: int) -> list[tuple[str, str, Decimal]]:
    """(taakveld, kostenplaats, amount) parts; from 2025 a line may split over new taakvelden."""
    if year < NEW_TREE_YEAR:
        return [(line.taakveld, line.kostenplaats, amount)]
    if isinstance(line.taakveld_2025, str):
        return [(line.taakveld_2025, line.kostenplaats, amount)]
    parts, rest = [], amount
    for i, (code, share, kostenplaats) in enumerate(line.taakveld_2025):
        part = rest if i == len(line.taakveld_2025) - 1 else cents(amount * Decimal(share))
        parts.append((code, kostenplaats, part))
        rest -= part
    return parts


def ledger_lines(year: int, fase: str) -> list[LedgerLine]:
    merged: dict[tuple, Decimal] = {}   # insertion-ordered; merges absorbed cost centres
    for line in LINES_2021:
        if line.only_2021_rekening and (year, fase) != (BASE_YEAR, REKENING):
            continue
        goal = GOAL_FROM_2025[line.goal] if year >= NEW_TREE_YEAR else line.goal
        amount = cents(trend(line, year) * fase_factor(line, year, fase))
        for taakveld, kostenplaats, part in split(line, amount, year):
            key = (goal, taakveld, kostenplaats, line.soort, False)
            merged[key] = merged.get(key, Decimal(0)) + part
    reserve = RESERVE_MUTATIONS.get((year, fase))
    if reserve:
        merged[(D22_NEW, "6.1", RESERVE_KOSTENPLAATS, "baten", True)] = reserve
        merged[(D22_NEW, "6.1", RESERVE_KOSTENPLAATS, "lasten", True)] = -reserve
    lines = [LedgerLine(*key, bedrag) for key, bedrag in merged.items()]
    # per goal: lasten before baten, reserve mutations last; otherwise table order (stable sort)
    lines.sort(key=lambda line: (GOAL_ORDER.index(line.goal), line.reservemutatie, line.soort == "baten"))
    for line in lines:
        check_valid(line, year)
    return lines


def check_valid(line: LedgerLine, year: int) -> None:
    code, naam, van, tot = GOALS[line.goal]
    assert van <= year <= tot, f"{year}: doelstelling {code} {naam!r} not valid"
    van, tot = TAAKVELDEN[line.taakveld]
    assert van <= year <= tot, f"{year}: taakveld {line.taakveld} not valid"


def rows(year: int, fase: str, lines: list[LedgerLine]) -> list[list]:
    out = []
    for line in lines:
        code, naam, _, _ = GOALS[line.goal]
        out.append([GEMEENTE, year, fase, PROGRAMMA, code, naam, line.taakveld, line.kostenplaats,
                    line.soort, "ja" if line.reservemutatie else "nee", line.bedrag])
    return out


# --------------------------------------------------------------------------- writers

def file_format(year: int, fase: str) -> tuple[str, str, bool]:
    """(extension, encoding, upper-case header): the format variety of the samples."""
    if (year, fase) == (2025, PRIMITIEF):
        return "xlsx", "", False
    if year == 2019:
        return "csv", "cp1252", False
    if year == 2020:
        return "csv", "utf-8-sig", False
    return "csv", "utf-8", year == 2022


def write_csv(path: Path, header: list[str], data: list[list], encoding: str = "utf-8") -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    for row in data:
        writer.writerow([format_nl(v) if isinstance(v, Decimal) else v for v in row])
    path.write_bytes(buf.getvalue().encode(encoding))   # strict: fails on unencodable text


def write_xlsx(path: Path, header: list[str], data: list[list]) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "financien"
    ws.append(header)
    for row in data:
        ws.append([float(round(v, 2)) if isinstance(v, Decimal) else v for v in row])
        ws.cell(ws.max_row, len(row)).number_format = "#,##0.00"
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(normalise_xlsx(buf.getvalue()))


def normalise_xlsx(data: bytes) -> bytes:
    """Fix the timestamps openpyxl writes (zip entries, document properties) for identical bytes."""
    fixed = "2024-09-17T00:00:00Z"
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>" + fixed.encode(), content)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=(2024, 9, 17, 0, 0, 0)), content,
                         compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def ledger_path(year: int, fase: str) -> Path:
    ext, _, _ = file_format(year, fase)
    return LEDGER_DIR / f"financien_{GEMEENTE}_{year}_{fase.replace(' ', '_')}.{ext}"


def write_ledgers() -> dict[tuple[int, str], list[LedgerLine]]:
    LEDGER_DIR.mkdir(parents=True, exist_ok=True)
    written = {}
    for fase, years in FASE_YEARS.items():
        for year in years:
            lines = ledger_lines(year, fase)
            ext, encoding, upper = file_format(year, fase)
            header = [c.upper() for c in COLUMNS] if upper else COLUMNS
            if ext == "xlsx":
                write_xlsx(ledger_path(year, fase), header, rows(year, fase, lines))
            else:
                write_csv(ledger_path(year, fase), header, rows(year, fase, lines), encoding)
            written[(year, fase)] = lines
    return written


def municipal_uitgaven(year: int, fase: str) -> Decimal:
    """Municipal lasten excluding reserve mutations (positive): 2021 rekening grown 4% a year."""
    value = MUNICIPAL_2021 * MUNICIPAL_GROWTH ** (year - BASE_YEAR) * MUNICIPAL_FASE_FACTOR[fase]
    return value.quantize(Decimal("1E3"), rounding=ROUND_HALF_UP)


def write_municipal_totals(partitions) -> Path:
    TOTALS_DIR.mkdir(parents=True, exist_ok=True)
    fase_order = list(FASE_YEARS)
    data = []
    for year, fase in sorted(partitions, key=lambda p: (p[0], fase_order.index(p[1]))):
        uitgaven = municipal_uitgaven(year, fase)
        data.append([GEMEENTE, year, fase, -uitgaven, uitgaven])   # balanced municipality
    path = TOTALS_DIR / f"gemeentetotalen_{GEMEENTE}.csv"
    write_csv(path, TOTALS_COLUMNS, data)
    return path


# --------------------------------------------------------------------------- self-check

def read_back(path: Path) -> list[dict]:
    """Read a written file the way the contract describes (encoding detection, header rules)."""
    if path.suffix == ".xlsx":
        ws = openpyxl.load_workbook(path).worksheets[0]
        table = [[("" if v is None else v) for v in r] for r in ws.iter_rows(values_only=True)]
    else:
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252")
        table = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    header = [h.strip().lower().replace(" ", "_") for h in table[0]]
    return [dict(zip(header, r, strict=False)) for r in table[1:]]


def amount(value) -> Decimal:
    return cents(Decimal(str(value))) if isinstance(value, (int, float)) else parse_nl(value)


def check_2021_rekening() -> None:
    lines = read_back(ledger_path(BASE_YEAR, REKENING))
    per_goal = defaultdict(Decimal)
    programme = defaultdict(Decimal)
    for r in lines:
        bedrag = amount(r["bedrag"])
        per_goal[(r["doelstelling_code"], r["doelstelling_naam"], r["soort"])] += bedrag
        if r["reservemutatie"] == "ja":
            assert r["taakveld_code"] == "6.1" and abs(bedrag) == Decimal("69000.00"), r
            assert r["doelstelling_naam"] == "Bevorderen meedoen aan de samenleving en zelfstandig wonen", r
        else:
            programme[r["soort"]] += bedrag
    assert sum(r["reservemutatie"] == "ja" for r in lines) == 2

    print(f"check 2021 rekening ({len(lines)} lines), x EUR 1.000: baten / lasten / saldo")
    for (code, naam), published in PUBLISHED_2021.items():
        baten, lasten = per_goal[(code, naam, "baten")], per_goal[(code, naam, "lasten")]
        got = (to_thousands(baten), to_thousands(lasten), to_thousands(baten + lasten))
        assert got == published, (code, naam, got, published)
        print(f"  {code} {naam}: {got[0]} / {got[1]} / {got[2]}  (euros {format_nl(baten)} / {format_nl(lasten)})")
    assert len(per_goal) == 2 * len(PUBLISHED_2021), "unexpected doelstelling in 2021"

    # the exact euro totals per goal (excluding the reserve mutation)
    for (goal, soort), total in GOAL_TOTALS_2021.items():
        code, naam, _, _ = GOALS[goal]
        assert per_goal[(code, naam, soort)] == total, (goal, soort, per_goal[(code, naam, soort)], total)

    uitgaven, inkomsten = programme["lasten"], programme["baten"]
    got = (to_thousands(uitgaven), to_thousands(inkomsten), to_thousands(uitgaven + inkomsten))
    assert got == PUBLISHED_2021_PROGRAMME, got
    print(f"  programme excl. reserve: uitgaven {got[0]}, inkomsten {got[1]}, saldo {got[2]}")

    # municipal totals 2021: shares round to the published 22,15% and 0,53%
    totals = {(int(r["jaar"]), r["fase"]): r for r in read_back(TOTALS_DIR / f"gemeentetotalen_{GEMEENTE}.csv")}
    municipal = totals[(BASE_YEAR, REKENING)]
    assert amount(municipal["uitgaven"]) == -MUNICIPAL_2021 and amount(municipal["inkomsten"]) == MUNICIPAL_2021
    share_u = (100 * uitgaven / -MUNICIPAL_2021).quantize(CENT, rounding=ROUND_HALF_UP)
    share_i = (100 * inkomsten / MUNICIPAL_2021).quantize(CENT, rounding=ROUND_HALF_UP)
    assert (share_u, share_i) == (Decimal("22.15"), Decimal("0.53")), (share_u, share_i)
    print(f"  share of municipal total: uitgaven {share_u}%, inkomsten {share_i}%")


def check_all_files(written) -> None:
    """Contract rules for every written file: header, goal and taakveld validity, signs, sizes."""
    totals = {(int(r["jaar"]), r["fase"]): r for r in read_back(TOTALS_DIR / f"gemeentetotalen_{GEMEENTE}.csv")}
    assert set(totals) == set(written)
    for year, fase in written:
        path = ledger_path(year, fase)
        lines = read_back(path)
        assert list(lines[0]) == COLUMNS, path
        assert 20 <= len(lines) <= 45, (path, len(lines))
        lasten = Decimal(0)
        for r in lines:
            assert int(r["jaar"]) == year and r["fase"] == fase and r["gemeente_code"] == GEMEENTE
            goal = next(v for v, g in GOALS.items() if g[:2] == (r["doelstelling_code"], r["doelstelling_naam"]))
            check_valid(LedgerLine(goal, r["taakveld_code"], "", "", False, Decimal(0)), year)
            bedrag = amount(r["bedrag"])
            correction = "correctie" in r["kostenplaats"]   # may carry the opposite sign
            assert bedrag != 0 and ((bedrag < 0) == (r["soort"] == "lasten") or correction), r
            if r["soort"] == "lasten" and r["reservemutatie"] == "nee":
                lasten += bedrag
        share = lasten / amount(totals[(year, fase)]["uitgaven"])
        assert Decimal("0.20") <= share <= Decimal("0.25"), (year, fase, share)
    text = ledger_path(2019, PRIMITIEF).read_bytes()
    assert b"\xeb" in text, "2019 must be Windows-1252 with non-ASCII text"      # 'ë' in cp1252
    assert ledger_path(2020, PRIMITIEF).read_bytes().startswith(b"\xef\xbb\xbf")


def main() -> None:
    # the 2021 table must add up to the published euro totals before anything is written
    for (goal, soort), total in GOAL_TOTALS_2021.items():
        got = sum(Decimal(line.bedrag_2021) for line in LINES_2021 if (line.goal, line.soort) == (goal, soort))
        assert got == total, (goal, soort, got, total)

    written = write_ledgers()
    totals_path = write_municipal_totals(written)
    for (year, fase), lines in sorted(written.items()):
        print(f"{ledger_path(year, fase).relative_to(SEEDS_DIR)}: {len(lines)} lines")
    print(f"{totals_path.relative_to(SEEDS_DIR)}: {len(written)} lines")

    check_all_files(written)
    check_2021_rekening()
    print("all checks passed")


if __name__ == "__main__":
    main()
