"""Parse and check every row of a file in SQL, set-based.

The landed file is the DuckDB relation `landed` (text columns plus
`source_row`). `parse_sql` turns it into typed columns, looking values up in
reference tables with joins; `problems_sql` lists one row per problem:
(source_row, column_name, value, reason, expected).
"""

from __future__ import annotations

import duckdb

from ..sql.quoting import quote_literal as _literal
from ..sql.quoting import quote_name
from ..sql.shared_macros import create_shared_macros
from .contracts import MAX_VALUE_CHARS, NO_VALUE, Column, Contract
from .scope import register_load_date, scope_rules

# Control characters have no place in a delivered value (tab, line feed and carriage return are
# whitespace). A NUL byte in particular is a damaged file or a binary export.
CONTROL_CHARACTERS = r"[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]"

MACROS = r"""
-- Dutch amount: '-65.776.123,45', '364.210', '€ -110.262', '0,5'. NULL when invalid.
CREATE OR REPLACE TEMP MACRO nl_bedrag_text(s) AS regexp_replace(s, '[€\s\x{00A0}]', '', 'g');
CREATE OR REPLACE TEMP MACRO nl_bedrag(s) AS (
    CASE WHEN regexp_full_match(nl_bedrag_text(s), '-?([0-9]{1,3}(\.[0-9]{3})+|[0-9]+)(,[0-9]{1,2})?')
         THEN TRY_CAST(replace(replace(nl_bedrag_text(s), '.', ''), ',', '.') AS DECIMAL(18,2))
    END
);
-- Dutch number as people type it: '4.923', '45,9%', '€ 1.234', '7,5'. NULL when invalid.
CREATE OR REPLACE TEMP MACRO nl_getal_text(s) AS regexp_replace(s, '[€%\s\x{00A0}]', '', 'g');
CREATE OR REPLACE TEMP MACRO nl_getal(s) AS (
    CASE WHEN regexp_full_match(nl_getal_text(s), '-?([0-9]{1,3}(\.[0-9]{3})+|[0-9]+)(,[0-9]+)?')
         THEN TRY_CAST(replace(replace(nl_getal_text(s), '.', ''), ',', '.') AS DECIMAL(18,4))
    END
);
-- A date as 27-01-2022 or 2022-01-27; NULL when invalid or not in the calendar (31-02-2022).
CREATE OR REPLACE TEMP MACRO nl_datum(s) AS
    CAST(coalesce(try_strptime(s, '%d-%m-%Y'), try_strptime(s, '%Y-%m-%d')) AS DATE);
-- BSN (burgerservicenummer): 9 digits, or 8 with the leading zero dropped (spaces and dots
-- ignored), not all zeros, passing the elfproef 9*d1 + 8*d2 + ... + 2*d8 - 1*d9 = 0 (mod 11).
CREATE OR REPLACE TEMP MACRO bsn_digits(s) AS regexp_replace(s, '[\s.]', '', 'g');
-- The weighted digit sum as integer arithmetic (n is the number; an 8-digit one has d1 = 0), and the
-- CASE computes it only for the values that are 8 or 9 digits: a CASE evaluates its THEN only for
-- the rows that match, an AND evaluates both sides of every row.
CREATE OR REPLACE TEMP MACRO bsn_weighted_sum(n) AS
    9 * (n // 100000000 % 10) + 8 * (n // 10000000 % 10) + 7 * (n // 1000000 % 10) + 6 * (n // 100000 % 10)
    + 5 * (n // 10000 % 10) + 4 * (n // 1000 % 10) + 3 * (n // 100 % 10) + 2 * (n // 10 % 10) - n % 10;
CREATE OR REPLACE TEMP MACRO is_bsn(s) AS CASE
    WHEN regexp_full_match(bsn_digits(s), '[0-9]{8,9}') AND NOT regexp_full_match(bsn_digits(s), '0+')
    THEN bsn_weighted_sum(CAST(bsn_digits(s) AS BIGINT)) % 11 = 0
    ELSE false
END;
-- A BSN shown without its first digits: '123456782' -> '*****6782'.
CREATE OR REPLACE TEMP MACRO mask_bsn(s) AS repeat('*', length(bsn_digits(s)) - 4) || right(bsn_digits(s), 4);
-- Any text with every BSN in it masked (a whole value, or a number inside a line of text).
CREATE OR REPLACE TEMP MACRO mask_bsns(s) AS CASE
    WHEN is_bsn(s) THEN mask_bsn(s)
    ELSE list_reduce(
        list_filter(regexp_extract_all(s, '[0-9]+'), lambda t: is_bsn(t)),
        lambda masked, t: replace(masked, t, mask_bsn(t)), s)
END;
"""


