"""``sdgraph vocab import``: bring the official UN SDG KOS dump into its own named graph."""

from __future__ import annotations

import argparse

from ..project import Project
from ..vocab import DEFAULT_NAME, import_vocabulary
from .options import add_wait

SHOW_MISSING = 12


def register(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser("vocab", help="import outside vocabularies")
    actions = command.add_subparsers(dest="action", metavar="ACTION", required=True)
    imp = actions.add_parser(
        "import", help="import the UN SDG KOS dump (a path or URL)",
        description="Load a vocabulary dump (Turtle, N-Triples or RDF/XML) into the named graph "
        "https://w3id.org/sdgraph/graph/vocab/NAME, keep a copy for later builds, and report the "
        "skeleton IRIs that the dump lacks.")
    imp.add_argument("source", metavar="PATH_OR_URL")
    imp.add_argument("--name", default=DEFAULT_NAME, help=f"graph name (default: {DEFAULT_NAME})")
    add_wait(imp)
    imp.set_defaults(run=run_import)


def run_import(args: argparse.Namespace) -> int:
    project = Project.find(args.project)
    report = import_vocabulary(project, args.source, args.name, wait=args.wait)
    where = "the store and " if report.stored else ""
    print(f"Imported {report.triples} triples into {report.graph} "
          f"({where}{report.saved_to.relative_to(project.root)}).")
    if not report.stored:
        print("  No store yet: `sdgraph build` will load it.")
    print(f"Skeleton IRIs the vocabulary lacks: {report.missing_count}")
    for kind, iris in report.missing.items():
        if iris:
            shown = ", ".join(iri.rsplit("/", 1)[-1] for iri in iris[:SHOW_MISSING])
            more = f" and {len(iris) - SHOW_MISSING} more" if len(iris) > SHOW_MISSING else ""
            print(f"  {kind}: {len(iris)} ({shown}{more})")
    return 0
