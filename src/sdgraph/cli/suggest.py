"""``sdgraph suggest``: propose SDG goals or targets for a text or a practice of the graph."""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from ..errors import EnvironmentNotReady, InputFileError, UsageError
from ..load import read_text
from ..project import Project
from ..store import open_store


def register(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser(
        "suggest", help="suggest SDG goals or targets for a practice, with the evidence",
        description="Rank UN goals (or targets) for a text in English or Spanish, with a score "
        "in [0, 1] and the evidence: matched terms and the closest UN target. Offline, on the "
        "CPU. Needs the UN SDG texts: run `sdgraph vocab import PATH` once, or pass --kos PATH. "
        "With --practice and --write, the suggestions are written as SDG contributions with "
        "basis 'suggested', for a person to review before `sdgraph add`.")
    source = command.add_mutually_exclusive_group(required=True)
    source.add_argument("--text", help="the text of a practice")
    source.add_argument("--file", type=Path, help="a UTF-8 text file with the practice's text")
    source.add_argument("--practice", metavar="IRI",
                        help="a practice of the built graph: its IRI, its short form in query "
                        "tables (practice:bilbaoaccess) or its slug")
    command.add_argument("--level", choices=("goal", "target"), default="goal")
    command.add_argument("--top", type=int, default=5, metavar="K", help="how many (default 5)")
    command.add_argument("--lang", choices=("en", "es"), default=None,
                         help="language of the text and the evidence (default: detected)")
    command.add_argument("--kos", type=Path, metavar="PATH",
                         help="read the UN SDG texts from this KOS dump instead of the store")
    command.add_argument("--write", type=Path, metavar="FILE",
                         help="with --practice: write the suggestions as a contribution file")
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..suggest import Suggester, detect_language, suggestions_to_turtle
    from ..suggest.practice import practice_iri, practice_text

    if args.write and not args.practice:
        raise UsageError("--write needs --practice IRI", hint="name the practice the links are for")
    if args.top < 1:
        raise UsageError("--top must be at least 1")
    if args.practice:
        args.practice = practice_iri(args.practice)
    project = Project.find(args.project)
    store = None
    if args.practice or not args.kos:
        store = open_store(project.store_path)
    if args.kos:
        suggester = Suggester.from_file(args.kos)
    else:
        try:
            suggester = Suggester.from_store(store)
        except (LookupError, ValueError) as error:
            raise EnvironmentNotReady(
                "the UN SDG texts are not in the store",
                hint="run `sdgraph vocab import PATH_TO_UN_SDG_KOS.ttl` once, or pass --kos PATH"
            ) from error
    text = (args.text if args.text is not None
            else read_text(args.file) if args.file
            else practice_text(store, args.practice, args.lang))
    if not text.strip():
        raise UsageError("the text is empty")
    lang = args.lang or detect_language(text)
    suggestions = suggester.suggest(text, level=args.level, top=args.top, lang=lang)
    for rank, s in enumerate(suggestions, 1):
        print(f"{rank:>2}. {s.kind} {s.code:<5} {s.score:.2f}  {s.label}")
        print(f"    {s.explain()}")
    if args.write:
        write_atomically(args.write, suggestions_to_turtle(args.practice, suggestions, lang=lang))
        print(f"Wrote {len(suggestions)} suggestions to {args.write}; review them, then "
              f"`sdgraph add {args.write} --contributor NAME`.")
    return 0


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` beside ``path`` first and rename it into place."""
    folder = path.resolve().parent
    if not folder.is_dir():
        raise InputFileError(path, "the folder does not exist")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
