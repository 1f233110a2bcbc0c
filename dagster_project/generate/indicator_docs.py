"""Generate docs/indicators.md from the indicator catalogue, so that the page cannot drift.

    python -m dagster_project.generate.indicator_docs      (make docs)

A test fails when the committed page differs from what this writes.
"""

import csv

from ..settings import REFERENCE_DIR, REPO_ROOT

PAGE = REPO_ROOT / "docs" / "indicators.md"

EXAMPLE_QUERY = """\
```sql
-- all indicators of doelstelling 2.1, realisatie against streefwaarde, 2019-2028
select jaar, indicator_code, indicator_naam, realisatie, streefwaarde, streefwaarde_type,
       doel_gehaald, eenheid, richting
from rpt_indicator_scorecard
where gemeente_code = 'GM0637' and doelstelling_code = '2.1' and jaar between 2019 and 2028
order by indicator_code, jaar;
```"""


def _read(name: str) -> list[dict]:
    with (REFERENCE_DIR / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _years(row: dict) -> str:
    return f"{row['geldig_van_jaar']}–{row['geldig_tot_jaar'] or ''}"


def _decimals(decimalen: str) -> str:
    return "a whole number" if decimalen == "0" else f"{decimalen} decimal{'s' if decimalen != '1' else ''}"


def render() -> str:
    bronnen = {b["bron_code"]: b["bron_naam"] for b in _read("bronnen")}
    goals = {(d["gemeente_code"], d["doelstelling_versie"]): d["doelstelling_code"] for d in _read("doelstellingen")}
    links: dict[str, list[str]] = {}
    for link in _read("indicator_doelstellingen"):
        goal = goals[(link["gemeente_code"], link["doelstelling_versie"])]
        links.setdefault(link["indicator_code"], []).append(f"{goal} ({_years(link)})")
    rules = {r["indicator_code"]: f"{r['toelichting']} Rounded half away from zero to {_decimals(r['decimalen'])}."
             for r in _read("indicator_rekenregels")}

    lines = [
        "# Indicators",
        "",
        "<!-- Generated from seeds/reference/indicatoren.csv by `make docs`; do not edit by hand. -->",
        "",
        "Every indicator named in the Programmabegroting 2025 and the Jaarstukken 2021. Values arrive",
        "through the indicator values source ([sources](sources.md)); the marts are `dim_indicator`,",
        "`fct_indicatorwaarde` and `rpt_indicator_scorecard` ([model](model.md)). *Richting* says",
        "which way is better: `doel_gehaald` is `realisatie >= streefwaarde` for *hoger* and",
        "`realisatie <= streefwaarde` for *lager*, and empty when either value is missing.",
        "Names marked * are not named in the documents: the Jaarstukken 2021 describe those",
        "indicators in a toelichting, and the name is written after that description.",
        "",
        "| code | indicator | eenheid | richting | bron | doelstelling (jaren) | PB 2025 | geldig |",
        "|---|---|---|---|---|---|---|---|",
    ]
    catalogue = _read("indicatoren")
    for row in catalogue:
        lines.append(
            f"| `{row['indicator_code']}` | {row['indicator_naam']}"
            f"{'' if row['naam_herkomst'] == 'Programmabegroting 2025' else ' *'} "
            f"| {row['eenheid']} | {row['richting']} "
            f"| {bronnen[row['bron_code']]} | {', '.join(links.get(row['indicator_code'], []))} "
            f"| {'ja' if row['pb_2025'] == 'true' else ''} | {_years(row)} |"
        )
    lines += ["", "## Definitions", ""]
    for row in catalogue:
        lines.append(f"- **`{row['indicator_code']}`** {row['indicator_naam']}: {row['definitie']}")
        if row["indicator_code"] in rules:
            lines.append(f"  Rekenregel: {rules[row['indicator_code']]}")
    lines += ["", "## Example", "", EXAMPLE_QUERY, ""]
    return "\n".join(lines)


if __name__ == "__main__":
    PAGE.write_text(render(), encoding="utf-8")
    print(f"wrote {PAGE}")
