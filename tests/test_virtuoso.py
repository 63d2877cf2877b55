"""The built graph published to a real OpenLink Virtuoso (Debian's ``virtuoso-opensource``)
through its Graph Store Protocol service, and every saved query answered by its SPARQL endpoint
with the same rows as the embedded store.

Virtuoso differs from ``oxigraph serve`` in ways the saved queries must survive: its default
graph is the union of every graph, and it holds system graphs of its own (so quads are counted
in sdgraph's graphs, by name).
"""

from __future__ import annotations

import pytest
from support import (
    REPO,
    assert_same_answer,
    case_id,
    fixture_query_cases,
    remote_count,
    running_virtuoso,
    saved_query_cases,
)

from sdgraph.cli import main
from sdgraph.project import Project
from sdgraph.publish.graph_store import GraphStoreClient, publish, remote_graphs
from sdgraph.query import list_queries, run_on_endpoint, run_query
from sdgraph.store import named_graphs, open_store

#: Saved query cases where Virtuoso answers differently because of a bug of its own, with why:
#: (query name, test id) -> reason.
VIRTUOSO_BUGS: dict[str, str] = {}


def marked(cases: list[tuple[str, dict[str, str]]]) -> list:
    """The cases as pytest parameters, a known Virtuoso bug marked as a strict xfail."""
    return [pytest.param(name, params, id=case_id(name, params),
                         marks=[pytest.mark.xfail(strict=True, reason=VIRTUOSO_BUGS[key])]
                         if (key := case_id(name, params)) in VIRTUOSO_BUGS else [])
            for name, params in cases]


@pytest.fixture(scope="module")
def published(built, virtuoso_server):
    """The shipped graph, built and published to Virtuoso twice through the CLI; the remote
    quad count after each publication."""
    project, report = built
    endpoint, graph_store = virtuoso_server
    graphs = named_graphs(open_store(project.store_path))
    counts = []
    for _ in range(2):
        args = ["--project", str(project.root), "publish", "--endpoint", endpoint,
                "--graph-store", graph_store]
        assert main(args) == 0
        counts.append(remote_count(endpoint, graphs))
    return project, report, endpoint, counts


def test_publishing_twice_gives_the_built_quads_both_times(published) -> None:
    project, report, endpoint, counts = published
    assert counts == [report.quads, report.quads]
    store = open_store(project.store_path)
    assert remote_graphs(endpoint, None, None) == named_graphs(store)


def test_the_endpoint_url_alone_finds_the_graph_store(published, capsys) -> None:
    project, report, endpoint, _ = published
    capsys.readouterr()
    assert main(["--project", str(project.root), "publish", "--endpoint", endpoint]) == 0
    assert "/sparql-graph-crud" in capsys.readouterr().out
    assert remote_count(endpoint, named_graphs(open_store(project.store_path))) == report.quads


def test_the_default_graph_is_the_union_of_the_graphs(published) -> None:
    """Unlike oxigraph serve: a query without GRAPH sees the published triples (and Virtuoso's
    own), which is why the saved queries name their graphs."""
    _, report, endpoint, _ = published
    _, rows = run_on_endpoint("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", endpoint)
    assert int(rows[0]["n"]["value"]) >= report.quads


def test_pruning_deletes_a_graph_the_build_no_longer_has(published, virtuoso_server) -> None:
    project, report, endpoint, _ = published
    graph_store = virtuoso_server[1]
    stale = "https://w3id.org/sdgraph/graph/data/contributions/removed.ttl"
    body = b"<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n"
    GraphStoreClient(graph_store).put(stale, body)
    graphs = named_graphs(open_store(project.store_path))
    assert remote_count(endpoint, [*graphs, stale]) == report.quads + 1
    result = publish(open_store(project.store_path), graph_store, prune_with=endpoint)
    assert result.removed == [stale]
    assert remote_graphs(endpoint, None, None) == graphs
    assert remote_count(endpoint, [*graphs, stale]) == report.quads


@pytest.mark.parametrize(("name", "params"), marked(saved_query_cases(Project(REPO))))
def test_saved_query_gives_the_same_rows_on_virtuoso(published, name, params) -> None:
    project, _, endpoint, _ = published
    assert_same_answer(project, name, params, open_store(project.store_path), endpoint)


@pytest.fixture(scope="module")
def fixture_on_virtuoso(query_fixture_store, tmp_path_factory):
    """A second Virtuoso holding the small query fixture, whose labels are missing in Spanish
    here and there, so that every fallback to English is compared too."""
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso-fixture")) as urls:
        endpoint, graph_store = urls
        publish(query_fixture_store, graph_store)
        yield endpoint


@pytest.mark.parametrize(("name", "params"), marked(fixture_query_cases(Project(REPO))))
def test_saved_query_gives_the_same_rows_on_virtuoso_for_the_fixture(
        query_fixture_store, fixture_on_virtuoso, name, params) -> None:
    assert_same_answer(Project(REPO), name, params, query_fixture_store, fixture_on_virtuoso)


LIMIT = 10


@pytest.fixture(scope="module")
def limited(built, tmp_path_factory):
    """A second Virtuoso that answers at most LIMIT rows a query, with the built graph."""
    project, _ = built
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso-limited"), max_rows=LIMIT) as urls:
        endpoint, graph_store = urls
        assert main(["--project", str(project.root), "publish", "--endpoint", endpoint,
                     "--graph-store", graph_store]) == 0
        yield project, endpoint


def test_an_answer_cut_at_the_row_limit_is_refused(limited, capsys) -> None:
    """Virtuoso cuts an answer at ResultSetMaxRows without an error; sdgraph notices the limit
    in the response header and refuses a possibly partial answer (exit 3), while an answer under
    the limit goes through."""
    project, endpoint = limited
    store = open_store(project.store_path)
    sizes = {query.name: len(run_query(query, store=store).rows)
             for query in list_queries(project)}
    short = min((n, name) for name, n in sizes.items() if 0 < n < LIMIT)[1]
    long = max((n, name) for name, n in sizes.items())[1]
    assert sizes[long] > LIMIT
    args = ["--project", str(project.root), "query", "--endpoint", endpoint]
    capsys.readouterr()
    assert main([*args, short, "--format", "csv"]) == 0
    assert len(capsys.readouterr().out.strip().splitlines()) == sizes[short] + 1
    assert main([*args, long]) == 3
    error = capsys.readouterr().err
    assert f"answered {LIMIT} rows, its limit per query (X-SPARQL-MaxRows: {LIMIT})" in error
    assert "ResultSetMaxRows" in error
