"""Write the sample CBS open-data downloads (seeds/sample_landing/cbs/).

Tables: 70072NED (population), 82972NED (jeugdhulp), 86050NED (Wmo clients by
type of maatwerkvoorziening, a column TypeMaatwerkvoorziening) and 84413NED
(Iv3 jaarrekening by taakveld, a column GemeentelijkeTaakvelden).

ILLUSTRATIVE: the layout is that of CBS open data's CSV download (OData v4:
Observations.csv and PeriodenCodes.csv, ';'-separated, quoted), the table
numbers are CBS's, but the measure codes and every figure are made up, of the
right order of magnitude, counts rounded to multiples of 5 like CBS does. Do
not quote them as CBS figures.

    python seeds/generators/cbs.py
"""

from __future__ import annotations

import csv
from pathlib import Path

LANDING = Path(__file__).resolve().parents[1] / "sample_landing" / "cbs"

# Inhabitants on 1 January 2023 (illustrative) and the share of youths 0-22; the old
# gemeenten of Voorne aan Zee (GM1992, from 2023) exist until 2022.
GEMEENTEN = {
    "GM0518": 552_000, "GM0503": 104_000, "GM1916": 77_000, "GM1842": 19_900, "GM1926": 56_500,
    "GM0603": 56_000, "GM0629": 26_800, "GM1783": 112_500, "GM0637": 125_900,
    "GM0546": 127_000, "GM0505": 121_000, "GM0193": 131_000,
    "GM1992": 71_500, "GM0501": 17_300, "GM0530": 39_900, "GM0614": 14_300,
}
MERGED = {"GM0501": "GM1992", "GM0530": "GM1992", "GM0614": "GM1992"}
NEDERLAND, ZUID_HOLLAND = 17_800_000, 3_800_000
YEARS = range(2019, 2025)
# Youths with jeugdhulp per 1.000 youths 0-22 (illustrative), per gemeente.
RATE = {"GM0518": 118, "GM0503": 104, "GM1916": 96, "GM1842": 88, "GM1926": 92, "GM0603": 121, "GM0629": 84,
        "GM1783": 99, "GM0637": 112, "GM0546": 101, "GM0505": 127, "GM0193": 109, "GM1992": 95, "GM0501": 93,
        "GM0530": 97, "GM0614": 91}

# Zoetermeer's jeugdhulp count, set apart: the reconciliation with the registration reads it.
ZOETERMEER_JEUGDHULP = {2019: 4_450, 2020: 4_390, 2021: 4_515, 2022: 4_640, 2023: 4_890, 2024: 4_960}
ZOETERMEER_2023_PROVISIONAL = 4_805  # the first download; revised to 4.890 a year later

# Jeugdbescherming hidden for two small gemeenten (one merges into Voorne aan Zee), and one
# jeugdhulp figure not available: markers, never zeros.
SMALL_CELLS = ("GM1842", "GM0614")
NOT_AVAILABLE = ("GM0629", 2019)

MEASURES = {"inwoners": "M000352", "jongeren": "M001542", "jeugdhulp": "M004521", "jeugdbescherming": "M004530",
            "wmo_clienten": "M002155", "lasten_per_inwoner": "M003021", "baten_per_inwoner": "M003020"}

# Wmo clients with a maatwerkvoorziening (86050NED), type "Totaal", per 1.000 inhabitants (illustrative).
WMO_TOTAAL = "T001000"
WMO_RATE = {"GM0518": 61, "GM0503": 52, "GM1916": 44, "GM1842": 38, "GM1926": 41, "GM0603": 57, "GM0629": 36,
            "GM1783": 47, "GM0637": 23, "GM0546": 49, "GM0505": 58, "GM0193": 45, "GM1992": 46, "GM0501": 43,
            "GM0530": 48, "GM0614": 41, "NL01": 63, "PV28": 60}
# Zoetermeer's Wmo count, set apart: the reconciliation with the Wmo registration reads it.
ZOETERMEER_WMO = {2019: 2885, 2020: 2960, 2021: 2990, 2022: 3010, 2023: 3050, 2024: 3080}
WMO_SECRET = ("GM0614", 2020)  # one part of Voorne aan Zee: its recomputed 2020 is missing, never a partial sum

