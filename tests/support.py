"""Helpers shared by the tests: where the repository and the reference data are."""

from __future__ import annotations

import os
import shutil
import socket
import sys
from pathlib import Path

import pytest

from sdgraph.project import Project

REPO = Path(__file__).resolve().parents[1]
TEST_DATA = Path(__file__).resolve().parent / "data"
PROJECT_FOLDERS = ("ontology", "data", "rules", "queries", "shapes", "templates")


def shared_dir() -> Path:
    """The reference material beside the checkout (``../shared``), or $SDGRAPH_SHARED."""
    return Path(os.environ.get("SDGRAPH_SHARED", REPO.parent / "shared"))


def shared_file(relative: str) -> Path:
    """A file of the reference material; the test is skipped, saying why, when it is absent."""
    path = shared_dir() / relative
    if not path.is_file():
        pytest.skip(f"reference file {path} is absent (set SDGRAPH_SHARED to its folder)")
    return path


def copy_project(target: Path) -> Project:
    """A copy of the repository's project files, to build without touching the checkout."""
    for folder in PROJECT_FOLDERS:
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, target / folder)
    return Project(target)


def oxigraph_binary() -> str:
    """The ``oxigraph`` server binary of the PyPI package ``oxigraph`` (in the test extra)."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    if not found:
        pytest.fail("the oxigraph server is not installed: pip install -e '.[test]'")
    return found


PUBLISH_FIXTURES = ("tiny.ttl", "script-label.ttl")


def add_fixture_contributions(project: Project, names: tuple[str, ...] = PUBLISH_FIXTURES) -> None:
    """Copy fixture contributions of ``tests/data`` into the project's contributions folder."""
    folder = project.contributions_dir / "fixtures"
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(TEST_DATA / name, folder / name)


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
