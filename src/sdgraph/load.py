"""Load stage: read RDF files into quads, one named graph per file, with clear errors.

Every problem is reported as an :class:`~sdgraph.errors.InputFileError` that names the file and,
for syntax errors, the line and column, so that a person can open the file at the right place.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .errors import InputFileError

FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
}


@dataclass(frozen=True)
class LoadedFile:
    """The quads of one file, all in the file's named graph."""

    path: Path
    graph: str
    quads: list[ox.Quad]

    def __len__(self) -> int:
        return len(self.quads)


def read_text(path: Path) -> str:
    """The file's text; empty, binary and non-UTF-8 files are refused by name."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InputFileError(path, f"cannot be read ({error.strerror})") from error
    if not raw.strip():
        raise InputFileError(path, "the file is empty",
                             hint="write at least one triple, or remove the file")
    if b"\x00" in raw:
        raise InputFileError(path, "this is a binary file, not Turtle text",
                             hint="save the file as plain UTF-8 Turtle text")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InputFileError(path, "the file is not UTF-8 text", line=line,
                             hint="save the file with UTF-8 encoding") from error


def syntax_error(path: Path, error: SyntaxError) -> InputFileError:
    """Turn pyoxigraph's syntax error, whose args carry the location, into ours."""
    message = str(error)
    line = column = None
    if len(error.args) > 1 and isinstance(error.args[1], tuple) and len(error.args[1]) >= 3:
        line, column = error.args[1][1], error.args[1][2]
    # The location is in our prefix already; keep only what is wrong.
    problem = message
    if message.startswith("Parser error") and ": " in message:
        problem = message.split(": ", 1)[1]
    return InputFileError(path, f"syntax error: {problem}", line=line, column=column,
                          hint="check the punctuation: each statement ends with '.', "
                               "'; ' separates properties, ', ' separates values")


def parse_file(path: Path, graph: str, base_iri: str | None = None) -> LoadedFile:
    """Parse one RDF file into quads in ``graph``; the format comes from the file's suffix."""
    rdf_format = FORMATS.get(path.suffix.lower())
    if rdf_format is None:
        raise InputFileError(path, f"unknown RDF file type '{path.suffix}'",
                             hint="use .ttl for Turtle (or .trig, .nt, .nq, .jsonld, .rdf)")
    text = read_text(path)
    target = ox.NamedNode(graph)
    try:
        parsed = ox.parse(text, format=rdf_format, base_iri=base_iri)
        quads = [ox.Quad(q.subject, q.predicate, q.object, target) for q in parsed]
    except SyntaxError as error:
        raise syntax_error(path, error) from error
    if not quads:
        raise InputFileError(path, "the file holds no triples (only prefixes or comments)",
                             hint="add the statements, or remove the file")
    return LoadedFile(path, graph, quads)