# Iv3 jaarrekening (84413NED): lasten and baten in euro per inhabitant per taakveld (illustrative codes and
# figures; CBS rounds to whole euros). Zoetermeer's lasten are its whole ledger's lasten on the taakveld.
TAAKVELDEN = {"6.1": "TV00610", "6.71": "TV00671", "6.72": "TV00672"}
LASTEN = {"6.1": 105, "6.71": 170, "6.72": 390}  # Nederland, 2019
BATEN = {"6.1": 4, "6.71": 11, "6.72": 2}
ZOETERMEER_LASTEN = {  # the programme's ledger lasten (rekening) per inhabitant, plus the rest of the gemeente
    "6.1": {2019: 101, 2020: 103, 2021: 105, 2022: 108, 2023: 112},
    "6.71": {2019: 152, 2020: 157, 2021: 169, 2022: 178, 2023: 190},
    "6.72": {2019: 373, 2020: 386, 2021: 408, 2022: 423, 2023: 446},
}
IV3_YEARS = range(2019, 2024)


def rounded(value: float) -> int:
    return int(5 * round(value / 5))


def exists(code: str, year: int) -> bool:
    return (code not in MERGED or year < 2023) and (code != "GM1992" or year >= 2023)


def inhabitants(code: str, year: int) -> int:
    total = GEMEENTEN.get(code) or {"NL01": NEDERLAND, "PV28": ZUID_HOLLAND}[code]
    return round(total * (1 + 0.006 * (year - 2023)))


def youths(code: str, year: int) -> int:
    return rounded(inhabitants(code, year) * 0.262)


def jeugdhulp(code: str, year: int) -> int:
    if code == "GM0637":
        return ZOETERMEER_JEUGDHULP[year]
    if code in ("NL01", "PV28"):
        return rounded(youths(code, year) * {"NL01": 0.108, "PV28": 0.113}[code] * (1 + 0.01 * (year - 2019)))
    return rounded(youths(code, year) * RATE[code] / 1000 * (1 + 0.01 * (year - 2019)))


def regions(year: int) -> list[str]:
    return ["NL01", "PV28", *[code for code in GEMEENTEN if exists(code, year)]]


def write(folder: str, name: str, header: list[str], rows: list[list]) -> None:
    path = LANDING / folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)


def observations(lines: list[tuple[str, str, str, int | None, str]]) -> list[list]:
    return [[n, measure, attribute, "" if value is None else value, region, period]
            for n, (measure, region, period, value, attribute) in enumerate(lines)]


def periods(statuses: dict[int, str]) -> list[list]:
    star = {"Definitief": "", "Voorlopig": "*", "Nader voorlopig": "**"}
    return [[f"{year}JJ00", n, f"{year}{star[status]}", "", "", status]
            for n, (year, status) in enumerate(statuses.items())]


def population() -> None:
    lines = [(MEASURES[m], code, f"{year}JJ00", f(code, year), "None")
             for year in YEARS for code in regions(year)
             for m, f in (("inwoners", inhabitants), ("jongeren", youths))]
    write("observaties", "70072NED_2025-03-01_Observations.csv", OBSERVATIONS, observations(lines))
    write("perioden", "70072NED_2025-03-01_PeriodenCodes.csv", PERIODS, periods(dict.fromkeys(YEARS, "Definitief")))


def jeugd_lines(years: range, download_year: int) -> list:
    lines = []
    for year in years:
        for code in regions(year):
            value = jeugdhulp(code, year)
            if code == "GM0637" and year == 2023 and download_year == 2024:
                value = ZOETERMEER_2023_PROVISIONAL
            if (code, year) == NOT_AVAILABLE:
                lines.append((MEASURES["jeugdhulp"], code, f"{year}JJ00", None, "Missing"))
            else:
                lines.append((MEASURES["jeugdhulp"], code, f"{year}JJ00", value, "None"))
            protection = rounded(youths(code, year) * 0.011)
            if code in SMALL_CELLS:  # CBS hides small cells: secret, '.' in StatLine
                lines.append((MEASURES["jeugdbescherming"], code, f"{year}JJ00", None, "Confidential"))
            else:
                lines.append((MEASURES["jeugdbescherming"], code, f"{year}JJ00", protection, "None"))
    return lines


