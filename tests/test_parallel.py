"""The pool that runs the checks in forked processes: order, results and errors kept."""

from __future__ import annotations

import os

import pytest

from sdgraph.validate import parallel

pytestmark = pytest.mark.skipif(not parallel.can_fork(), reason="no fork on this platform")


def test_jobs_run_in_other_processes_and_answers_keep_their_order() -> None:
    jobs = [lambda n=n: (n, os.getpid()) for n in range(8)]
    answers = parallel.run_jobs(jobs, workers=2)
    assert [n for n, _ in answers] == list(range(8))
    assert {pid for _, pid in answers} - {os.getpid()}, "no job ran in a forked process"


def test_one_worker_runs_the_jobs_here() -> None:
    answers = parallel.run_jobs([os.getpid, os.getpid], workers=1)
    assert answers == [os.getpid(), os.getpid()]


def test_an_error_in_a_job_reaches_the_caller() -> None:
    def broken() -> None:
        raise ValueError("job 2 failed")

    with pytest.raises(ValueError, match="job 2 failed"):
        parallel.run_jobs([os.getpid, broken, os.getpid], workers=2)


def test_only_large_contributions_are_shared_out() -> None:
    assert parallel.workers_for(parallel.PARALLEL_FROM_BYTES - 1) == 1
    assert parallel.workers_for(parallel.PARALLEL_FROM_BYTES) == parallel.cores()
