"""Parameters of saved queries: a value typed and validated into one RDF term, and bound into
the query text in the content of the parameter's ``VALUES ?name { ... }`` blocks (found with a
lexer that skips strings, IRIs and comments), never pasted in as text."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ..errors import SdgraphError, UsageError
from ..namespaces import ID, PREFIXES, SDG, XSD, slug

if TYPE_CHECKING:
    from .saved import Param, SavedQuery


IRI_CHARS = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>\"{}|^`\\]*")
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
GOAL = re.compile(r"(?:SDG|ODS)?\s*(\d{1,2})", re.IGNORECASE)
TARGET = re.compile(r"(\d{1,2})\.(\d{1,2}|[a-z])")
INDICATOR = re.compile(r"C\d{2}[0-9a-z]{2}\d{2}")


def _iri(value: str) -> ox.NamedNode:
    """An absolute IRI, refused when it holds characters an IRI cannot (``<>"{}|^`\\``, spaces)."""
    if not IRI_CHARS.fullmatch(value):
        raise ValueError("not an absolute IRI (or it holds a space or one of <>\"{}|^`\\)")
    return ox.NamedNode(value)


def _in_namespace(value: str, namespace: str, pattern: re.Pattern[str]) -> ox.NamedNode | None:
    """``value`` when it is an IRI of ``namespace`` whose local part matches ``pattern``."""
    if value.startswith(namespace) and pattern.fullmatch(value[len(namespace):]):
        return _iri(value)
    return None


def _goal(value: str) -> ox.NamedNode:
    match = GOAL.fullmatch(value.strip())
    if match and 1 <= int(match.group(1)) <= 17:
        return ox.NamedNode(f"{SDG}{int(match.group(1))}")
    if (iri := _in_namespace(value, SDG, re.compile(r"\d{1,2}"))) is not None:
        return iri
    raise ValueError("not an SDG goal: give 1 to 17, or the goal's UN IRI")


def _target(value: str) -> ox.NamedNode:
    match = TARGET.fullmatch(value.strip())
    if match and 1 <= int(match.group(1)) <= 17:
        return ox.NamedNode(f"{SDG}{int(match.group(1))}.{match.group(2)}")
    if (iri := _in_namespace(value, SDG, TARGET)) is not None:
        return iri
    raise ValueError("not an SDG target: give a code such as 11.2, or the target's UN IRI")


def _sdg(value: str) -> ox.NamedNode:
    """A goal, a target, or an indicator by its UNSD permanent code (C110201)."""
    if value.startswith("https://metadata.un.org/sdg/") or (
            value.startswith(SDG) and value.endswith("/")):
        right = "http://" + value.removeprefix("https://").removeprefix("http://").rstrip("/")
        raise ValueError(f"not the UN's IRI: did you mean {right}? (http, no final slash)")
    for parse in (_goal, _target):
        try:
            return parse(value)
        except ValueError:
            pass
    if INDICATOR.fullmatch(value.strip()):
        return ox.NamedNode(SDG + value.strip())
    if (iri := _in_namespace(value, SDG, INDICATOR)) is not None:
        return iri
    raise ValueError("not an SDG goal, target or indicator: give 11, 11.2, an indicator's "
                     "permanent code such as C110201, or a UN IRI")


def _slugged(kind: str) -> Callable[[str], ox.NamedNode]:
    """A parser for an sdgraph resource given by slug (``bilbao``) or by full IRI."""

    def parse(value: str) -> ox.NamedNode:
        if SLUG.fullmatch(value):
            return ox.NamedNode(f"{ID}{kind}/{value}")
        if ":" not in value:
            raise ValueError(f"not a {kind}'s slug or IRI: did you mean {slug(value)}? (a slug is "
                             "written in lower case, accents dropped, hyphens between words)")
        return _iri(value)

    return parse


def _edition(value: str) -> ox.NamedNode:
    if re.fullmatch(r"\d{4}", value):
        return ox.NamedNode(f"{ID}edition/{value}")
    if (iri := _in_namespace(value, f"{ID}edition/", re.compile(r"\d{4}"))) is not None:
        return iri
    raise ValueError("not an edition: give its year (2023) or its IRI")


def _typed(pattern: str, datatype: str, what: str) -> Callable[[str], ox.Literal]:
    def parse(value: str) -> ox.Literal:
        if not re.fullmatch(pattern, value):
            raise ValueError(f"not {what}")
        return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype))

    return parse


def _lang(value: str) -> ox.Literal:
    if not re.fullmatch(r"[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*", value):
        raise ValueError("not a language tag such as en or es")
    return ox.Literal(value)


def _string(value: str) -> ox.Literal:
    # Unicode NFC, so that "Malmö" typed either way finds the same label.
    return ox.Literal(unicodedata.normalize("NFC", value))


BASES = {"stated": "StatedBySource", "curated": "CuratedByAgent", "suggested": "SuggestedByMethod"}


def _basis(value: str) -> ox.NamedNode:
    """stated, curated or suggested (or the basis's sdgr: name or IRI)."""
    local = value.removeprefix(PREFIXES["sdgr"]).removeprefix("sdgr:")
    local = BASES.get(local.lower(), local)
    if local not in BASES.values():
        raise ValueError("not a basis: give stated, curated or suggested")
    return ox.NamedNode(PREFIXES["sdgr"] + local)


