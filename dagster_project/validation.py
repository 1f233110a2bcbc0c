"""Run the Great Expectations suites in expectations/ against the built marts.

Each suite is a GX 1.x expectation suite stored as JSON, named after the mart
it validates. Its `meta` says whether an error holds back that mart (`blocking`)
and which SQL query produces the batch (`query`, run on the build file). The
batch is read from DuckDB into DataFrames of at most BATCH_ROWS rows and
validated with GX's pandas engine, in a file-backed GX project that also
renders data docs. Because of the batches every expectation must judge each
row on its own; set-wise conditions such as uniqueness are computed in the
query. An expectation with `"meta": {"severity": "warning"}` is reported but
never blocks.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from .settings import duckdb_config

# A mart is validated in batches of this many rows, so memory stays bounded.
BATCH_ROWS = 1_000_000
# Expectations that judge each row on its own, so that batches can be validated apart.
ROW_WISE = frozenset({
    "expect_column_values_to_not_be_null", "expect_column_values_to_be_null", "expect_column_values_to_be_between",
    "expect_column_values_to_be_in_set", "expect_column_values_to_not_be_in_set",
    "expect_column_values_to_match_regex", "expect_column_pair_values_to_be_equal",
})


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
        for expectation in definition["expectations"]:
            if expectation["type"] not in ROW_WISE:
                raise ValueError(
                    f"{path.name}: {expectation['type']} judges a column as a whole, but a suite is validated in "
                    "batches; judge each row on its own (e.g. count duplicates in the suite's query)")
        return cls(
            name=definition["name"],
            asset=definition["name"],
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
    batches: int = 0

    @property
    def passed(self) -> bool:
        return not self.failed_errors and not self.failed_warnings


def load_suites(directory: Path) -> list[Suite]:
    return [Suite.from_file(p) for p in sorted(directory.glob("*.json"))]


def read_batches(build_db: Path, query: str, rows: int = BATCH_ROWS):
    """The batch as pandas DataFrames of at most `rows` rows (at least one, maybe
    empty), read with a short-lived read-only connection: memory stays bounded
    however large the mart."""
    with duckdb.connect(str(build_db), read_only=True, config=duckdb_config()) as con:
        reader = con.sql(query).to_arrow_reader(rows)
        empty = True
        for batch in reader:
            empty = False
            yield batch.to_pandas()
        if empty:
            yield reader.schema.empty_table().to_pandas()


# The GX project's configuration, made anew from expectations/*.json by every run: a run killed
# while GX rewrote one of these files (they are not written atomically) must not break the next.
GX_CONFIGURATION = ("great_expectations.yml", "uncommitted/config_variables.yml", "expectations",
                    "validation_definitions", "checkpoints")


def reset_gx_configuration(validation_dir: Path) -> None:
    """Remove the GX configuration that runs rebuild; results and data docs stay."""
    for name in GX_CONFIGURATION:
        path = validation_dir / "gx" / name
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)


def _write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text)
    temporary.replace(path)


def _gx_context(project_dir: Path):
    """A file-backed GX project under the validation folder: it keeps the suites,
    the validation results and the data docs (gx/uncommitted/data_docs/local_site)."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx  # imported lazily: it takes seconds

    context = gx.get_context(mode="file", project_root_dir=str(project_dir))
    context.variables.progress_bars = {"globally": False}
    return gx, context


def _checkpoint(suite: Suite, validation_dir: Path):
    """A GX checkpoint that validates a DataFrame with `suite` and updates the data docs."""
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
    return context.checkpoints.add_or_update(gx.Checkpoint(
        name=suite.name, validation_definitions=[definition],
        actions=[gx.checkpoint.UpdateDataDocsAction(name="data_docs")],
    ))


def validate(suite: Suite, frames, validation_dir: Path, run_name: str = "adhoc") -> Outcome:
    """Validate a DataFrame, or an iterable of DataFrames (batches of one mart), with
    `suite`. Failures are summed over the batches. Each batch's GX result is written
    to validation_dir/<run_name>/<suite>[.partN].json and the data docs are updated."""
    import pandas as pd
    from great_expectations.core.run_identifier import RunIdentifier

    checkpoint = _checkpoint(suite, validation_dir)
    outcome = Outcome(suite, rows=0)
    failures: dict[tuple, dict] = {}
    result_dir = validation_dir / run_name
    result_dir.mkdir(parents=True, exist_ok=True)
    for index, frame in enumerate([frames] if isinstance(frames, pd.DataFrame) else frames):
        part = "" if index == 0 else f".part{index + 1}"
        checkpoint_result = checkpoint.run(batch_parameters={"dataframe": frame},
                                           run_id=RunIdentifier(run_name=run_name + part))
        result = next(iter(checkpoint_result.run_results.values()))
        _write_atomically(result_dir / f"{suite.name}{part}.json",
                          json.dumps(result.to_json_dict(), indent=2, default=str))
        outcome.rows += len(frame)
        outcome.evaluated = len(result.results)
        outcome.batches = index + 1
        for item in result.results:
            if not item.success:
                _add_failure(failures, item)
    for failure in failures.values():
        severity = failure.pop("severity")
        (outcome.failed_warnings if severity == "warning" else outcome.failed_errors).append(failure)
    outcome.result_file = result_dir / f"{suite.name}.json"
    outcome.data_docs = validation_dir / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"
    return outcome


def _add_failure(failures: dict[tuple, dict], item) -> None:
    """Record a failed expectation of one batch, adding to the same expectation's earlier batches."""
    config = item.expectation_config
    key = (config.type, json.dumps(config.kwargs, sort_keys=True, default=str))
    failure = failures.setdefault(key, {
        "expectation": config.type,
        "column": config.kwargs.get("column"),
        "unexpected_count": 0,
        "partial_unexpected_list": [],
        "why": (config.meta or {}).get("why"),
        "severity": (config.meta or {}).get("severity", "error"),
    })
    failure["unexpected_count"] += item.result.get("unexpected_count") or 0
    examples = failure["partial_unexpected_list"]
    examples.extend(str(v) for v in (item.result.get("partial_unexpected_list") or [])[:10 - len(examples)])


def run_suite(suite: Suite, build_db: Path, validation_dir: Path, run_name: str) -> Outcome:
    return validate(suite, read_batches(build_db, suite.query), validation_dir, run_name)
