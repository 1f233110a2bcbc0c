"""Generate the dbt files that follow from the registry of sources and from the
survey codebook, so that they cannot drift.

    python -m dagster_project.generate.dbt_files      (run by make before dbt parses)

- dbt/models/staging/_sources.yml: one dbt source per domain, one table per
  contract, with its columns, descriptions and the Dagster asset that loads it;
- dbt/macros/codebook_questions.sql: the coded questions of each survey in
  questionnaire order (seeds/reference/enquete_vragen.csv), for the SQL that
  unpivots answers.

A test fails when a committed file differs from what this writes.
"""

from __future__ import annotations

import csv
import sys
from itertools import groupby

import yaml

from ..ingest.contracts import Contract
from ..settings import DBT_PROJECT_DIR, REFERENCE_DIR
from ..sources import CONTRACTS

SOURCES_YML = DBT_PROJECT_DIR / "models" / "staging" / "_sources.yml"
CODEBOOK_MACRO = DBT_PROJECT_DIR / "macros" / "codebook_questions.sql"
HEADER = "# Generated from dagster_project/sources by `python -m dagster_project.generate.dbt_files`: do not edit.\n"
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


def render_sources(contracts=CONTRACTS) -> str:
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


def render_codebook_macro(codebook=REFERENCE_DIR / "enquete_vragen.csv") -> str:
    with codebook.open(encoding="utf-8", newline="") as handle:
        rows = sorted(csv.DictReader(handle), key=lambda r: (r["onderzoek"], int(r["volgorde"])))
    questions = {s: [r["vraag"] for r in g] for s, g in groupby(rows, key=lambda r: r["onderzoek"])}
    lines = ",\n".join(f"        '{survey}': {names!r}" for survey, names in questions.items())
    return f"""{{#- Generated from seeds/reference/enquete_vragen.csv by `python -m dagster_project.generate.dbt_files`:
    do not edit. The coded questions of a survey in questionnaire order, so that
    a new question is a codebook row and no SQL changes. -#}}
{{% macro codebook_questions(onderzoek) -%}}
    {{%- set questions = {{
{lines}
    }} -%}}
    {{{{ return(questions[onderzoek]) }}}}
{{%- endmacro %}}
"""


def generated_files() -> dict:
    return {SOURCES_YML: render_sources(), CODEBOOK_MACRO: render_codebook_macro()}


def main() -> int:
    for path, text in generated_files().items():
        if not path.exists() or path.read_text() != text:
            path.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
