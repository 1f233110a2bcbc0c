"""Survey microdata: the satisfaction surveys of inZet (client satisfaction,
`inzet`, and carers' satisfaction, `mto`: one grade 1-10 per respondent) and the
Wmo client experience survey (CEO: the nine standard statements), and the
omnibus survey (background, weight, self-rated health, the 11 De Jong Gierveld
loneliness items, volunteering). Answers are checked against the codebook in
seeds/reference/enquete_*.csv. Documented in docs/sources.md."""

import csv

from ..ingest.contracts import Column, Contract
from ..ingest.parsing import duplicate_rows_sql
from ..ingest.rules import UNKNOWN_WIJK
from ..settings import REFERENCE_DIR

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

TEVREDENHEID = Contract(
    domain="enquetes",
    entity="tevredenheid",
    description=(
        "Satisfaction survey microdata of inZet (client satisfaction, inzet) and carers (mto): one grade 1-10 "
        "per respondent. CSV, XLSX or SPSS."
    ),
    columns=(
        Column("gemeente_code", "gemeente_code", "CBS gemeentecode"),
        Column("onderzoek", "onderzoek", "inzet (client satisfaction) or mto (carers' satisfaction)"),
        Column("jaar", "jaar", "the year of the survey"),
        Column("respondent_id", "pseudoniem", "the survey bureau's respondent number (never a BSN)"),
        Column("cijfer", "getal", "grade 1-10 for the quality of the support; empty = no answer", required=False),
    ),
    row_rules=(GRADE_OUT_OF_RANGE, DUPLICATE_RESPONDENT),
)

DUPLICATE_RESPONDENT_IN_YEAR = duplicate_rows_sql(
    ("gemeente_code", "jaar", "respondent_id"), "respondent_id", "line for this respondent in this year",
    ("respondent_id",),
)


def _questions(onderzoek: str) -> tuple[Column, ...]:
    """The answer columns of a survey, in questionnaire order, from the codebook
    (seeds/reference/enquete_vragen.csv); each is parsed on its answer scale."""
    with (REFERENCE_DIR / "enquete_vragen.csv").open(encoding="utf-8", newline="") as handle:
        questions = [q for q in csv.DictReader(handle) if q["onderzoek"] == onderzoek]
    return tuple(
        Column(q["vraag"], "antwoord_" + q["antwoordschaal"], q["vraagtekst"], required=False)
        for q in sorted(questions, key=lambda q: int(q["volgorde"]))
    )


CEO = Contract(
    domain="enquetes",
    entity="ceo",
    description=(
        "Wmo client experience survey (CEO) microdata: the nine standard statements per respondent. "
        "CSV, XLSX or SPSS."
    ),
    columns=(
        Column("gemeente_code", "gemeente_code", "CBS gemeentecode"),
        Column("jaar", "jaar", "the year of the survey"),
        Column("respondent_id", "pseudoniem", "the survey bureau's respondent number (never a BSN)"),
        *_questions("ceo"),
    ),
    row_rules=(DUPLICATE_RESPONDENT_IN_YEAR,),
)

WEIGHT_NOT_POSITIVE = """
SELECT source_row, 'weegfactor' AS column_name, weegfactor__text AS value,
    'a weight factor is greater than 0' AS reason, 'a positive weight factor such as 1,0345' AS expected
FROM parsed
WHERE weegfactor <= 0
"""

# A survey year is weighted for every respondent or for none (then every weight is 1).
WEIGHT_MISSING = """
SELECT source_row, 'weegfactor' AS column_name, NULL AS value,
    'missing weight factor, while other respondents of this year have one' AS reason,
    'a weight factor for every respondent of a year, or for none (an unweighted survey)' AS expected
FROM parsed p
WHERE weegfactor__text IS NULL AND EXISTS (
    SELECT 1 FROM parsed o
    WHERE o.weegfactor__text IS NOT NULL AND o.gemeente_code = p.gemeente_code AND o.jaar = p.jaar
)
"""

OMNIBUS = Contract(
    domain="enquetes",
    entity="omnibus",
    description=(
        "Omnibus survey microdata: age, wijk, weight factor, self-rated health, the 11 De Jong Gierveld "
        "loneliness items and volunteering per respondent. CSV, XLSX or SPSS."
    ),
    columns=(
        Column("gemeente_code", "gemeente_code", "CBS gemeentecode"),
        Column("jaar", "jaar", "the year of the survey"),
        Column("respondent_id", "pseudoniem", "the survey bureau's respondent number (never a BSN)"),
        Column("leeftijd", "leeftijd", "age in whole years (from the sample frame)"),
        Column("wijk", "text", "the respondent's wijk, name or code (seeds/reference/wijken.csv); empty = unknown",
               required=False),
        Column("weegfactor", "getal", "weight factor for age, sex and wijk, greater than 0; empty for every "
               "respondent of an unweighted survey", required=False),
        *_questions("omnibus"),
    ),
    row_rules=(WEIGHT_NOT_POSITIVE, WEIGHT_MISSING, UNKNOWN_WIJK, DUPLICATE_RESPONDENT_IN_YEAR),
)

CONTRACTS = (TEVREDENHEID, CEO, OMNIBUS)
