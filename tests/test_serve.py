"""`sdgraph serve` over real HTTP: content negotiation, the SPARQL 1.1 Protocol, escaping.

The server runs as a separate process (the `server` fixture) on a built copy of the project with
the fixture contributions; the client is httpx, a real HTTP client.
"""

from __future__ import annotations

import csv
import http.client
import io
import json
import xml.etree.ElementTree as ET

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Graph
from support import running_server

PRACTICE = "https://w3id.org/sdgraph/id/practice/bilbaoaccess"
PRACTICE_PATH = "/id/practice/bilbaoaccess"
SCRIPT_CITY_PATH = "/id/city/scriptville"
SDGR = "https://w3id.org/sdgraph/ontology#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def media(response: httpx.Response) -> str:
    return response.headers["content-type"].split(";")[0].strip()


@pytest.fixture(scope="module")
def client(server: str):
    with httpx.Client(base_url=server, timeout=30) as http:
        yield http


@pytest.mark.parametrize("accept,status,expected", [
    ("text/html", 200, "text/html"),
    ("text/turtle", 200, "text/turtle"),
    ("application/ld+json", 200, "application/ld+json"),
    ("application/n-triples", 200, "application/n-triples"),
    ("application/rdf+xml", 200, "application/rdf+xml"),
    ("*/*", 200, "text/html"),
    (None, 200, "text/html"),
    ("text/*", 200, "text/html"),
    ("application/*", 200, "application/ld+json"),
    ("text/turtle;q=0.5, application/ld+json;q=0.9", 200, "application/ld+json"),
    ("text/html;q=0.1, text/turtle", 200, "text/turtle"),
    ("text/turtle;q=0, */*;q=0.1", 200, "text/html"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", 200, "text/html"),
    ("application/n-triples, text/turtle;q=0.9, */*;q=0.1", 200, "application/n-triples"),
    ("image/png", 406, "text/plain"),
    ("application/json;q=1, text/html;q=0", 406, "text/plain"),
])
def test_negotiation(client: httpx.Client, accept: str | None, status: int,
                     expected: str) -> None:
    if accept is None:  # http.client, unlike httpx, sends no Accept header by itself
        connection = http.client.HTTPConnection(client.base_url.host, client.base_url.port)
        connection.request("GET", PRACTICE_PATH)
        raw = connection.getresponse()
        got = (raw.status, raw.getheader("content-type").split(";")[0], raw.getheader("vary"))
        connection.close()
    else:
        response = client.get(PRACTICE_PATH, headers={"Accept": accept})
        got = (response.status_code, media(response), response.headers["vary"])
    assert got[:2] == (status, expected)
    assert "Accept" in got[2]


@pytest.mark.parametrize("fmt,expected", [
    ("ttl", "text/turtle"), ("jsonld", "application/ld+json"),
    ("nt", "application/n-triples"), ("html", "text/html"),
])
def test_format_parameter_overrides_accept(client: httpx.Client, fmt: str, expected: str) -> None:
    response = client.get(PRACTICE_PATH, params={"format": fmt}, headers={"Accept": "image/png"})
    assert response.status_code == 200
    assert media(response) == expected


def test_unknown_format_and_unknown_iri(client: httpx.Client) -> None:
    assert client.get(PRACTICE_PATH, params={"format": "docx"}).status_code == 400
    for accept in ("text/turtle", "text/html", "application/ld+json"):
        response = client.get("/id/practice/no-such-practice", headers={"Accept": accept})
        assert response.status_code == 404
    assert client.get("/id/", headers={"Accept": "text/turtle"},
                      follow_redirects=True).status_code == 404


def test_turtle_of_a_practice_is_its_description(client: httpx.Client,
                                                  publish_project) -> None:
    response = client.get(PRACTICE_PATH, headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=response.text, format="turtle")
    subjects = {str(s) for s in graph.subjects()}
    assert subjects == {PRACTICE}
    store = ox.Store.read_only(str(publish_project.store_path))
    expected = {(q.predicate.value, str(q.object)) for q in
                store.quads_for_pattern(ox.NamedNode(PRACTICE), None, None, None)}
    served = set(ox.parse(response.content, ox.RdfFormat.TURTLE))
    assert {(t.predicate.value, str(t.object)) for t in served} == expected
    assert (PRACTICE, SDGR + "city", "https://w3id.org/sdgraph/id/city/bilbao") in {
        (str(s), str(p), str(o)) for s, p, o in graph}


def test_json_ld_of_a_practice_has_a_context_and_the_same_triples(client: httpx.Client) -> None:
    turtle = client.get(PRACTICE_PATH, headers={"Accept": "text/turtle"})
    response = client.get(PRACTICE_PATH, headers={"Accept": "application/ld+json"})
    document = response.json()
    assert document["@context"]["sdgr"] == SDGR
    from_jsonld = Graph().parse(data=response.text, format="json-ld")
    from_turtle = Graph().parse(data=turtle.text, format="turtle")
    assert len(from_jsonld) == len(from_turtle) > 5
    assert set(from_jsonld) == set(from_turtle)


def test_n_triples_and_html_of_a_practice(client: httpx.Client) -> None:
    nt = client.get(PRACTICE_PATH, headers={"Accept": "application/n-triples"})
    assert all(line.startswith(f"<{PRACTICE}>") for line in nt.text.splitlines() if line)
    html = client.get(PRACTICE_PATH, headers={"Accept": "text/html"})
    assert "<h1>" in html.text and "BilbaoAccess" in html.text
    assert 'href="/id/city/bilbao"' in html.text
    assert 'href="http://metadata.un.org/sdg/11"' in html.text  # the UN IRI itself
    assert 'href="/sdg/11"' in html.text


def test_spanish_labels_by_accept_language_and_switch(client: httpx.Client) -> None:
    path = "/id/axes/2023/smart-governance"
    english = client.get(path, headers={"Accept": "text/html", "Accept-Language": "en"})
    spanish = client.get(path, headers={"Accept": "text/html",
                                        "Accept-Language": "es-ES,es;q=0.9,en;q=0.5"})
    assert '<span id="title">Smart Governance</span>' in english.text
    assert '<span id="title">Gobernanza inteligente</span>' in spanish.text
    switched = client.get(path, params={"lang": "es"}, headers={"Accept": "text/html"})
    assert '<span id="title">Gobernanza inteligente</span>' in switched.text
    assert switched.cookies.get("lang") == "es"
    client.cookies.clear()


def test_ontology_dereferences(client: httpx.Client) -> None:
    turtle = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200 and media(turtle) == "text/turtle"
    graph = Graph().parse(data=turtle.text, format="turtle")
    assert len(list(graph.subjects())) > 50
    html = client.get("/ontology", headers={"Accept": "text/html"})
    assert html.status_code == 200 and "Practice" in html.text


def test_links_into_the_ontology_page_find_their_term(client: httpx.Client) -> None:
    """Resource pages link a class, property or individual of the ontology to
    /ontology#LocalName: the documentation has an element with that id for each, and its
    headings are in one language."""
    import re

    html = client.get("/ontology", headers={"Accept": "text/html"}).text
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    linked: set[str] = set()
    for path in ("/id/city/bilbao", "/id/practice/bilbaoaccess", "/id/participation/2012-bilbao",
                 "/id/edition/2023"):
        page = client.get(path, headers={"Accept": "text/html"})
        assert page.status_code == 200, path
        linked |= set(re.findall(r'href="/ontology#([^"]+)"', page.text))
    assert {"City", "Participation", "Confirmed", "reportedIn"} <= linked
    assert linked <= ids, sorted(linked - ids)
    assert "participaciónparticipation" not in html


def test_markup_in_labels_is_escaped(client: httpx.Client) -> None:
    page = client.get(SCRIPT_CITY_PATH, headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    practice = client.get("/id/practice/script-practice", headers={"Accept": "text/html"})
    assert "<img src=x" not in practice.text and "<b>bold</b>" not in practice.text
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;i&gt;unsafe&lt;/i&gt;" in practice.text
    found = client.get("/search", params={"q": "script"})
    assert "<script>alert" not in found.text and "&lt;script&gt;alert(1)" in found.text
    reflected = client.get("/search", params={"q": "<script>alert(3)</script>"})
    assert "<script>alert(3)" not in reflected.text


def test_home_page_has_editions_and_coloured_coverage(client: httpx.Client) -> None:
    page = client.get("/", headers={"Accept": "text/html"})
    assert page.status_code == 200
    for year in ("2012", "2017", "2019", "2021", "2023"):
        assert f'id="edition-{year}"' in page.text
    assert 'fill="#FD9D24"' in page.text  # goal 11's official colour
    assert page.text.count("<svg") == 5


def test_home_page_counts_one_practice_in_the_singular(client: httpx.Client) -> None:
    import re

    for lang, one, many in (("en", "practice", "practices"), ("es", "práctica", "prácticas")):
        page = client.get("/", headers={"Accept": "text/html", "Accept-Language": lang}).text
        counts = re.findall(r": (\d+) (\w+)</title>", page)
        assert ("1", one) in counts, lang
        assert all(word == (one if number == "1" else many) for number, word in counts), lang


def test_search_ignores_case_and_accents(client: httpx.Client) -> None:
    page = client.get("/search", params={"q": "GOBERNANZA"})
    assert "/id/axes/2023/smart-governance" in page.text
    assert "No results" in client.get("/search", params={"q": "zzzqqq"}).text


# -- SPARQL 1.1 Protocol --------------------------------------------------------------------

SELECT = ("PREFIX sdgr: <https://w3id.org/sdgraph/ontology#> SELECT ?e WHERE "
          "{ ?e a sdgr:StudyEdition } ORDER BY ?e")
EDITIONS = [f"https://w3id.org/sdgraph/id/edition/{y}" for y in (2012, 2017, 2019, 2021, 2023)]


def test_select_as_json_get_and_post(client: httpx.Client) -> None:
    accept = {"Accept": "application/sparql-results+json"}
    answers = [
        client.get("/sparql", params={"query": SELECT}, headers=accept),
        client.post("/sparql", data={"query": SELECT}, headers=accept),
        client.post("/sparql", content=SELECT.encode(),
                    headers={**accept, "Content-Type": "application/sparql-query"}),
    ]
    for response in answers:
        assert response.status_code == 200
        assert media(response) == "application/sparql-results+json"
        rows = response.json()["results"]["bindings"]
        assert [row["e"]["value"] for row in rows] == EDITIONS


def test_select_as_xml_csv_tsv(client: httpx.Client) -> None:
    xml = client.get("/sparql", params={"query": SELECT},
                     headers={"Accept": "application/sparql-results+xml"})
    assert media(xml) == "application/sparql-results+xml"
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    assert [u.text for u in ET.fromstring(xml.content).findall(".//r:uri", ns)] == EDITIONS
    table = client.get("/sparql", params={"query": SELECT}, headers={"Accept": "text/csv"})
    assert media(table) == "text/csv"
    assert list(csv.reader(io.StringIO(table.text))) == [["e"]] + [[e] for e in EDITIONS]
    tsv = client.get("/sparql", params={"query": SELECT},
                     headers={"Accept": "text/tab-separated-values"})
    assert tsv.text.splitlines() == ["?e"] + [f"<{e}>" for e in EDITIONS]


def test_ask(client: httpx.Client) -> None:
    yes = client.get("/sparql", params={"query": f"ASK {{ <{PRACTICE}> ?p ?o }}"})
    assert media(yes) == "application/sparql-results+json" and yes.json()["boolean"] is True
    no = client.get("/sparql", params={"query": "ASK { <urn:x:none> ?p ?o }"},
                    headers={"Accept": "application/sparql-results+xml"})
    assert "<boolean>false</boolean>" in no.text


def test_construct_and_describe(client: httpx.Client) -> None:
    query = f"CONSTRUCT {{ <{PRACTICE}> ?p ?o }} WHERE {{ <{PRACTICE}> ?p ?o }}"
    turtle = client.post("/sparql", data={"query": query}, headers={"Accept": "text/turtle"})
    assert media(turtle) == "text/turtle"
    graph = Graph().parse(data=turtle.text, format="turtle")
    assert {str(s) for s in graph.subjects()} == {PRACTICE}
    jsonld = client.get("/sparql", params={"query": query},
                        headers={"Accept": "application/ld+json"})
    assert media(jsonld) == "application/ld+json"
    assert set(Graph().parse(data=jsonld.text, format="json-ld")) == set(graph)
    described = client.get("/sparql", params={"query": f"DESCRIBE <{PRACTICE}>"},
                           headers={"Accept": "text/turtle"})
    assert PRACTICE in {str(s) for s in Graph().parse(data=described.text,
                                                      format="turtle").subjects()}


def test_updates_are_refused(client: httpx.Client, publish_project) -> None:
    update = 'INSERT DATA { <urn:x:a> <urn:x:b> "c" }'
    assert client.post("/sparql", data={"update": update}).status_code == 403
    assert client.post("/sparql", content=update.encode(),
                       headers={"Content-Type": "application/sparql-update"}).status_code == 403
    assert client.post("/sparql", data={"query": update}).status_code == 403
    assert client.get("/sparql", params={"query": "PREFIX x: <urn:x:>\nDELETE WHERE { ?s ?p ?o }"}
                      ).status_code == 403
    ask = client.get("/sparql", params={"query": "ASK { <urn:x:a> ?p ?o }"})
    assert ask.json()["boolean"] is False


def test_bad_query_and_bad_type(client: httpx.Client) -> None:
    assert client.get("/sparql", params={"query": "SELECT WHERE {"}).status_code == 400
    assert client.get("/sparql", params={"query": SELECT},
                      headers={"Accept": "image/png"}).status_code == 406
    assert client.post("/sparql", content=b"x", headers={"Content-Type": "text/plain"}
                       ).status_code == 415


def test_result_limit_cuts_and_says_so(client: httpx.Client) -> None:
    # The fixture server allows 50 rows.
    response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert response.status_code == 200
    assert len(response.json()["results"]["bindings"]) == 50
    assert response.headers["sdgraph-result-truncated"] == "true"
    small = client.get("/sparql", params={"query": SELECT})
    assert "sdgraph-result-truncated" not in small.headers


def test_time_limit_stops_a_runaway_query_and_the_server_goes_on(client: httpx.Client) -> None:
    # The fixture server allows 3 s; a count over a triple cross product never ends in time.
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    response = client.get("/sparql", params={"query": runaway})
    assert response.status_code == 503
    assert "time limit" in response.text
    after = client.get("/sparql", params={"query": SELECT})
    assert after.status_code == 200 and len(after.json()["results"]["bindings"]) == 5


# -- saved queries --------------------------------------------------------------------------

def test_saved_queries_page_lists_every_query(client: httpx.Client, publish_project) -> None:
    from sdgraph.query import list_queries

    page = client.get("/queries")
    for query in list_queries(publish_project):
        assert f'data-query="{query.name}"' in page.text


def test_saved_query_runs_with_parameters(client: httpx.Client) -> None:
    page = client.get("/queries/practices-for-sdg", params={"sdg": "11.2", "run": "1"})
    assert page.status_code == 200
    assert 'id="results"' in page.text and "BilbaoAccess" in page.text
    data = client.get("/queries/practices-for-sdg", params={"sdg": "11.2"},
                      headers={"Accept": "application/sparql-results+json"})
    practices = {row["practice"]["value"] for row in data.json()["results"]["bindings"]}
    assert PRACTICE in practices
    assert "https://w3id.org/sdgraph/id/practice/tiny-bikes" in practices
    other = client.get("/queries/practices-for-sdg", params={"sdg": "3", "format": "json"})
    assert PRACTICE not in {row["practice"]["value"]
                            for row in other.json()["results"]["bindings"]}


def test_saved_query_with_a_bad_parameter_says_why(client: httpx.Client) -> None:
    page = client.get("/queries/practices-for-sdg", params={"sdg": "99", "run": "1"})
    assert page.status_code == 400 and 'id="error"' in page.text
    assert client.get("/queries/no-such-query").status_code == 404


def test_saved_query_with_a_value_naming_nothing_says_so(client: httpx.Client) -> None:
    """An edition that does not exist would give every goal a zero: refused, with why."""
    page = client.get("/queries/goal-change", params={"from": "1999", "run": "1"})
    assert page.status_code == 400 and 'id="error"' in page.text
    data = client.get("/queries/goal-change", params={"from": "1999", "format": "csv"})
    assert data.status_code == 400
    assert "parameter from: '1999' names nothing in the graph" in data.text


def test_sparql_form_page(client: httpx.Client) -> None:
    page = client.get("/sparql", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "<textarea" in page.text
    json.loads(client.get("/sparql", params={"query": SELECT, "format": "json"}).text)


@pytest.mark.parametrize("path,accept", [
    ("/sparql?query=" + "SELECT%20(COUNT(*)%20AS%20%3Fn)%20WHERE%20%7B%20GRAPH%20%3Fg%20%7B%20%3Fs"
     "%20%3Fp%20%3Fo%20%7D%20%7D", "application/sparql-results+json"),
    ("/id/city/bilbao", "text/turtle"),
    ("/queries/practices-per-goal?edition=2023", "text/csv"),
])
def test_on_disk_server_answers_as_the_in_memory_one(server: str, disk_server: str, path: str,
                                                      accept: str) -> None:
    answers = [httpx.get(base + path, headers={"Accept": accept}, timeout=30)
               for base in (server, disk_server)]
    assert [a.status_code for a in answers] == [200, 200]
    assert answers[0].text == answers[1].text and answers[0].text


def test_sdgraph_query_refuses_an_answer_the_server_cut(publish_project,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """`sdgraph serve --limit 3` cuts longer answers and says so in a header; `sdgraph query
    --endpoint` on it refuses such an answer (exit 3) and takes a short one."""
    from sdgraph.cli import main
    from sdgraph.query import list_queries, run_query
    from sdgraph.store import open_store

    store = open_store(publish_project.store_path)
    sizes = {query.name: len(run_query(query, store=store).rows)
             for query in list_queries(publish_project)}
    del store
    short = next(name for name, rows in sorted(sizes.items()) if 0 < rows <= 3)
    long = next(name for name, rows in sorted(sizes.items()) if rows > 3)
    for url in running_server(publish_project, "--limit", "3"):
        args = ["--project", str(publish_project.root), "query", "--endpoint", url + "/sparql"]
        capsys.readouterr()
        assert main([*args, short]) == 0
        assert main([*args, long]) == 3
        assert "where it cut the answer (Sdgraph-Result-Truncated)" in capsys.readouterr().err


def test_a_port_in_use_is_an_error_before_anything_is_announced(fresh_project, capsys) -> None:
    import socket

    from sdgraph.cli import main

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code = main(["--project", str(fresh_project.root), "serve", "--port", str(port)])
    out, err = capsys.readouterr()
    assert code == 3
    assert f"cannot listen on 127.0.0.1:{port}: another program uses that port" in err
    assert "choose another port with --port" in err
    assert "Serving" not in out


def test_a_missing_store_is_an_error_before_anything_is_announced(fresh_project, capsys) -> None:
    from support import free_port

    from sdgraph.cli import main

    code = main(["--project", str(fresh_project.root), "serve", "--port", str(free_port())])
    out, err = capsys.readouterr()
    assert code == 3
    assert "no store at" in err and "run `sdgraph build` first" in err
    assert "Serving" not in out


# -- robustness: odd addresses, bounded memory, one address per page, 404 pages ------------------

def raw_get(client: httpx.Client, path: str, accept: str | None) -> tuple[int, str, bytes]:
    """GET ``path`` byte for byte (no client-side normalisation of its percent-escapes)."""
    connection = http.client.HTTPConnection(client.base_url.host, client.base_url.port,
                                            timeout=30)
    connection.request("GET", path, headers={"Accept": accept} if accept else {})
    answer = connection.getresponse()
    got = (answer.status, (answer.getheader("content-type") or "").split(";")[0],
           answer.read())
    connection.close()
    return got


NOT_IRIS = ["/id/city/%3Cscript%3E"] + [f"/id/city/a{escape}b" for escape in (
    "%20", "%22", "%3E", "%7B", "%7C", "%5E", "%60", "%25", "%00", "%FF")] + ["/sdg/a%20b"]


@pytest.mark.parametrize("path", NOT_IRIS)
def test_a_path_that_decodes_to_no_iri_is_404(client: httpx.Client, path: str) -> None:
    for accept in ("text/html", "text/turtle", "application/ld+json", "*/*", None):
        status, kind, body = raw_get(client, path, accept)
        assert status == 404, (path, accept)
        assert kind == ("text/html" if accept in ("text/html", "*/*", None) else "text/plain")
    status, kind, body = raw_get(client, path, "text/html")
    assert b"<script>" not in body and b"Not found" in body


def test_unknown_iris_are_not_remembered_and_caches_are_bounded(publish_project) -> None:
    from sdgraph.publish.server import LRU, Settings, Site

    site = Site(publish_project, Settings(workers=1))  # no worker starts until the app does
    try:
        for number in range(2000):
            assert not site.known(f"https://w3id.org/sdgraph/id/city/nowhere-{number}")
        assert len(site._known) == 0
        site._known = LRU(3)
        resources = site.view.resources()[:10]
        assert all(site.known(iri) for iri in resources) and len(resources) == 10
        assert len(site._known) == 3
        for iri in resources:
            site.representation(iri, "text/turtle", "", lambda iri=iri: site.view.serialize(
                iri, "ttl"))
        assert len(site._cache) == 10
        snapshot = site.snapshot
        assert snapshot.is_dir() and snapshot.parent != publish_project.store_path.parent
    finally:
        site.close()
    assert not snapshot.parent.exists()


def test_lru_keeps_to_its_entries_and_bytes() -> None:
    from sdgraph.publish.server import LRU

    cache: LRU[str, bytes] = LRU(entries=5, budget=100, size=len)
    for number in range(50):
        cache.put(str(number), b"x" * 20)
        assert len(cache) <= 5 and cache.bytes <= 100
    assert cache.get("49") == b"x" * 20 and cache.get("0") is None
    cache.put("big", b"x" * 26)  # more than a quarter of the budget: not kept
    assert cache.get("big") is None
    cache.get("45")  # used, so kept when the next value comes
    cache.put("new", b"x" * 20)
    assert cache.get("45") is not None and cache.get("46") is None


@pytest.mark.parametrize("path", ["/ontology/9.9.9", "/ontology/foo/bar", "/ontology/%3C"])
def test_unknown_ontology_sub_paths_are_404(client: httpx.Client, path: str) -> None:
    assert raw_get(client, path, "text/turtle")[0] == 404
    assert raw_get(client, path, "text/html")[:2] == (404, "text/html")


def test_the_ontology_version_iri_is_served(client: httpx.Client) -> None:
    import re

    turtle = client.get("/ontology", headers={"Accept": "text/turtle"}).text
    version = re.search(r"versionIRI <https://w3id\.org/sdgraph(/ontology/[^>]+)>", turtle)
    assert version, "the ontology has no owl:versionIRI"
    answer = client.get(version.group(1), headers={"Accept": "text/turtle"})
    assert answer.status_code == 200 and answer.text == turtle


def internal_links(html: str) -> set[str]:
    import re

    return {href.split("#")[0] for href in re.findall(r'href="(/[^"]*)"', html)
            if not href.startswith("//")}


@pytest.mark.parametrize("start", ["/sdg/11", "/sdg/11.2", PRACTICE_PATH, "/id/city/bilbao"])
def test_every_internal_link_of_a_page_answers(client: httpx.Client, start: str) -> None:
    import html as html_module

    page = client.get(start, headers={"Accept": "text/html"})
    assert page.status_code == 200
    links = {html_module.unescape(link) for link in internal_links(page.text)}
    assert len(links) > 3
    assert not any(link.startswith("/sdg/ontology") for link in links)
    broken = {}
    for link in sorted(links):
        answer = client.get(link, headers={"Accept": "text/html"})
        if answer.status_code >= 400:
            broken[link] = answer.status_code
    client.cookies.clear()
    assert broken == {}


def test_un_ontology_terms_link_to_their_own_iris(client: httpx.Client) -> None:
    page = client.get("/sdg/11", headers={"Accept": "text/html"}).text
    assert 'href="http://metadata.un.org/sdg/ontology#' in page


@pytest.mark.parametrize("path,target", [
    ("/id/city/bilbao/", "/id/city/bilbao"),
    ("/id/city/bilbao/?format=ttl", "/id/city/bilbao?format=ttl"),
    ("/sdg/11/", "/sdg/11"),
    ("/queries/", "/queries"),
    ("/id/", "/id"),
    ("//evil.example/", "/evil.example"),
])
def test_a_trailing_slash_is_redirected_away(client: httpx.Client, path: str,
                                             target: str) -> None:
    connection = http.client.HTTPConnection(client.base_url.host, client.base_url.port)
    connection.request("GET", path)
    answer = connection.getresponse()
    got = (answer.status, answer.getheader("location"))
    connection.close()
    assert got == (308, target)


@pytest.mark.parametrize("path", ["/id", "/sdg", "/queries/nope", "/robots.txt",
                                  "/sdg/99.99", "/ontology/foo"])
def test_404_is_the_same_html_page_for_browsers_and_text_for_others(client: httpx.Client,
                                                                   path: str) -> None:
    browser = client.get(path, headers={"Accept": "text/html", "Accept-Language": "es"})
    assert (browser.status_code, media(browser)) == (404, "text/html")
    assert "<h1>No encontrado</h1>" in browser.text
    other = client.get(path, headers={"Accept": "text/plain"})
    assert (other.status_code, media(other)) == (404, "text/plain")


def test_a_replacement_worker_answers_from_the_data_the_server_started_with(
        publish_project, tmp_path) -> None:
    """A worker killed after a timeout is replaced by one that reads the snapshot taken at
    start, not the store as rebuilt since."""
    import shutil

    from sdgraph.project import Project
    from sdgraph.publish import endpoint
    from sdgraph.publish.server import Settings, Site

    project = Project(tmp_path)
    shutil.copytree(publish_project.store_path, project.store_path)
    count = endpoint.Request(accept="application/sparql-results+json",
                             query="SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")

    def triples(site: Site) -> int:
        answer = site.pool.run(count)
        assert answer.status == 200, answer.body
        return int(json.loads(answer.body)["results"]["bindings"][0]["n"]["value"])

    site = Site(project, Settings(workers=1, timeout=1))
    site.pool.start()
    try:
        before = triples(site)
        rebuilt = ox.Store(str(project.store_path))  # the store changes on disk meanwhile
        rebuilt.add(ox.Quad(ox.NamedNode("urn:x:new"), ox.NamedNode("urn:x:p"),
                            ox.Literal("added after start"), ox.NamedNode("urn:x:g")))
        rebuilt.flush()
        del rebuilt
        runaway = endpoint.Request(accept=None, query="SELECT (COUNT(*) AS ?n) WHERE "
                                   "{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
        assert site.pool.run(runaway).status == 503  # the worker is killed and replaced
        assert triples(site) == before
        assert not site.known("urn:x:new")
    finally:
        site.close()
    later = Site(project, Settings(workers=1))
    later.pool.start()
    try:
        assert triples(later) == before + 1  # a server started now sees the new data
    finally:
        later.close()


@pytest.mark.parametrize("path", ["/sdg/11", "/sdg/11.2", PRACTICE_PATH, "/id/edition/2023"])
def test_spanish_pages_name_every_property_and_type_in_spanish(client: httpx.Client,
                                                               path: str) -> None:
    import html as html_module
    import re

    from sdgraph.publish.describe import local_name

    page = client.get(path, headers={"Accept": "text/html", "Accept-Language": "es"}).text
    rows = re.findall(r'<th><a href="[^"]*" title="([^"]+)">([^<]+)</a></th>', page)
    types = re.findall(r'<a href="[^"]*" title="([^"]+)">([^<]+)</a>',
                       page.split('<p class="types">', 1)[1].split("</p>", 1)[0])
    assert rows and types
    untranslated = {(iri, name) for iri, name in rows + types
                    if html_module.unescape(name) == local_name(html_module.unescape(iri))}
    assert untranslated == set()


def test_display_names_of_other_vocabularies(client: httpx.Client) -> None:
    spanish = client.get("/sdg/11", headers={"Accept": "text/html", "Accept-Language": "es"})
    english = client.get("/sdg/11", headers={"Accept": "text/html", "Accept-Language": "en"})
    assert ">Objetivo</a>" in spanish.text and ">tiene la meta</a>" in spanish.text
    assert ">Goal</a>" in english.text and ">has target</a>" in english.text
