"""Load stage: read RDF files into quads, one named graph per file, with clear errors.

Every problem is reported as an :class:`~sdgraph.errors.InputFileError` that names the file and,
for syntax errors, the line and column, so that a person can open the file at the right place,
with a hint that fits the parser's complaint (an undeclared prefix, a missing dot, a string left
open...) in English or Spanish.
"""

from __future__ import annotations

import codecs
import difflib
import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .errors import InputFileError
from .namespaces import ID, PREFIXES, SH

FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
}

#: The prefixes a contribution may use without looking them up: the vocabularies of
#: :data:`~sdgraph.namespaces.PREFIXES` and the project's own IRI families (as ``sdgraph new``
#: and the files under data/ declare them). The axes of an edition (``a2023:``) are known by
#: their form, :data:`EDITION_AXES`, so that a new edition needs no change here. A syntax error
#: for one of them, undeclared, gives the declaration to copy.
KNOWN_PREFIXES: dict[str, str] = PREFIXES | {
    "sh": SH, "sdgsh": "https://w3id.org/sdgraph/shapes#",
    "wd": "http://www.wikidata.org/entity/",
    **{name: f"{ID}{name}/" for name in (
        "city", "org", "practice", "participation", "role", "edition", "event", "theme", "finding",
        "barrier", "enabler", "country", "continent", "agent")},
    "axes": ID + "axes/",
}
#: The prefix of an edition's axes: ``a`` and the edition's year.
EDITION_AXES = re.compile(r"a(\d{4})")


def known_namespace(name: str) -> str | None:
    """The namespace a well-known prefix stands for (see :data:`KNOWN_PREFIXES`)."""
    if match := EDITION_AXES.fullmatch(name):
        return f"{ID}axes/{match.group(1)}/"
    return KNOWN_PREFIXES.get(name)


#: A prefix declaration: ``@prefix`` (Turtle) or ``PREFIX`` in any case (SPARQL style), tried only
#: where the word "prefix" occurs, which a fast substring search finds.
#: It reads UTF-8 bytes, where any byte above 127 belongs to a letter of a non-ASCII name.
PREFIX = re.compile(rb"(?:@prefix|(?i:prefix))[ \t]+([A-Za-z][\w.\x80-\xff-]*)?:[ \t]*<([^>]*)>")

#: Words of the errors and hints of this module, by language (the report's ``--lang``).
WORDS: dict[str, dict[str, str]] = {
    "syntax": {"en": "syntax error: {problem}", "es": "error de sintaxis: {problem}"},
    "punctuation": {
        "en": "check the punctuation: each statement ends with '.', '; ' separates properties, "
              "', ' separates values",
        "es": "revise la puntuación: cada sentencia termina en '.', '; ' separa las propiedades, "
              "', ' separa los valores"},
    "declare": {"en": "declare it at the top: @prefix {name}: <{iri}> .",
                "es": "declárelo al principio: @prefix {name}: <{iri}> ."},
    "declare_any": {
        "en": "declare it at the top (@prefix {name}: <namespace IRI> .), or use a prefix the "
              "file declares{declared}",
        "es": "declárelo al principio (@prefix {name}: <IRI del espacio de nombres> .) o use un "
              "prefijo que el archivo declare{declared}"},
    "declaration": {
        "en": "write a declaration as `@prefix name: <namespace IRI> .`, with the colon and the "
              "angle brackets",
        "es": "escriba una declaración como `@prefix nombre: <IRI del espacio de nombres> .`, con "
              "los dos puntos y los ángulos"},
    "close_declared": {"en": "did you mean {name}:? The file declares it.",
                       "es": "¿quería decir {name}:? El archivo lo declara."},
    "close_known": {"en": "did you mean {name}:? Declare it at the top: @prefix {name}: <{iri}> .",
                    "es": "¿quería decir {name}:? Declárelo al principio: "
                          "@prefix {name}: <{iri}> ."},
    "declared_later": {
        "en": "the file declares {name}: further down: move the declaration to the top",
        "es": "el archivo declara {name}: más abajo: lleve la declaración al principio"},
    "sparql_prefix": {
        "en": "a PREFIX line (SPARQL style) has no final '.': write `@prefix {name}: <...> .` or "
              "drop the '.'",
        "es": "una línea PREFIX (estilo SPARQL) no lleva '.' al final: escriba "
              "`@prefix {name}: <...> .` o quite el '.'"},
    "quotes": {"en": "write strings between straight quotes \"...\", not typographic ones “...”",
               "es": "escriba los textos entre comillas rectas \"...\", no tipográficas “...”"},
    "prefixed_name": {
        "en": "a prefixed name (city:bilbao) cannot hold this character: write the full IRI in "
              "angle brackets (<https://...>)",
        "es": "un nombre con prefijo (city:bilbao) no puede llevar este carácter: escriba el IRI "
              "completo entre ángulos (<https://...>)"},
    "iri_space": {"en": "an IRI has no spaces: is its closing '>' missing? (write a space in a "
                        "URL as %20)",
                  "es": "un IRI no lleva espacios: ¿falta el '>' que lo cierra? (escriba un "
                        "espacio de una URL como %20)"},
    "relative_iri": {"en": "write a full IRI (<https://...>) or a prefixed name (city:bilbao)",
                     "es": "escriba un IRI completo (<https://...>) o un nombre con prefijo "
                           "(city:bilbao)"},
    "open_string": {"en": "close the string with \" on the same line, or write text of several "
                          "lines between \"\"\" and \"\"\"",
                    "es": "cierre el texto con \" en la misma línea, o escriba un texto de varias "
                          "líneas entre \"\"\" y \"\"\""},
    "open_end": {"en": "something opened is not closed: a string (\"), an IRI (<) or a bracket "
                       "([ or ()",
                 "es": "algo abierto no se cierra: un texto (\"), un IRI (<) o un corchete "
                       "([ o ()"},
    "language": {"en": "write the language tag right after the string: \"Name\"@en",
                 "es": "escriba la etiqueta de idioma justo detrás del texto: \"Nombre\"@es"},
    "escape": {"en": "in a string, write a backslash as \\\\ (the escapes are \\\" \\n \\t \\\\)",
               "es": "en un texto, escriba una barra invertida como \\\\ (los escapes son \\\" "
                     "\\n \\t \\\\)"},
    "other": {"en": "check the Turtle at that line and column (the templates that `sdgraph new` "
                    "writes show each construct)",
              "es": "revise el Turtle en esa línea y columna (las plantillas que escribe "
                    "`sdgraph new` muestran cada construcción)"},
    "directory": {"en": "{path}/ is a directory: give the Turtle files ({pattern})",
                  "es": "{path}/ es una carpeta: indique los archivos Turtle ({pattern})"},
    "extension": {"en": "unknown RDF file type '{suffix}': the accepted extensions are {accepted}",
                  "es": "tipo de archivo RDF desconocido '{suffix}': las extensiones aceptadas "
                        "son {accepted}"},
    "no_extension": {"en": "the file name has no extension: the accepted extensions are "
                           "{accepted}",
                     "es": "el nombre del archivo no tiene extensión: las extensiones aceptadas "
                           "son {accepted}"},
    "rename": {"en": "name a Turtle file *.ttl", "es": "nombre un archivo Turtle *.ttl"},
}

