"""A VoID and DCAT 3 description of a release: the dataset, its version, its distributions,
its class and property partitions and its linksets to the UN SDG KOS."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..namespaces import DCAT, DCT, ID, ONTOLOGY, RDF, SDG, VOID, XSD
from .dumps import Dump

DATASET = "https://w3id.org/sdgraph/dataset"
UN_SDG_DATASET = DATASET + "/un-sdg-kos"
CC_BY = "https://creativecommons.org/licenses/by/4.0/"
PUBLISHER = ID + "agent/sdgraph"
SPDX = "http://spdx.org/rdf/terms#"
IANA = "https://www.iana.org/assignments/media-types/"
FOAF_PAGE = "http://xmlns.com/foaf/0.1/page"

#: Media type and title of each dump file.
DUMP_TYPES = {
    "sdgraph.trig": ("application/trig", "TriG (named graphs)"),
    "sdgraph.ttl": ("text/turtle", "Turtle"),
    "sdgraph.nt": ("application/n-triples", "N-Triples"),
    "sdgraph.jsonld": ("application/ld+json", "JSON-LD (named graphs)"),
}


@dataclass
class Statistics:
    """Counts over the merged graph (each distinct triple once)."""

    triples: int
    entities: int
    distinct_subjects: int
    distinct_objects: int
    classes: Counter
    properties: Counter
    links: Counter  # link predicate -> triples from a resource to a UN SDG IRI


def statistics(triples: set[ox.Triple], base: str = ID) -> Statistics:
    """The VoID statistics of a set of triples."""
    classes: Counter = Counter()
    properties: Counter = Counter()
    links: Counter = Counter()
    subjects, objects, entities = set(), set(), set()
    instances: dict[str, set] = {}
    for triple in triples:
        subject, predicate, obj = triple.subject, triple.predicate.value, triple.object
        subjects.add(subject)
        objects.add(obj)
        properties[predicate] += 1
        if isinstance(subject, ox.NamedNode) and subject.value.startswith(base):
            entities.add(subject.value)
            if isinstance(obj, ox.NamedNode) and obj.value.startswith(SDG) and obj.value != SDG:
                links[predicate] += 1
        if predicate == RDF + "type" and isinstance(obj, ox.NamedNode):
            instances.setdefault(obj.value, set()).add(subject)
    for cls, members in instances.items():
        classes[cls] = len(members)
    return Statistics(len(triples), len(entities), len(subjects), len(objects), classes,
                      properties, links)


def _n(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=_n(XSD + "integer"))


def describe(version: str, issued: str, stats: Statistics, dumps: list[Dump], folder: Path,
             download_base: str, ontology_version: str | None,
             previous: str | None = None) -> list[ox.Triple]:
    """The VoID + DCAT triples for release ``version`` whose dumps lie in ``folder``."""
    out: list[ox.Triple] = []

    def add(s: ox.NamedNode | ox.BlankNode, p: str, o: ox.NamedNode | ox.BlankNode | ox.Literal
            ) -> None:
        out.append(ox.Triple(s, _n(p), o))

    dataset, this = _n(DATASET), _n(f"{DATASET}/{version}")
    title = ox.Literal("sdgraph: smart-city good practices and the UN SDGs", language="en")
    description = ox.Literal("A knowledge graph of the editions of UCLG's Smart Cities Study, "
                             "the cities that took part, their good practices and the practices' "
                             "qualified links to the UN Sustainable Development Goals.",
                             language="en")
    for node in (dataset, this):
        add(node, RDF + "type", _n(DCAT + "Dataset"))
        add(node, RDF + "type", _n(VOID + "Dataset"))
        add(node, DCT + "title", title)
        add(node, DCT + "description", description)
        add(node, DCT + "license", _n(CC_BY))
        add(node, DCT + "publisher", _n(PUBLISHER))
    add(dataset, DCAT + "hasVersion", this)
    add(dataset, DCAT + "hasCurrentVersion", this)
    add(this, DCAT + "isVersionOf", dataset)
    add(this, DCAT + "version", ox.Literal(version))
    add(this, DCT + "issued", ox.Literal(issued, datatype=_n(XSD + "date")))
    if previous:
        add(this, DCAT + "previousVersion", _n(f"{DATASET}/{previous}"))
    if ontology_version:
        add(this, DCT + "conformsTo", _n(ontology_version))
    add(this, VOID + "vocabulary", _n(ONTOLOGY))
    add(this, VOID + "uriSpace", ox.Literal(ID))
    add(this, VOID + "sparqlEndpoint", _n(DATASET.removesuffix("dataset") + "sparql"))
    add(this, VOID + "triples", _int(stats.triples))
    add(this, VOID + "entities", _int(stats.entities))
    add(this, VOID + "distinctSubjects", _int(stats.distinct_subjects))
    add(this, VOID + "distinctObjects", _int(stats.distinct_objects))
    add(this, VOID + "classes", _int(len(stats.classes)))
    add(this, VOID + "properties", _int(len(stats.properties)))
    for number, (cls, count) in enumerate(sorted(stats.classes.items()), start=1):
        partition = _n(f"{DATASET}/{version}/class/{number}")
        add(this, VOID + "classPartition", partition)
        add(partition, VOID + "class", _n(cls))
        add(partition, VOID + "entities", _int(count))
    for number, (prop, count) in enumerate(sorted(stats.properties.items()), start=1):
        partition = _n(f"{DATASET}/{version}/property/{number}")
        add(this, VOID + "propertyPartition", partition)
        add(partition, VOID + "property", _n(prop))
        add(partition, VOID + "triples", _int(count))
    _linksets(add, this, version, stats)
    for dump in dumps:
        _distribution(add, this, version, dump, folder, download_base)
    return out


def _linksets(add, this: ox.NamedNode, version: str, stats: Statistics) -> None:
    un = _n(UN_SDG_DATASET)
    add(un, RDF + "type", _n(VOID + "Dataset"))
    add(un, DCT + "title", ox.Literal("UN SDG KOS (goals, targets and indicators)", language="en"))
    add(un, VOID + "uriSpace", ox.Literal(SDG))
    add(un, FOAF_PAGE, _n(SDG.rstrip("/")))
    for prop, count in sorted(stats.links.items()):
        linkset = _n(f"{DATASET}/{version}/links/{prop.rsplit('#', 1)[-1].rsplit('/', 1)[-1]}")
        add(this, VOID + "subset", linkset)
        add(linkset, RDF + "type", _n(VOID + "Linkset"))
        add(linkset, VOID + "subjectsTarget", this)
        add(linkset, VOID + "objectsTarget", un)
        add(linkset, VOID + "linkPredicate", _n(prop))
        add(linkset, VOID + "triples", _int(count))


def _distribution(add, this: ox.NamedNode, version: str, dump: Dump, folder: Path,
                  download_base: str) -> None:
    media, title = DUMP_TYPES[dump.name]
    path = folder / dump.name
    node = _n(f"{DATASET}/{version}/distribution/{dump.name}")
    add(this, DCAT + "distribution", node)
    add(this, VOID + "dataDump", _n(download_base + "dumps/" + dump.name))
    add(node, RDF + "type", _n(DCAT + "Distribution"))
    add(node, DCT + "title", ox.Literal(f"sdgraph {version}, {title}", language="en"))
    add(node, DCAT + "downloadURL", _n(download_base + "dumps/" + dump.name))
    add(node, DCAT + "mediaType", _n(IANA + media))
    add(node, DCAT + "byteSize", ox.Literal(str(path.stat().st_size),
                                            datatype=_n(XSD + "nonNegativeInteger")))
    add(node, DCT + "license", _n(CC_BY))
    add(node, VOID + "triples", _int(dump.statements))
    checksum = _n(f"{DATASET}/{version}/distribution/{dump.name}/sha256")
    add(node, SPDX + "checksum", checksum)
    add(checksum, RDF + "type", _n(SPDX + "Checksum"))
    add(checksum, SPDX + "algorithm", _n(SPDX + "checksumAlgorithm_sha256"))
    add(checksum, SPDX + "checksumValue", ox.Literal(
        hashlib.sha256(path.read_bytes()).hexdigest(), datatype=_n(XSD + "hexBinary")))
