"""Run the Great Expectations suites in expectations/ against the built marts.

Each suite is a GX 1.x expectation suite stored as JSON, named after the mart
it validates. Its `meta` says whether an error holds back that mart (`blocking`)
and which SQL query produces the batch (`query`, run on the build file). An
expectation with `"meta": {"severity": "warning"}` is reported but never blocks.

DuckDB finds the rows, GX judges them. Every expectation judges each row on its
own (set-wise conditions such as uniqueness are computed in the query), so it is
also a row condition in SQL (`row_condition`). One query over the batch counts
the rows and, per expectation, the rows it would fail. A suite with no failing
row passes there, and GX is not started for it. Otherwise a second query
fetches only the rows that fail any expectation, with only the columns the
expectations read, and GX validates those rows with its pandas engine, in a file-backed GX project that
keeps the results and renders the data docs, so the unexpected counts and
examples are GX's own; and they must equal DuckDB's counts, or the suite fails
with the difference. A suite with an expectation that has no row condition yet
is validated on all its rows. The rows reach GX as DataFrames of at most
BATCH_ROWS rows, so memory stays bounded however many rows fail.
"""

from __future__ import annotations

import json
import math
import os
import shutil
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import duckdb

from ..settings import duckdb_config
from ..sql.quoting import quote_literal, quote_name

# Failing rows reach GX in DataFrames of at most this many rows, so memory stays bounded.
BATCH_ROWS = 1_000_000
# Expectations that judge each row on its own, so that batches can be validated apart.
ROW_WISE = frozenset({
    "expect_column_values_to_not_be_null", "expect_column_values_to_be_null", "expect_column_values_to_be_between",
    "expect_column_values_to_be_in_set", "expect_column_values_to_not_be_in_set",
    "expect_column_values_to_match_regex", "expect_column_pair_values_to_be_equal",
})
# The arguments `row_condition` translates, per expectation type.
TRANSLATED = {
    "expect_column_values_to_not_be_null": {"column"},
    "expect_column_values_to_be_null": {"column"},
    "expect_column_values_to_be_between": {"column", "min_value", "max_value", "strict_min", "strict_max"},
    "expect_column_values_to_be_in_set": {"column", "value_set"},
    "expect_column_values_to_not_be_in_set": {"column", "value_set"},
}
# The arguments that tell two expectations of a suite apart.
KEY_ARGUMENTS = frozenset({"column", "column_A", "column_B", "min_value", "max_value", "strict_min", "strict_max",
                           "value_set", "regex"})
FLOAT_TYPES = ("DOUBLE", "FLOAT", "REAL")
NUMERIC_PREFIXES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
                    "UBIGINT", "DECIMAL", *FLOAT_TYPES)


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

    @property
    def expectations(self) -> list[dict]:
        return self.definition["expectations"]


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
    rows_judged: int = 0  # the rows GX validated: all rows, or those DuckDB found failing
    unexpected: dict[str, int] = field(default_factory=dict)  # GX's unexpected count per expectation

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
        yield from _batches(con, query, rows)


def _batches(con: duckdb.DuckDBPyConnection, query: str, rows: int = BATCH_ROWS):
    reader = con.sql(query).to_arrow_reader(rows)
    empty = True
    for batch in reader:
        empty = False
        yield batch.to_pandas()
    if empty:
        yield reader.schema.empty_table().to_pandas()


def _literal(value, sql_type: str) -> str | None:
    """`value` as SQL, when it is of the kind of the column (else GX and DuckDB may compare differently)."""
    numeric = sql_type.startswith(NUMERIC_PREFIXES)
    if isinstance(value, bool):
        return ("true" if value else "false") if sql_type == "BOOLEAN" else None
    if isinstance(value, int | float):
        return repr(value) if numeric and math.isfinite(value) else None
    if isinstance(value, str):
        return quote_literal(value) if sql_type == "VARCHAR" else None
    return None


