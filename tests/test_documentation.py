"""Every dbt model and every column it builds is documented in its yml; answer
columns named after a codebook question are documented by the codebook."""

from __future__ import annotations

import csv
import json

from dagster_project.settings import DBT_PROJECT_DIR, REFERENCE_DIR

from .conftest import query


def test_every_model_and_column_is_documented(sample_run):
    paths, result = sample_run
    assert result.success
    manifest = json.loads((DBT_PROJECT_DIR / "target" / "manifest.json").read_text())
    with (REFERENCE_DIR / "enquete_vragen.csv").open(encoding="utf-8", newline="") as handle:
        codebook = {row["vraag"] for row in csv.DictReader(handle) if row["vraagtekst"].strip()}
    problems = []
    for node in manifest["nodes"].values():
        if node["resource_type"] not in ("model", "seed"):
            continue
        if not node["description"].strip():
            problems.append(f"{node['name']}: no description")
        built = [c for (c,) in query(paths.build_db, "SELECT column_name FROM information_schema.columns "
                                                     "WHERE table_schema = ? AND table_name = ?",
                                     [node["schema"], node["alias"]])]
        assert built, f"{node['schema']}.{node['alias']} was not built"
        documented = {name for name, column in node["columns"].items() if column["description"].strip()}
        problems += [f"{node['name']}.{column}: not documented" for column in built
                     if column not in documented and column not in codebook]
        problems += [f"{node['name']}.{column}: documented but not built" for column in node["columns"]
                     if column not in built]
    assert problems == [], "\n".join(problems)
