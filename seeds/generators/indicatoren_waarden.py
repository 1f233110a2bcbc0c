"""Write the sample indicator deliveries in seeds/sample_landing/indicatoren/waarden/ (deterministic).

    python seeds/generators/indicatoren_waarden.py

Published facts (docs/sources.md, "Sample sources"): CEO 2023 78% with target
80% for 2025-2028; 2023 2.261 of 4.923 youths with 3+ years of care; 2019
recalculated to 47,8%; 4.548 youths in 2021, 2,5% up on 2020; 1.309
Verwijsindex signals in 2021; and the 2021 "Doel gehaald" outcomes, which the
2021 realisaties and targets below reproduce. Everything else is illustrative.
Values are written the way people type them ('45,9%', '4.923', '€ 7.150', '-').
"""

from pathlib import Path

FOLDER = Path(__file__).resolve().parent.parent / "sample_landing" / "indicatoren" / "waarden"
GEMEENTE = "GM0637"
HEADER = ("gemeente_code", "indicator_code", "jaar", "waardetype", "waarde", "teller", "noemer", "peildatum",
          "bron_document")
YEARS = range(2019, 2025)

# (unit, realisaties 2019-2024, targets 2019-2024, targets 2025-2028); None = no value ('n.b.' / '-').
INDICATORS = {
    "JH_UNIEK": ("aantal", [4512, 4437, 4548, 4701, 4923, 5010], [4400, 4400, 4350, 4450, 4600, 4800],
                 [4900, 4800, 4700, 4600]),
    "JH_INSTROOM": ("aantal", [1820, 1745, 1902, 1950, 2010, 1980], [1800, 1800, 1750, 1800, 1850, 1900],
                    [1900, 1850, 1800, 1750]),
    "JH_UITSTROOM": ("aantal", [1690, 1760, 1790, 1800, 1790, 1890], [1700, 1750, 1800, 1850, 1850, 1900],
                     [1950, 2000, 2000, 2050]),
    # 2019 is delivered twice (original and recalculated), 2023 as teller/noemer in the 2025 budget.
    "JH_3JAAR": ("percentage", [51.2, 47.1, 46.5, 46.2, None, 45.5], [50, 50, 52, 48, 47, 46], [45, 44, 43, 42]),
    "JH_LEEFTIJD_INSTROOM": ("leeftijd", [10.9, 10.8, 11.2, 11.0, 10.9, 10.8], [10.8, 10.7, 10.5, 10.6, 10.6, 10.5],
                             None),
    "JH_LEEFTIJD_UITSTROOM": ("leeftijd", [14.3, 14.1, 14.3, 14.2, 14.0, 13.9], [14.2, 14.1, 14.0, 14.0, 13.9, 13.8],
                              None),
    "VERWIJSINDEX": ("aantal", [1502, 1388, 1309, 1280, 1251, 1230], [1500, 1500, 1450, 1400, 1350, 1300], None),
    # The 2025-2028 prognose is derived by the warehouse (seeds/reference/indicator_rekenregels.csv).
    "VT_MELDINGEN": ("aantal", [1080, 1050, 1020, 1010, 1060, 1040], [1100] * 6, None),
    "VT_ADVIEZEN": ("aantal", [620, 690, 760, 780, 800, 820], [600, 650, 700, 750, 780, 800], [820, 830, 840, 850]),
    "WMO_BUDGET_CLIENT": ("euro", [6820, 6950, 7150, 7480, 7900, 8250], [6900, 7100, 7400, 7500, 7800, 8200],
                          [8600, 8900, 9200, 9500]),
    # 2023 comes from the 2025 budget (78%).
    "CEO_PAST": ("percentage", [82, 80, 74, 76, None, 79], [80] * 6, [80] * 4),
    "CEO_KWALITEIT": ("percentage", [84, 83, 76, 78, 79, 80], [80] * 6, [80] * 4),
    # inZet started in May 2021: no measurement that year.
    "INZET_TEVREDEN": ("percentage", [None, None, None, 78, 81, 82], [None, None, 80, 80, 80, 80], [80] * 4),
    # No stadspeiling in 2020.
    "MZ_ONDERSTEUND_GEMEENTE": ("percentage", [14, None, 16, 15, 17, 16], [15] * 6, None),
    "MZ_ONDERSTEUND": ("percentage", [61, None, 55, 57, 58, 59], [60] * 6, None),
    "MTO_TEVREDEN": ("percentage", None, None, [80] * 4),
    "VRIJWILLIGERS": ("percentage", [27, 22, 23, 24, 25, 25], [26] * 6, [26, 26, 27, 27]),
    "EENZAAMHEID": ("score_0_11", [2.5, 2.8, 2.9, 2.8, 2.7, 2.7], [2.6] * 6, [2.6, 2.6, 2.5, 2.5]),
    "GEZONDHEID": ("percentage", [78, 77, 75, 76, 77, 77], [78] * 6, [78] * 4),
}
VALID_FROM = {"INZET_TEVREDEN": 2021}


