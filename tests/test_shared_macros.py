"""The rules the loader and the dbt models share (dagster_project/sql/shared_macros.py)."""

from __future__ import annotations

import re

import duckdb
import pytest

from dagster_project.settings import DBT_PROJECT_DIR, REPO_ROOT
from dagster_project.sql.shared_macros import create_shared_macros


@pytest.fixture
def con():
    with duckdb.connect() as con:
        create_shared_macros(con, temporary=True)
        yield con


def test_names_match_ignoring_case_and_spaces(con):
    assert con.execute("SELECT name_key('  Meer  mensen\tdoen MEE ') = name_key('meer mensen doen mee')").fetchone()[0]
    assert not con.execute("SELECT name_key('meer mensen doen mee') = name_key('meer mensen doen')").fetchone()[0]


@pytest.mark.parametrize("van, tot", [("'2019'", "''"), ("2019", "NULL"), ("'2019'", "'2023'"), ("2019", "2023")])
def test_valid_in_year_reads_text_and_integers_alike(con, van, tot):
    """The loader's reference rows are text, dbt's seeds integers; empty or NULL `tot` is open-ended."""
    years = (2018, 2019, 2023, 2024)
    valid = [con.execute(f"SELECT valid_in_year({jaar}, {van}, {tot})").fetchone()[0] for jaar in years]
    open_ended = tot in ("''", "NULL")
    assert valid == [False, True, True, open_ended]


def test_a_view_using_a_rule_reads_in_another_connection(tmp_path):
    """dbt creates the rules in the build file, so its views read outside dbt too."""
    build_db = tmp_path / "build.duckdb"
    with duckdb.connect(str(build_db)) as con:
        create_shared_macros(con, temporary=False)
        con.execute("CREATE VIEW v AS SELECT name_key(' A  b ') AS k, valid_in_year(2020, 2019, NULL) AS geldig")
    with duckdb.connect(str(build_db), read_only=True) as con:
        assert con.execute("SELECT k, geldig FROM v").fetchone() == ("a b", True)


def test_each_rule_is_written_once():
    """No SQL or Python file of the project repeats a rule's body: it calls the macro."""
    bodies = {"name_key": r"regexp_replace\(\s*trim\(", "valid_in_year": r"geldig_tot_jaar[^,)]*\)?\s*,\s*9999\)"}
    files = [p for root in (REPO_ROOT / "dagster_project", DBT_PROJECT_DIR / "models", DBT_PROJECT_DIR / "macros")
             for p in root.rglob("*") if p.suffix in (".py", ".sql") and p.name != "shared_macros.py"]
    copies = sorted(f"{p.relative_to(REPO_ROOT)}: {rule}" for p in files for rule, body in bodies.items()
                    if re.search(body, p.read_text(), re.IGNORECASE))
    assert copies == []
