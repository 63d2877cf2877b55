"""SPARQL 1.1 query results in the four standard formats, from rows in SPARQL JSON term form.

Rows are dictionaries from variable name to a term as the SPARQL 1.1 Query Results JSON
Format writes it (``{"type": "uri", "value": ...}``), the form the saved-queries API returns
too, so that one writer serves the protocol endpoint and the saved-query pages.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from .namespaces import RDF, XSD

Row = dict[str, dict[str, str]]

#: Short name -> media type of the result formats.
RESULT_FORMATS = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}


PLAIN = {XSD + "string", RDF + "langString"}


def json_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> dict[str, str]:
    """A pyoxigraph term in the SPARQL 1.1 JSON results form."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value not in PLAIN:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "literal", "value": str(term)}  # a quoted triple, shown as text


# How the SPARQL 1.1 TSV results format writes a term (Turtle syntax): an IRI, a blank node, a
# quoted literal with its language or datatype, or a bare number or boolean (Turtle's short forms).
_TSV_LITERAL = re.compile(
    r'"((?:[^"\\]|\\.)*)"(?:@([A-Za-z]+(?:-[A-Za-z0-9]+)*)|\^\^<([^<>]*)>)?', re.DOTALL)
_TSV_ESCAPE = re.compile(r"\\(?:[tbnrf\"'\\]|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})")
_ESCAPED = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'",
            "\\": "\\"}
_BARE = (
    (re.compile(r"[+-]?[0-9]+"), XSD + "integer"),
    (re.compile(r"[+-]?[0-9]*\.[0-9]+"), XSD + "decimal"),
    (re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)[eE][+-]?[0-9]+"), XSD + "double"),
    (re.compile(r"true|false"), XSD + "boolean"),
)


def _unescape(match: re.Match[str]) -> str:
    text = match.group()
    return _ESCAPED.get(text[1]) or chr(int(text[2:], 16))


def _tsv_term(cell: str) -> dict[str, str] | None:
    """A term written in the TSV results format, in the SPARQL JSON form; None if unknown."""
    if cell.startswith("<"):
        return None if cell.startswith("<<") else {"type": "uri", "value": cell[1:-1]}
    if cell.startswith('"'):
        match = _TSV_LITERAL.fullmatch(cell)
        if match is None:
            return None
        value, language, datatype = match.groups()
        if "\\" in value:
            value = _TSV_ESCAPE.sub(_unescape, value)
        if language:
            return {"type": "literal", "value": value, "xml:lang": language}
        if datatype and datatype not in PLAIN:
            return {"type": "literal", "value": value, "datatype": datatype}
        return {"type": "literal", "value": value}
    if cell.startswith("_:"):
        return {"type": "bnode", "value": cell[2:]}
    for pattern, datatype in _BARE:
        if pattern.fullmatch(cell):
            return {"type": "literal", "value": cell, "datatype": datatype}
    return None


def solutions_rows(solutions: ox.QuerySolutions) -> tuple[list[str], list[Row]] | None:
    """The variables and rows of pyoxigraph SELECT results, terms in the SPARQL JSON form.

    pyoxigraph writes the solutions in the TSV results format (in Rust, about as fast as the
    evaluation itself) and the rows are read back from it: several times faster than reading
    every term of every solution through Python objects. A term repeated in several rows is
    one dictionary shared by those rows. None (with the solutions used up) when a term is of a
    kind the TSV reading does not know (a quoted triple): the caller runs the query again and
    converts it term by term with :func:`json_term`.
    """
    variables = [variable.value for variable in solutions.variables]
    if not variables:
        return None
    lines = solutions.serialize(format=ox.QueryResultsFormat.TSV).decode("utf-8").split("\n")
    terms: dict[str, dict[str, str] | None] = {}
    rows: list[Row] = []
    for line in lines[1:-1]:  # the header line, then one line per solution, each ending in \n
        cells = line.split("\t")
        if len(cells) != len(variables):
            return None
        row = {}
        for name, cell in zip(variables, cells, strict=True):
            if cell:
                term = terms.get(cell)
                if term is None:
                    term = terms[cell] = _tsv_term(cell)
                    if term is None:
                        return None
                row[name] = term
        rows.append(row)
    return variables, rows


def to_json(variables: list[str], rows: Iterable[Row]) -> bytes:
    body = {"head": {"vars": variables}, "results": {"bindings": list(rows)}}
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def to_xml(variables: list[str], rows: Iterable[Row]) -> bytes:
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">',
           "<head>"]
    out += [f"<variable name={quoteattr(name)}/>" for name in variables]
    out.append("</head>\n<results>")
    for row in rows:
        out.append("<result>")
        for name, term in row.items():
            out.append(f"<binding name={quoteattr(name)}>{_xml_term(term)}</binding>")
        out.append("</result>")
    out.append("</results>\n</sparql>\n")
    return "\n".join(out).encode("utf-8")


def _xml_term(term: dict[str, str]) -> str:
    value = escape(term["value"])
    if term["type"] == "uri":
        return f"<uri>{value}</uri>"
    if term["type"] == "bnode":
        return f"<bnode>{value}</bnode>"
    if "xml:lang" in term:
        return f"<literal xml:lang={quoteattr(term['xml:lang'])}>{value}</literal>"
    if "datatype" in term:
        return f"<literal datatype={quoteattr(term['datatype'])}>{value}</literal>"
    return f"<literal>{value}</literal>"


def to_csv(variables: list[str], rows: Iterable[Row]) -> bytes:
    """CSV as SPARQL 1.1 defines it: plain values, CRLF line ends, blank nodes as ``_:x``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow([_csv_value(row.get(name)) for name in variables])
    return buffer.getvalue().encode("utf-8")


def _csv_value(term: dict[str, str] | None) -> str:
    if term is None:
        return ""
    return f"_:{term['value']}" if term["type"] == "bnode" else term["value"]


def to_tsv(variables: list[str], rows: Iterable[Row]) -> bytes:
    """TSV as SPARQL 1.1 defines it: ``?var`` headers and terms in Turtle syntax."""
    lines = ["\t".join(f"?{name}" for name in variables)]
    for row in rows:
        lines.append("\t".join(_tsv_value(row.get(name)) for name in variables))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _tsv_value(term: dict[str, str] | None) -> str:
    if term is None:
        return ""
    if term["type"] == "uri":
        return f"<{term['value']}>"
    if term["type"] == "bnode":
        return f"_:{term['value']}"
    value = (term["value"].replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
             .replace("\r", "\\r").replace("\t", "\\t"))
    if "xml:lang" in term:
        return f'"{value}"@{term["xml:lang"]}'
    if "datatype" in term:
        return f'"{value}"^^<{term["datatype"]}>'
    return f'"{value}"'


def boolean(value: bool, name: str) -> bytes:
    """An ASK result in the format ``name``."""
    if name == "json":
        return json.dumps({"head": {}, "boolean": value}).encode("utf-8")
    if name == "xml":
        return ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head/><boolean>{str(value).lower()}</boolean></sparql>\n").encode()
    return (str(value).lower() + "\n").encode("utf-8")


WRITERS = {"json": to_json, "xml": to_xml, "csv": to_csv, "tsv": to_tsv}


def solutions(variables: list[str], rows: Iterable[Row], name: str) -> bytes:
    """SELECT results in the format ``name`` of :data:`RESULT_FORMATS`."""
    return WRITERS[name](variables, rows)
