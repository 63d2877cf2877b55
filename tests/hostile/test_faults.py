"""kill -9 of `add` and of `build` at seeded random moments: data/, the store and dist/ are as
before or as after, never in between; the next build gives the same counts; no hidden file,
staging folder or child process (HermiT's Java) is left.

A write that is killed after its journal is on disk is finished by the next write: the test
then lets a write's first step (:func:`sdgraph.writes.recover`, under the lock) run before it
compares, and requires the state after."""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from support import REPO, copy_project
from writes_support import (
    SDGRAPH,
    clone,
    kill_session,
    staging_leftovers,
    state,
    wait_for_no_processes,
)

from sdgraph import writes
from sdgraph.build import build
from sdgraph.project import Project

TRIALS = 10
SEED = 20261204
CONTRIBUTION = REPO / "tests" / "shapes" / "valid" / "bilbao-2023.ttl"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The shipped project, built without the HermiT check (the writes under test run it)."""
    project = copy_project(tmp_path_factory.mktemp("base"))
    build(project, check_consistency=False, notify=lambda _: None)
    return project


def reference(project: Project, command: list[str]) -> tuple[tuple, dict, float]:
    """Run ``command`` to its end: the state after it, the counts of the next build, and how
    long it took."""
    started = time.monotonic()
    done = subprocess.run([*SDGRAPH, "--project", str(project.root), *command],
                          capture_output=True, text=True, timeout=600)
    took = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    after = state(project)
    counts = build(project, check_consistency=False, notify=lambda _: None).counts
    return after, counts, took


def kill_at(project: Project, command: list[str], delay: float) -> str:
    """Start ``command`` in a session of its own, SIGKILL the sdgraph process (only it) after
    ``delay`` seconds; check that none of its children outlive it; say what the kill left."""
    process = subprocess.Popen([*SDGRAPH, "--project", str(project.root), *command],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               start_new_session=True)
    try:
        try:
            process.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            process.wait()
        left = wait_for_no_processes(process.pid)
        assert left == [], f"processes outlived the killed sdgraph: {left}"
    finally:
        kill_session(process.pid)
        process.stderr.close()
    journal = (project.root / ".sdgraph" / "journal.json").exists()
    return "journal" if journal else ("leftovers" if staging_leftovers(project) else "clean")


def check_trial(project: Project, before: tuple, after: tuple, counts: dict[str, dict],
                found: str) -> str:
    """The state is the one before or the one after (after a journal, once the next write's
    recovery ran); the next build gives that state's counts and leaves nothing behind."""
    if found == "journal":
        with writes.project_lock(project, "test", notify=lambda _: None):
            pass
        assert state(project) == after, "a journal was finished into another state"
        outcome = "after"
    else:
        now = state(project)
        assert now in (before, after), \
            f"killed between before and after: {differences(now, before, after)}"
        outcome = "before" if now == before else "after"
    notes: list[str] = []
    report = build(project, check_consistency=False, notify=notes.append)
    assert report.counts == counts[outcome]
    assert staging_leftovers(project) == []
    assert not [p for p in project.data_dir.rglob(".*")], "a hidden file in data/"
    if found == "leftovers":
        assert any("removed what an interrupted write left behind" in n for n in notes)
    return outcome


def differences(now: tuple, before: tuple, after: tuple) -> list[str]:
    """Which parts of the state match neither the state before nor the state after."""
    found = []
    for part, (mine, old, new) in zip(("data", "store", "dist"),
                                     zip(now, before, after, strict=True), strict=True):
        for key in sorted(set(mine) | set(old) | set(new)):
            if mine.get(key) not in (old.get(key), new.get(key)):
                found.append(f"{part} {key}: {mine.get(key)} ({old.get(key)}, {new.get(key)})")
        if mine not in (old, new):
            found.append(f"{part} is neither as before nor as after")
    return found[:20]


def campaign(base: Project, tmp_path: Path, command: list[str], prepare) -> list[str]:
    """TRIALS kills of ``command`` at seeded random moments within its usual run time, each on
    a fresh clone of ``base`` made ready by ``prepare``."""
    first = clone(base, tmp_path / "reference")
    prepare(first)
    before = state(first)
    # what the next build gives from the data as it was before (the store and dumps aside)
    counts = {"before": build(clone(first, tmp_path / "counts"), check_consistency=False,
                              notify=lambda _: None).counts}
    after, counts["after"], took = reference(first, command)
    assert after != before
    moments = random.Random(f"{SEED} {command[0]}")
    outcomes = []
    for trial in range(TRIALS):
        project = clone(base, tmp_path / f"trial-{trial}")
        prepare(project)
        assert state(project) == before
        found = kill_at(project, command, moments.uniform(0.1, 1.0) * took)
        outcomes.append(f"{found}->{check_trial(project, before, after, counts, found)}")
        shutil.rmtree(project.root)
    print(f"{command[0]}: {outcomes}")
    return outcomes


def test_kill_9_during_add(base: Project, tmp_path: Path) -> None:
    campaign(base, tmp_path, ["add", str(CONTRIBUTION), "--contributor", "Jane Doe"],
             lambda project: None)


def test_kill_9_during_build(base: Project, tmp_path: Path) -> None:
    """A file was put into data/contributions/ by hand since the last build: the store and
    dist/ must be both the old ones or both the new ones."""

    def prepare(project: Project) -> None:
        shutil.copy(CONTRIBUTION, project.contributions_dir / "2023" / CONTRIBUTION.name)

    campaign(base, tmp_path, ["build"], prepare)
