"""The built graph published to a real SPARQL server (`oxigraph serve`, no union default graph)
answers every saved query with the same rows as the embedded store."""

from __future__ import annotations

import urllib.request

import pytest
from support import COUNT_QUADS, assert_same_answer, remote_count, saved_query_cases

from sdgraph.cli import main
from sdgraph.errors import EnvironmentNotReady
from sdgraph.publish.graph_store import guess_graph_store, publish
from sdgraph.query import run_on_endpoint
from sdgraph.store import named_graphs, open_store


@pytest.fixture(scope="module")
def published(built, sparql_server):
    """The shipped graph, built and published twice through the CLI."""
    project, report = built
    for _ in range(2):
        assert main(["--project", str(project.root), "publish", "--endpoint", sparql_server]) == 0
    return project, report, sparql_server


def test_publishing_twice_replaces_and_never_duplicates(published) -> None:
    project, report, endpoint = published
    assert remote_count(endpoint) == report.quads
    store = open_store(project.store_path)
    publish(store, guess_graph_store(endpoint))
    assert remote_count(endpoint) == report.quads
    _, rows = run_on_endpoint("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", endpoint)
    assert sorted(row["g"]["value"] for row in rows) == named_graphs(store)


def test_the_server_has_no_union_default_graph(published) -> None:
    _, _, endpoint = published
    _, rows = run_on_endpoint("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", endpoint)
    assert rows[0]["n"]["value"] == "0"


def test_every_saved_query_gives_the_same_rows_on_the_server(published) -> None:
    project, _, endpoint = published
    store = open_store(project.store_path)
    for name, params in saved_query_cases(project):
        assert_same_answer(project, name, params, store, endpoint)


def test_the_cli_reads_the_endpoint(published, capsys) -> None:
    project, _, endpoint = published
    capsys.readouterr()
    args = ["--project", str(project.root), "query", "edition-completeness", "--format", "csv"]
    assert main(args) == 0
    local = capsys.readouterr().out
    assert main([*args, "--endpoint", endpoint]) == 0
    assert capsys.readouterr().out == local
    assert local.startswith("year,reportedCities,namedCities,percent,")


def test_pruning_removes_graphs_the_build_no_longer_has(published) -> None:
    project, report, endpoint = published
    graph_store = guess_graph_store(endpoint)
    stale = "https://w3id.org/sdgraph/graph/data/contributions/removed.ttl"
    body = b"<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n"
    request = urllib.request.Request(f"{graph_store}?graph={stale}", data=body, method="PUT",
                                     headers={"Content-Type": "application/n-triples"})
    urllib.request.urlopen(request).close()
    assert remote_count(endpoint) == report.quads + 1
    result = publish(open_store(project.store_path), graph_store, prune_with=endpoint)
    assert result.removed == [stale]
    assert remote_count(endpoint) == report.quads


def test_an_unreachable_store_is_exit_3(built, capsys) -> None:
    project, _ = built
    code = main(["--project", str(project.root), "publish", "--endpoint",
                 "http://127.0.0.1:9/query"])
    assert code == 3
    assert "cannot reach" in capsys.readouterr().err
    with pytest.raises(EnvironmentNotReady):
        run_on_endpoint(COUNT_QUADS, "http://127.0.0.1:9/query")


@pytest.mark.parametrize(("endpoint", "graph_store"), [
    ("http://localhost:7878/query", "http://localhost:7878/store"),
    ("http://localhost:3030/sdgraph/sparql", "http://localhost:3030/sdgraph/data"),
    ("http://localhost:3030/sdgraph/query", "http://localhost:3030/sdgraph/data"),
    ("http://localhost:7200/repositories/sdgraph",
     "http://localhost:7200/repositories/sdgraph/rdf-graphs/service"),
    ("http://localhost:8890/sparql", "http://localhost:8890/sparql-graph-crud"),
])
def test_graph_store_urls_of_known_stores(endpoint: str, graph_store: str) -> None:
    assert guess_graph_store(endpoint) == graph_store


def test_a_url_that_is_not_the_query_endpoint_is_named_as_such(published, capsys) -> None:
    """The server's root instead of its /query: exit 3, the HTTP status and what the server
    said, and where the query endpoint usually is; no library traceback or repr."""
    project, _, endpoint = published
    root = endpoint.rsplit("/", 1)[0] + "/"
    capsys.readouterr()
    code = main(["--project", str(project.root), "query", "edition-completeness",
                 "--endpoint", root])
    error = capsys.readouterr().err
    assert code == 3
    assert f"{root} answered HTTP 404 Not Found: " in error
    assert "is this the SPARQL query endpoint of the store? (Oxigraph: /query" in error
    assert "b'" not in error and "EndPointNotFound" not in error


def test_a_query_the_server_cannot_parse_is_bad_input(published, tmp_path, capsys) -> None:
    project, _, endpoint = published
    broken = tmp_path / "broken.rq"
    broken.write_text("SELECT ?s WHERE { ?s ?p }\n", encoding="utf-8")
    capsys.readouterr()
    code = main(["--project", str(project.root), "query", str(broken), "--endpoint", endpoint])
    assert code == 2
    assert "refused the query as malformed (HTTP 400): " in capsys.readouterr().err


def test_a_value_naming_nothing_is_refused_on_the_endpoint_too(published, capsys) -> None:
    project, _, endpoint = published
    capsys.readouterr()
    code = main(["--project", str(project.root), "query", "practices-for-sdg", "-p", "sdg=11.9",
                 "--endpoint", endpoint])
    assert code == 2
    assert "'11.9' names nothing in the graph" in capsys.readouterr().err
