"""``sdgraph serve``: the built graph as linked open data over HTTP (read-only)."""

from __future__ import annotations

import argparse

from ..errors import UsageError
from ..project import Project


def register(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser(
        "serve", help="serve the built graph: resource IRIs, SPARQL and HTML pages",
        description="Serve the embedded store read-only over HTTP: every /id/... IRI with "
        "content negotiation (HTML, Turtle, JSON-LD, N-Triples, RDF/XML), the SPARQL 1.1 "
        "Protocol at /sparql, the ontology at /ontology, and HTML pages (home, resources, "
        "saved queries, search). Stop it with Ctrl-C (exit code 0): stopping is its normal end. A "
        "missing store or a port in use is an error (exit code 3) before it starts.")
    command.add_argument("--host", default="127.0.0.1", help="address to listen on "
                         "(default: 127.0.0.1)")
    command.add_argument("--port", type=int, default=8080, help="port (default: 8080)")
    command.add_argument("--build", action="store_true",
                         help="build the store first (as `sdgraph build` does), then serve it")
    command.add_argument("--base", default=None, metavar="IRI",
                         help="the IRI that the path / stands for "
                         "(default: https://w3id.org/sdgraph/)")
    command.add_argument("--timeout", type=float, default=10.0,
                         help="seconds a SPARQL query may run (default: 10)")
    command.add_argument("--limit", type=int, default=10_000,
                         help="result rows or triples a SPARQL query may return (default: 10000)")
    command.add_argument("--on-disk", action="store_true",
                         help="answer from the on-disk store instead of copies held in memory "
                         "(slower; for a graph too large for the memory of the three processes)")
    command.add_argument("--no-consistency-check", action="store_true",
                         help="with --build: skip the HermiT consistency check")
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..publish.server import Settings, serve

    project = Project.find(args.project)
    if not 0 < args.port < 65536:
        raise UsageError(f"--port {args.port} is not a TCP port", hint="use 1 to 65535")
    if args.timeout <= 0 or args.limit <= 0:
        raise UsageError("--timeout and --limit must be positive")
    settings = Settings(timeout=args.timeout, limit=args.limit, in_memory=not args.on_disk)
    if args.base:
        if not args.base.endswith("/"):
            raise UsageError(f"--base {args.base} must end with /")
        settings.root = args.base
    if args.build:
        from ..build import build
        from .build import render

        print(render(build(project, check_consistency=not args.no_consistency_check), project),
              flush=True)

    def announce() -> None:
        store = project.store_path.relative_to(project.root)
        print(f"Serving {store} on http://{args.host}:{args.port}/ "
              f"(IRIs under {settings.root}id/); Ctrl-C stops it.", flush=True)

    serve(project, args.host, args.port, settings, ready=announce)
    return 0
