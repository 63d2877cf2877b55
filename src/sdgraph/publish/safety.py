"""What keeps the pages safe whatever the graph holds: which IRIs become links, the security
headers every response carries, and the site's one stylesheet (``security.toml``,
``static/site.css`` and ``sdg-colours.csv`` hold the rules; see docs/security.md)."""

from __future__ import annotations

import csv
import re
import tomllib
from functools import cache
from importlib import resources
from typing import Any

PACKAGE = "sdgraph.publish"
#: A colour of sdg-colours.csv, the only form that may reach the stylesheet.
COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")
#: Directives a <meta> Content-Security-Policy cannot carry (browsers ignore them there).
NOT_IN_META = ("frame-ancestors", "report-uri", "sandbox")


@cache
def _settings() -> dict[str, Any]:
    text = resources.files(PACKAGE).joinpath("security.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def security_headers() -> dict[str, str]:
    """The headers every response of the server carries."""
    return dict(_settings()["headers"])


def meta_policy() -> str:
    """The Content-Security-Policy for a ``<meta>`` element of a static page."""
    directives = [d.strip() for d in security_headers()["Content-Security-Policy"].split(";")]
    return "; ".join(d for d in directives if d and d.split()[0] not in NOT_IN_META)


def followable(iri: str) -> bool:
    """Whether an IRI may be a link on a page: an absolute IRI of an allowed scheme (http or
    https) with a host. ``javascript:``, ``data:``, ``file:`` and the rest are shown as text."""
    scheme, colon, rest = iri.partition(":")
    return (bool(colon) and scheme.lower() in _settings()["links"]["schemes"]
            and rest.startswith("//") and len(rest) > 2
            and not any(c.isspace() or ord(c) < 0x20 for c in iri))


@cache
def goal_colours() -> dict[int, str]:
    """The official colour of each of the 17 goals (``sdg-colours.csv``); a value that is not
    a colour is refused rather than written into the stylesheet."""
    text = resources.files(PACKAGE).joinpath("sdg-colours.csv").read_text(encoding="utf-8")
    colours = {}
    for row in csv.DictReader(text.splitlines()):
        if not COLOUR.fullmatch(row["colour"]) or not row["goal"].isdigit():
            raise ValueError(f"sdg-colours.csv: {row['goal']}: {row['colour']!r} is not a "
                             "colour such as #E5243B")
        colours[int(row["goal"])] = row["colour"]
    return colours


@cache
def stylesheet() -> str:
    """``static/site.css`` followed by one class per goal (``.goal-11``) in its colour."""
    text = resources.files(PACKAGE).joinpath("static", "site.css").read_text(encoding="utf-8")
    rules = [f".goal-{goal} {{ background: {colour}; }}"
             for goal, colour in sorted(goal_colours().items())]
    return text.rstrip("\n") + "\n" + "\n".join(rules) + "\n"


@cache
def pylode_stylesheet() -> str:
    """pyLODE's own stylesheet, which the ontology page links to instead of holding it inline."""
    import pylode

    return resources.files(pylode).joinpath("pylode.css").read_text(encoding="utf-8")


class SecurityHeaders:
    """ASGI middleware: every HTTP response carries :func:`security_headers` (a header the
    route set itself is kept)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.headers = [(name.lower().encode("latin-1"), value.encode("latin-1"))
                        for name, value in security_headers().items()]

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (name, value) for name, value in self.headers if name not in present]
            await send(message)

        await self.app(scope, receive, with_headers)
