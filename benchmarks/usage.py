"""Resident memory and CPU time of this process and all its descendants (Linux /proc),
sampled in a thread, so that a phase's CPU seconds and the peak of the whole process
tree (this process and dbt's) can be read afterwards."""

from __future__ import annotations

import os
import resource
import threading
import time
from bisect import bisect_left
from pathlib import Path

PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")
TICK_SECONDS = 1 / os.sysconf("SC_CLK_TCK")


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
    """Resident bytes and CPU seconds of `root` and its descendants; CPU includes the
    descendants that ended (reaped by `root`)."""
    processes = _processes()
    tree, frontier = {root}, [root]
    while frontier:
        children = [pid for pid, (ppid, _, _) in processes.items() if ppid in frontier and pid not in tree]
        tree.update(children)
        frontier = children
    ended = resource.getrusage(resource.RUSAGE_CHILDREN)
    descendants_cpu = sum(processes[pid][2] for pid in tree - {root} if pid in processes)
    own = resource.getrusage(resource.RUSAGE_SELF)
    cpu = own.ru_utime + own.ru_stime + ended.ru_utime + ended.ru_stime + descendants_cpu
    return sum(processes[pid][1] for pid in tree if pid in processes), cpu


class Usage:
    """`with Usage() as usage: ...`, then `usage.peak_mb`, `usage.cpu_between(t0, t1)`:
    samples (time.time(), resident bytes, CPU seconds) of the process tree."""

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
