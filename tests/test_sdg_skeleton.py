"""The SDG skeleton: every goal, target and indicator of the 2023 framework, rightly linked."""

from __future__ import annotations

import csv
from collections import defaultdict

import pytest
from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.namespace import SKOS
from support import REPO, shared_file

SDGO = Namespace("http://metadata.un.org/sdg/ontology#")
SDG = "http://metadata.un.org/sdg/"


@pytest.fixture(scope="module")
def skeleton() -> Graph:
    return Graph().parse(REPO / "data" / "sdg" / "framework-2023.ttl")


def members(graph: Graph, cls: URIRef) -> set[URIRef]:
    return set(graph.subjects(RDF.type, cls))


def test_counts(skeleton: Graph) -> None:
    assert len(members(skeleton, SDGO.Goal)) == 17
    assert len(members(skeleton, SDGO.Target)) == 169
    indicators = members(skeleton, SDGO.Indicator)
    assert len(indicators) == 232
    codes = [n for i in indicators for n in skeleton.objects(i, SKOS.notation)
             if n.datatype == SDGO.SDGCodeCompact]
    assert len(codes) == 248


def test_iris_are_the_un_ones(skeleton: Graph) -> None:
    for cls in (SDGO.Goal, SDGO.Target, SDGO.Indicator):
        for iri in members(skeleton, cls):
            assert iri.startswith(SDG) and not iri.endswith("/"), iri


def test_parents_agree_with_the_code_table(skeleton: Graph) -> None:
    rows = list(csv.DictReader(shared_file("sdg/codes.csv").open(encoding="utf-8")))
    iri_of = {r["code"]: URIRef(r["iri"]) for r in rows}
    expected: dict[URIRef, set[URIRef]] = defaultdict(set)
    for row in rows:
        if row["parent_code"]:
            expected[URIRef(row["iri"])].add(iri_of[row["parent_code"]])
    for child, parents in expected.items():
        assert set(skeleton.objects(child, SKOS.broader)) == parents, child
        up = SDGO.isTargetOf if (child, RDF.type, SDGO.Target) in skeleton else SDGO.isIndicatorOf
        assert set(skeleton.objects(child, up)) == parents, child
        for parent in parents:
            down = SDGO.hasTarget if up == SDGO.isTargetOf else SDGO.hasIndicator
            assert (parent, down, child) in skeleton


def test_shared_indicator_has_every_parent(skeleton: Graph) -> None:
    c200303 = URIRef(SDG + "C200303")
    assert set(skeleton.objects(c200303, SDGO.isIndicatorOf)) == {
        URIRef(SDG + "1.5"), URIRef(SDG + "11.5"), URIRef(SDG + "13.1")}


def test_target_11c_has_no_indicator(skeleton: Graph) -> None:
    assert list(skeleton.objects(URIRef(SDG + "11.c"), SDGO.hasIndicator)) == []


def test_goals_have_short_titles_in_english_and_spanish(skeleton: Graph) -> None:
    goal11 = URIRef(SDG + "11")
    titles = {t.language: str(t) for t in skeleton.objects(goal11, SKOS.altLabel)}
    assert titles == {"en": "Sustainable cities and communities",
                      "es": "Ciudades y comunidades sostenibles"}


def test_revision_is_recorded(skeleton: Graph) -> None:
    revision = URIRef("https://w3id.org/sdgraph/id/sdg-revision/2023")
    assert (revision, RDF.type, SKOS.Collection) in skeleton
    assert len(set(skeleton.objects(revision, SKOS.member))) == 17 + 169 + 232
