"""Running saved queries: on the embedded store, or on a SPARQL 1.1 endpoint; an endpoint's
refusals and cut answers as errors in words."""

from __future__ import annotations

import ast
import contextlib
import urllib.parse

import pyoxigraph as ox

from .. import sparql_results
from ..errors import EnvironmentNotReady, SdgraphError, UsageError
from ..sparql_results import json_term
from .params import bind, parse_value
from .results import ResultTable, normalise_json_term
from .saved import Param, SavedQuery

#: The response header in which an endpoint (Virtuoso) gives the row limit it cut an answer at.
MAX_ROWS_HEADER = "X-SPARQL-MaxRows"
#: The response header in which ``sdgraph serve`` says that its result limit cut an answer.
TRUNCATED_HEADER = "Sdgraph-Result-Truncated"



def run_on_store(text: str, store: ox.Store) -> tuple[list[str], list[dict[str, dict]]]:
    """Run a SELECT on the embedded store, read as a server would: no union default graph.

    A term that appears in several rows may be one dictionary shared by them: treat the rows as
    read-only.
    """
    solutions = _select(text, store)
    read = sparql_results.solutions_rows(solutions)
    if read is not None:
        return read
    solutions = _select(text, store)  # a term the fast reading does not know: term by term
    columns = [variable.value for variable in solutions.variables]
    rows = [{column: json_term(term) for column, term in zip(columns, solution, strict=True)
             if term is not None} for solution in solutions]
    return columns, rows


def _select(text: str, store: ox.Store) -> ox.QuerySolutions:
    try:
        solutions = store.query(text, use_default_graph_as_union=False)
    except SyntaxError as error:
        raise SdgraphError(f"the query does not parse: {error}") from error
    if not isinstance(solutions, ox.QuerySolutions):
        raise UsageError("only SELECT queries can be saved queries")
    return solutions


def run_on_endpoint(text: str, endpoint: str, user: str | None = None,
                    password: str | None = None,
                    timeout: int = 120) -> tuple[list[str], list[dict[str, dict]]]:
    """Run a SELECT on a SPARQL 1.1 endpoint (POST, JSON results) through SPARQLWrapper."""
    from urllib.error import HTTPError, URLError

    from SPARQLWrapper import JSON, POST, URLENCODED, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    check_endpoint_url(endpoint)
    client = SPARQLWrapper(endpoint)
    client.setQuery(text)
    client.setMethod(POST)
    client.setRequestMethod(URLENCODED)
    client.setReturnFormat(JSON)
    client.setTimeout(timeout)
    if user is not None:
        client.setCredentials(user, password or "")
    try:
        result = client.query()
        headers = {name.lower(): value for name, value in result.info().items()}
        answer = result.convert()
    except SPARQLWrapperException as error:
        raise endpoint_refusal(endpoint, error) from error
    except HTTPError as error:
        raise EnvironmentNotReady(f"{endpoint} answered HTTP {error.code} {error.reason}",
                                  hint="is this the SPARQL query endpoint of the store? "
                                  "see docs/triplestores.md") from error
    except (URLError, OSError) as error:
        raise EnvironmentNotReady(f"cannot reach the SPARQL endpoint {endpoint} ({error})",
                                  hint="is the triplestore running? see docs/triplestores.md"
                                  ) from error
    if not isinstance(answer, dict) or "results" not in answer:
        raise SdgraphError(f"{endpoint} did not answer with SPARQL JSON results")
    columns = list(answer.get("head", {}).get("vars", []))
    rows = [{name: normalise_json_term(value) for name, value in binding.items()}
            for binding in answer["results"].get("bindings", [])]
    refuse_cut_answer(endpoint, headers, len(rows))
    return columns, rows


