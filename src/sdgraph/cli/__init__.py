"""The ``sdgraph`` command: a thin layer over the Python API, one module per command.

Exit codes: 0 success; 1 input readable but not acceptable (validation violations, an
inconsistent graph); 2 unreadable input or a bad command-line value; 3 environment not ready
(no built store, an unreachable endpoint, no memory for the input); 4 the project is busy
(another write holds its lock); 130 interrupted; 141 the output's reader left.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from .. import __version__
from ..errors import EXIT_INTERRUPTED, EXIT_PIPE, SdgraphError
from . import add, build, new, publish, query, release, review, serve, suggest, validate, vocab

COMMANDS = (build, validate, new, add, query, publish, release, serve, vocab, suggest, review)

EPILOG = """exit codes:
  0  success (validate: the files conform)
  1  readable but not acceptable input (validation violations, an inconsistent graph)
  2  unreadable input or a bad command-line value (file:line:column is named)
  3  environment not ready (no built store, an unreachable endpoint, no Java, a reasoner
     that failed or ran out of memory, an input larger than the memory at hand can take)
  4  the project is busy: another command writes to it and did not finish within --wait
     seconds; nothing was changed
  130  interrupted (Ctrl-C); nothing was changed (serve: 0, Ctrl-C is how it stops)
  141  the reader of the output closed it early (sdgraph ... | head)
"""


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="sdgraph",
        description="Build, check, query and publish the sdgraph knowledge graph of smart-city "
        "good practices and the UN Sustainable Development Goals.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    top.add_argument("--version", action="version", version=f"sdgraph {__version__}")
    top.add_argument("--project", metavar="DIR", default=None,
                     help="the project folder (default: the current folder)")
    commands = top.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in COMMANDS:
        module.register(commands)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except SdgraphError as error:
        print(f"sdgraph: error: {error.render(getattr(args, 'lang', None) or 'en')}",
              file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("sdgraph: interrupted; nothing was changed", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # the reader of the output left (`sdgraph ... | head`): stop quietly, and point stdout
        # at nothing so that the interpreter's last flush does not fail again
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_PIPE
