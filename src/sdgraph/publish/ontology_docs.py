"""The ontology for people: HTML documentation made by pyLODE from the ontology's triples."""

from __future__ import annotations

import logging
from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import Graph

from ..namespaces import PREFIXES


def ontology_html(triples: Iterable[ox.Triple]) -> str:
    """pyLODE's OntPub documentation of the ontology given as triples."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    # Imported late: it loads its background ontologies on import, and it configures the root
    # logger for debugging, which is put back as it was.
    from pylode import OntPub

    root.handlers[:], root.level = handlers, level

    graph = Graph()
    graph.parse(data=ox.serialize(list(triples), format=ox.RdfFormat.TURTLE,
                                  prefixes=PREFIXES).decode("utf-8"), format="turtle")
    return OntPub(ontology=graph).make_html()
