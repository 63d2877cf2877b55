"""Query stage: saved SPARQL queries with typed parameters, run on the store or an endpoint.

A saved query is a ``queries/NAME.rq`` file whose header (see :mod:`sdgraph.sparql_files`) gives
its title and description in English and Spanish, its parameters and its result columns::

    # title@en: Practices per SDG goal
    # param: edition | edition | | Only this edition (default: every edition) | Solo esta edición
    # column: goal | Goal | Objetivo
    SELECT ... WHERE {
      VALUES ?edition { UNDEF }
      ...
    }

A parameter is bound where the query text says so: in every single-variable ``VALUES ?name
{ ... }`` block of the query. The file runs as it is in any SPARQL tool (with the values its
VALUES blocks hold); :func:`bind` replaces the content of those blocks by one RDF term built from
the validated, typed value, or by ``UNDEF`` when the parameter is left open. A value is never
pasted into the query as text: it becomes a term first (an IRI that passed the IRI grammar, a
literal escaped by pyoxigraph), and the result is checked to be exactly one term.

Queries read the named graphs with ``GRAPH ?g { ... }`` patterns, one per triple pattern, so that
they give the same answers on the embedded store (queried without a union default graph) and on
a SPARQL server that keeps the data in named graphs and has an empty default graph.
"""

from __future__ import annotations

import ast
import contextlib
import re
import unicodedata
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from . import sparql_results
from .errors import EnvironmentNotReady, InputFileError, SdgraphError, UsageError
from .namespaces import ID, PREFIXES, SDG, XSD, slug
from .project import Project
from .sparql_files import SparqlFile, read_folder, read_sparql_file
from .sparql_results import PLAIN, json_term

LANGUAGES = ("en", "es")
#: The response header in which an endpoint (Virtuoso) gives the row limit it cut an answer at.
MAX_ROWS_HEADER = "X-SPARQL-MaxRows"
#: The response header in which ``sdgraph serve`` says that its result limit cut an answer.
TRUNCATED_HEADER = "Sdgraph-Result-Truncated"

# ------------------------------------------------------------------------------------------------
# Header: parameters and columns
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Param:
    """A parameter of a saved query, from a ``# param: NAME | TYPE | DEFAULT | en | es`` line.

    An empty default leaves the parameter open: its VALUES blocks hold ``UNDEF``.
    """

    name: str
    type: str
    default: str = ""
    description_en: str = ""
    description_es: str = ""

    def description(self, lang: str = "en") -> str:
        return self.description_es if lang == "es" and self.description_es else self.description_en


@dataclass(frozen=True)
class Column:
    """A result column of a saved query, from a ``# column: NAME | label en | label es`` line."""

    name: str
    label_en: str = ""
    label_es: str = ""

    def label(self, lang: str = "en") -> str:
        if lang == "es" and self.label_es:
            return self.label_es
        return self.label_en or self.name


@dataclass(frozen=True)
class SavedQuery:
    """A saved SELECT query: its name (the file stem), header and text."""

    name: str
    path: Path
    text: str
    titles: dict[str, str] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    params: list[Param] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)

    def title(self, lang: str = "en") -> str:
        return self.titles.get(lang) or self.titles.get("en", self.name)

    def description(self, lang: str = "en") -> str:
        return self.descriptions.get(lang) or self.descriptions.get("en", "")

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    def column_label(self, name: str, lang: str = "en") -> str:
        column = next((c for c in self.columns if c.name == name), None)
        return column.label(lang) if column else name


def _cells(value: str, count: int) -> list[str]:
    """The ``|``-separated cells of a header value, padded to ``count``."""
    cells = [cell.strip() for cell in value.split("|")]
    return cells + [""] * (count - len(cells))


