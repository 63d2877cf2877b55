"""The pool that runs the checks side by side: order, results and errors kept."""

from __future__ import annotations

import threading
import time

import pytest

from sdgraph.validate import parallel


def test_jobs_run_on_other_threads_and_answers_keep_their_order() -> None:
    def job(n: int) -> tuple[int, int]:
        time.sleep(0.01 * (8 - n))  # the first jobs finish last
        return n, threading.get_ident()

    answers = parallel.run_jobs([lambda n=n: job(n) for n in range(8)], workers=2)
    assert [n for n, _ in answers] == list(range(8))
    assert {ident for _, ident in answers} - {threading.get_ident()}, "no job left this thread"


def test_one_worker_runs_the_jobs_here() -> None:
    answers = parallel.run_jobs([threading.get_ident, threading.get_ident], workers=1)
    assert answers == [threading.get_ident()] * 2


def test_an_error_in_a_job_reaches_the_caller() -> None:
    def broken() -> None:
        raise ValueError("job 2 failed")

    with pytest.raises(ValueError, match="job 2 failed"):
        parallel.run_jobs([threading.get_ident, broken, threading.get_ident], workers=2)
