"""Shared fixtures: the repository as a project, and a built copy of it."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import (
    REPO,
    TEST_DATA,
    add_fixture_contributions,
    copy_project,
    free_port,
    oxigraph_binary,
    running_server,
    running_virtuoso,
    wait_for_sparql,
)

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


# ------------------------------------------------------------------------------------------------
# Saved queries: a small fixture graph, and a real SPARQL server
# ------------------------------------------------------------------------------------------------

QUERY_FIXTURE = TEST_DATA / "queries-fixture"
#: The parts of the project the query fixture is laid on (its own editions and records replace
#: data/study and data/contributions).
FIXTURE_BASE = ("ontology", "data/sdg", "data/axes", "data/places")


@pytest.fixture(scope="session")
def query_fixture_store():
    """The query fixture in an in-memory store: each fixture file in a named graph of its own,
    over the ontology, SDG skeleton, axes and countries, with the rules materialised."""
    from sdgraph.build import assemble
    from sdgraph.load import parse_file
    from sdgraph.namespaces import GRAPH

    project = Project(REPO)
    base = [path for folder in FIXTURE_BASE for path in sorted((REPO / folder).rglob("*.ttl"))]
    loaded = [parse_file(path, project.graph_name(path)) for path in base]
    loaded += [parse_file(path, f"{GRAPH}test/queries-fixture/{path.name}")
               for path in sorted(QUERY_FIXTURE.glob("*.ttl"))]
    store, _ = assemble(project, loaded)
    return store


@pytest.fixture(scope="session")
def sparql_server(tmp_path_factory: pytest.TempPathFactory):
    """A real ``oxigraph serve`` on a free loopback port, default settings (no union default
    graph), storing in a temporary folder; yields its query endpoint URL, stops at the end."""
    import subprocess

    port = free_port()
    folder = tmp_path_factory.mktemp("oxigraph")
    log = (folder.parent / "oxigraph.log").open("wb")
    server = subprocess.Popen(
        [oxigraph_binary(), "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}"],
        stdout=log, stderr=subprocess.STDOUT)
    endpoint = f"http://127.0.0.1:{port}/query"
    try:
        wait_for_sparql(endpoint, server, 30,
                        lambda: f"oxigraph serve did not start (see {log.name})")
        yield endpoint
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory):
    """A Virtuoso for the session (see :func:`running_virtuoso`)."""
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso")) as urls:
        yield urls


# -- publishing: a built project with fixture contributions, and a running server ----------------

@pytest.fixture(scope="session")
def publish_project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The shipped project plus the publishing fixtures, built (without the HermiT check)."""
    project = copy_project(tmp_path_factory.mktemp("publish"))
    add_fixture_contributions(project)
    build(project, check_consistency=False)
    return project


@pytest.fixture(scope="session")
def server(publish_project: Project):
    """The server as users start it: answers from copies of the store held in memory."""
    yield from running_server(publish_project)


@pytest.fixture(scope="session")
def disk_server(publish_project: Project):
    """The server started with --on-disk: answers from the on-disk store."""
    yield from running_server(publish_project, "--on-disk")
