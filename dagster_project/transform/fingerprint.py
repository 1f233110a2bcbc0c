"""Fingerprints: what the data of every dbt model, seed and mart follows from, so that
a run rebuilds, checks and publishes only what changed (docs/operations.md).

A node's fingerprint is a sha256 over
- the project: every file of the dbt project (models, macros, dbt_project.yml,
  profiles.yml), the reference data (seeds/reference), the suites (expectations/),
  the warehouse's Python code (dagster_project/) and its pins (constraints.txt),
  plus the pseudonymisation secret and the current year (dim_jaar depends on it);
- the loads of every source the node is built from (the dbt manifest's lineage):
  load_id and content hash of every loaded file of that source (raw.load_log).

Three sets of fingerprints are compared:
- now: computed from the project and the load log;
- built: what the build file's models were built from (table meta.built_nodes,
  written after dbt built them and their tests passed);
- published: what the published marts were built from (publicatie.vingerafdrukken
  in the published file, written in the same atomic rename as the marts).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cached_property
from pathlib import Path

import duckdb

from ..publication.files import PUBLICATION_TABLE, PUBLISHED_FINGERPRINTS
from ..settings import DBT_PROJECT_DIR, EXPECTATIONS_DIR, REPO_ROOT, duckdb_config, reference_dir
from .manifest import BUILT_TYPES, manifest, mart_names, upstream_sources

PROJECT_PATHS = (
    DBT_PROJECT_DIR / "models", DBT_PROJECT_DIR / "macros", DBT_PROJECT_DIR / "tests",
    DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml", EXPECTATIONS_DIR,
    REPO_ROOT / "dagster_project",
    REPO_ROOT / "constraints.txt",
)
# What dbt's compiled SQL follows from: the dbt project's own files and the pins of dbt.
DBT_PATHS = (
    DBT_PROJECT_DIR / "models", DBT_PROJECT_DIR / "macros", DBT_PROJECT_DIR / "tests",
    DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml", REPO_ROOT / "constraints.txt",
)
# Settings that change the data itself (not where it is or how fast it is built).
DATA_SETTINGS = ("WAREHOUSE_PSEUDONIMISERING_SLEUTEL",)
STATE_DDL = """
CREATE SCHEMA IF NOT EXISTS meta;
CREATE TABLE IF NOT EXISTS meta.built_nodes (
    node VARCHAR PRIMARY KEY,       -- a dbt model or seed
    fingerprint VARCHAR NOT NULL,   -- what it was built from
    project VARCHAR NOT NULL,       -- the project part of that fingerprint
    run_id VARCHAR,
    built_at TIMESTAMP NOT NULL     -- UTC
);
"""
FAILED_STATUSES = ("fail", "error")


def _sha256(parts: Iterable[str]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode())
        digest.update(b"\n")
    return digest.hexdigest()


def _files(path: Path) -> Iterable[Path]:
    if path.is_file():
        yield path
    elif path.is_dir():
        yield from (p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def _label(path: Path) -> Path:
    """A project file by its place in the repository; reference data elsewhere as reference/<file>."""
    return path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else "reference" / path.relative_to(
        reference_dir())


def _file_hashes(roots: Iterable[Path]) -> list[str]:
    return [f"{_label(p)}:{hashlib.sha256(p.read_bytes()).hexdigest()}"
            for p in sorted({p for root in roots for p in _files(root)})]


def project_fingerprint() -> str:
    """The project part: the files the data and its checks follow from (the reference data wherever
    it is), and the data settings."""
    return _sha256([
        *_file_hashes((*PROJECT_PATHS, reference_dir())),
        *(f"{name}:{hashlib.sha256(os.environ.get(name, '').encode()).hexdigest()}" for name in DATA_SETTINGS),
        f"year:{date.today().year}",
    ])


def dbt_project_fingerprint() -> str:
    """The dbt project alone, the properties of its seeds (the yml in the reference data, wherever it
    is) and the pins of dbt: what the SQL dbt compiles follows from."""
    return _sha256(_file_hashes((*DBT_PATHS, *reference_dir().glob("*.yml"))))


def load_fingerprints(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Per source: a hash of every file it loaded (load_id and content hash), from the load log."""
    if not _has_table(con, "raw", "load_log"):
        return {}
    rows = con.execute("""
        SELECT source, string_agg(load_id || ':' || coalesce(content_sha256, ''), ',' ORDER BY load_id)
        FROM raw.load_log WHERE status = 'loaded' GROUP BY source
    """).fetchall()
    return {source: _sha256([loads]) for source, loads in rows}