def row_condition(expectation: Mapping, types: Mapping[str, str]) -> str | None:
    """SQL that holds for exactly the rows GX counts as unexpected for `expectation`
    (GX leaves missing values, None and NaN, to the null expectations); None when
    there is no translation."""
    kind, kwargs = expectation["type"], expectation["kwargs"]
    column = kwargs.get("column")
    if kind not in TRANSLATED or set(kwargs) - TRANSLATED[kind] or column not in types:
        return None
    sql_type, value = types[column], quote_name(column)
    missing = f"({value} IS NULL OR isnan({value}))" if sql_type in FLOAT_TYPES else f"{value} IS NULL"
    if kind == "expect_column_values_to_not_be_null":
        return missing
    if kind == "expect_column_values_to_be_null":
        return f"NOT {missing}"
    if kind == "expect_column_values_to_be_between":
        outside = []
        for bound, below, strict in (("min_value", "<", "strict_min"), ("max_value", ">", "strict_max")):
            if kwargs.get(bound) is None:
                continue
            literal = _literal(kwargs[bound], sql_type)
            if literal is None or isinstance(kwargs[bound], bool):
                return None
            outside.append(f"{value} {below}{'=' if kwargs.get(strict) else ''} {literal}")
        return f"NOT {missing} AND ({' OR '.join(outside)})" if outside else None
    literals = [_literal(v, sql_type) for v in kwargs["value_set"]]
    if not literals or None in literals:
        return None
    negate = "NOT " if kind == "expect_column_values_to_be_in_set" else ""
    return f"NOT {missing} AND {negate}({value} IN ({', '.join(literals)}))"


@dataclass(frozen=True)
class RowConditions:
    """A suite's expectations as SQL over its query: what DuckDB counts and fetches for GX."""

    suite: Suite
    conditions: tuple[str, ...]  # per expectation; empty when one has no translation
    columns: tuple[str, ...]     # the columns the expectations read

    @classmethod
    def of(cls, suite: Suite, types: Mapping[str, str]) -> RowConditions:
        conditions = [row_condition(e, types) for e in suite.expectations]
        columns = dict.fromkeys(c for e in suite.expectations
                                for c in (e["kwargs"].get("column"), e["kwargs"].get("column_A"),
                                          e["kwargs"].get("column_B")) if c)
        return cls(suite, () if None in conditions else tuple(conditions), tuple(columns))

    def counts_sql(self) -> str:
        counts = ", ".join(f"count(*) FILTER (WHERE {c})" for c in self.conditions)
        return f"WITH batch AS ({self.suite.query}) SELECT count(*), {counts} FROM batch"

    def failing_rows_sql(self) -> str:
        columns = ", ".join(quote_name(c) for c in self.columns)
        where = " OR ".join(f"({c})" for c in self.conditions)
        return f"WITH batch AS ({self.suite.query}) SELECT {columns} FROM batch WHERE {where}"


def expectation_key(config_type: str, kwargs: Mapping) -> str:
    """One expectation of a suite, the same in the suite's JSON and in GX's results (which add
    defaults and turn whole numbers into floats)."""
    def same(value):
        if isinstance(value, list):
            return [same(v) for v in value]
        return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else value

    return config_type + json.dumps({k: same(v) for k, v in kwargs.items()
                                     if k in KEY_ARGUMENTS and v is not None and v is not False},
                                    sort_keys=True, default=str)


def _import_great_expectations():
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations

    return great_expectations


@cache
def _gx():
    """GX, with an in-memory project to validate in (a file-backed one re-reads its
    configuration at every step and takes many times as long)."""
    gx = _import_great_expectations()
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = {"globally": False}
    return gx, context.data_sources.add_pandas("warehouse")


@cache
def _batch_definition(name: str):
    """The whole-DataFrame batch definition of a suite's mart."""
    _, source = _gx()
    return source.add_dataframe_asset(name).add_batch_definition_whole_dataframe("whole")


# The GX project's configuration, made anew when a process first opens the project: a run
# killed while GX wrote one of these files (GX does not write them atomically) must not break
# the next. The validation results and the data docs stay.
GX_CONFIGURATION = ("great_expectations.yml", "uncommitted/config_variables.yml", "expectations",
                    "validation_definitions", "checkpoints")


def _remove_gx_configuration(validation_dir: Path) -> None:
    for name in GX_CONFIGURATION:
        path = validation_dir / "gx" / name
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)


def reset_gx_configuration(validation_dir: Path) -> None:
    """Remove the GX configuration under `validation_dir` and forget the project opened on it
    in this process: the next validation makes the configuration anew."""
    _results_project.cache_clear()
    _remove_gx_configuration(validation_dir)


