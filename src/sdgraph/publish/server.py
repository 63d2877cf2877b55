"""``sdgraph serve``: the graph as linked open data over HTTP, from the embedded store.

Starlette (ASGI) on uvicorn: a small, standard stack whose event loop answers cached resource
descriptions without a thread hop, while SPARQL runs in worker processes with a hard time limit.

* ``/id/...`` and ``/ontology``: the request path is mapped onto the base IRI
  (``https://w3id.org/sdgraph/`` by default), so that a w3id.org redirect to this server just
  works. Content negotiation (``Vary: Accept``) between HTML, Turtle, JSON-LD, N-Triples and
  RDF/XML, with ``?format=`` as an override; 406 for a type it cannot give, 404 for an IRI the
  graph does not describe.
* ``/sparql``: the SPARQL 1.1 Protocol, read-only.
* ``/``, ``/sdg/CODE``, ``/queries``, ``/queries/NAME``, ``/search``: HTML pages, in English or
  Spanish (``?lang=``, then a cookie, then Accept-Language).

The store is read-only and the server never writes: descriptions and pages are cached per
resource, format and language.
"""

from __future__ import annotations

import errno
import json
import socket
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode

import anyio
import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from ..errors import EnvironmentNotReady
from ..namespaces import ID, ONTOLOGY_IRI, SDG
from ..project import Project
from ..query import TRUNCATED_HEADER
from . import endpoint
from .describe import LANGUAGES, RDF_FORMATS, GraphView, fold, is_sdg, serialize_triples
from .endpoint import QueryPool
from .html import Pages, ServerLinker, messages
from .negotiate import choose, preferred_language

HTML = "text/html"
#: Offered representations of a resource, in the server's order of preference.
RESOURCE_TYPES = [HTML] + [RDF_FORMATS[name][0] for name in ("ttl", "jsonld", "nt", "rdf")]
FORMAT_OVERRIDES = {"html": HTML, **{name: media for name, (media, _) in RDF_FORMATS.items()}}
VARY = "Accept, Accept-Language, Cookie"
SEARCH_LIMIT = 100
ANSWERS = 512  # query answers kept (least recently used dropped first)
ANSWER_BYTES = 1 << 20  # larger answers are not kept


@dataclass
class Settings:
    """How the server runs."""

    root: str = ID.removesuffix("id/")  # the IRI that the path "/" stands for
    timeout: float = 10.0  # seconds a SPARQL query may run
    limit: int = 10_000  # result rows (or triples) a SPARQL query may return
    workers: int = 2  # SPARQL worker processes
    in_memory: bool = True  # each process answers from its own copy of the store in memory


