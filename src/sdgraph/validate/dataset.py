"""What a validation looks at: the contributed files, the context, and the focus nodes.

The contributed files are parsed into their own named graphs; the context is every other RDF
file of the project (ontology, SDG skeleton, editions, axes, countries, other contributions and
imported vocabularies), so that a contribution may refer to anything the built graph would hold
without a prior ``sdgraph build``. Only the IRIs that the contributed files describe (their
subjects) are focus nodes: the time grows with the contribution, not with the graph.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..load import LoadedFile, parse_file
from ..namespaces import GRAPH, RDF
from ..project import Project

RDF_TYPE = ox.NamedNode(RDF + "type")


@dataclass
class Contribution:
    """One contributed file: its path, its text (for line numbers) and its quads."""

    path: Path
    graph: str
    text: str
    loaded: LoadedFile


@dataclass
class Dataset:
    """The contributed files and the context they are validated in."""

    project: Project
    contributions: list[Contribution]
    context: list[LoadedFile] = field(default_factory=list)

    def contributed_quads(self) -> list[ox.Quad]:
        return [q for c in self.contributions for q in c.loaded.quads]

    def context_quads(self) -> list[ox.Quad]:
        return [q for f in self.context for q in f.quads]

    def focus_iris(self) -> set[ox.NamedNode]:
        """The IRIs the contributed files say something about."""
        return {q.subject for c in self.contributions for q in c.loaded.quads
                if isinstance(q.subject, ox.NamedNode)}

    def typed_blank_nodes(self) -> list[tuple[Contribution, ox.BlankNode, ox.NamedNode]]:
        """Blank nodes the contributed files give a type: things that need an IRI."""
        found = []
        for contribution in self.contributions:
            for quad in contribution.loaded.quads:
                if isinstance(quad.subject, ox.BlankNode) and quad.predicate == RDF_TYPE:
                    found.append((contribution, quad.subject, quad.object))
        return found


def contribution_graph(project: Project, path: Path) -> str:
    """The named graph of a contributed file: its graph in the project, or where add puts it."""
    resolved = path.resolve()
    try:
        resolved.relative_to(project.root)
        return project.graph_name(resolved)
    except ValueError:
        return GRAPH + "data/contributions/" + resolved.name


def load_dataset(project: Project, paths: list[Path]) -> Dataset:
    """Parse ``paths`` and the project's other RDF files; unreadable input raises at once."""
    contributions = []
    for path in paths:
        graph = contribution_graph(project, path)
        loaded = parse_file(path, graph)
        text = path.read_text(encoding="utf-8")
        contributions.append(Contribution(path, graph, text, loaded))
    own = {p.resolve() for p in paths}
    context = [parse_file(p, project.graph_name(p)) for p in project.source_files()
               if p.resolve() not in own]
    return Dataset(project, contributions, context)
