"""A dbt-duckdb plugin: which file dbt builds in, and the DuckDB settings of its connection.

The dbt profile (dbt/profiles.yml) holds nothing that differs between runs: it
names the database `build` and loads this plugin. So the profile that `make
setup` parses the project with is the profile every run builds with, and dbt's
partial parsing holds (a changed profile makes dbt re-parse the whole project).
When dbt connects, this plugin points the connection at the run's build file
and applies `settings.duckdb_config()`, like every other DuckDB connection of
the warehouse; then it creates the rules the models share with the loader
(`sql/shared_macros.py`).

The dbt asset writes the run's settings to `warehouse.json` in the dbt target
folder of its invocation (`write_run_settings`): a run's config can put the
warehouse elsewhere, and nothing is set in the process environment. Without
that file (dbt run by hand) the build file follows WAREHOUSE_DIR, as for the
rest of the warehouse.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from dbt.adapters.duckdb.plugins import BasePlugin

from ..settings import WarehousePaths, duckdb_config, pseudonym_secret
from ..sql.shared_macros import create_shared_macros

RUN_SETTINGS_FILE = "warehouse.json"
# The DuckDB variable the dbt macro `pseudonym` reads the secret from.
SECRET_SQL_VARIABLE = "pseudonimisering_sleutel"


def set_pseudonym_secret(con) -> None:
    """The secret of the pseudonyms as a variable of this connection or cursor: bound as a parameter,
    so that it is in no SQL text (no compiled model, view definition or dbt artifact holds it)."""
    con.execute(f"SET VARIABLE {SECRET_SQL_VARIABLE} = ?", [pseudonym_secret()])


def write_run_settings(target_path: Path, build_db: Path) -> None:
    """The build file and DuckDB settings for the dbt invocation that uses `target_path`."""
    target_path.mkdir(parents=True, exist_ok=True)
    (target_path / RUN_SETTINGS_FILE).write_text(
        json.dumps({"build_db": str(build_db), "duckdb": duckdb_config()}, indent=2))


def run_settings(target_path: str | None) -> dict[str, Any]:
    """The settings written for this invocation, or those of the environment."""
    written = Path(target_path) / RUN_SETTINGS_FILE if target_path else None
    if written is not None and written.exists():
        return json.loads(written.read_text())
    return {"build_db": str(WarehousePaths.from_env().build_db), "duckdb": duckdb_config()}


def _target_path() -> str | None:
    """This dbt invocation's target folder (--target-path or DBT_TARGET_PATH)."""
    from dbt.flags import get_flags

    return getattr(get_flags(), "TARGET_PATH", None) or os.environ.get("DBT_TARGET_PATH")


class Plugin(BasePlugin):
    def update_connection_config(self, creds, config: dict[str, Any]) -> None:
        # Called by dbt-duckdb just before it connects.
        settings = run_settings(_target_path())
        Path(settings["build_db"]).parent.mkdir(parents=True, exist_ok=True)
        creds.path = settings["build_db"]
        config.update(settings["duckdb"])

    def configure_connection(self, conn) -> None:
        create_shared_macros(conn, temporary=False)
        set_pseudonym_secret(conn)

    def configure_cursor(self, cursor) -> None:
        # A DuckDB variable belongs to one cursor: dbt runs every model on a cursor of its own.
        set_pseudonym_secret(cursor)
