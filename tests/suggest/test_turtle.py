"""The Turtle written for suggestions parses and has the ontology's shape."""

from __future__ import annotations

import pyoxigraph as ox

from sdgraph.suggest import METHOD_IRI, METHOD_VERSION, Suggestion, suggestions_to_turtle

SDGR = "https://w3id.org/sdgraph/ontology#"
PRACTICE = "https://w3id.org/sdgraph/id/practice/bilbao-data-government"


def sample() -> list[Suggestion]:
    return [
        Suggestion(
            iri="http://metadata.un.org/sdg/11.2", code="11.2", kind="target",
            label="...", score=0.8234,
            evidence={"matched": ["public transport", "accessible"],
                      "closest_target": {"code": "11.2", "text": 'Provide "safe" transport',
                                         "similarity": 0.61}},
        ),
        Suggestion(iri="http://metadata.un.org/sdg/9", code="9", kind="goal", label="...",
                   score=0.4, evidence={"matched": ["wifi"]}),
    ]


def parse(ttl: str) -> ox.Store:
    store = ox.Store()
    store.load(ttl, format=ox.RdfFormat.TURTLE)
    return store


def test_contribution_nodes():
    ttl = suggestions_to_turtle(PRACTICE, sample())
    assert ttl.startswith("# SDG links suggested")
    assert "sdgraph add" in ttl.split("@prefix")[0]
    store = parse(ttl)
    rows = list(store.query(f"""
        PREFIX sdgr: <{SDGR}>
        SELECT ?c ?sdg ?score ?why WHERE {{
          <{PRACTICE}> sdgr:sdgContribution ?c .
          ?c a sdgr:SDGContribution ; sdgr:sdg ?sdg ; sdgr:basis sdgr:SuggestedByMethod ;
             sdgr:method <{METHOD_IRI}> ; sdgr:score ?score ; sdgr:justification ?why .
        }} ORDER BY ?c"""))
    assert [r["c"].value for r in rows] == [f"{PRACTICE}/suggested/11.2", f"{PRACTICE}/suggested/9"]
    first = rows[0]
    assert first["sdg"].value == "http://metadata.un.org/sdg/11.2"
    assert first["score"].value == "0.82"
    assert first["score"].datatype.value == "http://www.w3.org/2001/XMLSchema#decimal"
    assert first["why"].language == "en"
    assert first["why"].value.startswith("matched: public transport, accessible; closest target")
    assert '"safe"' in first["why"].value


def test_method_node_and_spanish_justification():
    store = parse(suggestions_to_turtle(PRACTICE, sample(), lang="es"))
    assert store.query(f"""
        PREFIX sdgr: <{SDGR}> PREFIX schema: <http://schema.org/>
        ASK {{ <{METHOD_IRI}> a sdgr:Method ; schema:version "{METHOD_VERSION}" ;
               rdfs:label ?l }}""",
        prefixes={"rdfs": "http://www.w3.org/2000/01/rdf-schema#"})
    pred = ox.NamedNode(SDGR + "justification")
    whys = [q.object for q in store.quads_for_pattern(None, pred, None)]
    assert {w.language for w in whys} == {"es"}
    assert any(w.value.startswith("coincidencias: wifi") for w in whys)


def test_without_prefixes_or_method_for_appending():
    ttl = suggestions_to_turtle(PRACTICE, sample(), include_prefixes=False,
                                include_method=False, header=False)
    assert "@prefix" not in ttl and "sdgr:Method" not in ttl
    assert ttl.count("a sdgr:SDGContribution") == 2