def check_endpoint_url(url: str, option: str = "--endpoint") -> None:
    """Refuse (exit code 2) an endpoint URL that is not an absolute http(s) URL."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(f"{option} {url!r} is not an http:// or https:// URL",
                         hint="write the whole URL, such as http://localhost:7878/query")


def endpoint_refusal(endpoint: str, error: Exception) -> SdgraphError:
    """The error to report for a SPARQLWrapper exception: an HTTP status of the endpoint, with
    what the server said (its body, shortened)."""
    kind = type(error).__name__
    said = str(error).split("Response:\n", 1)[1] if "Response:\n" in str(error) else ""
    with contextlib.suppress(ValueError, SyntaxError):
        body = ast.literal_eval(said)
        said = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
    said = " ".join(said.split())
    said = f": {said[:200]}{'...' if len(said) > 200 else ''}" if said else ""
    if kind == "QueryBadFormed":
        return SdgraphError(f"{endpoint} refused the query as malformed (HTTP 400){said}",
                            hint="check the query's syntax; the store may lack a SPARQL 1.1 "
                            "feature it uses")
    statuses = {"EndPointNotFound": "404 Not Found", "Unauthorized": "401 Unauthorized",
                "URITooLong": "414 URI Too Long", "EndPointInternalError": "500 Internal Error"}
    hints = {"Unauthorized": "pass --user NAME, with the password in the environment variable "
             "named by --password-env",
             "EndPointInternalError": "the store failed on the query: see its log"}
    return EnvironmentNotReady(
        f"{endpoint} answered HTTP {statuses.get(kind, kind)}{said}",
        hint=hints.get(kind, "is this the SPARQL query endpoint of the store? (Oxigraph: /query, "
                       "Fuseki: /DATASET/sparql, Virtuoso: /sparql; see docs/triplestores.md)"))


def refuse_cut_answer(endpoint: str, headers: dict[str, str], rows: int) -> None:
    """Raise when the endpoint says (in the response ``headers``, names in lower case) that it
    may have cut the answer at its row limit, so that a partial answer never passes for the
    whole one.

    Virtuoso answers at most ``ResultSetMaxRows`` rows of a query, silently but for a header
    that gives the limit (an answer as long as the limit may lack rows); ``sdgraph serve`` says
    that it cut an answer at its ``--limit``.
    """
    limit = headers.get(MAX_ROWS_HEADER.lower(), "").strip()
    if limit.isdigit() and rows >= int(limit):
        stated = f"its limit per query ({MAX_ROWS_HEADER}: {limit})"
    elif headers.get(TRUNCATED_HEADER.lower(), "").strip().lower() == "true":
        stated = f"where it cut the answer ({TRUNCATED_HEADER})"
    else:
        return
    raise EnvironmentNotReady(
        f"{endpoint} answered {rows} rows, {stated}, so the answer may lack rows",
        hint="raise the store's row limit (Virtuoso: ResultSetMaxRows in the [SPARQL] section "
        "of virtuoso.ini; sdgraph serve: --limit), or narrow the question with --param")


#: Parameter types whose value names a resource of the graph (or of the SDG framework).
RESOURCE_TYPES = ("edition", "city", "practice", "goal", "target", "sdg")


def values_naming_nothing(query: SavedQuery, params: dict[str, str],
                          store: ox.Store | None = None, endpoint: str | None = None,
                          user: str | None = None, password: str | None = None
                          ) -> list[tuple[Param, str]]:
    """The parameters given a value that names a resource the graph says nothing about (an
    edition that is not one, a city's misspelt slug, a target the UN framework does not have):
    (parameter, IRI) pairs."""
    unknown = []
    for param in query.params:
        if param.type not in RESOURCE_TYPES or not params.get(param.name):
            continue
        iri = parse_value(param, params[param.name]).value
        text = f"SELECT ?p WHERE {{ GRAPH ?g {{ <{iri}> ?p ?o }} }} LIMIT 1"
        if store is not None:
            found = bool(run_on_store(text, store)[1])
        else:
            found = bool(run_on_endpoint(text, endpoint or "", user, password)[1])
        if not found:
            unknown.append((param, iri))
    return unknown


#: What to do about a value that names nothing, by parameter type.
WHERE_TO_LOOK = {
    "edition": "the editions are named by their year; the saved query edition-completeness "
               "lists them",
    "city": "the saved query cities-per-edition lists the cities (the slug is the end of the "
            "IRI)",
    "practice": "the saved query practices-for-sdg lists practices (the slug is the end of the "
                "IRI)",
}
SDG_HINT = ("the UN framework has no such code: give a goal (1 to 17), one of its targets (11.2) "
            "or an indicator's permanent code (C110201)")


def refuse_values_naming_nothing(query: SavedQuery, params: dict[str, str],
                                 store: ox.Store | None = None, endpoint: str | None = None,
                                 user: str | None = None, password: str | None = None) -> None:
    """Refuse (UsageError, exit code 2) a parameter value that names nothing in the graph, so
    that a mistyped edition, city or SDG code is told apart from a question whose answer is
    empty or all zeros."""
    unknown = values_naming_nothing(query, params, store, endpoint, user, password)
    if unknown:
        param, iri = unknown[0]
        raise UsageError(f"parameter {param.name}: {params[param.name]!r} names nothing in the "
                         f"graph (<{iri}>)", hint=WHERE_TO_LOOK.get(param.type, SDG_HINT))


def run_query(query: SavedQuery, params: dict[str, str] | None = None,
              store: ox.Store | None = None, endpoint: str | None = None,
              user: str | None = None, password: str | None = None) -> ResultTable:
    """Bind ``params`` and run ``query`` on ``store`` or on ``endpoint`` (exactly one of them)."""
    if (store is None) == (endpoint is None):
        raise UsageError("run a query on either a store or an endpoint")
    text = bind(query, params)
    if store is not None:
        columns, rows = run_on_store(text, store)
    else:
        columns, rows = run_on_endpoint(text, endpoint or "", user, password)
    return ResultTable(columns, rows, query)