@cache
def _results_project(project_dir: Path):
    """The file-backed GX project under the validation folder: it keeps the validation
    results and renders the data docs (gx/uncommitted/data_docs/local_site). Opened once
    per process, with its configuration made anew."""
    gx, _ = _gx()
    _remove_gx_configuration(project_dir)
    return gx.get_context(mode="file", project_root_dir=str(project_dir))


def _write_atomically(path: Path, text: str) -> None:
    """A result file is whole or absent, also when the run is killed while writing it."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text)
    temporary.replace(path)


class Validator:
    """Great Expectations for one run: suites validated one after another, their results
    stored in the GX project under the validation folder, and its data docs rendered once
    at the end (`finish`)."""

    def __init__(self, validation_dir: Path, run_name: str = "adhoc"):
        self.validation_dir = validation_dir
        self.run_name = run_name
        self.results: list = []  # (GX result key, result) of this run

    def validate(self, suite: Suite, frames) -> Outcome:
        """Validate a DataFrame, or an iterable of DataFrames (batches of one mart), with
        `suite`. Failures are summed over the batches. Each batch's GX result is written
        to validation_dir/<run_name>/<suite>[.partN].json."""
        import pandas as pd

        gx, _ = _gx()
        expectations = gx.ExpectationSuite(name=suite.name, expectations=suite.expectations,
                                           meta=suite.definition.get("meta", {}))
        outcome = Outcome(suite, rows=0)
        failures: dict[str, dict] = {}
        result_dir = self.validation_dir / self.run_name
        result_dir.mkdir(parents=True, exist_ok=True)
        for index, frame in enumerate([frames] if isinstance(frames, pd.DataFrame) else frames):
            part = "" if index == 0 else f".part{index + 1}"
            result = _batch_definition(suite.name).get_batch(batch_parameters={"dataframe": frame}) \
                .validate(expectations)
            self._keep(suite, result, self.run_name + part)
            _write_atomically(result_dir / f"{suite.name}{part}.json",
                              json.dumps(result.to_json_dict(), indent=2, default=str))
            outcome.rows += len(frame)
            outcome.evaluated = len(result.results)
            outcome.batches = index + 1
            for item in result.results:
                key = expectation_key(item.expectation_config.type, item.expectation_config.kwargs)
                outcome.unexpected[key] = outcome.unexpected.get(key, 0) + (item.result.get("unexpected_count") or 0)
                if not item.success:
                    _add_failure(failures, key, item)
        for failure in failures.values():
            severity = failure.pop("severity")
            (outcome.failed_warnings if severity == "warning" else outcome.failed_errors).append(failure)
        outcome.rows_judged = outcome.rows
        outcome.result_file = result_dir / f"{suite.name}.json"
        outcome.data_docs = self.validation_dir / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"
        return outcome

    def _keep(self, suite: Suite, result, run_name: str) -> None:
        """Note a result as a run of the suite, for the GX project's result store and data docs."""
        from great_expectations.core.run_identifier import RunIdentifier
        from great_expectations.data_context.types.resource_identifiers import (
            ExpectationSuiteIdentifier,
            ValidationResultIdentifier,
        )

        run_id = RunIdentifier(run_name=run_name)
        result.meta["run_id"] = run_id
        result.meta["validation_time"] = run_id.run_time
        key = ValidationResultIdentifier(expectation_suite_identifier=ExpectationSuiteIdentifier(name=suite.name),
                                         run_id=run_id, batch_identifier=result.batch_id)
        self.results.append((key, result))

    def run_suite(self, suite: Suite, build_db: Path) -> Outcome:
        """Validate the suite's mart in the build file (see `run_suites`)."""
        [outcome] = self.run_suites([suite], build_db)
        return outcome

    def run_suites(self, suites: Iterable[Suite], build_db: Path) -> Iterator[Outcome]:
        """Validate each suite's mart in the build file, in one read-only connection: DuckDB counts
        the rows failing each expectation; when it finds some, it fetches them and GX judges them
        (all rows, when the suite has an expectation without a row condition). A suite none of
        whose rows fails needs no judging: it passes without GX."""
        with duckdb.connect(str(build_db), read_only=True, config=duckdb_config()) as con:
            for suite in suites:
                yield self._run_suite(suite, con)

    def _run_suite(self, suite: Suite, con: duckdb.DuckDBPyConnection) -> Outcome:
        types = {row[0]: row[1] for row in con.execute(f"DESCRIBE {suite.query}").fetchall()}
        rows = RowConditions.of(suite, types)
        if not rows.conditions:
            return self.validate(suite, _batches(con, suite.query))
        total, *failing = con.execute(rows.counts_sql()).fetchall()[0]
        if not any(failing):
            return self._passed(suite, total)
        outcome = self.validate(suite, _batches(con, rows.failing_rows_sql()))
        outcome.rows = total
        keys = [expectation_key(e["type"], e["kwargs"]) for e in suite.expectations]
        _compare(outcome, dict(zip(keys, failing, strict=True)))
        _note_rows(outcome)
        return outcome

    def _passed(self, suite: Suite, total: int) -> Outcome:
        """A suite whose every expectation DuckDB found no row failing: its result file, in the shape
        of GX's, says so (GX is not started for it)."""
        result_dir = self.validation_dir / self.run_name
        result_dir.mkdir(parents=True, exist_ok=True)
        outcome = Outcome(suite, rows=total, evaluated=len(suite.expectations), result_file=result_dir /
                          f"{suite.name}.json")
        outcome.unexpected = {expectation_key(e["type"], e["kwargs"]): 0 for e in suite.expectations}
        _write_atomically(outcome.result_file, json.dumps({
            "success": True, "suite_name": suite.name,
            "statistics": {"evaluated_expectations": outcome.evaluated, "successful_expectations": outcome.evaluated,
                           "unsuccessful_expectations": 0, "success_percent": 100.0},
            "results": [{"success": True, "expectation_config": expectation,
                         "result": {"element_count": total, "unexpected_count": 0, "unexpected_percent": 0.0,
                                    "partial_unexpected_list": []}} for expectation in suite.expectations],
            "meta": {"run_id": {"run_name": self.run_name}, "warehouse": {
                "rows_validated": total, "rows_judged_by_gx": 0,
                "how": "DuckDB evaluated every expectation as a row condition over all rows and found no row "
                       "failing any of them, so Great Expectations had no row to judge (docs/validation.md)"}},
        }, indent=2, default=str))
        return outcome

    def finish(self) -> None:
        """Store this run's results in the GX project and render their data docs."""
        if not self.results:
            return
        project = _results_project(self.validation_dir)
        for key, result in self.results:
            project.validation_results_store.set(key, result)
        project.build_data_docs(resource_identifiers=[key for key, _ in self.results])
        self.results.clear()