class Site:
    """What the server knows: the store, its resources and labels, and caches of answers."""

    def __init__(self, project: Project, settings: Settings | None = None) -> None:
        from ..store import open_store

        self.project = project
        self.settings = settings or Settings()
        self.store: ox.Store = open_store(project.store_path,
                                          in_memory=self.settings.in_memory)
        self.view = GraphView(self.store, self.settings.root + "id/")
        self.pages = Pages(self.view, self.settings.root)
        self.linker = ServerLinker(self.settings.root)
        self.pool = QueryPool(project.store_path, self.settings.workers, self.settings.timeout,
                              self.settings.limit, project.root, self.settings.in_memory)
        self._cache: dict[tuple[str, str, str], bytes] = {}
        self._answers: OrderedDict[tuple, endpoint.Outcome] = OrderedDict()
        self._queries: dict[str, Any] = {}
        self._known: dict[str, bool] = {}
        self._search = self._search_index()

    # -- data -------------------------------------------------------------------------------
    def saved_query(self, name: str, load):
        """A saved query, read once: the server answers for the files as they were at start."""
        found = self._queries.get(name)
        if found is None:
            found = self._queries[name] = load(self.project, name)
        return found

    def cached_answer(self, key: tuple) -> endpoint.Outcome | None:
        """A query answer given before: the store is read-only, so it cannot have changed."""
        found = self._answers.get(key)
        if found is not None:
            self._answers.move_to_end(key)
        return found

    def keep_answer(self, key: tuple, outcome: endpoint.Outcome) -> None:
        if outcome.status == 200 and len(outcome.body) <= ANSWER_BYTES:
            self._answers[key] = outcome
            if len(self._answers) > ANSWERS:
                self._answers.popitem(last=False)

    def known(self, iri: str) -> bool:
        found = self._known.get(iri)
        if found is None:
            found = self._known[iri] = self.view.exists(iri)
        return found

    def representation(self, iri: str, media: str, lang: str, render) -> bytes:
        key = (iri, media, lang if media == HTML else "")
        body = self._cache.get(key)
        if body is None:
            body = self._cache[key] = render()
        return body

    def _search_index(self) -> list[tuple[str, str, str, str]]:
        """(folded label, label, language, IRI) for every labelled resource and UN goal,
        target and indicator."""
        index = []
        for iri, labels in self.view.all_labels().items():
            if iri.startswith(self.view.base) or is_sdg(iri):
                for lang, label in labels.items():
                    index.append((fold(label), label, lang, iri))
        return sorted(index, key=lambda item: item[1].casefold())

    def search(self, text: str) -> list[tuple[str, str, str]]:
        """Resources whose label holds ``text`` (case and accents ignored), one hit each."""
        needle = fold(text.strip())
        if not needle:
            return []
        hits: dict[str, tuple[str, str, str]] = {}
        for folded, label, lang, iri in self._search:
            if needle in folded and iri not in hits:
                hits[iri] = (iri, label, lang)
                if len(hits) >= SEARCH_LIMIT:
                    break
        return list(hits.values())


# -- helpers ---------------------------------------------------------------------------------

def language(request: Request) -> str:
    """``?lang=``, else the ``lang`` cookie, else Accept-Language; English by default."""
    for candidate in (request.query_params.get("lang"), request.cookies.get("lang")):
        if candidate in LANGUAGES:
            return candidate
    return preferred_language(request.headers.get("accept-language"), list(LANGUAGES), "en")


def switch_links(request: Request) -> dict[str, str]:
    """The current page in each language (``?lang=xx`` kept with the other parameters)."""
    links = {}
    for code in LANGUAGES:
        params = dict(request.query_params)
        params["lang"] = code
        links[code] = request.url.path + "?" + urlencode(params)
    return links


def html_response(request: Request, body: str | bytes, status: int = 200) -> Response:
    response = HTMLResponse(body, status_code=status, headers={"Vary": VARY})
    chosen = request.query_params.get("lang")
    if chosen in LANGUAGES:
        response.set_cookie("lang", chosen, max_age=365 * 86400, samesite="lax")
    return response


def plain(status: int, message: str, vary: bool = True) -> Response:
    headers = {"Vary": VARY} if vary else {}
    return Response(message + "\n", status_code=status, media_type="text/plain",
                    headers=headers)


def not_found(site: Site, request: Request, iri: str) -> Response:
    if choose(request.headers.get("accept"), [HTML, "text/plain"]) == HTML:
        lang = language(request)
        body = site.pages.render("error.html", lang, messages()[lang]["not_found"],
                                 status=404, iri=iri, switch=None)
        return html_response(request, body, 404)
    return plain(404, f"no resource {iri} in this graph")


def negotiate(request: Request) -> tuple[str | None, Response | None]:
    """The media type for a resource request, or the error response (400 or 406)."""
    override = request.query_params.get("format")
    if override is not None:
        media = FORMAT_OVERRIDES.get(override)
        if media is None:
            return None, plain(400, f"unknown format '{override}'; use one of "
                               + ", ".join(FORMAT_OVERRIDES))
        return media, None
    media = choose(request.headers.get("accept"), RESOURCE_TYPES)
    if media is None:
        return None, plain(406, "cannot give any of the requested types; available: "
                           + ", ".join(RESOURCE_TYPES))
    return media, None


def alternates(request: Request) -> list[tuple[str, str]]:
    return [(media, f"{request.url.path}?format={name}")
            for name, media in FORMAT_OVERRIDES.items() if media != HTML]


