"""Saved-query routes: the list of saved queries, and each one's form and results."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response

from . import endpoint
from .html import messages
from .negotiate import choose
from .responses import HTML, VARY, html_response, language, not_found, plain, switch_links

if TYPE_CHECKING:
    from .server import Site


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
    from ..query import load_saved_query
    from .server import outcome_response, run_in_pool

    site: Site = request.app.state.site
    name = request.path_params["name"]
    try:
        query = site.saved_query(name, load_saved_query)
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