def validate(suite: Suite, frames, validation_dir: Path, run_name: str = "adhoc") -> Outcome:
    """Validate DataFrames with `suite` (see Validator.validate) and render the data docs."""
    validator = Validator(validation_dir, run_name)
    outcome = validator.validate(suite, frames)
    validator.finish()
    return outcome


def _add_failure(failures: dict[str, dict], key: str, item) -> None:
    """Record a failed expectation of one batch, adding to the same expectation's earlier batches."""
    config = item.expectation_config
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


def _compare(outcome: Outcome, duckdb_counts: Mapping[str, int]) -> None:
    """A suite whose row conditions count differently from GX fails: the translation is wrong."""
    for expectation in outcome.suite.expectations:
        key = expectation_key(expectation["type"], expectation["kwargs"])
        counted, judged = duckdb_counts[key], outcome.unexpected.get(key, 0)
        if counted != judged:
            outcome.failed_errors.append({
                "expectation": expectation["type"], "column": expectation["kwargs"].get("column"),
                "unexpected_count": counted, "partial_unexpected_list": [],
                "why": f"DuckDB counts {counted} rows failing this expectation and Great Expectations {judged}: "
                       "its row condition (dagster_project/quality/validation.py) does not match GX",
            })


def _note_rows(outcome: Outcome) -> None:
    """Say in the result file how many rows the suite covered and how many GX saw."""
    result = json.loads(outcome.result_file.read_text())
    result.setdefault("meta", {})["warehouse"] = {
        "rows_validated": outcome.rows, "rows_judged_by_gx": outcome.rows_judged,
        "how": "DuckDB evaluated every expectation as a row condition over all rows; GX judged the rows that "
               "fail any of them (docs/validation.md)",
    }
    _write_atomically(outcome.result_file, json.dumps(result, indent=2, default=str))
