"""What a validation looks at: the contributed files, the context, and the focus nodes.

Every file is parsed straight into one in-memory pyoxigraph store, one named graph per file,
without building a Python object per triple: the parser and the store are native code, and the
parsed triples never cross into Python. The context is every other RDF file of the project
(ontology, SDG skeleton, editions, axes, countries, other contributions and imported
vocabularies), so that a contribution may refer to anything the built graph would hold without a
prior ``sdgraph build``. Only the IRIs that the contributed files describe (their subjects) are
focus nodes, with those they point to through a predicate that a shape reads backwards (an
inverse path): a contribution that points at another file's node can break that node's shape,
as when two practices claim one SDG contribution. The checks start from the contributed triples,
so the time grows with the contribution, not with the graph.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..errors import InputFileError
from ..load import format_of, read_text, syntax_error
from ..namespaces import GRAPH, RDF
from ..project import Project

RDF_TYPE = ox.NamedNode(RDF + "type")


@dataclass
class Contribution:
    """One contributed file: its path, its named graph and its text (for line numbers)."""

    path: Path
    graph: str
    text: str


@dataclass
class ContextFile:
    """A file of the project that the contributions are checked against."""

    path: Path
    graph: str


@dataclass
class Dataset:
    """The contributed files and the context they are validated in, loaded in one store."""

    project: Project
    contributions: list[Contribution]
    context: list[ContextFile] = field(default_factory=list)
    store: ox.Store = field(default_factory=ox.Store)
    #: Predicates that shapes read backwards: their objects in a contribution are focus nodes.
    inverse_predicates: list[str] = field(default_factory=list)
    #: How many focus nodes the contributed files give, once counted.
    focus_total: int | None = None

    def query(self, text: str) -> ox.QuerySolutions:
        """A SELECT over the union of every file's graph."""
        return self.store.query(text, use_default_graph_as_union=True)

    @property
    def contributed_graphs(self) -> list[str]:
        return [c.graph for c in self.contributions]

    def contribution_of(self, graph: str) -> Contribution:
        return next(c for c in self.contributions if c.graph == graph)

    def in_contributions(self, variable: str, pattern: str) -> str:
        """A group pattern: ``pattern`` (which uses ``variable``) in some contributed graph."""
        return " UNION ".join(f"{{ GRAPH <{g}> {{ {pattern} }} }}"
                              for g in dict.fromkeys(self.contributed_graphs))

    def focus_pattern(self, variable: str) -> str:
        """A group pattern true for the focus nodes: the IRIs ``variable`` that a contributed
        file describes (has as a subject) or points to through an inverse-path predicate."""
        patterns = [f"{variable} ?focusP ?focusO"]
        patterns += [f"?focusS <{p}> {variable}" for p in self.inverse_predicates]
        return " UNION ".join(self.in_contributions(variable, p) for p in patterns)

    def focus_among(self, nodes: Iterable[str]) -> set[str]:
        """Those of the IRIs ``nodes`` that are focus nodes (see :meth:`focus_pattern`)."""
        found: set[str] = set()
        chunk: list[str] = []
        for node in dict.fromkeys(nodes):
            chunk.append(node)
            if len(chunk) == 5000:
                found |= self._focus_chunk(chunk)
                chunk = []
        if chunk:
            found |= self._focus_chunk(chunk)
        return found

    def _focus_chunk(self, nodes: list[str]) -> set[str]:
        values = " ".join(f"<{n}>" for n in nodes)
        query = (f"SELECT ?this WHERE {{ VALUES ?this {{ {values} }} FILTER EXISTS {{ "
                 + self.focus_pattern("?this") + " } }")
        return {row["this"].value for row in self.query(query)}

    def focus_iris(self) -> list[str]:
        """Every focus node, sorted."""
        query = ("SELECT DISTINCT ?this WHERE { "
                 + self.focus_pattern("?this") + " FILTER isIRI(?this) }")
        return sorted(row["this"].value for row in self.query(query))

    def focus_count(self) -> int:
        """How many focus nodes there are (counted once, then remembered)."""
        if self.focus_total is None:
            query = ("SELECT (COUNT(DISTINCT ?this) AS ?n) WHERE { "
                     + self.focus_pattern("?this") + " FILTER isIRI(?this) }")
            self.focus_total = int(next(iter(self.query(query)))["n"].value)
        return self.focus_total

    def all_quads(self) -> list[ox.Quad]:
        """Every quad of the store (for the reference engine, on small inputs)."""
        return list(self.store.quads_for_pattern(None, None, None, None))


def contribution_graph(project: Project, path: Path) -> str:
    """The named graph of a contributed file: its graph in the project, or where add puts it."""
    resolved = path.resolve()
    try:
        resolved.relative_to(project.root)
        return project.graph_name(resolved)
    except ValueError:
        return GRAPH + "data/contributions/" + resolved.name


def load_file(store: ox.Store, path: Path, graph: str, text: str | None = None,
              lang: str = "en") -> str:
    """Parse ``path`` into ``graph`` of ``store``; return its text. Bad input raises at once,
    with a hint in ``lang``."""
    rdf_format = format_of(path, lang)
    text = read_text(path) if text is None else text
    target = ox.NamedNode(graph)
    try:
        store.load(text.encode("utf-8"), format=rdf_format, to_graph=target)
    except SyntaxError as error:
        raise syntax_error(path, error, text, lang) from error
    # A TriG or N-Quads file may hold named graphs only, which load outside ``graph``: it is
    # empty only when parsing it gives no quad at all (read up to the first one, no further).
    if not store.query(f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}") and next(
            iter(ox.parse(text.encode("utf-8"), format=rdf_format)), None) is None:
        raise InputFileError(path, "the file holds no triples (only prefixes or comments)",
                             hint="add the statements, or remove the file")
    return text


def load_dataset(project: Project, paths: list[Path],
                 inverse_predicates: Iterable[str] = (), lang: str = "en") -> Dataset:
    """Load ``paths`` and the project's other RDF files; unreadable input raises at once.

    ``inverse_predicates``: the predicates that shapes read backwards (see
    :meth:`Dataset.focus_pattern`); ``lang``: the language of the hints of unreadable input.
    """
    dataset = Dataset(project, [], inverse_predicates=sorted(set(inverse_predicates)))
    loaded = set()
    for path in paths:
        if path.resolve() in loaded:  # the same file given twice
            continue
        loaded.add(path.resolve())
        graph = contribution_graph(project, path)
        if graph in dataset.contributed_graphs:  # same name, another folder: a graph of its own
            graph += f"?{len(dataset.contributions)}"
        text = load_file(dataset.store, path, graph, lang=lang)
        dataset.contributions.append(Contribution(path, graph, text))
    own = {p.resolve() for p in paths}
    for path in project.source_files():
        if path.resolve() not in own:
            graph = project.graph_name(path)
            load_file(dataset.store, path, graph, lang=lang)
            dataset.context.append(ContextFile(path, graph))
    return dataset