def saved_query(file: SparqlFile) -> SavedQuery:
    """A :class:`SavedQuery` from a parsed SPARQL file; a malformed header names the file."""
    params = []
    for value in file.values("param"):
        name, kind, default, en, es = _cells(value, 5)[:5]
        if not re.fullmatch(r"[A-Za-z_]\w*", name) or kind not in PARAM_TYPES:
            raise InputFileError(file.path, f"malformed parameter line 'param: {value}'",
                                 hint="write `# param: NAME | TYPE | DEFAULT | description en | "
                                 f"description es` with TYPE one of {', '.join(PARAM_TYPES)}")
        if not _values_blocks(file.text, name):
            raise InputFileError(file.path, f"parameter '{name}' has no `VALUES ?{name} {{ ... }}` "
                                 "block in the query", hint="bind it where the query needs it")
        if default:
            parse_value(Param(name, kind), default)  # a bad default is the file's fault
        params.append(Param(name, kind, default, en, es))
    columns = [Column(*_cells(value, 3)[:3]) for value in file.values("column")]
    return SavedQuery(
        name=file.name, path=file.path, text=file.text,
        titles={lang: file.fields[f"title@{lang}"][0] for lang in LANGUAGES
                if file.fields.get(f"title@{lang}")},
        descriptions={lang: file.fields[f"description@{lang}"][0] for lang in LANGUAGES
                      if file.fields.get(f"description@{lang}")},
        params=params, columns=columns)


def list_queries(project: Project) -> list[SavedQuery]:
    """Every saved query of the project, in name order."""
    return [saved_query(file) for file in read_folder(project.queries_dir)]


def load_query(project: Project, name_or_path: str | Path) -> SavedQuery:
    """A saved query by name (``cities-per-edition``) or by the path of a ``.rq`` file."""
    text = str(name_or_path)
    path = Path(text)
    if text.endswith(".rq") or path.is_file():
        if not path.is_file():
            raise UsageError(f"no query file {path}")
        return saved_query(read_sparql_file(path))
    if not re.fullmatch(r"[A-Za-z0-9][\w.-]*", text):
        raise UsageError(f"'{text}' is not a query name", hint="see `sdgraph query --list`")
    path = project.queries_dir / f"{text}.rq"
    if not path.is_file():
        known = ", ".join(q.name for q in list_queries(project))
        raise UsageError(f"no saved query named '{text}'", hint=f"saved queries: {known}")
    return saved_query(read_sparql_file(path))


# ------------------------------------------------------------------------------------------------
# Parameter values: typed, validated, turned into RDF terms
# ------------------------------------------------------------------------------------------------

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


def _values_blocks(text: str, name: str) -> list[tuple[int, int]]:
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
                         for start, end in _values_blocks(query.text, param.name)]
    text = query.text
    for start, end, term in sorted(replacements, reverse=True):
        text = text[:start] + term + text[end:]
    return text


# ------------------------------------------------------------------------------------------------
# Results
# ------------------------------------------------------------------------------------------------



def normalise_json_term(value: dict[str, str]) -> dict[str, str]:
    """A term from an endpoint's JSON results in the same form as :func:`json_term`."""
    kind = value.get("type")
    if kind in ("literal", "typed-literal"):
        out = {"type": "literal", "value": value["value"]}
        if value.get("xml:lang"):
            out["xml:lang"] = value["xml:lang"]
        elif value.get("datatype") and value["datatype"] not in PLAIN:
            out["datatype"] = value["datatype"]
        return out
    return {"type": kind or "literal", "value": value.get("value", "")}




def table_namespaces() -> dict[str, str]:
    """The prefixes that shorten IRIs in tables: the project's, and one per kind of record."""
    namespaces = {**PREFIXES, "axis": ID + "axes/"}
    for kind in ("edition", "event", "city", "org", "practice", "participation", "role", "country",
                 "continent", "theme", "barrier", "enabler", "finding"):
        namespaces[kind] = f"{ID}{kind}/"
    return namespaces


def short_iri(iri: str) -> str:
    """An IRI shortened with the project's prefixes, for people reading a table."""
    namespaces = table_namespaces()
    best = max((ns for ns in namespaces.values() if iri.startswith(ns)), key=len, default=None)
    if best is None:
        return iri
    prefix = next(name for name, ns in namespaces.items() if ns == best)
    local = iri[len(best):]
    return f"{prefix}:{local}" if re.fullmatch(r"[\w.\-/]*", local) else iri


