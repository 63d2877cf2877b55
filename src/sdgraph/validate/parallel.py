"""Running the checks side by side on every processor core.

The checks are independent read-only queries on one loaded store, and pyoxigraph lets go of
Python's global lock while it evaluates a query, so a pool of threads (one per core) runs them
at the same time. The results come back in the order of the jobs, whatever order they finish in.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


def cores() -> int:
    """How many processor cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on every platform
        return max(1, os.cpu_count() or 1)


def run_jobs(jobs: list[Callable[[], T]], workers: int | None = None) -> list[T]:
    """What each job returns, in the order of the jobs, run on ``workers`` threads (default:
    one per core). Each job must only read the store; with one worker they run here, in turn."""
    workers = workers or cores()
    if workers <= 1 or len(jobs) < 2:
        return [job() for job in jobs]
    with ThreadPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
        return list(pool.map(lambda job: job(), jobs))
