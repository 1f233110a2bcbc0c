"""Survey microdata. This version covers the satisfaction surveys of inZet: the
client satisfaction survey (inzet) and the carers' satisfaction survey (mto),
one grade from 1 to 10 per respondent. Documented in docs/sources.md."""

from ..ingest.contracts import Column, Contract
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

CONTRACTS = (SATISFACTION,)
