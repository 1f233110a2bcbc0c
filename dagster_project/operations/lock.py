"""One run at a time per warehouse: an operating-system lock on <warehouse>/.nightly.lock.

A run takes the lock before its first step and gives it back after its last
(see defs/resources.py). A second run on the same warehouse, from another
`make run`, a cron job or another Dagster instance, stops at once with a clear
message and changes nothing. The lock is flock(2): the kernel releases it when
the process ends, however it ends, so a killed run never leaves a lock to
remove by hand. The file itself stays; it says which run holds the lock.
"""

from __future__ import annotations

import fcntl
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path


class WarehouseBusy(RuntimeError):
    """Another run holds the warehouse."""


@dataclass
class NightlyLock:
    path: Path
    fd: int
    # What the file said when this run took the lock: a run that ended without
    # giving it back (it was killed), or None.
    interrupted_run_id: str | None

    @classmethod
    def acquire(cls, path: Path, run_id: str) -> NightlyLock:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            os.close(fd)
            raise WarehouseBusy(
                f"another run is working on this warehouse ({_describe(holder)}; lock {path}). "
                "This run stops without changing anything; start it again when that run has finished."
            ) from None
        interrupted = _holder(fd).get("run_id")
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps({"run_id": run_id, "pid": os.getpid(),
                                  "since": datetime.now(UTC).isoformat(timespec="seconds")}).encode(), 0)
        return cls(path, fd, interrupted if interrupted != run_id else None)

    def release(self) -> None:
        os.ftruncate(self.fd, 0)
        os.close(self.fd)


def _holder(fd: int) -> dict:
    try:
        return json.loads(os.pread(fd, 4096, 0) or b"{}")
    except ValueError:
        return {}


def _describe(holder: dict) -> str:
    if not holder:
        return "a run that is just starting"
    return f"run {holder.get('run_id')}, process {holder.get('pid')}, since {holder.get('since')} UTC"
