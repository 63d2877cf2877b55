"""``sdgraph review FILE``: accept or reject suggested SDG links."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import UsageError
from ..project import Project
from .suggest import write_atomically


def register(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser(
        "review", help="accept or reject the suggested SDG links of a file",
        description="List the suggested SDG links of FILE (written by `sdgraph suggest "
        "--write`), or decide on them: an accepted one becomes a curated link attributed to "
        "the reviewer and derived from the suggestion (prov:wasDerivedFrom), which is kept; a "
        "rejected one is left out. The reviewed file (--write OUT) is stored with `sdgraph add "
        "OUT --contributor REVIEWER`. Exit 0 when done, 2 on a usage error.")
    command.add_argument("file", type=Path, metavar="FILE")
    command.add_argument("--reviewer", metavar="NAME", help="who decides (needed to decide)")
    command.add_argument("--accept", action="append", default=[], metavar="ID",
                         help="a suggestion to accept: SLUG/CODE (e.g. bilbaoaccess/11.2), its "
                         "IRI, or 'all'; repeat for more")
    command.add_argument("--reject", action="append", default=[], metavar="ID",
                         help="a suggestion to reject, named like --accept; repeat for more")
    command.add_argument("--write", type=Path, metavar="OUT", help="write the reviewed file")
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..suggest.review import read_suggestions, review

    if not args.file.is_file():
        raise UsageError(f"{args.file}: no such file",
                         hint="give the file that `sdgraph suggest --unlinked --write` wrote")
    if not (args.accept or args.reject):
        _, suggestions = read_suggestions(args.file)
        for s in suggestions:
            print(f"{s.short:<40} {s.score:.2f}  {s.justification}")
        print(f"{len(suggestions)} suggestions; decide with --reviewer NAME --accept ID "
              f"--reject ID --write OUT.")
        return 0
    if not args.reviewer or not args.write:
        raise UsageError("deciding needs --reviewer NAME and --write OUT",
                         hint="e.g. sdgraph review FILE --reviewer 'Ana Pérez' --accept all "
                         "--write reviewed.ttl")
    in_project = _in_project(args)
    result = review(args.file, args.reviewer, args.accept, args.reject,
                    keep_suggestions=not in_project)
    write_atomically(args.write, result.turtle)
    print(f"Accepted {len(result.accepted)}, rejected {len(result.rejected)}, "
          f"{len(result.undecided)} still to review; wrote {args.write}. Store it with "
          f"`sdgraph add {args.write} --contributor '{args.reviewer}'`.")
    if in_project and result.rejected:
        print(f"  {args.file} is in the graph already: remove the rejected suggestions from "
              f"it and run `sdgraph build`.")
    return 0


def _in_project(args: argparse.Namespace) -> bool:
    """True when FILE is one of the project's contributions (its suggestions are in the graph,
    so the reviewed file must not define them again)."""
    try:
        project = Project.find(args.project)
    except Exception:  # noqa: BLE001 - outside a project, the file cannot be part of one
        return False
    return args.file.resolve().is_relative_to(project.contributions_dir.resolve())
