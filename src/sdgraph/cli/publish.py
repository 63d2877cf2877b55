"""``sdgraph publish``: push the built graph to a triplestore, one named graph per PUT."""

from __future__ import annotations

import argparse
import os

from ..project import Project
from ..publish.graph_store import guess_graph_store, publish
from ..query import check_endpoint_url
from ..store import open_store


def register(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser(
        "publish", help="push the built graph to a triplestore (SPARQL Graph Store Protocol)",
        description="Send every named graph of the built store to a triplestore with the SPARQL "
        "1.1 Graph Store HTTP Protocol, one PUT per graph: publishing again replaces each graph "
        "and never duplicates it. See docs/triplestores.md for the URLs of each store.")
    command.add_argument("--endpoint", required=True, metavar="URL",
                         help="the store's SPARQL query endpoint")
    command.add_argument("--graph-store", metavar="URL",
                         help="the Graph Store Protocol URL, when it cannot be told from the "
                         "endpoint (Oxigraph /query -> /store, Fuseki /ds/query -> /ds/data, ...)")
    command.add_argument("--user", help="user name for HTTP basic auth")
    command.add_argument("--password-env", metavar="VAR", default="SDGRAPH_PASSWORD",
                         help="environment variable that holds the password "
                         "(default: SDGRAPH_PASSWORD)")
    command.add_argument("--prune", action="store_true",
                         help="also delete the sdgraph graphs the server holds that the build "
                         "no longer has")
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    project = Project.find(args.project)
    check_endpoint_url(args.endpoint)
    if args.graph_store:
        check_endpoint_url(args.graph_store, "--graph-store")
    graph_store = args.graph_store or guess_graph_store(args.endpoint)
    password = os.environ.get(args.password_env) if args.user else None
    store = open_store(project.store_path, read_only=True)
    report = publish(store, graph_store, args.user, password,
                     prune_with=args.endpoint if args.prune else None)
    print(f"Published {len(report.graphs)} named graphs ({report.triples} triples) "
          f"to {graph_store}.")
    for graph in report.removed:
        print(f"  removed {graph}")
    return 0
