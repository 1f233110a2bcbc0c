"""Test-only fault injection: a run killed with SIGKILL at a named point.

The fault tests (tests/test_faults.py) start the nightly as a subprocess with
WAREHOUSE_TEST_KILL_AT=<point> and check what the kill left behind and that
the next run recovers by itself. Never set it in production. The points:

- `load`: in the middle of loading a file, after its rows were inserted and
  before its load_log row and the commit;
- `dbt`: while `dbt build` writes the build file, right after its first model;
- `checks`: between two Great Expectations suites;
- `publish`: with the new marts file and Parquet folder written but not yet
  renamed into place;
- `parquet`: with the new release's mart files moved into the Parquet folder,
  but not yet its publicatie.parquet;
- `gemeente`: with the new file of a gemeente written (WAREHOUSE_PER_GEMEENTE),
  before it is renamed into place;
- `postgres`: with the release loaded into PostgreSQL's load schema, before the
  switch;
- `report`: with the new report written, before it is swapped in.

When the run's process leads its own process group (the tests start it in a
new session), the whole group dies, so dbt's subprocess goes with it, as under
an out-of-memory killer or `systemctl kill`; otherwise only the process itself.
"""

from __future__ import annotations

import os
import signal

KILL_AT = "WAREHOUSE_TEST_KILL_AT"
POINTS = ("load", "dbt", "checks", "publish", "parquet", "gemeente", "postgres", "report")


def fault_point(name: str) -> None:
    """Kill this run with SIGKILL here when the test hook names this point."""
    if os.environ.get(KILL_AT) != name:
        return
    if os.getpgrp() == os.getpid():
        os.killpg(os.getpgrp(), signal.SIGKILL)
    os.kill(os.getpid(), signal.SIGKILL)
