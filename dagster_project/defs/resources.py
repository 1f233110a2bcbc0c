"""Resources: where the warehouse reads and writes, and the dbt project."""

import sys
from pathlib import Path

from dagster import ConfigurableResource
from dagster_dbt import DbtCliResource, DbtProject
from pydantic import Field

from ..publication.postgres import PostgresTarget
from ..settings import DBT_PROJECT_DIR, WarehousePaths, postgres_settings

_DEFAULTS = WarehousePaths.from_env()
_POSTGRES = postgres_settings()


class WarehouseResource(ConfigurableResource):
    """Paths of the warehouse and the optional PostgreSQL publication. Defaults come from
    WAREHOUSE_LANDING_DIR, WAREHOUSE_DIR, WAREHOUSE_PUBLISHED_DB and WAREHOUSE_POSTGRES_*;
    a run's config can override each one."""

    landing_dir: str = Field(default=str(_DEFAULTS.landing_dir), description="Folder with the source deliveries.")
    warehouse_dir: str = Field(default=str(_DEFAULTS.warehouse_dir), description="Folder for the build file, quarantine and validation results.")
    published_db: str = Field(default=str(_DEFAULTS.published_db), description="The analyst-facing DuckDB file.")
    # The URL holds a password: its default is read when used, so that it never shows as config.
    postgres_url: str = Field(default="", description=(
        "PostgreSQL connection URL for the marts; empty: WAREHOUSE_POSTGRES_URL, and when that is empty too, "
        "no PostgreSQL publication."))
    postgres_schema: str = Field(default=_POSTGRES["schema"], description="The published schema in PostgreSQL.")
    postgres_reader_role: str = Field(default=_POSTGRES["reader_role"],
                                      description="The read-only role that gets SELECT on the published schema.")

    def paths(self) -> WarehousePaths:
        return WarehousePaths(Path(self.landing_dir), Path(self.warehouse_dir), Path(self.published_db))

    def postgres_target(self) -> PostgresTarget | None:
        url = self.postgres_url or postgres_settings()["url"]
        return PostgresTarget(url, self.postgres_schema, self.postgres_reader_role) if url else None


dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
# Under `dagster dev`, re-parse so that edited models show without `make setup`.
dbt_project.prepare_if_dev()

# The dbt next to this Python, so that it is found without the venv on PATH.
DBT_EXECUTABLE = Path(sys.executable).parent / "dbt"

RESOURCES = {
    "warehouse": WarehouseResource(),
    "dbt": DbtCliResource(
        project_dir=dbt_project,
        profiles_dir=str(DBT_PROJECT_DIR),
        dbt_executable=str(DBT_EXECUTABLE) if DBT_EXECUTABLE.exists() else "dbt",
    ),
}
