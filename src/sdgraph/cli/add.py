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
        "its provenance (its named graph, prov:wasAttributedTo, prov:generatedAtTime), after "
        "HermiT finds the graph consistent with it. If there is a built store, the file is "
        "loaded into it with the inferences and summary counts it brings, and the dumps are "
        "written again, as `sdgraph build` would. A file that does not conform, that defines "
        "an IRI another file defines, or that makes the graph inconsistent is refused (exit 1) "
        "and nothing changes.")
    command.add_argument("file", type=Path, metavar="FILE")
    command.add_argument("--contributor", required=True, metavar="NAME",
                         help="the person or organisation who contributes the file")
    command.add_argument("--no-consistency-check", action="store_true",
                         help="skip the HermiT consistency check (faster)")
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    project = Project.find(args.project)
    report = add_contribution(project, args.file, args.contributor,
                              check_consistency=not args.no_consistency_check)
    print(f"Added {report.stored_as.relative_to(project.root)} as graph {report.graph} "
          f"({report.triples} triples).")
    if report.in_store:
        checked = "" if args.no_consistency_check else "; HermiT: consistent"
        print(f"  Loaded into the store with its inferences and summary counts{checked}; "
              f"dumps written again in {project.dist_dir.relative_to(project.root)}/.")
    else:
        checked = "" if args.no_consistency_check else " (HermiT: consistent)"
        print(f"  No store yet{checked}: `sdgraph build` will load it.")
    if report.validation.warnings:
        count = len(report.validation.warnings)
        print(f"  {count} warning(s): run `sdgraph validate` to see them.")
    return 0
