"""dbt inside the process of the dbt step: one start of dbt per run (docs/operations.md).

dbt's programmatic invocation (`dbtRunner`) parses the project once per run,
with partial parsing from the parse of `make setup`, and the parsed manifest
serves the invocations of the run (the build, and the compiling of the data tests
when the dbt project changed since `make setup` compiled them: transform/data_tests.py). Each
invocation writes its artifacts (run_results.json, compiled SQL, dbt.log) to a
folder of its own, and dbt's connection to the build file is closed when it
ends, so that the later steps of the run can open the file.
"""

from __future__ import annotations

import gc
import queue
import shutil
import threading
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..settings import DBT_PROJECT_DIR
from .connection import write_run_settings

PARTIAL_PARSE = "partial_parse.msgpack"
# dbt's log file at info level (its default, debug, writes megabytes per run); on standard output only warnings.
LOG_ARGS = ("--log-level-file", "info", "--log-level", "warn", "--no-send-anonymous-usage-stats")
# The events of a model or seed that dbt finished (built, or failed to build).
NODE_RESULTS = frozenset({"LogModelResult", "LogSeedResult"})


class DbtFailed(RuntimeError):
    """dbt itself failed (not a data test): the project, the database or the disk."""


@dataclass(frozen=True)
class Invocation:
    """What one dbt invocation did: its run results, and whether dbt itself could run it."""

    success: bool
    exception: BaseException | None
    messages: tuple[str, ...]  # the errors of the nodes that failed
    results: tuple = ()  # dbt's result of every node (with the node as dbt compiled it)


class DbtSession:
    """dbt for one run: the project parsed once into `target`/build (with its manifest.json),
    then invocations that reuse that manifest, each in `target`/<name>."""

    def __init__(self, target: Path, build_db: Path):
        self.target = target
        self.build_db = build_db
        self._manifest = None

    def _args(self, name: str) -> list[str]:
        folder = self.target / name
        write_run_settings(folder, self.build_db)
        return ["--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
                "--target-path", str(folder), "--log-path", str(folder), *LOG_ARGS]

    def parse(self) -> None:
        """Parse the project, re-reading only the files changed since `make setup` parsed it."""
        from dbt.cli.main import dbtRunner

        project_state = DBT_PROJECT_DIR / "target" / PARTIAL_PARSE
        if project_state.exists():
            (self.target / "build").mkdir(parents=True, exist_ok=True)
            shutil.copyfile(project_state, self.target / "build" / PARTIAL_PARSE)
        result = _closed_after(lambda: dbtRunner().invoke(["parse", *self._args("build")]))
        if not result.success or result.result is None:
            raise DbtFailed(f"dbt could not parse the project: {result.exception}")
        self._manifest = result.result

    def invoke(self, command: str, args: Sequence[str], on_result: Callable[[dict], None] | None = None) -> Invocation:
        """`dbt <command> args` with the parsed manifest, its artifacts in `target`/<command>;
        `on_result` gets every model or seed dbt finished, as a run result
        (unique_id, status, execution_time), in dbt's thread."""
        from dbt.cli.main import dbtRunner

        if self._manifest is None:
            self.parse()

        def callback(event) -> None:
            if on_result is not None and event.info.name in NODE_RESULTS:
                data = event.data
                on_result({"unique_id": data.node_info.unique_id, "status": data.node_info.node_status,
                           "execution_time": data.execution_time})

        runner = dbtRunner(manifest=self._manifest, callbacks=[callback])
        result = _closed_after(lambda: runner.invoke([command, *self._args(command), *args]))
        results = getattr(result.result, "results", None) or []
        messages = tuple(f"{r.node.name}: {r.message}" for r in results if str(r.status) in ("error", "runtime error"))
        return Invocation(result.success, result.exception, messages, tuple(results))

    def stream(self, command: str, args: Sequence[str],
               on_result: Callable[[dict], None] | None = None) -> Generator[dict, None, Invocation]:
        """`invoke` in a thread of its own: yields every node as dbt finishes it (after `on_result`
        saw it), so that the caller reports it while dbt goes on; returns the Invocation."""
        finished: queue.SimpleQueue = queue.SimpleQueue()
        outcome: dict = {}

        def note(result: dict) -> None:
            if on_result is not None:
                on_result(result)
            finished.put(result)

        def run() -> None:
            try:
                outcome["invocation"] = self.invoke(command, args, on_result=note)
            except BaseException as error:  # handed to the caller's thread
                outcome["error"] = error
            finally:
                finished.put(None)

        # The garbage collector runs no finalizer in dbt's thread: the objects of other threads
        # (Dagster's SQLite connections) must be closed in their own thread.
        gc.collect()
        gc.disable()
        thread = threading.Thread(target=run, name=f"dbt-{command}", daemon=True)
        thread.start()
        try:
            while (result := finished.get()) is not None:
                yield result
        finally:  # also when the caller stops early: dbt is done before the step ends
            thread.join()
            gc.enable()
        if "error" in outcome:
            raise outcome["error"]
        return outcome["invocation"]

    def cleanup(self) -> None:
        """Remove the copy of the project's partial-parse state (it is the project's, not the run's)."""
        for folder in self.target.iterdir() if self.target.exists() else ():
            (folder / PARTIAL_PARSE).unlink(missing_ok=True)


def _closed_after(invoke):
    """Run a dbt invocation, then close dbt-duckdb's connection to the build file (it keeps it
    open until the process ends otherwise, and a DuckDB file takes one writer)."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    try:
        return invoke()
    finally:
        environment = DuckDBConnectionManager._ENV
        DuckDBConnectionManager.close_all_connections()
        if environment is not None:
            environment.close()
