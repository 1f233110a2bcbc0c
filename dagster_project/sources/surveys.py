"""Survey microdata: the satisfaction surveys of inZet (client satisfaction,
`inzet`, and carers' satisfaction, `mto`: one grade 1-10 per respondent) and the
Wmo client experience survey (CEO: the nine standard statements). Documented in
docs/sources.md."""

import csv

from ..ingest.contracts import Column, Contract
from ..settings import REFERENCE_DIR
from ..ingest.parsing import duplicate_rows_sql

GRADE_OUT_OF_RANGE = """
SELECT source_row, 'cijfer' AS column_name, cijfer__text AS value,
    'a grade lies between 1 and 10' AS reason, 'a grade from 1 to 10, decimals allowed, e.g. 7,5' AS expected
FROM parsed
WHERE cijfer < 1 OR cijfer > 10
"""

DUPLICATE_RESPONDENT = duplicate_rows_sql(
    ("gemeente_code", "onderzoek", "jaar", "respondent_id"), "respondent_id",
    "line for this respondent in this survey and year", ("respondent_id",),
)

SATISFACTION = Contract(
    source="survey_satisfaction",
    folder="surveys/satisfaction",
    raw_table="raw.survey_satisfaction",
    columns=(
        Column("gemeente_code", "gemeente_code", "CBS gemeentecode"),
        Column("onderzoek", "onderzoek", "inzet (client satisfaction) or mto (carers' satisfaction)"),
        Column("jaar", "jaar", "the year of the survey"),
        Column("respondent_id", "text", "the survey bureau's respondent number (never a BSN)"),
        Column("cijfer", "getal", "grade 1-10 for the quality of the support; empty = no answer", required=False),
    ),
    row_rules=(GRADE_OUT_OF_RANGE, DUPLICATE_RESPONDENT),
)

DUPLICATE_CEO_RESPONDENT = duplicate_rows_sql(
    ("gemeente_code", "jaar", "respondent_id"), "respondent_id", "line for this respondent in this year",
    ("respondent_id",),
)


def _ceo_statements() -> tuple[Column, ...]:
    with (REFERENCE_DIR / "ceo_stellingen.csv").open(encoding="utf-8", newline="") as handle:
        statements = sorted(csv.DictReader(handle), key=lambda s: int(s["volgorde"]))
    return tuple(Column(s["vraag"], "ceo_antwoord", s["stelling"], required=False) for s in statements)


CEO = Contract(
    source="survey_ceo",
    folder="surveys/ceo",
    raw_table="raw.survey_ceo",
    columns=(
        Column("gemeente_code", "gemeente_code", "CBS gemeentecode"),
        Column("jaar", "jaar", "the year of the survey"),
        Column("respondent_id", "text", "the survey bureau's respondent number (never a BSN)"),
        *_ceo_statements(),
    ),
    row_rules=(DUPLICATE_CEO_RESPONDENT,),
)

CONTRACTS = (SATISFACTION, CEO)
