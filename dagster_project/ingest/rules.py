"""Row rules shared by the contracts of several sources (see Contract.row_rules)."""

UNKNOWN_WIJK = """
SELECT source_row, 'wijk' AS column_name, wijk AS value,
    'not a wijk of this gemeente (seeds/reference/wijken.csv)' AS reason,
    'a wijk name or code from seeds/reference/wijken.csv; empty = unknown' AS expected
FROM parsed p
WHERE wijk IS NOT NULL AND gemeente_code IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM ref_wijken w
    WHERE w.gemeente_code = p.gemeente_code
      AND (name_key(w.wijk_naam) = name_key(p.wijk) OR upper(w.wijk_code) = upper(p.wijk))
)
"""
