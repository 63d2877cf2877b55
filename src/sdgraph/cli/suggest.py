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
        description="Rank UN goals (or targets) for a text in English, Spanish or French, with a "
        "score in [0, 1] and the evidence: matched terms and the closest UN target. Offline, on "
        "the CPU. Needs the UN SDG texts: run `sdgraph vocab import PATH` once, or pass --kos "
        "PATH. With --practice or --unlinked (every practice of the built graph that has no SDG "
        "link) and --write, the suggestions are written as SDG contributions with basis "
        "'suggested', for `sdgraph add` and for a person to accept or reject with "
        "`sdgraph review`.")
    source = command.add_mutually_exclusive_group(required=True)
    source.add_argument("--text", help="the text of a practice")
    source.add_argument("--file", type=Path, help="a UTF-8 text file with the practice's text")
    source.add_argument("--practice", metavar="IRI",
                        help="a practice of the built graph: its IRI, its short form in query "
                        "tables (practice:bilbaoaccess) or its slug")
    source.add_argument("--unlinked", action="store_true",
                        help="every practice of the built graph that has no SDG link yet: its "
                        "best goals, each with its best target")
    command.add_argument("--level", choices=("goal", "target"), default="goal")
    command.add_argument("--top", type=int, default=None, metavar="K",
                         help="how many (default 5; with --unlinked, goals per practice, "
                         "default 3)")
    command.add_argument("--min-score", type=float, default=0.0, metavar="S",
                         help="leave out suggestions scoring below S (0 to 1)")
    command.add_argument("--lang", choices=("en", "es", "fr"), default=None,
                         help="language of the text and the evidence (default: detected)")
    command.add_argument("--domain", choices=("city", "general"), default="city",
                         help="'city' (default): the text is a city practice, and words that "
                         "every city practice uses are no evidence; 'general' for other texts")
    command.add_argument("--kos", type=Path, metavar="PATH",
                         help="read the UN SDG texts from this KOS dump instead of the store")
    command.add_argument("--write", type=Path, metavar="FILE",
                         help="with --practice or --unlinked: write the suggestions as a "
                         "contribution file")
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..suggest import Suggester, detect_language, suggestions_to_turtle
    from ..suggest.practice import practice_iri, practice_text

    if args.write and not (args.practice or args.unlinked):
        raise UsageError("--write needs --practice IRI or --unlinked",
                         hint="name the practice the links are for")
    if args.top is None:
        args.top = 3 if args.unlinked else 5
    if args.top < 1:
        raise UsageError("--top must be at least 1")
    if not 0.0 <= args.min_score <= 1.0:
        raise UsageError("--min-score must be between 0 and 1")
    if args.practice:
        args.practice = practice_iri(args.practice)
    project = Project.find(args.project)
    store = None
    if args.practice or args.unlinked or not args.kos:
        store = open_store(project.store_path)
    if args.kos:
        suggester = Suggester.from_file(args.kos, domain=args.domain)
    else:
        try:
            suggester = Suggester.from_store(store, domain=args.domain)
        except (LookupError, ValueError) as error:
            raise EnvironmentNotReady(
                "the UN SDG texts are not in the store",
                hint="run `sdgraph vocab import PATH_TO_UN_SDG_KOS.ttl` once, or pass --kos PATH"
            ) from error
    if args.unlinked:
        return run_unlinked(args, store, suggester)
    text = (args.text if args.text is not None
            else read_text(args.file) if args.file
            else practice_text(store, args.practice, args.lang))
    if not text.strip():
        raise UsageError("the text is empty")
    lang = args.lang or detect_language(text)
    suggestions = suggester.suggest(text, level=args.level, top=args.top, lang=lang,
                                    min_score=args.min_score)
    for rank, s in enumerate(suggestions, 1):
        print(f"{rank:>2}. {s.kind} {s.code:<5} {s.score:.2f}  {s.label}")
        print(f"    {s.explain()}")
    if args.write:
        from ..suggest.graph import method_defined

        write_atomically(args.write, suggestions_to_turtle(
            args.practice, suggestions, lang=lang, include_method=not method_defined(store)))
        print(f"Wrote {len(suggestions)} suggestions to {args.write}; review them, then "
              f"`sdgraph add {args.write} --contributor NAME`.")
    return 0


def run_unlinked(args: argparse.Namespace, store, suggester) -> int:
    """Suggest links for every practice without one; print them, and write them with --write."""
    from ..suggest import suggestions_to_turtle
    from ..suggest.graph import method_defined, suggest_unlinked

    found = suggest_unlinked(store, suggester, goals=args.top, min_score=args.min_score,
                             lang=args.lang)
    if not found:
        print("Every practice of the graph has an SDG link already: nothing to suggest.")
        return 0
    for item in found:
        print(item.practice)
        for s in item.suggestions:
            print(f"    {s.kind:<6} {s.code:<5} {s.score:.2f}  {s.explain()}")
    count = sum(len(item.suggestions) for item in found)
    if args.write:
        # The method node is described once in the graph: a second file that described it
        # again would be refused by `sdgraph add` (an IRI defined twice).
        describe = not method_defined(store)
        parts = [suggestions_to_turtle(item.practice, item.suggestions, lang=item.lang,
                                       include_prefixes=i == 0,
                                       include_method=describe and i == 0, header=i == 0)
                 for i, item in enumerate(found)]
        write_atomically(args.write, "\n".join(parts))
        print(f"Wrote {count} suggestions for {len(found)} practices to {args.write}; store "
              f"them with `sdgraph add {args.write} --contributor NAME`, then accept or reject "
              f"each with `sdgraph review`.")
    else:
        print(f"{count} suggestions for {len(found)} practices; --write FILE writes them.")
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