#: Each parameter type and how a value of it becomes an RDF term.
PARAM_TYPES: dict[str, Callable[[str], ox.NamedNode | ox.Literal]] = {
    "iri": _iri,
    "string": _string,
    "lang": _lang,
    "integer": _typed(r"[+-]?\d{1,18}", "integer", "an integer of at most 18 digits"),
    "decimal": _typed(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)", "decimal", "a decimal number"),
    "year": _typed(r"\d{4}", "gYear", "a four-digit year"),
    "edition": _edition,
    "goal": _goal,
    "target": _target,
    "sdg": _sdg,
    "city": _slugged("city"),
    "practice": _slugged("practice"),
    "basis": _basis,
}


def parse_value(param: Param, value: str) -> ox.NamedNode | ox.Literal:
    """The RDF term for ``value`` of ``param``; a value of the wrong form is a UsageError."""
    try:
        return PARAM_TYPES[param.type](value)
    except ValueError as error:
        shown = value if len(value) <= 80 else value[:77] + "..."
        raise UsageError(f"parameter {param.name} ({param.type}): {shown!r} is {error}"
                         if str(error).startswith("not") else
                         f"parameter {param.name} ({param.type}): {shown!r}: {error}") from error


# ------------------------------------------------------------------------------------------------
# Binding: the content of VALUES blocks, found with a lexer that skips strings, IRIs and comments
# ------------------------------------------------------------------------------------------------

TOKEN = re.compile(
    r"""(?P<comment>\#[^\n]*)
    |(?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
       |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
    |(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    |(?P<var>[?$][A-Za-z0-9_\u00B7-\uFFFF]+)
    |(?P<word>[A-Za-z_][\w\-.:]*)
    |(?P<open>\{)|(?P<close>\})
    |(?P<space>\s+)
    |(?P<other>.)""",
    re.VERBOSE | re.DOTALL,
)


def _tokens(text: str) -> list[tuple[str, str, int, int]]:
    """(kind, text, start, end) for every token; strings, IRIs and comments are single tokens."""
    return [(m.lastgroup or "other", m.group(), m.start(), m.end()) for m in TOKEN.finditer(text)]


def values_blocks(text: str, name: str) -> list[tuple[int, int]]:
    """The (start, end) of the content of every ``VALUES ?name { ... }`` block of the text."""
    tokens = [t for t in _tokens(text) if t[0] not in ("space", "comment")]
    spans = []
    for i in range(len(tokens) - 2):
        kind, word = tokens[i][0], tokens[i][1]
        if (kind == "word" and word.upper() == "VALUES" and tokens[i + 1][0] == "var"
                and tokens[i + 1][1][1:] == name and tokens[i + 2][0] == "open"):
            end = next((t for t in tokens[i + 3:] if t[0] in ("open", "close")), None)
            if end is None or end[0] != "close":
                raise SdgraphError(f"VALUES ?{name} block is not closed")
            spans.append((tokens[i + 2][3], end[2]))
    return spans


def _one_term(rendered: str) -> str:
    """``rendered`` if it lexes as exactly one RDF term: an IRI, or a literal with its tag."""
    tokens = [(kind, text) for kind, text, _, _ in _tokens(rendered)]
    shapes = (
        [("iri",)],
        [("string",)],
        [("string",), ("other", "@"), ("word",)],
        [("string",), ("other", "^"), ("other", "^"), ("iri",)],
    )
    for shape in shapes:
        if len(shape) == len(tokens) and all(
                kind == want[0] and (len(want) == 1 or text == want[1])
                for (kind, text), want in zip(tokens, shape, strict=True)):
            return rendered
    raise UsageError(f"refusing a value that does not make one RDF term: {rendered!r}")


def names_graphs(text: str) -> bool:
    """Whether a query text has a ``GRAPH`` group (outside its comments, strings and IRIs)."""
    return any(kind == "word" and word.upper() == "GRAPH" for kind, word, _, _ in _tokens(text))


def bind(query: SavedQuery, params: dict[str, str] | None = None) -> str:
    """The query text with every parameter's VALUES blocks holding its term (or UNDEF)."""
    params = dict(params or {})
    unknown = sorted(set(params) - {p.name for p in query.params})
    if unknown:
        known = ", ".join(p.name for p in query.params) or "none"
        raise UsageError(f"query {query.name} has no parameter {', '.join(unknown)}",
                         hint=f"its parameters: {known}")
    replacements: list[tuple[int, int, str]] = []
    for param in query.params:
        if params.get(param.name) == "" and param.default:
            raise UsageError(f"parameter {param.name} is empty",
                             hint=f"leave it out to use its default ({param.default}), or give "
                             "a value")
        value = params.get(param.name, param.default)
        term = _one_term(str(parse_value(param, value))) if value != "" else "UNDEF"
        replacements += [(start, end, f" {term} ")
                         for start, end in values_blocks(query.text, param.name)]
    text = query.text
    for start, end, term in sorted(replacements, reverse=True):
        text = text[:start] + term + text[end:]
    return text

