"""Running the checks side by side on every processor core.

pyoxigraph keeps Python's global lock while it evaluates a query, so threads do not run queries
at the same time. Processes do: once the files are loaded, the process forks, and each child
reads the same in-memory store (shared, copy-on-write, never copied since queries only read it),
runs the jobs handed to it one at a time and sends back what they return. Forking pays off only
for large contributions; small ones are checked in the process itself, and so is everything off
Linux (there is no ``fork`` on Windows, and macOS advises against forking a process that has
loaded system libraries).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

#: Contributions smaller than this (bytes of text in all) are checked in one process.
PARALLEL_FROM_BYTES = 4_000_000

# The jobs of the pool being run. Children are forked after it is set, so each inherits the
# jobs (and the store they query) without pickling them; only job numbers and results travel.
_jobs: list[Callable[[], object]] = []


def cores() -> int:
    """How many processor cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on every platform
        return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def workers_for(size: int) -> int:
    """How many processes to check ``size`` bytes of contributions with."""
    return cores() if size >= PARALLEL_FROM_BYTES and can_fork() else 1


def _run(index: int) -> object:
    return _jobs[index]()


def run_jobs(jobs: list[Callable[[], T]], workers: int = 1) -> list[T]:
    """What each job returns, in the order of the jobs, run on ``workers`` forked processes.

    Each job must only read the store, and return something that can be pickled. With one
    worker (or no ``fork``) the jobs run here, one after the other.
    """
    if workers <= 1 or len(jobs) < 2 or not can_fork():
        return [job() for job in jobs]
    global _jobs
    _jobs = list(jobs)
    try:
        with multiprocessing.get_context("fork").Pool(min(workers, len(jobs))) as pool:
            # one job at a time: their costs differ a hundredfold, so a free worker takes the next
            return pool.map(_run, range(len(jobs)), chunksize=1)  # type: ignore[return-value]
    finally:
        _jobs = []
