"""The BSN scan of the marts: no text value in a mart may pass the elfproef.

The elfproef is the DuckDB macro `is_bsn` of ingest/parsing.py, the same one
the loaders use to quarantine a file with a BSN. A whole value counts (spaces
and dots ignored); free text is not split into words, because dates and file
names in it would pass the elfproef by chance. A column documented in dbt with
`meta: {geen_bsn: <reason>}` (an AGB code: the 8-digit code of an organisation)
is skipped and listed as such.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ..ingest.parsing import register_macros
from ..settings import duckdb_config
from ..sql.quoting import quote_name
from ..transform.manifest import MARTS_SCHEMA, models


@dataclass
class BsnScan:
    table: str
    columns: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # column -> reason
    findings: dict[str, tuple[int, str]] = field(default_factory=dict)  # column -> (values, a masked example)

    @property
    def passed(self) -> bool:
        return not self.findings


def exempt_columns(model: str) -> dict[str, str]:
    """The columns of a model documented with meta geen_bsn, and the reason given."""
    columns = models().get(model, {}).get("columns", {})
    return {name: column["meta"]["geen_bsn"] for name, column in columns.items()
            if "geen_bsn" in (column.get("meta") or {})}


def scan(con: duckdb.DuckDBPyConnection, table: str, skipped: dict[str, str] | None = None,
         schema: str = MARTS_SCHEMA, macros: bool = True) -> BsnScan:
    """Every text column of `schema.table`: how many values pass the elfproef (one pass over the table)."""
    if macros:
        register_macros(con)
    result = BsnScan(table, skipped=dict(skipped or {}))
    columns = [name for (name,) in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE schema_name = ? AND table_name = ? AND data_type = 'VARCHAR' "
        "ORDER BY column_index", [schema, table]).fetchall()]
    result.columns = [c for c in columns if c not in result.skipped]
    if not result.columns:
        return result
    # Per column the masked value where the value passes the elfproef, else NULL. CASE evaluates its THEN
    # only on the rows that match: the elfproef only on values of a BSN's length, the mask only on a BSN.
    masked = [f"CASE WHEN length({c}) BETWEEN 8 AND 13 THEN CASE WHEN is_bsn({c}) THEN mask_bsn({c}) END END"
              for c in map(quote_name, result.columns)]
    counts = con.execute(
        "SELECT " + ", ".join(f"count(m{i}), min(m{i})" for i in range(len(masked)))
        + " FROM (SELECT " + ", ".join(f"{m} AS m{i}" for i, m in enumerate(masked)) + f" FROM {schema}.{table})"
    ).fetchall()[0]
    for index, column in enumerate(result.columns):
        count, example = counts[2 * index], counts[2 * index + 1]
        if count:
            result.findings[column] = (count, example)
    return result


def scan_database(database: Path, tables: Mapping[str, Mapping[str, str]]) -> Iterator[BsnScan]:
    """Scan each table (with the columns it skips, and why) in one read-only connection."""
    with duckdb.connect(str(database), read_only=True, config=duckdb_config()) as con:
        register_macros(con)
        for table, skipped in tables.items():
            yield scan(con, table, dict(skipped), macros=False)
