"""Which published marts hold a gemeente's own data (microdata) and which are public.

One list, used by every publication that separates gemeenten: the row-level
security in PostgreSQL (row_security.py) and the files per gemeente
(per_gemeente.py). Documented in docs/publication.md#one-warehouse-for-a-region.

- Microdata: every fact and report mart (`fct_`, `rpt_`) built from a gemeente's
  own deliveries (registrations, surveys, finance, indicator values). Each has a
  `gemeente_code`; a gemeente sees only its own rows.
- Public: the marts of CBS open data in PUBLIC_TABLES, which everyone may compare
  with everyone, and every dimension (`dim_`: reference data).
"""

from __future__ import annotations

from collections.abc import Iterable

# Public marts with a gemeente_code: everyone may compare with everyone.
PUBLIC_TABLES = frozenset({"rpt_cbs_vergelijking", "fct_cbs_waarneming"})
MICRODATA_PREFIXES = ("fct_", "rpt_")
GEMEENTE_COLUMN = "gemeente_code"


def is_microdata(table: str) -> bool:
    """A fact or report mart that is not declared public."""
    return table.startswith(MICRODATA_PREFIXES) and table not in PUBLIC_TABLES


def microdata_tables(tables: Iterable[tuple[str, bool]]) -> list[str]:
    """The microdata marts among `tables` (name, whether it has a gemeente_code), in order. A fact or
    report mart without a gemeente_code that is not declared public is an error: it cannot be cut per
    gemeente, and publishing it whole would show one gemeente's microdata to the others."""
    microdata = [(table, has_gemeente) for table, has_gemeente in tables if is_microdata(table)]
    unrestrictable = [table for table, has_gemeente in microdata if not has_gemeente]
    if unrestrictable:
        raise ValueError(f"tables without {GEMEENTE_COLUMN} that are not declared public: {unrestrictable}")
    return [table for table, _ in microdata]
