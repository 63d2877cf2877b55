"""Shared fixtures: the repository as a project, and a built copy of it."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import REPO, copy_project

from sdgraph.build import BuildReport, build
from sdgraph.project import Project


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
