"""The dbt manifest, read once per process: the one place that knows the models
and which of them are the marts (the models in the marts schema, the only ones
published), and what each model is built from."""

from __future__ import annotations

import json
from functools import cache

from ..settings import DBT_PROJECT_DIR

MANIFEST_PATH = DBT_PROJECT_DIR / "target" / "manifest.json"
MARTS_SCHEMA = "marts"
BUILT_TYPES = ("model", "seed")


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


@cache
def upstream_sources() -> dict[str, frozenset[str]]:
    """Every model and seed, by name, with the sources it is built from, directly or through
    other models, named as the raw tables (and the load log) name them: `financien_grootboek`."""
    nodes = manifest()["nodes"]
    raw_names = {uid: source["identifier"] for uid, source in manifest()["sources"].items()}
    found: dict[str, frozenset[str]] = {}

    def sources_of(uid: str) -> frozenset[str]:
        if uid in raw_names:
            return frozenset([raw_names[uid]])
        if uid not in found:
            parents = nodes[uid]["depends_on"].get("nodes", [])
            found[uid] = frozenset().union(*(sources_of(parent) for parent in parents))
        return found[uid]

    return {node["name"]: sources_of(uid) for uid, node in nodes.items() if node["resource_type"] in BUILT_TYPES}


@cache
def build_order() -> tuple[str, ...]:
    """Every model and seed, by name, each after the nodes it is built from."""
    nodes = manifest()["nodes"]
    order: dict[str, None] = {}

    def visit(uid: str) -> None:
        if uid in nodes and nodes[uid]["name"] not in order and nodes[uid]["resource_type"] in BUILT_TYPES:
            for parent in nodes[uid]["depends_on"].get("nodes", []):
                visit(parent)
            order[nodes[uid]["name"]] = None

    for uid in sorted(nodes):
        visit(uid)
    return tuple(order)
