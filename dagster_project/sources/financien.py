"""Finance: the ledger export of the municipal financial system and the
municipality-wide totals. Documented in docs/sources.md."""

from __future__ import annotations

from ..ingest.contracts import Column, Contract
from ..ingest.parsing import duplicate_rows_sql

_KEY_COLUMNS = (
    Column("gemeente_code", "gemeente_code", "CBS gemeentecode, e.g. GM0637"),
    Column("jaar", "jaar", "budget year"),
    Column("fase", "fase", "begroting primitief, begroting na wijziging or rekening"),
)

UNKNOWN_DOELSTELLING = """
SELECT p.source_row, 'doelstelling_naam' AS column_name,
    p.doelstelling_code || ' ' || p.doelstelling_naam AS value,
    'doelstelling ' || p.doelstelling_code || ' "' || p.doelstelling_naam || '" is not a goal of programma '
        || p.programma_code || ' of ' || p.gemeente_code || ' in ' || p.jaar AS reason,
    coalesce('one of: ' || (
        SELECT string_agg(d.doelstelling_code || ' "' || d.doelstelling_naam || '"', '; '
                          ORDER BY d.doelstelling_code, d.doelstelling_naam)
        FROM ref_doelstellingen d
        WHERE d.gemeente_code = p.gemeente_code AND d.programma_code = p.programma_code
          AND valid_in_year(p.jaar, d.geldig_van_jaar, d.geldig_tot_jaar)
    ), 'a goal listed for this municipality, programme and year in seeds/reference/doelstellingen.csv') AS expected
FROM parsed p
WHERE p.gemeente_code IS NOT NULL AND p.jaar IS NOT NULL AND p.programma_code IS NOT NULL
  AND p.doelstelling_code IS NOT NULL AND p.doelstelling_naam IS NOT NULL
  AND NOT EXISTS (
    SELECT 1 FROM ref_doelstellingen d
    WHERE d.gemeente_code = p.gemeente_code AND d.programma_code = p.programma_code
      AND d.doelstelling_code = p.doelstelling_code
      AND name_key(d.doelstelling_naam) = name_key(p.doelstelling_naam)
      AND valid_in_year(p.jaar, d.geldig_van_jaar, d.geldig_tot_jaar)
  )
"""

UNKNOWN_TAAKVELD = """
SELECT p.source_row, 'taakveld_code' AS column_name, p.taakveld_code AS value,
    'taakveld ' || p.taakveld_code || ' is not an Iv3 taakveld in ' || p.jaar AS reason,
    'a taakveld valid in that year in seeds/reference/taakvelden.csv' AS expected
FROM parsed p
WHERE p.jaar IS NOT NULL AND p.taakveld_code IS NOT NULL
  AND NOT EXISTS (
    SELECT 1 FROM ref_taakvelden t
    WHERE lower(t.taakveld_code) = lower(p.taakveld_code)
      AND valid_in_year(p.jaar, t.geldig_van_jaar, t.geldig_tot_jaar)
  )
"""

DUPLICATE_TOTAL = duplicate_rows_sql(
    ("gemeente_code", "jaar", "fase"), "fase", "line for this municipality, year and phase",
    ("gemeente_code", "jaar", "fase"),
)

GROOTBOEK = Contract(
    domain="financien",
    entity="grootboek",
    description=(
        "The ledger export of the municipal financial system: one line per amount per goal, taakveld, cost "
        "centre and phase (begroting primitief, begroting na wijziging, rekening). CSV or XLSX."
    ),
    columns=(
        *_KEY_COLUMNS,
        Column("programma_code", "text", "programme number as in the document"),
        Column("doelstelling_code", "text", "goal code as in that year's document"),
        Column("doelstelling_naam", "text", "goal name as in that year's document"),
        Column("taakveld_code", "text", "Iv3 taakveld"),
        Column("kostenplaats", "text", "cost centre or budget line description"),
        Column("soort", "soort", "baten or lasten"),
        Column("reservemutatie", "ja_nee", "whether the line is a reserve mutation"),
        Column("bedrag", "bedrag", "amount in euros; baten positive, lasten negative"),
    ),
    row_rules=(UNKNOWN_DOELSTELLING, UNKNOWN_TAAKVELD),
)

GEMEENTETOTALEN = Contract(
    domain="financien",
    entity="gemeentetotalen",
    description=(
        "The municipality-wide uitgaven and inkomsten per year and phase, for the shares in the programme "
        "header. CSV or XLSX."
    ),
    columns=(
        *_KEY_COLUMNS,
        Column("uitgaven", "bedrag", "total lasten of the municipality excluding reserve mutations"),
        Column("inkomsten", "bedrag", "total baten of the municipality excluding reserve mutations"),
    ),
    row_rules=(DUPLICATE_TOTAL,),
)

CONTRACTS = (GROOTBOEK, GEMEENTETOTALEN)
