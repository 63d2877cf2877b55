"""The reference engine: pySHACL on an rdflib graph of the whole dataset.

It is slow (pySHACL re-parses each SPARQL-based constraint for every focus node) but it is the
SHACL implementation the fast engine must agree with; tests run both on every fixture.
pySHACL only takes IRIs as explicit focus nodes, which is why blank nodes with a type are
reported by :mod:`sdgraph.validate.identity` for both engines.
"""

from __future__ import annotations

import re

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from ..namespaces import SH
from .results import RawResult, Term
from .shapes import Shapes

SHN = {name: URIRef(SH + name) for name in (
    "result", "focusNode", "resultPath", "value", "sourceConstraintComponent", "sourceShape",
    "resultSeverity", "sourceConstraint", "resultMessage")}


def rdflib_term(node: object) -> Term:
    if isinstance(node, URIRef):
        return Term("iri", str(node))
    if isinstance(node, BNode):
        return Term("bnode", str(node))
    assert isinstance(node, Literal)
    datatype = str(RDF.langString) if node.language else str(node.datatype or XSD.string)
    return Term("literal", str(node), datatype, node.language)


def to_rdflib(quads: list[ox.Quad]) -> Graph:
    """The triples of ``quads`` as one rdflib graph (through N-Triples, which both share)."""
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    return Graph().parse(data=data.decode("utf-8"), format="nt")


def template_bindings(template: str, message: str) -> dict[str, str] | None:
    """The values pySHACL put into a message template's {?name} slots, read back from it."""
    parts = re.split(r"\{[?$](\w+)\}", template)
    pattern = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)"
                      for i, p in enumerate(parts))
    try:
        match = re.fullmatch(pattern, message, re.DOTALL)
    except re.error:  # a name repeats in the template
        return None
    return match.groupdict() if match else None


def result_path(report: Graph, path: object) -> str | None:
    """A result path as the fast engine writes it: an IRI, or ^IRI for an inverse path."""
    if path is None:
        return None
    if isinstance(path, BNode):
        inverse = report.value(path, URIRef(SH + "inversePath"))
        return "^" + str(inverse)
    return str(path)


def run(shapes: Shapes, graph: Graph, focus: list[str]) -> list[RawResult]:
    """Validate the ``focus`` IRIs of ``graph`` with pySHACL; the results as raw results."""
    if not focus:
        return []
    from pyshacl import validate as pyshacl_validate  # slow to import; only this engine needs it

    _, report, _ = pyshacl_validate(graph, shacl_graph=shapes.graph, inference="none",
                                    allow_warnings=True, focus_nodes=[URIRef(f) for f in focus])
    results = []
    for node in report.objects(None, SHN["result"]):
        value = report.value(node, SHN["value"])
        path = report.value(node, SHN["resultPath"])
        constraint = report.value(node, SHN["sourceConstraint"])
        bindings: dict[str, Term] = {}
        if constraint is not None:
            template = shapes.text(str(constraint), "message", "en")
            for message in report.objects(node, SHN["resultMessage"]):
                found = template_bindings(template, str(message))
                if found:
                    bindings = {k: Term("literal", v) for k, v in found.items()}
                    break
        results.append(RawResult(
            focus=rdflib_term(report.value(node, SHN["focusNode"])),
            component=str(report.value(node, SHN["sourceConstraintComponent"])),
            source_shape=str(report.value(node, SHN["sourceShape"])),
            severity=str(report.value(node, SHN["resultSeverity"])),
            path=result_path(report, path),
            value=rdflib_term(value) if value is not None else None,
            source_constraint=str(constraint) if constraint is not None else None,
            bindings=tuple(sorted(bindings.items()))))
    return results
