"""Peak memory (and CPU time) of this process and all its descendants together (Linux /proc).

`ru_maxrss` of children reports only the largest child, and a child forked
from a large parent inherits the parent's resident pages in that figure, so
summing it double-counts. This samples the whole process tree instead.
"""

from __future__ import annotations

import os
import re
import resource
import threading
import time
from bisect import bisect_left
from pathlib import Path

from dagster_project.settings import duckdb_config

PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")
TICK_SECONDS = 1 / os.sysconf("SC_CLK_TCK")
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


def _processes() -> dict[int, tuple[int, int, float]]:
    """pid -> (parent pid, resident bytes, CPU seconds) of every process."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended while we looked
            continue
        found[int(stat.parent.name)] = (int(fields[1]), int(fields[21]) * PAGE_BYTES,
                                        (int(fields[11]) + int(fields[12])) * TICK_SECONDS)
    return found


def tree_usage(root: int) -> tuple[int, float]:
    """Resident bytes and CPU seconds of `root` and every process descending from it; the
    CPU seconds include the descendants that ended (and were waited for)."""
    processes = _processes()
    tree, frontier = {root}, [root]
    while frontier:
        children = [pid for pid, (ppid, _, _) in processes.items() if ppid in frontier and pid not in tree]
        tree.update(children)
        frontier = children
    ended = resource.getrusage(resource.RUSAGE_CHILDREN)
    running = sum(processes[pid][2] for pid in tree - {root} if pid in processes)
    return (sum(processes[pid][1] for pid in tree if pid in processes),
            cpu_seconds() + ended.ru_utime + ended.ru_stime + running)


def tree_rss_bytes(root: int) -> int:
    """Resident memory of `root` and every process descending from it."""
    return tree_usage(root)[0]


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


class Usage:
    """`with Usage() as usage: ...`, then `usage.peak_mb`, `usage.cpu_between(t0, t1)`:
    samples (time.time(), resident bytes, CPU seconds) of the process tree, so that a
    phase's CPU seconds can be read afterwards."""

    def __init__(self, interval_seconds: float = 0.1):
        self.interval = interval_seconds
        self.samples: list[tuple[float, int, float]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _take(self) -> None:
        rss, cpu = tree_usage(os.getpid())
        self.samples.append((time.time(), rss, cpu))

    def _sample(self) -> None:
        while not self._stop.is_set():
            self._take()
            self._stop.wait(self.interval)

    def __enter__(self) -> Usage:
        self._take()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self._take()

    @property
    def peak_mb(self) -> float:
        return max(rss for _, rss, _ in self.samples) / 2**20

    def cpu_at(self, moment: float) -> float:
        """CPU seconds of the tree at the first sample at or after `moment`."""
        index = min(bisect_left([t for t, _, _ in self.samples], moment), len(self.samples) - 1)
        return self.samples[index][2]

    def cpu_between(self, start: float, end: float) -> float:
        return self.cpu_at(end) - self.cpu_at(start)

    @property
    def cpu(self) -> float:
        return self.samples[-1][2] - self.samples[0][2]

    @property
    def wall(self) -> float:
        return self.samples[-1][0] - self.samples[0][0]
