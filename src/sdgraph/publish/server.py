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

The server answers from a snapshot of the store taken at start (a RocksDB checkpoint in a
private temporary folder, removed at exit), so that the main process and every query worker,
including one started later to replace a worker killed after a timeout, answer from the same
data even when ``sdgraph build`` replaces the store meanwhile.

Descriptions, pages and query answers are cached per resource, format and language in
least-recently-used caches with a fixed number of entries and a byte budget; whether an IRI is
described is remembered only for IRIs the graph describes, so that requests for made-up
addresses cost no memory.
"""

from __future__ import annotations

import errno
import json
import shutil
import socket
import tempfile
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar
from urllib.parse import parse_qs, urlencode

import anyio
import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.middleware import Middleware
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
ANSWERS_BUDGET = 32 << 20  # bytes of query answers kept in all
PAGES = 4096  # descriptions and pages kept
PAGES_BUDGET = 64 << 20  # bytes of descriptions and pages kept in all
KNOWN = 65_536  # IRIs remembered as described by the graph

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class LRU(Generic[K, V]):
    """A least-recently-used cache bounded by a number of entries and a total size in bytes
    (``size`` measures a value); a value larger than a quarter of the budget is not kept."""

    def __init__(self, entries: int, budget: int | None = None,
                 size: Callable[[V], int] = lambda value: 0) -> None:
        self.entries, self.budget, self.size = entries, budget, size
        self._items: OrderedDict[K, V] = OrderedDict()
        self.bytes = 0

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: K) -> V | None:
        found = self._items.get(key)
        if found is not None:
            self._items.move_to_end(key)
        return found

    def put(self, key: K, value: V) -> None:
        cost = self.size(value)
        if self.budget is not None and cost > self.budget // 4:
            return
        old = self._items.pop(key, None)
        if old is not None:
            self.bytes -= self.size(old)
        self._items[key] = value
        self.bytes += cost
        while len(self._items) > self.entries or (
                self.budget is not None and self.bytes > self.budget):
            _, dropped = self._items.popitem(last=False)
            self.bytes -= self.size(dropped)


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
        self.snapshot = snapshot(project.store_path)
        # Removed when the site is closed, collected, or at the latest when Python exits.
        self._cleanup = weakref.finalize(self, shutil.rmtree, self.snapshot.parent, True)
        try:
            self.store: ox.Store = open_store(self.snapshot, in_memory=self.settings.in_memory)
        except BaseException:
            self._cleanup()
            raise
        self.view = GraphView(self.store, self.settings.root + "id/")
        self.pages = Pages(self.view, self.settings.root)
        self.linker = ServerLinker(self.settings.root, self.known)
        self.pool = QueryPool(self.snapshot, self.settings.workers, self.settings.timeout,
                              self.settings.limit, project.root, self.settings.in_memory)
        self._cache: LRU[tuple[str, str, str], bytes] = LRU(PAGES, PAGES_BUDGET, len)
        self._answers: LRU[tuple, endpoint.Outcome] = LRU(
            ANSWERS, ANSWERS_BUDGET, lambda outcome: len(outcome.body))
        self._queries: dict[str, Any] = {}  # only saved queries that exist: a fixed few
        self._known: LRU[str, bool] = LRU(KNOWN)
        self._search = self._search_index()

    def close(self) -> None:
        """Stop the query workers and remove the snapshot of the store."""
        self.pool.close()
        self._cleanup()

    # -- data -------------------------------------------------------------------------------
    def saved_query(self, name: str, load):
        """A saved query, read once: the server answers for the files as they were at start."""
        found = self._queries.get(name)
        if found is None:
            found = self._queries[name] = load(self.project, name)
        return found

    def cached_answer(self, key: tuple) -> endpoint.Outcome | None:
        """A query answer given before: the store is read-only, so it cannot have changed."""
        return self._answers.get(key)

    def keep_answer(self, key: tuple, outcome: endpoint.Outcome) -> None:
        if outcome.status == 200 and len(outcome.body) <= ANSWER_BYTES:
            self._answers.put(key, outcome)

    def known(self, iri: str) -> bool:
        """Whether the graph describes ``iri``; only a yes is remembered, so that made-up
        addresses are looked up each time rather than kept."""
        if self._known.get(iri):
            return True
        found = self.view.exists(iri)
        if found:
            self._known.put(iri, True)
        return found

    def representation(self, iri: str, media: str, lang: str, render) -> bytes:
        key = (iri, media, lang if media == HTML else "")
        body = self._cache.get(key)
        if body is None:
            body = render()
            self._cache.put(key, body)
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


def snapshot(store_path: Path) -> Path:
    """A private snapshot of the store at ``store_path``, in a new temporary folder.

    A RocksDB checkpoint: hard links to the store's immutable files where the temporary folder
    is on the same file system, a copy elsewhere. Every process of the server opens it, so that
    a rebuild of the store while the server runs changes none of its answers.
    """
    if not store_path.is_dir():
        raise EnvironmentNotReady(f"no store at {store_path}", hint="run `sdgraph build` first")
    folder = Path(tempfile.mkdtemp(prefix="sdgraph-serve-"))
    target = folder / "store"
    try:
        ox.Store.read_only(str(store_path)).backup(str(target))
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return target


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


def not_found(site: Site, request: Request, iri: str | None = None,
              message: str | None = None) -> Response:
    """404: the same HTML page for a browser wherever the address is (naming the IRI when the
    address stands for one), plain text for other clients."""
    if choose(request.headers.get("accept"), [HTML, "text/plain"]) == HTML:
        lang = language(request)
        body = site.pages.render("error.html", lang, messages()[lang]["not_found"],
                                 status=404, iri=iri, switch=None)
        return html_response(request, body, 404)
    if message is None:
        message = (f"no resource {iri} in this graph" if iri is not None
                   else f"nothing at {request.url.path}")
    return plain(404, message)


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
    """The ontology: pyLODE documentation for people, the ontology graph for machines; at
    ``/ontology`` and at the path of its current version IRI (``/ontology/0.1.0``), else 404."""
    site: Site = request.app.state.site
    version = request.path_params.get("version")
    if version is not None and site.view.ontology_version_iri() != ONTOLOGY_IRI + "/" + version:
        return not_found(site, request, message=f"no ontology version '{version}' here; "
                         f"the ontology is at /ontology")
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
        return not_found(site, request, message=str(error))
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
            site.close()

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
    async def missing(request: Request, exc: Exception) -> Response:
        return not_found(site, request)

    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers={404: missing},
                    middleware=[Middleware(WithoutTrailingSlash)])
    # One address per resource: a trailing slash is redirected away, never added.
    app.router.redirect_slashes = False
    app.state.site = site
    return app


class WithoutTrailingSlash:
    """ASGI middleware: ``/id/city/bilbao/`` answers 308 with ``Location: /id/city/bilbao``
    (query string kept), so that every page has one address; ``/`` itself is left alone."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            raw = scope.get("raw_path") or scope["path"].encode("utf-8")
            path = raw.decode("latin-1")
            if len(path) > 1 and path.endswith("/"):
                # One leading slash: "//host/" must not become a link to another host.
                target = "/" + path.strip("/")
                if scope.get("query_string"):
                    target += "?" + scope["query_string"].decode("latin-1")
                await RedirectResponse(target, 308)(scope, receive, send)
                return
        await self.app(scope, receive, send)


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
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        site.close()

