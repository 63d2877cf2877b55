"""``sdgraph validate FILE...``: check contribution files against the shapes of ``shapes/``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..errors import EXIT_INVALID, EXIT_OK, InputFileError
from ..limits import check_input_size
from ..project import Project
from ..validate import ENGINES, LANGUAGES, Compactor, ValidationReport, validate_files
from ..validate.render import FORMATS, render_json, render_text, render_turtle
from .options import add_max_size
from .output import write_stdout

EPILOG = """exit codes:
  0  the files conform (warnings are shown and do not fail the run)
  1  at least one violation (each is shown with file:line, node, property, value and a hint)
  2  a file cannot be read: a Turtle syntax error (file:line:column, with a hint for the
     mistake: an undeclared or misspelt prefix, punctuation, quotes...), an empty, binary or
     non-UTF-8 file, a directory, or a name without an RDF extension (.ttl, .trig, .nt, .nq,
     .jsonld, .rdf, .owl); with --format json, the problem is written as JSON on standard
     output too: {"conforms": false, "results": [], "error": {"file", "line", "column",
     "message", "hint"}}

a total input larger than the memory available now can take is refused before it is read
(exit 3), saying how much it can take; --max-size SIZE overrides the limit

identical results (two constraints of one shape refusing the same value) are shown once in the
text report; --format json and turtle keep every SHACL result
"""


def register(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser(
        "validate", help="check contribution files against the SHACL shapes",
        description="Validate Turtle contribution files against the shapes of shapes/, in the "
        "context of the project's graph (ontology, SDG skeleton, editions, axes, countries and "
        "the other contributions; no build needed). Only the nodes the files describe are "
        "checked. A file that defines (types) an IRI that another file under data/ already "
        "defines is refused.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    command.add_argument("files", nargs="+", metavar="FILE", type=Path)
    command.add_argument("--lang", choices=LANGUAGES, default="en",
                         help="language of messages and hints (default: en)")
    command.add_argument("--format", choices=FORMATS, default="text", dest="output",
                         help="text for people, json for tools, turtle for the standard SHACL "
                         "validation report (default: text)")
    command.add_argument("--engine", choices=ENGINES, default="fast",
                         help="fast: shapes compiled to SPARQL on pyoxigraph; pyshacl: the "
                         "reference implementation, slower (default: fast)")
    command.add_argument("--workers", type=positive, default=None, metavar="N",
                         help="threads that run the checks side by side (default: one per "
                         "processor core)")
    add_max_size(command, {"validate": "up to"})
    command.set_defaults(run=run)


def positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {value!r}")
    return int(value)


def render(report: ValidationReport, output: str, root: Path) -> str:
    if output == "json":
        return render_json(report, root)
    if output == "turtle":
        return render_turtle(report)
    declared: dict[str, str] = {}
    return render_text(report, Compactor(declared), root)


def unreadable_json(error: InputFileError) -> str:
    """An unreadable file as JSON, for tools that read ``--format json``: no results, since
    nothing could be checked, and the file, line, column, problem and hint."""
    return json.dumps({"conforms": False, "results": [], "error": {
        "file": str(error.path), "line": error.line, "column": error.column,
        "message": error.problem, "hint": error.hint}}, ensure_ascii=False, indent=2)


def run(args: argparse.Namespace) -> int:
    project = Project.find(args.project)
    check_input_size(args.files, "validate", max_size=args.max_size, lang=args.lang)
    try:
        report = validate_files(project, args.files, lang=args.lang, engine=args.engine,
                                workers=args.workers)
    except InputFileError as error:
        if args.output != "json":
            raise
        write_stdout(unreadable_json(error))
        return error.exit_code
    write_stdout(render(report, args.output, Path.cwd().resolve()))
    return EXIT_OK if report.conforms else EXIT_INVALID