#: Parser complaints that come from missing or extra punctuation: a dot, a ';', a ',', a ']'.
PUNCTUATION = re.compile(r"\bdot\b|^Unexpected end \(|is not a valid (RDF object|subject|"
                         r"predicate)|should end with")


def words(key: str, lang: str, **values: str) -> str:
    """The text of ``key`` in ``lang`` (English when there is no translation)."""
    return WORDS[key].get(lang, WORDS[key]["en"]).format(**values)


@dataclass(frozen=True)
class LoadedFile:
    """The quads of one file, all in the file's named graph."""

    path: Path
    graph: str
    quads: list[ox.Quad]

    def __len__(self) -> int:
        return len(self.quads)


class NotAFile(InputFileError):
    """A directory given where RDF files are expected; the message says which files to give."""

    def __init__(self, path: Path, lang: str = "en") -> None:
        super().__init__(path, "is a directory")
        self.message = words("directory", lang, path=str(path), pattern=turtle_pattern(path))
        self.args = (self.message,)


def turtle_pattern(folder: Path) -> str:
    """Where the Turtle files of ``folder`` are, as a shell pattern: its contributions (the
    files `validate` and `add` are meant for), else its own, else those of its first subfolder
    that has some."""
    for candidate in (folder / "contributions", folder):
        if candidate.is_dir() and any(candidate.glob("*.ttl")):
            return f"{candidate}/*.ttl"
    inner = sorted(p.parent for p in folder.rglob("*.ttl"))
    return f"{inner[0]}/*.ttl" if inner else f"{folder}/*.ttl"


def format_of(path: Path, lang: str = "en") -> ox.RdfFormat:
    """The RDF format of ``path``, from its extension; a directory or another extension is
    refused by name, with the extensions that are accepted."""
    if path.is_dir():
        raise NotAFile(path, lang)
    found = FORMATS.get(path.suffix.lower())
    if found is None:
        accepted = ", ".join(FORMATS)
        problem = words("extension", lang, suffix=path.suffix, accepted=accepted) \
            if path.suffix else words("no_extension", lang, accepted=accepted)
        raise InputFileError(path, problem, hint=words("rename", lang))
    return found


def read_text(path: Path) -> str:
    """The file's text; empty, binary and non-UTF-8 files are refused by name.

    A UTF-8 byte-order mark (which Windows Notepad writes) is not content and is dropped, so the
    first line's columns are those an editor shows.
    """
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InputFileError(path, f"cannot be read ({error.strerror})") from error
    raw = raw.removeprefix(codecs.BOM_UTF8)
    if not raw.strip():
        raise InputFileError(path, "the file is empty",
                             hint="write at least one triple, or remove the file")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputFileError(path, "this is UTF-16 text, not UTF-8",
                             hint="save the file with UTF-8 encoding")
    if b"\x00" in raw:
        raise InputFileError(path, "this is a binary file, not Turtle text",
                             hint="save the file as plain UTF-8 Turtle text")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InputFileError(path, "the file is not UTF-8 text", line=line,
                             hint="save the file with UTF-8 encoding") from error


