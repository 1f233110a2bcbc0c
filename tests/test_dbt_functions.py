"""The SQL functions in Python that dbt registers (dagster_project/transform/functions.py):
Student's t quantile, exact for whole and fractional degrees of freedom."""

from __future__ import annotations

import math

import duckdb
import pytest
from scipy.stats import t as student_t

from dagster_project.transform.functions import register


@pytest.fixture(scope="module")
def con():
    with duckdb.connect() as con:
        register(con)
        yield con


@pytest.mark.parametrize("df", [1, 1.5, 4.17, 8.68, 30, 1000])
def test_the_t_quantile_agrees_with_scipy(con, df):
    [(value,)] = con.execute("SELECT student_t_quantile(0.975, ?::DOUBLE)", [df]).fetchall()
    assert value == pytest.approx(student_t.ppf(0.975, df), abs=1e-9)
    # And from the other side: the distribution function (incomplete beta) at the quantile gives back 0.975.
    assert student_t.cdf(value, df) == pytest.approx(0.975, abs=1e-12)


def test_the_t_quantile_in_closed_form(con):
    # df 1 is the Cauchy distribution: tan(pi (p - 1/2)); df 2: (2p - 1) / sqrt(2 p (1 - p)).
    [(one, two)] = con.execute("SELECT student_t_quantile(0.975, 1), student_t_quantile(0.975, 2)").fetchall()
    assert one == pytest.approx(math.tan(math.pi * 0.475), abs=1e-9)
    assert two == pytest.approx(0.95 / math.sqrt(2 * 0.975 * 0.025), abs=1e-9)


def test_the_t_quantile_on_a_column_and_outside_its_domain(con):
    rows = con.execute("""
        SELECT df, student_t_quantile(0.975, df) FROM (
            SELECT (1 + i / 100)::DOUBLE AS df FROM range(0, 100000) r(i)
            UNION ALL VALUES (NULL), (0), (-1)) ORDER BY df NULLS LAST""").fetchall()
    assert rows[:2] == [(-1, None), (0, None)] and rows[-1] == (None, None)
    values = rows[2:-1]
    assert len(values) == 100000
    assert all(q == pytest.approx(student_t.ppf(0.975, df), abs=1e-9) for df, q in values[::997])
    assert con.execute("SELECT student_t_quantile(0, 5), student_t_quantile(1, 5), student_t_quantile(NULL, 5)"
                       ).fetchall() == [(None, None, None)]

