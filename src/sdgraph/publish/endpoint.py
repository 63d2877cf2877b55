"""Running SPARQL for the server: the SPARQL 1.1 Protocol's answers, with a time and a result
limit that hold even for a query that never ends.

pyoxigraph has no query timeout, and a query thread cannot be stopped from outside. So queries
run in a few worker processes, each with the store open read-only (by default a copy of it in
memory, which pyoxigraph queries several times faster than the on-disk store): the server
hands a query to an idle worker and waits at most the time limit; a worker that overruns is
killed and replaced. Workers also check the deadline between solutions, so that most slow
queries end by themselves.
"""

from __future__ import annotations

import multiprocessing
import queue
import re
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .. import sparql_results as results
from .describe import RDF_FORMATS, serialize_triples
from .negotiate import choose

#: Media types offered for SELECT and ASK results, JSON first (also for a plain ``*/*``).
SOLUTION_TYPES = [results.RESULT_FORMATS[name] for name in ("json", "xml", "csv", "tsv")]
#: Media types offered for CONSTRUCT and DESCRIBE results, Turtle first.
GRAPH_TYPES = [RDF_FORMATS[name][0] for name in ("ttl", "jsonld", "nt", "rdf")]
ALIASES = {"application/json": "application/sparql-results+json",
           "application/xml": "application/sparql-results+xml"}

