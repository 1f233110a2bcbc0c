"""The primary and foreign keys of the published marts, read from the dbt manifest.

They are declared once, as `primary_key` and `foreign_key` tests in the marts'
yml (dbt/macros/test_primary_key.sql, test_foreign_key.sql): dbt checks them on
every build (no duplicate keys, no orphan keys), and the published DuckDB file
creates its constraints from them. The other targets (PostgreSQL) take the keys
the published file holds (`Keys.of_file`), so that they hold exactly its release.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from graphlib import TopologicalSorter
from pathlib import Path

from ..transform.manifest import MANIFEST_PATH

PRIMARY_KEY_TEST = "primary_key"
FOREIGN_KEY_TEST = "foreign_key"


@dataclass(frozen=True)
class ForeignKey:
    table: str
    column: str
    parent: str
    parent_column: str


@dataclass(frozen=True)
class Keys:
    primary: dict[str, tuple[str, ...]]
    foreign: tuple[ForeignKey, ...]

    def foreign_of(self, table: str) -> list[ForeignKey]:
        return [fk for fk in self.foreign if fk.table == table]

    def restricted_to(self, tables: list[str]) -> Keys:
        """Only the keys between the given tables (a relationship needs both ends published)."""
        present = set(tables)
        return Keys(
            {t: cols for t, cols in self.primary.items() if t in present},
            tuple(fk for fk in self.foreign if fk.table in present and fk.parent in present),
        )

    def creation_order(self, tables: list[str]) -> list[str]:
        """The tables with every referenced table before the tables that reference it."""
        graph = {t: {fk.parent for fk in self.foreign_of(t) if fk.parent != t} for t in sorted(tables)}
        return list(TopologicalSorter(graph).static_order())


    @classmethod
    def of_file(cls, con) -> Keys:
        """The primary and foreign keys of the tables of an open DuckDB file (the marts' foreign
        keys are single-column: read_keys)."""
        rows = con.execute(
            "SELECT table_name, constraint_type, constraint_column_names, referenced_table, referenced_column_names "
            "FROM duckdb_constraints() WHERE schema_name = 'main' "
            "AND constraint_type IN ('PRIMARY KEY', 'FOREIGN KEY')").fetchall()
        primary = {table: tuple(columns) for table, kind, columns, _, _ in rows if kind == "PRIMARY KEY"}
        foreign = [ForeignKey(table, columns[0], parent, parent_columns[0])
                   for table, kind, columns, parent, parent_columns in rows if kind == "FOREIGN KEY"]
        return cls(primary, tuple(sorted(set(foreign), key=lambda fk: (fk.table, fk.column))))


NO_KEYS = Keys({}, ())


def _table(node: dict) -> str:
    return node.get("alias") or node["name"]


def read_keys(manifest_path: Path = MANIFEST_PATH) -> Keys:
    """Every primary_key and foreign_key test of the manifest as constraints, by table name."""
    nodes = json.loads(manifest_path.read_text())["nodes"]
    primary: dict[str, tuple[str, ...]] = {}
    foreign: list[ForeignKey] = []
    for test in nodes.values():
        name = test.get("test_metadata", {}).get("name")
        if test["resource_type"] != "test" or name not in (PRIMARY_KEY_TEST, FOREIGN_KEY_TEST):
            continue
        kwargs = test["test_metadata"]["kwargs"]
        table = _table(nodes[test["attached_node"]])
        if name == PRIMARY_KEY_TEST:
            primary[table] = tuple(kwargs.get("columns") or [kwargs["column_name"]])
            continue
        parents = [n for n in test["depends_on"]["nodes"] if n != test["attached_node"]]
        if len(parents) != 1:
            raise ValueError(f"{test['unique_id']}: a foreign_key test refers to exactly one other model")
        foreign.append(ForeignKey(table, kwargs["column_name"], _table(nodes[parents[0]]), kwargs["field"]))
    return Keys(primary, tuple(sorted(foreign, key=lambda fk: (fk.table, fk.column))))


def degenerate_keys(manifest_path: Path = MANIFEST_PATH) -> set[tuple[str, str]]:
    """The `*_key` columns that are neither a primary nor a foreign key, by design
    (`meta: {key: degenerate}`): a pseudonym no dimension lists, a link between two facts."""
    nodes = json.loads(manifest_path.read_text())["nodes"]
    return {(_table(node), column["name"]) for node in nodes.values() if node["resource_type"] == "model"
            for column in node.get("columns", {}).values()
            if column.get("meta", {}).get("key") == "degenerate"}
