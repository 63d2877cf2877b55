"""A built project whose store holds hostile data, and a server on it started in a working
folder that holds files named like saved queries.

The hostile triples are written into the built store directly rather than through a
contribution file: the shapes refuse unsafe IRI schemes at the door, and the pages must stay
safe whatever the store holds (an older store, a store built by another tool).
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from hostile_data import SECRET, hostile_quads
from support import add_fixture_contributions, copy_project, running_server

from sdgraph.build import build
from sdgraph.project import Project


@pytest.fixture(scope="session")
def hostile_project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The shipped project plus the publishing fixtures, built, with hostile triples added to
    the store afterwards."""
    project = copy_project(tmp_path_factory.mktemp("hostile"))
    add_fixture_contributions(project)
    build(project, check_consistency=False)
    store = ox.Store(str(project.store_path))
    store.extend(hostile_quads())
    store.flush()
    del store
    return project


@pytest.fixture(scope="session")
def working_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder the server is started in: a query file and dot files of the kind a user's
    folder holds, none of which the server may show or run."""
    folder = tmp_path_factory.mktemp("cwd")
    query = f"# title@en: {SECRET}\nSELECT ?s WHERE {{ ?s ?p ?o }} LIMIT 1 # {SECRET}\n"
    for name in ("stolen.rq", "stolen", ".netrc", "pyproject.toml"):
        (folder / name).write_text(query, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def hostile_server(hostile_project: Project, working_folder: Path):
    """``sdgraph serve --project ELSEWHERE`` started in ``working_folder``."""
    yield from running_server(hostile_project, cwd=working_folder)
