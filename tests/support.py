"""Helpers shared by the tests: where the repository and the reference data are, comparing a
SPARQL server with the embedded store, and starting the servers the tests need."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from sdgraph.project import Project

REPO = Path(__file__).resolve().parents[1]
TEST_DATA = Path(__file__).resolve().parent / "data"
PROJECT_FOLDERS = ("ontology", "data", "rules", "queries", "shapes", "templates")


def shared_dir() -> Path:
    """The reference material beside the checkout (``../shared``), or $SDGRAPH_SHARED."""
    return Path(os.environ.get("SDGRAPH_SHARED", REPO.parent / "shared"))


def shared_file(relative: str) -> Path:
    """A file of the reference material; the test is skipped, saying why, when it is absent."""
    path = shared_dir() / relative
    if not path.is_file():
        pytest.skip(f"reference file {path} is absent (set SDGRAPH_SHARED to its folder)")
    return path


def copy_project(target: Path) -> Project:
    """A copy of the repository's project files, to build without touching the checkout."""
    for folder in PROJECT_FOLDERS:
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, target / folder)
    return Project(target)


def oxigraph_binary() -> str:
    """The ``oxigraph`` server binary of the PyPI package ``oxigraph`` (in the test extra)."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    if not found:
        pytest.fail("the oxigraph server is not installed: pip install -e '.[test]'")
    return found


PUBLISH_FIXTURES = ("tiny.ttl", "script-label.ttl")


def add_fixture_contributions(project: Project, names: tuple[str, ...] = PUBLISH_FIXTURES) -> None:
    """Copy fixture contributions of ``tests/data`` into the project's contributions folder."""
    folder = project.contributions_dir / "fixtures"
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(TEST_DATA / name, folder / name)


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def virtuoso_binaries() -> tuple[str, str]:
    """The OpenLink Virtuoso server and its SQL client (Debian: ``virtuoso-opensource``).

    Absent, the test is skipped, or fails when ``SDGRAPH_REQUIRE_VIRTUOSO=1`` (as in CI)."""
    server, client = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if server and client:
        return server, client
    reason = ("OpenLink Virtuoso is not installed (virtuoso-t and isql-vt; Debian: "
              "apt-get install virtuoso-opensource)")
    if os.environ.get("SDGRAPH_REQUIRE_VIRTUOSO") == "1":
        pytest.fail(reason + ", and SDGRAPH_REQUIRE_VIRTUOSO=1")
    pytest.skip(reason)


# -- a SPARQL server compared with the embedded store ------------------------------------------

#: Quads in the named graphs of an endpoint (its default graph left out).
COUNT_QUADS = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def remote_count(endpoint: str, graphs: list[str] | None = None) -> int:
    """The quads an endpoint holds in its named graphs, or only in ``graphs`` when given (a
    server with graphs of its own, such as Virtuoso's system graphs)."""
    from sdgraph.query import run_on_endpoint

    text = COUNT_QUADS
    if graphs is not None:
        names = " ".join(f"<{graph}>" for graph in graphs)
        text = ("SELECT (COUNT(*) AS ?n) WHERE { VALUES ?g { " + names + " } "
                "GRAPH ?g { ?s ?p ?o } }")
    _, rows = run_on_endpoint(text, endpoint)
    return int(rows[0]["n"]["value"])


def saved_query_cases(project: Project) -> list[tuple[str, dict[str, str]]]:
    """(query name, parameters) for every saved query with its defaults: in en and es when it
    has a ``lang`` parameter, once otherwise."""
    from sdgraph.query import list_queries

    return [(query.name, {"lang": lang} if lang else {}) for query in list_queries(project)
            for lang in (("en", "es") if query.param("lang") else (None,))]


#: A value of each parameter type that selects part of the query fixture
#: (tests/data/queries-fixture), so that a filtered form of each query is compared too.
FIXTURE_VALUES = {"edition": "2017", "city": "malmo", "sdg": "4", "basis": "curated",
                  "integer": "3"}


def fixture_query_cases(project: Project) -> list[tuple[str, dict[str, str]]]:
    """The cases of :func:`saved_query_cases`, and for every parameter other than ``lang`` the
    same query with that parameter set to its :data:`FIXTURE_VALUES` value, in both
    languages."""
    from sdgraph.query import list_queries

    cases = saved_query_cases(project)
    for query in list_queries(project):
        langs = ("en", "es") if query.param("lang") else (None,)
        for param in query.params:
            if param.name == "lang":
                continue
            value = FIXTURE_VALUES[param.type]
            cases += [(query.name, {param.name: value, **({"lang": lang} if lang else {})})
                      for lang in langs]
    return cases


