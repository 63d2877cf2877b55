"""``sdgraph add FILE --contributor NAME``: validate a contribution and store it."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..contribute import add_contribution
from ..project import Project


def register(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser(
        "add", help="validate a contribution file and store it under data/contributions/",
        description="Validate FILE; only if it conforms, store it under data/contributions/ with "
        "its provenance (its named graph, prov:wasAttributedTo, prov:generatedAtTime) and load "
        "it into the built store if there is one, with the inferences and summary counts it "
        "brings. A file that does not conform, or that defines "
        "an IRI another file defines, is refused (exit 1) and nothing changes.")
    command.add_argument("file", type=Path, metavar="FILE")
    command.add_argument("--contributor", required=True, metavar="NAME",
                         help="the person or organisation who contributes the file")
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    project = Project.find(args.project)
    report = add_contribution(project, args.file, args.contributor)
    print(f"Added {report.stored_as.relative_to(project.root)} as graph {report.graph} "
          f"({report.triples} triples).")
    if report.in_store:
        print("  Loaded into the store with its inferences and summary counts; "
              "`sdgraph build` checks consistency and refreshes the dumps.")
    else:
        print("  No store yet: `sdgraph build` will load it.")
    if report.validation.warnings:
        count = len(report.validation.warnings)
        print(f"  {count} warning(s): run `sdgraph validate` to see them.")
    return 0