@dataclass(frozen=True)
class Fingerprints:
    project: str
    nodes: Mapping[str, str]  # dbt model or seed name -> fingerprint

    @classmethod
    def compute(cls, project: str, loads: Mapping[str, str]) -> Fingerprints:
        return cls(project, {
            node: _sha256([project, *(f"{s}:{loads.get(s, '')}" for s in sorted(sources))])
            for node, sources in upstream_sources().items()
        })

    @classmethod
    def now(cls, build_db: Path) -> Fingerprints:
        with _read(build_db) as con:
            loads = load_fingerprints(con) if con is not None else {}
        return cls.compute(project_fingerprint(), loads)

    def marts(self) -> dict[str, str]:
        return {mart: self.nodes[mart] for mart in mart_names()}


@dataclass(frozen=True)
class Built:
    """What the build file's nodes were built from."""

    nodes: Mapping[str, str]
    projects: frozenset[str]
    run_ids: Mapping[str, str]

    @classmethod
    def read(cls, build_db: Path) -> Built:
        with _read(build_db) as con:
            if con is None or not _has_table(con, "meta", "built_nodes"):
                return cls({}, frozenset(), {})
            rows = con.execute("SELECT node, fingerprint, project, run_id FROM meta.built_nodes").fetchall()
        return cls({r[0]: r[1] for r in rows}, frozenset(r[2] for r in rows), {r[0]: r[3] for r in rows})

    def marts(self) -> dict[str, str]:
        return {mart: self.nodes[mart] for mart in mart_names() if mart in self.nodes}


def record_built(build_db: Path, now: Fingerprints, nodes: Iterable[str], run_id: str) -> None:
    """Note that `nodes` are built from `now` (after dbt built them and their tests passed)."""
    rows = [(node, now.nodes[node], now.project, run_id, datetime.now(UTC).replace(tzinfo=None))
            for node in sorted(set(nodes)) if node in now.nodes]
    if not rows:
        return
    with duckdb.connect(str(build_db), config=duckdb_config()) as con:
        con.execute(STATE_DDL)
        con.executemany("INSERT OR REPLACE INTO meta.built_nodes VALUES (?, ?, ?, ?, ?)", rows)


def read_published(published_db: Path) -> dict[str, str]:
    """Mart -> fingerprint of the published release; empty when there is none or it has none."""
    if not published_db.exists():
        return {}
    try:
        with duckdb.connect(str(published_db), read_only=True) as con:
            if not con.execute("SELECT 1 FROM duckdb_columns() WHERE table_name = ? AND column_name = ?",
                               [PUBLICATION_TABLE, PUBLISHED_FINGERPRINTS]).fetchone():
                return {}
            [value] = con.execute(f"SELECT {PUBLISHED_FINGERPRINTS} FROM {PUBLICATION_TABLE}").fetchone()
    except duckdb.Error:  # unreadable: publish everything anew
        return {}
    return json.loads(value) if value else {}


def changed_marts(built: Mapping[str, str], published: Mapping[str, str]) -> list[str]:
    """The marts whose build differs from their published release (or that have none)."""
    return [mart for mart in mart_names() if mart not in built or built[mart] != published.get(mart)]