def case_id(name: str, params: dict[str, str]) -> str:
    """A readable test id: the query name and its parameters."""
    return "-".join([name, *(f"{key}={value}" for key, value in params.items())])


def assert_same_answer(project: Project, name: str, params: dict[str, str], store,
                       endpoint: str) -> None:
    """The saved query gives the same columns and rows (terms, order) on the endpoint as on
    the embedded store."""
    from sdgraph.query import load_query, run_query

    query = load_query(project, name)
    local = run_query(query, params, store=store)
    remote = run_query(query, params, endpoint=endpoint)
    assert remote.columns == local.columns, name
    assert len(remote.rows) == len(local.rows), f"{name} {params}"
    for number, (got, want) in enumerate(zip(remote.rows, local.rows, strict=True)):
        assert got == want, f"{name} {params}, row {number}"


# -- servers the tests start ----------------------------------------------------------------------

VIRTUOSO_INI = """\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa

[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = .
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}
ServerThreads = 4
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = 60
"""
#: Let the anonymous user of /sparql and /sparql-graph-crud (the SQL user "SPARQL") write.
VIRTUOSO_GRANT = 'GRANT SPARQL_UPDATE TO "SPARQL";'


def wait_for_sparql(endpoint: str, process, seconds: float, failure: Callable[[], str]) -> None:
    """Wait until ``endpoint`` answers ``ASK {}``; fail with ``failure()`` when ``process`` ends
    first or ``seconds`` pass."""
    import time
    import urllib.request

    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(f"{endpoint}?query=ASK%7B%7D", timeout=2):
                return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(failure())
            time.sleep(0.2)


@contextlib.contextmanager
def running_virtuoso(folder: Path, max_rows: int = 10000):
    """A real OpenLink Virtuoso (``virtuoso-t +foreground``) with its database in ``folder``, on
    free loopback ports, its anonymous SPARQL user allowed to write, answering at most
    ``max_rows`` rows a query; yields the query endpoint and Graph Store Protocol URLs, stops
    (the whole process group) at the end.

    Skipped when Virtuoso is not installed, unless SDGRAPH_REQUIRE_VIRTUOSO=1."""
    import signal
    import subprocess

    server_binary, isql = virtuoso_binaries()
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(folder=folder, sql_port=sql_port, http_port=http_port,
                                       max_rows=max_rows))
    log = (folder / "server.out").open("wb")
    server = subprocess.Popen([server_binary, "+foreground", "+configfile", str(ini)],
                              cwd=folder, stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True)
    base = f"http://127.0.0.1:{http_port}"
    try:
        # a new database is created first: a few seconds
        wait_for_sparql(f"{base}/sparql", server, 120,
                        lambda: f"Virtuoso did not start (see {folder}/virtuoso.log)")
        granted = subprocess.run([isql, f"127.0.0.1:{sql_port}", "dba", "dba",
                                  f"exec={VIRTUOSO_GRANT}"],
                                 capture_output=True, text=True, timeout=60)
        if granted.returncode != 0 or "*** Error" in granted.stdout + granted.stderr:
            pytest.fail(f"isql-vt could not grant SPARQL_UPDATE: {granted.stdout}"
                        f"{granted.stderr}")
        yield f"{base}/sparql", f"{base}/sparql-graph-crud"
    finally:
        try:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


def running_server(project: Project, *options: str, cwd: Path | None = None):
    """`sdgraph serve` on a free loopback port, as a separate process (started in ``cwd``, the
    current folder by default); yields its base URL."""
    import subprocess
    import sys

    port = free_port()
    log = project.root / f"serve-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "sdgraph", "--project", str(project.root), "serve",
             "--port", str(port), "--timeout", "3", "--limit", "50", *options],
            stdout=out, stderr=subprocess.STDOUT, cwd=cwd)
    url = f"http://127.0.0.1:{port}"

    def failure() -> str:
        process.kill()
        return "sdgraph serve did not start:\n" + log.read_text(errors="replace")

    wait_for_sparql(url + "/sparql", process, 60, failure)
    yield url
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
