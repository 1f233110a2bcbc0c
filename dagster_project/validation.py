"""Run the Great Expectations suites in expectations/ against the built marts.

Each suite is a GX 1.x expectation suite stored as JSON. Its `meta` says which
mart it validates (`asset`), whether a failure stops publishing (`blocking`)
and which SQL query produces the batch (`query`, run on the build file). The
batch is read from DuckDB into a DataFrame and validated with GX's pandas
engine, in a file-backed GX project that also renders data docs. An expectation with `"meta": {"severity": "warning"}` is reported but
never blocks.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import duckdb


@dataclass(frozen=True)
class Suite:
    name: str
    asset: str
    blocking: bool
    query: str
    description: str
    definition: dict

    @classmethod
    def from_file(cls, path: Path) -> Suite:
        definition = json.loads(path.read_text())
        meta = definition.get("meta", {})
        return cls(
            name=definition["name"],
            asset=meta["asset"],
            blocking=bool(meta.get("blocking", True)),
            query=meta["query"],
            description=meta.get("description", ""),
            definition=definition,
        )


@dataclass
class Outcome:
    suite: Suite
    rows: int
    failed_errors: list[dict] = field(default_factory=list)
    failed_warnings: list[dict] = field(default_factory=list)
    evaluated: int = 0
    result_file: Path | None = None
    data_docs: Path | None = None

    @property
    def passed(self) -> bool:
        return not self.failed_errors and not self.failed_warnings


def load_suites(directory: Path) -> list[Suite]:
    return [Suite.from_file(p) for p in sorted(directory.glob("*.json"))]


def read_batch(build_db: Path, query: str):
    """The batch as a pandas DataFrame, read with a short-lived read-only connection."""
    with duckdb.connect(str(build_db), read_only=True) as con:
        return con.execute(query).df()


def _gx_context(project_dir: Path):
    """A file-backed GX project under the validation folder: it keeps the suites,
    the validation results and the data docs (gx/uncommitted/data_docs/local_site)."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx  # imported lazily: it takes seconds

    context = gx.get_context(mode="file", project_root_dir=str(project_dir))
    context.variables.progress_bars = {"globally": False}
    return gx, context


def validate(suite: Suite, frame, validation_dir: Path, run_name: str = "adhoc") -> Outcome:
    """Validate `frame` with `suite`; write the result JSON to validation_dir/<run_name>/ and update the data docs."""
    gx, context = _gx_context(validation_dir)
    source = context.data_sources.add_or_update_pandas("warehouse")
    asset = next((a for a in source.assets if a.name == suite.asset), None) or source.add_dataframe_asset(suite.asset)
    batch = next((b for b in asset.batch_definitions if b.name == "whole"), None) \
        or asset.add_batch_definition_whole_dataframe("whole")
    gx_suite = context.suites.add_or_update(gx.ExpectationSuite(
        name=suite.name, expectations=suite.definition["expectations"], meta=suite.definition.get("meta", {}),
    ))
    definition = context.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=suite.name, data=batch, suite=gx_suite))
    checkpoint = context.checkpoints.add_or_update(gx.Checkpoint(
        name=suite.name, validation_definitions=[definition],
        actions=[gx.checkpoint.UpdateDataDocsAction(name="data_docs")],
    ))
    from great_expectations.core.run_identifier import RunIdentifier

    checkpoint_result = checkpoint.run(batch_parameters={"dataframe": frame},
                                       run_id=RunIdentifier(run_name=run_name))
    result = next(iter(checkpoint_result.run_results.values()))

    outcome = Outcome(suite, rows=len(frame), evaluated=len(result.results))
    for item in result.results:
        if item.success:
            continue
        config = item.expectation_config
        failure = {
            "expectation": config.type,
            "column": config.kwargs.get("column"),
            "unexpected_count": item.result.get("unexpected_count"),
            "partial_unexpected_list": [str(v) for v in item.result.get("partial_unexpected_list") or []][:10],
            "why": (config.meta or {}).get("why"),
        }
        severity = (config.meta or {}).get("severity", "error")
        (outcome.failed_warnings if severity == "warning" else outcome.failed_errors).append(failure)

    result_dir = validation_dir / run_name
    result_dir.mkdir(parents=True, exist_ok=True)
    outcome.result_file = result_dir / f"{suite.name}.json"
    outcome.result_file.write_text(json.dumps(result.to_json_dict(), indent=2, default=str))
    outcome.data_docs = validation_dir / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"
    return outcome


def run_suite(suite: Suite, build_db: Path, validation_dir: Path, run_name: str) -> Outcome:
    return validate(suite, read_batch(build_db, suite.query), validation_dir, run_name)
