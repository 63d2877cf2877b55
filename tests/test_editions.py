"""The five editions, their axis schemes and the crosswalk onto the 2023 axes."""

from __future__ import annotations

import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SKOS, XSD
from support import REPO

SDGR = Namespace("https://w3id.org/sdgraph/ontology#")
ID = "https://w3id.org/sdgraph/id/"
TOP_AXES = {"2012": 6, "2017": 3, "2019": 2, "2021": 6, "2023": 6}
AXES_2023 = {"Smart Economy", "New Mobility", "Environment", "Digital Citizenship",
             "Quality of Life", "Smart Governance"}


@pytest.fixture(scope="module")
def study() -> Graph:
    graph = Graph()
    for path in [REPO / "data" / "study" / "editions.ttl", *(REPO / "data" / "axes").glob("*.ttl")]:
        graph.parse(path)
    return graph


def test_five_editions_with_year_source_and_scheme(study: Graph) -> None:
    editions = set(study.subjects(RDF.type, SDGR.StudyEdition))
    assert {str(e).rsplit("/", 1)[1] for e in editions} == set(TOP_AXES)
    for edition in editions:
        year = study.value(edition, SDGR.year)
        assert year.datatype == XSD.gYear and str(edition).endswith(str(year))
        assert list(study.objects(edition, DCTERMS.source)), edition
        assert study.value(edition, SDGR.axisScheme) == URIRef(f"{ID}axes/{year}")


def test_reported_counts(study: Graph) -> None:
    cities = {str(e).rsplit("/", 1)[1]: int(study.value(e, SDGR.reportedCityCount))
              for e in study.subjects(RDF.type, SDGR.StudyEdition)}
    assert cities == {"2012": 28, "2017": 20, "2019": 24, "2021": 35, "2023": 20}


@pytest.mark.parametrize("year,count", sorted(TOP_AXES.items()))
def test_axis_scheme_top_concepts(study: Graph, year: str, count: int) -> None:
    scheme = URIRef(f"{ID}axes/{year}")
    assert (scheme, RDF.type, SDGR.AxisScheme) in study
    tops = set(study.objects(scheme, SKOS.hasTopConcept))
    assert len(tops) == count
    for axis in study.subjects(SKOS.inScheme, scheme):
        langs = {label.language for label in study.objects(axis, SKOS.prefLabel)}
        assert langs == {"en", "es"}, axis


def test_2023_axes_are_the_six_named(study: Graph) -> None:
    scheme = URIRef(f"{ID}axes/2023")
    labels = {str(label) for axis in study.objects(scheme, SKOS.hasTopConcept)
              for label in study.objects(axis, SKOS.prefLabel) if label.language == "en"}
    assert labels == AXES_2023


def test_every_older_top_axis_maps_onto_2023_with_a_justification(study: Graph) -> None:
    relations = {SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch}
    mapped = {}
    for mapping in study.subjects(RDF.type, SDGR.AxisMapping):
        subject = study.value(mapping, SDGR.mappingSubject)
        target = study.value(mapping, SDGR.mappingObject)
        assert study.value(mapping, SDGR.mappingPredicate) in relations
        assert (target, SKOS.inScheme, URIRef(f"{ID}axes/2023")) in study
        justification = study.value(mapping, SDGR.justification)
        assert isinstance(justification, Literal) and len(str(justification)) > 10
        mapped[subject] = target
    for year in ("2012", "2017", "2019", "2021"):
        for axis in study.objects(URIRef(f"{ID}axes/{year}"), SKOS.hasTopConcept):
            assert axis in mapped, axis
