"""Write the sample registration exports of gemeente Zoetermeer (GM0637), deterministic.

    python seeds/generators/registraties.py

Output (docs/sources.md, "Sample sources"):

    seeds/sample_landing/registraties/
        jeugdhulp/jeugdhulp_GM0637_2015-2020_20210127.csv   export 2015-2020
        jeugdhulp/jeugdhulp_GM0637_2021-2024_20250113.csv   rejected: a birth date after the start
        jeugdhulp/jeugdhulp_GM0637_2021-2024_20250120.csv   rejected: an end before the start
        jeugdhulp/jeugdhulp_GM0637_2021-2024_20250127.csv   export 2021-2024
        wmo/wmo_GM0637_2019-2024_20250127.csv               export 2019-2024

Published facts reproduced exactly (counted with the rules of docs/model.md):
4.548 unique youths in 2021, 2,5% more than in 2020 (4.437); 2.261 of 4.923
youths with three years or more in 2023 (45,9%); 47,8% in 2019 (the recalculated
figure); and mean ages at instroom and uitstroom in 2021 above their targets
(Doel gehaald: Nee). The other unique-youth counts, shares and mean ages follow
the sample indicator file (the typed-in figures the registration replaces).
The Wmo client counts are illustrative, chosen with the sample ledger's Wmo
maatwerk lasten (taakveld 6.71) so that the budget per client follows the
Jaarstukken 2021: fewer clients than in 2020, higher costs per client, and
below the budgeted 7.400 (Doel gehaald: Ja). Everything else is illustrative.

How: a seeded simulation of youths entering care from 2006 on (short and long
care, re-entries, the awkward cases below), then exact adjustments per year:
the three-year count by moving the end of a single trajectory that started three
years earlier to just before or after its third anniversary, the unique count by
adding or removing youths whose only care lies within the year, the mean ages by
shifting the birth year of youths whose other figures do not depend on it. The
__main__ block recounts everything from the written files and asserts it.

The awkward cases: overlapping trajectories at two providers; a trajectory
starting the day after another ends (one care period) and one starting two days
after (two periods); lines of the same trajectory overlapping at the same
provider (merged); still-running trajectories (empty einddatum); youths who turn
23 during a period; jeugdbescherming and jeugdreclassering next to jeugdhulp (not
counted); year and month of birth only; unknown wijk; trajectories that run
across the two export periods (in both files); and two rejected exports.
"""

from __future__ import annotations

import csv
import random
import zlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent
JEUGDHULP_DIR = SEEDS / "sample_landing" / "registraties" / "jeugdhulp"
WMO_DIR = SEEDS / "sample_landing" / "registraties" / "wmo"
GEMEENTE = "GM0637"
DAY = timedelta(days=1)

# The two jeugdhulp exports: (periode_begin, periode_einde, export date in the file name).
EXPORTS = ((date(2015, 1, 1), date(2020, 12, 31), "20210127"), (date(2021, 1, 1), date(2024, 12, 31), "20250127"))
FIRST_YEAR, LAST_YEAR = 2015, 2024
TARGET_YEARS = range(2019, 2025)
UNIQUE = {2019: 4512, 2020: 4437, 2021: 4548, 2022: 4701, 2023: 4923, 2024: 5010}
# Youths with three years or more: 47,8% (2019, recalculated), 47,1 46,5 46,2 45,9 (2.261 / 4.923) 45,5%.
THREE_YEARS = {2019: 2157, 2020: 2090, 2021: 2115, 2022: 2172, 2023: 2261, 2024: 2280}
AGE_IN = {2019: 10.9, 2020: 10.8, 2021: 11.2, 2022: 11.0, 2023: 10.9, 2024: 10.8}  # 2021 target 10,5
AGE_OUT = {2019: 14.3, 2020: 14.1, 2021: 14.3, 2022: 14.2, 2023: 14.0, 2024: 13.9}  # 2021 target 14,0
ENTRANTS = 1040  # youths entering care a year; fewer in 2020 (COVID-19)
ENTRANTS_2020 = 900


def long_share(year: int) -> float:
    """The share of entrants with long care (three years or more), rising over the years."""
    return LONG_BASE + LONG_RISE * max(0, year - 2012)