def expand_iri(text: str) -> str:
    """The IRI that a table's short form (``practice:bilbaoaccess``) stands for; any other text
    as it is."""
    prefix, colon, local = text.partition(":")
    namespace = table_namespaces().get(prefix) if colon else None
    if namespace is None or local.startswith("//"):
        return text
    return namespace + local


@dataclass
class ResultTable:
    """The rows of a SELECT query; each value in the SPARQL 1.1 JSON results term form."""

    columns: list[str]
    rows: list[dict[str, dict[str, str]]]
    query: SavedQuery | None = None

    def values(self) -> list[tuple[str | None, ...]]:
        """Each row as a tuple of plain values (None where unbound), in column order."""
        return [tuple(row[c]["value"] if c in row else None for c in self.columns)
                for row in self.rows]

    def labels(self, lang: str = "en") -> list[str]:
        return [self.query.column_label(c, lang) if self.query else c for c in self.columns]

    def to_table(self, lang: str = "en", width: int = 48) -> str:
        """A table for a terminal: column labels in ``lang``, IRIs shortened, long cells cut."""
        def cell(row: dict[str, dict[str, str]], column: str) -> str:
            value = row.get(column)
            if value is None:
                return ""
            text = short_iri(value["value"]) if value["type"] == "uri" else value["value"]
            text = " ".join(text.split())
            return text if len(text) <= width else text[: width - 1] + "…"

        header = self.labels(lang)
        body = [[cell(row, c) for c in self.columns] for row in self.rows]
        widths = [max([len(h)] + [len(r[i]) for r in body]) for i, h in enumerate(header)]
        numeric = [all(re.fullmatch(r"-?[\d.]+", r[i] or "0") for r in body)
                   for i in range(len(header))]

        def line(cells: list[str]) -> str:
            return "  ".join(c.rjust(w) if num else c.ljust(w)
                             for c, w, num in zip(cells, widths, numeric, strict=True)).rstrip()

        lines = [line(header), "  ".join("-" * w for w in widths)]
        lines += [line(r) for r in body]
        count = len(self.rows)
        lines.append(f"({count} {'row' if count == 1 else 'rows'})" if lang != "es"
                     else f"({count} {'fila' if count == 1 else 'filas'})")
        return "\n".join(lines)

    def to_csv(self) -> str:
        """SPARQL 1.1 CSV results: variable names, then plain values."""
        return sparql_results.to_csv(self.columns, self.rows).decode("utf-8")

    def to_tsv(self) -> str:
        """SPARQL 1.1 TSV results: ``?variables``, then terms as in Turtle."""
        return sparql_results.to_tsv(self.columns, self.rows).decode("utf-8")

    def to_json(self) -> str:
        """SPARQL 1.1 JSON results."""
        return sparql_results.to_json(self.columns, self.rows).decode("utf-8")

    def render(self, form: str = "table", lang: str = "en") -> str:
        if form == "table":
            return self.to_table(lang)
        renderers = {"csv": self.to_csv, "tsv": self.to_tsv, "json": self.to_json}
        if form not in renderers:
            raise UsageError(f"unknown format '{form}'", hint="use table, csv, tsv or json")
        return renderers[form]()


# ------------------------------------------------------------------------------------------------
# Running
# ------------------------------------------------------------------------------------------------


def run_on_store(text: str, store: ox.Store) -> tuple[list[str], list[dict[str, dict]]]:
    """Run a SELECT on the embedded store, read as a server would: no union default graph.

    A term that appears in several rows may be one dictionary shared by them: treat the rows as
    read-only.
    """
    solutions = _select(text, store)
    read = sparql_results.solutions_rows(solutions)
    if read is not None:
        return read
    solutions = _select(text, store)  # a term the fast reading does not know: term by term
    columns = [variable.value for variable in solutions.variables]
    rows = [{column: json_term(term) for column, term in zip(columns, solution, strict=True)
             if term is not None} for solution in solutions]
    return columns, rows


