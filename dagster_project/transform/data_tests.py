"""The dbt data tests of a run, grouped: the tests of one model run as one query (docs/validation.md).

dbt runs each data test as a node of its own: a compile, a query, a result and its
events, one test at a time per thread. Here dbt compiles the data tests once per
version of the dbt project (at `make setup`, into dbt/target/dbt_tests.json; after a
change of the project, the first run, with its parsed manifest, into
<warehouse>/dbt_tests.json), and the tests that judge one model run as one DuckDB
query: each test's SQL wrapped as dbt's test materialization wraps it (fail_calc,
warn_if, error_if, limit), judged by dbt's rules into dbt's statuses and messages.
A query that fails is run again test by test, so that an error belongs to the test
that has it. The results are written as dbt writes them (<target>/test/run_results.json).
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Collection, Generator, Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass
from itertools import count, groupby
from pathlib import Path

import duckdb

from ..settings import DBT_PROJECT_DIR, duckdb_config
from ..sql.quoting import quote_literal
from . import functions
from .connection import set_pseudonym_secret
from .fingerprint import dbt_project_fingerprint
from .invocation import DbtFailed, DbtSession

CATALOG_FILE = "dbt_tests.json"
SETUP_CATALOG = DBT_PROJECT_DIR / "target" / CATALOG_FILE
# Selects every data test (generic and singular) for `dbt compile`.
DATA_TESTS = ("--select", "test_type:data")


@dataclass(frozen=True)
class DataTest:
    """A compiled dbt data test and the configuration dbt judges its result by."""

    unique_id: str
    name: str
    judged: str  # the node the test is attached to (its model, seed or source)
    sql: str
    severity: str = "error"
    fail_calc: str = "count(*)"
    warn_if: str = "!= 0"
    error_if: str = "!= 0"
    limit: int | None = None

    @classmethod
    def of(cls, node) -> DataTest:
        """From a node dbt compiled."""
        config = node.config
        return cls(node.unique_id, node.name, node.attached_node or node.depends_on.nodes[0], node.compiled_code,
                   str(config.severity).lower(), config.fail_calc, config.warn_if, config.error_if, config.limit)

    def judged_sql(self) -> str:
        """dbt's test materialization (`get_test_sql`): the failures and whether they warn or fail."""
        limit = f"\n  limit {self.limit}" if self.limit is not None else ""
        return (f"select {quote_literal(self.unique_id)} as unique_id, {self.fail_calc} as failures, "
                f"{self.fail_calc} {self.warn_if} as should_warn, {self.fail_calc} {self.error_if} as should_error\n"
                f"from (\n{self.sql}\n{limit}\n) dbt_internal_test")

    def result(self, failures, should_warn: bool, should_error: bool, query: Query) -> dict:
        """The run result dbt gives (dbt/task/test.py: build_test_run_result)."""
        got = f"{failures} result{'' if failures == 1 else 's'}"
        if self.severity == "error" and should_error:
            status, message, failed = "fail", f"Got {got}, configured to fail if {self.error_if}", failures
        elif should_warn:
            status, message, failed = "warn", f"Got {got}, configured to warn if {self.warn_if}", failures
        else:
            status, message, failed = "pass", None, 0
        return query.result(self.unique_id, status, message, failed)

    def error(self, error: Exception, query: Query) -> dict:
        return query.result(self.unique_id, "error", str(error).strip(), None)


@dataclass(frozen=True)
class Query:
    """One query of a run and the number of tests it judged."""

    number: int
    tests: int
    seconds: float

    def result(self, unique_id: str, status: str, message: str | None, failures) -> dict:
        return {"unique_id": unique_id, "status": status, "message": message, "failures": failures,
                "execution_time": self.seconds / self.tests, "timing": [], "thread_id": "grouped",
                "adapter_response": {"query": self.number, "tests_in_query": self.tests}}


