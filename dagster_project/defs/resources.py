"""Resources: where the warehouse reads and writes, and the dbt project."""

import importlib.metadata
import sys
from functools import cached_property
from pathlib import Path

from dagster import ConfigurableResource
from dagster_dbt import DbtCliResource, DbtProject
from packaging import version
from pydantic import Field

from ..settings import DBT_PROJECT_DIR, WarehousePaths

_DEFAULTS = WarehousePaths.from_env()


class WarehouseResource(ConfigurableResource):
    """Paths of the warehouse. Defaults come from WAREHOUSE_LANDING_DIR, WAREHOUSE_DIR
    and WAREHOUSE_PUBLISHED_DB; a run's config can override each one."""

    landing_dir: str = Field(default=str(_DEFAULTS.landing_dir), description="Folder with the source deliveries.")
    warehouse_dir: str = Field(default=str(_DEFAULTS.warehouse_dir), description="Folder for the build file, quarantine and validation results.")
    published_db: str = Field(default=str(_DEFAULTS.published_db), description="The analyst-facing DuckDB file.")

    def paths(self) -> WarehousePaths:
        return WarehousePaths(Path(self.landing_dir), Path(self.warehouse_dir), Path(self.published_db))


dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
# Under `dagster dev`, re-parse so that edited models show without `make setup`.
dbt_project.prepare_if_dev()

# The dbt next to this Python, so that it is found without the venv on PATH.
DBT_EXECUTABLE = Path(sys.executable).parent / "dbt"



class WarehouseDbtCliResource(DbtCliResource):
    """dagster-dbt's dbt resource without two start-up costs it pays before every dbt command,
    each a start of dbt in Python (seconds of CPU), for what the warehouse does not use:
    `dbt --version` in a subprocess (the installed dbt-core says its version) and a dbt
    adapter inside the Dagster process (it serves only fetching column metadata and row
    counts from the database)."""

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(importlib.metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args):
        return None


RESOURCES = {
    "warehouse": WarehouseResource(),
    "dbt": WarehouseDbtCliResource(
        project_dir=dbt_project,
        profiles_dir=str(DBT_PROJECT_DIR),
        dbt_executable=str(DBT_EXECUTABLE) if DBT_EXECUTABLE.exists() else "dbt",
    ),
}
