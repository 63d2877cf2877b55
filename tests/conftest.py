"""Shared fixtures: the repository as a project, a built copy of it, and the reference data."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from sdgraph.build import BuildReport, build
from sdgraph.project import Project

REPO = Path(__file__).resolve().parents[1]
TEST_DATA = Path(__file__).resolve().parent / "data"
PROJECT_FOLDERS = ("ontology", "data", "rules", "queries", "shapes")


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


@pytest.fixture(scope="session")
def repo_project() -> Project:
    return Project(REPO)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, BuildReport]:
    """The shipped project, built once per test session (with the HermiT check)."""
    project = copy_project(tmp_path_factory.mktemp("built"))
    return project, build(project, check_consistency=True)


@pytest.fixture
def fresh_project(tmp_path: Path) -> Project:
    """A private copy of the shipped project, for tests that change files."""
    return copy_project(tmp_path)
