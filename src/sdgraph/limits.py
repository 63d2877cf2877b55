"""How large an input the memory at hand can take, and the size HermiT's Java heap gets.

The figures (memory per byte of input, HermiT's share of the memory) are data, in
``limits.toml``, with where they come from. ``validate`` and ``add`` check the total size of
their files against them before reading any, and refuse, with the flags that help, an input the
machine could not hold (``--max-size`` overrides the limit).
"""

from __future__ import annotations

import os
import re
import tomllib
from functools import cache
from pathlib import Path

from .errors import EXIT_ENVIRONMENT, SdgraphError, UsageError
from .writes import human_size, message

SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*([KMG]?)B?", re.IGNORECASE)
UNITS = {"": 1, "K": 1024, "M": 1024 ** 2, "G": 1024 ** 3}


class InputTooLarge(SdgraphError):
    """The input is larger than the memory at hand can take; nothing was read or changed."""

    exit_code = EXIT_ENVIRONMENT


@cache
def figures() -> dict:
    with Path(__file__).with_name("limits.toml").open("rb") as data:
        return tomllib.load(data)


def available_memory() -> int:
    """The memory available now, in bytes: ``MemAvailable`` of /proc/meminfo (Linux), else the
    free physical pages."""
    try:
        with open("/proc/meminfo", encoding="ascii") as info:
            for line in info:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")


def parse_size(text: str, lang: str = "en") -> int:
    """``500M``, ``2G``, ``1.5G``, ``800000`` -> bytes; anything else is a UsageError."""
    match = SIZE.fullmatch(text.strip())
    if not match:
        raise UsageError(message("bad_size", lang, value=text),
                         hint=message("bad_size_hint", lang))
    return int(float(match.group(1)) * UNITS[match.group(2).upper()])


def size_limit(command: str, memory: int | None = None) -> int:
    """The largest input (bytes) that ``command`` (``validate``, ``add``, ``add_with_hermit``)
    takes with ``memory`` bytes (default: the memory available now)."""
    memory = available_memory() if memory is None else memory
    spare = memory - figures()["memory"]["base_mb"] * 1024 ** 2
    return max(spare, 0) // figures()["bytes_per_input_byte"][command]


def check_input_size(paths: list[Path], command: str, consistency: bool = False,
                     max_size: int | None = None, lang: str = "en",
                     memory: int | None = None) -> None:
    """Refuse with :class:`InputTooLarge` files whose total size is past what ``command``
    (``validate`` or ``add``) can take with the memory at hand, unless ``max_size`` allows it."""
    total = sum(path.stat().st_size for path in paths if path.is_file())
    kind = "add_with_hermit" if command == "add" and consistency else command
    memory = available_memory() if memory is None else memory
    limit = size_limit(kind, memory) if max_size is None else max_size
    if total <= limit:
        return
    names = ", ".join(str(path) for path in paths[:3]) + (" ..." if len(paths) > 3 else "")
    faster = message("without_hermit", lang, limit=human_size(size_limit("add", memory))) \
        if kind == "add_with_hermit" else ""
    raise InputTooLarge(
        message("too_large", lang, files=names, size=human_size(total), command=command,
                limit=human_size(limit), memory=human_size(memory),
                factor=figures()["bytes_per_input_byte"][kind],
                how=message("with_hermit", lang) if kind == "add_with_hermit" else ""),
        hint=message("too_large_hint", lang, faster=faster))


def hermit_heap_mb(memory: int | None = None) -> int:
    """HermiT's Java heap (-Xmx, in MB): a share of the memory available now, with a floor."""
    memory = available_memory() if memory is None else memory
    share = figures()["memory"]
    return max(int(memory * share["hermit_share"]) // 1024 ** 2, share["hermit_floor_mb"])
