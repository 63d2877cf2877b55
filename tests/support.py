"""Helpers shared by the tests: where the repository and the reference data are."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

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
