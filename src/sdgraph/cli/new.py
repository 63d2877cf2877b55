"""``sdgraph new KIND``: print a commented Turtle template with fresh IRIs."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..contribute import KINDS, check_new_file, new_record, write_new_file
from ..project import Project


def register(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser(
        "new", help="write a template for a new practice, city or participation",
        description="Write a commented Turtle template with fresh IRIs (none that a project file "
        "defines already). A practice template lists the axes of its edition (from data/axes/) "
        "and shows how to write SDG links. When the project has such a record already (a city "
        "of that name, the city's participation in that edition, a practice of that name), a "
        "notice on stderr names the file that defines it. Fill in the TODOs, then run sdgraph "
        "validate.")
    command.add_argument("kind", choices=KINDS)
    command.add_argument("--label", help="the name, from which the IRI is made")
    command.add_argument("--city", help="the city: its slug, such as bilbao, or city:bilbao "
                         "(practice, participation)")
    command.add_argument("--edition", default="2023",
                         help="the edition's year (default: 2023)")
    command.add_argument("--country", help="ISO 3166-1 alpha-2 code, such as ES (city)")
    command.add_argument("--output", "-o", type=Path,
                         help="write to this new file (default: stdout)")
    command.add_argument("--force", action="store_true",
                         help="with --output: overwrite the file if it exists")
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    project = Project.find(args.project)
    if args.output:
        check_new_file(args.output, args.force)  # before the work, and again when writing
    record = new_record(project, args.kind, label=args.label, city=args.city,
                        edition=args.edition, country=args.country)
    for notice in record.notices:
        print(f"sdgraph: note: {notice}", file=sys.stderr)
    if args.output:
        write_new_file(args.output, record.text, force=args.force)
        print(f"Wrote {args.output}.")
    else:
        print(record.text, end="")
    return 0
