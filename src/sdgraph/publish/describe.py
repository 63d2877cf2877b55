"""Resources of the graph and their descriptions, shared by the release and the server.

A *resource* is an IRI under the resource namespace (``https://w3id.org/sdgraph/id/``) that is
the subject of at least one triple. Its description is every triple with it as subject, across
all named graphs (inferences included), without duplicates. Labels of every IRI are read once,
so that pages and search need no query per label.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from ..namespaces import (
    DCT,
    GRAPH,
    ID,
    ONTOLOGY_IRI,
    PREFIXES,
    RDF,
    RDFS,
    SDG,
    SKOS,
)
from . import jsonld

#: Serialisations of an RDF description: short name -> (media type, pyoxigraph format or None
#: for the compact JSON-LD writer). HTML is rendered elsewhere.
RDF_FORMATS: dict[str, tuple[str, ox.RdfFormat | None]] = {
    "ttl": ("text/turtle", ox.RdfFormat.TURTLE),
    "jsonld": ("application/ld+json", None),
    "nt": ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    "rdf": ("application/rdf+xml", ox.RdfFormat.RDF_XML),
}
#: Media type -> short name, for the negotiated formats.
MEDIA_TYPES = {media: name for name, (media, _) in RDF_FORMATS.items()}

#: Properties that name things, most preferred first.
LABEL_PROPERTIES = (RDFS + "label", SKOS + "prefLabel", DCT + "title")
RDF_TYPE = ox.NamedNode(RDF + "type")
LANGUAGES = ("en", "es")


def serialize_triples(triples: Iterable[ox.Triple], name: str) -> bytes:
    """Triples in the format ``name`` of :data:`RDF_FORMATS`."""
    _, rdf_format = RDF_FORMATS[name]
    if rdf_format is None:
        return jsonld.serialize(triples)
    return ox.serialize(triples, format=rdf_format, prefixes=PREFIXES)


def fold(text: str) -> str:
    """Lower case without accents, so that search for ``bogota`` finds ``Bogotá``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class Link:
    """A triple seen from one of its ends: the property and the resource at the other end."""

    predicate: str
    other: str


class GraphView:
    """Read access to a built store for publishing: resources, descriptions and labels."""

    def __init__(self, store: ox.Store, base: str = ID) -> None:
        self.store = store
        self.base = base
        self._labels = self._read_labels()
        self._resources: list[str] | None = None

    # -- labels ---------------------------------------------------------------------------
    def _read_labels(self) -> dict[str, dict[str, str]]:
        labels: dict[str, dict[str, str]] = defaultdict(dict)
        # Later properties only fill languages that earlier (preferred) ones left empty.
        for prop in LABEL_PROPERTIES:
            for quad in self.store.quads_for_pattern(None, ox.NamedNode(prop), None, None):
                if not isinstance(quad.subject, ox.NamedNode):
                    continue
                if not isinstance(quad.object, ox.Literal):
                    continue
                lang = quad.object.language or ""
                labels[quad.subject.value].setdefault(lang, quad.object.value)
        return dict(labels)

    def labels(self, iri: str) -> dict[str, str]:
        """Every label of ``iri`` by language tag ('' for none)."""
        return self._labels.get(iri, {})

    def label(self, iri: str, lang: str = "en") -> str:
        """The label of ``iri`` in ``lang``, else English, Spanish, untagged, any; else the
        last part of the IRI."""
        found = self._labels.get(iri, {})
        for candidate in (lang, "en", "es", ""):
            if candidate in found:
                return found[candidate]
        if found:
            return next(iter(found.values()))
        return local_name(iri)

    def all_labels(self) -> dict[str, dict[str, str]]:
        return self._labels

    # -- resources --------------------------------------------------------------------------
    def resources(self) -> list[str]:
        """Every IRI under the base that is the subject of a triple, sorted."""
        if self._resources is None:
            query = ("SELECT DISTINCT ?s WHERE { ?s ?p ?o "
                     f'FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{self.base}")) }}')
            found = self.store.query(query, use_default_graph_as_union=True)
            self._resources = sorted(row["s"].value for row in found)
        return self._resources

    def exists(self, iri: str) -> bool:
        """Whether ``iri`` is the subject of a triple; False for a string that is no valid IRI
        (such as a request path whose percent-escapes decode to ``<`` or a space)."""
        try:
            node = ox.NamedNode(iri)
        except ValueError:
            return False
        return next(iter(self.store.quads_for_pattern(node, None, None, None)), None) is not None

    def description(self, iri: str) -> list[ox.Triple]:
        """The triples with ``iri`` as subject, deduplicated across graphs, in a stable order."""
        node = ox.NamedNode(iri)
        triples = {ox.Triple(q.subject, q.predicate, q.object)
                   for q in self.store.quads_for_pattern(node, None, None, None)}
        return sorted(triples, key=lambda t: (t.predicate.value, str(t.object)))

    def inbound(self, iri: str) -> list[Link]:
        """The resources that point at ``iri``: (property, subject), deduplicated, sorted."""
        node = ox.NamedNode(iri)
        links = {Link(q.predicate.value, q.subject.value)
                 for q in self.store.quads_for_pattern(None, None, node, None)
                 if isinstance(q.subject, ox.NamedNode)}
        return sorted(links, key=lambda link: (link.predicate, link.other))

    def types(self, iri: str) -> list[str]:
        node = ox.NamedNode(iri)
        return sorted({q.object.value for q in self.store.quads_for_pattern(node, RDF_TYPE, None)
                       if isinstance(q.object, ox.NamedNode)})

    def serialize(self, iri: str, name: str) -> bytes:
        """The description of ``iri`` in the format ``name`` of :data:`RDF_FORMATS`."""
        return serialize_triples(self.description(iri), name)

    # -- the ontology ---------------------------------------------------------------------
    def ontology_triples(self) -> list[ox.Triple]:
        """The triples of the ontology's named graphs (``graph/ontology/...``)."""
        prefix = GRAPH + "ontology/"
        triples = set()
        for quad in self.store:
            graph = quad.graph_name
            if isinstance(graph, ox.NamedNode) and graph.value.startswith(prefix):
                triples.add(ox.Triple(quad.subject, quad.predicate, quad.object))
        return sorted(triples, key=str)

    def ontology_version_iri(self) -> str | None:
        found = self.store.quads_for_pattern(
            ox.NamedNode(ONTOLOGY_IRI), ox.NamedNode("http://www.w3.org/2002/07/owl#versionIRI"),
            None, None)
        first = next(iter(found), None)
        return first.object.value if first else None


def local_name(iri: str) -> str:
    """The part after the last ``#`` or ``/``."""
    for separator in ("#", "/"):
        if separator in iri:
            tail = iri.rsplit(separator, 1)[1]
            if tail:
                return tail
    return iri


def is_sdg(iri: str) -> bool:
    """Whether ``iri`` is a UN SDG KOS goal, target or indicator."""
    return iri.startswith(SDG) and iri != SDG
