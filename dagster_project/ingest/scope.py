"""Scope rules: a delivery may only change what it is about.

A file can be valid line by line and still reach beyond what a delivery can
plausibly be about: a ledger for 2031 when the calendar runs to 2030, a
registration export whose period ends after the day it was loaded (it would
end every trajectory of the earlier exports), a rekening for a year that has
not begun. Such a file is quarantined at load, with a reason that names the
rule and its limit, so that it never reaches the marts (docs/sources.md,
"Scope of a delivery", lists every rule in one table).

The rules follow from the columns a contract has (every source with `jaar`,
every export with `periode_einde`, ...), so a new source gets them too. The
limits are relative to the day of the load: the temp macro `load_date()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import duckdb

from .contracts import FIRST_YEAR, Contract

# The calendar (dim_jaar) runs this many years ahead of the current year; a delivery may carry
# years up to that far ahead of the day it is loaded (multi-year budgets: the meerjarenraming).
# The same number is the dbt var `jaren_vooruit` (dbt/dbt_project.yml).
CALENDAR_YEARS_AHEAD = 4


def load_date() -> date:
    """The day of the load (UTC): the limits of the scope rules are relative to it."""
    return datetime.now(UTC).date()


def register_load_date(con: duckdb.DuckDBPyConnection, day: date | None = None) -> None:
    con.execute(f"CREATE OR REPLACE TEMP MACRO load_date() AS DATE '{(day or load_date()).isoformat()}'")


@dataclass(frozen=True)
class ScopeRule:
    name: str          # names the rule in the reason and in docs/sources.md
    applies: tuple[str, ...]  # the columns a contract must have for the rule to apply
    sql: str           # selects (source_row, column_name, value, reason, expected) from `parsed`


HORIZON = f"year(load_date()) + {CALENDAR_YEARS_AHEAD}"

BEYOND_CALENDAR = ScopeRule("beyond the calendar", ("jaar",), f"""
SELECT source_row, 'jaar' AS column_name, jaar__text AS value,
    'scope rule "beyond the calendar": year ' || jaar || ' lies after ' || ({HORIZON})
        || ', the last year of the calendar (the load year ' || year(load_date()) || ' + {CALENDAR_YEARS_AHEAD})'
        AS reason,
    'a year from {FIRST_YEAR} to ' || ({HORIZON}) AS expected
FROM parsed
WHERE jaar > {HORIZON}
""")

def _ahead_of_its_year(kind_column: str, kind: str, later: str) -> ScopeRule:
    """A `kind` (a rekening, a realisatie: figures of a year that has passed) for a year that has not begun."""
    name = f"{kind} ahead of its year"
    return ScopeRule(name, ("jaar", kind_column), f"""
SELECT source_row, 'jaar' AS column_name, jaar__text || ' ' || {kind_column} AS value,
    'scope rule "{name}": a {kind} for ' || jaar || ', a year that has not begun on '
        || strftime(load_date(), '%d-%m-%Y') || ' (the day of the load)' AS reason,
    'a {kind} for a year up to ' || year(load_date()) || '; {later} for a later year' AS expected
FROM parsed
WHERE {kind_column} = '{kind}' AND jaar > year(load_date())
""")


REKENING_AHEAD = _ahead_of_its_year("fase", "rekening", "a begroting")
REALISATIE_AHEAD = _ahead_of_its_year("waardetype", "realisatie", "a begroting or prognose")

# Reported once per gemeente, on its first line: the period is a property of the export.
PERIOD_AHEAD = ScopeRule("period ahead of the load", ("periode_einde",), """
SELECT source_row, 'periode_einde' AS column_name, periode_einde__text AS value,
    'scope rule "period ahead of the load": the period of the export for ' || gemeente_code || ' ends on '
        || strftime(periode_einde, '%d-%m-%Y') || ', after ' || strftime(load_date(), '%d-%m-%Y')
        || ' (the day of the load); it would end every running trajectory of the earlier exports' AS reason,
    'a period that ends on or before the day of the export (at the latest ' || strftime(load_date(), '%d-%m-%Y')
        || ')' AS expected
FROM (
    SELECT *, min(source_row) OVER (PARTITION BY gemeente_code) AS first_row
    FROM parsed WHERE gemeente_code IS NOT NULL AND periode_einde > load_date()
)
WHERE source_row = first_row
""")


def _cbs_period_ahead(column: str) -> ScopeRule:
    """A CBS figure (or period) of a year that has not begun: CBS publishes figures of periods
    that have passed, so such a period code is a corrupted download."""
    name = "CBS period ahead of the load"
    return ScopeRule(name, (column,), f"""
SELECT source_row, '{column}' AS column_name, {column}__text AS value,
    'scope rule "{name}": the period ' || {column}__text || ' lies in a year after '
        || year(load_date()) || ', the year of the load' AS reason,
    'a period up to ' || year(load_date()) AS expected
FROM parsed
WHERE try_cast(left({column}__text, 4) AS INTEGER) > year(load_date())
""")


CBS_PERIOD_AHEAD = (_cbs_period_ahead("perioden"), _cbs_period_ahead("identifier"))
RULES = (BEYOND_CALENDAR, REKENING_AHEAD, REALISATIE_AHEAD, PERIOD_AHEAD, *CBS_PERIOD_AHEAD)


def scope_rules(contract: Contract) -> tuple[ScopeRule, ...]:
    """The scope rules that apply to a contract."""
    columns = set(contract.column_names)
    return tuple(rule for rule in RULES if set(rule.applies) <= columns)
