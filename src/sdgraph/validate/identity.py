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
    contributed = dataset.contributed_graphs
    records = [f.graph for f in dataset.context if graph_file(f.graph).startswith("data/")]
    # the ontology and vocabularies declare terms, they do not define records
    found: dict[tuple[str, str], set[str]] = defaultdict(set)  # (graph, IRI) -> other files
    for here in contributed:
        there = records + [g for g in contributed if g != here]
        if not there:
            continue
        # start from the other files' typed IRIs (few, beside a large contribution), and look
        # each up in this one
        query = (f"SELECT DISTINCT ?node ?there WHERE {{ "
                 f"VALUES ?there {{ {' '.join(f'<{g}>' for g in there)} }} "
                 f"GRAPH ?there {{ ?node <{RDF_TYPE.value}> ?otherType }} FILTER isIRI(?node) "
                 f"FILTER EXISTS {{ GRAPH <{here}> {{ ?node <{RDF_TYPE.value}> ?type }} }} }}")
        for row in dataset.query(query):
            other = row["there"].value
            name = (str(dataset.contribution_of(other).path) if other in contributed
                    else graph_file(other))
            found[(here, row["node"].value)].add(name)
    results = []
    for (graph, node), names in sorted(found.items()):
        contribution = dataset.contribution_of(graph)
        results.append(RawResult(
            focus=Term("iri", node), component=DEFINED_ONCE_COMPONENT,
            source_shape=DEFINED_ONCE_SHAPE, path=RDF_TYPE.value,
            value=Term("literal", ", ".join(sorted(names)),
                       "http://www.w3.org/2001/XMLSchema#string"),
            origin=str(contribution.path)))
    return results


def typed_blank_nodes(dataset: Dataset) -> list[RawResult]:
    """A blank node with a type: a city, practice or other record that needs an IRI."""
    query = (f"SELECT ?node ?graph (MIN(STR(?type)) AS ?kind) WHERE {{ "
             f"VALUES ?graph {{ {' '.join(f'<{g}>' for g in dataset.contributed_graphs)} }} "
             f"GRAPH ?graph {{ ?node <{RDF_TYPE.value}> ?type FILTER isBlank(?node) }} }} "
             f"GROUP BY ?node ?graph")
    return [RawResult(focus=term(row["node"]), component=IDENTIFIED_COMPONENT,
                      source_shape=IDENTIFIED_SHAPE, path=RDF_TYPE.value,
                      value=Term("iri", row["kind"].value),
                      origin=str(dataset.contribution_of(row["graph"].value).path))
            for row in dataset.query(query)]
