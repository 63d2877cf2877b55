"""``sdgraph add FILE... | FOLDER --contributor NAME``: validate contributions and store them."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..add import add_contributions
from ..project import Project
from .options import add_max_size, add_wait


def register(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser(
        "add", help="validate contribution files and store them under data/contributions/",
        description="Validate the FILEs (a FOLDER stands for the RDF files in it) together; "
        "only if they all conform, store each under data/contributions/ in the folder that says "
        "what it is (the year of the edition it concerns, cities/ for a file that only defines "
        "cities, events/, several-editions/ or other/), with its provenance (its named graph, "
        "prov:wasAttributedTo, prov:generatedAtTime), after HermiT finds the graph consistent "
        "with them. If there is a built store, the files are loaded into it with the inferences "
        "and summary counts they bring, and the dumps are written again, as `sdgraph build` "
        "would. All the files are stored or none: a file that does not conform, that defines "
        "an IRI another file defines, or that makes the graph inconsistent is refused (exit 1) "
        "and nothing changes. An interrupted add changes nothing, or is finished by the next "
        "write.")
    command.add_argument("files", type=Path, nargs="+", metavar="FILE")
    command.add_argument("--contributor", required=True, metavar="NAME",
                         help="the person or organisation who contributes the files")
    command.add_argument("--no-consistency-check", action="store_true",
                         help="skip the HermiT consistency check (faster, and takes larger "
                         "files with the same memory)")
    add_wait(command)
    add_max_size(command, {"add_with_hermit": "up to", "add": "with --no-consistency-check"})
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    project = Project.find(args.project)
    report = add_contributions(project, args.files, args.contributor,
                               check_consistency=not args.no_consistency_check,
                               wait=args.wait, max_size=args.max_size)
    for stored in report.files:
        print(f"Added {stored.stored_as.relative_to(project.root)} as graph {stored.graph} "
              f"({stored.triples} triples).")
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
