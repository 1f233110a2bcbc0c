"""Which marts a release takes fresh from this run and which it holds back.

A failed check judges one asset: a dbt data test the model, seed or source it
tests, a Great Expectations suite the mart it validates. It holds back that
asset's marts: the mart itself, or every mart built from the staging or
intermediate model, seed or source, following the dbt manifest's dependency
graph. Every other mart publishes fresh. A held-back mart keeps its last good
release; the publish (files.py) also holds back whatever would make the release
refer to a key it lacks (the manifest's `relationships` and `foreign_key` tests
between marts).
See docs/validation.md.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

from ..transform.manifest import MARTS_SCHEMA, manifest

FAILED_TEST_STATUSES = ("fail", "error")


@dataclass(frozen=True)
class Failure:
    node: str    # the dbt unique_id of the asset the check judged
    check: str   # the check's name
    reason: str  # what failed, in words for publicatie_mart.reden


@dataclass(frozen=True)
class Relationship:
    """`child.column` refers to `parent.field` (a dbt relationships or foreign_key test between two marts)."""

    child: str
    column: str
    parent: str
    field: str
    where: str | None = None


@dataclass(frozen=True)
class ReleaseGraph:
    """The marts of a release, which marts each dbt node builds, and the keys between marts."""

    marts: tuple[str, ...]
    mart_ids: Mapping[str, str]                 # mart name -> dbt unique_id
    built_from: Mapping[str, frozenset[str]]    # dbt unique_id -> marts built from it, itself included
    relationships: tuple[Relationship, ...] = ()

    @classmethod
    def from_manifest(cls, manifest: Mapping) -> ReleaseGraph:
        nodes = {**manifest["nodes"], **manifest.get("sources", {})}
        mart_ids = {node["name"]: uid for uid, node in manifest["nodes"].items() if _is_mart(node)}
        marts_by_id = {uid: name for name, uid in mart_ids.items()}
        children = {uid: [c for c in manifest["child_map"].get(uid, []) if c in nodes and not _is_check(nodes[c])]
                    for uid in nodes}
        built_from = {uid: frozenset(marts_by_id[d] for d in _downstream(uid, children) if d in marts_by_id)
                      for uid in nodes if not _is_check(nodes[uid])}
        return cls(tuple(sorted(mart_ids)), mart_ids, built_from, _relationships(manifest, marts_by_id))

    @classmethod
    def of_tables(cls, tables: Iterable[str]) -> ReleaseGraph:
        """Marts without a known graph: each mart is built from itself only."""
        names = tuple(sorted(tables))
        return cls(names, {n: n for n in names}, {n: frozenset([n]) for n in names})

    def descendants(self, mart: str) -> frozenset[str]:
        """The marts built from `mart`, itself included."""
        return self.built_from.get(self.mart_ids.get(mart, mart), frozenset([mart]))

    def hold_back(self, failures: Iterable[Failure]) -> dict[str, str]:
        """Mart name -> why it is held back, for every mart built from a failing asset."""
        held: dict[str, str] = {}
        for failure in failures:
            failing_mart = next((m for m, uid in self.mart_ids.items() if uid == failure.node), None)
            for mart in sorted(self.built_from.get(failure.node, ())):
                if mart == failing_mart:
                    held.setdefault(mart, failure.reason)
                else:
                    held.setdefault(mart, f"built from {_name(failure.node)}: {failure.reason}")
        return held


@cache
def release_graph() -> ReleaseGraph:
    """The marts and what each is built from, from the dbt manifest."""
    return ReleaseGraph.from_manifest(manifest())


def _is_mart(node: Mapping) -> bool:
    return node.get("resource_type") == "model" and node.get("config", {}).get("schema") == MARTS_SCHEMA


def _is_check(node: Mapping) -> bool:
    return node.get("resource_type") in ("test", "unit_test")


def _name(unique_id: str) -> str:
    """`model.project.fct_x` -> fct_x; `source.project.domain.table` -> domain.table."""
    parts = unique_id.split(".")
    return ".".join(parts[3:]) if parts[0] == "source" else parts[-1]


def _downstream(start: str, children: Mapping[str, list[str]]) -> set[str]:
    seen, todo = {start}, [start]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in seen:
                seen.add(child)
                todo.append(child)
    return seen


def _relationships(manifest: Mapping, marts_by_id: Mapping[str, str]) -> tuple[Relationship, ...]:
    found = []
    for node in manifest["nodes"].values():
        meta = node.get("test_metadata") or {}
        if node["resource_type"] != "test" or meta.get("name") not in ("relationships", "foreign_key"):
            continue
        child = node.get("attached_node")
        parent_name = re.fullmatch(r"""ref\(['"](\w+)['"]\)""", meta["kwargs"].get("to", "").strip())
        if child not in marts_by_id or not parent_name or parent_name.group(1) not in {*marts_by_id.values()}:
            continue
        found.append(Relationship(marts_by_id[child], meta["kwargs"]["column_name"], parent_name.group(1),
                                  meta["kwargs"]["field"], node.get("config", {}).get("where")))
    return tuple(sorted(set(found), key=lambda r: (r.child, r.column, r.parent)))


def dbt_test_failures(run_results: Mapping, manifest: Mapping) -> list[Failure]:
    """A Failure per failed or erroring dbt data test in a run's run_results.json."""
    failures = []
    for result in run_results.get("results", []):
        node = manifest["nodes"].get(result["unique_id"])
        if node is None or node["resource_type"] != "test" or result["status"] not in FAILED_TEST_STATUSES:
            continue
        if result["status"] == "fail":
            reason = f"dbt test {node['name']} failed on {result.get('failures')} row(s)"
        else:
            reason = f"dbt test {node['name']} could not run: {(result.get('message') or '').strip()[:300]}"
        judged = [node["attached_node"]] if node.get("attached_node") else node["depends_on"]["nodes"]
        failures += [Failure(uid, node["name"], reason) for uid in judged]
    return failures


def write_failures(path: Path, failures: Iterable[Failure]) -> None:
    """Write a step's failures for the publish step of the same run (atomically)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(json.dumps([asdict(f) for f in failures], indent=2))
    temporary.replace(path)


def read_failures(path: Path) -> list[Failure]:
    return [Failure(**item) for item in json.loads(path.read_text())]
