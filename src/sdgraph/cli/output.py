"""Writing a command's result to standard output."""

from __future__ import annotations

import sys

#: Bytes of text written at a time. One large write that the reader leaves half-way through is
#: reported by Python as a short write, not as an error, so the command would go on as if its
#: reader had read everything; written in pieces, the next piece raises BrokenPipeError.
PIECE = 1 << 16


def write_stdout(text: str) -> None:
    """Write ``text`` (with a final newline) to standard output, piece by piece."""
    if not text.endswith("\n"):
        text += "\n"
    for start in range(0, len(text), PIECE):
        sys.stdout.write(text[start:start + PIECE])
        sys.stdout.flush()
