"""``sdgraph query``: run a saved query (or a .rq file) on the embedded store or an endpoint."""

from __future__ import annotations

import argparse
import os
import sys

from ..errors import UsageError
from ..project import Project
from ..query import (
    LANGUAGES,
    SavedQuery,
    bind,
    list_queries,
    load_query,
    names_graphs,
    refuse_values_naming_nothing,
    run_query,
)
from ..store import open_store
from .output import write_stdout


def register(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser(
        "query", help="run a saved SPARQL query on the built store or on an endpoint",
        description="Run a saved query of queries/ by name (or a .rq file with the same header) "
        "on the embedded store that `sdgraph build` made, read-only, or on any SPARQL 1.1 "
        "endpoint. Parameters are typed and checked; a bad value exits with code 2.")
    command.add_argument("name", nargs="?", metavar="NAME|FILE.rq",
                         help="a saved query name (see --list) or the path of a .rq file")
    command.add_argument("--list", action="store_true", help="list the saved queries")
    command.add_argument("--param", "-p", action="append", default=[], metavar="NAME=VALUE",
                         help="a parameter value (repeatable)")
    command.add_argument("--endpoint", metavar="URL",
                         help="a SPARQL 1.1 query endpoint instead of the embedded store")
    command.add_argument("--user", help="user name for HTTP basic auth at the endpoint")
    command.add_argument("--password-env", metavar="VAR", default="SDGRAPH_PASSWORD",
                         help="environment variable that holds the password "
                         "(default: SDGRAPH_PASSWORD)")
    command.add_argument("--format", "-f", choices=("table", "csv", "tsv", "json"),
                         default="table", help="output format (default: table)")
    command.add_argument("--lang", choices=LANGUAGES, default="en",
                         help="language of labels and column titles (default: en)")
    command.set_defaults(run=run)


def parse_params(pairs: list[str]) -> dict[str, str]:
    """``NAME=VALUE`` pairs as a dict; a pair without ``=`` or a repeated name is refused."""
    params: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--param {pair!r} is not NAME=VALUE")
        if name.strip() in params:
            raise UsageError(f"--param {name.strip()} is given twice")
        params[name.strip()] = value
    return params


def describe(queries: list[SavedQuery], lang: str) -> str:
    """The saved queries: name, title, and each parameter with its type and default."""
    lines = []
    for query in queries:
        lines.append(f"{query.name}")
        lines.append(f"    {query.title(lang)}")
        for param in query.params:
            if param.name == "lang":
                continue  # set by --lang
            default = f", default {param.default}" if param.default else ""
            lines.append(f"    --param {param.name}=<{param.type}{default}>  "
                         f"{param.description(lang)}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    project = Project.find(args.project)
    if args.list:
        print(describe(list_queries(project), args.lang))
        return 0
    if not args.name:
        raise UsageError("name a saved query or a .rq file, or use --list")
    query = load_query(project, args.name)
    params = parse_params(args.param)
    if query.param("lang") and "lang" not in params:
        params["lang"] = args.lang
    password = os.environ.get(args.password_env) if args.user else None
    bind(query, params)  # a bad value is refused (exit 2) before any store or endpoint is touched
    target = ({"endpoint": args.endpoint, "user": args.user, "password": password}
              if args.endpoint else {"store": open_store(project.store_path, read_only=True)})
    refuse_values_naming_nothing(query, params, **target)
    table = run_query(query, params, **target)
    if not table.rows and not args.endpoint and not names_graphs(query.text):
        print("note: the embedded store is read without a union default graph, and every "
              "triple sits in a named graph: put the patterns in GRAPH ?g { ... } (see "
              "docs/queries.md)", file=sys.stderr)
    output = table.render(args.format, args.lang)
    write_stdout(output)
    return 0
