"""SQL rules that both the loader and the dbt models apply, written once.

Each rule is a DuckDB macro. The loader creates them on its connection
(`ingest/parsing.py`, temporary); the dbt connection plugin (`transform/connection.py`)
creates them in the build file, so the dbt models call them like any SQL
function and a view that uses one reads in every connection.
"""

from __future__ import annotations

import duckdb

_MACROS = r"""
-- Names (goals, wijken) are compared ignoring case and surrounding or repeated spaces.
CREATE OR REPLACE {kind} MACRO name_key(s) AS lower(regexp_replace(trim(s), '\s+', ' ', 'g'));
-- A version row (geldig_van_jaar .. geldig_tot_jaar, open-ended when empty) applies to the year.
-- Reference rows are text in the loader and integers in dbt; both read the same.
CREATE OR REPLACE {kind} MACRO valid_in_year(jaar, geldig_van_jaar, geldig_tot_jaar) AS
    jaar BETWEEN TRY_CAST(geldig_van_jaar AS INTEGER) AND coalesce(TRY_CAST(geldig_tot_jaar AS INTEGER), 9999);
"""


def create_shared_macros(con: duckdb.DuckDBPyConnection, temporary: bool) -> None:
    """The shared rules on this connection: temporary, or stored in its database."""
    con.execute(_MACROS.format(kind="TEMP" if temporary else ""))
