"""``sdgraph new KIND``: print a commented Turtle template with fresh IRIs."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..contribute import KINDS, new_template
from ..project import Project


def register(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser(
        "new", help="write a template for a new practice, city or participation",
        description="Write a commented Turtle template with fresh IRIs (none that a project file "
        "defines already). A practice template lists the axes of its edition (from data/axes/) "
        "and shows how to write SDG links. Fill in the TODOs, then run sdgraph validate.")
    command.add_argument("kind", choices=KINDS)
    command.add_argument("--label", help="the name, from which the IRI is made")
    command.add_argument("--city", help="the city's slug, such as bilbao (practice, participation)")
    command.add_argument("--edition", default="2023",
                         help="the edition's year (default: 2023)")
    command.add_argument("--country", help="ISO 3166-1 alpha-2 code (city)")
    command.add_argument("--output", "-o", type=Path, help="write to this file (default: stdout)")
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    project = Project.find(args.project)
    text = new_template(project, args.kind, label=args.label, city=args.city,
                        edition=args.edition, country=args.country)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
        print(f"Wrote {args.output}.")
    else:
        print(text, end="")
    return 0
