"""Options that several commands share: how long a write waits for the project lock, and the
largest input a command takes."""

from __future__ import annotations

import argparse

from .. import limits
from ..errors import UsageError
from ..writes import DEFAULT_WAIT, human_size


def seconds(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not number >= 0 or number == float("inf"):
        raise argparse.ArgumentTypeError(f"expected a number of seconds of 0 or more, "
                                         f"not {value!r}")
    return number


def size(value: str) -> int:
    try:
        return limits.parse_size(value)
    except UsageError as error:
        raise argparse.ArgumentTypeError(f"{error.message} ({error.hint})") from error


def add_wait(command: argparse.ArgumentParser) -> None:
    """``--wait SECONDS``: how long a write waits while another holds the project lock."""
    command.add_argument("--wait", type=seconds, default=DEFAULT_WAIT, metavar="SECONDS",
                         help="while another command writes to the project, wait up to this "
                         f"long for it (default: {DEFAULT_WAIT:g}; 0: do not wait), then give "
                         "up with exit code 4, changing nothing")


def add_max_size(command: argparse.ArgumentParser, kinds: dict[str, str]) -> None:
    """``--max-size SIZE``: take inputs up to SIZE whatever the memory at hand; the help states
    what the memory available now can hold, for each of ``kinds`` (limit name -> words)."""
    memory = limits.available_memory()
    now = "; ".join(f"{words} {human_size(limits.size_limit(kind, memory))}"
                    for kind, words in kinds.items())
    command.add_argument("--max-size", type=size, default=None, metavar="SIZE",
                         help="the largest total input to take (such as 500M or 2G); by "
                         f"default, what the memory available now ({human_size(memory)}) can "
                         f"hold: {now}")
