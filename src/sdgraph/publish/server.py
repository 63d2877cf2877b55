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
import shutil
import socket
import tempfile
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar
from urllib.parse import parse_qs

import anyio
import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ..errors import EnvironmentNotReady
from ..namespaces import ID
from ..project import Project
from ..query import TRUNCATED_HEADER
from . import endpoint
from .describe import GraphView, fold, is_sdg
from .endpoint import QueryPool
from .html import Pages, ServerLinker
from .negotiate import choose
from .page_routes import home, pylode_css, search, site_css
from .query_routes import queries, saved_query
from .resource_routes import ontology, resource, sdg
from .responses import HTML, html_response, language, not_found, plain, switch_links
from .safety import SecurityHeaders

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

    def cached_representation(self, iri: str, media: str, lang: str) -> bytes | None:
        """A representation rendered before, or None."""
        return self._cache.get((iri, media, lang if media == HTML else ""))

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


# -- the SPARQL endpoint -----------------------------------------------------------------

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


# -- the app and start-up --------------------------------------------------------------------

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
        Route("/static/site.css", site_css),
        Route("/static/pylode.css", pylode_css),
        Route("/favicon.ico", lambda request: Response(status_code=204)),
        Route("/index.html", lambda request: RedirectResponse("/", 301)),
    ]
    async def missing(request: Request, exc: Exception) -> Response:
        return not_found(site, request)

    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers={404: missing},
                    middleware=[Middleware(SecurityHeaders), Middleware(WithoutTrailingSlash)])
    # One address per resource: a trailing slash is redirected away, never added.
    app.router.redirect_slashes = False
    app.state.site = site
    return app


def application(site: Site) -> SecurityHeaders:
    """The app as ``serve`` runs it: :func:`create_app` wrapped once more in the security
    headers, outside Starlette's error handler, so that a 500 carries them too."""
    return SecurityHeaders(create_app(site))


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
    config = uvicorn.Config(application(site), log_level="info" if log else "warning",
                            access_log=False, server_header=False, proxy_headers=False)
    if ready is not None:
        ready()
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        site.close()