def describe_response(site: Site, request: Request, iri: str) -> Response:
    """A resource in the negotiated representation."""
    media, error = negotiate(request)
    if error is not None:
        return error
    assert media is not None
    if media == HTML:
        lang = language(request)
        body = site.representation(iri, HTML, lang, lambda: site.pages.resource(
            iri, lang, site.linker, True, alternates(request), switch_links(request)).encode())
        return html_response(request, body)
    name = next(n for n, (m, _) in RDF_FORMATS.items() if m == media)
    body = site.representation(iri, media, "", lambda: site.view.serialize(iri, name))
    content_type = media if name == "jsonld" else media + "; charset=utf-8"
    return Response(body, headers={"Content-Type": content_type, "Vary": VARY})


# -- routes ----------------------------------------------------------------------------------

async def resource(request: Request) -> Response:
    site: Site = request.app.state.site
    path = request.url.path.rstrip("/")
    iri = site.settings.root + path.lstrip("/")
    if not site.known(iri):
        return not_found(site, request, iri)
    return describe_response(site, request, iri)


async def sdg(request: Request) -> Response:
    """A UN goal, target or indicator as the graph knows it, with the practices that point at it."""
    site: Site = request.app.state.site
    iri = SDG + request.path_params["code"]
    if not site.known(iri):
        return not_found(site, request, iri)
    return describe_response(site, request, iri)


async def ontology(request: Request) -> Response:
    """The ontology: pyLODE documentation for people, the ontology graph for machines."""
    site: Site = request.app.state.site
    media, error = negotiate(request)
    if error is not None:
        return error
    if media == HTML:
        from .ontology_docs import ontology_html

        body = site.representation(ONTOLOGY_IRI, HTML, "", lambda: ontology_html(
            site.view.ontology_triples()).encode())
        return HTMLResponse(body, headers={"Vary": VARY})
    assert media is not None
    name = next(n for n, (m, _) in RDF_FORMATS.items() if m == media)
    body = site.representation(ONTOLOGY_IRI, media, "", lambda: serialize_triples(
        site.view.ontology_triples(), name))
    content_type = media if name == "jsonld" else media + "; charset=utf-8"
    return Response(body, headers={"Content-Type": content_type, "Vary": VARY})


async def home(request: Request) -> Response:
    site: Site = request.app.state.site
    lang = language(request)
    body = site.representation("/", HTML, lang, lambda: site.pages.home(
        lang, site.linker, True, switch_links(request)).encode())
    return html_response(request, body)


async def search(request: Request) -> Response:
    site: Site = request.app.state.site
    lang = language(request)
    text = request.query_params.get("q", "")
    hits = [{"iri": iri, "label": label, "lang": hit_lang, "href": site.linker.href(iri),
             "title": site.view.label(iri, lang)}
            for iri, label, hit_lang in site.search(text)]
    body = site.pages.render("search.html", lang, f"{messages()[lang]['search']}: {text}",
                             q=text, hits=hits, switch=switch_links(request))
    return html_response(request, body)


async def run_in_pool(site: Site, request: endpoint.Request) -> endpoint.Outcome:
    """The answer to ``request``: kept from before, or from a query worker."""
    key = (request.query, request.saved, tuple(sorted(request.params.items())), request.accept,
           request.format, tuple(request.default_graphs), tuple(request.named_graphs))
    found = site.cached_answer(key)
    if found is not None:
        return found
    outcome = await anyio.to_thread.run_sync(site.pool.run, request, limiter=site_limiter(site))
    site.keep_answer(key, outcome)
    return outcome


_LIMITERS: dict[int, anyio.CapacityLimiter] = {}


def site_limiter(site: Site) -> anyio.CapacityLimiter:
    """Threads that wait on query workers: one per worker, so queries queue fairly."""
    limiter = _LIMITERS.get(id(site))
    if limiter is None:
        limiter = _LIMITERS[id(site)] = anyio.CapacityLimiter(site.settings.workers)
    return limiter