UPDATE = re.compile(
    r"^\s*(?:(?:PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*"
    r"(?:INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE)


def is_update(text: str) -> bool:
    """Whether ``text`` is a SPARQL Update request rather than a query (comments ignored)."""
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    return bool(UPDATE.match("\n".join(lines)))


@dataclass
class Outcome:
    """An HTTP answer: status, media type, body, and whether the result limit cut it."""

    status: int
    media_type: str
    body: bytes
    truncated: bool = False
    headers: dict[str, str] = field(default_factory=dict)


def text(status: int, message: str) -> Outcome:
    return Outcome(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"))


@dataclass
class Request:
    """A query for a worker: SPARQL text, or a saved query by name with its parameters."""

    accept: str | None
    format: str | None = None
    query: str | None = None
    saved: str | None = None
    params: dict[str, str] = field(default_factory=dict)
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)


FORMAT_NAMES = {"json": "application/sparql-results+json",
                "xml": "application/sparql-results+xml", "csv": "text/csv",
                "tsv": "text/tab-separated-values", "ttl": "text/turtle",
                "jsonld": "application/ld+json", "nt": "application/n-triples",
                "rdf": "application/rdf+xml"}


def pick(request: Request, offers: list[str]) -> str | None:
    """The media type to answer with: ``format`` if given, else negotiated from Accept."""
    if request.format:
        wanted = FORMAT_NAMES.get(request.format)
        return wanted if wanted in offers else None
    accept = request.accept
    for alias, media in ALIASES.items():
        if accept and alias in accept:
            accept = accept.replace(alias, media)
    return choose(accept, offers)


def not_acceptable(offers: list[str]) -> Outcome:
    return text(406, "none of the requested types can be given here; available: "
                + ", ".join(offers))


def execute(store: ox.Store, request: Request, limit: int, deadline: float,
            project_root: str | None = None) -> Outcome:
    """Run ``request`` on ``store`` and serialise the answer (in the calling process)."""
    if request.saved is not None:
        return _saved(store, request, limit, project_root)
    options: dict[str, Any] = {}
    if request.default_graphs:
        options["default_graph"] = [ox.NamedNode(g) for g in request.default_graphs]
    else:
        options["use_default_graph_as_union"] = True
    if request.named_graphs:
        options["named_graphs"] = [ox.NamedNode(g) for g in request.named_graphs]
    try:
        answer = store.query(request.query or "", **options)
    except (SyntaxError, ValueError) as error:
        return text(400, f"the query does not parse: {error}")
    except OSError as error:
        return text(500, f"the query failed: {error}")
    if isinstance(answer, ox.QueryBoolean):
        media = pick(request, SOLUTION_TYPES)
        if media is None:
            return not_acceptable(SOLUTION_TYPES)
        name = _result_name(media)
        return Outcome(200, _with_charset(media), results.boolean(bool(answer), name))
    if isinstance(answer, ox.QuerySolutions):
        media = pick(request, SOLUTION_TYPES)
        if media is None:
            return not_acceptable(SOLUTION_TYPES)
        variables = [v.value for v in answer.variables]
        rows, truncated = [], False
        for solution in answer:
            if time.monotonic() > deadline:
                return text(503, "the query ran past the time limit")
            if len(rows) >= limit:
                truncated = True
                break
            rows.append({name: results.json_term(solution[name]) for name in variables
                         if solution[name] is not None})
        body = results.solutions(variables, rows, _result_name(media))
        return Outcome(200, _with_charset(media), body, truncated)
    media = pick(request, GRAPH_TYPES)
    if media is None:
        return not_acceptable(GRAPH_TYPES)
    triples, truncated = [], False
    for triple in answer:
        if time.monotonic() > deadline:
            return text(503, "the query ran past the time limit")
        if len(triples) >= limit:
            truncated = True
            break
        triples.append(triple)
    name = next(n for n, (m, _) in RDF_FORMATS.items() if m == media)
    return Outcome(200, _with_charset(media), serialize_triples(triples, name), truncated)


def _saved(store: ox.Store, request: Request, limit: int, project_root: str | None) -> Outcome:
    """A saved query through the queries API, in a result format."""
    from ..errors import SdgraphError
    from ..project import Project
    from ..query import load_saved_query, refuse_values_naming_nothing, run_query

    media = pick(request, SOLUTION_TYPES)
    if media is None:
        return not_acceptable(SOLUTION_TYPES)
    try:
        query = load_saved_query(Project(Path(project_root or ".")), request.saved or "")
        refuse_values_naming_nothing(query, request.params, store=store)
        table = run_query(query, request.params, store=store)
    except SdgraphError as error:
        return text(404 if "no saved query" in error.message else 400, str(error))
    rows = table.rows[:limit]
    body = results.solutions(table.columns, rows, _result_name(media))
    return Outcome(200, _with_charset(media), body, len(table.rows) > limit)


def _result_name(media: str) -> str:
    return next(n for n, m in results.RESULT_FORMATS.items() if m == media)


def _with_charset(media: str) -> str:
    return media if media.endswith("json") else media + "; charset=utf-8"


# -- worker processes ------------------------------------------------------------------------

def _worker(conn: Connection, store_path: str, project_root: str | None, limit: int,
            timeout: float, in_memory: bool = False) -> None:
    """A worker's loop: receive a request, answer it, until the pipe closes."""
    from ..store import memory_copy

    store = ox.Store.read_only(store_path)
    if in_memory:
        store = memory_copy(store)
    conn.send("ready")
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        try:
            outcome = execute(store, request, limit, time.monotonic() + timeout, project_root)
        except Exception as error:  # noqa: BLE001 - a worker must answer whatever happens
            outcome = text(500, f"the query failed: {error}")
        conn.send(outcome)


class _Worker:
    def __init__(self, context: Any, args: tuple) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker, args=(child, *args), daemon=True)
        self.process.start()
        child.close()

    def wait_ready(self, timeout: float) -> None:
        if not self.conn.poll(timeout) or self.conn.recv() != "ready":
            raise RuntimeError("a query worker did not start")

    def stop(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class QueryPool:
    """Worker processes that answer queries within a time limit (see the module docstring)."""

    def __init__(self, store_path: Path, size: int = 2, timeout: float = 10.0,
                 limit: int = 10_000, project_root: Path | None = None,
                 in_memory: bool = False) -> None:
        self.size, self.timeout, self.limit = size, timeout, limit
        self._args = (str(store_path), str(project_root) if project_root else None, limit,
                      timeout, in_memory)
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: list[_Worker] = []
        self._lock = threading.Lock()

    def start(self) -> None:
        workers = [self._spawn() for _ in range(self.size)]
        for worker in workers:
            worker.wait_ready(60)
            self._idle.put(worker)

    def _spawn(self) -> _Worker:
        worker = _Worker(self._context, self._args)
        with self._lock:
            self._all.append(worker)
        return worker

    def run(self, request: Request) -> Outcome:
        """Answer ``request`` (blocking): from a worker, or 503 when the time limit passed."""
        worker = self._idle.get()
        try:
            worker.conn.send(request)
            # A little grace beyond the limit for serialising and sending the answer.
            if worker.conn.poll(self.timeout + 1.0):
                outcome = worker.conn.recv()
                self._idle.put(worker)
                return outcome
        except (EOFError, OSError, BrokenPipeError):
            pass
        self._replace(worker)
        return text(503, f"the query ran past the time limit of {self.timeout:g} s")

    def _replace(self, worker: _Worker) -> None:
        worker.stop()
        with self._lock:
            self._all.remove(worker)
        fresh = self._spawn()
        fresh.wait_ready(60)
        self._idle.put(fresh)

    def close(self) -> None:
        with self._lock:
            workers, self._all = list(self._all), []
        for worker in workers:
            worker.stop()
