"""Registrations of the social-domain system: jeugdhulp trajectories (iJw) and Wmo
maatwerkvoorzieningen (iWmo), one line per trajectory or provision.

A delivery is a full export of one gemeente's registration for a period
(`periode_begin` to `periode_einde`, the same on every line of the gemeente): every
trajectory with at least one day in that period, with its real dates. A later
export replaces the earlier ones for the days its period covers (dbt,
int_registraties__geldigheid). Client numbers are pseudonyms: a BSN quarantines
the file. Documented in docs/sources.md.
"""

from ..ingest.contracts import Column, Contract
from ..ingest.rules import UNKNOWN_WIJK

PERIOD_REVERSED = """
SELECT source_row, 'periode_einde' AS column_name, periode_begin__text || ' - ' || periode_einde__text AS value,
    'the period of the export ends before it begins' AS reason,
    'periode_begin on or before periode_einde' AS expected
FROM parsed
WHERE periode_einde < periode_begin
"""

# The period is a property of the export: one per gemeente in a file.
SECOND_PERIOD = """
SELECT source_row, 'periode_begin' AS column_name, periode_begin__text || ' - ' || periode_einde__text AS value,
    'a second period for ' || gemeente_code || ' in this file (line ' || first_row || ' has '
        || first_period || ')' AS reason,
    'one period (periode_begin, periode_einde) per gemeente in a file' AS expected
FROM (
    SELECT *,
        first_value(source_row) OVER by_line AS first_row,
        first_value(periode_begin__text || ' - ' || periode_einde__text) OVER by_line AS first_period,
        first_value(periode_begin) OVER by_line AS first_begin,
        first_value(periode_einde) OVER by_line AS first_einde
    FROM parsed
    WHERE gemeente_code IS NOT NULL AND periode_begin IS NOT NULL AND periode_einde IS NOT NULL
    WINDOW by_line AS (PARTITION BY gemeente_code ORDER BY source_row)
)
WHERE periode_begin <> first_begin OR periode_einde <> first_einde
"""

BIRTH_MISSING = """
SELECT source_row, 'geboortedatum' AS column_name,
    geboortedatum__text || ' / ' || geboortemaand__text AS value,
    CASE WHEN geboortedatum__text IS NULL AND geboortemaand__text IS NULL THEN 'missing date of birth'
         ELSE 'geboortedatum and geboortemaand disagree' END AS reason,
    'a geboortedatum (2008-03-14) or a geboortemaand (2008-03), or both for the same month' AS expected
FROM parsed
WHERE (geboortedatum__text IS NULL AND geboortemaand__text IS NULL)
   OR date_trunc('month', geboortedatum) <> geboortemaand
"""

BIRTH_AFTER_START = """
SELECT source_row, 'geboortedatum' AS column_name, coalesce(geboortedatum__text, geboortemaand__text) AS value,
    'the date of birth lies after the start date ' || begindatum__text AS reason,
    'a date of birth on or before begindatum' AS expected
FROM parsed
WHERE coalesce(geboortedatum, geboortemaand) > begindatum
"""

END_BEFORE_START = """
SELECT source_row, 'einddatum' AS column_name, einddatum__text AS value,
    'the end date lies before the start date ' || begindatum__text AS reason,
    'an einddatum on or after begindatum; empty while running' AS expected
FROM parsed
WHERE einddatum < begindatum
"""

OUTSIDE_PERIOD = """
SELECT source_row, 'begindatum' AS column_name, begindatum__text || ' - ' || coalesce(einddatum__text, '') AS value,
    'no day of this line lies in the period of the export, ' || periode_begin__text || ' - '
        || periode_einde__text AS reason,
    'a line with at least one day in the period of the export' AS expected
FROM parsed
WHERE periode_einde >= periode_begin AND (begindatum > periode_einde OR einddatum < periode_begin)
"""

ROW_RULES = (PERIOD_REVERSED, SECOND_PERIOD, BIRTH_MISSING, BIRTH_AFTER_START, END_BEFORE_START, OUTSIDE_PERIOD,
             UNKNOWN_WIJK)


def _export_columns() -> tuple[Column, ...]:
    return (
        Column("gemeente_code", "gemeente_code", "CBS gemeentecode"),
        Column("periode_begin", "datum", "first day of the period the export covers"),
        Column("periode_einde", "datum", "last day of the period the export covers"),
        Column("client_id", "pseudoniem", "the system's pseudonymised client number (never a BSN)"),
    )


def _client_columns() -> tuple[Column, ...]:
    return (
        Column("geboortedatum", "geboortedatum", "date of birth; or give geboortemaand", required=False),
        Column("geboortemaand", "maand", "year and month of birth, where the system exports no day", required=False),
        Column("geslacht", "antwoord_geslacht", "1 man, 2 vrouw, 3 anders; empty = unknown", required=False),
        Column("wijk", "text", "the client's wijk, name or code (seeds/reference/wijken.csv); empty = unknown",
               required=False),
    )


JEUGDHULP = Contract(
    domain="registraties",
    entity="jeugdhulp",
    description=(
        "Export of the jeugdhulp registration (iJw) for a period: one line per trajectory with a pseudonymised "
        "client number, date of birth, productcategorie, provider, start and end. CSV or XLSX."
    ),
    columns=(
        *_export_columns(),
        *_client_columns(),
        Column("productcategorie", "productcategorie_jeugdhulp",
               "iJw productcategorie (seeds/reference/jeugdhulp_productcategorieen.csv)"),
        Column("aanbieder_agb", "agb_code", "the provider's AGB code"),
        Column("begindatum", "datum", "first day of the trajectory"),
        Column("einddatum", "datum", "last day of the trajectory; empty while running", required=False),
        Column("reden_einde", "text", "reason for ending as the system registers it", required=False),
    ),
    row_rules=ROW_RULES,
)

WMO = Contract(
    domain="registraties",
    entity="wmo",
    description=(
        "Export of the Wmo maatwerk registration (iWmo) for a period: one line per maatwerkvoorziening with a "
        "pseudonymised client number, date of birth, productcategorie, start and end. CSV or XLSX."
    ),
    columns=(
        *_export_columns(),
        *_client_columns(),
        Column("productcategorie", "productcategorie_wmo",
               "iWmo productcategorie (seeds/reference/wmo_productcategorieen.csv)"),
        Column("begindatum", "datum", "first day of the provision"),
        Column("einddatum", "datum", "last day of the provision; empty while running", required=False),
    ),
    row_rules=ROW_RULES,
)

CONTRACTS = (JEUGDHULP, WMO)