def outcome_response(outcome: endpoint.Outcome, vary: str = "Accept") -> Response:
    headers = {"Vary": vary, **outcome.headers}
    if outcome.truncated:
        headers[TRUNCATED_HEADER] = "true"
    return Response(outcome.body, status_code=outcome.status,
                    headers={"Content-Type": outcome.media_type, **headers})


async def sparql(request: Request) -> Response:
    """The SPARQL 1.1 Protocol: query via GET or POST; updates are refused (403)."""
    site: Site = request.app.state.site
    params = request.query_params
    query = params.get("query")
    default_graphs = params.getlist("default-graph-uri")
    named_graphs = params.getlist("named-graph-uri")
    fmt = params.get("format")
    if "update" in params:
        return plain(403, "this endpoint is read-only: SPARQL Update is refused", vary=False)
    if request.method == "POST":
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type == "application/sparql-update":
            return plain(403, "this endpoint is read-only: SPARQL Update is refused", vary=False)
        if content_type == "application/x-www-form-urlencoded":
            # Parsed here: the form holds text fields only, and this needs no extra library.
            form = parse_qs((await request.body()).decode("utf-8", errors="replace"),
                            keep_blank_values=True)
            if "update" in form:
                return plain(403, "this endpoint is read-only: SPARQL Update is refused",
                             vary=False)
            query = form.get("query", [query])[0]
            fmt = fmt or form.get("format", [None])[0]
            default_graphs += form.get("default-graph-uri", [])
            named_graphs += form.get("named-graph-uri", [])
        elif content_type == "application/sparql-query":
            if query is not None:
                return plain(400, "give the query either in the body or as ?query=, not both")
            query = (await request.body()).decode("utf-8", errors="replace")
        else:
            return plain(415, "POST a query as application/x-www-form-urlencoded or "
                         "application/sparql-query")
    if query is None:
        if choose(request.headers.get("accept"), [HTML, "text/plain"]) == HTML:
            lang = language(request)
            body = site.pages.render("sparql.html", lang, "SPARQL", switch=switch_links(request),
                                     example=EXAMPLE_QUERY)
            return html_response(request, body)
        return plain(400, "no query: pass it as ?query=... or POST it")
    if endpoint.is_update(query):
        return plain(403, "this endpoint is read-only: SPARQL Update is refused", vary=False)
    outcome = await run_in_pool(site, endpoint.Request(
        accept=request.headers.get("accept"), format=fmt, query=query,
        default_graphs=default_graphs, named_graphs=named_graphs))
    return outcome_response(outcome)


EXAMPLE_QUERY = """PREFIX sdgr: <https://w3id.org/sdgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?practice ?label ?goal WHERE {
  ?practice a sdgr:Practice ; rdfs:label ?label ; sdgr:contributesToGoal ?goal .
  FILTER(LANG(?label) = "en")
} ORDER BY ?label LIMIT 20"""


def saved_queries(site: Site) -> list[Any]:
    from ..query import list_queries

    return list_queries(site.project)


async def queries(request: Request) -> Response:
    site: Site = request.app.state.site
    lang = language(request)
    items = [{"name": q.name, "title": q.title(lang), "description": q.description(lang),
              "href": f"/queries/{q.name}"} for q in saved_queries(site)]
    body = site.pages.render("queries.html", lang, messages()[lang]["queries"], queries=items,
                             switch=switch_links(request))
    return html_response(request, body)