@dataclass(frozen=True)
class Plan:
    """What a run must do, decided after the loads and before dbt."""

    now: Fingerprints
    built: Built
    published: Mapping[str, str]

    @classmethod
    def make(cls, build_db: Path, published_db: Path) -> Plan:
        return cls(Fingerprints.now(build_db), Built.read(build_db), read_published(published_db))

    @property
    def full_refresh(self) -> bool:
        """The project changed (or nothing was built yet): rebuild everything from scratch,
        incremental models included."""
        return self.built.projects != {self.now.project}

    @cached_property
    def rebuild(self) -> list[str]:
        """The models and seeds whose fingerprint differs from what they were built from."""
        return sorted(n for n, fp in self.now.nodes.items() if self.full_refresh or self.built.nodes.get(n) != fp)

    @property
    def to_publish(self) -> list[str]:
        """The marts that will differ from the published release once the build is done."""
        return changed_marts(self.now.marts(), self.published)

    @property
    def nothing_new(self) -> bool:
        return not self.rebuild and not self.to_publish

    def dbt_args(self) -> list[str]:
        """`dbt build` arguments for the rebuild: everything from scratch, or everything but
        the nodes that are up to date."""
        return ["--full-refresh"] if self.full_refresh else self.dbt_selection()

    def dbt_selection(self) -> list[str]:
        """The nodes to rebuild (and test) as dbt selection arguments: all, or all but those up to date."""
        keep = [] if self.full_refresh else sorted(set(self.now.nodes) - set(self.rebuild))
        return ["--exclude", " ".join(keep)] if keep else []

    def tests(self) -> set[str]:
        """The data tests to run (unique ids): every data test that touches a rebuilt node, also
        one that compares it with a node that is up to date (a foreign key to an unchanged
        dimension); from scratch, all of them."""
        nodes = manifest()["nodes"]
        data_tests = {uid: test for uid, test in nodes.items() if test["resource_type"] == "test"}
        if self.full_refresh:
            return set(data_tests)
        rebuilt = set(self.rebuild)
        return {uid for uid, test in data_tests.items()
                if any(nodes.get(n, {}).get("name") in rebuilt for n in test["depends_on"]["nodes"])}

    def changed_sources(self) -> list[str]:
        """The sources whose loads differ from what the rebuilt nodes were built from."""
        return sorted({s for node in self.rebuild for s in upstream_sources().get(node, ())})


def built_and_tested(run_results: Mapping) -> set[str]:
    """The models and seeds a dbt invocation built and whose tests passed. A node that a
    failed test judged, and every node built from it, is left out: the next run builds
    and tests it again."""
    nodes, children = manifest()["nodes"], manifest()["child_map"]
    results = run_results.get("results", [])
    built = {r["unique_id"] for r in results if r["status"] == "success"}
    suspect = [judged for r in results if r["status"] in FAILED_STATUSES and r["unique_id"] in nodes
               for judged in _judged(nodes[r["unique_id"]])]
    seen = set()
    while suspect:
        node = suspect.pop()
        if node not in seen:
            seen.add(node)
            built.discard(node)
            suspect.extend(children.get(node, []))
    return {nodes[u]["name"] for u in built if u in nodes and nodes[u]["resource_type"] in BUILT_TYPES}


def _judged(test: Mapping) -> list[str]:
    """The nodes a dbt test judges."""
    return [test["attached_node"]] if test.get("attached_node") else list(test["depends_on"]["nodes"])


def _has_table(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(con.execute("SELECT 1 FROM duckdb_tables() WHERE schema_name = ? AND table_name = ?",
                            [schema, table]).fetchone())


@contextmanager
def _read(build_db: Path) -> Iterator[duckdb.DuckDBPyConnection | None]:
    """A read-only connection to the build file, or None when there is no build file yet."""
    if not build_db.exists():
        yield None
        return
    with duckdb.connect(str(build_db), read_only=True, config=duckdb_config()) as con:
        yield con
