"""Indicator values: realisaties, begrotingen (targets) and prognoses per indicator
and year, delivered by the P&C team and external parties. Documented in docs/sources.md."""

from ..ingest.contracts import Column, Contract
from ..ingest.parsing import duplicate_rows_sql

_CATALOGUE = """
    (SELECT i.*, CAST(e.minimum AS DOUBLE) AS minimum, CAST(e.maximum AS DOUBLE) AS maximum,
            e.is_geheel_getal = 'true' AS is_geheel_getal
     FROM ref_indicatoren i JOIN ref_eenheden e USING (eenheid))
"""

UNKNOWN_INDICATOR = """
SELECT p.source_row, 'indicator_code' AS column_name, p.indicator_code AS value,
    CASE WHEN i.indicator_code IS NULL THEN 'indicator ' || p.indicator_code || ' is not in the catalogue'
         ELSE 'indicator ' || p.indicator_code || ' is not valid in ' || p.jaar
              || ' (valid ' || i.geldig_van_jaar || '-' || coalesce(i.geldig_tot_jaar, '') || ')' END AS reason,
    'an indicator of seeds/reference/indicatoren.csv valid in that year' AS expected
FROM parsed p
LEFT JOIN ref_indicatoren i ON i.indicator_code = p.indicator_code
WHERE p.indicator_code IS NOT NULL AND p.jaar IS NOT NULL
  AND (i.indicator_code IS NULL
       OR NOT valid_in_year(p.jaar, i.geldig_van_jaar, i.geldig_tot_jaar))
"""

# A share derived from teller/noemer is checked by SHARE_PARTS (0 <= teller <= noemer).
OUT_OF_RANGE = f"""
SELECT p.source_row, 'waarde' AS column_name, p.waarde__text AS value,
    CASE WHEN i.is_geheel_getal AND p.waarde <> round(p.waarde) THEN 'a value in ' || i.eenheid || ' is a whole number'
         ELSE 'outside the range of the unit ' || i.eenheid END AS reason,
    i.eenheid || ' from ' || coalesce(CAST(i.minimum AS VARCHAR), '-') || ' to '
        || coalesce(CAST(i.maximum AS VARCHAR), 'any') || CASE WHEN i.is_geheel_getal THEN ', whole' ELSE '' END
        AS expected
FROM parsed p
JOIN {_CATALOGUE} i ON i.indicator_code = p.indicator_code
WHERE p.waarde < coalesce(i.minimum, p.waarde) OR p.waarde > coalesce(i.maximum, p.waarde)
   OR (i.is_geheel_getal AND p.waarde <> round(p.waarde))
"""

UNIT_MISMATCH = """
SELECT p.source_row, 'waarde' AS column_name, p.waarde__text AS value,
    'indicator ' || p.indicator_code || ' is measured in ' || i.eenheid
        || CASE WHEN contains(p.waarde__text, '%') THEN ', not in percent' ELSE ', not in euros' END AS reason,
    'a value in ' || i.eenheid AS expected
FROM parsed p
JOIN ref_indicatoren i ON i.indicator_code = p.indicator_code
WHERE (contains(p.waarde__text, '%') AND i.eenheid <> 'percentage')
   OR (contains(p.waarde__text, '€') AND i.eenheid <> 'euro')
"""

SHARE_PARTS = """
SELECT p.source_row, 'noemer' AS column_name, p.teller__text || ' / ' || p.noemer__text AS value,
    CASE WHEN i.eenheid <> 'percentage' THEN 'teller and noemer only make a percentage'
         WHEN p.teller IS NULL OR p.noemer IS NULL THEN 'teller and noemer come together'
         WHEN p.noemer <= 0 THEN 'the noemer must be more than 0'
         WHEN p.teller > p.noemer OR p.teller < 0 THEN 'the teller must lie between 0 and the noemer'
         ELSE 'waarde ' || p.waarde || ' does not match teller / noemer = ' || round(100 * p.teller / p.noemer, 2)
    END AS reason,
    'for a percentage: teller and noemer with 0 <= teller <= noemer, matching waarde (within 0,1) if both given'
        AS expected
FROM parsed p
JOIN ref_indicatoren i ON i.indicator_code = p.indicator_code
WHERE (p.teller IS NOT NULL OR p.noemer IS NOT NULL)
  AND (i.eenheid <> 'percentage' OR p.teller IS NULL OR p.noemer IS NULL OR p.noemer <= 0
       OR p.teller > p.noemer OR p.teller < 0
       OR abs(p.waarde - 100 * p.teller / p.noemer) > 0.1)
"""

DUPLICATE_VALUE = duplicate_rows_sql(
    ("gemeente_code", "indicator_code", "jaar", "waardetype", "peildatum"), "peildatum",
    "value for this indicator, year, type and peildatum", ("indicator_code", "jaar", "waardetype", "peildatum"),
)

WAARDEN = Contract(
    domain="indicatoren",
    entity="waarden",
    description=(
        "Indicator values: realisaties, begrotingen (targets) and prognoses per indicator and year, with their "
        "peildatum and source, from the P&C documents and external parties. CSV or XLSX."
    ),
    columns=(
        Column("gemeente_code", "gemeente_code", "CBS gemeentecode, e.g. GM0637"),
        Column("indicator_code", "code", "code in the indicator catalogue"),
        Column("jaar", "jaar", "the year the value is about"),
        Column("waardetype", "waardetype", "realisatie, begroting or prognose"),
        Column("waarde", "getal", "the value as typed; -, n.b. or empty for no value", required=False),
        Column("teller", "getal", "numerator of a percentage, instead of or next to waarde", required=False),
        Column("noemer", "getal", "denominator of a percentage", required=False),
        Column("peildatum", "datum", "the date of the figure; a recalculation has a later peildatum"),
        Column("bron_document", "text", "the document or version the figure comes from"),
    ),
    row_rules=(UNKNOWN_INDICATOR, OUT_OF_RANGE, UNIT_MISMATCH, SHARE_PARTS, DUPLICATE_VALUE),
)

CONTRACTS = (WAARDEN,)
