"""The ontology: metadata, and labels and definitions in English and Spanish on every term."""

from __future__ import annotations

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, SKOS
from support import REPO

SDGR = Namespace("https://w3id.org/sdgraph/ontology#")
ONTOLOGY = URIRef("https://w3id.org/sdgraph/ontology")
TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(REPO / "ontology" / "sdgraph.ttl")


def own_terms(graph: Graph) -> list[URIRef]:
    return sorted({s for t in TERM_TYPES for s in graph.subjects(RDF.type, t)
                   if isinstance(s, URIRef) and s.startswith(str(SDGR))})


def test_ontology_header(ontology: Graph) -> None:
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in ontology
    assert str(ontology.value(ONTOLOGY, OWL.versionIRI)).startswith(str(ONTOLOGY) + "/")
    assert ontology.value(ONTOLOGY, OWL.versionInfo) is not None
    assert ontology.value(ONTOLOGY, DCTERMS.license) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/")
    for term in (DCTERMS.creator, DCTERMS.created, DCTERMS.modified):
        assert ontology.value(ONTOLOGY, term) is not None, term


def test_required_classes_exist(ontology: Graph) -> None:
    required = ["StudyEdition", "AxisScheme", "Axis", "City", "Country", "Participation",
                "Practice", "SDGContribution", "Barrier", "Enabler", "Finding", "Statistic",
                "SourceDocument"]
    for name in required:
        assert (SDGR[name], RDF.type, OWL.Class) in ontology, name


@pytest.mark.parametrize("predicate", [RDFS.label, SKOS.definition])
def test_every_term_has_english_and_spanish(ontology: Graph, predicate: URIRef) -> None:
    terms = own_terms(ontology)
    assert len(terms) > 40
    missing = [f"{term} {lang}" for term in terms for lang in ("en", "es")
               if not any(getattr(v, "language", None) == lang
                          for v in ontology.objects(term, predicate))]
    assert missing == []


def test_sdg_links_range_over_the_un_classes(ontology: Graph) -> None:
    union = ontology.value(SDGR.sdg, RDFS.range)
    members = set(ontology.items(ontology.value(union, OWL.unionOf)))
    sdgo = Namespace("http://metadata.un.org/sdg/ontology#")
    assert members == {sdgo.Goal, sdgo.Target, sdgo.Indicator}


def test_target_to_goal_is_a_property_chain(ontology: Graph) -> None:
    sdgo = Namespace("http://metadata.un.org/sdg/ontology#")
    chains = {tuple(ontology.items(chain))
              for chain in ontology.objects(SDGR.contributesToGoal, OWL.propertyChainAxiom)}
    assert chains == {(SDGR.contributesToTarget, sdgo.isTargetOf),
                      (SDGR.contributesTo, SDGR.isGoal)}
