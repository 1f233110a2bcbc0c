"""Peak memory of this process and all its descendants together (Linux /proc).

`ru_maxrss` of children reports only the largest child, and a child forked
from a large parent inherits the parent's resident pages in that figure, so
summing it double-counts. This samples the whole process tree instead.
"""

from __future__ import annotations

import os
import re
import resource
import threading
from pathlib import Path

from dagster_project.settings import duckdb_config

PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")
# What a load may use beyond DuckDB's memory limit: Python, pyarrow, pandas and the libraries.
LOAD_MARGIN_MB = 512
_UNITS = {"KB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12, "KIB": 2**10, "MIB": 2**20, "GIB": 2**30, "TIB": 2**40}


def cpu_seconds() -> float:
    """CPU time of this process so far, all its threads (DuckDB's too)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def load_target_mb() -> float:
    """The most a load may take: the configured DuckDB memory limit plus LOAD_MARGIN_MB."""
    number, unit = re.fullmatch(r"\s*([0-9.]+)\s*([A-Za-z]+)\s*", duckdb_config()["memory_limit"]).groups()
    return float(number) * _UNITS[unit.upper()] / 2**20 + LOAD_MARGIN_MB


def tree_rss_bytes(root: int) -> int:
    """Resident memory of `root` and every process descending from it."""
    parent, rss = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended while we looked
            continue
        pid = int(stat.parent.name)
        parent[pid], rss[pid] = int(fields[1]), int(fields[21]) * PAGE_BYTES
    tree, frontier = {root}, [root]
    while frontier:
        children = [pid for pid, ppid in parent.items() if ppid in frontier and pid not in tree]
        tree.update(children)
        frontier = children
    return sum(rss.get(pid, 0) for pid in tree)


class PeakMemory:
    """`with PeakMemory() as peak: ...` then `peak.mb`: the highest sampled total."""

    def __init__(self, interval_seconds: float = 0.2):
        self.interval = interval_seconds
        self.peak_bytes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak_bytes = max(self.peak_bytes, tree_rss_bytes(os.getpid()))
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def mb(self) -> float:
        return self.peak_bytes / 2**20