LONG_BASE, LONG_RISE = 0.36, 0.01
MAX_GAP_DAYS = 1  # dbt var jeugdhulp_max_dagen_tot_vervolgtraject
YOUTH_UNTIL = 23  # dbt var jeugdhulp_tot_leeftijd

WMO_EXPORT = (date(2019, 1, 1), date(2024, 12, 31), "20250127")
WMO_CLIENTS = {2019: 2890, 2020: 2950, 2021: 2920, 2022: 3010, 2023: 3050, 2024: 3100}

HEADER_JEUGDHULP = ("gemeente_code", "periode_begin", "periode_einde", "client_id", "geboortedatum", "geboortemaand",
                    "geslacht", "wijk", "productcategorie", "aanbieder_agb", "begindatum", "einddatum", "reden_einde")
HEADER_WMO = ("gemeente_code", "periode_begin", "periode_einde", "client_id", "geboortedatum", "geboortemaand",
              "geslacht", "wijk", "productcategorie", "begindatum", "einddatum")
REASONS = ("Beëindigd volgens plan", "Beëindigd volgens plan", "Beëindigd volgens plan", "Voortijdig afgesloten",
           "Verhuizing", "Overgang naar andere aanbieder")


def reference(name: str) -> list[dict]:
    with (SEEDS / "reference" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


COUNTED = {r["productcategorie"] for r in reference("jeugdhulp_productcategorieen")
           if r["telt_als_jeugdhulp"] == "true"}
WIJKEN = [(r["wijk_code"], r["wijk_naam"]) for r in reference("wijken") if r["gemeente_code"] == GEMEENTE]


# --- the rules, as docs/model.md states them (an independent implementation of the dbt models) ---------------

def add_years(day: date, years: int) -> date:
    """DuckDB's date + interval n year: 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def age(birth: date, day: date) -> int:
    years = day.year - birth.year
    return years - 1 if day < add_years(birth, years) else years


def last_youth_day(birth: date) -> date:
    return add_years(birth, YOUTH_UNTIL) - DAY


def merge(ranges: list[tuple[date, date | None]], gap_days: int) -> list[tuple[date, date | None]]:
    """Date ranges (end None = running) merged when one starts at most gap_days after the others ended."""
    merged: list[list] = []
    for begin, end in sorted(ranges, key=lambda r: (r[0], r[1] or date.max)):
        if merged and (merged[-1][1] is None or begin <= merged[-1][1] + timedelta(days=gap_days)):
            if merged[-1][1] is not None:
                merged[-1][1] = None if end is None else max(merged[-1][1], end)
        else:
            merged.append([begin, end])
    return [(b, e) for b, e in merged]


@dataclass
class YouthYear:
    instroom: bool = False
    uitstroom: bool = False
    three_years: bool = False
    age_in: tuple[date, int] | None = None  # (first day, age) of the first instroom
    age_out: tuple[date, int] | None = None  # (last day, age) of the last uitstroom


def count_youth(birth: date, periods: list[tuple[date, date | None]]) -> dict[int, YouthYear]:
    """The figures of one youth per year (only years with a counted day)."""
    last_day = last_youth_day(birth)
    years: dict[int, YouthYear] = {}
    for begin, end in periods:
        for year in range(max(begin.year, FIRST_YEAR), min((end or date(LAST_YEAR, 12, 31)).year, LAST_YEAR) + 1):
            first = max(begin, date(year, 1, 1))
            last = min(end or date(year, 12, 31), date(year, 12, 31), last_day)
            if first > last:
                continue
            y = years.setdefault(year, YouthYear())
            if begin.year == year and begin <= last_day:
                y.instroom = True
                if y.age_in is None or begin < y.age_in[0]:
                    y.age_in = (begin, age(birth, begin))
            if end is not None and end.year == year and end <= last_day:
                y.uitstroom = True
                if y.age_out is None or end > y.age_out[0]:
                    y.age_out = (end, age(birth, end))
            y.three_years |= last + DAY >= add_years(begin, 3)
    return years


def figures(people: dict[str, tuple[date, list]]) -> dict[int, dict]:
    """Per year: jeugdigen, instroom, uitstroom, drie_jaar_of_langer, leeftijd_instroom/uitstroom (means).
    `people` maps a client number to (date of birth, counted trajectory ranges)."""
    totals = {y: {"jeugdigen": 0, "instroom": 0, "uitstroom": 0, "drie": 0, "som_in": 0, "som_uit": 0}
              for y in range(FIRST_YEAR, LAST_YEAR + 1)}
    for birth, ranges in people.values():
        for year, y in count_youth(birth, merge(ranges, MAX_GAP_DAYS)).items():
            t = totals[year]
            t["jeugdigen"] += 1
            t["drie"] += y.three_years
            if y.instroom:
                t["instroom"] += 1
                t["som_in"] += y.age_in[1]
            if y.uitstroom:
                t["uitstroom"] += 1
                t["som_uit"] += y.age_out[1]
    for t in totals.values():
        t["leeftijd_instroom"] = t["som_in"] / t["instroom"] if t["instroom"] else None
        t["leeftijd_uitstroom"] = t["som_uit"] / t["uitstroom"] if t["uitstroom"] else None
    return totals


# --- the simulated registration ----------------------------------------------------------------------------

@dataclass
class Trajectory:
    aanbieder: str
    categorie: str
    begin: date
    end: date | None  # None: runs beyond the last export


@dataclass
class Youth:
    client_id: str
    birth: date
    sex: str
    wijk: str  # code, name, or '' (unknown)
    trajectories: list[Trajectory] = field(default_factory=list)
    month_only: bool = False  # the exports give year and month of birth only
    fixed: bool = False  # an awkward case: not used to adjust the figures

    def counted(self) -> list[tuple[date, date | None]]:
        return [(t.begin, t.end) for t in self.trajectories if t.categorie in COUNTED]

    def periods(self) -> list[tuple[date, date | None]]:
        return merge(self.counted(), MAX_GAP_DAYS)


def random_day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def birth_for(rng: random.Random, start: date, start_age: int) -> date:
    """A date of birth (never 29 February) that makes the youth start_age on `start`."""
    latest = add_years(start, -start_age)
    birth = latest - timedelta(days=rng.randrange(365))
    return birth - DAY if (birth.month, birth.day) == (2, 29) else birth


class Registration:
    def __init__(self, seed: int = 2021):
        self.rng = random.Random(seed)
        self.youths: list[Youth] = []
        self.issued = 0  # client numbers handed out
        self.providers = self._providers()

    def _providers(self) -> list[str]:
        codes = []
        while len(codes) < 24:
            code = f"73{self.rng.randrange(10**6):06d}"
            if code not in codes and not is_bsn(code):  # an AGB code that does not look like a BSN, for the sample
                codes.append(code)
        return codes

    def new_youth(self, start: date, start_age: int) -> Youth:
        rng = self.rng
        wijk_code, wijk_naam = rng.choice(WIJKEN)
        wijk = rng.choices([wijk_naam, wijk_code, wijk_naam.upper(), ""], weights=(80, 12, 3, 5))[0]
        self.issued += 1
        youth = Youth(f"JZ{self.issued:06d}", birth_for(rng, start, start_age),
                      rng.choices(["1", "2", "3", ""], weights=(55, 43, 1, 1))[0], wijk)
        self.youths.append(youth)
        return youth

    def care(self, youth: Youth, begin: date, end: date | None) -> None:
        """One care period [begin, end] as one or more trajectories (the usual texture)."""
        rng, providers = self.rng, self.providers
        kind = rng.random()
        span = ((end or date(2026, 6, 30)) - begin).days
        main = rng.choices(["45", "54", "43", "44", "41", "50", "46"], weights=(45, 25, 8, 7, 6, 6, 3))[0]
        if kind < 0.62 or span < 40:
            youth.trajectories.append(Trajectory(rng.choice(providers), main, begin, end))
        elif kind < 0.80:  # overlapping trajectories at two providers
            youth.trajectories.append(Trajectory(rng.choice(providers), main, begin, end))
            inner_begin = begin + timedelta(days=rng.randrange(span // 2))
            inner_end = inner_begin + timedelta(days=rng.randrange(20, max(21, span // 2)))
            other = "54" if main != "54" else "45"
            youth.trajectories.append(Trajectory(rng.choice(providers), other, inner_begin,
                                                 inner_end if end is None or inner_end < end else end))
        elif kind < 0.90:  # the next trajectory starts the day after the first ends: one period
            switch = begin + timedelta(days=rng.randrange(10, span - 10))
            youth.trajectories.append(Trajectory(rng.choice(providers), main, begin, switch))
            youth.trajectories.append(
                Trajectory(rng.choice(providers), rng.choice(["45", "54", "44"]), switch + DAY, end))
        elif kind < 0.95:  # two lines of one trajectory at the same provider overlap (a renewed allocation)
            provider = rng.choice(providers)
            renewal = begin + timedelta(days=rng.randrange(10, span - 10))
            overlap = renewal + timedelta(days=14)
            youth.trajectories.append(Trajectory(provider, main, begin, overlap if end is None else min(overlap, end)))
            youth.trajectories.append(Trajectory(provider, main, renewal, end))
        else:  # jeugdbescherming or jeugdreclassering next to the care: not counted
            youth.trajectories.append(Trajectory(rng.choice(providers), main, begin, end))
            youth.trajectories.append(Trajectory(rng.choice(providers), rng.choice(["48", "48", "47"]),
                                                 begin + timedelta(days=rng.randrange(span // 2 + 1)), end))

    def simulate(self) -> None:
        """Youths entering care from 2006 on; the registration keeps those with care from 2015."""
        rng = self.rng
        for year in range(2006, LAST_YEAR + 1):
            for _ in range(ENTRANTS_2020 if year == 2020 else ENTRANTS):
                begin = random_day(rng, date(year, 1, 1), date(year, 12, 31))
                if rng.random() < long_share(year):  # long care: three to ten years
                    start_age, days = rng.randint(4, 14), rng.randint(3 * 365 + 30, 11 * 365)
                else:
                    start_age, days = rng.randint(8, 17), int(rng.expovariate(1 / 260)) + 14
                end = begin + timedelta(days=days)
                if end < date(FIRST_YEAR, 1, 1):
                    continue
                youth = self.new_youth(begin, start_age)
                self.care(youth, begin, None if end > date(LAST_YEAR, 12, 31) else end)
                if rng.random() < 0.06 and end < date(LAST_YEAR, 6, 30):  # re-entry after a gap
                    gap = 2 if rng.random() < 0.3 else rng.randint(3, 500)
                    again = end + timedelta(days=gap)
                    if again <= date(LAST_YEAR, 12, 31):
                        later = again + timedelta(days=rng.randint(30, 700))
                        self.care(youth, again, None if later > date(LAST_YEAR, 12, 31) else later)

    def awkward_cases(self) -> None:
        """A few named cases, kept as they are (docs/sources.md)."""
        # Turns 23 during a period: counted up to the day before the 23rd birthday, no uitstroom at 23.
        for year in (2019, 2021, 2023):
            youth = self.new_youth(date(year - 3, 3, 1), 20)
            youth.trajectories.append(Trajectory(self.providers[0], "44", date(year - 3, 3, 1), date(year + 1, 5, 31)))
            youth.fixed = True
        # Starts two days after the previous care ended: two periods (uitstroom, then instroom).
        youth = self.new_youth(date(2021, 2, 1), 9)
        youth.trajectories += [Trajectory(self.providers[1], "45", date(2021, 2, 1), date(2021, 6, 30)),
                               Trajectory(self.providers[2], "54", date(2021, 7, 2), None)]
        youth.fixed = True
        # Year and month of birth only (an older system), all care within the first export.
        for n in range(12):
            youth = self.new_youth(date(2016, 1 + n, 10), 8 + n % 6)
            youth.birth = youth.birth.replace(day=1)
            youth.month_only = True
            youth.trajectories.append(Trajectory(self.providers[3], "45", date(2016, 1 + n, 10), date(2017, 1 + n, 20)))
            youth.fixed = True

    # --- exact adjustments --------------------------------------------------------------------------------

    def people(self) -> dict[str, tuple[date, list]]:
        return {y.client_id: (y.birth, y.counted()) for y in self.youths}

    def single(self, youth: Youth) -> Trajectory | None:
        """The youth's only trajectory, when there is exactly one and it counts."""
        if youth.fixed or len(youth.trajectories) != 1 or youth.trajectories[0].categorie not in COUNTED:
            return None
        return youth.trajectories[0]

    def adjust_three_years(self, year: int) -> None:
        """Move the end of single trajectories from year - 3 to just before or after the third anniversary;
        add youths in care from year - 3 until after it when that is not enough."""
        have = figures(self.people())[year]["drie"]
        candidates = []
        for youth in self.youths:
            t = self.single(youth)
            if (t and t.begin.year == year - 3 and t.end and t.end.year == year and t.begin.month > 1
                    and last_youth_day(youth.birth) > date(year + 1, 12, 31)):
                candidates.append((youth, t))
        self.rng.shuffle(candidates)
        for _, t in candidates:
            if have == THREE_YEARS[year]:
                return
            anniversary = add_years(t.begin, 3) - DAY  # ends on or after this day: three years
            is_three = t.end >= anniversary
            if have < THREE_YEARS[year] and not is_three:
                t.end = random_day(self.rng, anniversary, date(year, 12, 31))
                have += 1
            elif have > THREE_YEARS[year] and is_three:
                t.end = random_day(self.rng, date(year, 1, 1), anniversary - DAY)
                have -= 1
        while have < THREE_YEARS[year]:  # a youth in care from year - 3 until after the third anniversary
            begin = random_day(self.rng, date(year - 3, 2, 1), date(year - 3, 12, 31))
            youth = self.new_youth(begin, self.rng.randint(4, 12))
            youth.trajectories.append(Trajectory(self.rng.choice(self.providers), "45", begin,
                                                 random_day(self.rng, add_years(begin, 3), date(year, 12, 31))))
            have += 1
        assert have == THREE_YEARS[year], (year, have, "not enough trajectories to shorten")

    def adjust_unique(self, year: int) -> None:
        """Add youths whose only care lies within the year, or remove youths whose only care starts in the year
        and ends within it or the next (later years are adjusted after this one)."""
        difference = UNIQUE[year] - figures(self.people())[year]["jeugdigen"]
        if difference < 0:
            within = [y for y in self.youths if (t := self.single(y)) and t.begin.year == year and t.end
                      and t.end.year in (year, min(year + 1, LAST_YEAR))]
            assert len(within) >= -difference, (year, difference)
            removed = {y.client_id for y in self.rng.sample(within, -difference)}
            self.youths = [y for y in self.youths if y.client_id not in removed]
        for _ in range(difference):
            begin = random_day(self.rng, date(year, 1, 5), date(year, 8, 31))
            youth = self.new_youth(begin, self.rng.randint(6, 17))
            youth.trajectories.append(Trajectory(self.rng.choice(self.providers), "45", begin,
                                                 random_day(self.rng, begin + 30 * DAY, date(year, 12, 20))))

    def adjust_ages(self, year: int) -> None:
        """Move birthdays of youths with one care period across the first day of a period that starts in the year
        (instroom) or the last day of one that ends in it (uitstroom): that age changes by one year and no other
        figure changes, because the age at the other end stays and the youth stays far from the age limit."""
        for key, target in (("in", AGE_IN[year]), ("uit", AGE_OUT[year])):
            total = figures(self.people())[year]
            n, current = total["instroom" if key == "in" else "uitstroom"], total[f"som_{key}"]
            wanted = round(target * n)
            step = 1 if wanted > current else -1
            candidates = [y for y in self.youths if not y.fixed and len(periods := y.periods()) == 1
                          and (periods[0][0] if key == "in" else periods[0][1] or date.max).year == year]
            self.rng.shuffle(candidates)
            progress = True
            while current != wanted and progress:  # pass after pass: a running youth can move more than a year
                progress = False
                for youth in candidates:
                    if current == wanted:
                        break
                    begin, end = youth.periods()[0]
                    moved, kept = (begin, end) if key == "in" else (end, begin)
                    birth = self._moved_birth(youth.birth, moved, kept, step, end)
                    if birth is not None:
                        youth.birth, current, progress = birth, current + step, True
            assert current == wanted, (year, key, current, wanted)

    @staticmethod
    def _moved_birth(birth: date, moved: date, kept: date | None, step: int, end: date | None) -> date | None:
        """The nearest date of birth at which the age on `moved` is `step` higher and the age on `kept` (if any)
        the same, at least 1 year old at the start and, before and after, never 23 before the care ends (or 2025
        while running)."""
        for days in range(1, 366):
            for candidate in (birth - timedelta(days=days * step), birth + timedelta(days=days * step)):
                if (candidate.month, candidate.day) == (2, 29):
                    continue
                if age(candidate, moved) != age(birth, moved) + step:
                    continue
                if kept is not None and kept.year <= LAST_YEAR and age(candidate, kept) != age(birth, kept):
                    continue
                start = min(moved, kept) if kept else moved
                limit = end or date(LAST_YEAR + 1, 12, 31)
                if age(candidate, start) < 1 or min(last_youth_day(candidate), last_youth_day(birth)) <= limit:
                    continue
                return candidate
        return None

    def build(self) -> None:
        self.simulate()
        self.awkward_cases()
        for year in TARGET_YEARS:
            self.adjust_three_years(year)
        for year in TARGET_YEARS:
            self.adjust_unique(year)
        for year in TARGET_YEARS:
            self.adjust_ages(year)


# --- the Wmo registration ----------------------------------------------------------------------------------

# productcategorie: (share of provisions, duration in days: min, max)
WMO_KINDS = {"01": (38, 300, 3000), "02": (20, 200, 1100), "07": (8, 200, 1500), "08": (6, 300, 2000),
             "12": (6, 400, 2500), "11": (8, 300, 1800), "14": (6, 60, 700), "13": (6, 20, 90), "04": (2, 7, 60)}


@dataclass
class Client:
    client_id: str
    birth: date
    sex: str
    wijk: str
    provisions: list[tuple[str, date, date | None]] = field(default_factory=list)  # (productcategorie, begin, end)


class WmoRegistration:
    def __init__(self, seed: int = 2015):
        self.rng = random.Random(seed)
        self.clients: list[Client] = []
        self.issued = 0

    def new_client(self, start: date) -> Client:
        rng = self.rng
        self.issued += 1
        wijk_code, wijk_naam = rng.choice(WIJKEN)
        ages = [rng.randint(18, 64), rng.randint(65, 96), rng.randint(65, 96), rng.randint(4, 17)]
        start_age = rng.choice(ages if rng.random() < 0.02 else ages[:3])  # a few children (woonvoorzieningen)
        client = Client(f"WM{self.issued:06d}", birth_for(rng, start, start_age),
                        rng.choices(["1", "2", ""], weights=(42, 57, 1))[0],
                        rng.choices([wijk_naam, wijk_code, ""], weights=(85, 12, 3))[0])
        self.clients.append(client)
        return client

    def provision(self, client: Client, begin: date, kind: str | None = None) -> None:
        kind = kind or self.rng.choices(list(WMO_KINDS), weights=[w for w, _, _ in WMO_KINDS.values()])[0]
        _, shortest, longest = WMO_KINDS[kind]
        end = begin + timedelta(days=self.rng.randint(shortest, longest))
        client.provisions.append((kind, begin, None if end > WMO_EXPORT[1] else end))

    def simulate(self) -> None:
        for year in range(2012, LAST_YEAR + 1):
            for _ in range(650):
                begin = random_day(self.rng, date(year, 1, 1), date(year, 12, 31))
                client = self.new_client(begin)
                self.provision(client, begin)
                if self.rng.random() < 0.3:  # a second provision, e.g. begeleiding next to huishoudelijke hulp
                    self.provision(client, begin + timedelta(days=self.rng.randint(0, 400)))
        first = WMO_EXPORT[0]
        self.clients = [c for c in self.clients if any(e is None or e >= first for _, _, e in c.provisions)]

    def adjust(self) -> None:
        """Per year, add clients whose only provision lies within the year (a woningaanpassing), or remove
        clients whose only provision starts in the year and ends within it or the next."""
        for year in TARGET_YEARS:
            difference = WMO_CLIENTS[year] - wmo_counts(self.people())[year]
            if difference < 0:
                within = [c for c in self.clients if len(c.provisions) == 1 and c.provisions[0][1].year == year
                          and c.provisions[0][2] and c.provisions[0][2].year in (year, min(year + 1, LAST_YEAR))]
                removed = {c.client_id for c in self.rng.sample(within, -difference)}
                self.clients = [c for c in self.clients if c.client_id not in removed]
            for _ in range(difference):
                begin = random_day(self.rng, date(year, 1, 5), date(year, 10, 31))
                end = begin + timedelta(days=self.rng.randint(20, 60))
                self.new_client(begin).provisions.append(("13", begin, end))

    def people(self) -> dict[str, list]:
        return {c.client_id: [(b, e) for _, b, e in c.provisions] for c in self.clients}


def wmo_counts(people: dict[str, list]) -> dict[int, int]:
    """Unique clients with at least one day of a provision in each year of the export."""
    counts = {year: 0 for year in range(WMO_EXPORT[0].year, WMO_EXPORT[1].year + 1)}
    for ranges in people.values():
        for year in counts:
            counts[year] += any(b <= date(year, 12, 31) and (e is None or e >= date(year, 1, 1)) for b, e in ranges)
    return counts


def write_wmo(registration: WmoRegistration) -> Path:
    begin, end, stamp = WMO_EXPORT
    rows = []
    for client in registration.clients:
        for kind, first, last in client.provisions:
            if first > end or (last is not None and last < begin):
                continue
            rows.append((GEMEENTE, begin.isoformat(), end.isoformat(), client.client_id, client.birth.isoformat(), "",
                         client.sex, client.wijk, kind, first.isoformat(), last.isoformat() if last else ""))
    path = WMO_DIR / f"wmo_GM0637_{begin.year}-{end.year}_{stamp}.csv"
    write(path, HEADER_WMO, sorted(rows, key=lambda r: (r[3], r[9], r[8])))
    return path


def read_wmo(path: Path) -> dict[str, list]:
    people: dict[str, list] = {}
    for row in csv.DictReader(path.open(encoding="utf-8", newline=""), delimiter=";"):
        end = date.fromisoformat(row["einddatum"]) if row["einddatum"] else None
        people.setdefault(row["client_id"], []).append((date.fromisoformat(row["begindatum"]), end))
    return people


# --- writing ---------------------------------------------------------------------------------------------

def is_bsn(number: str) -> bool:
    """The elfproef (docs/sources.md): 9 digits, or 8 with the leading zero dropped."""
    if not number.isdigit() or len(number) not in (8, 9) or not int(number):
        return False
    digits = [int(c) for c in number.zfill(9)]
    return (sum((9 - i) * d for i, d in enumerate(digits[:8])) - digits[8]) % 11 == 0


def write(path: Path, header: tuple, rows: list[tuple]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [";".join(header)] + [";".join(row) for row in rows]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")


def export_rows(youths: list[Youth], begin: date, end: date) -> list[tuple]:
    """Every trajectory with a day in [begin, end], as the system exports it on the export date: an end after
    the period is not known yet (empty, still running)."""
    rows = []
    for youth in youths:
        birth = ("", youth.birth.strftime("%Y-%m")) if youth.month_only else (youth.birth.isoformat(), "")
        for t in youth.trajectories:
            if t.begin > end or (t.end is not None and t.end < begin):
                continue
            known_end = t.end if t.end is not None and t.end <= end else None
            reason = REASONS[zlib.crc32(f"{youth.client_id}{t.begin}".encode()) % len(REASONS)] if known_end else ""
            rows.append((GEMEENTE, begin.isoformat(), end.isoformat(), youth.client_id, *birth, youth.sex, youth.wijk,
                         t.categorie, t.aanbieder, t.begin.isoformat(), known_end.isoformat() if known_end else "",
                         reason))
    return sorted(rows, key=lambda r: (r[3], r[10], r[8]))


def write_jeugdhulp(registration: Registration) -> list[Path]:
    paths = []
    for begin, end, stamp in EXPORTS:
        path = JEUGDHULP_DIR / f"jeugdhulp_GM0637_{begin.year}-{end.year}_{stamp}.csv"
        write(path, HEADER_JEUGDHULP, export_rows(registration.youths, begin, end))
        paths.append(path)
    # Two exports the system produced before the good one, each with one bad line: quarantined.
    begin, end, _ = EXPORTS[1]
    sample = export_rows(registration.youths, begin, end)[:4]
    bad_birth = list(sample[1])
    bad_birth[4] = (date.fromisoformat(bad_birth[10]) + timedelta(days=40)).isoformat()  # born after the start
    write(JEUGDHULP_DIR / "jeugdhulp_GM0637_2021-2024_20250113.csv", HEADER_JEUGDHULP,
          [sample[0], tuple(bad_birth), *sample[2:]])
    bad_end = list(sample[2])
    bad_end[11] = (date.fromisoformat(bad_end[10]) - timedelta(days=3)).isoformat()  # ends before it starts
    write(JEUGDHULP_DIR / "jeugdhulp_GM0637_2021-2024_20250120.csv", HEADER_JEUGDHULP,
          [*sample[:2], tuple(bad_end), *sample[3:]])
    return paths


# --- reading the written files back (the check of __main__ and of the tests) -------------------------------

def read_exports(paths: list[Path]) -> dict[str, tuple[date, list]]:
    """Client number -> (date of birth, counted care ranges) from consecutive exports, each the truth for its
    period: a line is cut at the end of its export's period, unless a later export does not follow."""
    people: dict[str, tuple[date, list]] = {}
    exports = [list(csv.DictReader(p.open(encoding="utf-8", newline=""), delimiter=";")) for p in paths]
    for index, rows in enumerate(exports):
        last = index == len(exports) - 1
        for row in rows:
            birth = date.fromisoformat(row["geboortedatum"] or row["geboortemaand"] + "-01")
            _, ranges = people.setdefault(row["client_id"], (birth, []))
            people[row["client_id"]] = (birth, ranges)
            if row["productcategorie"] not in COUNTED:
                continue
            begin, end = date.fromisoformat(row["begindatum"]), row["einddatum"]
            end = date.fromisoformat(end) if end else (None if last else date.fromisoformat(row["periode_einde"]))
            if index and begin < date.fromisoformat(row["periode_begin"]):
                begin = date.fromisoformat(row["periode_begin"])  # the earlier export holds the days before
            ranges.append((begin, end))
    return people


if __name__ == "__main__":
    registration = Registration()
    registration.build()
    paths = write_jeugdhulp(registration)
    counted = figures(read_exports(paths))
    print("jaar  jeugdigen  instroom  uitstroom  drie_jaar      %  leeftijd_in  leeftijd_uit")
    for year, t in counted.items():
        share = 100 * t["drie"] / t["jeugdigen"]
        print(f"{year}  {t['jeugdigen']:9d}  {t['instroom']:8d}  {t['uitstroom']:9d}  {t['drie']:9d}  {share:5.1f}"
              f"  {t['leeftijd_instroom']:11.2f}  {t['leeftijd_uitstroom']:12.2f}")
        if year in TARGET_YEARS:
            assert (t["jeugdigen"], t["drie"]) == (UNIQUE[year], THREE_YEARS[year]), year
            assert round(t["leeftijd_instroom"], 1) == AGE_IN[year], year
            assert round(t["leeftijd_uitstroom"], 1) == AGE_OUT[year], year
    assert round(100 * (counted[2021]["jeugdigen"] / counted[2020]["jeugdigen"] - 1), 1) == 2.5
    assert round(100 * counted[2023]["drie"] / counted[2023]["jeugdigen"], 1) == 45.9
    assert round(100 * counted[2019]["drie"] / counted[2019]["jeugdigen"], 1) == 47.8
    wmo = WmoRegistration()
    wmo.simulate()
    wmo.adjust()
    wmo_path = write_wmo(wmo)
    clients = wmo_counts(read_wmo(wmo_path))
    print("Wmo-cliënten:", clients)
    assert {year: clients[year] for year in TARGET_YEARS} == WMO_CLIENTS
    for path in [*sorted(JEUGDHULP_DIR.iterdir()), wmo_path]:
        print(path.name, sum(1 for _ in path.open()) - 1, "lines", path.stat().st_size // 1024, "kB")
