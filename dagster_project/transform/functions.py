"""SQL functions in Python for the dbt models, registered on dbt's DuckDB connection.

dbt-duckdb loads this module as a plugin (`plugins:` in dbt/profiles.yml) and
calls `Plugin.configure_connection` on the connection it opens; its cursors
share the function. Only dbt sees these functions, so a model that calls one is
materialized as a table: a view would fail in any other connection.

Each function is vectorised: DuckDB passes whole Arrow columns, not rows.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from dbt.adapters.duckdb.plugins import BasePlugin
from duckdb import DuckDBPyConnection
from duckdb.sqltypes import DOUBLE


def student_t_quantile(probability: pa.Array, df: pa.Array) -> pa.Array:
    """`student_t_quantile(p, df)`: the p quantile of Student's t with df degrees of
    freedom, df fractional or whole (scipy's stdtrit, which scipy.stats.t.ppf computes with).
    NULL when either is NULL or outside the distribution's domain (df <= 0, p not strictly
    between 0 and 1). scipy is imported at the first call, not when dbt connects: most
    runs build no model that calls it."""
    from scipy.special import stdtrit

    p = probability.to_numpy(zero_copy_only=False)
    degrees = df.to_numpy(zero_copy_only=False)
    with np.errstate(invalid="ignore", over="ignore"):
        quantiles = stdtrit(degrees, p)
    return pa.array(np.where(np.isfinite(quantiles), quantiles, np.nan), type=pa.float64(), from_pandas=True)


def register(con: DuckDBPyConnection) -> None:
    """Make the functions callable in SQL on this connection (and its cursors)."""
    con.create_function("student_t_quantile", student_t_quantile, [DOUBLE, DOUBLE], DOUBLE,
                        type="arrow", null_handling="special", side_effects=False)


class Plugin(BasePlugin):
    """The dbt-duckdb plugin: registers the functions on dbt's connection."""

    def configure_connection(self, conn: DuckDBPyConnection) -> None:
        register(conn)
