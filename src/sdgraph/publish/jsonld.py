"""Compact JSON-LD with a context: one node object per subject, prefixes as compact IRIs.

pyoxigraph writes JSON-LD in expanded form, one node object per statement. People and most
JSON-LD consumers read better a document with an ``@context`` (the project's prefixes) and one
node per subject, grouped by named graph; this module writes that form. The output is plain
JSON-LD 1.1: every prefix ends in ``/`` or ``#``, so it is usable in compact IRIs, and
``@id`` and ``@type`` values expand through the same context.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox

from ..namespaces import PREFIXES, RDF, XSD

RDF_TYPE = RDF + "type"
XSD_STRING = XSD + "string"
RDF_LANG_STRING = RDF + "langString"

Term = ox.NamedNode | ox.BlankNode | ox.Literal


def context(prefixes: dict[str, str] | None = None) -> dict[str, str]:
    """The ``@context`` object: every prefix of :data:`PREFIXES` (or of ``prefixes``)."""
    return dict(prefixes or PREFIXES)


class Compactor:
    """Turns absolute IRIs into ``prefix:local`` where a prefix of the context covers them."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        # Longest namespace first, so that ``sdgo:`` wins over ``sdg:`` for the ontology terms.
        self._by_length = sorted(prefixes.items(), key=lambda item: -len(item[1]))

    def iri(self, iri: str) -> str:
        for name, namespace in self._by_length:
            if iri.startswith(namespace):
                local = iri[len(namespace):]
                # An empty local part or one that starts with "//" would not expand back.
                if local and not local.startswith("//"):
                    return f"{name}:{local}"
        return iri

    def node_id(self, term: ox.NamedNode | ox.BlankNode) -> str:
        return f"_:{term.value}" if isinstance(term, ox.BlankNode) else self.iri(term.value)

    def value(self, term: Term) -> dict[str, Any]:
        if isinstance(term, ox.Literal):
            out: dict[str, Any] = {"@value": term.value}
            if term.language:
                out["@language"] = term.language
            elif term.datatype.value not in (XSD_STRING, RDF_LANG_STRING):
                out["@type"] = self.iri(term.datatype.value)
            return out
        return {"@id": self.node_id(term)}


def _nodes(triples: Iterable[tuple[Term, ox.NamedNode, Term]], compact: Compactor) -> list[dict]:
    """Node objects, one per subject, in first-seen order."""
    nodes: dict[str, dict[str, Any]] = {}
    for subject, predicate, obj in triples:
        key = compact.node_id(subject)
        node = nodes.setdefault(key, {"@id": key})
        if predicate.value == RDF_TYPE and not isinstance(obj, ox.Literal):
            node.setdefault("@type", []).append(compact.node_id(obj))
        else:
            node.setdefault(compact.iri(predicate.value), []).append(compact.value(obj))
    return list(nodes.values())


def document(statements: Iterable[ox.Triple | ox.Quad],
             prefixes: dict[str, str] | None = None) -> dict[str, Any]:
    """A JSON-LD document for triples (one graph) or quads (named graphs kept)."""
    compact = Compactor(context(prefixes))
    default: list[tuple] = []
    named: dict[str, list[tuple]] = {}
    for statement in statements:
        spo = (statement.subject, statement.predicate, statement.object)
        graph = getattr(statement, "graph_name", None)
        if graph is None or isinstance(graph, ox.DefaultGraph):
            default.append(spo)
        else:
            named.setdefault(compact.node_id(graph), []).append(spo)
    body = _nodes(default, compact)
    for name, triples in named.items():
        body.append({"@id": name, "@graph": _nodes(triples, compact)})
    return {"@context": context(prefixes), "@graph": body}


def serialize(statements: Iterable[ox.Triple | ox.Quad],
              prefixes: dict[str, str] | None = None, indent: int | None = None) -> bytes:
    """:func:`document` as UTF-8 JSON bytes."""
    return json.dumps(document(statements, prefixes), ensure_ascii=False,
                      indent=indent).encode("utf-8")