def prefixes(text: str) -> dict[str, str]:
    """The prefixes a Turtle text declares, name -> namespace ('' for the empty prefix)."""
    found = {}
    data = text.encode("utf-8")
    lowered = data.lower()  # bytes: only ASCII letters change, so the offsets stay the same
    position = lowered.find(b"prefix")
    while position >= 0:
        start = position - 1 if position and data[position - 1:position] == b"@" else position
        match = PREFIX.match(data, start)
        line_start = data.rfind(b"\n", 0, start) + 1
        if match and not data[line_start:start].strip():  # the declaration begins its line
            name = match.group(1)
            found[name.decode("utf-8") if name else ""] = match.group(2).decode("utf-8")
        position = lowered.find(b"prefix", position + 6)
    return found


def prefix_hint(name: str, text: str, lang: str) -> str:
    """What to do about the undeclared prefix ``name``: declare a well-known one, or use the
    declared prefix it is a misspelling of."""
    declared = prefixes(text)
    if name in declared:
        return words("declared_later", lang, name=name)
    if (namespace := known_namespace(name)) is not None:
        return words("declare", lang, name=name, iri=namespace)
    close = difflib.get_close_matches(name, [d for d in declared if d], n=1, cutoff=0.6)
    if close:
        return words("close_declared", lang, name=close[0])
    close = difflib.get_close_matches(name, list(KNOWN_PREFIXES), n=1, cutoff=0.75)
    if close:
        return words("close_known", lang, name=close[0], iri=KNOWN_PREFIXES[close[0]])
    names = ", ".join(f"{d}:" for d in declared)
    return words("declare_any", lang, name=name, declared=f": {names}" if names else "")


def syntax_hint(problem: str, line_text: str, text: str, lang: str) -> str:
    """A hint that fits the parser's complaint ``problem`` about the line ``line_text``."""
    undeclared = re.match(r"The prefix (\S*): has not been declared", problem)
    if undeclared:
        return prefix_hint(undeclared.group(1), text, lang)
    if re.match(r"[ \t]*prefix[ \t]", line_text, re.IGNORECASE) \
            and problem.startswith(". is not a valid"):
        found = re.match(r"[ \t]*prefix[ \t]+(\S*):", line_text, re.IGNORECASE)
        return words("sparql_prefix", lang, name=found.group(1) if found else "ex")
    if re.search(r"'[“”„‘’«»]'", problem):
        return words("quotes", lang)
    if "is not allowed at the beginning of a prefix name" in problem:
        return words("prefixed_name", lang)
    checks = (("PREFIX keyword should", "declaration"),
              ("PREFIX declaration should", "declaration"),
              ("Invalid IRI code point ' '", "iri_space"), ("No scheme found", "relative_iri"),
              ("Line jumps are not allowed", "open_string"), ("Unexpected end of file", "open_end"),
              ("language code", "language"), ("escape", "escape"))
    for fragment, key in checks:
        if fragment in problem:
            return words(key, lang)
    if PUNCTUATION.search(problem):
        return words("punctuation", lang)
    return words("other", lang)


def syntax_error(path: Path, error: SyntaxError, text: str | None = None,
                 lang: str = "en") -> InputFileError:
    """Turn pyoxigraph's syntax error, whose args carry the location, into ours, with a hint
    for the complaint (``text``, the file's text, tells which prefixes it declares)."""
    message = str(error)
    line = column = None
    if len(error.args) > 1 and isinstance(error.args[1], tuple) and len(error.args[1]) >= 3:
        line, column = error.args[1][1], error.args[1][2]
    # The location is in our prefix already; keep only what is wrong.
    problem = message
    if message.startswith("Parser error") and ": " in message:
        problem = message.split(": ", 1)[1]
    text = text or ""
    lines = text.split("\n")
    line_text = lines[line - 1] if line and 0 < line <= len(lines) else ""
    return InputFileError(path, words("syntax", lang, problem=problem), line=line, column=column,
                          hint=syntax_hint(problem, line_text, text, lang))


def parse_file(path: Path, graph: str, base_iri: str | None = None) -> LoadedFile:
    """Parse one RDF file into quads in ``graph``; the format comes from the file's suffix."""
    rdf_format = format_of(path)
    text = read_text(path)
    target = ox.NamedNode(graph)
    try:
        parsed = ox.parse(text, format=rdf_format, base_iri=base_iri)
        quads = [ox.Quad(q.subject, q.predicate, q.object, target) for q in parsed]
    except SyntaxError as error:
        raise syntax_error(path, error, text) from error
    if not quads:
        raise InputFileError(path, "the file holds no triples (only prefixes or comments)",
                             hint="add the statements, or remove the file")
    return LoadedFile(path, graph, quads)
