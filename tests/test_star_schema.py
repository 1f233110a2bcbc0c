"""The star schema BI tools discover: a primary key on every dimension, a foreign
key on every key column, one path from every table to every other, no orphan
keys, and unknown members instead of missing ones."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import duckdb
import pytest

from dagster_project.publication.keys import ForeignKey, degenerate_keys, read_keys
from dagster_project.settings import DBT_PROJECT_DIR

from .conftest import query


def render_test(file_name: str, call: str) -> str:
    """The SQL of a dbt generic test for `call` (a test block renders like a macro)."""
    import jinja2

    text = (DBT_PROJECT_DIR / "macros" / file_name).read_text()
    text = text.replace("{% test ", "{% macro ").replace("{% endtest %}", "{% endmacro %}")
    return jinja2.Environment().from_string(text + "{{ " + call + " }}").render()


def test_the_key_tests_find_duplicates_empty_keys_and_orphans():
    with duckdb.connect() as con:
        con.execute("CREATE TABLE dim AS SELECT * FROM (VALUES ('a'), ('b'), ('b'), (NULL)) t(k)")
        con.execute("CREATE TABLE fct AS SELECT * FROM (VALUES ('a'), ('c'), ('c'), (NULL)) t(k)")
        primary = render_test("test_primary_key.sql", "primary_key('dim', column_name='k')")
        assert sorted(con.execute(primary).fetchall(), key=str) == [("b", 2), (None, 1)]
        combination = render_test("test_primary_key.sql", "primary_key('dim', columns=['k', 'k'])")
        assert len(con.execute(combination).fetchall()) == 2
        foreign = render_test("test_foreign_key.sql", "foreign_key('fct', 'k', 'dim', 'k')")
        assert con.execute(foreign).fetchall() == [("c", 2)]


@cache
def keys():
    return read_keys()


def mart_columns(published: Path) -> dict[str, list[str]]:
    columns: dict[str, list[str]] = {}
    for table, column in query(published, "SELECT table_name, column_name FROM duckdb_columns() "
                                          "WHERE NOT internal AND table_name NOT LIKE 'publicatie%' "
                                          "ORDER BY table_name, column_index"):
        columns.setdefault(table, []).append(column)
    return columns


def test_every_dimension_has_a_primary_key_and_every_key_column_is_a_key(published):
    columns = mart_columns(published)
    assert {t for t in columns if t.startswith("dim_")} <= set(keys().primary)
    foreign = {(fk.table, fk.column) for fk in keys().foreign}
    degenerate = degenerate_keys()
    unrelated = [f"{table}.{column}" for table, names in columns.items() for column in names
                 if column.endswith("_key") and column not in keys().primary.get(table, ())
                 and (table, column) not in foreign | degenerate]
    assert unrelated == []
    assert degenerate and not degenerate & foreign


def test_every_table_reaches_every_other_by_one_path_only():
    """Power BI deactivates a relationship when a fact reaches a dimension two ways. Two keys to
    the same dimension (a crosswalk's van and naar) are one path: a role-playing dimension."""
    parents: dict[str, set[str]] = {}
    for fk in keys().foreign:
        parents.setdefault(fk.table, set()).add(fk.parent)

    def paths(start: str) -> dict[str, int]:
        counts: dict[str, int] = {}
        for parent in parents.get(start, ()):
            counts[parent] = counts.get(parent, 0) + 1
            for further, n in paths(parent).items():
                counts[further] = counts.get(further, 0) + n
        return counts

    ambiguous = {table: [t for t, n in paths(table).items() if n > 1] for table in parents}
    assert {t: a for t, a in ambiguous.items() if a} == {}
    assert "dim_programma" not in {fk.parent for fk in keys().foreign_of("fct_financien")}
    assert "dim_programma" in paths("fct_financien")


def test_the_published_file_has_the_declared_keys(published):
    found_primary = {table: tuple(columns) for table, columns in query(
        published, "SELECT table_name, constraint_column_names FROM duckdb_constraints() "
                   "WHERE constraint_type = 'PRIMARY KEY'")}
    assert found_primary == {**keys().primary, "publicatie": ("run_id",), "publicatie_mart": ("mart",)}
    found_foreign = {ForeignKey(table, columns[0], parent, parent_columns[0])
                     for table, columns, parent, parent_columns in query(
                         published, "SELECT table_name, constraint_column_names, referenced_table, "
                                    "referenced_column_names FROM duckdb_constraints() "
                                    "WHERE constraint_type = 'FOREIGN KEY'")}
    assert found_foreign == set(keys().foreign)
    assert len(found_foreign) > 40


def orphan_sql(fk: ForeignKey, schema: str = "") -> str:
    prefix = f"{schema}." if schema else ""
    return (f'SELECT count(*) FROM {prefix}{fk.table} AS c LEFT JOIN {prefix}{fk.parent} AS p '
            f'ON p."{fk.parent_column}" = c."{fk.column}" '
            f'WHERE c."{fk.column}" IS NOT NULL AND p."{fk.parent_column}" IS NULL')


def test_no_orphan_keys_in_the_published_file(published):
    orphans = {f"{fk.table}.{fk.column}": query(published, orphan_sql(fk))[0][0] for fk in keys().foreign}
    assert set(orphans.values()) == {0}, orphans


def test_blank_answers_and_unknown_wijk_and_age_band_have_a_member(published):
    # About 2,5% of the answers are blank: they point at their scale's "geen antwoord" member.
    assert query(published, """
        SELECT d.antwoord_label, d.is_geldig, count(*) > 1000
        FROM fct_enquete_antwoord a JOIN dim_enquete_antwoord d USING (antwoord_key)
        WHERE a.antwoord_code IS NULL GROUP BY ALL""") == [("geen antwoord", False, True)]
    assert query(published, "SELECT count(*) FROM fct_enquete_antwoord WHERE antwoord_key IS NULL") == [(0,)]
    # Respondents without a wijk (every survey but the omnibus, and omnibus blanks) and without an age band.
    unknown = query(published, """
        SELECT r.onderzoek, w.wijk_naam, r.leeftijdsklasse, count(*) > 0
        FROM fct_enquete_respondent r JOIN dim_wijk w USING (wijk_key)
        WHERE r.wijk_code IS NULL GROUP BY ALL ORDER BY 1, 3""")
    assert {(o, w, a) for o, w, a, _ in unknown} >= {("ceo", "Wijk onbekend", "onbekend"),
                                                     ("inzet", "Wijk onbekend", "onbekend")}
    assert query(published, "SELECT count(*) FROM dim_wijk GROUP BY wijk_code = 'onbekend' ORDER BY 1") == [
        (1,), (10,)]


@pytest.mark.parametrize("table, column, values", [
    ("rpt_enquete_resultaat", "peildatum", "SELECT DISTINCT jaar, peildatum FROM rpt_enquete_resultaat"),
    ("fct_indicatorwaarde", "peildatum", "SELECT DISTINCT jaar, peildatum FROM fct_indicatorwaarde WHERE is_microdata"),
])
def test_survey_figures_have_the_last_day_of_the_survey_year_as_peildatum(published, table, column, values):
    rows = query(published, values)
    assert len(rows) >= 6
    assert all((d.year, d.month, d.day) == (jaar, 12, 31) for jaar, d in rows)
