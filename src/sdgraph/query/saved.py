"""The saved-query file model: a ``queries/NAME.rq`` file read into a :class:`SavedQuery`
(its titles, descriptions, typed parameters and result columns).

:func:`load_query` is the command line's: it takes a name or the path of any ``.rq`` file.
:func:`load_saved_query` is the server's: a name only, looked up in the project's ``queries/``
folder and nowhere else, so that a request can never name a file by its path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputFileError, UsageError
from ..project import Project
from ..sparql_files import SparqlFile, read_folder, read_sparql_file
from .params import PARAM_TYPES, parse_value, values_blocks

LANGUAGES = ("en", "es")



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
        if not values_blocks(file.text, name):
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


#: What a saved query's name may be: the stem of a file of ``queries/``, never a path.
QUERY_NAME = re.compile(r"[A-Za-z0-9][\w-]*")


def load_saved_query(project: Project, name: str) -> SavedQuery:
    """A saved query by its name only, from the project's ``queries/`` folder.

    For the server, where the name comes from a request: unlike :func:`load_query` it never
    reads a file by path (not even one of the server's working folder that happens to be
    called like the name), and a ``queries/NAME.rq`` that is a link leading out of the folder
    is not a saved query either.
    """
    folder = project.queries_dir.resolve()
    path = folder / f"{name}.rq"
    if QUERY_NAME.fullmatch(name) and path.is_file() and path.resolve().parent == folder:
        return saved_query(read_sparql_file(path))
    raise UsageError(f"no saved query named '{name}'", hint="the saved queries are listed at "
                     "/queries")


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

