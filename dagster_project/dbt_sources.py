"""Generate dbt's source declarations from the registry of sources, so that they cannot drift.

    python -m dagster_project.dbt_sources      (run by make before dbt parses)

Writes dbt/models/staging/_sources.yml: one dbt source per domain, one table per
contract, with its columns, descriptions and the Dagster asset that loads it. A
test fails when the committed file differs from what this writes.
"""

from __future__ import annotations

import sys
from itertools import groupby

import yaml

from .ingest.contracts import Contract
from .settings import DBT_PROJECT_DIR
from .sources import CONTRACTS

SOURCES_YML = DBT_PROJECT_DIR / "models" / "staging" / "_sources.yml"
HEADER = "# Generated from dagster_project/sources by `python -m dagster_project.dbt_sources`: do not edit.\n"
LINEAGE_COLUMNS = {
    "load_id": "The load that delivered this row (raw.load_log).",
    "file_name": "Name of the delivered file.",
    "source_row": "Line number in the delivered file (1 = first data line).",
    "loaded_at": "When the file was loaded (UTC).",
}


def _table(contract: Contract) -> dict:
    columns = [{"name": name, "description": text} for name, text in LINEAGE_COLUMNS.items()]
    columns += [{"name": c.name, "description": c.description} for c in contract.columns]
    return {
        "name": contract.entity,
        "identifier": contract.source,
        "description": f"{contract.description} One row per line of a loaded file; append-only: every loaded "
                       f"file stays, superseded or not.",
        "meta": {"dagster": {"asset_key": [contract.source]}},
        "columns": columns,
    }


def render(contracts=CONTRACTS) -> str:
    ordered = sorted(contracts, key=lambda c: c.domain)
    sources = [
        {
            "name": domain,
            "description": f"Deliveries of the domain {domain}, loaded by the Dagster source assets "
                           f"(docs/sources.md).",
            "schema": "raw",
            "tables": [_table(c) for c in group],
        }
        for domain, group in groupby(ordered, key=lambda c: c.domain)
    ]
    body = yaml.safe_dump({"version": 2, "sources": sources}, sort_keys=False, allow_unicode=True, width=110)
    return HEADER + body


def main() -> int:
    text = render()
    if not SOURCES_YML.exists() or SOURCES_YML.read_text() != text:
        SOURCES_YML.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
