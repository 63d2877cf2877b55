"""Push the built graph to a triplestore with the SPARQL 1.1 Graph Store HTTP Protocol.

Each named graph of the store is sent with one ``PUT <graph store>?graph=<name>`` whose body is
the graph in N-Triples: a PUT replaces the graph, so publishing again replaces what the previous
run sent and never duplicates it. With ``prune``, the graphs under sdgraph's graph namespace that
the server still holds but the build no longer has (a contribution file that was removed) are
deleted with ``DELETE <graph store>?graph=<name>``.
"""

from __future__ import annotations

import base64
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..errors import EnvironmentNotReady, SdgraphError
from ..namespaces import GRAPH
from ..store import named_graphs

NTRIPLES = "application/n-triples"


@dataclass
class PublishReport:
    """What a publication sent: triples per graph, and the graphs it removed."""

    graph_store: str
    graphs: dict[str, int] = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)

    @property
    def triples(self) -> int:
        return sum(self.graphs.values())


def guess_graph_store(endpoint: str) -> str:
    """The Graph Store Protocol URL that usually goes with a query endpoint URL.

    Oxigraph: ``/query`` -> ``/store``; Fuseki: ``/DATASET/query`` or ``/DATASET/sparql`` ->
    ``/DATASET/data``; GraphDB: ``/repositories/ID`` -> ``/repositories/ID/rdf-graphs/service``;
    Virtuoso: ``/sparql`` -> ``/sparql-graph-crud``. Anything else must be given explicitly.
    """
    parts = urllib.parse.urlsplit(endpoint)
    path = parts.path.rstrip("/")
    segments = path.split("/")
    if path == "/query":
        new = "/store"
    elif path == "/sparql":
        new = "/sparql-graph-crud"
    elif len(segments) == 3 and segments[1] == "repositories":
        new = f"{path}/rdf-graphs/service"
    elif len(segments) >= 3 and segments[-1] in ("query", "sparql"):
        new = "/".join(segments[:-1]) + "/data"
    else:
        raise SdgraphError(f"cannot tell the graph store URL that goes with {endpoint}",
                           hint="give it with --graph-store (see docs/triplestores.md)")
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, new, "", ""))


def graph_url(graph_store: str, graph: str) -> str:
    """``graph_store?graph=<encoded graph IRI>`` (keeping any query string the URL has)."""
    separator = "&" if "?" in graph_store else "?"
    return f"{graph_store}{separator}graph={urllib.parse.quote(graph, safe='')}"


def graph_ntriples(store: ox.Store, graph: str) -> tuple[bytes, int]:
    """One named graph of the store as N-Triples, and its number of triples."""
    triples = [ox.Triple(q.subject, q.predicate, q.object)
               for q in store.quads_for_pattern(None, None, None, ox.NamedNode(graph))]
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"", len(triples)


class GraphStoreClient:
    """A small Graph Store Protocol client over urllib, with optional HTTP basic auth."""

    def __init__(self, graph_store: str, user: str | None = None, password: str | None = None,
                 timeout: float = 300) -> None:
        self.graph_store = graph_store
        self.timeout = timeout
        self.headers: dict[str, str] = {}
        if user is not None:
            token = base64.b64encode(f"{user}:{password or ''}".encode()).decode("ascii")
            self.headers["Authorization"] = f"Basic {token}"

    def request(self, method: str, graph: str, body: bytes | None = None) -> int:
        headers = dict(self.headers)
        if body is not None:
            headers["Content-Type"] = NTRIPLES
        request = urllib.request.Request(graph_url(self.graph_store, graph), data=body,
                                         headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.status
        except urllib.error.HTTPError as error:
            if method == "DELETE" and error.code == 404:
                return 404  # already gone
            detail = error.read(300).decode("utf-8", "replace").strip()
            hint = ("check --user and the password variable" if error.code in (401, 403)
                    else "is this the store's Graph Store Protocol URL? see docs/triplestores.md")
            raise EnvironmentNotReady(f"{method} {graph} at {self.graph_store}: HTTP "
                                      f"{error.code} {error.reason} {detail}".strip(),
                                      hint=hint) from error
        except (urllib.error.URLError, OSError) as error:
            raise EnvironmentNotReady(f"cannot reach the graph store {self.graph_store} "
                                      f"({error})", hint="is the triplestore running?") from error

    def put(self, graph: str, ntriples: bytes) -> int:
        return self.request("PUT", graph, ntriples)

    def delete(self, graph: str) -> int:
        return self.request("DELETE", graph)


def remote_graphs(endpoint: str, user: str | None, password: str | None) -> list[str]:
    """The named graphs a SPARQL endpoint holds under sdgraph's graph namespace."""
    from ..query import run_on_endpoint

    text = ("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
            f'FILTER(STRSTARTS(STR(?g), "{GRAPH}")) }}')
    _, rows = run_on_endpoint(text, endpoint, user, password)
    return sorted(row["g"]["value"] for row in rows if "g" in row)


def publish(store: ox.Store, graph_store: str, user: str | None = None,
            password: str | None = None, prune_with: str | None = None,
            progress: Callable[[str, int], None] | None = None) -> PublishReport:
    """PUT every named graph of ``store`` to ``graph_store``.

    ``prune_with``: a query endpoint of the same server; the sdgraph graphs it lists that the
    store lacks are deleted after the upload.
    """
    client = GraphStoreClient(graph_store, user, password)
    report = PublishReport(graph_store)
    for graph in named_graphs(store):
        body, count = graph_ntriples(store, graph)
        client.put(graph, body)
        report.graphs[graph] = count
        if progress:
            progress(graph, count)
    if prune_with:
        for graph in remote_graphs(prune_with, user, password):
            if graph not in report.graphs:
                client.delete(graph)
                report.removed.append(graph)
    return report