def _select(text: str, store: ox.Store) -> ox.QuerySolutions:
    try:
        solutions = store.query(text, use_default_graph_as_union=False)
    except SyntaxError as error:
        raise SdgraphError(f"the query does not parse: {error}") from error
    if not isinstance(solutions, ox.QuerySolutions):
        raise UsageError("only SELECT queries can be saved queries")
    return solutions


def run_on_endpoint(text: str, endpoint: str, user: str | None = None,
                    password: str | None = None,
                    timeout: int = 120) -> tuple[list[str], list[dict[str, dict]]]:
    """Run a SELECT on a SPARQL 1.1 endpoint (POST, JSON results) through SPARQLWrapper."""
    from urllib.error import HTTPError, URLError

    from SPARQLWrapper import JSON, POST, URLENCODED, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    check_endpoint_url(endpoint)
    client = SPARQLWrapper(endpoint)
    client.setQuery(text)
    client.setMethod(POST)
    client.setRequestMethod(URLENCODED)
    client.setReturnFormat(JSON)
    client.setTimeout(timeout)
    if user is not None:
        client.setCredentials(user, password or "")
    try:
        result = client.query()
        headers = {name.lower(): value for name, value in result.info().items()}
        answer = result.convert()
    except SPARQLWrapperException as error:
        raise endpoint_refusal(endpoint, error) from error
    except HTTPError as error:
        raise EnvironmentNotReady(f"{endpoint} answered HTTP {error.code} {error.reason}",
                                  hint="is this the SPARQL query endpoint of the store? "
                                  "see docs/triplestores.md") from error
    except (URLError, OSError) as error:
        raise EnvironmentNotReady(f"cannot reach the SPARQL endpoint {endpoint} ({error})",
                                  hint="is the triplestore running? see docs/triplestores.md"
                                  ) from error
    if not isinstance(answer, dict) or "results" not in answer:
        raise SdgraphError(f"{endpoint} did not answer with SPARQL JSON results")
    columns = list(answer.get("head", {}).get("vars", []))
    rows = [{name: normalise_json_term(value) for name, value in binding.items()}
            for binding in answer["results"].get("bindings", [])]
    refuse_cut_answer(endpoint, headers, len(rows))
    return columns, rows


