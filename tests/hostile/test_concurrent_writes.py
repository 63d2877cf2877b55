"""Several `add`s of different files at once: every file ends up in data/, the store and the
dumps, or is refused with a message and is nowhere (no lost update)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from support import copy_project
from writes_support import SDGRAPH, city_file, clone, dist_state, store_state

from sdgraph.build import build
from sdgraph.namespaces import GRAPH
from sdgraph.project import Project


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = copy_project(tmp_path_factory.mktemp("base"))
    build(project, check_consistency=False, notify=lambda _: None)
    return project


def add_at_once(project: Project, files: list[Path], *options: str
                ) -> list[subprocess.CompletedProcess]:
    """Start one `sdgraph add` per file, all at once, and wait for them all."""
    started = [subprocess.Popen([*SDGRAPH, "--project", str(project.root), "add", str(path),
                                 "--contributor", "Jane Doe", "--no-consistency-check",
                                 *options], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True) for path in files]
    done = []
    for process, path in zip(started, files, strict=True):
        out, err = process.communicate(timeout=600)
        done.append(subprocess.CompletedProcess(str(path), process.returncode, out, err))
    return done


def where(project: Project, path: Path) -> dict[str, bool]:
    """Whether a city file is in data/, in the store and in each dump."""
    graph = f"{GRAPH}data/contributions/cities/{path.name}"
    dumps = dist_state(project)
    turtle = (project.dist_dir / "sdgraph.ttl").read_text(encoding="utf-8")
    return {"data": (project.contributions_dir / "cities" / path.name).is_file(),
            "store": graph in store_state(project),
            "trig": f"sdgraph.trig <{graph}>" in dumps,
            "ttl": f"testville{path.stem.rsplit('-', 1)[1]}" in turtle}


@pytest.mark.parametrize("writers", [2, 5])
def test_adds_at_once_all_land_everywhere(base: Project, tmp_path: Path, writers: int) -> None:
    project = clone(base, tmp_path / "project")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    files = [city_file(inbox, number) for number in range(writers)]
    for result in add_at_once(project, files):
        assert result.returncode == 0, result.stderr
    for path in files:
        assert where(project, path) == {"data": True, "store": True, "trig": True, "ttl": True}
    # and a build from data/ agrees with what the adds left
    store = store_state(project)
    build(project, check_consistency=False, notify=lambda _: None)
    assert store_state(project).keys() == store.keys()


def test_adds_that_may_not_wait_are_refused_with_a_message_and_leave_no_trace(
        base: Project, tmp_path: Path) -> None:
    project = clone(base, tmp_path / "project")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    files = [city_file(inbox, number) for number in range(10, 15)]
    results = add_at_once(project, files, "--wait", "0")
    assert any(result.returncode == 0 for result in results)
    for result, path in zip(results, files, strict=True):
        assert result.returncode in (0, 4), result.stderr
        found = where(project, path)
        if result.returncode == 0:
            assert all(found.values()), (path, found)
        else:
            assert "the project is busy" in result.stderr
            assert "nothing was changed" in result.stderr
            assert not any(found.values()), (path, found)
