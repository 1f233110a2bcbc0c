"""The dbt manifest, read once per process: the one place that knows the models
and which of them are the marts (the models in the marts schema, the only ones
published)."""

from __future__ import annotations

import json
from functools import cache

from .settings import DBT_PROJECT_DIR

MANIFEST_PATH = DBT_PROJECT_DIR / "target" / "manifest.json"
MARTS_SCHEMA = "marts"


@cache
def manifest() -> dict:
    """The whole manifest: nodes, sources and the dependency graph (child_map)."""
    return json.loads(MANIFEST_PATH.read_text())


@cache
def models() -> dict[str, dict]:
    """Every dbt model's manifest node, by model name."""
    return {node["name"]: node for node in manifest()["nodes"].values() if node["resource_type"] == "model"}


def mart_names() -> list[str]:
    return sorted(name for name, node in models().items() if node["config"].get("schema") == MARTS_SCHEMA)