def check_endpoint_url(url: str, option: str = "--endpoint") -> None:
    """Refuse (exit code 2) an endpoint URL that is not an absolute http(s) URL."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(f"{option} {url!r} is not an http:// or https:// URL",
                         hint="write the whole URL, such as http://localhost:7878/query")


def endpoint_refusal(endpoint: str, error: Exception) -> SdgraphError:
    """The error to report for a SPARQLWrapper exception: an HTTP status of the endpoint, with
    what the server said (its body, shortened)."""
    kind = type(error).__name__
    said = str(error).split("Response:\n", 1)[1] if "Response:\n" in str(error) else ""
    with contextlib.suppress(ValueError, SyntaxError):
        body = ast.literal_eval(said)
        said = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
    said = " ".join(said.split())
    said = f": {said[:200]}{'...' if len(said) > 200 else ''}" if said else ""
    if kind == "QueryBadFormed":
        return SdgraphError(f"{endpoint} refused the query as malformed (HTTP 400){said}",
                            hint="check the query's syntax; the store may lack a SPARQL 1.1 "
                            "feature it uses")
    statuses = {"EndPointNotFound": "404 Not Found", "Unauthorized": "401 Unauthorized",
                "URITooLong": "414 URI Too Long", "EndPointInternalError": "500 Internal Error"}
    hints = {"Unauthorized": "pass --user NAME, with the password in the environment variable "
             "named by --password-env",
             "EndPointInternalError": "the store failed on the query: see its log"}
    return EnvironmentNotReady(
        f"{endpoint} answered HTTP {statuses.get(kind, kind)}{said}",
        hint=hints.get(kind, "is this the SPARQL query endpoint of the store? (Oxigraph: /query, "
                       "Fuseki: /DATASET/sparql, Virtuoso: /sparql; see docs/triplestores.md)"))


def refuse_cut_answer(endpoint: str, headers: dict[str, str], rows: int) -> None:
    """Raise when the endpoint says (in the response ``headers``, names in lower case) that it
    may have cut the answer at its row limit, so that a partial answer never passes for the
    whole one.

    Virtuoso answers at most ``ResultSetMaxRows`` rows of a query, silently but for a header
    that gives the limit (an answer as long as the limit may lack rows); ``sdgraph serve`` says
    that it cut an answer at its ``--limit``.
    """
    limit = headers.get(MAX_ROWS_HEADER.lower(), "").strip()
    if limit.isdigit() and rows >= int(limit):
        stated = f"its limit per query ({MAX_ROWS_HEADER}: {limit})"
    elif headers.get(TRUNCATED_HEADER.lower(), "").strip().lower() == "true":
        stated = f"where it cut the answer ({TRUNCATED_HEADER})"
    else:
        return
    raise EnvironmentNotReady(
        f"{endpoint} answered {rows} rows, {stated}, so the answer may lack rows",
        hint="raise the store's row limit (Virtuoso: ResultSetMaxRows in the [SPARQL] section "
        "of virtuoso.ini; sdgraph serve: --limit), or narrow the question with --param")


#: Parameter types whose value names a resource of the graph (or of the SDG framework).
RESOURCE_TYPES = ("edition", "city", "practice", "goal", "target", "sdg")


def values_naming_nothing(query: SavedQuery, params: dict[str, str],
                          store: ox.Store | None = None, endpoint: str | None = None,
                          user: str | None = None, password: str | None = None
                          ) -> list[tuple[Param, str]]:
    """The parameters given a value that names a resource the graph says nothing about (an
    edition that is not one, a city's misspelt slug, a target the UN framework does not have):
    (parameter, IRI) pairs."""
    unknown = []
    for param in query.params:
        if param.type not in RESOURCE_TYPES or not params.get(param.name):
            continue
        iri = parse_value(param, params[param.name]).value
        text = f"SELECT ?p WHERE {{ GRAPH ?g {{ <{iri}> ?p ?o }} }} LIMIT 1"
        if store is not None:
            found = bool(run_on_store(text, store)[1])
        else:
            found = bool(run_on_endpoint(text, endpoint or "", user, password)[1])
        if not found:
            unknown.append((param, iri))
    return unknown


#: What to do about a value that names nothing, by parameter type.
WHERE_TO_LOOK = {
    "edition": "the editions are named by their year; the saved query edition-completeness "
               "lists them",
    "city": "the saved query cities-per-edition lists the cities (the slug is the end of the "
            "IRI)",
    "practice": "the saved query practices-for-sdg lists practices (the slug is the end of the "
                "IRI)",
}
SDG_HINT = ("the UN framework has no such code: give a goal (1 to 17), one of its targets (11.2) "
            "or an indicator's permanent code (C110201)")


def refuse_values_naming_nothing(query: SavedQuery, params: dict[str, str],
                                 store: ox.Store | None = None, endpoint: str | None = None,
                                 user: str | None = None, password: str | None = None) -> None:
    """Refuse (UsageError, exit code 2) a parameter value that names nothing in the graph, so
    that a mistyped edition, city or SDG code is told apart from a question whose answer is
    empty or all zeros."""
    unknown = values_naming_nothing(query, params, store, endpoint, user, password)
    if unknown:
        param, iri = unknown[0]
        raise UsageError(f"parameter {param.name}: {params[param.name]!r} names nothing in the "
                         f"graph (<{iri}>)", hint=WHERE_TO_LOOK.get(param.type, SDG_HINT))


def run_query(query: SavedQuery, params: dict[str, str] | None = None,
              store: ox.Store | None = None, endpoint: str | None = None,
              user: str | None = None, password: str | None = None) -> ResultTable:
    """Bind ``params`` and run ``query`` on ``store`` or on ``endpoint`` (exactly one of them)."""
    if (store is None) == (endpoint is None):
        raise UsageError("run a query on either a store or an endpoint")
    text = bind(query, params)
    if store is not None:
        columns, rows = run_on_store(text, store)
    else:
        columns, rows = run_on_endpoint(text, endpoint or "", user, password)
    return ResultTable(columns, rows, query)
