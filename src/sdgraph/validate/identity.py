"""Checks that compare files rather than look into one: each IRI is defined in one file only,
and typed things have IRIs. Their words are the shapes sdgsh:DefinedOnceShape and
sdgsh:IdentifiedShape of ``shapes/``.
"""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox

from ..namespaces import GRAPH
from .dataset import RDF_TYPE, Dataset
from .results import RawResult, Term
from .shapes import (
    DEFINED_ONCE_COMPONENT,
    DEFINED_ONCE_SHAPE,
    IDENTIFIED_COMPONENT,
    IDENTIFIED_SHAPE,
)


def term(node: ox.NamedNode | ox.BlankNode | ox.Literal) -> Term:
    """The engine-neutral form of a pyoxigraph term."""
    if isinstance(node, ox.NamedNode):
        return Term("iri", node.value)
    if isinstance(node, ox.BlankNode):
        return Term("bnode", node.value)
    return Term("literal", node.value, node.datatype.value, node.language)


def graph_file(graph: str) -> str:
    """The project path a named graph was loaded from (``data/...``)."""
    return graph[len(GRAPH):] if graph.startswith(GRAPH) else graph


def defined_elsewhere(dataset: Dataset) -> list[RawResult]:
    """IRIs that a contributed file types and another file under data/ (or given) types too."""
    definers: dict[ox.NamedNode, set[str]] = defaultdict(set)
    for loaded in dataset.context:
        if not graph_file(loaded.graph).startswith("data/"):
            continue  # the ontology and vocabularies declare terms, they do not define records
        for quad in loaded.quads:
            if quad.predicate == RDF_TYPE and isinstance(quad.subject, ox.NamedNode):
                definers[quad.subject].add(graph_file(loaded.graph))
    for contribution in dataset.contributions:
        for quad in contribution.loaded.quads:
            if quad.predicate == RDF_TYPE and isinstance(quad.subject, ox.NamedNode):
                definers[quad.subject].add(str(contribution.path))
    results = []
    for contribution in dataset.contributions:
        seen = set()
        for quad in contribution.loaded.quads:
            node = quad.subject
            if quad.predicate != RDF_TYPE or not isinstance(node, ox.NamedNode) or node in seen:
                continue
            seen.add(node)
            others = sorted(definers[node] - {str(contribution.path)})
            if others:
                results.append(RawResult(
                    focus=term(node), component=DEFINED_ONCE_COMPONENT,
                    source_shape=DEFINED_ONCE_SHAPE, path=RDF_TYPE.value,
                    value=Term("literal", ", ".join(others),
                               "http://www.w3.org/2001/XMLSchema#string"),
                    origin=str(contribution.path)))
    return results


def typed_blank_nodes(dataset: Dataset) -> list[RawResult]:
    """A blank node with a type: a city, practice or other record that needs an IRI."""
    results = []
    seen = set()
    for contribution, node, kind in dataset.typed_blank_nodes():
        if node in seen:
            continue
        seen.add(node)
        results.append(RawResult(focus=term(node), component=IDENTIFIED_COMPONENT,
                                  source_shape=IDENTIFIED_SHAPE, path=RDF_TYPE.value,
                                  value=term(kind), origin=str(contribution.path)))
    return results