def jeugd() -> None:
    # May 2024: 2019-2023, 2023 provisional (Zoetermeer 4.805).
    first = jeugd_lines(range(2019, 2024), download_year=2024)
    write("observaties", "82972NED_2024-05-01_Observations.csv", OBSERVATIONS, observations(first))
    statuses = {year: "Definitief" for year in range(2019, 2023)} | {2023: "Voorlopig"}
    write("perioden", "82972NED_2024-05-01_PeriodenCodes.csv", PERIODS, periods(statuses))
    # May 2025: 2023 definitive (Zoetermeer revised to 4.890) and 2024 provisional; only the last two years.
    second = jeugd_lines(range(2023, 2025), download_year=2025)
    write("observaties", "82972NED_2025-05-01_Observations.csv", OBSERVATIONS, observations(second))
    statuses = {2023: "Definitief", 2024: "Voorlopig"}
    write("perioden", "82972NED_2025-05-01_PeriodenCodes.csv", PERIODS, periods(statuses))


def wmo_clients(code: str, year: int) -> int:
    if code == "GM0637":
        return ZOETERMEER_WMO[year]
    return rounded(inhabitants(code, year) * WMO_RATE[code] / 1000 * (1 + 0.015 * (year - 2019)))


def wmo() -> None:
    """86050NED, May 2025: 2019-2024, 2024 provisional; type of voorziening "Totaal" only."""
    lines = []
    for year in YEARS:
        for code in regions(year):
            secret = (code, year) == WMO_SECRET
            value = None if secret else wmo_clients(code, year)
            lines.append((MEASURES["wmo_clienten"], WMO_TOTAAL, code, f"{year}JJ00", value,
                          "Confidential" if secret else "None"))
    rows = [[n, measure, attribute, "" if value is None else value, breakdown, region, period]
            for n, (measure, breakdown, region, period, value, attribute) in enumerate(lines)]
    write("observaties", "86050NED_2025-05-01_Observations.csv", [*OBSERVATIONS[:4], "TypeMaatwerkvoorziening",
                                                                  *OBSERVATIONS[4:]], rows)
    statuses = {year: "Definitief" for year in range(2019, 2024)} | {2024: "Voorlopig"}
    write("perioden", "86050NED_2025-05-01_PeriodenCodes.csv", PERIODS, periods(statuses))


def per_inhabitant(taakveld: str, measure: str, code: str, year: int) -> int:
    if measure == "lasten_per_inwoner" and code == "GM0637":
        return ZOETERMEER_LASTEN[taakveld][year]
    base = (LASTEN if measure == "lasten_per_inwoner" else BATEN)[taakveld]
    spread = 1 + (RATE.get(code, 108) - 108) / 400  # gemeenten with more jeugdhulp spend more
    return round(base * spread * (1 + 0.045 * (year - 2019)))


def iv3() -> None:
    """84413NED, June 2025: jaarrekening 2019-2023, 2023 provisional; three taakvelden of the social domain."""
    lines = [(MEASURES[measure], breakdown, code, f"{year}JJ00", per_inhabitant(taakveld, measure, code, year))
             for year in IV3_YEARS for code in regions(year) for taakveld, breakdown in TAAKVELDEN.items()
             for measure in ("baten_per_inwoner", "lasten_per_inwoner")]
    rows = [[n, measure, "None", value, breakdown, region, period]
            for n, (measure, breakdown, region, period, value) in enumerate(lines)]
    write("observaties", "84413NED_2025-06-01_Observations.csv", [*OBSERVATIONS[:4], "GemeentelijkeTaakvelden",
                                                                  *OBSERVATIONS[4:]], rows)
    statuses = {year: "Definitief" for year in range(2019, 2023)} | {2023: "Voorlopig"}
    write("perioden", "84413NED_2025-06-01_PeriodenCodes.csv", PERIODS, periods(statuses))


OBSERVATIONS = ["Id", "Measure", "ValueAttribute", "Value", "RegioS", "Perioden"]
PERIODS = ["Identifier", "Index", "Title", "Description", "DimensionGroupId", "Status"]

if __name__ == "__main__":
    population()
    jeugd()
    wmo()
    iv3()
