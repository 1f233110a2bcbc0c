"""CBS StatLine open data: the public figures per gemeente, Nederland and
provincie that the warehouse's own figures are compared with. Documented in
docs/sources.md and docs/vergelijking.md.

A table is downloaded from CBS's open data (OData v4) as CSV: a ZIP with one
file per entity. Two of them are delivered, each with the table and the
download date put in front of its name (e.g. `82972NED_2025-05-01_Observations.csv`):

- `Observations.csv` -> `cbs/observaties/`: one line per figure (long format);
- `PeriodenCodes.csv` -> `cbs/perioden/`: the periods of the table with their
  status (Definitief, Voorlopig: `*` in the title).

A figure takes the status of its period in the same download (same table and date).
A table with a dimension besides region and period (the Wmo clients by type of
maatwerkvoorziening, Iv3 finance by taakveld) has that dimension's column too;
the other tables leave it out.
"""

from ..ingest.contracts import Column, Contract
from ..ingest.parsing import duplicate_rows_sql

DOWNLOAD = r"[0-9]{5}[A-Z]{3}_[0-9]{4}-[0-9]{2}-[0-9]{2}_"


def _expected(entity: str) -> str:
    return f"<CBS table>_<download date>_{entity}.csv, such as 82972NED_2025-05-01_{entity}.csv"

VALUE_AND_MARKER = """
SELECT source_row, 'value' AS column_name, coalesce(value__text, '(empty)') AS value,
    CASE WHEN valueattribute = 'none' THEN 'a figure without a value: ValueAttribute None needs a Value'
         ELSE 'a value next to ValueAttribute ' || valueattribute__text || ' (no figure)' END AS reason,
    'a Value when ValueAttribute is None, else no Value' AS expected
FROM parsed
WHERE (valueattribute = 'none' AND value__text IS NULL)
   OR (valueattribute <> 'none' AND value__text IS NOT NULL)
"""

# The dimensions some tables have besides region and period; a file without them leaves them out.
DIMENSIONS = (
    Column("typemaatwerkvoorziening", "code", "Wmo tables: CBS's code of the type of maatwerkvoorziening",
           required=False, in_every_file=False),
    Column("gemeentelijketaakvelden", "code", "Iv3 tables: CBS's code of the taakveld", required=False,
           in_every_file=False),
)

DUPLICATE_OBSERVATION = f"""
SELECT source_row, 'measure' AS column_name, measure || ' ' || regios || ' ' || perioden AS value,
    'a second figure for this measure, breakdown, region and period (first on line ' || first_row || ')' AS reason,
    'one line per measure, breakdown, region and period' AS expected
FROM (
    SELECT *, min(source_row) OVER (
        PARTITION BY measure, regios, perioden, {", ".join(f"coalesce({c.name}, '')" for c in DIMENSIONS)}
    ) AS first_row
    FROM parsed WHERE measure IS NOT NULL AND regios IS NOT NULL AND perioden IS NOT NULL
)
WHERE source_row > first_row
"""

OBSERVATIES = Contract(
    domain="cbs",
    entity="observaties",
    description=(
        "The figures of one CBS StatLine table as downloaded from CBS open data (the Observations of the "
        "table's CSV download): one line per measure, region and period, with why a figure is missing or "
        "secret. File name: <table>_<download date>_Observations.csv."
    ),
    columns=(
        Column("id", "text", "CBS's line number in the download"),
        Column("measure", "code", "the measure (onderwerp) code of the table, see seeds/reference/cbs_maten.csv"),
        Column("valueattribute", "cbs_waardeattribuut", "None for a figure, else why there is none"),
        Column("value", "cbs_waarde", "the figure, decimal point; empty when there is none", required=False),
        *DIMENSIONS,
        Column("regios", "cbs_regio", "CBS region code: GM0637, PV28, NL01"),
        Column("perioden", "cbs_periode", "CBS period code: 2021JJ00"),
    ),
    row_rules=(VALUE_AND_MARKER, DUPLICATE_OBSERVATION),
    file_name_pattern=DOWNLOAD + r"Observations\.csv",
    file_name_expected=_expected("Observations"),
)

STAR_MATCHES_STATUS = """
SELECT source_row, 'title' AS column_name, title || ' / ' || status__text AS value,
    'the title and the status disagree on whether the period is provisional' AS reason,
    'a title ending in * (voorlopig) or ** (nader voorlopig) exactly when the status says so' AS expected
FROM parsed
WHERE (status = 'voorlopig' AND NOT regexp_matches(title, '[^*]\\*$'))
   OR (status = 'nader voorlopig' AND NOT regexp_matches(title, '[^*]\\*\\*$'))
   OR (status IN ('definitief', 'herzien') AND ends_with(title, '*'))
"""

DUPLICATE_PERIOD = duplicate_rows_sql(("identifier",), "identifier", "line for this period", ("identifier",))

PERIODEN = Contract(
    domain="cbs",
    entity="perioden",
    description=(
        "The periods of one CBS StatLine table with their status (the PeriodenCodes of the table's CSV "
        "download, <table>_<download date>_PeriodenCodes.csv): Definitief, Voorlopig (* in the title) or "
        "Nader voorlopig (**)."
    ),
    columns=(
        Column("identifier", "cbs_periode", "CBS period code: 2021JJ00"),
        Column("index", "text", "CBS's order of the period"),
        Column("title", "text", "the period as StatLine shows it: 2023* for a provisional year"),
        Column("description", "text", "CBS's explanation of the period", required=False),
        Column("dimensiongroupid", "text", "CBS's group of periods", required=False),
        Column("status", "cbs_status", "Definitief, Voorlopig, Nader voorlopig or Herzien"),
    ),
    row_rules=(STAR_MATCHES_STATUS, DUPLICATE_PERIOD),
    file_name_pattern=DOWNLOAD + r"PeriodenCodes\.csv",
    file_name_expected=_expected("PeriodenCodes"),
)

CONTRACTS = (OBSERVATIES, PERIODEN)
