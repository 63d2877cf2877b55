"""Reviewing suggested links: accepted ones become curated links derived from the suggestion."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, Graph, Namespace, URIRef

from sdgraph.errors import UsageError
from sdgraph.suggest import Suggestion, suggestions_to_turtle
from sdgraph.suggest.review import read_suggestions, review

SDGR = Namespace("https://w3id.org/sdgraph/ontology#")
PROV = Namespace("http://www.w3.org/ns/prov#")
PRACTICE = "https://w3id.org/sdgraph/id/practice/tiny-bikes"
SDG = "http://metadata.un.org/sdg/"


def suggestion(code: str, score: float) -> Suggestion:
    kind = "target" if "." in code else "goal"
    return Suggestion(SDG + code, code, kind, f"label {code}", score,
                      {"matched": ["bike"], "closest_target": {"code": "11.2", "text": "transport",
                                                               "similarity": 0.5}})


@pytest.fixture
def suggestions_file(tmp_path: Path) -> Path:
    path = tmp_path / "suggested.ttl"
    path.write_text(suggestions_to_turtle(
        PRACTICE, [suggestion("11", 0.8), suggestion("11.2", 0.8), suggestion("3", 0.3)]),
        encoding="utf-8")
    return path


def test_reading_the_suggestions(suggestions_file: Path) -> None:
    _, found = read_suggestions(suggestions_file)
    assert [s.short for s in found] == ["tiny-bikes/11", "tiny-bikes/11.2", "tiny-bikes/3"]
    assert found[0].score == 0.8 and "bike" in found[0].justification


def test_accepted_becomes_curated_and_rejected_is_left_out(suggestions_file: Path) -> None:
    result = review(suggestions_file, "Ana Pérez", ["tiny-bikes/11.2"], ["tiny-bikes/3"])
    assert [s.code for s in result.accepted] == ["11.2"]
    assert [s.code for s in result.rejected] == ["3"]
    assert [s.code for s in result.undecided] == ["11"]
    graph = Graph().parse(data=result.turtle, format="turtle")
    curated = URIRef(PRACTICE + "/sdg/11.2")
    assert graph.value(curated, SDGR.basis) == SDGR.CuratedByAgent
    assert graph.value(curated, PROV.wasAttributedTo) == URIRef(
        "https://w3id.org/sdgraph/id/agent/ana-perez")
    assert graph.value(curated, PROV.wasDerivedFrom) == URIRef(PRACTICE + "/suggested/11.2")
    assert "bike" in str(graph.value(curated, SDGR.justification))
    # The accepted and the undecided suggestions are kept as suggestions; the rejected is gone.
    kept = {str(n) for n in graph.subjects(SDGR.basis, SDGR.SuggestedByMethod)}
    assert kept == {PRACTICE + "/suggested/11.2", PRACTICE + "/suggested/11"}
    assert (URIRef(PRACTICE + "/suggested/3"), RDF.type, SDGR.SDGContribution) not in graph


def test_in_the_graph_already_only_the_curated_links_are_written(suggestions_file: Path) -> None:
    result = review(suggestions_file, "Ana", ["all"], [], keep_suggestions=False)
    graph = Graph().parse(data=result.turtle, format="turtle")
    assert len(list(graph.subjects(SDGR.basis, SDGR.CuratedByAgent))) == 3
    assert not list(graph.subjects(SDGR.basis, SDGR.SuggestedByMethod))


@pytest.mark.parametrize(("accept", "reject", "message"), [
    (["tiny-bikes/16"], [], "no suggestion 'tiny-bikes/16'"),
    (["all"], ["tiny-bikes/3"], "accepted and rejected at once"),
])
def test_bad_decisions_are_refused(suggestions_file: Path, accept, reject, message) -> None:
    with pytest.raises(UsageError, match=message):
        review(suggestions_file, "Ana", accept, reject)


def test_a_reviewer_is_needed(suggestions_file: Path) -> None:
    with pytest.raises(UsageError, match="reviewer"):
        review(suggestions_file, "  ", ["all"], [])


def test_a_file_without_suggestions_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.ttl"
    empty.write_text("@prefix sdgr: <https://w3id.org/sdgraph/ontology#> .\n", encoding="utf-8")
    with pytest.raises(UsageError, match="no suggested SDG contribution"):
        review(empty, "Ana", ["all"], [])
    broken = tmp_path / "broken.ttl"
    broken.write_text("this is not turtle", encoding="utf-8")
    with pytest.raises(UsageError, match="not a readable Turtle file"):
        read_suggestions(broken)
