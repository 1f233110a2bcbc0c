"""The fixed cost of the stack: a Dagster job that materialises one trivial dbt model
(`select 1`) through dagster-dbt on DuckDB, run in-process like the nightly, with
the project parsed beforehand as `make setup` parses the warehouse's."""

import subprocess
import sys
from pathlib import Path

from dagster import AssetExecutionContext, DagsterInstance, Definitions, define_asset_job
from dagster_dbt import DbtCliResource, DbtProject, dbt_assets

DBT = str(Path(sys.executable).parent / "dbt")


def trivial_project(root: Path) -> DbtProject:
    """A dbt project with one model on a DuckDB file, parsed."""
    (root / "models").mkdir(parents=True, exist_ok=True)
    (root / "dbt_project.yml").write_text("name: trivial\nversion: '1.0'\nconfig-version: 2\nprofile: trivial\n"
                                          "flags:\n  send_anonymous_usage_stats: false\n")
    (root / "profiles.yml").write_text("trivial:\n  target: one\n  outputs:\n    one:\n      type: duckdb\n"
                                       "      path: trivial.duckdb\n      threads: 2\n")
    (root / "models" / "one.sql").write_text("select 1 as one\n")
    subprocess.run([DBT, "parse", "--project-dir", str(root), "--profiles-dir", str(root), "--quiet"], check=True)
    return DbtProject(project_dir=root, profiles_dir=root)


def trivial_job(root: Path):
    project = trivial_project(root)

    @dbt_assets(manifest=project.manifest_path, project=project)
    def trivial(context: AssetExecutionContext, dbt: DbtCliResource):
        yield from dbt.cli(["build"], context=context).stream()

    definitions = Definitions(
        assets=[trivial], jobs=[define_asset_job("trivial_job")],
        resources={"dbt": DbtCliResource(project_dir=project, profiles_dir=str(root), dbt_executable=DBT)})
    return definitions.resolve_job_def("trivial_job")


def run(job) -> bool:
    return job.execute_in_process(instance=DagsterInstance.ephemeral(), raise_on_error=False).success
