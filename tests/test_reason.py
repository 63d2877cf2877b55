"""The reasoning step: rules materialise the ontology's chains, and HermiT checks consistency."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from support import REPO, TEST_DATA

from sdgraph import reason
from sdgraph.build import assemble
from sdgraph.errors import InconsistentGraph
from sdgraph.load import LoadedFile, parse_file
from sdgraph.namespaces import INFERRED_GRAPH, ONTOLOGY, SDG, SUMMARIES_GRAPH
from sdgraph.project import Project
from sdgraph.sparql_files import read_folder

PRACTICE = ox.NamedNode("https://w3id.org/sdgraph/id/practice/tiny-bikes")


def tiny_store() -> ox.Store:
    """The shipped project plus the tiny fixture, reasoned."""
    project = Project(REPO)
    loaded = [parse_file(p, project.graph_name(p)) for p in project.source_files()
              if ".sdgraph" not in p.parts]
    loaded.append(parse_file(TEST_DATA / "tiny.ttl", "urn:test:tiny"))
    store, _ = assemble(project, loaded)
    return store


@pytest.fixture(scope="module")
def store() -> ox.Store:
    return tiny_store()


def objects(store: ox.Store, predicate: str) -> set[str]:
    return {q.object.value for q in store.quads_for_pattern(
        PRACTICE, ox.NamedNode(ONTOLOGY + predicate), None, ox.NamedNode(INFERRED_GRAPH))}


def test_contribution_to_a_target_counts_for_its_goal(store: ox.Store) -> None:
    assert objects(store, "contributesTo") == {SDG + "11.2", SDG + "C030601"}
    assert objects(store, "contributesToTarget") == {SDG + "11.2", SDG + "3.6"}
    assert objects(store, "contributesToGoal") == {SDG + "11", SDG + "3"}


def test_axis_mappings_become_skos_triples_both_ways(store: ox.Store) -> None:
    old = ox.NamedNode("https://w3id.org/sdgraph/id/axes/2019/open-government")
    new = ox.NamedNode("https://w3id.org/sdgraph/id/axes/2023/smart-governance")
    skos = "http://www.w3.org/2004/02/skos/core#"
    assert any(store.quads_for_pattern(old, ox.NamedNode(skos + "broadMatch"), new, None))
    assert any(store.quads_for_pattern(new, ox.NamedNode(skos + "narrowMatch"), old, None))


def test_country_code_links_to_the_country(store: ox.Store) -> None:
    city = ox.NamedNode("https://w3id.org/sdgraph/id/city/tinytown")
    countries = {q.object.value for q in store.quads_for_pattern(
        city, ox.NamedNode(ONTOLOGY + "country"), None, None)}
    assert countries == {"https://w3id.org/sdgraph/id/country/ES"}


def test_rules_reach_a_fixpoint_and_add_nothing_twice(store: ox.Store) -> None:
    report = reason.materialise(store, [])
    assert report.added == 0
    again = reason.materialise(store, __import__("sdgraph.sparql_files").sparql_files.read_folder(
        REPO / "rules"))
    assert again.added == 0 and again.rounds == 1


SUMMARY_ROWS = """
PREFIX sdgr: <https://w3id.org/sdgraph/ontology#>
SELECT ?class ?in ?what ?practices ?other WHERE {
  GRAPH <https://w3id.org/sdgraph/graph/summaries> {
    ?count a ?class ; sdgr:practiceCount ?practices .
    OPTIONAL { ?count sdgr:countedIn ?in }
    OPTIONAL { ?count sdgr:countedSdg|sdgr:countedAxis|sdgr:countedBasis|sdgr:countedGoal ?what }
    OPTIONAL { ?count sdgr:cityCount|sdgr:linkCount|sdgr:participantCount ?other }
  }
}"""


def summary_rows(store: ox.Store) -> list[tuple[str, ...]]:
    return sorted(tuple(str(term) for term in row) for row in store.query(SUMMARY_ROWS))


def test_summary_counts_are_written_once_into_their_own_graph(store: ox.Store) -> None:
    copy = ox.Store()
    copy.extend(store)
    graph = ox.NamedNode(SUMMARIES_GRAPH)
    before = summary_rows(copy)
    size = sum(1 for _ in copy.quads_for_pattern(None, None, None, graph))
    # the tiny practice is reported in one edition and counts for its goal there
    assert any(row[0].endswith("#SdgCount>") and row[2] == f"<{SDG}11>" for row in before)
    assert not any(copy.quads_for_pattern(None, ox.NamedNode(ONTOLOGY + "practiceCount"), None,
                                          ox.NamedNode(INFERRED_GRAPH)))
    # running the summaries again replaces them rather than adding a second set
    written = reason.summarise(copy, read_folder(REPO / "rules" / "summaries"))
    assert sum(written.values()) == size
    assert sum(1 for _ in copy.quads_for_pattern(None, None, None, graph)) == size
    assert summary_rows(copy) == before


def test_hermit_finds_the_shipped_graph_and_fixture_consistent(store: ox.Store) -> None:
    reason.check_consistency(reason.union_ntriples(store))


def test_hermit_reports_an_inconsistency(store: ox.Store) -> None:
    bad = ox.Store()
    bad.extend(store)
    bad.add(ox.Quad(PRACTICE, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                    ox.NamedNode(ONTOLOGY + "StudyEdition"), ox.NamedNode("urn:test:bad")))
    with pytest.raises(InconsistentGraph):
        reason.check_consistency(reason.union_ntriples(bad))


def test_hermit_draws_the_same_goal_from_the_property_chains() -> None:
    """The ontology's own chain axioms entail what the rules materialise."""
    import owlready2

    owlready2.JAVA_EXE = reason.java_executable()
    project = Project(REPO)
    files: list[LoadedFile] = [parse_file(p, "urn:g") for p in
                               (REPO / "ontology" / "sdgraph.ttl", REPO / "data" / "sdg" /
                                "framework-2023.ttl", TEST_DATA / "tiny.ttl")]
    plain = ox.Store()
    for item in files:
        plain.extend(item.quads)
    world = owlready2.World()
    path = project.root / ".pytest_cache" / "chain.nt"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(reason.union_ntriples(plain))
    world.get_ontology(path.as_uri()).load()
    owlready2.sync_reasoner_hermit(world, infer_property_values=True, debug=0,
                                   ignore_unsupported_datatypes=True)
    practice = world[PRACTICE.value]
    goals = {g.iri for g in practice.contributesToGoal}
    world.close()
    assert goals == {SDG + "11", SDG + "3"}