def register_macros(con: duckdb.DuckDBPyConnection) -> None:
    """The loader's macros, the rules it shares with dbt (sql/shared_macros.py) and the day of the load."""
    create_shared_macros(con, temporary=True)
    con.execute(MACROS)
    register_load_date(con)


def _text(column: Column, table: str = "") -> str:
    """The delivered text, NULL when empty (or, in an optional column, a no-value mark)."""
    name = table + quote_name(column.name)
    if column.required:
        return f"nullif({name}, '')"
    marks = ", ".join(_literal(m) for m in NO_VALUE)
    longest = max(len(m.encode()) for m in NO_VALUE)  # spares lower() on longer values
    return f"CASE WHEN strlen({name}) <= {longest} AND lower({name}) IN ({marks}) THEN NULL ELSE {name} END"


def parse_sql(contract: Contract) -> str:
    """Typed columns next to the delivered text (`<column>__text`). A kind with a lookup
    joins its reference table (each key once) instead of a subquery per row."""
    parsed, joins = [], []
    for number, column in enumerate(contract.columns):
        kind = column.spec
        value = _text(column, "l.")
        typed = kind.parse.format(v=value)
        if kind.lookup:
            alias = f"lookup_{number}"
            joins.append(f"LEFT JOIN (SELECT key, any_value(value) AS value FROM ({kind.lookup}) "
                         f"GROUP BY key HAVING count(*) = 1) AS {alias} ON {alias}.key = {typed}")
            typed = f"{alias}.value"
        parsed.append(f"CAST({typed} AS {kind.sql_type}) AS {quote_name(column.name)}")
        parsed.append(f"{value} AS {quote_name(column.name + '__text')}")
    return ("SELECT l.source_row,\n    " + ",\n    ".join(parsed) + "\nFROM landed AS l"
            + "".join(f"\n{join}" for join in joins))


def _value_problem(text: str, control: bool) -> tuple[str, str, str]:
    """A value no column accepts: (condition, reason, expected). Without `control`, the file is
    known to hold no control characters and only the length is checked."""
    too_long = f"length({text}) > {MAX_VALUE_CHARS}"
    return (
        f"regexp_matches({text}, '{CONTROL_CHARACTERS}') OR {too_long}" if control else too_long,
        f"CASE WHEN contains({text}, chr(0)) THEN 'a NUL byte in the value (shown as ␀): a damaged file or not a "
        f"text export' WHEN regexp_matches({text}, '{CONTROL_CHARACTERS}') THEN 'a control character in the value "
        f"(shown as a symbol such as ␛)' ELSE 'the value is ' || length({text}) || ' characters long' END",
        f"'text without control characters, at most {MAX_VALUE_CHARS} characters'",
    )


def problems_sql(contract: Contract, control: bool = True) -> str:
    """One row per problem, from the temp table `parsed`: invalid values, the contract's row rules
    and the scope rules (scope.py)."""
    checks = []
    for column in contract.columns:
        kind = column.spec
        text = quote_name(column.name + "__text")
        invalid = kind.reason.format(v=text) if kind.reason else _literal(f"not a valid {column.kind}")
        missing_is_ok = "" if column.required else f" AND {text} IS NOT NULL"
        bad_value, bad_value_reason, bad_value_expected = _value_problem(text, control)
        checks.append(
            f"SELECT source_row, {_literal(column.name)} AS column_name, {text} AS value,\n"
            f"    CASE WHEN {text} IS NULL THEN 'missing value' WHEN {bad_value} THEN {bad_value_reason}"
            f" ELSE {invalid} END AS reason,\n"
            f"    CASE WHEN {text} IS NOT NULL AND ({bad_value}) THEN {bad_value_expected}"
            f" ELSE {_literal(kind.expected)} END AS expected\n"
            f"FROM parsed WHERE ({quote_name(column.name)} IS NULL{missing_is_ok}) OR {bad_value}"
        )
    checks.extend(contract.row_rules)
    checks.extend(rule.sql for rule in scope_rules(contract))
    return "\nUNION ALL\n".join(f"({c})" for c in checks)


def duplicate_rows_sql(key: tuple[str, ...], column_name: str, what: str, label: tuple[str, ...]) -> str:
    """A row rule: every line after the first with the same `key` is a problem."""
    partition = ", ".join(quote_name(c) for c in key)
    not_null = " AND ".join(f"{quote_name(c)} IS NOT NULL" for c in key)
    value = " || ' ' || ".join(quote_name(c) for c in label)
    return f"""
SELECT source_row, {_literal(column_name)} AS column_name, {value} AS value,
    'a second ' || {_literal(what)} || ' (first on line ' || first_row || ')' AS reason,
    {_literal("one line per " + ", ".join(key))} AS expected
FROM (
    SELECT *, min(source_row) OVER (PARTITION BY {partition}) AS first_row
    FROM parsed WHERE {not_null}
)
WHERE source_row > first_row
"""