class Catalog:
    """The compiled data tests of the dbt project as it is now: made by `make setup` (in the dbt
    project's target folder, next to its parsed state) or, when the project changed since, by the
    first run that needs them (in the warehouse folder)."""

    def __init__(self, path: Path):
        self.path = path
        self.project = dbt_project_fingerprint()

    def tests(self, dbt: DbtSession, needed: Collection[str] = ()) -> dict[str, DataTest]:
        """Every data test by unique id; compiled anew unless a kept catalog is of this project and
        holds every test `needed`."""
        for path in (self.path, SETUP_CATALOG):
            if path.exists() and (kept := json.loads(path.read_text())).get("project") == self.project \
                    and set(needed) <= set(kept["tests"]):
                return {uid: DataTest(**test) for uid, test in kept["tests"].items()}
        tests = compile_tests(dbt)
        if missing := sorted(set(needed) - set(tests)):
            raise DbtFailed(f"dbt compiled no SQL for the data tests {', '.join(missing)}")
        self.write(tests)
        return tests

    def write(self, tests: Mapping[str, DataTest]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(f".{self.path.name}.tmp")
        temporary.write_text(json.dumps({"project": self.project,
                                         "tests": {uid: asdict(t) for uid, t in tests.items()}}))
        temporary.replace(self.path)


def compile_tests(dbt: DbtSession) -> dict[str, DataTest]:
    """Every data test of the project as dbt compiles it."""
    compiled = dbt.invoke("compile", [*DATA_TESTS, "--no-write-json", "--no-populate-cache"])
    if not compiled.success:
        raise DbtFailed("dbt could not compile the data tests: "
                        + "; ".join(compiled.messages or [str(compiled.exception)]))
    return {r.node.unique_id: DataTest.of(r.node) for r in compiled.results}


def run_tests(build_db: Path, tests: Iterable[DataTest], target: Path) -> Generator[dict, None, list[dict]]:
    """Run the tests, those of one judged node as one query; yields each test's run result as its
    query ends, writes them to `target`/run_results.json and returns them."""
    started, results, queries = time.time(), [], count(1)
    with duckdb.connect(str(build_db), read_only=True, config=duckdb_config()) as con:
        functions.register(con)
        set_pseudonym_secret(con)  # the staging views compute pseudonyms
        for _, group in groupby(sorted(tests, key=lambda t: (t.judged, t.unique_id)), key=lambda t: t.judged):
            for result in _run_group(con, list(group), queries):
                results.append(result)
                yield result
    _write_run_results(target, results, time.time() - started)
    return results


def _run_group(con: duckdb.DuckDBPyConnection, tests: list[DataTest], queries: Iterator[int]) -> list[dict]:
    """One query for the group; when it fails, one query per test."""
    number, start = next(queries), time.time()
    try:
        rows = con.execute("\nunion all\n".join(t.judged_sql() for t in tests)).fetchall()
    except duckdb.Error:
        return [_run_one(con, test, next(queries)) for test in tests]
    query = Query(number, len(tests), time.time() - start)
    by_id: Mapping[str, tuple] = {row[0]: row[1:] for row in rows}
    return [test.result(*by_id[test.unique_id], query) for test in tests]


def _run_one(con: duckdb.DuckDBPyConnection, test: DataTest, number: int) -> dict:
    start = time.time()
    try:
        [(_, failures, should_warn, should_error)] = con.execute(test.judged_sql()).fetchall()
    except duckdb.Error as error:
        return test.error(error, Query(number, 1, time.time() - start))
    return test.result(failures, should_warn, should_error, Query(number, 1, time.time() - start))


def _write_run_results(target: Path, results: list[dict], seconds: float) -> None:
    target.mkdir(parents=True, exist_ok=True)
    (target / "run_results.json").write_text(json.dumps({
        "metadata": {"generated_by": "dagster_project.transform.data_tests (the data tests grouped per model)"},
        "results": results, "elapsed_time": seconds, "args": {"which": "test"},
    }, indent=1, default=str))


def main() -> None:
    """`make setup`: compile the data tests once, against a build file of their own."""
    with tempfile.TemporaryDirectory() as folder:
        dbt = DbtSession(Path(folder) / "target", Path(folder) / "build.duckdb")
        Catalog(SETUP_CATALOG).write(compile_tests(dbt))
        dbt.cleanup()


if __name__ == "__main__":
    main()