async def saved_query(request: Request) -> Response:
    """A saved query: a form with its parameters and, once run, its results (HTML), or the
    results alone in a SPARQL result format when the client asks for one."""
    from ..errors import UsageError
    from ..query import load_query

    site: Site = request.app.state.site
    name = request.path_params["name"]
    try:
        query = site.saved_query(name, load_query)
    except UsageError as error:
        return plain(404, str(error))
    values = {p.name: request.query_params.get(p.name, p.default) for p in query.params}
    values = {key: value for key, value in values.items() if value != ""}
    fmt = request.query_params.get("format")
    if fmt is None:
        media = choose(request.headers.get("accept"), [HTML] + endpoint.SOLUTION_TYPES)
        if media is None:
            return plain(406, "available: " + ", ".join([HTML] + endpoint.SOLUTION_TYPES))
    else:
        media = HTML if fmt == "html" else fmt
    if media != HTML:
        outcome = await run_in_pool(site, endpoint.Request(
            accept=request.headers.get("accept"), format=fmt, saved=name, params=values))
        return outcome_response(outcome, VARY)
    lang = language(request)
    table, error = None, None
    if "run" in request.query_params:
        outcome = await run_in_pool(site, endpoint.Request(
            accept="application/sparql-results+json", saved=name, params=values))
        if outcome.status == 200:
            table = result_table(site, query, json.loads(outcome.body), lang)
            table["truncated"] = outcome.truncated
        else:
            error = outcome.body.decode("utf-8", errors="replace").strip()
    params = [{"name": p.name, "type": p.type, "description": p.description(lang),
               "value": request.query_params.get(p.name, p.default)} for p in query.params]
    body = site.pages.render("query.html", lang, query.title(lang), query=query,
                             description=query.description(lang), params=params, table=table,
                             error=error, switch=switch_links(request))
    return html_response(request, body, 400 if error else 200)


def result_table(site: Site, query: Any, answer: dict[str, Any], lang: str) -> dict[str, Any]:
    """Rows of a result for a page: IRIs as links with their labels."""
    columns = answer["head"]["vars"]
    rows = []
    for binding in answer["results"]["bindings"]:
        cells = []
        for column in columns:
            term = binding.get(column)
            if term is None:
                cells.append(None)
            elif term["type"] == "uri":
                cells.append({"text": site.view.label(term["value"], lang),
                              "href": site.linker.href(term["value"]), "iri": term["value"]})
            else:
                cells.append({"text": term["value"], "href": None, "iri": None})
        rows.append(cells)
    return {"columns": [query.column_label(c, lang) for c in columns], "rows": rows}


def create_app(site: Site) -> Starlette:
    """The ASGI application over ``site``; starts and stops the query workers with it."""
    from contextlib import asynccontextmanager

    @asynccontextmanager
    async def lifespan(app: Starlette):
        await anyio.to_thread.run_sync(site.pool.start)
        try:
            yield
        finally:
            site.pool.close()

    routes = [
        Route("/", home),
        Route("/id/{path:path}", resource),
        Route("/ontology", ontology),
        Route("/ontology/{version:path}", ontology),
        Route("/sdg/{code}", sdg),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/queries", queries),
        Route("/queries/{name}", saved_query),
        Route("/search", search),
        Route("/favicon.ico", lambda request: Response(status_code=204)),
        Route("/index.html", lambda request: RedirectResponse("/", 301)),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.site = site
    return app


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port``, or an error that says why it cannot be (exit code 3)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise EnvironmentNotReady(f"cannot listen on {host}: {error.strerror}",
                                  hint="give --host an address of this machine, such as "
                                  "127.0.0.1 or 0.0.0.0") from error
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as error:
        sock.close()
        taken = error.errno == errno.EADDRINUSE
        raise EnvironmentNotReady(
            f"cannot listen on {host}:{port}: "
            f"{'another program uses that port' if taken else error.strerror}",
            hint="choose another port with --port" if taken else None) from error
    return sock


def serve(project: Project, host: str = "127.0.0.1", port: int = 8080,
          settings: Settings | None = None, log: bool = True,
          ready: Callable[[], None] | None = None) -> None:
    """Run the server until interrupted (Ctrl-C stops it normally).

    The store is opened and the port bound first, so that a missing store or a port in use is
    an error before anything is announced; ``ready`` is called once both are done.
    """
    import uvicorn

    sock = listening_socket(host, port)
    try:
        site = Site(project, settings)
    except BaseException:
        sock.close()
        raise
    config = uvicorn.Config(create_app(site), log_level="info" if log else "warning",
                            access_log=False, server_header=False, proxy_headers=False)
    if ready is not None:
        ready()
    uvicorn.Server(config).run(sockets=[sock])

