"""A small interpreter of the mod_rewrite subset that release ``.htaccess`` files use, so that
tests can apply the rules to requests without an Apache httpd.

Supported: ``RewriteCond`` on ``%{HTTP_ACCEPT}``, ``%{QUERY_STRING}`` and ``%{REQUEST_FILENAME}``
(with ``-f``), ``!`` negation, ``[NC]``; ``RewriteRule`` with ``$n`` back-references, ``-``,
``[END]``, ``[L]`` (per-directory: the rewritten path goes round again) and ``[R=406]``;
``AddType``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Cond:
    variable: str
    pattern: str
    nocase: bool


@dataclass
class Rule:
    pattern: str
    target: str
    flags: set[str]
    conds: list[Cond] = field(default_factory=list)


def _flags(text: str | None) -> set[str]:
    return {f.strip().upper() for f in text.strip("[]").split(",")} if text else set()


def parse(text: str) -> tuple[list[Rule], dict[str, str]]:
    """The rules (each with its conditions) and the AddType map of an .htaccess file."""
    rules, types, pending = [], {}, []
    for line in text.splitlines():
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        if words[0] == "AddType":
            for suffix in words[2:]:
                types[suffix] = words[1]
        elif words[0] == "RewriteCond":
            flags = _flags(words[3] if len(words) > 3 else None)
            pending.append(Cond(words[1], words[2], "NC" in flags))
        elif words[0] == "RewriteRule":
            rules.append(Rule(words[1], words[2], _flags(words[3] if len(words) > 3 else None),
                              pending))
            pending = []
    return rules, types


@dataclass
class Answer:
    status: int
    path: str | None = None
    media_type: str | None = None


def _cond_holds(cond: Cond, variables: dict[str, str], root: Path) -> bool:
    value = variables[cond.variable]
    negate = cond.pattern.startswith("!")
    pattern = cond.pattern[1:] if negate else cond.pattern
    if pattern == "-f":
        held = (root / value).is_file()
    else:
        held = re.search(pattern, value, re.IGNORECASE if cond.nocase else 0) is not None
    return held != negate


def serve(root: Path, path: str, accept: str = "", query: str = "") -> Answer:
    """What Apache would answer for ``GET /path?query`` with ``Accept: accept`` in ``root``."""
    rules, types = parse((root / ".htaccess").read_text(encoding="utf-8"))
    current = path.lstrip("/")
    for _ in range(10):  # per-directory rewriting goes round again after [L]
        variables = {"%{HTTP_ACCEPT}": accept, "%{QUERY_STRING}": query,
                     "%{REQUEST_FILENAME}": current}
        restart = False
        for rule in rules:
            match = re.search(rule.pattern, current)
            if not match or not all(_cond_holds(c, variables, root) for c in rule.conds):
                continue
            status = next((int(f[2:]) for f in rule.flags if f.startswith("R=")), None)
            if rule.target == "-":
                if status:
                    return Answer(status)
                if "END" in rule.flags or "L" in rule.flags:
                    break
                continue
            groups = (match.group(0), *match.groups())
            rewritten = re.sub(r"\$(\d)", lambda m, g=groups: g[int(m.group(1))] or "",
                               rule.target)
            if "END" in rule.flags:
                current = rewritten
                break
            if "L" in rule.flags:
                restart = rewritten != current
                current = rewritten
                break
            current = rewritten
        if not restart:
            break
    file = root / current
    if file.is_dir() and (file / "index.html").is_file():
        file, current = file / "index.html", current.rstrip("/") + "/index.html"
    if not file.is_file():
        return Answer(404, current)
    return Answer(200, current, types.get("." + file.name.rsplit(".", 1)[-1]))
