"""Resources: where the warehouse reads and writes, and the dbt project."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dagster import ConfigurableResource, DagsterInstance, DagsterRunStatus, Failure, InitResourceContext
from dagster_dbt import DbtProject
from pydantic import Field, PrivateAttr

from ..ingest.landing import NoSourceFolder, require_a_source_folder, survey
from ..operations.lock import NightlyLock
from ..publication.postgres import PostgresTarget
from ..settings import DBT_PROJECT_DIR, MissingSecret, WarehousePaths, postgres_settings, require_secret
from ..sources import CONTRACTS

_DEFAULTS = WarehousePaths.from_env()
_POSTGRES = postgres_settings()
# How a full disk shows in an error message (ENOSPC; EFBIG under a file size limit).
DISK_FULL = ("No space left on device", "[Errno 28]", "File too large", "[Errno 27]")


def is_disk_full(message: str) -> bool:
    return any(marker in message for marker in DISK_FULL)


@contextmanager
def no_retry_on_a_full_disk() -> Iterator[None]:
    """A full disk is no reason to try the step again in a few seconds: fail it at once."""
    try:
        yield
    except Exception as error:
        if is_disk_full(str(error)):
            raise Failure(f"The disk is full: {error}", allow_retries=False) from error
        raise


class WarehouseResource(ConfigurableResource):
    """Paths of the warehouse and the optional PostgreSQL publication. Defaults come from
    WAREHOUSE_LANDING_DIR, WAREHOUSE_DIR, WAREHOUSE_PUBLISHED_DB and WAREHOUSE_POSTGRES_*;
    a run's config can override each one."""

    landing_dir: str = Field(default=str(_DEFAULTS.landing_dir), description="Folder with the source deliveries.")
    warehouse_dir: str = Field(default=str(_DEFAULTS.warehouse_dir),
                               description="Folder for the build file, quarantine and validation results.")
    published_db: str = Field(default=str(_DEFAULTS.published_db), description="The analyst-facing DuckDB file.")
    # The URL holds a password: its default is read when used, so that it never shows as config.
    postgres_url: str = Field(default="", description=(
        "PostgreSQL connection URL for the marts; empty: WAREHOUSE_POSTGRES_URL, and when that is empty too, "
        "no PostgreSQL publication."))
    postgres_schema: str = Field(default=_POSTGRES["schema"], description="The published schema in PostgreSQL.")
    postgres_reader_role: str = Field(default=_POSTGRES["reader_role"],
                                      description="The read-only role that gets SELECT on the published schema.")
    postgres_row_security: bool = Field(default=_POSTGRES["row_security"], description=(
        "Row-level security per gemeente on the published schema: a login of a gemeente sees only that "
        "gemeente's rows of the marts built from microdata (docs/publication.md)."))

    _lock: NightlyLock | None = PrivateAttr(default=None)

    def paths(self) -> WarehousePaths:
        return WarehousePaths(Path(self.landing_dir), Path(self.warehouse_dir), Path(self.published_db))

    def setup_for_execution(self, context: InitResourceContext) -> None:
        """A new warehouse needs a landing directory in which a source finds its folder (what no source
        claims is reported; a warehouse with loads may have its landing folder emptied, the archive
        keeps the deliveries) and, on real deliveries, a pseudonymisation secret (settings.require_secret); then it
        takes the warehouse for itself for all its steps (a sensor only reads the landing folder)."""
        if context.run is None:
            return
        landing = survey(self.paths().landing_dir, CONTRACTS)
        try:
            if not self.paths().build_db.exists():  # a new warehouse: never publish empty facts
                require_a_source_folder(landing)
            require_secret(self.paths().landing_dir)
        except (NoSourceFolder, MissingSecret) as error:
            raise Failure(str(error), allow_retries=False) from error
        if landing.unknown:
            context.log.warning(f"landing directory {landing.describe_unknown()}")
        self._lock = NightlyLock.acquire(self.paths().lock_file, context.run.run_id)
        if self._lock.interrupted_run_id and context.instance:
            _mark_interrupted(context.instance, self._lock.interrupted_run_id)

    def teardown_after_execution(self, context: InitResourceContext) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def postgres_target(self) -> PostgresTarget | None:
        url = self.postgres_url or postgres_settings()["url"]
        return PostgresTarget(url, self.postgres_schema, self.postgres_reader_role,
                              self.postgres_row_security) if url else None


def _mark_interrupted(instance: DagsterInstance, run_id: str) -> None:
    """A run that held the lock and died (killed) still shows as started: mark it failed,
    so that it no longer takes the instance's one run slot."""
    run = instance.get_run_by_id(run_id)
    if run is not None and run.status in (DagsterRunStatus.STARTING, DagsterRunStatus.STARTED):
        instance.report_run_failed(run, "The process of this run ended without finishing it (it was killed); "
                                        "a later run found its warehouse lock released.")


dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
# Under `dagster dev`, re-parse so that edited models show without `make setup`.
dbt_project.prepare_if_dev()

# dbt runs inside the dbt step's process (transform/invocation.py): it needs no resource.
RESOURCES = {"warehouse": WarehouseResource()}
