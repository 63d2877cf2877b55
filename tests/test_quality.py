"""Repository checks that run with the tests: lint, and every shipped RDF file parses."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from conftest import REPO

from sdgraph.load import parse_file
from sdgraph.project import Project


def test_ruff_is_clean() -> None:
    ruff = shutil.which("ruff") or shutil.which("ruff", path=str(REPO / ".venv" / "bin"))
    command = [ruff] if ruff else [sys.executable, "-m", "ruff"]
    folders = [f for f in ("src", "tests", "scripts", "benchmarks") if (REPO / f).is_dir()]
    result = subprocess.run([*command, "check", *folders], cwd=REPO, capture_output=True,
                            text=True)
    if "No module named ruff" in result.stderr:
        pytest.fail("ruff is not installed: install the test extra (pip install -e '.[test]')")
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_shipped_rdf_file_parses() -> None:
    project = Project(REPO)
    files = [p for p in project.source_files() if ".sdgraph" not in p.parts]
    assert files
    for path in files:
        assert len(parse_file(path, project.graph_name(path))) > 0, path