def typed(unit: str, value) -> str:
    """A value as a person types it in a Dutch spreadsheet."""
    if value is None:
        return "n.b."
    number = f"{value:,.1f}" if isinstance(value, float) else f"{value:,}"
    number = number.replace(",", "_").replace(".", ",").replace("_", ".")
    return {"percentage": f"{number}%", "euro": f"€ {number}"}.get(unit, number)


def row(code, year, kind, value="", teller="", noemer="", peildatum="", document=""):
    return (GEMEENTE, code, str(year), kind, value, teller, noemer, peildatum, document)


def write(name: str, rows: list[tuple]) -> None:
    lines = [";".join(HEADER)] + [";".join(r) for r in rows]
    (FOLDER / name).write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")


def main() -> None:
    FOLDER.mkdir(parents=True, exist_ok=True)
    realisaties, begrotingen, budget_2025 = [], [], []
    for code, (unit, realised, targets, targets_2025) in INDICATORS.items():
        for index, year in enumerate(YEARS):
            if year < VALID_FROM.get(code, 2019):
                continue
            if realised and not (year == 2023 and code in ("JH_3JAAR", "CEO_PAST")):
                realisaties.append(row(code, year, "realisatie", typed(unit, realised[index]),
                                       peildatum=f"27-01-{year + 1}", document=f"Jaarstukken {year}"))
            if targets:
                begrotingen.append(row(code, year, "begroting", typed(unit, targets[index]) if targets[index]
                                       else "-", peildatum=f"01-11-{year - 1}", document=f"Programmabegroting {year}"))
        for index, year in enumerate(range(2025, 2029)):
            if targets_2025:
                budget_2025.append(row(code, year, "begroting", typed(unit, targets_2025[index]),
                                       peildatum="2024-11-07", document="Programmabegroting 2025"))
    budget_2025 += [
        row("CEO_PAST", 2023, "realisatie", "78%", peildatum="2024-11-07", document="Programmabegroting 2025"),
        row("JH_3JAAR", 2023, "realisatie", "", "2.261", "4.923", "2024-11-07", "Programmabegroting 2025"),
    ]
    write("indicatoren_GM0637_jaarstukken_2019-2024.csv", realisaties)
    write("indicatoren_GM0637_programmabegrotingen_2019-2024.csv", begrotingen)
    write("indicatoren_GM0637_programmabegroting_2025.csv", budget_2025)
    write("indicatoren_GM0637_herberekening_2019.csv", [
        row("JH_3JAAR", 2019, "realisatie", "47,8%", peildatum="27-01-2022",
            document="Jaarstukken 2021 (herberekening 2019)")])


if __name__ == "__main__":
    main()
    for path in sorted(FOLDER.iterdir()):
        print(path.name, sum(1 for _ in path.open()) - 1, "lines")
